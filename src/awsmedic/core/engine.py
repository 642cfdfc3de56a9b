"""The decision-tree walk as a pure state machine: `advance(state, command) -> (state, outputs)`.

No I/O happens here. When the walk needs a probe result or an answer, `advance` says so
(`NeedProbe`, `NeedAnswer`) and waits for the driver to send it back. That keeps the walk
testable step by step and lets the REPL, `diagnose` and the tests drive it the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from awsmedic.core.remedy import diagnose, merge_facts
from awsmedic.core.situation import Situation, situation_for
from awsmedic.kb.model import (
    DEFAULT,
    DEFAULT_PRIOR,
    Cause,
    CauseNode,
    Knowledge,
    Node,
    ProbeNode,
    QuestionNode,
    TextNode,
    Tree,
    targets,
)
from awsmedic.model import (
    Answered,
    Asked,
    Branched,
    Candidate,
    Concluded,
    Confidence,
    Diagnosis,
    Event,
    Evidence,
    Fact,
    Probed,
    Question,
    Record,
    Stalled,
    Status,
)

#: Text signals named after an error code: `code:InvalidClientTokenId` (core.match).
CODE_SIGNAL_PREFIX = "code:"
#: The longest quote of the paste an evidence line shows.
SIGNAL_WORDS = 60
#: How many candidates a list the wording cut short is filled up to (with causes only the
#: wording ruled out): as many as a diagnosis shows.
ROOM = 5
CONFIDENCE_SCORE = {Confidence.CONFIRMED: 95, Confidence.LIKELY: 75, Confidence.POSSIBLE: 50}
#: The probe that tells the installed AWS CLI's major version.
CLI_PROBE = "cli.version"
#: What a walk that stops at an open question runs instead of a step probe: the same answer
#: where it costs nothing to learn (the CLI's version as its installation names it), none
#: (`cli-unknown`) where only starting the CLI would tell. A conclusion pays for the real one.
STALL_PROBES = {CLI_PROBE: "cli.installed"}
#: The cause a tree names where nothing it knows fits (knowledge/causes/unknown.md).
UNKNOWN = "unknown"
#: How `unknown` reads in a list of candidates, under "No single cause could be confirmed":
#: its title says that of a diagnosis, and a list would say it of one of its own lines.
UNKNOWN_LISTED = "Something else than these"


# Commands the driver sends -------------------------------------------------------------------
@dataclass(frozen=True, repr=False, eq=False)
class Start(Record):
    """Start the walk at the tree's first node."""


@dataclass(frozen=True, repr=False, eq=False)
class ProbeResult(Record):
    """The evidence of the probe the walk waited for."""

    evidence: Evidence


@dataclass(frozen=True, repr=False, eq=False)
class Answer(Record):
    """The answer to the question the walk waited for."""

    question: str
    answer: str


@dataclass(frozen=True, repr=False, eq=False)
class Decline(Record):
    """No answer will come (--no-input, or the user skipped): stop here with candidates."""

    question: str


Command = Start | ProbeResult | Answer | Decline


# What the walk asks of the driver -------------------------------------------------------------
@dataclass(frozen=True, repr=False, eq=False)
class NeedProbe(Record):
    """The walk waits for a probe's evidence."""

    node: str
    probe: str


@dataclass(frozen=True, repr=False, eq=False)
class NeedAnswer(Record):
    """The walk waits for an answer to a question."""

    node: str
    question: Question


Output = Event | NeedProbe | NeedAnswer


@dataclass(frozen=True, repr=False, eq=False)
class Rival(Record):
    """Another family the paste may belong to, beside the walked tree: its causes join the
    candidates, its share of them weighted by how well the paste matched it (0-1, the walked
    tree weighs 1). A paste often fits two families nearly as well, and a fallback walk has
    only the closest families to say what the text is about."""

    tree: Tree
    weight: float


