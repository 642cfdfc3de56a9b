"""How candidates are ranked when the walk stops before a cause (core.engine.candidates).

Small hand-made knowledge bases: each family's causes share its weight by prior and hints, a
rival family (another the paste may belong to) adds its shares times its weight, and a text hint
may name a cause the walk never reaches.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsmedic.core import engine
from awsmedic.kb import check
from awsmedic.kb.model import Knowledge
from awsmedic.kb.validate import validate
from awsmedic.model import Candidate, Concluded, Evidence, Stalled, Status
from tests.kbfiles import write_knowledge

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
#: The walked family: a probe, then a or b. Its text hints name c and d, which it never reaches.
WALKED = """\
id = "walked"
title = "The walked family"
codes = ["WalkedError"]
start = "p"

[priors]
a = 60
b = 40

[[hints]]
pattern = "helper named"
boost = { c = 30 }

[[hints]]
pattern = "helper named"
boost = { d = 5 }

[[hints]]
pattern = "helper named"
boost = { d = -5 }

[[hints]]
pattern = "only lowered"
boost = { e = -5 }

[[hints]]
pattern = "raise b"
boost = { b = 50 }

[[hints]]
finding = "f-a"
boost = { e = 50 }

[nodes.p]
kind = "probe"
probe = "x.probe"
next = { f-a = "ca", default = "cb" }

[nodes.ca]
kind = "cause"
cause = "a"
confidence = "likely"

[nodes.cb]
kind = "cause"
cause = "b"
confidence = "likely"
"""
#: A rival family: the same probe decides between b and c.
RIVAL = """\
id = "rival"
title = "A rival family"
codes = ["RivalError"]
start = "p"

[priors]
b = 20
c = 80

[nodes.p]
kind = "probe"
probe = "x.probe"
next = { f-a = "cb", default = "cc" }

[nodes.cb]
kind = "cause"
cause = "b"
confidence = "likely"

[nodes.cc]
kind = "cause"
cause = "c"
confidence = "likely"
"""


@pytest.fixture
def knowledge(tmp_path: Path) -> Knowledge:
    loaded, problems = write_knowledge(tmp_path, "abcde", {"walked": WALKED, "rival": RIVAL})
    problems += validate(loaded, {"x.probe": ("f-a",)})
    assert [p for p in problems if not p.warning] == []
    return loaded


def ranked(
    knowledge: Knowledge,
    text: str = "WalkedError",
    rival: float | None = None,
    findings: tuple[str, ...] | None = None,
) -> tuple[Candidate, ...]:
    """The candidates of a walk of `walked` that stops at its probe: not run (`findings`
    None, probes off) or run and reporting `findings` with the walk's node then taken away so
    that it stalls (the ranking, not the walk, is under test)."""
    rivals = (engine.Rival(knowledge.trees["rival"], rival),) if rival is not None else ()
    state = engine.new_dialogue(
        knowledge,
        knowledge.trees["walked"],
        text,
        frozenset(),
        {},
        NOW,
        probes_enabled=findings is not None,
        rivals=rivals,
    )
    if findings is None:
        _, out = engine.advance(state, engine.Start(), NOW)
        assert isinstance(out[-1], Stalled)
        return out[-1].candidates
    evidence = {"x.probe": Evidence("x.probe", Status.OK, "summary", findings)}
    return engine.candidates(replace(state, evidence=evidence))


def causes(candidates: tuple[Candidate, ...]) -> list[str]:
    return [candidate.cause for candidate in candidates]


def test_without_rivals_the_walked_family_alone_is_ranked(knowledge: Knowledge) -> None:
    assert [(c.cause, c.score) for c in ranked(knowledge)] == [("a", 60), ("b", 40)]


def test_a_rival_family_adds_its_causes_by_its_weight(knowledge: Knowledge) -> None:
    # Shares: walked a .6, b .4; rival b .2, c .8, times .5: c .4, b .1 more.
    assert causes(ranked(knowledge, rival=0.5)) == ["a", "b", "c"]
    scores = {c.cause: c.score for c in ranked(knowledge, rival=0.5)}
    assert scores == {"a": 40, "b": 33, "c": 27}  # .6, .5, .4 of 1.5
    # A rival nearly as likely as the walked family puts its own likeliest cause first.
    assert causes(ranked(knowledge, rival=0.9)) == ["c", "a", "b"]  # .72, .6, .58


def test_a_light_rival_only_follows(knowledge: Knowledge) -> None:
    assert causes(ranked(knowledge, rival=0.05)) == ["a", "b", "c"]
    assert ranked(knowledge, rival=0.05)[-1].score < 5


def test_evidence_prunes_the_rival_family_too(knowledge: Knowledge) -> None:
    """The probe both families read reported f-a: the walked family can only mean a, the
    rival only b; c, which the rival reaches only without f-a, is gone."""
    assert causes(ranked(knowledge, rival=1.0, findings=("f-a",))) == ["a", "b"]
    assert causes(ranked(knowledge, rival=1.0, findings=())) == ["b", "c"]


def test_evidence_against_a_rival_lowers_the_family_itself(knowledge: Knowledge) -> None:
    """f-a leaves the rival only b, a fifth of its weight before the evidence (20 of 100): the
    rival keeps a fifth of its match weight, instead of handing all of it to b."""
    scores = {c.cause: c.score for c in ranked(knowledge, rival=1.0, findings=("f-a",))}
    assert scores == {"a": round(100 / 1.2), "b": round(100 * 0.2 / 1.2)}
    # Without the probe's word, the rival keeps its whole weight.
    scores = {c.cause: c.score for c in ranked(knowledge, rival=1.0)}
    assert scores == {"a": 30, "b": 30, "c": 40}  # .6 + 0; .4 + .2; .8 of 2


def test_a_text_hint_can_name_a_cause_beyond_the_walk(knowledge: Knowledge) -> None:
    """c and d are no end of the walked tree: a text hint that names them makes them
    candidates, with their points; d's points add up to 0 and it stays out."""
    found = {c.cause: c.score for c in ranked(knowledge, text="WalkedError helper named")}
    assert set(found) == {"a", "b", "c"}
    assert found["c"] == round(100 * 30 / 130)


