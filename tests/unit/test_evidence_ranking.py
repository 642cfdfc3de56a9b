"""Findings and answers re-weight the candidates (hints with `finding` or `answer` in a tree).

Walks of the shipped trees driven with chosen probe results, as `diagnose --no-input` drives
them: the walk stops at a question, and the candidates left must reflect what the probes found.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsmedic.core import engine
from awsmedic.kb import check, load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.model import Candidate, Evidence, Stalled, Status

NOW = datetime(2026, 1, 1, tzinfo=UTC)
TEXT = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def walk(
    knowledge: Knowledge,
    tree: str,
    findings: dict[str, tuple[str, ...]],
    answers: dict[str, str] | None = None,
) -> tuple[list[str], tuple[Candidate, ...]]:
    """Drive a walk: each probe reports `findings[probe]` (skipped when absent), questions are
    answered from `answers` or declined. Returns the probes run and the final candidates."""
    state = engine.new_dialogue(
        knowledge, knowledge.trees[tree], TEXT, frozenset({"code:InvalidClientTokenId"}), {}, NOW
    )
    state, outputs = engine.advance(state, engine.Start(), NOW)
    probes: list[str] = []
    while outputs:
        need = outputs[-1]
        if isinstance(need, engine.NeedProbe):
            probes.append(need.probe)
            found = findings.get(need.probe)
            status = Status.SKIPPED if found is None else Status.OK
            result = Evidence(need.probe, status, "summary", found or ())
            state, outputs = engine.advance(state, engine.ProbeResult(result), NOW)
        elif isinstance(need, engine.NeedAnswer):
            answer = (answers or {}).get(need.question.id)
            command: engine.Command = (
                engine.Answer(need.question.id, answer)
                if answer is not None
                else engine.Decline(need.question.id)
            )
            state, outputs = engine.advance(state, command, NOW)
        else:
            break
    stalled = [o for o in outputs if isinstance(o, Stalled)]
    assert stalled, "the walk was expected to stop before a cause"
    return probes, stalled[-1].candidates


REFUSED_EVERYWHERE = {
    "creds.chain": ("profile-credentials",),
    "creds.keys": ("long-term-key",),
    "sts.identity": ("rejected-invalid-client-token-id",),
    "sts.identity-regions": ("rejected-everywhere",),
}


def test_a_refused_key_with_a_china_region_ranks_the_wrong_partition_first(
    knowledge: Knowledge,
) -> None:
    """The issue's case: nothing settles the key's fate (no IAM helper, no answer), and the
    configured region is in China: keys of the aws partition are unknown there."""
    china = {**REFUSED_EVERYWHERE, "region.partition": ("failing-region-china",)}
    probes, candidates = walk(knowledge, "invalid-client-token-id", china)
    assert "region.partition" in probes
    assert candidates[0].cause == "wrong-partition"


def test_without_the_china_region_the_same_walk_ranks_a_deleted_key_first(
    knowledge: Knowledge,
) -> None:
    """The control: the re-weighting comes from the finding, not from the walk."""
    plain = {**REFUSED_EVERYWHERE, "region.partition": ("failing-region-default-enabled",)}
    _, candidates = walk(knowledge, "invalid-client-token-id", plain)
    assert candidates[0].cause == "key-deleted"
    assert [c.cause for c in candidates].index("wrong-partition") >= 2


def test_no_endpoint_setting_here_lowers_the_endpoint_override(knowledge: Knowledge) -> None:
    """No credentials here and the key's fate unknown: where requests go decides whether a
    custom endpoint stays a candidate (the endpoint probe runs before the key question)."""
    nothing = {
        "creds.chain": ("no-credentials",),
        "creds.keys": ("no-static-keys",),
        "region.partition": ("failing-region-default-enabled",),
    }
    found = {**nothing, "endpoint.override": ("no-endpoint-override",)}
    probes, plain = walk(knowledge, "invalid-client-token-id", found)
    assert "endpoint.override" in probes
    order = [c.cause for c in plain]
    _, unknown = walk(knowledge, "invalid-client-token-id", nothing)
    before = [c.cause for c in unknown].index("endpoint-override")
    assert before < 3
    assert "endpoint-override" not in order[: before + 2]


def test_a_temporary_key_lowers_deleted_and_inactive_keys(knowledge: Knowledge) -> None:
    """Offline (every network check skipped), a temporary (ASIA) key makes IAM key deletion
    unlikely and expiry likely; a long-term key the other way round."""
    temporary = {"creds.chain": ("env-credentials",), "creds.keys": ("temporary-key",)}
    long_term = {"creds.chain": ("env-credentials",), "creds.keys": ("long-term-key",)}

    def rank(findings: dict[str, tuple[str, ...]]) -> list[str]:
        return [c.cause for c in walk(knowledge, "invalid-client-token-id", findings)[1]]

    with_temporary, with_long_term = rank(temporary), rank(long_term)
    assert "key-deleted" in with_long_term[:3]
    assert "key-deleted" not in with_temporary[:3]
    assert "expired-temporary-credentials" in with_temporary[:3]


ANSWERED_FIRST = """id = "answered"
title = "A question first, then a check that may not run"
codes = ["AnsweredError"]
start = "where"

