"""Scenarios from a fourth outside audit: set-ups that work for one tool and not another, and
the steps for a cause that was found right.

Same recipe as test_audit_setups3: a real broken setup (temp HOME, exact bytes, env vars), the
real error there (boto3's, or the text a tool printed for the same setup), then `awsmedic
diagnose` in the same setup; the verdict, its evidence, its first step and every printed command
are checked.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.scenarios.setup import Setup, commands, evidence, texts
from tests.unit.probes.helpers import KEY, SECRET, TOKEN

pytestmark = pytest.mark.slow

KEYS_TEXT = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
#: What the JavaScript SDK v3 (@aws-sdk/client-sts 3.x under Node 20) printed when its chain
#: found no credentials (audit 4, s32).
JS_NO_CREDENTIALS = "CredentialsProviderError: Could not load credentials from any providers"


@pytest.fixture
def setup(home: Path) -> Setup:
    made = Setup.fresh(home)
    made.secrets += [KEY, SECRET, TOKEN]
    return made


def test_the_javascript_sdk_does_not_read_aws_default_profile(setup: Setup) -> None:
    """s32: only AWS_DEFAULT_PROFILE=dev is exported and [default] has no keys. boto3 works
    (botocore reads AWS_DEFAULT_PROFILE); the JavaScript SDK v3 reads AWS_PROFILE only
    (@smithy getProfileName), so it used `default` and found nothing. The chain is walked for
    `default`, says why, and the fix is the variable the SDK reads."""
    setup.write(".aws/credentials", f"[dev]\n{KEYS_TEXT}")
    setup.write(
        ".aws/config", "[default]\nregion = eu-west-1\n\n[profile dev]\nregion = eu-west-1\n"
    )
    setup.env["AWS_DEFAULT_PROFILE"] = "dev"
    result = setup.diagnose(JS_NO_CREDENTIALS, "--offline")
    assert result["diagnosis"]["cause"] == "wrong-profile-selected"
    said = evidence(result)
    assert (
        "profile 'default' (default; AWS_DEFAULT_PROFILE=dev is set, but the JavaScript SDK" in said
    )
    assert commands(result)[0] == "export AWS_PROFILE=dev"
    assert "unset AWS_DEFAULT_PROFILE" not in str(result)


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


# -- credential-process-failure: the helper's interpreter is not installed (s05) -------------


def test_a_helper_script_whose_interpreter_is_not_installed(setup: Setup) -> None:
    """`#!/usr/bin/env python2` with no python2 on PATH: env exits with 127 and botocore wraps
    its message. The first step names the missing interpreter (read from the script's first
    line: no consent needed), and the steps about the helper's JSON, which never ran, stay out;
    the same with the message alone, as the AWS CLI prints it."""
    setup.env.update(PATH="/usr/bin:/bin", AWS_PROFILE="dev")
    script = setup.write("bin/aws-creds", "#!/usr/bin/env python2\nprint('{\"Version\": 1}')\n")
    script.chmod(0o755)
    setup.write(
        ".aws/config",
        f"[profile dev]\ncredential_process = {script} --account dev\nregion = eu-west-1\n",
    )
    error = setup.boto3_error()
    assert "custom-process: /usr/bin/env:" in error and "python2" in error
    message = error.partition("CredentialRetrievalError: ")[2]
    for text in (error, message):
        result = setup.diagnose(text, "--offline")
        assert result["diagnosis"]["cause"] == "credential-process-failure"
        assert result["diagnosis"]["confidence"] == "confirmed"
        assert "`python2`" in result["steps"][0]["text"]
        assert "install" in result["steps"][0]["text"]
        assert "Version" not in texts(result) and "absolute path" not in texts(result)


# -- config-file-syntax: a credentials file without any section header (s28) -----------------


def test_a_credentials_file_without_a_section_header(setup: Setup) -> None:
    """Keys on lines 1-2 and no header: ConfigParseError. `aws configure` cannot read such a
    file either (it fails with the same error), so the first step is the exact edit, a
    `[default]` header put before line 1, and no step sends the user to `aws configure` first."""
    credentials = setup.write(".aws/credentials", KEYS_TEXT)
    error = setup.boto3_error()
    assert "ConfigParseError: Unable to parse config file" in error
    result = setup.diagnose(error, "--offline")
    assert result["diagnosis"]["cause"] == "config-file-syntax"
    first = result["steps"][0]
    assert first["edit"]["line"] == 1 and first["edit"]["after"].startswith("[default]\n")
    assert first_command(result).startswith("sed -i.bak ")
    assert "aws configure --profile default" not in commands(result)
    subprocess.run(["sh", "-c", first_command(result)], cwd=setup.home, env=setup.env, check=True)
    assert credentials.read_text() == f"[default]\n{KEYS_TEXT}"
    assert "ConfigParseError" not in setup.boto3_error()
