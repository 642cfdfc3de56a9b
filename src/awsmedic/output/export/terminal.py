"""`awsmedic show`: a saved transcript in the terminal, told the way the live session was.

The transcript arrives already re-redacted (`Transcript.redacted` with this process's book) and
made printable; `render.Printer` scrubs once more and prints user text as plain Text.
"""

from __future__ import annotations

from awsmedic.core.transcript import Transcript
from awsmedic.model import (
    Answered,
    Asked,
    Event,
    Pasted,
    Probed,
    Restarted,
    WentBack,
)
from awsmedic.output.export.story import Case, answer_origin, cases
from awsmedic.output.render import Printer


def _header(printer: Printer, transcript: Transcript) -> None:
    meta = transcript.meta
    started = meta.started.isoformat(timespec="seconds") if meta.started else "unknown time"
    printer._text(f"awsmedic transcript, started {started}", "bold")
    printer._text(
        f"written by awsmedic {meta.tool_version} · botocore {meta.botocore or 'unknown'} · "
        f"Python {meta.python} · {meta.platform}",
        "dim",
    )


def _event(printer: Printer, event: Event) -> None:
    at = f"{event.at:%H:%M:%S}  "
    if isinstance(event, Probed):
        printer.evidence(event.evidence)
        e = event.evidence
        if e.findings:
            printer._text(f"      findings: {', '.join(e.findings)}", "dim")
        for name, fact in e.facts.items():
            printer._text(f"      {name}: {fact.describe()}", "dim")
        for line in e.details:
            printer._text(f"      {line}", "dim")
    elif isinstance(event, Asked):
        printer._text(f"{at}? {event.question.text}")
    elif isinstance(event, Answered):
        printer._text(f"{at}→ {event.answer} ({answer_origin(event.how)})")
    elif isinstance(event, WentBack):
        printer._text(f"{at}↩ went back to {event.to_node}", "dim")
    elif isinstance(event, Restarted):
        printer._text(f"{at}(restarted)", "dim")


def _case(printer: Printer, case: Case) -> None:
    if case.pasted is not None:
        printer._text(f"{case.pasted.at:%H:%M:%S}  The error:", "bold")
        for line in case.pasted.text.rstrip("\n").split("\n"):
            printer._text(f"  │ {line}")
    if case.matched is not None:
        if case.matched.recognition.best is None:
            recognition = case.matched.recognition
            printer.no_match(recognition.lookalike, recognition.truncated)
        else:
            printer.recognition(case.matched.recognition)
    for event in case.events:
        if not isinstance(event, Pasted):
            _event(printer, event)
    if case.path:
        nodes = ("(stopped)" if hop.kind == "stop" else hop.node for hop in case.path)
        printer._text("Path: " + " → ".join(nodes), "dim")
    if case.concluded is not None:
        printer.diagnosis(case.concluded.diagnosis, case.concluded.offline)
    elif case.stalled is not None:
        stalled = case.stalled
        printer.candidates(stalled.candidates, stalled.reason, stalled.offline, stalled.guess)


def show_transcript(printer: Printer, transcript: Transcript, skipped: list[str]) -> None:
    """Print every case of a (redacted) transcript."""
    from rich.rule import Rule

    _header(printer, transcript)
    found = cases(transcript.events)
    for case in found:
        printer.console.print()
        if len(found) > 1:
            printer.console.print(Rule(f"Case {case.number}", style="dim"))
        _case(printer, case)
    if skipped:
        kinds = ", ".join(sorted(set(skipped)))
        printer.console.print()
        printer._text(
            f"({len(skipped)} event(s) from a newer awsmedic were not shown: {kinds})", "dim"
        )
