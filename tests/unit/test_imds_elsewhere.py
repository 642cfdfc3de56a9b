"""A paste about instance metadata, diagnosed on a machine that is no EC2 instance: the paste
came from elsewhere (an instance, a container on one), so this machine's empty credential chain
is no evidence of "no credentials". The walk asks where the program ran (with `--no-input` it
stops there, and the text's ranking leads); a paste that does not mention instance metadata
still ends at no-credentials. And with `--offline`, what the instance metadata check knows
without asking (no EC2 here, the variable that turns it off) is still said."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Status
from awsmedic.probes import imds
from tests.unit.offline_json import diagnosed, leading, step_text
from tests.unit.probes.helpers import probe

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


@pytest.mark.usefixtures("off_ec2")
def test_a_paste_from_an_instance_is_not_this_machines_empty_chain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = diagnosed(capsys, FROM_AN_INSTANCE)
    assert output["diagnosis"] is None
    assert [q["id"] for q in output["questions"]] == ["run-context"]
    assert leading(output) == "imds-unreachable"
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


@pytest.mark.usefixtures("off_ec2")
def test_offline_still_knows_this_is_no_ec2_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    evidence = probe("imds.role", offline=True)
    assert evidence.status is Status.OK
    assert evidence.findings == ("not-on-ec2",)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert probe("imds.role", offline=True).findings == ("imds-disabled", "not-on-ec2")


def test_offline_on_an_instance_asks_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    vendor = tmp_path / "sys_vendor"
    vendor.write_text("Amazon EC2\n")
    monkeypatch.setattr(imds, "EC2_HINTS", ((vendor, "Amazon EC2"),))
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    monkeypatch.setattr(imds, "_ask", lambda *a: pytest.fail("instance metadata was asked"))
    evidence = probe("imds.role", offline=True)
    assert evidence.status is Status.SKIPPED
    assert evidence.summary.startswith("not checked: --offline")