@dataclass(frozen=True, repr=False, eq=False)
class Dialogue(Record):
    """The state of one walk: what is known (text, evidence, answers) and where it stands."""

    knowledge: Knowledge
    tree: Tree
    text: str
    signals: frozenset[str]
    text_facts: Mapping[str, Fact]
    clock: datetime  # when the last command arrived: the time stamp of the events it causes
    probes_enabled: bool = True
    node: str = ""
    path: tuple[str, ...] = ()
    evidence: Mapping[str, Evidence] = field(default_factory=dict)
    answers: Mapping[str, str] = field(default_factory=dict)
    base_facts: Mapping[str, Fact] = field(default_factory=dict)  # known without probes
    preset: Mapping[str, str] = field(default_factory=dict)  # --answer
    tool: str | None = None  # the tool that printed the error, if recognised
    #: Findings known without a probe (steps.CONTEXT_FINDINGS that hold).
    base_findings: frozenset[str] = frozenset()
    #: Other families the paste may belong to (core.match.rivals), for the candidates.
    rivals: tuple[Rival, ...] = ()
    finished: bool = False
    waiting: NeedProbe | NeedAnswer | None = None
    #: Why the walk stops without a conclusion, while the probes its best guess's steps depend
    #: on run first (`_guess_probes`): "" while it walks.
    stalling: str = ""

    def known(self) -> frozenset[str]:
        """Every finding and text signal known so far."""
        found = {f for e in self.evidence.values() for f in e.findings}
        return frozenset(found) | self.signals | self.base_findings


def new_dialogue(
    knowledge: Knowledge,
    tree: Tree,
    text: str,
    signals: frozenset[str],
    text_facts: Mapping[str, Fact],
    clock: datetime,
    *,
    probes_enabled: bool = True,
    preset: Mapping[str, str] | None = None,
    base_facts: Mapping[str, Fact] | None = None,
    tool: str | None = None,
    base_findings: frozenset[str] = frozenset(),
    rivals: tuple[Rival, ...] = (),
) -> Dialogue:
    return Dialogue(
        knowledge,
        tree,
        text,
        signals,
        text_facts,
        clock,
        probes_enabled,
        node=tree.start,
        base_facts=dict(base_facts or {}),
        preset=dict(preset or {}),
        tool=tool,
        base_findings=base_findings,
        rivals=rivals,
    )


def choose_probe(node: ProbeNode, evidence: Evidence) -> tuple[str, str] | None:
    """The branch a probe result takes, as (key, target); None when it cannot decide."""
    for key, target in node.next:
        if key in evidence.findings or key == evidence.status.value:
            return key, target
    if evidence.status in (Status.SKIPPED, Status.ERROR):
        # A probe that could not run says nothing about the default branch; but where every
        # branch leads to the same node, what it would have said changes nothing: go on.
        ways = {target for _, target in node.next}
        return (evidence.status.value, ways.pop()) if len(ways) == 1 else None
    return DEFAULT, dict(node.next)[DEFAULT]


def choose_text(node: TextNode, signals: frozenset[str]) -> tuple[str, str]:
    """The branch a text node takes, as (signal or "default", target)."""
    for key, target in node.next:
        if key in signals:
            return key, target
    return DEFAULT, dict(node.next)[DEFAULT]


def taken(state: Dialogue, node_id: str) -> tuple[str, str] | None:
    """The branch the walk took (or will take) out of a node of its path: (key, target) for a
    probe or text node (the finding, status or signal that chose it), (answer, target) for an
    answered question; None where nothing has decided yet."""
    node = state.tree.nodes[node_id]
    if isinstance(node, ProbeNode):
        evidence = state.evidence.get(node.probe)
        return choose_probe(node, evidence) if evidence is not None else None
    if isinstance(node, TextNode):
        return choose_text(node, state.signals)
    if isinstance(node, QuestionNode):
        answer = state.answers.get(node.question)
        target = node.target(answer) if answer is not None else None
        return (answer, target) if answer is not None and target is not None else None
    return None


