"""Cross-file checks of the knowledge base. Returns every violation as one list.

The probe catalogue is passed in (ids, findings) so that this module stays free of probe code
and a test can validate against any registry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from awsmedic.kb.body import parse_body
from awsmedic.kb.model import (
    DEFAULT,
    DEFAULT_PRIOR,
    STATUS_KEYS,
    CauseNode,
    Knowledge,
    ProbeNode,
    QuestionNode,
    TextNode,
    Tree,
    targets,
)
from awsmedic.kb.placeholders import PLACEHOLDERS, used
from awsmedic.kb.problems import Problem
from awsmedic.kb.reading import line_of
from awsmedic.kb.stepcheck import CONTEXT_FACTS, Vocabulary, step_problems

CODE_SIGNAL_PREFIX = "code:"


def _reachable(tree: Tree) -> set[str]:
    seen: set[str] = set()
    stack = [tree.start]
    while stack:
        node_id = stack.pop()
        if node_id in seen or node_id not in tree.nodes:
            continue
        seen.add(node_id)
        stack.extend(targets(tree.nodes[node_id]))
    return seen


def _cycle(tree: Tree) -> list[str] | None:
    """One cycle reachable from start, as a path of node ids, or None."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    def visit(node_id: str, path: list[str]) -> list[str] | None:
        if state.get(node_id) == 1:
            return [*path[path.index(node_id) :], node_id]
        if state.get(node_id) == 2 or node_id not in tree.nodes:
            return None
        state[node_id] = 1
        for target in targets(tree.nodes[node_id]):
            found = visit(target, [*path, node_id])
            if found:
                return found
        state[node_id] = 2
        return None

    return visit(tree.start, [])


def _check_next(
    tree: Tree,
    node: ProbeNode | TextNode,
    allowed: set[str],
    what: str,
    out: list[Problem],
) -> None:
    keys = [key for key, _ in node.next]
    if DEFAULT not in keys:
        out.append(Problem(tree.path, f"node '{node.id}' needs a 'default' branch", node.line))
    for key in keys:
        if key != DEFAULT and key not in allowed:
            out.append(Problem(tree.path, f"node '{node.id}': unknown {what} '{key}'", node.line))


def _check_tree(
    tree: Tree,
    knowledge: Knowledge,
    probes: Mapping[str, Iterable[str]] | None,
    out: list[Problem],
) -> None:
    all_findings = {finding for findings in (probes or {}).values() for finding in findings}
    signals = set(knowledge.signals)
    for node in tree.nodes.values():
        for target in targets(node):
            if target not in tree.nodes:
                out.append(
                    Problem(
                        tree.path, f"node '{node.id}' leads to missing node '{target}'", node.line
                    )
                )
        if isinstance(node, ProbeNode):
            if probes is None:
                continue  # structure only: probe ids and findings need the registry
            if node.probe not in probes:
                out.append(
                    Problem(tree.path, f"node '{node.id}': unknown probe '{node.probe}'", node.line)
                )
                continue
            _check_next(
                tree, node, set(probes[node.probe]) | STATUS_KEYS, f"finding of {node.probe}", out
            )
        elif isinstance(node, TextNode):
            allowed = signals | {key for key, _ in node.next if key.startswith(CODE_SIGNAL_PREFIX)}
            _check_next(tree, node, allowed, "text signal", out)
        elif isinstance(node, QuestionNode):
            for finding, answer in node.settled_by:
                known = probes is None or finding in all_findings or finding in signals
                if not known:
                    out.append(
                        Problem(
                            tree.path,
                            f"question '{node.id}' is settled by unknown finding '{finding}'",
                            node.line,
                        )
                    )
                if node.target(answer) is None:
                    out.append(
                        Problem(
                            tree.path,
                            f"question '{node.id}': '{answer}' is not one of its answers",
                            node.line,
                        )
                    )
        elif isinstance(node, CauseNode) and node.cause not in knowledge.causes:
            out.append(
                Problem(tree.path, f"node '{node.id}': unknown cause '{node.cause}'", node.line)
            )
    for unreachable in sorted(set(tree.nodes) - _reachable(tree)):
        out.append(
            Problem(
                tree.path,
                f"node '{unreachable}' is unreachable from start '{tree.start}'",
                tree.nodes[unreachable].line,
            )
        )
    cycle = _cycle(tree)
    if cycle:
        out.append(Problem(tree.path, "cycle: " + " -> ".join(cycle), tree.nodes[cycle[0]].line))
    if not tree.causes():
        out.append(Problem(tree.path, "no cause node: the tree can never conclude"))
    for hint in tree.hints:
        if hint.signal is not None and hint.signal not in signals:
            out.append(Problem(tree.path, f"a hint names unknown text signal '{hint.signal}'"))
    for cause_id in list(tree.priors) + [c for hint in tree.hints for c in hint.boost]:
        if cause_id not in knowledge.causes:
            out.append(Problem(tree.path, f"priors/hints name unknown cause '{cause_id}'"))
    _check_priors(tree, knowledge, out)
    _check_hints(tree, knowledge, probes, out)


