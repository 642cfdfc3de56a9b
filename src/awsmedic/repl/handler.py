"""What one submitted line means: error text, a command, an answer, or nothing.

`handle_line` is pure: it looks at the line and the open question and says what to do; the
REPL (`app.Repl.perform`) does it. That keeps every decision testable without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

from awsmedic.model import Question
from awsmedic.repl.commands import Command, parse

#: A line at least this long, or any multi-line text, is error text even while a question is
#: open: nobody types an answer that long, and the user may have moved on to a new error.
PASTE_LENGTH = 40


@dataclass(frozen=True)
class Paste:
    """Error text: start a new case with it."""

    text: str


@dataclass(frozen=True)
class Run:
    command: Command


@dataclass(frozen=True)
class Choose:
    """An answer to the open question; None leaves it open (/skip)."""

    answer: str | None


@dataclass(frozen=True)
class Say:
    """Nothing to do but tell the user something."""

    message: str


@dataclass(frozen=True)
class Nothing:
    pass


Action = Paste | Run | Choose | Say | Nothing


def handle_line(line: str, question: Question | None = None) -> Action:
    text = line.strip()
    if not text:
        return Nothing()
    command = parse(text)
    if command is not None:
        return _command(command, question)
    if question is None:
        return Paste(text)
    choice = pick(question.choices, text)
    if choice is not None:
        return Choose(choice)
    if "\n" in text or len(text) >= PASTE_LENGTH:
        return Paste(text)
    return Say(
        f"Please answer with a number from 1 to {len(question.choices)} or the words of a "
        "choice (Tab lists them); /skip leaves the question open."
    )


def _command(command: Command, question: Question | None) -> Action:
    if not command.known:
        return Say(f"Unknown command {command.name}. /help lists the commands.")
    if command.name == "/skip":
        return Choose(None) if question is not None else Say("There is no open question.")
    return Run(command)


def pick(choices: tuple[str, ...], text: str) -> str | None:
    """The choice a reply means: its number, its words in any case, or a unique beginning."""
    reply = text.strip().rstrip(".").lower()
    if reply.isdigit():
        number = int(reply)
        return choices[number - 1] if 1 <= number <= len(choices) else None
    for choice in choices:
        if choice.lower() == reply:
            return choice
    starting = [choice for choice in choices if choice.lower().startswith(reply)]
    if len(starting) == 1:
        return starting[0]
    containing = [choice for choice in choices if reply in choice.lower()]
    return containing[0] if len(containing) == 1 and len(reply) >= 3 else None
