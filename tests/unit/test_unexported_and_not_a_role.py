"""Rules the twenty-fifth batch's development texts showed were missing, each general: AWS
variables assigned on a command line of their own (`AWS_REGION=x; cmd`) never reach the command,
a region variable's name is about regions, an AssumeRole refused on what is not a role (an
instance profile's ARN), and the Chime SDK's "Subscription check failed"."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.offline_json import diagnosed, leading, step_text, text_only

# boto3 on Windows, the traceback cut where the client is made (the corpus's gw31)
UNEXPORTED_REGION = (
    "$ AWS_DEFAULT_REGION=us-east-1; python comprehend_detect.py\n"
    "Traceback (most recent call last):\n"
    '  File "comprehend_detect.py", line 170, in usage_demo\n'
    "    comp_detect = ComprehendDetect(boto3.client('comprehend'))\n"
    '  File "site-packages\\boto3\\__init__.py", line 92, in client\n'
    "    return _get_default_session().client(*args, **kwargs)"
)
# Teleport's discovery service (the corpus's gv31)
INSTANCE_PROFILE = (
    "api error AccessDenied: User: arn:aws:sts::123456789012:assumed-role/caller-role/i-0abc"
    " is not authorized to perform: sts:AssumeRole on resource:"
    " arn:aws:iam::123456789012:instance-profile/target-profile"
)
# The Amazon Chime SDK (aws/amazon-chime-sdk-js#614)
SUBSCRIPTION = "ForbiddenException: Subscription check failed\n  code: 'ForbiddenException',"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def test_a_region_assigned_before_the_command_is_not_exported(
    knowledge: Knowledge, capsys: pytest.CaptureFixture[str]
) -> None:
    best = Matcher(knowledge).recognise(UNEXPORTED_REGION).best
    assert best is not None and best.tree == "aws-auth-check"
    assert text_only(capsys, UNEXPORTED_REGION)[0] == "no-region"


@pytest.mark.parametrize(
    "line",
    [
        "$ AWS_DEFAULT_REGION=us-east-1 python comprehend_detect.py",  # a prefix: exported
        "$ export AWS_DEFAULT_REGION=us-east-1; python comprehend_detect.py",
    ],
)
def test_an_exported_region_is_not_that_rule(capsys: pytest.CaptureFixture[str], line: str) -> None:
    text = UNEXPORTED_REGION.replace(UNEXPORTED_REGION.splitlines()[0], line)
    assert text_only(capsys, text)[0] != "no-region"


def test_a_profile_assigned_before_the_command_is_not_exported(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        "$ AWS_PROFILE=staging && terraform plan\n"
        "Error: error configuring Terraform AWS Provider: error validating provider credentials:"
        " error calling sts:GetCallerIdentity: InvalidClientTokenId: The security token included"
        " in the request is invalid."
    )
    assert text_only(capsys, text)[0] == "wrong-profile-selected"
    exported = text.replace("$ AWS_PROFILE=staging && ", "$ AWS_PROFILE=staging ")
    assert text_only(capsys, exported)[0] != "wrong-profile-selected"


def test_assume_role_on_an_instance_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, INSTANCE_PROFILE)[0] == "role-arn-invalid"
    output = diagnosed(capsys, INSTANCE_PROFILE)
    assert output["diagnosis"]["cause"] == "role-arn-invalid"
    steps = step_text(output)
    assert "get-instance-profile --instance-profile-name target-profile" in steps
    # the caller's role is not the role being looked for
    assert "--role-name caller-role" not in steps
    # a refused role's own ARN stays a refusal
    role = INSTANCE_PROFILE.replace("instance-profile/target-profile", "role/target-role")
    assert leading(diagnosed(capsys, role)) != "role-arn-invalid"


def test_chime_subscription_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, SUBSCRIPTION)[0] == "account-not-activated"