[priors]
no-credentials = 30
key-typo = 10

[[hints]]
answer = "where=there"
boost = { key-typo = 40 }

[nodes.where]
kind = "question"
id = "where"
text = "Where did it run?"
answers = { here = "chain", there = "chain" }

[nodes.chain]
kind = "probe"
probe = "creds.chain"
next = { no-credentials = "none", default = "typo" }

[nodes.none]
kind = "cause"
cause = "no-credentials"

[nodes.typo]
kind = "cause"
cause = "key-typo"
"""


@pytest.mark.parametrize(("answer", "first"), [("here", "no-credentials"), ("there", "key-typo")])
def test_an_answer_moves_the_ranking(tmp_path: Path, answer: str, first: str) -> None:
    """The walk stops at a check that could not run; the answer given before re-weights what
    is left."""
    (tmp_path / "trees").mkdir()
    (tmp_path / "trees" / "answered.toml").write_text(ANSWERED_FIRST, encoding="utf-8")
    knowledge, problems = check([shipped_dir(), tmp_path])
    assert [p for p in problems if "answered" in str(p.path)] == []
    _, candidates = walk(knowledge, "answered", {}, answers={"where": answer})
    assert candidates[0].cause == first


def _tree_dir(tmp_path: Path, hints: str) -> Path:
    root = tmp_path / "kb"
    (root / "trees").mkdir(parents=True)
    (root / "trees" / "hinted.toml").write_text(
        f"""id = "hinted"
title = "A tree with evidence hints"
codes = ["HintedError"]
start = "chain"
{hints}
[nodes.chain]
kind = "probe"
probe = "creds.chain"
next = {{ no-credentials = "ask", default = "none" }}

[nodes.ask]
kind = "question"
id = "where"
text = "Where?"
answers = {{ here = "none", there = "typo" }}

[nodes.none]
kind = "cause"
cause = "no-credentials"

