"""S3 Block Public Access refusing a public bucket policy: S3's own words conclude
denied-beyond-identity-policy with the Block Public Access step, CloudFormation's bare status
reason ranks it first, and other refusals keep their steps."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.core.pastefacts import paste_facts
from awsmedic.kb import load_checked, shipped_dir
from tests.unit.offline_json import diagnosed, step_text

# Terraform (the AWS provider on the Go SDK v2), as a user pasted it in a public repository
TERRAFORM = (
    "Error: putting S3 Bucket (golden-path-images) Policy: operation error S3: PutBucketPolicy,"
    " https response error StatusCode: 403, RequestID: XY, HostID: XY2I=, api error AccessDenied:"
    " User: arn:aws:iam::948052180351:root is not authorized to perform: s3:PutBucketPolicy on"
    ' resource: "arn:aws:s3:::golden-path-images" because public policies are blocked by the'
    " BlockPublicPolicy block public access setting."
)
# CloudFormation's status reason, as the Serverless Framework prints a failed stack
SERVERLESS = (
    "Error:\nCREATE_FAILED: WebAppS3BucketPolicy (AWS::S3::BucketPolicy)\n"
    "API: s3:PutBucketPolicy Access Denied"
)


def test_s3s_own_words_conclude_with_block_public_access(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = diagnosed(capsys, TERRAFORM)
    diagnosis = out["diagnosis"]
    assert isinstance(diagnosis, dict)
    assert (diagnosis["cause"], diagnosis["confidence"]) == (
        "denied-beyond-identity-policy",
        "confirmed",
    )
    steps = step_text(out)
    assert "aws s3api get-public-access-block --bucket golden-path-images" in steps
    assert "--account-id 948052180351" in steps  # the root user's ARN names the account
    assert "get-bucket-policy" not in steps and "VPC endpoint" not in steps


def test_cloudformations_status_reason_is_recognised_and_ranks_it_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    knowledge = load_checked([shipped_dir()])
    recognition = Matcher(knowledge).recognise(SERVERLESS)
    assert recognition.best is not None and recognition.best.tree == "access-denied"
    assert recognition.facts["action"].value == "s3:PutBucketPolicy"
    out = diagnosed(capsys, SERVERLESS)
    candidates = out["candidates"]
    assert isinstance(candidates, list)
    assert [c["cause"] for c in candidates[:2]] == [
        "denied-beyond-identity-policy",
        "iam-permission-denied",
    ]


def test_an_action_slot_takes_no_prose() -> None:
    """ "API: {action} Access Denied" names one action: prose between "API" and "access denied"
    is no match."""
    knowledge = load_checked([shipped_dir()])
    text = "The API Gateway returned a page saying access denied to the browser"
    best = Matcher(knowledge).recognise(text).best
    assert best is None or best.tree != "access-denied"


def test_a_root_users_arn_names_the_account() -> None:
    facts = paste_facts("User: arn:aws:iam::948052180351:root is not authorized")
    assert facts["account_id"].value == "948052180351"