def _settled(node: QuestionNode, known: frozenset[str]) -> tuple[str, str] | None:
    for finding, answer in node.settled_by:
        if finding in known:
            return finding, answer
    return None


def advance(state: Dialogue, command: Command, now: datetime) -> tuple[Dialogue, list[Output]]:
    state = replace(state, clock=now)
    at = now
    out: list[Output] = []
    if isinstance(command, ProbeResult):
        waiting = state.waiting
        evidence = dict(state.evidence)
        evidence[command.evidence.probe] = command.evidence
        node_id = waiting.node if isinstance(waiting, NeedProbe) else state.node
        out.append(Probed(at, node_id, command.evidence))
        state = replace(state, evidence=evidence, waiting=None)
        if state.stalling:
            return _stall(state, state.stalling, out)
    elif isinstance(command, Answer):
        node = state.tree.nodes.get(state.node)
        if not isinstance(node, QuestionNode) or node.target(command.answer) is None:
            return state, []  # not a valid answer here: the driver re-asks
        out.append(Answered(at, node.id, node.question, command.answer))
        answers = {**state.answers, node.question: command.answer}
        state = replace(state, answers=answers, waiting=None)
    elif isinstance(command, Decline):
        state = replace(state, waiting=None)
        return _stall(state, "a question was left unanswered", out)
    return _walk(state, out)


def _walk(state: Dialogue, out: list[Output]) -> tuple[Dialogue, list[Output]]:
    at = state.clock
    while not state.finished:
        node = state.tree.nodes[state.node]
        if not state.path or state.path[-1] != node.id:
            state = replace(state, path=(*state.path, node.id))
        if isinstance(node, CauseNode):
            need = _step_probe(state, node)
            if need is not None:
                out.append(need)
                return replace(state, waiting=need), out
            return _conclude(state, node, out)
        if isinstance(node, TextNode):
            key, target = choose_text(node, state.signals)
            out.append(Branched(at, node.id, key, target))
            state = replace(state, node=target)
            continue
        if isinstance(node, ProbeNode):
            evidence = state.evidence.get(node.probe)
            if evidence is None:
                if not state.probes_enabled:
                    return _stall(state, "probes are off (--no-probes)", out)
                need = NeedProbe(node.id, node.probe)
                out.append(need)
                return replace(state, waiting=need), out
            choice = choose_probe(node, evidence)
            if choice is None:
                return _stall(state, _undecided(node, evidence), out)
            out.append(Branched(at, node.id, *choice, probe=node.probe))
            state = replace(state, node=choice[1])
            continue
        answer, how = _known_answer(state, node)
        if answer is None:
            question = Question(node.question, node.text, node.choices)
            need_answer = NeedAnswer(node.id, question)
            out.extend([Asked(at, node.id, question), need_answer])
            return replace(state, waiting=need_answer), out
        if node.question not in state.answers:
            out.append(Answered(at, node.id, node.question, answer, how))
            state = replace(state, answers={**state.answers, node.question: answer})
        state = replace(state, node=node.target(answer) or state.node)
    return state, out


def _known_answer(state: Dialogue, node: QuestionNode) -> tuple[str | None, str]:
    if node.question in state.answers:
        return state.answers[node.question], "user"
    settled = _settled(node, state.known())
    if settled is not None:
        return settled[1], f"settled:{settled[0]}"
    preset = state.preset.get(node.question)
    if preset is not None and node.target(preset) is not None:
        return preset, "--answer"
    return None, ""


def step_probes(cause: Cause) -> tuple[str, ...]:
    """The probes a cause's steps depend on: the installed AWS CLI's version, only when a step
    differs by it (`check` runs the same before it shows a step)."""
    return (CLI_PROBE,) if "cli" in cause.condition_kinds() else ()


