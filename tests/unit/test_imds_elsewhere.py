"""A paste about instance metadata, diagnosed on a machine that is no EC2 instance: the paste
came from elsewhere (an instance, a container on one), so this machine's empty credential chain
is no evidence of "no credentials". The walk asks where the program ran (with `--no-input` it
stops there); a paste that does not mention instance metadata still ends at no-credentials.

Not `--offline`: off EC2 the instance metadata check asks nothing, and says so; the AWS endpoint
is a closed local port, so nothing leaves the machine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from awsmedic.cli import main
from awsmedic.probes import imds
from tests.awsfixtures import free_port
from tests.unit.offline_json import step_text

# the fiftieth batch's iu45 (Cyberduck's "S3 (Credentials from EC2 Instance Metadata)" profile)
FROM_AN_INSTANCE = (
    'Connecting with the "S3 (Credentials from EC2 Instance Metadata)" connection profile on an'
    " EC2 instance fails: Login failed. Unexpected response (401 Unauthorized)."
)
NOT_ABOUT_METADATA = (
    "Could not sign the request to AWS: no credentials were configured for the S3 client."
)


@pytest.fixture
def off_ec2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(imds, "EC2_HINTS", ((tmp_path / "absent", "Amazon EC2"),))
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")


def diagnosed(capsys: pytest.CaptureFixture[str], text: str, *answers: str) -> dict[str, Any]:
    given = [part for answer in answers for part in ("--answer", answer)]
    status = main(["diagnose", "--no-input", "--format", "json", *given, text])
    output: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert status == 0
    return output


@pytest.mark.usefixtures("off_ec2")
def test_a_paste_from_an_instance_is_not_this_machines_empty_chain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = diagnosed(capsys, FROM_AN_INSTANCE)
    assert output["diagnosis"] is None
    assert [q["id"] for q in output["questions"]] == ["run-context"]
    assert "imds-unreachable" in [c["cause"] for c in output["candidates"]][:3]
    # this machine's AWS_EC2_METADATA_DISABLED (the tests set it) is not where the program ran
    assert "unset AWS_EC2_METADATA_DISABLED" not in step_text(output)


@pytest.mark.usefixtures("off_ec2")
@pytest.mark.parametrize(
    ("answers", "cause"),
    [
        (
            ("run-context=directly on an EC2 instance", "instance-role-attached=yes"),
            "imds-unreachable",
        ),
        (
            ("run-context=directly on an EC2 instance", "instance-role-attached=no"),
            "instance-profile-missing",
        ),
        (("run-context=in ECS, Fargate or CodeBuild",), "container-credentials-failure"),
        (("run-context=not on AWS (a laptop, on-premises, another cloud)",), "no-credentials"),
    ],
)
def test_where_it_ran_decides(
    capsys: pytest.CaptureFixture[str], answers: tuple[str, ...], cause: str
) -> None:
    output = diagnosed(capsys, FROM_AN_INSTANCE, *answers)
    assert output["diagnosis"]["cause"] == cause


@pytest.mark.usefixtures("off_ec2")
def test_a_paste_that_does_not_name_instance_metadata_ends_at_no_credentials(
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = diagnosed(capsys, NOT_ABOUT_METADATA)
    assert [m["tree"] for m in output["matches"]][:1] == ["aws-auth-check"]
    assert output["diagnosis"]["cause"] == "no-credentials"