[nodes.typo]
kind = "cause"
cause = "key-typo"
""",
        encoding="utf-8",
    )
    return root


@pytest.mark.parametrize(
    ("hint", "message"),
    [
        (
            '[[hints]]\nfinding = "clock-skewed"\nboost = { key-typo = 5 }\n',
            "hint on finding 'clock-skewed': no probe of this tree reports it",
        ),
        (
            '[[hints]]\nanswer = "where=nowhere"\nboost = { key-typo = 5 }\n',
            "hint on answer 'where=nowhere': no question of this tree has that id and answer",
        ),
        (
            '[[hints]]\nanswer = "where"\nboost = { key-typo = 5 }\n',
            "must be written 'question-id=answer'",
        ),
        (
            '[[hints]]\nfinding = "no-credentials"\npattern = "x"\nboost = { key-typo = 5 }\n',
            "one of 'pattern' (text), 'signal' (a text signal's name), 'finding'",
        ),
        (
            '[[hints]]\nfinding = "no-credentials"\nboost = { clock-skew = 5 }\n',
            "hint boosts 'clock-skew', which no node of this tree leads to",
        ),
    ],
)
def test_kb_check_validates_evidence_hints(tmp_path: Path, hint: str, message: str) -> None:
    _, problems = check([shipped_dir(), _tree_dir(tmp_path, hint)])
    assert any(message in str(problem) for problem in problems), problems


def test_valid_evidence_hints_pass_kb_check(tmp_path: Path) -> None:
    hints = (
        '[[hints]]\nfinding = "no-credentials"\nboost = { no-credentials = 5 }\n'
        '[[hints]]\nanswer = "where=there"\nboost = { key-typo = 5 }\n'
    )
    _, problems = check([shipped_dir(), _tree_dir(tmp_path, hints)])
    assert [p for p in problems if "hinted" in str(p.path) and not p.warning] == []


# -- end to end: `awsmedic diagnose` with the real probes, offline --------------------------------

#: A long-term key id of a realistic shape (no documentation example, no placeholder).
KEY_ID = "AKIA" + "QX7ZR2LM4TWB6NJD"


def diagnose_offline(
    home: Path, region: str, capsys: pytest.CaptureFixture[str]
) -> tuple[list[str], set[str]]:
    """The issue's case as a user meets it: a key AWS refused, the profile's region set, no
    network (so nothing settles the key's fate) and no one to answer."""
    from awsmedic.cli import main

    (home / ".aws" / "config").write_text(f"[default]\nregion = {region}\n")
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY_ID}\n"
        "aws_secret_access_key = 7qVZk2Jm9wXbT4rLpN8sYdF3hGcE6uA1oIzQ5vKe\n"
    )
    status = main(["diagnose", "--offline", "--no-input", "--format", "json", TEXT])
    output = json.loads(capsys.readouterr().out)
    assert status == 0
    assert output["matches"][0]["tree"] == "invalid-client-token-id"
    assert output["diagnosis"] is None, "the walk should stop before a cause"
    findings = {f for probe in output["probes"] for f in probe["findings"]}
    return [candidate["cause"] for candidate in output["candidates"]], findings


def test_end_to_end_a_refused_key_with_a_china_region_ranks_the_wrong_partition_high(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ranked, findings = diagnose_offline(home, "cn-north-1", capsys)
    assert "failing-region-china" in findings
    assert "wrong-partition" in ranked[:2]


def test_end_to_end_with_a_default_region_the_wrong_partition_stays_low(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ranked, findings = diagnose_offline(home, "eu-west-1", capsys)
    assert "failing-region-default-enabled" in findings
    assert "wrong-partition" not in ranked[:3]
    assert "key-deleted" in ranked[:3]


def test_end_to_end_with_no_region_anywhere_the_wrong_partition_stays_low(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A machine with neither credentials nor a region (a CI job's paste read on a laptop): STS
    calls go to the aws partition's global endpoint, and nothing points to China or GovCloud, so
    the prior alone must not put the wrong partition first."""
    from awsmedic.cli import main

    status = main(["diagnose", "--offline", "--no-input", "--format", "json", TEXT])
    output = json.loads(capsys.readouterr().out)
    assert status == 0 and output["diagnosis"] is None
    findings = {f for probe in output["probes"] for f in probe["findings"]}
    ranked = [candidate["cause"] for candidate in output["candidates"]]
    assert "no-region" in findings
    assert "wrong-partition" not in ranked[:3]
    assert {"key-typo", "key-deleted"} <= set(ranked[:3])
