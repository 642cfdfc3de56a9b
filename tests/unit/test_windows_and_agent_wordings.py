"""Wordings the twenty-fourth batch's development texts showed awsmedic did not know or ranked
badly, each a general rule: the access-denied wording before 2021 ("with an explicit deny" and
no policy type), a request to instance metadata that timed out in Go's and .NET's words, the
CloudWatch agent's missing Region, Git Bash without path conversion, and Windows' credential
manager refusing an ECR login."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.offline_json import diagnosed, leading, step_text, text_only

# A SageMaker notebook in an AWS Educate account (the corpus's gt04)
OLD_EXPLICIT_DENY = (
    "ClientError: An error occurred (AccessDeniedException) when calling the CreateTrainingJob"
    " operation: User: arn:aws:sts::123456789012:assumed-role/NotebookRole/SageMaker is not"
    " authorized to perform: sagemaker:CreateTrainingJob on resource:"
    " arn:aws:sagemaker:us-east-1:123456789012:training-job/knn-1 with an explicit deny"
)
# The SSM agent on Windows (aws/amazon-ssm-agent, the corpus's gu02)
SSM_AGENT = (
    "2021-01-29 09:29:40 ERROR error fetching the instanceID, Failed to fetch instance ID. Data"
    " from vault is empty. RequestError: send request failed\ncaused by: Get"
    " http://169.254.169.254/latest/meta-data/instance-id: net/http: request canceled while"
    " waiting for connection (Client.Timeout exceeded while awaiting headers)"
)
# The same agent asking for its Region (the corpus's gu01)
SSM_REGION = (
    "2017-04-28 20:24:14 ERROR [Execute @ agent_windows.go.169] Failed to start agent. Failed to"
    " fetch region. Data from vault is empty. Get"
    " http://169.254.169.254/latest/dynamic/instance-identity/document: net/http: request"
    " canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)"
)
# The CloudWatch agent on Windows (aws/amazon-cloudwatch-agent, the corpus's gu23)
CLOUDWATCH = (
    "****** processing amazon-cloudwatch-agent ******\nGot Home directory: C:\\Users\\Administrator\n"
    "I! Set home dir windows: C:\\Users\\Administrator\nI! SDKRegionWithCredsMap region:\n"
    "Unable to determine aws-region.\nE! Please make sure the credentials and region set"
    " correctly on your hosts."
)
# Git Bash (the corpus's gu26)
PATHCONV = (
    "$ MSYS_NO_PATHCONV=1 aws ssm get-parameter --name /app/db/password\n"
    "aws: [ERROR]: The config profile (default) could not be found"
)
# docker login on Windows (aws/aws-cli#5636 and docker/docker-credential-helpers#346)
STUB = (
    "Error saving credentials: error storing credentials - err: exit status 1, out: `The stub"
    " received bad data.`"
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def test_an_explicit_deny_without_its_policy_type(capsys: pytest.CaptureFixture[str]) -> None:
    candidates = [c["cause"] for c in diagnosed(capsys, OLD_EXPLICIT_DENY)["candidates"]]
    assert candidates[0] == "explicit-deny-guardrail"
    # a Deny the message places in the resource's policy stays that policy's
    resource = OLD_EXPLICIT_DENY + " in a resource-based policy"
    assert leading(diagnosed(capsys, resource)) == "denied-beyond-identity-policy"


@pytest.mark.parametrize("text", [SSM_AGENT, SSM_REGION])
def test_instance_metadata_that_timed_out(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert diagnosed(capsys, text)["candidates"][0]["cause"] == "imds-unreachable"


def test_dotnet_unreachable_network_names_instance_metadata(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        "System.Net.WebException: Unable to connect to the remote server --->"
        " System.Net.Sockets.SocketException: A socket operation was attempted to an unreachable"
        " network 169.254.169.254:80"
    )
    assert diagnosed(capsys, text)["candidates"][0]["cause"] == "imds-unreachable"


def test_the_cloudwatch_agent_found_no_region(
    knowledge: Knowledge, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    best = Matcher(knowledge).recognise(CLOUDWATCH).best
    assert best is not None and best.tree == "no-region"
    assert leading(diagnosed(capsys, CLOUDWATCH)) == "no-region"
    # with a Region set here, the agent's own user reading other files comes next
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    causes = [c["cause"] for c in diagnosed(capsys, CLOUDWATCH)["candidates"]]
    assert causes[:2] == ["no-region", "credentials-file-location"]


def test_git_bash_without_path_conversion(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, PATHCONV)[0] == "credentials-file-location"
    plain = PATHCONV.replace("MSYS_NO_PATHCONV=1 ", "")
    assert text_only(capsys, plain)[0] == "profile-not-found"


def test_windows_credential_manager_refuses_the_ecr_login(
    knowledge: Knowledge, capsys: pytest.CaptureFixture[str]
) -> None:
    best = Matcher(knowledge).recognise(STUB).best
    assert best is not None and best.tree == "ecr-auth"
    output = diagnosed(capsys, STUB)
    assert leading(output) == "ecr-auth-token"
    assert "credsStore" in step_text(output)
    # the credential store's step is for that refusal only
    expired = "denied: Your authorization token has expired. Reauthenticate and try again."
    assert "credsStore" not in step_text(diagnosed(capsys, expired))


def test_another_registrys_login_is_a_lookalike(knowledge: Knowledge) -> None:
    found = Matcher(knowledge).recognise("PS> az acr login --name myregistry\n" + STUB)
    assert found.best is None or found.best.tree != "ecr-auth"