def _step_probe(state: Dialogue, node: CauseNode) -> NeedProbe | None:
    """The probe the cause's steps depend on that has not run yet."""
    if not state.probes_enabled:
        return None
    needed = step_probes(state.knowledge.causes[node.cause])
    missing = [probe_id for probe_id in needed if probe_id not in state.evidence]
    return NeedProbe(node.id, missing[0]) if missing else None


def _step_signals(state: Dialogue, cause: Cause) -> frozenset[str]:
    """The text signals the cause's step conditions name, looked for in the paste now: matching
    looks only for those its trees branch on, and a signal not looked for would read as absent."""
    named = {
        atom.name
        for atom in cause.condition_atoms()
        if atom.kind == "finding" and atom.name in state.knowledge.signals
    }
    return frozenset(
        name
        for name in named - state.signals
        if any(pattern.search(state.text) for pattern in state.knowledge.signals[name])
    )


def situation(state: Dialogue, facts: Mapping[str, Fact], cause: Cause | None = None) -> Situation:
    """What the steps of a cause may depend on, from everything the walk learned."""
    found = _step_signals(state, cause) if cause is not None else frozenset()
    return situation_for(
        state.evidence.values(),
        facts,
        signals=state.signals | state.base_findings | found,
        all_signals=frozenset(state.knowledge.signals),
        tool=state.tool,
        answers=state.answers,
        context=bool(state.base_facts),
    )


def _undecided(node: ProbeNode, evidence: Evidence) -> str:
    """Why a probe node could not choose its way, for the user (no internal ids)."""
    from awsmedic.core.unchecked import title

    if evidence.unchecked is not None:
        return f"the check “{title(node.probe)}” could not be made"
    return f"the check “{title(node.probe)}” gave no usable answer: {evidence.summary}"


def _diagnosis(state: Dialogue, cause_id: str, confidence: Confidence) -> Diagnosis:
    cause = state.knowledge.causes[cause_id]
    facts = merge_facts(state.text_facts, state.evidence.values(), state.base_facts, state.text)
    return diagnose(cause, confidence, evidence_lines(state), facts, situation(state, facts, cause))


def offline(state: Dialogue) -> tuple[str, ...]:
    """What the walk's path could not check, and why (CONTRACT.md `offline`)."""
    from awsmedic.core.unchecked import offline_lines

    on_path = [
        state.evidence[node.probe]
        for node in (state.tree.nodes[node_id] for node_id in state.path)
        if isinstance(node, ProbeNode) and node.probe in state.evidence
    ]
    return offline_lines(on_path)


def _conclude(state: Dialogue, node: CauseNode, out: list[Output]) -> tuple[Dialogue, list[Output]]:
    diagnosis = _diagnosis(state, node.cause, node.confidence)
    lead = Candidate(diagnosis.cause, diagnosis.title, CONFIDENCE_SCORE[node.confidence])
    # Then what only the wording ruled out (text routing is no evidence), at 0%.
    others = _worded_away_candidates(state, {node.cause}, ROOM - 1)
    out.append(Concluded(state.clock, node.id, diagnosis, (lead, *others), offline(state)))
    return replace(state, finished=True), out


def _stall(state: Dialogue, reason: str, out: list[Output]) -> tuple[Dialogue, list[Output]]:
    ranked = candidates(state)
    if ranked and state.probes_enabled:
        # The best guess's steps differ by what probes tell (the installed CLI's version, the
        # checks between the open question and the guess): run those that are cheap first, so
        # its steps are not shown for every case at once.
        missing = _guess_probes(state, ranked[0].cause)
        if missing:
            need = NeedProbe(state.node, missing[0])
            out.append(need)
            return replace(state, waiting=need, stalling=reason), out
    # The best guess comes with its steps: a user who skipped a question still gets a way on.
    guess = _diagnosis(state, ranked[0].cause, Confidence.POSSIBLE) if ranked else None
    out.append(Stalled(state.clock, state.node, reason, ranked, offline(state), guess))
    return replace(state, finished=True), out


