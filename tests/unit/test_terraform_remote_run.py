"""A Terraform run that streams from HCP Terraform (Terraform Cloud) ran on its workers, where
this machine's ~/.aws files and profiles do not exist (the thirty-sixth batch's hs21): the
provider's profile names files that are not there, whatever this machine's chain finds, and the
steps give the workspace credentials of its own."""

from __future__ import annotations

import pytest

from tests.unit.offline_json import diagnosed, leading, step_text, text_only

ERROR = (
    "Error: error configuring Terraform AWS Provider: no valid credential sources for Terraform"
    " AWS Provider found."
)
REMOTE = (
    "$ terraform plan\n"
    "Running plan in the remote backend. Output will stream here. Pressing Ctrl-C\n"
    "will stop streaming the logs, but will not stop the plan running remotely.\n\n"
    "Preparing the remote plan...\n\n"
    "Terraform v0.14.7\n" + ERROR
)
CLOUD = "Running apply in HCP Terraform. Output will stream here.\n" + ERROR


@pytest.mark.parametrize("text", [REMOTE, CLOUD])
def test_a_remote_run_lacks_this_machines_files(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert text_only(capsys, text)[0] == "terraform-files-missing"
    output = diagnosed(capsys, text)
    assert leading(output) == "terraform-files-missing"
    steps = step_text(output)
    assert "TFC_AWS_PROVIDER_AUTH" in steps and "execution mode" in steps
    assert "{terraform_setting}" not in steps


def test_a_local_run_is_the_chain_here(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, "$ terraform plan\n" + ERROR)[0] != "terraform-files-missing"
