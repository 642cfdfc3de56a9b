"""The event log read as a story: cases (split at /restart and at each new paste), and the path
each case took through its tree once /back is taken into account. Every exporter and `show`
tell the same story, so they all use this.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from awsmedic.model import (
    Answered,
    Asked,
    Branched,
    Concluded,
    Event,
    Evidence,
    Matched,
    Pasted,
    Probed,
    Restarted,
    Stalled,
    TreeMatch,
    WentBack,
)


@dataclass
class Hop:
    """One node on the path through a tree, and the branch taken out of it."""

    node: str
    kind: str  # "text", "probe", "question", "cause" or "stop"
    ref: str  # the stable id behind it: probe id, question id, cause id
    label: str  # what it is, for a reader
    at: datetime
    status: str = ""  # probe status, answer origin, cause confidence
    via: str = ""  # the finding, signal or answer that led on


@dataclass
class Case:
    number: int
    events: list[Event] = field(default_factory=list)
    pasted: Pasted | None = None
    matched: Matched | None = None
    path: list[Hop] = field(default_factory=list)
    concluded: Concluded | None = None
    stalled: Stalled | None = None
    restarted: bool = False
    #: The latest result of each probe: a later node may branch on it again.
    evidence: dict[str, Evidence] = field(default_factory=dict)

    @property
    def tree(self) -> str | None:
        best = self.matched.recognition.best if self.matched else None
        return best.tree if best else None


def cases(events: Iterable[Event]) -> list[Case]:
    """Split the log into cases: a paste after a paste, or anything after /restart, starts one."""
    found: list[Case] = []
    case = Case(1)
    for event in events:
        if case.events and (case.restarted or (isinstance(event, Pasted) and case.pasted)):
            found.append(case)
            case = Case(case.number + 1)
        case.events.append(event)
        _follow(case, event)
    if case.events or not found:
        found.append(case)
    return found


def _last(case: Case, node: str) -> Hop | None:
    return case.path[-1] if case.path and case.path[-1].node == node else None


def _follow(case: Case, event: Event) -> None:
    if isinstance(event, Pasted):
        case.pasted = event
    elif isinstance(event, Matched):
        case.matched = event
    elif isinstance(event, Probed):
        e = case.evidence[event.evidence.probe] = event.evidence
        case.path.append(Hop(event.node, "probe", e.probe, e.summary, event.at, e.status.value))
    elif isinstance(event, Branched):
        hop = _last(case, event.node)
        if hop is None:
            hop = _unprobed(case, event)
            case.path.append(hop)
        hop.via = event.on
    elif isinstance(event, Asked):
        q = event.question
        case.path.append(Hop(event.node, "question", q.id, q.text, event.at))
    elif isinstance(event, Answered):
        _answered(case, event)
    elif isinstance(event, WentBack):
        _went_back(case, event.to_node)
    else:
        _ended(case, event)


def _unprobed(case: Case, event: Branched) -> Hop:
    """The hop of a node that branched without a probe event of its own: a text node (it reads
    the paste), or a probe node deciding on a result an earlier node already had."""
    e = case.evidence.get(event.probe) if event.probe else None
    if e is None:
        return Hop(event.node, "text", event.node, "the error text", event.at)
    return Hop(event.node, "probe", e.probe, e.summary, event.at, e.status.value)


def _answered(case: Case, event: Answered) -> None:
    hop = _last(case, event.node)
    if hop is None:  # settled by a finding or --answer: it was never asked
        hop = Hop(event.node, "question", event.question, event.question, event.at)
        case.path.append(hop)
    hop.via, hop.status = event.answer, event.how


def _went_back(case: Case, node: str) -> None:
    for index in range(len(case.path) - 1, -1, -1):
        if case.path[index].node == node:
            del case.path[index + 1 :]
            case.path[index].via = case.path[index].status = ""
            break
    case.concluded = case.stalled = None


def _ended(case: Case, event: Event) -> None:
    if isinstance(event, Concluded):
        d = event.diagnosis
        hop = Hop(event.node, "cause", d.cause, d.title, event.at, d.confidence.value)
        case.path.append(hop)
        case.concluded, case.stalled = event, None
    elif isinstance(event, Stalled):
        case.path.append(Hop(event.node, "stop", event.node, event.reason, event.at))
        case.stalled, case.concluded = event, None
    elif isinstance(event, Restarted):
        case.restarted = True


ANSWER_ORIGIN = {"user": "your answer", "--answer": "given with --answer"}


def answer_origin(how: str) -> str:
    """Who answered a question, for a reader: the user, --answer, or a probe's finding."""
    if how.startswith("settled:"):
        return f"settled by the finding {how.removeprefix('settled:')}"
    return ANSWER_ORIGIN.get(how, how)


def line_count(text: str) -> str:
    lines = len(text.rstrip("\n").split("\n"))
    return f"{lines} line{'s' if lines != 1 else ''}"


def redaction_note(redaction: tuple[str, ...]) -> str:
    """What a redacted view masked, for the header of an export."""
    masked = ["secret keys and session tokens removed", "access key ids masked"]
    if "identity" in redaction:
        masked.append("account ids, ARNs, user names and home paths masked")
    return "; ".join(masked)


def recognised_how(match: TreeMatch) -> str:
    """How a tree was chosen, in words: "its error code", "its wording (85%)", ..."""
    if match.how == "code":
        return "its error code"
    if match.how == "topic":
        return "its subject (no known error matched, so the set-up is checked)"
    return f"its wording ({match.score}%)"