def test_lowering_a_cause_beyond_the_walk_never_adds_it(knowledge: Knowledge) -> None:
    assert "e" not in causes(ranked(knowledge, text="WalkedError only lowered"))


def test_findings_never_add_a_cause_beyond_the_walk(knowledge: Knowledge) -> None:
    """The walk reads findings itself: a finding hint only weighs causes it can reach."""
    assert "e" not in causes(ranked(knowledge, findings=("f-a",)))


def test_a_cause_the_evidence_ruled_out_stays_out(knowledge: Knowledge) -> None:
    """b is an end of the walk that f-a rules out: a text hint raising it does not bring it
    back (only causes the walk never reaches can join from the text)."""
    assert causes(ranked(knowledge, text="WalkedError raise b", findings=("f-a",))) == ["a"]
    assert causes(ranked(knowledge, text="WalkedError raise b")) == ["b", "a"]


def test_scores_are_shares_of_the_whole_list(knowledge: Knowledge) -> None:
    for rival in (None, 0.3, 1.0):
        total = sum(c.score for c in ranked(knowledge, rival=rival))
        assert 98 <= total <= 102  # rounded shares


HINTED = """\
id = "hinted"
title = "A family whose text hint names a cause beyond its walk"
codes = ["HintedError"]
start = "p"

[priors]
key-typo = 60
no-region = 5

[[hints]]
pattern = "clock"
boost = { clock-skew = 30 }

[[hints]]
finding = "no-credentials"
boost = { profile-not-found = 30 }

[nodes.p]
kind = "probe"
probe = "creds.chain"
next = { no-credentials = "none", default = "typo" }

[nodes.none]
kind = "cause"
cause = "no-credentials"
confidence = "likely"

[nodes.typo]
kind = "cause"
cause = "key-typo"
confidence = "likely"
"""


def test_kb_check_accepts_text_hints_beyond_the_walk_and_warns_of_idle_priors(
    tmp_path: Path,
) -> None:
    from awsmedic.kb import shipped_dir

    (tmp_path / "trees").mkdir()
    (tmp_path / "trees" / "hinted.toml").write_text(HINTED)
    _, problems = check([shipped_dir(), tmp_path])
    mine = [str(p) for p in problems if "hinted" in str(p.path)]
    assert not any("clock-skew" in p for p in mine), mine  # a text hint may name it
    assert any("boosts 'profile-not-found', which no node" in p for p in mine), mine
    assert any("no prior for 'no-credentials'" in p for p in mine), mine
    assert any("prior for 'no-region', which no node" in p for p in mine), mine
    assert all("warning" in p for p in mine), mine


# -- the shipped knowledge: rivals after the probes --------------------------------------------

TWO_ERRORS = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The"
    " security token included in the request is invalid.\n"
    "An error occurred (ExpiredToken) when calling the ListBuckets operation: The provided token"
    " has expired."
)
REFUSED_IN_CHINA = {
    "creds.chain": ("profile-credentials",),
    "creds.keys": ("long-term-key",),
    "sts.identity": ("rejected-invalid-client-token-id",),
    "sts.identity-regions": ("rejected-everywhere",),
    "region.partition": ("failing-region-china",),
}


