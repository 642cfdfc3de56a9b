"""/why and /probes: the reasoning behind a case, and every probe result in detail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from awsmedic.core import engine
from awsmedic.kb.model import CauseNode, Node, ProbeNode, QuestionNode, TextNode
from awsmedic.model import Answered, Evidence
from awsmedic.output.render import STATUS_MARK, probe_title
from awsmedic.repl.view import ReplPrinter


def _branch(node: ProbeNode | TextNode, following: str | None) -> str:
    """Which finding or signal took the walk from `node` to the node that followed it."""
    keys = [key for key, target in node.next if target == following]
    return keys[0] if keys else ""


def _how_answered(events: Sequence[object]) -> dict[str, str]:
    how: dict[str, str] = {}
    for event in events:
        if isinstance(event, Answered):
            how[event.node] = event.how
    return how


def path_lines(state: engine.Dialogue, how: Mapping[str, str]) -> list[str]:
    """One line per node the walk went through, saying what decided the way on."""
    lines = []
    path = state.path
    for index, node_id in enumerate(path):
        following = path[index + 1] if index + 1 < len(path) else None
        lines.append(f"{index + 1}. {_describe(state, state.tree.nodes[node_id], following, how)}")
    return lines


def _describe(
    state: engine.Dialogue, node: Node, following: str | None, how: Mapping[str, str]
) -> str:
    if isinstance(node, ProbeNode):
        evidence = state.evidence.get(node.probe)
        if evidence is None:
            return f"check {probe_title(node.probe)}: not finished"
        branch = _branch(node, following)
        way = f" → {branch}" if branch else ""
        return f"check {probe_title(node.probe)}: {evidence.summary}{way}"
    if isinstance(node, TextNode):
        return f"the error text → {_branch(node, following) or 'default'}"
    if isinstance(node, QuestionNode):
        answer = state.answers.get(node.question)
        if answer is None:
            return f"asked: {node.text} → (waiting for your answer)"
        source = how.get(node.id, "user")
        by = "you" if source == "user" else source.replace("settled:", "settled by finding ")
        return f"asked: {node.text} → {answer} ({by})"
    assert isinstance(node, CauseNode)
    return f"cause: {node.cause} ({node.confidence.value})"


def show_why(printer: ReplPrinter, state: engine.Dialogue | None, events: Sequence[object]) -> None:
    if state is None:
        printer.say("Nothing to explain yet: paste an AWS error first.")
        return
    printer.say(f"Path through the {state.tree.id} tree:", "bold")
    for line in path_lines(state, _how_answered(events)):
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
            printer.say(f"  {candidate.score:3d}%  {candidate.title} [{candidate.cause}]")


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
