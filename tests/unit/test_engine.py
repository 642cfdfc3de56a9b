"""The pure walk, driven step by step with hand-made evidence."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsmedic.core import engine
from awsmedic.kb.model import Knowledge
from awsmedic.kb.validate import validate
from awsmedic.model import Answered, Asked, Concluded, Evidence, Stalled, Status
from tests.kbfiles import write_knowledge

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
CAUSE = '+++\nid = "{id}"\ntitle = "Title of {id}"\nrefs = []\n+++\n\n## Why\n\nBecause {{profile}}.\n\n## Steps\n\n1. Fix `{{profile}}` in `{{region}}`.\n'
TREE = """\
id = "fam"
title = "A family"
codes = ["FamError"]
start = "p"

[priors]
a = 50
b = 30
c = 20

[[hints]]
pattern = "boost-c"
boost = {{ c = 100 }}

[nodes.p]
kind = "probe"
probe = "x.probe"
next = {{ f-a = "ca", default = "t" }}

[nodes.t]
kind = "text"
next = {{ "code:OtherError" = "cc", default = "q" }}

[nodes.q]
kind = "question"
id = "which"
text = "Which one?"
answers = {{ b = "cb", c = "cc" }}
settled_by = {{ f-b = "b" }}

[nodes.ca]
kind = "cause"
cause = "a"
confidence = "confirmed"

[nodes.cb]
kind = "cause"
cause = "b"
confidence = "likely"

[nodes.cc]
kind = "cause"
cause = "c"
confidence = "possible"
"""


@pytest.fixture
def knowledge(tmp_path: Path) -> Knowledge:
    loaded, problems = write_knowledge(tmp_path, "abc", {"fam": TREE.format()}, CAUSE)
    problems += validate(loaded, {"x.probe": ("f-a", "f-b")})
    assert problems == []
    return loaded


def start(
    knowledge: Knowledge,
    text: str = "FamError",
    signals: frozenset[str] = frozenset(),
    **kw: object,
) -> tuple[engine.Dialogue, list[engine.Output]]:
    tree = knowledge.trees["fam"]
    state = engine.new_dialogue(knowledge, tree, text, signals, {}, NOW, **kw)  # type: ignore[arg-type]
    return engine.advance(state, engine.Start(), NOW)


def evidence(*findings: str, status: Status = Status.OK) -> engine.ProbeResult:
    return engine.ProbeResult(Evidence("x.probe", status, "summary", findings))


def test_the_walk_asks_for_the_probe_then_follows_its_finding(knowledge: Knowledge) -> None:
    state, out = start(knowledge)
    assert out == [engine.NeedProbe("p", "x.probe")]
    state, out = engine.advance(state, evidence("f-a"), NOW)
    concluded = [o for o in out if isinstance(o, Concluded)]
    assert concluded and concluded[0].diagnosis.cause == "a"
    (step,) = concluded[0].diagnosis.steps
    assert step.text.startswith("Fix `default` in `<region>`.")
    assert "`<region>`: the region to use" in step.text  # a value nothing knows is explained
    assert state.finished and state.path == ("p", "ca")


def test_a_finding_settles_the_question_without_asking(knowledge: Knowledge) -> None:
    state, _ = start(knowledge)
    _, out = engine.advance(state, evidence("f-b"), NOW)
    assert not any(isinstance(o, Asked) for o in out)
    answered = [o for o in out if isinstance(o, Answered)]
    assert answered[0].how == "settled:f-b"
    assert [o for o in out if isinstance(o, Concluded)][0].diagnosis.cause == "b"


def test_text_nodes_branch_on_error_codes(knowledge: Knowledge) -> None:
    state, _ = start(knowledge, signals=frozenset({"code:OtherError"}))
    _, out = engine.advance(state, evidence(), NOW)
    assert [o for o in out if isinstance(o, Concluded)][0].diagnosis.cause == "c"


def test_unanswered_question_stalls_with_ranked_candidates(knowledge: Knowledge) -> None:
    state, _ = start(knowledge)
    state, out = engine.advance(state, evidence(), NOW)
    assert isinstance(out[-1], engine.NeedAnswer) and out[-1].question.choices == ("b", "c")
    _, out = engine.advance(state, engine.Decline("which"), NOW)
    stalled = out[-1]
    assert isinstance(stalled, Stalled)
    assert [c.cause for c in stalled.candidates] == ["b", "c"]
    assert sum(c.score for c in stalled.candidates) == 100


def test_preset_answers_are_used(knowledge: Knowledge) -> None:
    state, _ = start(knowledge, preset={"which": "c"})
    _, out = engine.advance(state, evidence(), NOW)
    assert [o for o in out if isinstance(o, Answered)][0].how == "--answer"
    assert [o for o in out if isinstance(o, Concluded)][0].diagnosis.cause == "c"


def test_without_probes_candidates_come_from_priors_and_hints(knowledge: Knowledge) -> None:
    _, out = start(knowledge, probes_enabled=False)
    assert isinstance(out[-1], Stalled)
    assert [c.cause for c in out[-1].candidates] == ["a", "b", "c"]
    _, out = start(knowledge, text="FamError boost-c", probes_enabled=False)
    assert isinstance(out[-1], Stalled)
    assert out[-1].candidates[0].cause == "c"


def test_a_skipped_probe_does_not_take_the_default_branch(knowledge: Knowledge) -> None:
    state, _ = start(knowledge)
    _, out = engine.advance(state, evidence(status=Status.SKIPPED), NOW)
    assert isinstance(out[-1], Stalled)
    assert {c.cause for c in out[-1].candidates} == {"a", "b", "c"}


def test_an_invalid_answer_is_ignored(knowledge: Knowledge) -> None:
    state, _ = start(knowledge)
    state, _ = engine.advance(state, evidence(), NOW)
    same, out = engine.advance(state, engine.Answer("which", "nonsense"), NOW)
    assert out == [] and same == state