def walk_shipped(text: str, findings: dict[str, tuple[str, ...]]) -> tuple[str, list[str]]:
    """`diagnose --no-input` on the shipped knowledge with the probes reporting `findings`
    (skipped when absent): the walked tree and the final candidates."""
    from awsmedic.core.match import Matcher
    from awsmedic.kb import load_checked, shipped_dir

    knowledge = load_checked([shipped_dir()])
    recognition = Matcher(knowledge).recognise(text)
    assert recognition.best is not None
    state = engine.new_dialogue(
        knowledge,
        knowledge.trees[recognition.best.tree],
        text,
        recognition.signals,
        recognition.facts,
        NOW,
        rivals=tuple(engine.Rival(knowledge.trees[t], w) for t, w in recognition.rivals),
    )
    assert state.rivals, "the paste should match a second family"
    state, outputs = engine.advance(state, engine.Start(), NOW)
    while outputs and isinstance(outputs[-1], engine.NeedProbe | engine.NeedAnswer):
        need = outputs[-1]
        if isinstance(need, engine.NeedProbe):
            found = findings.get(need.probe)
            status = Status.SKIPPED if found is None else Status.OK
            result = Evidence(need.probe, status, "summary", found or ())
            state, outputs = engine.advance(state, engine.ProbeResult(result), NOW)
        else:
            state, outputs = engine.advance(state, engine.Decline(need.question.id), NOW)
    stalled = [o for o in outputs if isinstance(o, Stalled)]
    assert stalled, "the walk was expected to stop before a cause"
    return recognition.best.tree, causes(stalled[-1].candidates)


def test_with_probes_the_evidence_outweighs_a_rival_family() -> None:
    """Two codes pasted: the walked family's evidence (a long-term key refused everywhere, a
    China region) leads; the rival family's text-only favourite, expiry, cannot be these
    long-term keys' fault and follows."""
    tree, ranked_causes = walk_shipped(TWO_ERRORS, REFUSED_IN_CHINA)
    assert tree == "invalid-client-token-id"
    assert ranked_causes[0] == "wrong-partition"
    assert "expired-temporary-credentials" in ranked_causes  # the rival is still heard


def test_without_probes_both_families_are_heard() -> None:
    from awsmedic.core.match import Matcher
    from awsmedic.kb import load_checked, shipped_dir

    knowledge = load_checked([shipped_dir()])
    recognition = Matcher(knowledge).recognise(TWO_ERRORS)
    assert {m.tree for m in recognition.matches} >= {"invalid-client-token-id", "expired-token"}
    state = engine.new_dialogue(
        knowledge,
        knowledge.trees[recognition.matches[0].tree],
        TWO_ERRORS,
        recognition.signals,
        recognition.facts,
        NOW,
        probes_enabled=False,
        rivals=tuple(engine.Rival(knowledge.trees[t], w) for t, w in recognition.rivals),
    )
    top = causes(engine.candidates(state))[:3]
    assert "expired-temporary-credentials" in top


#: A family whose first node routes on the text: an error code sends the walk to b. Its text
#: hint raises a, on the branch the routing cut off.
ROUTED = """\
id = "routed"
title = "A family that routes on the text first"
codes = ["RoutedError"]
start = "t"

[priors]
a = 60
b = 40

[[hints]]
pattern = "points to a"
boost = { a = 30 }

[nodes.t]
kind = "text"
next = { "code:RoutedError" = "cb", default = "ca" }

[nodes.ca]
kind = "cause"
cause = "a"
confidence = "likely"

[nodes.cb]
kind = "cause"
cause = "b"
confidence = "likely"
"""


def routed_candidates(tmp_path: Path, text: str) -> list[str]:
    loaded, problems = write_knowledge(tmp_path, "ab", {"routed": ROUTED})
    assert [p for p in problems if not p.warning] == []
    state = engine.new_dialogue(
        loaded,
        loaded.trees["routed"],
        text,
        frozenset({"code:RoutedError"}),
        {},
        NOW,
        probes_enabled=False,
    )
    return causes(engine.candidates(replace(state, node="cb")))


def test_a_text_hint_names_a_cause_the_text_routing_cut_off(tmp_path: Path) -> None:
    """The routing chose the most specific wording; a hint that the text also points to a
    cause of another branch still makes that cause a candidate (the text said both)."""
    assert routed_candidates(tmp_path, "RoutedError points to a") == ["b", "a"]


