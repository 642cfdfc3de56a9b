"""Scenarios from a fourth outside audit: the steps for a cause that was found right.

Same recipe as test_audit_setups3: a real broken setup (temp HOME, exact bytes, env vars), the
real error there (boto3's, or the text a tool printed for the same setup), then `awsmedic
diagnose` in the same setup; the verdict, its first step and every printed command are checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenarios.setup import Setup, commands, texts
from tests.unit.probes.helpers import KEY, SECRET, TOKEN

pytestmark = pytest.mark.slow

KEYS_TEXT = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"


@pytest.fixture
def setup(home: Path) -> Setup:
    made = Setup.fresh(home)
    made.secrets += [KEY, SECRET, TOKEN]
    return made


def first_command(result: dict[str, object]) -> str:
    """The command "In short, first" names: the first command of the first step that has one."""
    return commands(result)[0]  # type: ignore[arg-type]


# -- role-arn: Terraform's assume_role block holds a role's name (s30) -----------------------

MAIN_TF = """\
terraform {
  required_providers { aws = { source = "hashicorp/aws" } }
}
provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn = "deploy"
  }
}
data "aws_caller_identity" "me" {}
"""

# `terraform plan -no-color` for MAIN_TF (Terraform 1.x, hashicorp/aws 5.100).
TF_ERROR = """\
Error: "assume_role.0.role_arn" (deploy) is an invalid ARN: arn: invalid prefix

  with provider["registry.terraform.io/hashicorp/aws"],
  on main.tf line 7, in provider "aws":
   7:     role_arn = "deploy"
"""


@pytest.mark.parametrize("in_the_directory", [True, False])
def test_a_terraform_assume_role_block_with_a_role_name(
    setup: Setup, in_the_directory: bool
) -> None:
    """`assume_role { role_arn = "deploy" }`: the provider refuses the value before any request
    (verify.ValidARN). It was not recognised at all; now it is role-arn-invalid, and the step
    names the line of main.tf and how to find the role's ARN, whether awsmedic runs in the
    Terraform directory or not (the excerpt under the error names both)."""
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    if in_the_directory:
        (setup.home.parent / "main.tf").write_text(MAIN_TF)
    result = setup.diagnose(TF_ERROR, "--offline")
    assert result["diagnosis"]["cause"] == "role-arn-invalid"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "main.tf line 7" in result["steps"][0]["text"]
    assert "`deploy`" in result["steps"][0]["text"]
    assert first_command(result) == (
        "aws iam get-role --role-name deploy --query Role.Arn --output text"
    )
    assert "[profile default]" not in texts(result)
