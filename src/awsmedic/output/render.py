"""Terminal output with rich. Knowledge-base Markdown is rendered as Markdown; anything that came
from the user or this machine is printed as plain Text (markup off), after scrubbing."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TextIO, cast

from awsmedic.model import (
    Candidate,
    Concluded,
    Diagnosis,
    Event,
    Evidence,
    Matched,
    Recognition,
    Stalled,
    Status,
    Step,
    WentBack,
)
from awsmedic.safety.redact import SecretBook
from awsmedic.safety.safetext import is_printable, printable, unfiltered

if TYPE_CHECKING:
    from rich.console import Console
    from rich.segment import Segment

    from awsmedic.core.consult import Outcome

COMMAND_INDENT = "     "
#: Code, inline and on its own line: magenta reads on dark and light themes alike (cyan and
#: yellow vanish on white), and no background colour draws a box.
CODE_STYLE = "bold magenta"
#: Piped text without COLUMNS: lines as long as a log or a ticket reads well.
PIPED_WIDTH = 120
_TRAILING = re.compile(r" +(?=\r?\n)")


def commands_in(step: str) -> list[str]:
    """The commands a step's Markdown shows in code spans (not in fenced blocks, which are
    shown as code blocks already), in order, once each."""
    from awsmedic.kb.commands import spans

    found = [" ".join(span.code.split()) for span in spans(step) if not span.fenced]
    return list(dict.fromkeys(found))


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def _pointer(index: int, count: int) -> str:
    """How a step's text names a command printed below it, when the line would break it."""
    if count == 1:
        return "the command below"
    if index < len(_ORDINALS):
        return f"the {_ORDINALS[index]} command below"
    return f"command {index + 1} below"


def piped_width(environ: Mapping[str, str]) -> int:
    """The width for text that goes to a pipe or a file: COLUMNS when it is set, else 120."""
    columns = environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) >= 20 else PIPED_WIDTH


def _plain_code() -> str:
    """Code blocks in the terminal's own colours, on its own background (rich's default theme
    paints a dark box). rich's Markdown takes a theme by name: ours is registered once."""
    from rich.style import Style
    from rich.syntax import RICH_SYNTAX_THEMES

    if PLAIN_CODE not in RICH_SYNTAX_THEMES:
        from rich.syntax import ANSI_DARK

        RICH_SYNTAX_THEMES[PLAIN_CODE] = dict.fromkeys(ANSI_DARK, Style())
    return PLAIN_CODE


PLAIN_CODE = "awsmedic-plain"


#: Commands that only show or test the set-up (the check at the end of most causes' steps).
_LOOK_UP = re.compile(r"^(?:aws (?:sts get-caller-identity|configure (?:list|get))\b|env \| grep )")


def first_command(diagnosis: Diagnosis) -> str | None:
    """The first command the steps ask to run (as printed, quoted for its shell), for the
    one-line summary: the first one whose condition is known to hold, where there is one (a
    command for a tool awsmedic did not recognise is no summary of what to do)."""
    from awsmedic.kb.commands import spans
    from awsmedic.model import UNDECIDED

    lead = diagnosis.steps[0] if diagnosis.steps else None
    applies = (  # the first step holds, and is not all commands for a tool not recognised
        lead is not None
        and lead.condition != UNDECIDED
        and not (lead.commands and set(lead.commands) <= set(lead.unsure))
    )
    for index, step in enumerate(diagnosis.steps):
        for command in step.commands:
            if command not in step.unsure:
                # A later step's look-up is no summary of a first step that applies and says
                # what to change without a command (add a line, fix a path): "see step 1".
                if index and applies and _LOOK_UP.match(command):
                    return None
                return command
    for step in diagnosis.steps:
        # A transcript of schema 1 kept only the step's Markdown: the commands it shows, then.
        found = step.commands or tuple(" ".join(s.code.split()) for s in spans(step.text))
        if found:
            return found[0]
    return None


def probe_title(probe_id: str) -> str:
    from awsmedic.probes import spec

    found = spec(probe_id)
    return found.title if found is not None else probe_id


