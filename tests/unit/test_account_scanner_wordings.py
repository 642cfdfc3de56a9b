"""Rules the twenty-sixth batch's development texts showed were missing, each general: account
scanners and cleaners that visit every region, STS refusing the root user a role, a tool's own
"Access denied api:AssumeRole", SimpleDB's refusal, the SSO portal asked for no role, an AWS
client behind a MinIO client's name, and Go's Google credential error."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.offline_json import diagnosed, leading, step_text, text_only

# ScoutSuite (nccgroup/ScoutSuite, the corpus's gx11)
SCOUT = (
    "2019-05-15 13:34:53 host.local scout[36469] ERROR cloudtrail.py L13: Failed to describe"
    " CloutTrail trail: An error occurred (UnrecognizedClientException) when calling the"
    " DescribeTrails operation: The security token included in the request is invalid."
)
# org-formation run with the management account's root keys (the corpus's gx27)
ROOT = (
    "WARN: You just ran into an error when assuming the role OrganizationFormationBuildAccessRole"
    " in account 111111111111.\nERROR: error: AccessDenied, aws-request-id: x\n"
    "ERROR: Roles may not be assumed by root accounts."
)
# Cloud Custodian's c7n-org (the corpus's gx05)
C7N = "Access denied api:AssumeRole policy:my-test-policy account:AccountName region:us-east-2"
# former2 on SimpleDB (the corpus's gx30)
SIMPLEDB = (
    "Error calling SimpleDB.domainMetadata - User arn:aws:iam::111111111111:user/scan does not"
    " have permission to perform (sdb:DomainMetadata) on resource"
    " arn:aws:sdb:us-east-1:111111111111:domain/d. Contact account owner."
)
# Steampipe's AWS plugin on an SDK older than sso-session sections (the corpus's gx02)
ROLE_NAME = (
    "operation error SSO: GetRoleCredentials, https response error StatusCode: 400, RequestID:"
    " 1852, InvalidRequestException: RoleName must be supplied in the queryString params"
)
# Argo Workflows' S3 artifacts, whose client is named after minio-go (the corpus's gy29)
ARGO = (
    'level=info msg="Creating minio client using assumed-role credentials"'
    ' roleArn="arn:aws:iam::111111111111:role/artifacts"\n'
    'level=warning msg="Non-transient error: operation error STS: AssumeRole, failed to resolve'
    ' service endpoint, endpoint rule error, Invalid Configuration: Missing Region"'
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def test_a_scanner_of_every_region_meets_a_disabled_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, SCOUT)[0] == "opt-in-region-disabled"


def test_the_root_user_cannot_assume_a_role(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, ROOT)[0] == "assume-role-denied"
    output = diagnosed(capsys, ROOT)
    assert leading(output) == "assume-role-denied"
    assert "root user can never assume a role" in step_text(output)


def test_a_tools_own_assume_role_denial(capsys: pytest.CaptureFixture[str]) -> None:
    assert "assume-role-denied" in text_only(capsys, C7N)[:2]


def test_simpledb_refusal(knowledge: Knowledge) -> None:
    best = Matcher(knowledge).recognise(SIMPLEDB).best
    assert best is not None and best.tree == "access-denied"


def test_the_sso_portal_got_no_role_name(
    knowledge: Knowledge, capsys: pytest.CaptureFixture[str]
) -> None:
    best = Matcher(knowledge).recognise(ROLE_NAME).best
    assert best is not None and best.tree == "sso-session"
    assert set(text_only(capsys, ROLE_NAME)[:2]) == {
        "tool-too-old-for-config",
        "sso-misconfigured",
    }


def test_an_aws_client_named_after_minio(knowledge: Knowledge) -> None:
    found = Matcher(knowledge).recognise(ARGO)
    assert found.best is not None and found.best.tree == "no-region"
    # MinIO's own refusal stays MinIO's
    minio = "Creating minio client\nAccess Denied. (Service: S3, Status Code: 403)"
    assert Matcher(knowledge).recognise(minio).best is None


def test_go_google_default_credentials_are_not_aws(knowledge: Knowledge) -> None:
    text = "error: failed to open bucket logs: google: could not find default credentials."
    assert Matcher(knowledge).recognise(text).best is None


def test_a_signed_dashboard_link_that_expired(capsys: pytest.CaptureFixture[str]) -> None:
    # Dagster Pipes showing EMR Serverless's Spark UI link (the corpus's gy02)
    text = "The authorization token included in the request has expired. Please generate a new URL."
    assert text_only(capsys, text)[0] == "presigned-url-expired"
