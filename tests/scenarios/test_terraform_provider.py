"""Terraform's AWS provider block chooses the profile: the checks use it (probes.tfprovider).

`terraform plan` takes no --profile: `provider "aws" { profile = "dev" }` in main.tf chooses it,
and the error Terraform prints names the block, not the profile. Each test builds the setup for
real (a temp HOME, users and keys in moto with auth enforced, behind the gateway of gateway.py),
writes the Terraform configuration into the directory awsmedic runs in, and pastes the error
Terraform 1.x with hashicorp/aws 6.x printed for that setup (captured by running it against the
same kind of back end: the text is Terraform's, only the request id is its own).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.awsfixtures import MotoAws
from tests.scenarios.gateway import Gateway
from tests.scenarios.harness import (
    admin,
    assert_no_secrets,
    diagnose,
    environment,
    section,
    write,
)
from tests.scenarios.test_pasted_command import commands, masked

pytestmark = [pytest.mark.moto, pytest.mark.slow]

MAIN_TF = """\
terraform {
  required_providers { aws = { source = "hashicorp/aws" } }
}
provider "aws" {
  region  = "eu-west-1"
  profile = "dev"
}
data "aws_caller_identity" "me" {}
output "arn" { value = data.aws_caller_identity.me.arn }
"""

# `terraform plan -no-color` for MAIN_TF, the key of [dev] deleted in IAM.
TERRAFORM_ERROR = """\
$ terraform plan

Error: Retrieving AWS account details: validating provider credentials: retrieving caller \
identity from STS: operation error STS: GetCallerIdentity, https response error StatusCode: 403, \
RequestID: MKVAjklJJf0hWhbBnB4dNvuOD7gv3tvmm9EwYD2sre8IAYFq2qKM, api error InvalidClientTokenId: \
The security token included in the request is invalid.

  with provider["registry.terraform.io/hashicorp/aws"],
  on main.tf line 4, in provider "aws":
   4: provider "aws" {
"""


def test_the_provider_blocks_profile_is_the_one_checked(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """`default` holds an administrator's working keys; the provider block names `dev`, whose
    key was deleted. Checking `default` would find nothing wrong: the checks, and the steps,
    are about `dev`, and say once that the Terraform provider chose it."""
    boss = admin(aws)
    gone = aws.create_user("terraform")
    aws.delete_key("terraform", gone)
    aws.enforce()
    write(home, "credentials", section("default", boss) + "\n" + section("dev", gone))
    write(home, "config", "[profile dev]\nregion = eu-west-1\n")
    (tmp_path / "main.tf").write_text(MAIN_TF)
    env = environment()
    result = diagnose(env, TERRAFORM_ERROR, tmp_path, "--answer", "consent:iam.key-status=yes")
    chain = result.probe("creds.chain")["summary"]
    assert chain.startswith("profile 'dev' (the Terraform provider block at main.tf line 4)")
    assert masked(gone) in chain and masked(boss) not in chain
    assert result.probe("sts.identity")["status"] == "problem"
    assert result.probe("iam.key-status")["findings"] == ["key-not-in-account"]
    assert result.cause == "key-deleted"
    assert {"aws configure --profile dev", "aws sts get-caller-identity --profile dev"} <= set(
        commands(result)
    )
    # `default` appears only as the administrator that reads IAM, never as the one to fix
    assert not {
        "aws configure --profile default",
        "aws sts get-caller-identity --profile default",
    } & set(commands(result))
    assert {c for c in commands(result) if "--profile default" in c} <= {
        c for c in commands(result) if c.startswith("aws iam ")
    }
    said = [s["text"] for s in result.json["steps"] if "the Terraform provider" in s["text"]]
    assert len(said) == 1
    assert "`dev`: the profile of the Terraform provider (main.tf line 4)." in said[0]
    assert_no_secrets(result, boss, gone)


def test_only_the_provider_block_knows_the_profile(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """The audit's set-up: ~/.aws has only [dev] (its key deleted), nothing selects a profile
    in the environment. Without the provider block, `default` has no credentials at all."""
    gone = aws.create_user("terraform")
    aws.delete_key("terraform", gone)
    aws.enforce()
    write(home, "credentials", section("dev", gone))
    write(home, "config", "[profile dev]\nregion = eu-west-1\n")
    (tmp_path / "main.tf").write_text(MAIN_TF)
    result = diagnose(environment(), TERRAFORM_ERROR, tmp_path, "--offline")
    chain = result.probe("creds.chain")
    assert chain["summary"].startswith("profile 'dev' (the Terraform provider block at main.tf")
    assert "no-credentials" not in chain["findings"]
    assert "profile-credentials" in chain["findings"]
    region = result.probe("region.partition")["summary"]
    assert region.startswith("eu-west-1 (the Terraform provider block at main.tf line 4)")
    assert result.json["candidates"][0]["cause"] == "key-deleted"
    assert_no_secrets(result, gone)


def test_several_provider_blocks_and_no_line_are_named_not_picked(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """Two provider blocks, and an error without Terraform's `on <file> line <n>`: awsmedic says
    which blocks it saw and checks what it would without them."""
    keys = aws.create_user("kim")
    aws.enforce()
    write(home, "credentials", section("default", keys) + "\n" + section("dev", keys))
    aliased = 'provider "aws" {\n  alias   = "ops"\n  profile = var.ops_profile\n}\n'
    (tmp_path / "main.tf").write_text(MAIN_TF + aliased)
    inner = TERRAFORM_ERROR.split("\n\n")[1] + "\n"  # the Go SDK's message alone
    result = diagnose(environment(), inner, tmp_path, "--offline")
    summary = result.probe("creds.chain")["summary"]
    assert summary.startswith("profile 'default' (default; the Terraform files here have 2")
    assert "main.tf line 4: profile dev; main.tf line 10, alias ops: profile set by an" in summary
    assert "does not say which one failed" in summary
    assert_no_secrets(result, keys)
