"""aws.cmdline: what a wrapped command line says about the world it runs in."""

from __future__ import annotations

import pytest

from awsmedic.aws.cmdline import read


@pytest.mark.parametrize(
    ("words", "profile", "region"),
    [
        (["aws", "sts", "get-caller-identity", "--profile", "dev"], "dev", None),
        (["aws", "--profile=dev", "--region", "eu-west-1", "s3", "ls"], "dev", "eu-west-1"),
        (["/usr/local/bin/aws", "s3", "ls", "--region=us-west-2"], None, "us-west-2"),
        (["aws", "--profile", "a", "s3", "ls", "--profile", "b"], "b", None),  # the last wins
        (["python3", "-m", "awscli", "--profile", "dev", "s3", "ls"], "dev", None),
        (["sam", "deploy", "--profile", "dev", "--region", "eu-central-1"], "dev", "eu-central-1"),
        (["cdk", "deploy", "--profile", "dev"], "dev", None),
        (["eksctl", "get", "clusters", "-p", "dev", "-r", "ap-south-1"], "dev", "ap-south-1"),
        (["serverless", "deploy", "--aws-profile", "dev", "-r", "eu-west-3"], "dev", "eu-west-3"),
        (["terraform", "plan", "-var", "profile=dev"], None, None),  # no such options
        (["kubectl", "--profile", "dev"], None, None),  # not an AWS tool
    ],
)
def test_profile_and_region_options(
    words: list[str], profile: str | None, region: str | None
) -> None:
    line = read(words)
    assert (line.profile, line.region) == (profile, region)


def test_an_option_without_its_value_is_ignored() -> None:
    assert read(["aws", "s3", "ls", "--profile"]).profile is None


def test_leading_assignments_are_set_for_the_command_as_a_shell_would() -> None:
    line = read(["AWS_PROFILE=dev", "AWS_REGION=eu-west-1", "aws", "s3", "ls"])
    assert line.argv == ("aws", "s3", "ls")
    assert line.tool == "aws"
    env = line.environment({"HOME": "/home/me", "AWS_PROFILE": "prod"})
    assert env == {"HOME": "/home/me", "AWS_PROFILE": "dev", "AWS_REGION": "eu-west-1"}


def test_env_runs_as_it_is_and_the_probes_see_what_it_changes() -> None:
    line = read(["env", "-u", "AWS_SESSION_TOKEN", "AWS_PROFILE=dev", "aws", "--no-verify-ssl"])
    assert line.argv[0] == "env"  # env itself does the work
    base = {"HOME": "/h", "AWS_SESSION_TOKEN": "t", "AWS_PROFILE": "prod"}
    assert line.environment(base) == base
    assert line.diagnosis_environment(base) == {"HOME": "/h", "AWS_PROFILE": "dev"}
    assert line.tool == "aws" and line.verify_ssl is False


def test_env_i_starts_from_nothing() -> None:
    line = read(["env", "-i", "HOME=/x", "aws", "s3", "ls"])
    assert line.diagnosis_environment({"AWS_PROFILE": "prod", "PATH": "/bin"}) == {"HOME": "/x"}


def test_endpoint_and_ca_bundle_reach_the_probes_as_botocore_variables() -> None:
    line = read(
        ["aws", "--endpoint-url", "http://localhost:4566", "--ca-bundle", "/ca.pem", "s3", "ls"]
    )
    env = line.diagnosis_environment({})
    assert env == {"AWS_ENDPOINT_URL": "http://localhost:4566", "AWS_CA_BUNDLE": "/ca.pem"}
    assert line.environment({}) == {}  # the command itself keeps its options, not variables


def test_no_secret_in_the_repr() -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
    line = read([f"AWS_SECRET_ACCESS_KEY={secret}", "env", f"X={secret}", "aws", secret])
    assert secret not in repr(line)


def test_display_quotes_like_a_shell() -> None:
    assert read(["aws", "s3", "ls", "s3://my bucket"]).display() == "aws s3 ls 's3://my bucket'"


def test_run_checks_the_commands_profile_and_says_where_it_came_from() -> None:
    from awsmedic.cli.run import diagnosis_context
    from tests.conftest import make_context

    line = read(["eksctl", "get", "clusters", "-p", "dev", "--region=eu-west-1"])
    assert dict(line.via) == {"profile": "-p", "region": "--region"}
    seen = diagnosis_context(make_context(), line)
    assert (seen.profile, seen.profile_source, seen.profile_explicit) == (
        "dev",
        "-p in the command line",
        True,
    )
    assert (seen.region, seen.region_source) == ("eu-west-1", "--region in the command line")
    own = diagnosis_context(make_context(profile="prod"), line)  # awsmedic's own still wins
    assert (own.profile, own.profile_source) == ("prod", "--profile")
    assert (own.region, own.region_source) == ("eu-west-1", "--region in the command line")
