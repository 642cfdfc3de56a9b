"""Terminal output with rich. Knowledge-base Markdown is rendered as Markdown; anything that came
from the user or this machine is printed as plain Text (markup off), after scrubbing."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from awsmedic.model import (
    Answered,
    Candidate,
    Concluded,
    Diagnosis,
    Event,
    Evidence,
    Matched,
    Recognition,
    Stalled,
    Status,
    WentBack,
)
from awsmedic.safety.redact import SecretBook
from awsmedic.safety.safetext import is_printable, printable, unfiltered

if TYPE_CHECKING:
    from rich.console import Console
    from rich.segment import Segment

    from awsmedic.core.consult import Outcome

COMMAND_INDENT = "     "


def commands_in(step: str) -> list[str]:
    """The commands a step's Markdown shows in code spans (not in fenced blocks, which are
    shown as code blocks already), in order, once each."""
    from awsmedic.kb.commands import spans

    found = [" ".join(span.code.split()) for span in spans(step) if not span.fenced]
    return list(dict.fromkeys(found))


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
    return _safe_console()(
        _environ=environ,
        file=unfiltered(file),
        no_color=no_color,
        color_system=None if no_color else "auto",
        highlight=False,
        emoji=False,
        markup=False,
        width=width,
        force_terminal=force_terminal,
        soft_wrap=False,
    )


class Printer:
    """Shows events as they happen. Every string goes through the scrubber first, and the
    console filters everything it renders for the terminal (`make_console`)."""

    def __init__(self, console: Console, book: SecretBook) -> None:
        self.console = console
        self.book = book

    def _text(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.console.print(Text(self.book.scrub(text), style=style))

    def _markdown(self, text: str) -> None:
        from rich.markdown import Markdown

        self.console.print(Markdown(self.book.scrub(text), hyperlinks=False))

    def event(self, event: Event) -> None:
        if isinstance(event, Matched):
            self.recognition(event.recognition)
        elif isinstance(event, Answered) and event.how.startswith("settled:"):
            self._text(f"  {event.question}: {event.answer} (settled by {event.how[8:]})", "dim")
        elif isinstance(event, Concluded):
            self.diagnosis(event.diagnosis)
        elif isinstance(event, Stalled):
            self.candidates(event.candidates, event.reason)
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
        grid.add_row(Text(prefix, style=style), Text(self.book.scrub(text), style=style))
        self.console.print(grid)

    def recognition(self, recognition: Recognition) -> None:
        best = recognition.best
        if best is None:
            return
        self._text(f"Recognised: {best.title}", "bold")
        parts = [f"error family {best.tree}"]
        if recognition.codes:
            parts.append(f"code {recognition.codes[0]}")
        parts.append(f"printed by {recognition.tool_title or 'an unknown tool'}")
        self.hang(" ", ", ".join(parts), "dim")
        if recognition.truncated:
            self._text("  (a very long paste: only its beginning and end were read)", "dim")

    def evidence(self, evidence: Evidence) -> None:
        mark = STATUS_MARK[evidence.status]
        line = f"{probe_title(evidence.probe)}: {evidence.summary}"
        self.hang(f"  {mark}", line, STATUS_STYLE[evidence.status])

    def diagnosis(self, diagnosis: Diagnosis) -> None:
        from rich.rule import Rule

        self.console.print()
        self.console.print(Rule(style="dim"))
        self._text(
            f"Cause: {diagnosis.title}  [{diagnosis.cause}, {diagnosis.confidence.value}]", "bold"
        )
        self.console.print()
        self._markdown(diagnosis.why)
        if diagnosis.evidence:
            self.console.print()
            self._text("Evidence:", "bold")
            for line in diagnosis.evidence:
                self.hang("  •", line)
        self.console.print()
        self._text("Steps:", "bold")
        for number, step in enumerate(diagnosis.steps, 1):
            self._markdown(f"{number}. " + step.text.replace("\n", "\n   "))
            for command in commands_in(step.text):
                self.command(command)

    def command(self, command: str) -> None:
        """A command on a line of its own, never wrapped by us, so it copies whole."""
        from rich.text import Text

        text = Text(COMMAND_INDENT + self.book.scrub(command), style="bold cyan")
        self.console.print(text, soft_wrap=True)

    def candidates(self, candidates: tuple[Candidate, ...], reason: str) -> None:
        self.console.print()
        if not candidates:
            self._text(f"No cause could be singled out ({reason}).", "bold")
            return
        self._text(f"No single cause could be confirmed ({reason}). Most likely:", "bold")
        for candidate in candidates[:6]:
            self._text(f"  {candidate.score:3d}%  {candidate.title} [{candidate.cause}]")

    def no_match(self) -> None:
        self._text(
            "That does not look like an AWS credential or authentication error I know. "
            "Paste the whole error message, as the tool printed it."
        )

    def outcome(self, outcome: Outcome) -> None:
        """Everything at once, for `diagnose` (the REPL shows events as they come instead)."""
        self.recognition(outcome.recognition)
        for evidence in outcome.probes:
            self.evidence(evidence)
        for question, answer in outcome.questions:
            self._text(f"  ? {question.text} → {answer or '(unanswered)'}")
        if outcome.diagnosis is not None:
            self.diagnosis(outcome.diagnosis)
        else:
            self.candidates(outcome.candidates, outcome.stalled or "not enough evidence")