STATUS_MARK = {Status.OK: "✓", Status.PROBLEM: "✗", Status.SKIPPED: "–", Status.ERROR: "!"}
STATUS_STYLE = {
    Status.OK: "green",
    Status.PROBLEM: "red",
    Status.SKIPPED: "dim",
    Status.ERROR: "yellow",
}


@functools.cache
def _safe_console() -> type[Console]:
    """rich's Console with the terminal filter on every segment of text it renders: whatever
    a renderable holds (Text, Markdown, a table), nothing in it can act on the terminal. Control
    segments are rich's own cursor moves; its colours are added after this, when it writes."""
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError  # for cli.main, which ignores it quietly (rich would exit 1)

        def render(self, renderable: Any, options: Any = None) -> Iterable[Segment]:
            for segment in super().render(renderable, options):
                if segment.control or is_printable(segment.text):
                    yield segment
                else:
                    yield Segment(printable(segment.text), segment.style)

    return SafeConsole


def make_console(
    file: TextIO,
    *,
    no_color: bool,
    width: int | None = None,
    force_terminal: bool | None = None,
    environ: Mapping[str, str] | None = None,
) -> Console:
    """A console for `file`; `environ` (default: the process's) is what rich reads TERM,
    COLUMNS and the like from. It filters what it renders itself, so it writes to the stream
    under a `TerminalStream` (which would take its colours away)."""
    from rich.theme import Theme

    # Code without a background box: rich's default, black, shows as boxes on light themes.
    theme = Theme({"markdown.code": CODE_STYLE, "markdown.code_block": "none"})
    file = unfiltered(file)
    terminal = force_terminal if force_terminal is not None else file.isatty()
    return _safe_console()(
        _environ=environ,
        file=file if terminal else cast(TextIO, TrimmedLines(file)),
        theme=theme,
        no_color=no_color,
        color_system=None if no_color else "auto",
        highlight=False,
        emoji=False,
        markup=False,
        width=width,
        force_terminal=force_terminal,
        soft_wrap=False,
    )


class TrimmedLines:
    """A text stream that drops the spaces at the end of each line (rich pads tables and
    code blocks to their width): piped text has none, so logs and tickets stay clean.
    Spaces are held back only until the next character shows they were not at a line end."""

    def __init__(self, file: TextIO) -> None:
        self._file = file
        self._spaces = ""

    def write(self, text: str) -> int:
        if not text:
            return 0
        text = self._spaces + text
        body = text.rstrip(" ")
        self._spaces = text[len(body) :]
        self._file.write(_TRAILING.sub("", body))
        return len(text)

    def flush(self) -> None:
        self._file.flush()

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return getattr(self._file, "encoding", None) or "utf-8"


