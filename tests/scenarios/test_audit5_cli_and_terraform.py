"""Scenarios from a fifth outside audit (rows s25 and s27): a Terraform provider block that
lists a shared credentials file that does not exist, and a version 2 command run with AWS CLI
version 1. Same recipe as test_audit_setups4: a real set-up in a temporary HOME, the text the
tool printed there, then `awsmedic diagnose` in the same set-up.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import fakecli
from tests.scenarios.setup import KEYS_TEXT, Setup, commands, evidence, texts

pytestmark = pytest.mark.slow


# -- s25: shared_credentials_files names a file that does not exist -----------------------

MAIN_TF = """\
terraform {{
  required_providers {{ aws = {{ source = "hashicorp/aws" }} }}
}}
provider "aws" {{
  region                   = "eu-west-1"
  profile                  = "dev"
  shared_credentials_files = ["{path}"]
}}
data "aws_caller_identity" "me" {{}}
"""

# `terraform plan -no-color` for MAIN_TF with path ~/.aws/credential (Terraform 1.x,
# hashicorp/aws 5.x; audit 5, s25)
TF_ERROR = """\
Error: No valid credential sources found

  with provider["registry.terraform.io/hashicorp/aws"],
  on main.tf line 4, in provider "aws":
   4: provider "aws" {

Please see https://registry.terraform.io/providers/hashicorp/aws
for more information about providing credentials.

Error: failed to refresh cached credentials, no EC2 IMDS role found,
operation error ec2imds: GetMetadata, access disabled to EC2 IMDS via client
option, or "AWS_EC2_METADATA_DISABLED" environment variable
"""


def _terraform_setup(setup: Setup, path: str) -> Path:
    setup.write(".aws/credentials", f"[dev]\n{KEYS_TEXT}")
    setup.write(".aws/config", "[profile dev]\nregion = eu-west-1\n")
    setup.env["AWS_EC2_METADATA_DISABLED"] = "true"
    main = setup.home.parent / "main.tf"
    main.write_text(MAIN_TF.format(path=path))
    return main


def test_a_provider_block_that_lists_a_credentials_file_with_a_typo(setup: Setup) -> None:
    """s25: `shared_credentials_files = ["~/.aws/credential"]` with `profile = "dev"`, and dev's
    keys in ~/.aws/credentials. The Go SDK reads the missing file as empty and does not fall
    back to ~/.aws/credentials (aws-sdk-go-v2 config/shared_config.go loadIniFiles), so dev has
    no keys for Terraform. It was wrong-profile-selected ("export AWS_PROFILE=dev", and "no
    profile is selected" although the block says dev); now the cause is the missing file, and
    the first step is the edit of main.tf line 7."""
    main = _terraform_setup(setup, "~/.aws/credential")
    result = setup.diagnose(TF_ERROR, "--offline")
    assert result["diagnosis"]["cause"] == "terraform-files-missing"
    assert result["diagnosis"]["confidence"] == "confirmed"
    said = evidence(result)
    assert "profile 'dev' (the Terraform provider block at main.tf line 4" in said
    assert "(main.tf line 7) lists ~/.aws/credential, which does not exist" in said
    assert "did you mean ~/.aws/credentials?" in said
    first = commands(result)[0]
    assert first.startswith("sed -i.bak '7s/")
    assert first.endswith(str(main))
    assert '["~\\/.aws\\/credentials"]' in first
    assert "AWS_PROFILE" not in " ".join(commands(result))
    assert "no profile is selected" not in str(result)


def test_a_provider_block_that_lists_another_missing_file(setup: Setup) -> None:
    """The listed file is not a slip of ~/.aws/credentials's name: no edit is guessed, and the
    step names the line of main.tf and the files the provider would read without it."""
    _terraform_setup(setup, "/srv/terraform/aws-keys")
    result = setup.diagnose(TF_ERROR, "--offline")
    assert result["diagnosis"]["cause"] == "terraform-files-missing"
    first = result["steps"][0]["text"]
    assert "main.tf line 7" in first
    assert "~/.aws/credentials" in first
    assert not any(command.startswith("sed") for command in commands(result))


def test_a_provider_block_whose_listed_file_exists_is_not_this_cause(setup: Setup) -> None:
    """The control: the listed file exists (it is the one with the keys), so nothing is missing."""
    _terraform_setup(setup, "~/.aws/credentials")
    result = setup.diagnose(TF_ERROR, "--offline")
    assert result["diagnosis"] is None or result["diagnosis"]["cause"] != "terraform-files-missing"


# -- s27: `aws configure export-credentials` with AWS CLI version 1 -------------------------

# AWS CLI 1.45.11: `aws configure export-credentials --profile dev --format env` (audit 5, s27)
V1_USAGE = """\
$ aws configure export-credentials --profile dev --format env
usage: 
Note: AWS CLI version 2, the latest major version of the AWS CLI, is now stable and recommended for general use. For more information, see the AWS CLI version 2 installation instructions at: https://docs.aws.amazon.com/cli/latest/userguide/install-cliv2.html

usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
To see help text, you can run:

  aws help
  aws <command> help
  aws <command> <subcommand> help
aws: error: argument subcommand: Invalid choice, valid choices are:

list                                     | get                                     
set                                      | add-model
"""  # noqa: W291 (the CLI pads each choice to 40 columns)


def _cli_setup(setup: Setup, tmp_path: Path, version: str) -> None:
    cli = fakecli.install(tmp_path / "cli", version)
    setup.env["PATH"] = f"{cli}{os.pathsep}{setup.env['PATH']}"
    setup.write(".aws/credentials", f"[dev]\n{KEYS_TEXT}")
    setup.write(".aws/config", "[profile dev]\nregion = eu-west-1\n")


def test_a_version_2_command_run_with_cli_version_1(setup: Setup, tmp_path: Path) -> None:
    """s27: version 1's `configure` has only list, get, set and add-model (aws/aws-cli
    awscli/customizations/configure/configure.py), so `configure export-credentials` is refused
    by its argument parser. It was no-credentials for profile default; now the CLI is too old
    (confirmed: `aws --version` says 1.x), the first step installs version 2, and the profile
    is the pasted command's dev (the usage lines `aws help` are not commands that ran)."""
    _cli_setup(setup, tmp_path, fakecli.V1)
    result = setup.diagnose(V1_USAGE, "--offline")
    assert result["diagnosis"]["cause"] == "cli-too-old-for-command"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "getting-started-install.html" in result["steps"][0]["text"]
    assert commands(result)[0] == "aws --version"
    assert "aws sts get-caller-identity --profile dev" in commands(result)
    assert "--profile default" not in texts(result)


def test_the_same_refusal_with_version_2_installed_here(setup: Setup, tmp_path: Path) -> None:
    """Version 2 is what `aws` runs here, but the paste is version 1's: another `aws` ran."""
    _cli_setup(setup, tmp_path, fakecli.V2)
    result = setup.diagnose(V1_USAGE, "--offline")
    assert result["diagnosis"]["cause"] == "cli-too-old-for-command"
    assert result["diagnosis"]["confidence"] == "likely"
    assert "type -a aws" in commands(result)


def test_a_typo_of_a_configure_command_is_not_a_missing_command(
    setup: Setup, tmp_path: Path
) -> None:
    """`aws configure lst`: version 1 names the near choice ("maybe you meant: * list"), a
    typo that no version has, not a version 2 command."""
    _cli_setup(setup, tmp_path, fakecli.V1)
    text = (
        "$ aws configure lst\naws: error: argument subcommand: Invalid choice, valid choices"
        " are:\n\nlist | get\nset | add-model\n\n\nInvalid choice: 'lst', maybe you meant:\n\n"
        "  * list\n"
    )
    result = setup.diagnose(text, "--offline")
    assert result["diagnosis"] is None or (
        result["diagnosis"]["cause"] != "cli-too-old-for-command"
    )


#: `aws login` (AWS CLI 2.32.0) with version 1 or a version 2 before 2.27: the top-level parser
#: lists the services it has (aws/aws-cli awscli/argparser.py CLIArgParser._check_value).
V1_LOGIN = (
    "$ aws login\n\n"
    + V1_USAGE[V1_USAGE.index("usage: aws") : V1_USAGE.index("aws: error:")]
    + """
aws: error: argument command: Invalid choice, valid choices are:

accessanalyzer                           | account
acm                                      | acm-pca
"""  # the list goes on with every service
)


def test_aws_login_with_cli_version_1(setup: Setup, tmp_path: Path) -> None:
    """Audit 5 left it: the refusal names no command, only the services; the command line
    above it does. It was the general check with this cause second."""
    _cli_setup(setup, tmp_path, fakecli.V1)
    result = setup.diagnose(V1_LOGIN, "--offline")
    assert result["diagnosis"]["cause"] == "cli-too-old-for-command"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert commands(result)[0] == "aws --version"


def test_aws_login_with_a_version_2_before_it_came(setup: Setup, tmp_path: Path) -> None:
    """Version 2 from 2.27 names the command; 2.31 is older than aws login (2.32.0)."""
    _cli_setup(setup, tmp_path, fakecli.V2)
    text = "$ aws login\n\naws: [ERROR]: argument command: Found invalid choice 'login'\n"
    result = setup.diagnose(text, "--offline")
    assert result["diagnosis"]["cause"] == "cli-too-old-for-command"
    assert result["diagnosis"]["confidence"] == "likely"
    assert "aws login 2.32.0; `aws --version` says which this one is" in texts(result)


def test_another_unknown_top_level_command_is_only_possibly_a_newer_one(
    setup: Setup, tmp_path: Path
) -> None:
    """Without `aws login` above it, the services' list may answer a typo or a service newer
    than this CLI: not confirmed by the CLI's version."""
    _cli_setup(setup, tmp_path, fakecli.V1)
    result = setup.diagnose(V1_LOGIN.replace("$ aws login", "$ aws s3files list"), "--offline")
    assert result["diagnosis"] is None or result["diagnosis"]["confidence"] != "confirmed"
