"""REPL slash commands: the registry, parsing, help text and Tab completion.

What each command does lives on the REPL (`app.Repl`); this module only knows their names.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CommandSpec:
    name: str
    usage: str
    help: str


COMMANDS: dict[str, CommandSpec] = {
    spec.name: spec
    for spec in (
        CommandSpec("/why", "/why", "the evidence, and the path through the decision tree"),
        CommandSpec("/back", "/back", "undo the last answer and ask that question again"),
        CommandSpec("/check", "/check", "after following the steps: check again, see what changed"),
        CommandSpec("/probes", "/probes", "every check that ran, in detail"),
        CommandSpec("/export", "/export [PATH]", "save the transcript, redacted (.md or .json)"),
        CommandSpec("/skip", "/skip", "leave the open question unanswered"),
        CommandSpec("/restart", "/restart", "forget this case and start again"),
        CommandSpec("/help", "/help", "show this help"),
        CommandSpec("/quit", "/quit", "leave (Ctrl-D works too)"),
    )
}
ALIASES = {"/exit": "/quit", "/q": "/quit", "/?": "/help", "/h": "/help", "/undo": "/back"}
# A command is a slash and a word; `/usr/bin/aws: error ...` is error text, not a command.
_NAME = re.compile(r"/[A-Za-z?]+")


@dataclass(frozen=True)
class Command:
    name: str  # canonical (aliases resolved), lower case; may be unknown
    args: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.name in COMMANDS


def parse(line: str) -> Command | None:
    """The slash command on this line, or None when the line is not one (it is error text)."""
    stripped = line.strip()
    if "\n" in stripped:
        return None
    head, _, rest = stripped.partition(" ")
    if not _NAME.fullmatch(head):
        return None
    try:
        args = shlex.split(rest)
    except ValueError:  # an unbalanced quote: take the words as they are
        args = rest.split()
    name = head.lower()
    return Command(ALIASES.get(name, name), tuple(args))


def help_text() -> str:
    width = max(len(spec.usage) for spec in COMMANDS.values())
    lines = [
        "Paste an AWS error and press Enter (Esc-Enter adds a line). At a question, press its",
        "number or type the answer (Tab completes). Ctrl-C cancels the current step.",
        "",
    ]
    lines += [f"  {spec.usage:<{width}}  {spec.help}" for spec in COMMANDS.values()]
    return "\n".join(lines)


def make_completer(choices: Callable[[], tuple[str, ...]]) -> Any:
    """Tab completion: command names, file names after /export, and the open question's
    choices (by words or by number)."""
    from prompt_toolkit.completion import Completer, Completion, PathCompleter
    from prompt_toolkit.document import Document

    paths = PathCompleter(expanduser=True)

    class ReplCompleter(Completer):
        def get_completions(self, document: Document, complete_event: Any) -> Iterator[Any]:
            text = document.text_before_cursor
            if text.startswith("/export "):
                argument = Document(text[len("/export ") :])
                yield from paths.get_completions(argument, complete_event)
            elif text.startswith("/") and " " not in text:
                for spec in COMMANDS.values():
                    if spec.name.startswith(text.lower()):
                        yield Completion(spec.name, -len(text), display_meta=spec.help)
            elif "\n" not in text:
                yield from _choice_completions(choices(), text, Completion)

    return ReplCompleter()


def _choice_completions(
    choices: tuple[str, ...], text: str, completion: Callable[..., Any]
) -> Iterator[Any]:
    typed = text.strip().lower()
    for number, choice in enumerate(choices, 1):
        if not typed or typed in choice.lower() or typed == str(number):
            yield completion(choice, -len(text), display=f"{number}. {choice}")