def _guess_probes(state: Dialogue, cause: str) -> list[str]:
    """The probes a walk left at an open question runs before it shows its best guess: the one
    its steps depend on (as its cheap stand-in, STALL_PROBES), and the local checks on the way
    from the open question to the guess's conclusion that report a finding its steps are
    conditioned on, which a conclusion there would have run; none that uses the network or
    needs consent, none twice."""
    from awsmedic.probes import spec

    guess = state.knowledge.causes[cause]
    wanted = [STALL_PROBES.get(p, p) for p in step_probes(guess)]
    # Of the checks on the way, those that tell something its steps are conditioned on: a
    # look-ahead is for the steps, and some checks cost (a 10 MB file read line by line).
    named = {atom.name for atom in guess.condition_atoms() if atom.kind == "finding"}
    toward = _probes_toward(state.tree, state.node, cause)
    wanted += [p for p in toward if (found := spec(p)) is not None and named & set(found.findings)]
    ran = set(state.evidence)
    missing: list[str] = []
    for probe_id in dict.fromkeys(wanted):
        found = spec(probe_id)
        if probe_id in ran or found is None or found.network or not found.prefetch:
            continue
        if any(STALL_PROBES.get(other) == probe_id for other in ran):
            continue  # the real one ran: its stand-in adds nothing
        missing.append(probe_id)
    return missing


def _probes_toward(tree: Tree, start: str, cause: str) -> list[str]:
    """The probes of the nodes after `start` from which a conclusion of `cause` is reachable,
    nearest first."""
    leads: dict[str, bool] = {}

    def leads_to(node_id: str) -> bool:
        if node_id not in leads:
            leads[node_id] = False  # a node under way leads nowhere new (trees have no cycles)
            node = tree.nodes.get(node_id)
            if isinstance(node, CauseNode):
                leads[node_id] = node.cause == cause
            elif node is not None:
                leads[node_id] = any([leads_to(target) for target in targets(node)])
        return leads[node_id]

    after = list(targets(tree.nodes[start])) if start in tree.nodes else []
    return [
        node.probe
        for node in _nearest_first(tree, after)
        if isinstance(node, ProbeNode) and leads_to(node.id)
    ]


def evidence_lines(state: Dialogue) -> list[str]:
    """Why the walk went where it went: decisive probe results, text signals, answers."""
    lines: list[str] = []
    for node_id in state.path:
        node = state.tree.nodes[node_id]
        if isinstance(node, ProbeNode) and node.probe in state.evidence:
            evidence = state.evidence[node.probe]
            choice = choose_probe(node, evidence)
            # Only a finding is evidence: not a status, and never a check that could not run.
            if choice and choice[0] in evidence.findings and evidence.unchecked is None:
                lines.append(evidence.summary)
        elif isinstance(node, TextNode):
            key, _ = choose_text(node, state.signals)
            if key != DEFAULT:
                lines.append(signal_line(state, key))
        elif isinstance(node, QuestionNode) and node.question in state.answers:
            lines.append(f"{node.text} → {state.answers[node.question]}")
    return list(dict.fromkeys(lines))


def signal_line(state: Dialogue, signal: str) -> str:
    """A text signal as evidence: the words of the paste that gave it, not its internal name."""
    if signal.startswith(CODE_SIGNAL_PREFIX):
        return f"the error code is {signal.removeprefix(CODE_SIGNAL_PREFIX)}"
    for pattern in state.knowledge.signals.get(signal, ()):
        try:
            found = pattern.compile().search(state.text)
        except re.error:  # kb check reports it; it never matched
            continue
        if found is not None:
            words = " ".join(found.group(0).split())
            words = words if len(words) <= SIGNAL_WORDS else words[: SIGNAL_WORDS - 1] + "…"
            return f"the error text says “{words}”"
    return "the error text matches a known pattern"


