""" "Could not check" is its own state: a probe that could not run is never evidence for a cause,
the walk goes on with what is known, and the case says once what was skipped and why."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsmedic.core import engine
from awsmedic.core.unchecked import headlines, offline_lines, parts
from awsmedic.kb.load import load
from awsmedic.kb.model import Knowledge
from awsmedic.kb.validate import validate
from awsmedic.model import Concluded, Evidence, Stalled, Status, Unchecked
from awsmedic.probes import not_checked
from tests.kbfiles import write_knowledge

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
CAUSE = (
    '+++\nid = "{id}"\ntitle = "Title of {id}"\nrefs = []\n+++\n\n## Why\n\nBecause.\n\n'
    "## Steps\n\n1. Run `aws sts get-caller-identity --profile {{profile}}`.\n"
)
TREE = """\
id = "fam"
title = "A family"
codes = ["FamError"]
start = "local"

[priors]
a = 60
b = 40

[nodes.local]
kind = "probe"
probe = "creds.chain"
next = { env-shadows-profile = "net", default = "net" }

[nodes.net]
kind = "probe"
probe = "sts.identity"
next = { identity-ok = "same", rejected-invalid-client-token-id = "same", default = "same" }

[nodes.same]
kind = "probe"
probe = "sts.identity-regions"
next = { rejected-everywhere = "ca", skipped = "ask", default = "cb" }

[nodes.ask]
kind = "question"
id = "which"
text = "Which one?"
answers = { a = "ca", b = "cb" }

[nodes.ca]
kind = "cause"
cause = "a"
confidence = "likely"