def _check_priors(tree: Tree, knowledge: Knowledge, out: list[Problem]) -> None:
    """Priors weigh the causes the walk reaches, and the causes beyond it that a text hint
    names (core.engine.weights). Where a tree gives any, a cause it reaches without one would
    weigh DEFAULT_PRIOR unnoticed, and any other prior weighs nothing (warnings both; `unknown`
    may be weighed where the walk has no such end)."""
    if not tree.priors:
        return
    reached = tree.causes()
    named = {
        cause
        for hint in tree.hints
        if hint.pattern is not None or hint.signal is not None
        for cause, points in hint.boost.items()
        if points > 0
    }
    where = line_of(tree.path.read_text(encoding="utf-8"), "[priors]")
    for cause in reached:
        if cause not in tree.priors and cause in knowledge.causes:
            message = f"no prior for '{cause}': it weighs {DEFAULT_PRIOR} before any evidence"
            out.append(Problem(tree.path, message, where, warning=True))
    for cause in tree.priors:
        if cause not in reached and cause not in named and cause != "unknown":
            message = (
                f"prior for '{cause}', which no node of this tree leads to and no text hint"
                " names: it weighs nothing"
            )
            out.append(Problem(tree.path, message, where, warning=True))


def _check_hints(
    tree: Tree,
    knowledge: Knowledge,
    probes: Mapping[str, Iterable[str]] | None,
    out: list[Problem],
) -> None:
    """Evidence hints name what this tree can know: a finding of one of its probes or a text
    signal, an answer one of its questions offers; finding and answer hints boost causes it can
    reach (a text hint may name any cause: it joins the candidates from the text)."""
    reachable = set(tree.causes())
    answers = {(q.question, answer) for q in tree.questions() for answer in q.choices}
    findings: set[str] | None = None
    if probes is not None:
        findings = {f for probe in tree.probes() for f in probes.get(probe, ())}
    for hint in tree.hints:
        where = hint.line
        if hint.finding is not None and findings is not None:
            known = (
                hint.finding in findings
                or hint.finding in knowledge.signals
                or hint.finding.startswith(CODE_SIGNAL_PREFIX)
            )
            if not known:
                out.append(
                    Problem(
                        tree.path,
                        f"hint on finding '{hint.finding}': no probe of this tree reports it and"
                        " no text signal has that name",
                        where,
                    )
                )
        if hint.answer is not None and hint.answer not in answers:
            question, answer = hint.answer
            out.append(
                Problem(
                    tree.path,
                    f"hint on answer '{question}={answer}': no question of this tree has that"
                    " id and answer",
                    where,
                )
            )
        # A text hint may name a cause beyond the walk (it joins the candidates from the
        # text alone: core.engine.weights); findings and answers are read by the walk.
        textual = hint.pattern is not None or hint.signal is not None
        for cause in hint.boost:
            if cause in knowledge.causes and cause not in reachable and not textual:
                out.append(
                    Problem(
                        tree.path,
                        f"hint boosts '{cause}', which no node of this tree leads to",
                        where,
                        warning=True,
                    )
                )


def _vocabulary(
    knowledge: Knowledge,
    probes: Mapping[str, Iterable[str]],
    facts: Iterable[str],
    edits: Iterable[str],
) -> Vocabulary:
    questions: dict[str, tuple[str, ...]] = {}
    for tree in knowledge.trees.values():
        for question in tree.questions():
            questions[question.question] = (
                *questions.get(question.question, ()),
                *question.choices,
            )
    return Vocabulary(
        findings=frozenset(f for found in probes.values() for f in found),
        facts=frozenset(facts) | CONTEXT_FACTS,
        edits=frozenset(edits),
        signals=frozenset(knowledge.signals),
        tools=frozenset(tool.id for tool in knowledge.tools),
        questions=questions,
    )


def _check_causes(knowledge: Knowledge, vocabulary: Vocabulary, out: list[Problem]) -> None:
    """Every cause's Markdown, fully parsed: what loading alone does not look at."""
    in_trees = {cause for tree in knowledge.trees.values() for cause in tree.causes()}
    for cause in knowledge.causes.values():
        why, steps, problems = parse_body(cause.body, cause.body_line, cause.path)
        out.extend(problems)
        texts = why + "\n".join(step.text for step in steps)
        for name in sorted(used(texts) - set(PLACEHOLDERS)):
            line = line_of(cause.path.read_text(encoding="utf-8"), f"{{{name}}}")
            out.append(Problem(cause.path, f"unknown placeholder '{{{name}}}'", line))
        for step in steps:
            out += [Problem(cause.path, m, line) for line, m in step_problems(step, vocabulary)]
        if cause.id not in in_trees and cause.id != "unknown":
            out.append(Problem(cause.path, "no tree leads to this cause", warning=True))


def validate(
    knowledge: Knowledge,
    probes: Mapping[str, Iterable[str]] | None = None,
    facts: Iterable[str] = (),
    edits: Iterable[str] = (),
) -> list[Problem]:
    """Every cross-reference problem; `probes` maps each probe id to its finding codes,
    `facts` and `edits` name the facts probes provide and the findings they give edits for.

    Without `probes`, only what a diagnosis needs in order to run safely: the trees' structure
    (targets, reachability, cycles, cause ids). That needs neither the probe modules nor a
    Markdown parser, so it is cheap enough for every start; `kb check` does everything.
    """
    out: list[Problem] = []
    for tree in knowledge.trees.values():
        _check_tree(tree, knowledge, probes, out)
    if probes is not None:
        _check_causes(knowledge, _vocabulary(knowledge, probes, facts, edits), out)
    return out
