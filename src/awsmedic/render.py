"""Terminal output with rich. Knowledge-base Markdown is rendered as Markdown; anything that came
from the user or this machine is printed as plain Text (markup off), after scrubbing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

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
from awsmedic.redact import SecretBook
from awsmedic.safetext import printable

if TYPE_CHECKING:
    from rich.console import Console

    from awsmedic.consult import Outcome

STATUS_MARK = {Status.OK: "✓", Status.PROBLEM: "✗", Status.SKIPPED: "–", Status.ERROR: "!"}
STATUS_STYLE = {
    Status.OK: "green",
    Status.PROBLEM: "red",
    Status.SKIPPED: "dim",
    Status.ERROR: "yellow",
}


def make_console(
    file: TextIO,
    *,
    no_color: bool,
    width: int | None = None,
    force_terminal: bool | None = None,
    environ: Mapping[str, str] | None = None,
) -> Console:
    """A console for `file`; `environ` (default: the process's) is what rich reads TERM,
    COLUMNS and the like from."""
    from rich.console import Console

    return Console(
        _environ=environ,
        file=file,
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
    """Shows events as they happen. Every string goes through the scrubber first."""

    def __init__(self, console: Console, book: SecretBook) -> None:
        self.console = console
        self.book = book

    def _text(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.console.print(Text(printable(self.book.scrub(text)), style=style))

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

    def recognition(self, recognition: Recognition) -> None:
        best = recognition.best
        if best is None:
            return
        tool = f", from {recognition.tool_title}" if recognition.tool_title else ""
        self._text(f"Recognised: {best.title} [{best.tree}{tool}]", "bold")
        if recognition.truncated:
            self._text("  (the paste was very long: only its beginning and end were read)", "dim")

    def evidence(self, evidence: Evidence) -> None:
        mark = STATUS_MARK[evidence.status]
        self._text(f"  {mark} {evidence.probe}: {evidence.summary}", STATUS_STYLE[evidence.status])

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
                self._text(f"  • {line}")
        self.console.print()
        self._text("Steps:", "bold")
        self._markdown(
            "\n".join(f"{n}. {_indent(step)}" for n, step in enumerate(diagnosis.steps, 1))
        )

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


def _indent(step: str) -> str:
    return step.replace("\n", "\n   ")