[nodes.cb]
kind = "cause"
cause = "b"
confidence = "possible"
"""
UNREACHED = 'EndpointConnectionError: Could not connect to the endpoint URL: "http://127.0.0.1:9/"'


@pytest.fixture
def knowledge(tmp_path: Path) -> Knowledge:
    loaded, problems = write_knowledge(tmp_path, "ab", {"fam": TREE}, CAUSE)
    catalogue = {
        "creds.chain": ("env-shadows-profile",),
        "sts.identity": ("identity-ok", "rejected-invalid-client-token-id", "endpoint-unreachable"),
        "sts.identity-regions": ("rejected-everywhere", "endpoint-unreachable"),
    }
    problems += validate(loaded, catalogue)
    assert problems == []
    return loaded


def walk(knowledge: Knowledge, *results: Evidence) -> tuple[engine.Dialogue, list[engine.Output]]:
    tree = knowledge.trees["fam"]
    state = engine.new_dialogue(knowledge, tree, "FamError", frozenset(), {}, NOW)
    state, out = engine.advance(state, engine.Start(), NOW)
    for result in results:
        state, out = engine.advance(state, engine.ProbeResult(result), NOW)
    return state, out


def chain() -> Evidence:
    return Evidence("creds.chain", Status.PROBLEM, "env keys win", ("env-shadows-profile",))


def unreached(probe: str) -> Evidence:
    return not_checked(probe, Unchecked.UNREACHABLE, UNREACHED, ("endpoint-unreachable",))


def test_a_check_that_could_not_be_made_is_skipped_and_says_why() -> None:
    evidence = unreached("sts.identity")
    assert evidence.status is Status.SKIPPED and evidence.unchecked is Unchecked.UNREACHABLE
    assert evidence.summary == f"not checked: AWS could not be reached from here ({UNREACHED})"


def test_the_walk_goes_on_where_every_branch_leads_the_same_way(knowledge: Knowledge) -> None:
    """`net` leads to `same` whatever it finds: not knowing changes nothing, so no stall."""
    state, out = walk(knowledge, chain(), unreached("sts.identity"))
    assert out[-1] == engine.NeedProbe("same", "sts.identity-regions")
    assert engine.taken(state, "net") == ("skipped", "same")


def test_unreached_checks_are_never_evidence_and_are_listed_once(knowledge: Knowledge) -> None:
    state, out = walk(
        knowledge, chain(), unreached("sts.identity"), unreached("sts.identity-regions")
    )
    assert isinstance(out[-1], engine.NeedAnswer)  # the tree's question for "could not check"
    state, out = engine.advance(state, engine.Answer("which", "a"), NOW)
    [concluded] = [o for o in out if isinstance(o, Concluded)]
    assert concluded.diagnosis.evidence == ("env keys win", "Which one? → a")
    assert not any("EndpointConnectionError" in line for line in concluded.diagnosis.evidence)
    assert concluded.offline == (
        f"Caller identity (sts:GetCallerIdentity): AWS could not be reached from here"
        f" ({UNREACHED})",
        f"Identity in the failing region and in a default region: AWS could not be reached"
        f" from here ({UNREACHED})",
    )
    assert headlines(concluded.offline) == ["AWS could not be reached from here: 2 checks skipped"]


def test_a_check_that_could_not_be_made_and_decides_stalls_without_its_id(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    tree = tmp_path / "trees" / "fam.toml"
    tree.write_text(tree.read_text().replace('skipped = "ask", ', ""))
    loaded, _ = load([tmp_path])
    _, out = walk(loaded, chain(), unreached("sts.identity"), unreached("sts.identity-regions"))
    stalled = out[-1]
    assert isinstance(stalled, Stalled)
    assert stalled.reason == (
        "the check “Identity in the failing region and in a default region” could not be made"
    )
    assert [c.cause for c in stalled.candidates] == ["a", "b"]
    assert len(stalled.offline) == 2
    # The most likely candidate comes with its steps.
    assert stalled.guess is not None and stalled.guess.cause == "a"
    assert [step.text for step in stalled.guess.steps] == [
        "Run `aws sts get-caller-identity --profile default`."
    ]


def test_a_finding_chooses_and_is_evidence_a_status_is_not(knowledge: Knowledge) -> None:
    identity = Evidence("sts.identity", Status.OK, "the credentials work", ("identity-ok",))
    refused = Evidence(
        "sts.identity-regions", Status.PROBLEM, "refused everywhere", ("rejected-everywhere",)
    )
    _, out = walk(knowledge, chain(), identity, refused)
    [concluded] = [o for o in out if isinstance(o, Concluded)]
    assert concluded.diagnosis.evidence == (
        "env keys win",
        "the credentials work",
        "refused everywhere",
    )
    assert concluded.offline == ()


@pytest.mark.parametrize(
    ("why", "headline"),
    [
        (Unchecked.OFFLINE, "No network (--offline): 1 check skipped"),
        (Unchecked.BUDGET, "Out of time (the diagnosis budget ran out): 1 check not finished"),
        (Unchecked.UNREACHABLE, "AWS could not be reached from here: 1 check skipped"),
        (Unchecked.BOTOCORE, "botocore could not build a client from this set-up: 1 check skipped"),
    ],
)
def test_offline_lines_name_the_check_and_the_reason(why: Unchecked, headline: str) -> None:
    lines = offline_lines([not_checked("sts.identity", why, "detail"), chain()])
    assert len(lines) == 1 and lines[0].startswith("Caller identity (sts:GetCallerIdentity): ")
    assert parts(lines[0]) == ("Caller identity (sts:GetCallerIdentity)", why, "detail")
    assert headlines(lines) == [headline]


def test_a_text_signal_is_evidence_in_the_words_of_the_paste(tmp_path: Path) -> None:
    from awsmedic.kb import knowledge_dirs, load_checked

    shipped = load_checked(knowledge_dirs({}))
    text = 'botocore.exceptions.ProfileNotFound: The source profile "base" could not be found'
    tree = shipped.trees["invalid-config"]
    state = engine.new_dialogue(shipped, tree, text, frozenset({"config-source-profile"}), {}, NOW)
    assert engine.signal_line(state, "config-source-profile") == (
        'the error text says “source profile "”'
    )
    assert engine.signal_line(state, "code:AccessDenied") == "the error code is AccessDenied"
