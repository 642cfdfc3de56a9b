"""Text-only ranking for the InvalidClientTokenId family on real error texts (the dev corpus).

One error code has sixteen causes, so text alone rarely singles one out; what matters without
probes is that the labelled cause is among the first candidates. This runs
`awsmedic diagnose --no-probes` on every corpus entry of the family whose cause is labelled and
measures how often that cause is in the top 3.
"""

from __future__ import annotations

import json

import pytest
from benchmarks.bench_recognition import first_entries

from awsmedic.cli import main

CORPUS = first_entries()
FAMILY_CODES = {
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidAccessKeyId",
    "InvalidToken",
    "AuthFailure",
}
LABELLED = [e for e in CORPUS if e["error_code"] in FAMILY_CODES and e["cause"] != "unknown"]
#: Reached: 15 of 23 (65 %) with the current tree; the misses are bare messages that name
#: neither a region, a key id nor a tool (d003, d007, d036, d048, d094), a cause outside the
#: family (d030, secret-mismatch) and two bare key typos (d001, d002). S3's InvalidAccessKeyId
#: ranking another partition brought d033 in, GetCallerIdentity's openness to every session d004.
#: d049 (MinIO's demo server answering in MinIO's words, where the user meant AWS) is now the
#: S3-compatible look-alike, whose line says the endpoint points at that store: a miss here.
TOP3_FLOOR = 14 / 23
#: Texts a store answered in its own words (test_match.ANSWERED_BY_A_STORE): turned away.
ANSWERED_BY_A_STORE = {"d049"}


def candidates(text: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    status = main(["diagnose", "--no-probes", "--no-input", "--format", "json", text])
    output = json.loads(capsys.readouterr().out)
    assert status == 0
    assert output["matches"][0]["tree"] == "invalid-client-token-id"
    assert output["diagnosis"] is None and output["probes"] == []
    return [candidate["cause"] for candidate in output["candidates"]]


def test_labelled_causes_rank_in_the_top_three(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(LABELLED) >= 20
    ranks = {}
    for entry in LABELLED:
        if entry["id"] in ANSWERED_BY_A_STORE:
            ranks[entry["id"]] = 0
            continue
        ranked = candidates(entry["text"], capsys)
        ranks[entry["id"]] = ranked.index(entry["cause"]) + 1 if entry["cause"] in ranked else 0
    in_top3 = [entry_id for entry_id, rank in ranks.items() if 0 < rank <= 3]
    share = len(in_top3) / len(LABELLED)
    assert share >= TOP3_FLOOR, f"top-3 {len(in_top3)}/{len(LABELLED)}: {ranks}"


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "$ aws-vault exec production -- aws ec2 describe-instances --region ap-east-1\n"
            "An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was"
            " not able to validate the provided access credentials",
            "sts-global-token-opt-in-region",
        ),
        (
            "An error occurred (InvalidClientTokenId) when calling the AssumeRole operation: The"
            " security token included in the request is invalid.",
            "source-profile-broken",
        ),
        (
            "aws s3 ls --endpoint-url http://localhost:4566\n"
            "An error occurred (InvalidAccessKeyId) when calling the ListBuckets operation: The"
            " AWS Access Key Id you provided does not exist in our records.",
            "endpoint-override",
        ),
        (
            "An error occurred (InvalidToken) when calling the PutObject operation: The provided"
            " token is malformed or otherwise invalid.",
            "stale-session-token",
        ),
        (
            "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation:"
            " The security token included in the request is invalid. (region cn-north-1)",
            "wrong-partition",
        ),
        (
            "aws-vault exec dev -- aws iam list-users\nAn error occurred (InvalidClientTokenId)"
            " when calling the ListUsers operation: The security token included in the request is"
            " invalid",
            "session-token-api-restriction",
        ),
        (
            "<Error><Code>InvalidAccessKeyId</Code><AWSAccessKeyId>ASIAXXXXXXXXXXXXXXXX"
            "</AWSAccessKeyId></Error>",
            "missing-session-token",
        ),
    ],
)
def test_text_signals_lead(text: str, first: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert candidates(text, capsys)[0] == first


def test_an_sso_profile_behind_a_refused_key_suspects_a_tool_too_old_for_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A tool whose SDK does not read the SSO profile signs with other keys it finds.
    text = (
        "Unable to authenticate connection with the SSO profile dev: The security token included"
        " in the request is invalid."
    )
    assert "tool-too-old-for-config" in candidates(text, capsys)[:5]
    bare = (
        "Unable to authenticate connection: The security token included in the request is invalid."
    )
    assert "tool-too-old-for-config" not in candidates(bare, capsys)[:5]