#: Routed on the text, then a probe decides between a and c on the branch not taken.
ROUTED_THEN_PROBED = """\
id = "routed"
title = "A family that routes on the text, then probes"
codes = ["RoutedError"]
start = "t"

[priors]
a = 10
b = 40
c = 50

[nodes.t]
kind = "text"
next = { "code:RoutedError" = "cb", default = "p" }

[nodes.p]
kind = "probe"
probe = "x.probe"
next = { f-a = "ca", default = "cc" }

[nodes.ca]
kind = "cause"
cause = "a"
confidence = "likely"

[nodes.cb]
kind = "cause"
cause = "b"
confidence = "likely"

[nodes.cc]
kind = "cause"
cause = "c"
confidence = "likely"
"""


def routed_walk(tmp_path: Path, cause_ids: str, tree: str) -> engine.Dialogue:
    """A walk of the tree `routed` (whose probe x.probe may report f-a) for "RoutedError"."""
    loaded, problems = write_knowledge(tmp_path, cause_ids, {"routed": tree})
    problems += validate(loaded, {"x.probe": ("f-a",)})
    assert [p for p in problems if not p.warning] == []
    return engine.new_dialogue(
        loaded,
        loaded.trees["routed"],
        "RoutedError",
        frozenset({"code:RoutedError"}),
        {},
        NOW,
        probes_enabled=False,
    )


def test_causes_only_the_wording_ruled_out_follow_at_zero(tmp_path: Path) -> None:
    """The routing took the most specific wording, but a wording is not evidence: the causes
    of the branches it cut follow the ranked ones, at 0%, in the order of their priors; a
    finding that rules one out keeps it out."""
    state = routed_walk(tmp_path, "abc", ROUTED_THEN_PROBED)
    state = replace(state, node="cb")
    found = engine.candidates(state)
    assert [(c.cause, c.score) for c in found] == [("b", 100), ("c", 0), ("a", 0)]
    evidence = {"x.probe": Evidence("x.probe", Status.OK, "summary", ("f-a",))}
    assert causes(engine.candidates(replace(state, evidence=evidence))) == ["b", "a"]


def test_a_conclusion_the_wording_chose_lists_what_else_it_may_be(tmp_path: Path) -> None:
    """A walk that concludes down the branch the wording chose names its cause first, with its
    confidence; the causes only the wording ruled out follow at 0%, as in a ranking."""
    state = routed_walk(tmp_path, "abc", ROUTED_THEN_PROBED)
    _, out = engine.advance(state, engine.Start(), NOW)
    concluded = out[-1]
    assert isinstance(concluded, Concluded) and concluded.diagnosis.cause == "b"
    assert [(c.cause, c.score) for c in concluded.candidates] == [("b", 75), ("c", 0), ("a", 0)]


def test_unknown_reads_as_something_else_in_a_list(tmp_path: Path) -> None:
    """`unknown`'s title says "No single cause could be confirmed" of a diagnosis; in a list
    under that very line it names one of the list's entries: something else than these."""
    tree = ROUTED.replace('cause = "a"', 'cause = "unknown"').replace("a = 60", "unknown = 60")
    loaded, problems = write_knowledge(tmp_path, ["b", "unknown"], {"routed": tree})
    assert [p for p in problems if not p.warning] == []
    state = engine.new_dialogue(
        loaded, loaded.trees["routed"], "", frozenset(), {}, NOW, probes_enabled=False
    )
    listed = {c.cause: c.title for c in engine.candidates(state)}
    assert listed["unknown"] == "Something else than these"
    assert listed["b"] == loaded.causes["b"].title


#: Routed on the text to a probe that can rule c out; the branch not taken reaches c unchecked.
ROUTED_ELSEWHERE_UNCHECKED = """\
id = "routed"
title = "A family whose other branch does not check"
codes = ["RoutedError"]
start = "t"

[priors]
a = 50
c = 50

[nodes.t]
kind = "text"
next = { "code:RoutedError" = "p", default = "cc2" }

[nodes.p]
kind = "probe"
probe = "x.probe"
next = { f-a = "ca", default = "cc" }

[nodes.ca]
kind = "cause"
cause = "a"
confidence = "likely"

[nodes.cc]
kind = "cause"
cause = "c"
confidence = "likely"

[nodes.cc2]
kind = "cause"
cause = "c"
confidence = "possible"
"""


def test_a_cause_the_evidence_ruled_out_is_not_let_back_by_another_wording(
    tmp_path: Path,
) -> None:
    state = routed_walk(tmp_path, "ac", ROUTED_ELSEWHERE_UNCHECKED)
    evidence = {"x.probe": Evidence("x.probe", Status.OK, "summary", ("f-a",))}
    assert causes(engine.candidates(replace(state, node="ca", evidence=evidence))) == ["a"]
    # Without the finding, c stays a candidate (the probe's other branch reaches it).
    assert causes(engine.candidates(replace(state, node="p"))) == ["a", "c"]
