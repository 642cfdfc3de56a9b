"""/why and /probes: the reasoning behind a case, and every probe result in detail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from awsmedic.core import engine
from awsmedic.kb.model import DEFAULT, QuestionNode
from awsmedic.model import Event, Evidence
from awsmedic.output.export.story import Hop, answer_origin, cases
from awsmedic.output.render import STATUS_MARK, probe_title
from awsmedic.repl.view import ReplPrinter


def _question_text(state: engine.Dialogue, hop: Hop) -> str:
    """A question's words: a question settled by a finding was never asked, and its hop holds
    only its id."""
    node = state.tree.nodes.get(hop.node)
    return node.text if isinstance(node, QuestionNode) else hop.label


def hop_line(state: engine.Dialogue, hop: Hop, finished: bool) -> str:
    """One node of the path and what chose the way on: the finding, signal or answer."""
    if hop.kind == "probe":
        way = f" → {hop.via}" if hop.via else ""
        return f"check {probe_title(hop.ref)}: {hop.label}{way}"
    if hop.kind == "text":
        if not hop.via or hop.via == DEFAULT:
            return "the error text: nothing that decides here → default"
        return engine.signal_line(state, hop.via)
    if hop.kind == "question":
        text = _question_text(state, hop)
        if not hop.via:
            return f"asked: {text} → {'(unanswered)' if finished else '(waiting for your answer)'}"
        return f"asked: {text} → {hop.via} ({answer_origin(hop.status)})"
    if hop.kind == "cause":
        return f"cause: {hop.label} ({hop.status})"
    return f"stopped: {hop.label}"


def path_lines(state: engine.Dialogue, events: Sequence[Event]) -> list[str]:
    """One line per node the walk went through, saying what decided the way on. Read from the
    session's events as the exports read them, so /why and an export tell the same path."""
    found = cases(events)
    path = found[-1].path if found else []
    lines = [hop_line(state, hop, state.finished) for hop in path]
    waiting = state.waiting
    if isinstance(waiting, engine.NeedProbe) and (not path or path[-1].node != waiting.node):
        lines.append(f"check {probe_title(waiting.probe)}: not finished")
    return [f"{number}. {line}" for number, line in enumerate(lines, 1)]


def show_why(printer: ReplPrinter, state: engine.Dialogue | None, events: Sequence[Event]) -> None:
    if state is None:
        printer.say("Nothing to explain yet: paste an AWS error first.")
        return
    printer.say(f"Path through the decision tree for “{state.tree.title}”:", "bold")
    for line in path_lines(state, events):
        number, _, text = line.partition(" ")
        printer.hang(f"  {number}", text)
    evidence = engine.evidence_lines(state)
    if evidence:
        printer.say("Evidence:", "bold")
        for line in evidence:
            printer.hang("  •", line)
    if not state.finished:
        printer.say("Still possible:", "bold")
        for candidate in engine.candidates(state)[:5]:
            printer.say(f"  {candidate.score:3d}%  {candidate.title}")


def show_probes(
    printer: ReplPrinter, results: list[Evidence], used: Mapping[str, Evidence]
) -> None:
    if not results:
        printer.say("No check has run yet: paste an AWS error first.")
        return
    for evidence in results:
        printer.say("")
        mark = STATUS_MARK[evidence.status]
        unused = "" if evidence.probe in used else ", not needed for this case"
        printer.say(
            f"{mark} {probe_title(evidence.probe)} ({evidence.probe}): "
            f"{evidence.status.value}, {evidence.elapsed_ms} ms{unused}",
            "bold",
        )
        printer.say(f"  {evidence.summary}")
        if evidence.findings:
            printer.say(f"  findings: {', '.join(evidence.findings)}")
        for name, fact in evidence.facts.items():
            printer.say(f"  {name}: {fact.describe()}")
        for detail in evidence.details:
            printer.say(f"  {detail}")