def probes_ahead(tree: Tree, start: str) -> tuple[str, ...]:
    """The probes of the nodes reachable from `start`, nearest first (for prefetching)."""
    found = (node.probe for node in _nearest_first(tree, [start]) if isinstance(node, ProbeNode))
    return tuple(dict.fromkeys(found))


def _nearest_first(tree: Tree, starts: list[str]) -> Iterator[Node]:
    """The nodes reachable from `starts` (those included), breadth first, each once."""
    seen: set[str] = set()
    queue = list(starts)
    while queue:
        node_id = queue.pop(0)
        if node_id in seen or node_id not in tree.nodes:
            continue
        seen.add(node_id)
        node = tree.nodes[node_id]
        yield node
        queue.extend(targets(node))


def reachable_causes(
    state: Dialogue, start: str, tree: Tree | None = None, *, every_wording: bool = False
) -> set[str]:
    """Causes of `tree` (the walked one by default) still consistent with what is known, from
    `start` on; with `every_wording`, down every branch of a text node, not only the one the
    paste's wording takes."""
    tree = tree or state.tree
    found: set[str] = set()
    seen: set[str] = set()
    stack = [start]
    known = state.known()
    while stack:
        node_id = stack.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        node = tree.nodes[node_id]
        if isinstance(node, CauseNode):
            found.add(node.cause)
        elif isinstance(node, TextNode):
            if every_wording:
                stack.extend(target for _, target in node.next)
            else:
                stack.append(choose_text(node, state.signals)[1])
        elif isinstance(node, ProbeNode):
            evidence = state.evidence.get(node.probe)
            choice = choose_probe(node, evidence) if evidence else None
            stack.extend([choice[1]] if choice else [t for _, t in node.next])
        else:
            answer = state.answers.get(node.question)
            settled = _settled(node, known)
            if answer is None and settled is not None:
                answer = settled[1]
            target = node.target(answer) if answer else None
            stack.extend([target] if target else [t for _, t in node.answers])
    return found


def weights(state: Dialogue, tree: Tree, start: str) -> dict[str, int]:
    """The causes of `tree` reachable from `start`, each weighed by its prior and the points of
    every hint that applies: the text's, the findings' and the answers' (a weight never drops
    below 1).

    A text hint (a pattern or a text signal) may also name a cause the tree's walk never leads
    to: what the paste says makes it plausible although this family cannot check it (an ECR
    registry named in an error no family knows). Such a cause joins when a text hint that
    names it applies, weighed by its prior (0 without one) and the points of those hints, if
    that is above 0. So may a cause of a branch that a text node cut off (the routing took the
    most specific wording; the text may point to the other branch too), weighed by those
    points alone. Findings and answers only weigh the causes the walk can reach: they are
    read by the walk itself."""
    causes = reachable_causes(state, start, tree)
    weighed = {cause: tree.priors.get(cause, DEFAULT_PRIOR) for cause in causes}
    beyond: dict[str, int] = {}
    raised: set[str] = set()
    # What the text alone leaves reachable from the tree's start: a text node that chose the
    # most specific wording cut its other branches, but a text hint still names their causes.
    # Such a cause weighs its hints' points only: its prior was for the branch not taken.
    walked = reachable_causes(replace(state, evidence={}, answers={}), tree.start, tree)
    cut = set(tree.causes()) - walked
    known = state.known()
    # An answer given in advance (--answer) counts as given where the walk stopped before its
    # question: the user said it (audit 5 s16: check with emulator=yes led with the endpoint).
    answered = {**state.preset, **state.answers}
    for hint in tree.hints:
        if not hint.applies(state.text, known, answered):
            continue
        textual = hint.pattern is not None or hint.signal is not None
        for cause, points in hint.boost.items():
            if cause in weighed:
                weighed[cause] = weighed[cause] + points
            elif textual and cause not in walked and cause in state.knowledge.causes:
                prior = 0 if cause in cut else tree.priors.get(cause, 0)
                beyond[cause] = beyond.get(cause, prior) + points
                if points > 0:
                    raised.add(cause)
    weighed.update((c, weight) for c, weight in beyond.items() if weight > 0 and c in raised)
    return {cause: max(1, weight) for cause, weight in weighed.items()}


