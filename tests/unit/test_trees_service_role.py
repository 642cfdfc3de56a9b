"""An AWS service that could not assume the role it was handed (ECS, Lambda, Step Functions,
CloudFormation, Greengrass, SSM Automation) is a role whose trust policy does not name the
service, a role that is not there, or one too new: the caller's credentials are not at fault, so
no probe of them runs and the steps are about the role, not a profile's role_arn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsmedic.cli import main
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.test_trees_denied_network import walk

# Each the service's own words, as users pasted them (threads in the comments).
ECS_TASK = (  # telia-oss/terraform-aws-ecs-fargate#58
    "service X failed to launch a task with (error ECS was unable to assume the role"
    " 'arn:aws:iam::123456789012:role/X-task-execution-role' that was provided for this task."
    " Please verify that the role being passed has the proper trust relationship and permissions"
    " and that your IAM user has permissions to pass this role.)."
)
ECS_INFRA = (  # hashicorp/terraform-provider-aws#38538
    "│ Error: creating ECS Service (web): InvalidParameterException: ECS was unable to assume the"
    " configured ECS Infrastructure Role 'arn:aws:iam::123456789012:role/ebs-volumes'. Please"
    " verify that the role being passed has the proper trust relationship with Amazon ECS."
)
LAMBDA = (  # danilop/LambdAuth#49
    "An error occurred (InvalidParameterValueException) when calling the CreateFunction"
    " operation: The role defined for the function cannot be assumed by Lambda."
)
STEP_FUNCTIONS = (  # lumigo-io/lumigo-CLI#83
    "Neither the global service principal states.amazonaws.com, nor the regional one is"
    " authorized to assume the provided role."
)
CLOUDFORMATION = (  # aws-samples/amazon-cognito-passwordless-auth#192
    "passwordless-example - failed\nRole arn:aws:iam::812345678901:role/"
    "cdk-hnb659fds-cfn-exec-role-812345678901-us-east-1 is invalid or cannot be assumed"
)
ECS_LINKED = (  # 1Password/scim-examples#288
    "Invalid request provided: CreateCluster Invalid Request: Unable to assume the service linked"
    " role. Please verify that the ECS service linked role exists."
)
SERVICES = [ECS_TASK, ECS_INFRA, LAMBDA, STEP_FUNCTIONS, CLOUDFORMATION, ECS_LINKED]


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


@pytest.mark.parametrize("text", SERVICES)
def test_a_service_s_role_concludes_without_probing_the_caller(
    knowledge: Knowledge, text: str
) -> None:
    tree, cause, how, _ = walk(knowledge, text, {})  # any probe asked for fails the test
    assert (tree, cause, how) == ("access-denied", "assume-role-denied", "likely")


def test_a_caller_refused_sts_assume_role_still_checks_the_profile(knowledge: Knowledge) -> None:
    """The user's own AssumeRole refused is not a service's: its walk reads the profile."""
    text = (
        "An error occurred (AccessDenied) when calling the AssumeRole operation: User:"
        " arn:aws:iam::123456789012:user/dev is not authorized to perform: sts:AssumeRole on"
        " resource: arn:aws:iam::123456789012:role/admin"
    )
    with pytest.raises(AssertionError, match="the walk needs"):
        walk(knowledge, text, {})


def _steps(capsys: pytest.CaptureFixture[str], text: str) -> list[dict[str, object]]:
    main(["diagnose", "--offline", "--no-input", "--format", "json", text])
    output = json.loads(capsys.readouterr().out)
    assert output["diagnosis"]["cause"] == "assume-role-denied"
    return list(output["steps"])


def test_the_steps_name_the_service_s_principal_and_the_role(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    steps = _steps(capsys, ECS_TASK)
    text = " ".join(str(step["text"]) for step in steps)
    commands = [c for step in steps for c in step["commands"]]  # type: ignore[attr-defined]
    assert "aws iam get-role --role-name X-task-execution-role" in commands
    assert "ecs-tasks.amazonaws.com" in text and "lambda.amazonaws.com" in text
    # none of a role profile's steps: the caller's profile is not what the service used
    assert "--profile" not in " ".join(commands)
    assert "give its ARN to the role owner" not in text
    assert "create-service-linked-role" not in " ".join(commands)


def test_ecs_s_missing_service_linked_role_is_created_not_trusted(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    steps = _steps(capsys, ECS_LINKED)
    commands = [c for step in steps for c in step["commands"]]  # type: ignore[attr-defined]
    assert commands[0] == "aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com"
    assert not any("AssumeRolePolicyDocument" in c for c in commands)
