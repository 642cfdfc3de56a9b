"""Causes a family gained from how its error really arises (issue 12): an account created a
moment ago behind RegionDisabledException and InvalidClientTokenId, a web identity's STS call
sent to another endpoint, and the text evidence that ranks the InvalidClientTokenId family (the
failing operation and service, S3's echo of the key id, tools that sweep every region).

The shipped trees are walked with hand-made probe results (`walk` of the refused-action tests),
and ranked as `awsmedic diagnose --no-probes` ranks them.
"""

from __future__ import annotations

import json

import pytest

from awsmedic.cli import main
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.test_trees_denied_network import walk

REGION_DISABLED = (
    "An error occurred (RegionDisabledException) when calling the AssumeRole operation: STS is not"
    " activated in this region for account:210987654321. Your account administrator can activate"
    " STS in this region using the IAM Console."
)
# An account being created, as the CLI, Terraform and CloudFormation show it.
CREATING = (
    "$ aws organizations create-account --email ops+sandbox@example.com --account-name sandbox\n",
    "aws_organizations_account.sandbox: Creation complete after 1m32s [id=210987654321]\n",
    "CREATE_COMPLETE  AWS::Organizations::Account  SandboxAccount\n",
)
# Go SDK v1 as an application on EKS logs it (stscreds' WebIdentityErr around the query
# protocol's unmarshal error), and Go SDK v2's operation error.
GO_V1_WEB_IDENTITY = (
    'level=error component=store msg="bucket sync failed" err="WebIdentityErr: failed to'
    " retrieve credentials\ncaused by: SerializationError: failed to unmarshal error message\n"
    "\tstatus code: {status}, request id: \ncaused by: UnmarshalError: failed to unmarshal error"
    ' message"'
)
GO_V2_WEB_IDENTITY = (
    "operation error S3: GetObject, get identity: get credentials: failed to refresh cached"
    " credentials, failed to retrieve credentials, operation error STS: AssumeRoleWithWebIdentity,"
    " https response error StatusCode: 405, RequestID: , deserialization failed, failed to decode"
    " response body, EOF"
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


# -- RegionDisabledException from an account created a moment ago ----------------------------
@pytest.mark.parametrize("creating", CREATING)
def test_a_new_account_is_still_being_activated(knowledge: Knowledge, creating: str) -> None:
    tree, cause, how, _ = walk(
        knowledge, creating + REGION_DISABLED, {}, {"account-just-created": "yes"}
    )
    assert (tree, cause, how) == ("sts-region-disabled", "account-not-activated", "likely")


def test_an_older_account_goes_on_to_the_region_settings(knowledge: Knowledge) -> None:
    text = CREATING[0] + REGION_DISABLED
    _, cause, how, _ = walk(knowledge, text, {"net.route": ()}, {"account-just-created": "no"})
    assert (cause, how) == ("sts-regional-endpoint-deactivated", "confirmed")


def test_unanswered_the_new_account_ranks_first(knowledge: Knowledge) -> None:
    _, cause, reason, candidates = walk(knowledge, CREATING[1] + REGION_DISABLED, {})
    assert cause is None and reason.startswith("new-account: ")
    assert candidates[0] == "account-not-activated"


def test_without_an_account_being_created_nothing_is_asked(knowledge: Knowledge) -> None:
    _, cause, how, _ = walk(knowledge, REGION_DISABLED, {"net.route": ()})
    assert (cause, how) == ("sts-regional-endpoint-deactivated", "confirmed")


# -- a web identity's STS call answered by another endpoint ----------------------------------
@pytest.mark.parametrize(
    "text",
    [
        GO_V1_WEB_IDENTITY.format(status=405),
        GO_V1_WEB_IDENTITY.format(status=404),
        GO_V2_WEB_IDENTITY,
    ],
)
def test_an_answer_sts_never_gives_means_another_endpoint(knowledge: Knowledge, text: str) -> None:
    tree, cause, how, _ = walk(knowledge, text, {})
    assert (tree, cause, how) == ("web-identity", "endpoint-override", "likely")


@pytest.mark.parametrize("status", [400, 403])
def test_statuses_sts_gives_stay_with_the_token(knowledge: Knowledge, status: int) -> None:
    text = GO_V1_WEB_IDENTITY.format(status=status)
    tree, cause, _, _ = walk(knowledge, text, {"creds.web-identity": ("web-identity-token-ok",)})
    assert (tree, cause) == ("web-identity", "web-identity-failure")


# -- ranking InvalidClientTokenId by text ----------------------------------------------------
def candidates(text: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    status = main(["diagnose", "--no-probes", "--no-input", "--format", "json", text])
    output = json.loads(capsys.readouterr().out)
    assert status == 0
    assert output["matches"][0]["tree"] == "invalid-client-token-id"
    return [candidate["cause"] for candidate in output["candidates"]]


@pytest.mark.parametrize(
    "text",
    [
        "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The"
        " security token included in the request is invalid.",
        "Error: configuring Terraform AWS Provider: validating provider credentials: retrieving"
        " caller identity from STS: operation error STS: GetCallerIdentity, https response error"
        " StatusCode: 403, RequestID: 0f6a8e4c-9d0b-4c54-a1d2-3e5f7a9b1c2d, api error"
        " InvalidClientTokenId: The security token included in the request is invalid.",
        "An error occurred (UnrecognizedClientException) when calling the PutItem operation: The"
        " security token included in the request is invalid.",
        "An error occurred (InvalidAccessKeyId) when calling the ListBuckets operation: The AWS"
        " Access Key Id you provided does not exist in our records.",
    ],
)
def test_calls_open_to_every_session_are_not_its_api_limits(
    text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "session-token-api-restriction" not in candidates(text, capsys)[:5]


def test_iam_calls_keep_the_session_limits_first(capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "An error occurred (InvalidClientTokenId) when calling the ListAccessKeys operation: The"
        " security token included in the request is invalid."
    )
    assert candidates(text, capsys)[0] == "session-token-api-restriction"


@pytest.mark.parametrize("echoed", ["changeme", "a", "YOUR_KEY_ID_HERE", "AKIA2E0A8F3B244C998"])
def test_s3_echoes_a_key_id_that_is_none(echoed: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidAccessKeyId</Code><Message>The'
        " AWS Access Key Id you provided does not exist in our records.</Message><AWSAccessKeyId>"
        f"{echoed}</AWSAccessKeyId><RequestId>7E1B2C3D4A5F6E7D</RequestId></Error>"
    )
    assert set(candidates(text, capsys)[:2]) == {"placeholder-credentials", "key-typo"}


@pytest.mark.parametrize(
    "echoed", ["AKIA2E0A8F3B244C9986", "AKIA****************", "AKIAXXXXXXXXXXXXXXXX", "[redacted]"]
)
def test_s3_echoes_a_real_or_masked_key(echoed: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does"
        f" not exist in our records.</Message><AWSAccessKeyId>{echoed}</AWSAccessKeyId>"
        "</Error>"
    )
    assert "placeholder-credentials" not in candidates(text, capsys)[:3]


def test_s3_refusing_a_key_id_ranks_another_partition(capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "com.amazonaws.services.s3.model.AmazonS3Exception: The AWS Access Key Id you provided"
        " does not exist in our records. (Service: Amazon S3; Status Code: 403; Error Code:"
        " InvalidAccessKeyId; Request ID: 3B9F0C1D2E4A5B6C)"
    )
    ranked = candidates(text, capsys)
    assert "wrong-partition" in ranked[:3]
    assert "sts-global-token-opt-in-region" not in ranked[:5]


def test_a_session_token_s3_cannot_read_may_be_another_partitions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        "An error occurred (InvalidToken) when calling the ListBuckets operation: The provided"
        " token is malformed or otherwise invalid."
    )
    ranked = candidates(text, capsys)
    assert ranked[0] == "stale-session-token"
    assert {"wrong-partition", "sts-global-token-opt-in-region"} <= set(ranked[:5])


@pytest.mark.parametrize(
    "query",
    [
        "> select instance_id, region from aws_all.aws_ec2_instance\nError: rpc error: code ="
        " Unknown desc = operation error EC2: DescribeInstances, https response error StatusCode:"
        " 401, RequestID: 5d3c2b1a-0f9e-4d8c-b7a6-5e4f3d2c1b0a, api error AuthFailure: AWS was not"
        " able to validate the provided access credentials",
        "steampipe query: Error: aws_vpc: UnrecognizedClientException: The security token"
        " included in the request is invalid.",
    ],
)
def test_tools_that_sweep_every_region_reach_disabled_ones(
    query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert candidates(query, capsys)[0] == "opt-in-region-disabled"


def test_a_key_said_to_be_inactive(capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "$ aws iam update-access-key --access-key-id AKIA2E0A8F3B244C9986 --status Inactive\n"
        "$ aws s3 ls\nAn error occurred (InvalidAccessKeyId) when calling the ListBuckets"
        " operation: The AWS Access Key Id you provided does not exist in our records."
    )
    assert candidates(text, capsys)[0] == "key-inactive"


def test_a_new_account_refusing_the_keys(capsys: pytest.CaptureFixture[str]) -> None:
    text = CREATING[2] + (
        "An error occurred (InvalidClientTokenId) when calling the CreateStack operation: The"
        " security token included in the request is invalid."
    )
    assert "account-not-activated" in candidates(text, capsys)[:3]


# -- texts of tools awsmedic learnt late: whether a family's phrase or the general check's hints
# take them, what they name reaches the candidates ------------------------------------------
def general_candidates(text: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    status = main(["diagnose", "--no-probes", "--no-input", "--format", "json", text])
    output = json.loads(capsys.readouterr().out)
    assert status == 0
    return [candidate["cause"] for candidate in output["candidates"]]


@pytest.mark.parametrize(
    ("text", "cause", "within"),
    [
        (
            "$ awsume prod-admin\nAwsume error: Invalid profile [prod-admin,shared-base] cannot"
            " have circular role-chains",
            "source-profile-broken",
            3,
        ),
        (
            "ProviderError(ProviderError { source: IoError { err: Os { code: 2, kind: NotFound,"
            ' message: "No such file or directory" }, path:'
            ' "/home/dev/.aws/sso/cache/0123456789abcdef0123456789abcdef01234567.json" } })'
            "\n`/home/dev/.aws/sso/cache/0123456789abcdef0123456789abcdef01234567.json`: No such"
            " file or directory (os error 2)",
            "tool-too-old-for-config",
            3,
        ),
        (
            "Error getting SAML credentials: InvalidParameter: 1 validation error(s) found.\n-"
            " minimum field size of 20, AssumeRoleWithSAMLInput.RoleArn.",
            # an empty role ARN: the profile's role is not among the SAML response's roles, which
            # signals.toml already reads as the role refused ("RoleArn not found in SAML assertion")
            "saml-assume-denied",
            3,
        ),
        (
            "DEBUG POST https://oidc.us-east-2.amazonaws.com/token -> 400"
            ' {"error":"invalid_grant","error_description":"Invalid grant provided"}',
            "sso-misconfigured",
            5,
        ),
    ],
)
def test_what_the_text_names_reaches_the_candidates(
    text: str, cause: str, within: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cause in general_candidates(text, capsys)[:within]
