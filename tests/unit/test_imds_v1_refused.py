"""Instance metadata answers 401 Unauthorized to a request without an IMDSv2 token when the
instance requires tokens: a program that speaks IMDSv1 only (the forty-seventh batch's in09,
Octopus's Calamari; io30, sccache's old S3 client) cannot reach it. The text says so; the steps
say to update the program or allow IMDSv1, not to raise the hop limit."""

from __future__ import annotations

import pytest

from tests.unit.offline_json import diagnosed, leading, step_text, text_only

CALAMARI = (
    "System.Exception: AWS-LOGIN-ERROR-0003: Failed to access the role information under"
    " http://169.254.169.254/latest/meta-data/iam/security-credentials/, or failed to parse the"
    " response. This may be because the instance does not have a role assigned to it.\n"
    "05:57:07   Error    |       ---> System.Net.Http.HttpRequestException: Response status"
    " code does not indicate success: 401 (Unauthorized)."
)
SCCACHE = (
    "[2022-11-09T08:31:35Z DEBUG reqwest::async_impl::client] response '401 Unauthorized' for"
    " http://169.254.169.254/latest/meta-data/iam/security-credentials/\n"
    "[2022-11-09T08:31:35Z WARN  sccache::simples3::credential] Failed to fetch IAM credentials"
)
# a desktop client's own words (the fiftieth batch's iu45: Cyberduck's connection profile)
DESKTOP = (
    'Connecting with the "S3 (Credentials from EC2 Instance Metadata)" connection profile on an'
    " EC2 instance fails: Login failed. Unexpected response (401 Unauthorized)."
)


@pytest.mark.parametrize("text", [CALAMARI, SCCACHE, DESKTOP])
def test_imdsv1_refused(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert text_only(capsys, text)[0] == "imds-unreachable"
    output = diagnosed(capsys, text)
    assert leading(output) == "imds-unreachable"
    steps = step_text(output)
    assert "--http-tokens optional" in steps
    assert "hop-limit" not in steps


def test_a_role_that_is_not_there(capsys: pytest.CaptureFixture[str]) -> None:
    # the same words with the 404 of an instance without a role
    text = CALAMARI.replace("401 (Unauthorized)", "404 (Not Found)")
    assert text_only(capsys, text)[0] != "imds-unreachable"


def test_a_401_far_from_instance_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    text = DESKTOP.replace("fails:", "fails." + " The registry is fine." * 30)
    assert text_only(capsys, text)[0] != "imds-unreachable"
