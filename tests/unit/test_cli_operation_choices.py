"""The AWS CLI's argument parser refusing an operation it does not have, with its list of
choices cut off (the forty-first batch's ic31), is the CLI's version; and ECR's `get-login`,
which version 2 removed, gets its successor instead of "install version 2"."""

from __future__ import annotations

import pytest

from tests.unit.offline_json import diagnosed, text_only

ELIDED = (
    "Unable to use kubectl with the EKS cluster...aws: error: argument operation: Invalid choice..."
)
GET_LOGIN = (
    "[Container] 2020/11/22 18:23:22 Running command $(aws ecr get-login --no-include-email"
    " --region $AWS_DEFAULT_REGION)\n"
    "aws: error: argument operation: Invalid choice, valid choices are:"
)


def test_an_operation_the_cli_does_not_have(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, ELIDED)[0] == "cli-too-old-for-command"


def test_ecr_get_login_is_gone_from_version_2(capsys: pytest.CaptureFixture[str]) -> None:
    steps = [step["text"] for step in diagnosed(capsys, GET_LOGIN)["steps"]]
    assert "get-login-password" in steps[0]
    assert not any("install version 2" in step for step in steps)
    # another operation keeps the version steps
    other = GET_LOGIN.replace("ecr get-login --no-include-email", "eks get-token --cluster-name x")
    steps = [step["text"] for step in diagnosed(capsys, other)["steps"]]
    assert not any("get-login-password" in step for step in steps)