class Printer:
    """Shows events as they happen. Every string goes through the scrubber and the terminal
    filter before rich sees it (`clean`), and the console filters everything it renders once
    more (`make_console`)."""

    def __init__(self, console: Console, book: SecretBook) -> None:
        self.console = console
        self.book = book

    def clean(self, text: str) -> str:
        """`text` scrubbed and filtered, for rich. The filter has to come first: rich drops
        some control characters itself (BEL among them), and an escape sequence that lost its
        BEL terminator looks unterminated to the filter, which would then remove the rest of
        the line with it."""
        return self.book.shown(text)

    def _text(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.console.print(Text(self.clean(text), style=style))

    def _markdown(self, text: str) -> None:
        from rich.markdown import Markdown

        markdown = Markdown(self.clean(text), hyperlinks=False, code_theme=_plain_code())
        self.console.print(markdown)

    def event(self, event: Event) -> None:
        if isinstance(event, Matched):
            self.recognition(event.recognition)
        elif isinstance(event, Concluded):
            self.diagnosis(event.diagnosis, event.offline)
        elif isinstance(event, Stalled):
            self.candidates(event.candidates, event.reason, event.offline, event.guess)
        elif isinstance(event, WentBack):
            self._text("  (went back one step)", "dim")
        elif hasattr(event, "evidence") and isinstance(event.evidence, Evidence):
            self.evidence(event.evidence)

    def hang(self, prefix: str, text: str, style: str = "") -> None:
        """`prefix text`, with wrapped lines of `text` indented under its start."""
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row(Text(prefix, style=style), Text(self.clean(text), style=style))
        self.console.print(grid)

    def recognition(self, recognition: Recognition) -> None:
        best = recognition.best
        if best is None:
            return
        if best.how == "topic":
            self._text("No known error matches, but this is about AWS authentication.", "bold")
            self._text(f"Checking the set-up instead: {best.title}", "bold")
        else:
            self._text(f"Recognised: {best.title}", "bold")
        if recognition.closest:
            closest = "; ".join(f"{m.title} ({m.tree})" for m in recognition.closest)
            self.hang(" ", f"closest known errors: {closest}", "dim")
        parts = []
        if recognition.codes:
            parts.append(f"code {recognition.codes[0]}")
        parts.append(f"printed by {recognition.tool_title or 'an unknown tool'}")
        self.hang(" ", ", ".join(parts), "dim")
        if recognition.truncated:
            self.truncated()

    def truncated(self) -> None:
        """What of a very long paste was not read."""
        from awsmedic.core.pastes import TRUNCATED_NOTE

        self.hang(" ", f"({TRUNCATED_NOTE})", "dim")

    def evidence(self, evidence: Evidence) -> None:
        mark = STATUS_MARK[evidence.status]
        # A check that could not be made says so once, in the diagnosis's "Not checked".
        said = "not checked" if evidence.unchecked is not None else evidence.summary
        line = f"{probe_title(evidence.probe)}: {said}"
        self.hang(f"  {mark}", line, STATUS_STYLE[evidence.status])

    def diagnosis(self, diagnosis: Diagnosis, offline: tuple[str, ...] = ()) -> None:
        from rich.rule import Rule

        self.console.print()
        self.console.print(Rule(style="dim"))
        self._text(f"Cause: {diagnosis.title} ({diagnosis.confidence.value})", "bold")
        self.console.print()
        self._markdown(diagnosis.why)
        if diagnosis.evidence:
            self.console.print()
            self._text("Evidence:", "bold")
            for line in diagnosis.evidence:
                self.hang("  •", line)
        self.not_checked(offline)
        self.console.print()
        self._text("Steps:", "bold")
        self.steps(diagnosis.steps)
        self.console.print()
        self.summary(f"{diagnosis.title} ({diagnosis.confidence.value})", diagnosis)

    def steps(self, steps: tuple[Step, ...]) -> None:
        for number, step in enumerate(steps, 1):
            text, below = self._fit_commands(
                f"{number}. " + step.text.replace("\n", "\n   "), step.commands
            )
            self._markdown(text)
            for command in below:
                self.command(command)

    def _fit_commands(self, markdown: str, commands: tuple[str, ...] = ()) -> tuple[str, list[str]]:
        """The step as it will be printed, and the commands to print on lines of their own.

        Each command is printed once. One that fits whole on its line stays where the text
        names it; one the width would break is named in the text by a pointer and printed
        below, broken only between words, so that it copies whole and runs as printed. When
        the step lists its commands, only those are: other code spans are machine text (what
        an edit found, an option inside a sentence), which wraps like the words around it."""
        from awsmedic.kb.commands import spans

        markdown = self.clean(markdown)
        listed = {" ".join(command.split()) for command in commands}
        inline = [
            span
            for span in spans(markdown)
            if not span.fenced and (not listed or " ".join(span.code.split()) in listed)
        ]
        if not inline:
            return markdown, []
        printed = self._plain_lines(markdown)
        broken = [
            span
            for span in inline
            if not any(" ".join(span.code.split()) in line for line in printed)
        ]
        below = list(dict.fromkeys(" ".join(span.code.split()) for span in broken))
        for span in reversed(broken):
            start, end = span.start, span.end
            while start > 0 and markdown[start - 1] == "`":
                start -= 1
            while end < len(markdown) and markdown[end] == "`":
                end += 1
            which = below.index(" ".join(span.code.split()))
            markdown = markdown[:start] + _pointer(which, len(below)) + markdown[end:]
        return markdown, below

    def _plain_lines(self, markdown: str) -> list[str]:
        """`markdown` as `_markdown` would lay it out at this width, as plain lines."""
        import io

        from rich.console import Console
        from rich.markdown import Markdown

        out = io.StringIO()
        layout = Console(file=out, width=self.console.width, color_system=None, soft_wrap=False)
        layout.print(Markdown(markdown, hyperlinks=False, code_theme=_plain_code()))
        return [" ".join(line.split()) for line in out.getvalue().splitlines()]

    def not_checked(self, offline: tuple[str, ...]) -> None:
        """What could not be checked, and why: once, grouped by reason, never as evidence."""
        from awsmedic.core.unchecked import headlines, parts

        if not offline:
            return
        self.console.print()
        for headline in headlines(offline):
            self._text(f"Not checked: {headline}", "bold")
        for line in offline:
            what, _, detail = parts(line)
            self.hang("  –", f"{what}: {detail}" if detail else what, "dim")

    def summary(self, what: str, diagnosis: Diagnosis | None) -> None:
        """The case in one line: the cause, how sure, and the command to run first. Where the
        line is too long, the command goes on its own line(s), whole, to copy."""
        first = first_command(diagnosis) if diagnosis is not None else None
        if first is None:
            self._text(f"In short: {what}" + ("; see step 1" if diagnosis else ""), "bold")
        elif len(f"In short: {what}; first: {first}") <= self.console.width:
            self._text(f"In short: {what}; first: {first}", "bold")
        else:
            self._text(f"In short: {what}; first:", "bold")
            self.command(first)

    def command(self, command: str) -> None:
        """A command on lines of its own, broken only between words (with the shell's line
        continuation), so it copies whole and runs as printed."""
        from rich.text import Text

        from awsmedic.output.fold import fold

        room = max(20, self.console.width - len(COMMAND_INDENT))
        for line in fold(self.clean(command), room):
            self.console.print(Text(COMMAND_INDENT + line, style=CODE_STYLE), soft_wrap=True)

    def candidates(
        self,
        candidates: tuple[Candidate, ...],
        reason: str,
        offline: tuple[str, ...] = (),
        guess: Diagnosis | None = None,
    ) -> None:
        self.console.print()
        if not candidates:
            self._text(f"No cause could be singled out ({reason}).", "bold")
            self.not_checked(offline)
            return
        self._text(f"No single cause could be confirmed ({reason}). Most likely:", "bold")
        for candidate in candidates[:6]:
            self._text(f"  {candidate.score:3d}%  {candidate.title}")
        self.not_checked(offline)
        if guess is not None:
            self.console.print()
            self._text(f"Steps for the most likely, {guess.title}:", "bold")
            self.steps(guess.steps)
        self.console.print()
        best = candidates[0]
        self.summary(f"no single cause; most likely: {best.title} ({best.score}%)", guess)

    def no_match(self, lookalike: str | None = None, truncated: bool = False) -> None:
        """Nothing known matched; a very long paste says what of it was not read, and asks
        for the part around the error rather than the whole again."""
        if lookalike is not None:  # one line: what it is instead
            self._text(f"That looks like {lookalike}.")
        elif truncated:
            self._text(
                "No AWS credential or authentication error I know is in the part of this paste"
                " I read. Paste the error message with the lines around it, as the tool"
                " printed it."
            )
        else:
            self._text(
                "That does not look like an AWS credential or authentication error I know. "
                "Paste the whole error message, as the tool printed it."
            )
        if truncated:
            self.truncated()

    def outcome(self, outcome: Outcome) -> None:
        """Everything at once, for `diagnose` (the REPL shows events as they come instead)."""
        self.recognition(outcome.recognition)
        for evidence in outcome.probes:
            self.evidence(evidence)
        for question, answer in outcome.questions:
            self._text(f"  ? {question.text} → {answer or '(unanswered)'}")
        if outcome.diagnosis is not None:
            self.diagnosis(outcome.diagnosis, outcome.offline)
        else:
            reason = outcome.stalled or "not enough evidence"
            self.candidates(outcome.candidates, reason, outcome.offline, outcome.guess)