def _shares(weighed: Mapping[str, int]) -> dict[str, float]:
    total = sum(weighed.values()) or 1
    return {cause: weight / total for cause, weight in weighed.items()}


def rival_mass(state: Dialogue, rival: Rival, weighed: Mapping[str, int]) -> float:
    """What a rival family weighs once the probes and answers are in: its match weight, times
    the part of its text-only weight that the evidence left (`weighed`, from its start, against
    the same without findings or answers; never more than all of it). Evidence that prunes a
    rival's branches or lowers its causes (a long-term key, for a family of expired sessions)
    makes the family itself less likely, not only its other causes more so: shares alone would
    hand a rival's whole weight to the one cause the evidence left it, however unlikely."""
    if not state.evidence and not state.answers:
        return rival.weight
    before = weights(replace(state, evidence={}, answers={}), rival.tree, rival.tree.start)
    left = sum(weighed.values()) / (sum(before.values()) or 1)
    return rival.weight * min(1.0, left)


def candidates(state: Dialogue) -> tuple[Candidate, ...]:
    """Causes still consistent with everything known, ranked: each family's causes share its
    weight by prior and hints (`weights`); the walked tree weighs 1 from where the walk stands,
    each rival family its match weight from its start (what the probes found prunes its
    branches too, and lowers the family's weight: `rival_mass`). A cause of several families
    adds up its shares. A list shorter than ROOM is then filled, at 0%, with the walked tree's
    causes that only the paste's wording ruled out: a text node routes on the most specific
    wording, which is no evidence, and a list cut to one or two causes would leave a user
    whose case is another with nothing."""
    shares = _shares(weights(state, state.tree, state.node))
    for rival in state.rivals:
        weighed = weights(state, rival.tree, rival.tree.start)
        mass = rival_mass(state, rival, weighed)
        for cause, share in _shares(weighed).items():
            shares[cause] = shares.get(cause, 0.0) + mass * share
    total = sum(shares.values()) or 1.0
    ranked = sorted(shares.items(), key=lambda item: (-item[1], item[0]))
    listed = tuple(
        Candidate(cause, _listed_title(state, cause), round(100 * share / total))
        for cause, share in ranked
        if cause in state.knowledge.causes
    )
    return listed + _worded_away_candidates(state, set(shares), ROOM - len(listed))


def _worded_away_candidates(state: Dialogue, listed: set[str], room: int) -> tuple[Candidate, ...]:
    """Up to `room` of the walked tree's causes that only the paste's wording ruled out, other
    than `listed`, at 0%, by their priors."""
    if room <= 0:
        return ()
    causes = state.knowledge.causes
    found = sorted(
        (cause for cause in _worded_away(state) - listed if cause in causes),
        key=lambda c: (-state.tree.priors.get(c, DEFAULT_PRIOR), c),
    )
    return tuple(Candidate(cause, _listed_title(state, cause), 0) for cause in found[:room])


def _listed_title(state: Dialogue, cause: str) -> str:
    return UNKNOWN_LISTED if cause == UNKNOWN else state.knowledge.causes[cause].title


def _worded_away(state: Dialogue) -> set[str]:
    """The walked tree's causes consistent with every finding and answer down any branch of
    its text nodes: with those the walk ranks taken out, the ones only the wording ruled out.
    A cause that the findings and answers ruled out down the branches the wording took stays
    out: another branch may simply not check what ruled it out (an MFA prompt's branch does
    not read the profile's mfa_serial)."""
    start = state.tree.start
    found = reachable_causes(state, start, every_wording=True)
    if state.evidence or state.answers:
        unchecked = replace(state, evidence={}, answers={})
        found -= reachable_causes(unchecked, start) - reachable_causes(state, start)
    return found
