"""`awsmedic run` around a real boto3 script and around the AWS CLI, failing for known causes.

The AWS CLI here is v1, from PyPI (AWS publishes v2 only as its own installers, not on PyPI);
its global options are the same as v2's, its exit status for a service error is 255 (v2: 254).
Each case first runs the command directly, then through `awsmedic run`, and checks that the
exit status and the command's own output are the same, and that the diagnosis follows on stderr.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.awsfixtures import Keys, MotoAws
from tests.scenarios.harness import section, write

pytestmark = [pytest.mark.moto, pytest.mark.slow]

AWS_CLI = Path(sys.executable).parent / "aws"
STALE_TOKEN = base64.b64encode(b"the session token of an assume-role call long gone " * 6).decode()
SCRIPT = """\
import boto3
print("asking STS who I am", flush=True)
print(boto3.client("sts").get_caller_identity()["Arn"])
"""


@pytest.fixture
def aws_cli() -> str:
    if not AWS_CLI.exists():
        pytest.skip("the AWS CLI is not installed in this environment (test extras: awscli)")
    return str(AWS_CLI)


def direct(
    command: list[str], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        command, env=env, capture_output=True, timeout=120, cwd=cwd, stdin=subprocess.DEVNULL
    )


def wrapped(
    command: list[str], env: dict[str, str], cwd: Path, *options: str
) -> subprocess.CompletedProcess[bytes]:
    return direct([sys.executable, "-m", "awsmedic", "run", *options, "--", *command], env, cwd)


def diagnosis_json(stderr: bytes, own: bytes) -> dict[str, Any]:
    """The JSON object awsmedic appended to the command's own stderr."""
    assert stderr.startswith(own), "the command's stderr did not pass through first, unchanged"
    return json.loads(stderr[len(own) :])  # type: ignore[no-any-return]


def stale_token_env(keys: Keys) -> dict[str, str]:
    return {
        **os.environ,
        "AWS_ACCESS_KEY_ID": keys.access_key_id,
        "AWS_SECRET_ACCESS_KEY": keys.secret_access_key,
        "AWS_SESSION_TOKEN": STALE_TOKEN,
    }


def assert_no_secrets(keys: Keys, *outputs: bytes) -> None:
    for output in outputs:
        for secret in (keys.secret_access_key, keys.access_key_id, STALE_TOKEN):
            assert secret.encode() not in output


def test_a_boto3_script_with_a_stale_session_token(aws: MotoAws, tmp_path: Path) -> None:
    keys = aws.create_user("alice")
    aws.enforce()
    (tmp_path / "whoami.py").write_text(SCRIPT)
    env = stale_token_env(keys)
    command = [sys.executable, "whoami.py"]

    plain = direct(command, env, tmp_path)
    run = wrapped(command, env, tmp_path, "--format", "json")

    assert plain.returncode == run.returncode == 1  # Python's status for an uncaught error
    assert run.stdout == plain.stdout == b"asking STS who I am\n"
    assert b"InvalidClientTokenId" in plain.stderr
    result = diagnosis_json(run.stderr, plain.stderr)
    assert result["diagnosis"]["cause"] == "stale-session-token"
    assert result["run"]["exit_status"] == 1
    assert result["run"]["command"].endswith("whoami.py")
    assert_no_secrets(keys, run.stdout, run.stderr)


def test_the_aws_cli_with_a_profile_written_with_the_wrong_header(
    aws: MotoAws, aws_cli: str, home: Path, tmp_path: Path
) -> None:
    """`--profile dev` on the CLI's command line is the profile awsmedic diagnoses."""
    keys = aws.create_user("bob")
    aws.enforce()
    write(home, "credentials", section("profile dev", keys))
    env = dict(os.environ)
    command = [aws_cli, "sts", "get-caller-identity", "--profile", "dev"]

    plain = direct(command, env, tmp_path)
    run = wrapped(command, env, tmp_path)

    assert (
        plain.returncode == run.returncode == 255
    )  # AWS CLI v1 (v2 has its own statuses, 252-255)
    assert b"The config profile (dev) could not be found" in plain.stderr
    assert run.stdout == plain.stdout == b""
    assert run.stderr.startswith(plain.stderr)
    said = run.stderr[len(plain.stderr) :].decode()
    assert "Cause: The profile section header has the wrong form for its file" in said
    assert "exited with status 255" in said
    assert "[dev]" in said  # the step names the profile the command used
    assert_no_secrets(keys, run.stderr)


def test_the_aws_cli_with_an_aws_profile_prefix(
    aws: MotoAws, aws_cli: str, home: Path, tmp_path: Path
) -> None:
    """`AWS_PROFILE=dev aws ...` as the command: awsmedic sets it, as a shell would."""
    keys = aws.create_user("carol")
    aws.enforce()
    write(home, "config", "[dev]\nregion = us-east-1\n")
    write(home, "credentials", section("default", keys))
    run = wrapped(
        ["AWS_PROFILE=dev", aws_cli, "sts", "get-caller-identity"],
        dict(os.environ),
        tmp_path,
        "--format",
        "json",
    )
    assert run.returncode == 255
    result = json.loads(run.stderr[run.stderr.index(b"\n{") :])
    assert result["diagnosis"]["cause"] == "profile-prefix-confusion"
    profile = next(p for p in result["probes"] if p["id"] == "config.profile")
    assert "AWS_PROFILE" in profile["summary"]


def test_the_aws_cli_with_its_own_endpoint_and_region(
    aws: MotoAws, aws_cli: str, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--endpoint-url` and `--region` of the command are where the probes ask too: with no
    AWS_ENDPOINT_URL anywhere, only the command line says where the local endpoint is."""
    keys = aws.create_user("dave")
    aws.delete_key("dave", keys)
    aws.enforce()
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    write(home, "credentials", section("default", keys))
    command = [
        aws_cli,
        "--endpoint-url",
        aws.url,
        "sts",
        "get-caller-identity",
        "--region=eu-west-1",
    ]
    env = dict(os.environ)

    plain = direct(command, env, tmp_path)
    run = wrapped(command, env, tmp_path, "--format", "json")

    assert plain.returncode == run.returncode == 255
    assert b"InvalidClientTokenId" in plain.stderr
    result = diagnosis_json(run.stderr, plain.stderr)
    probes = {p["id"]: p for p in result["probes"]}
    # STS answered (moto): the probe did not try the real endpoint of eu-west-1.
    assert probes["sts.identity"]["findings"] == ["rejected-invalid-client-token-id"]
    assert "eu-west-1" in probes["region.partition"]["summary"]
    assert result["candidates"][0]["cause"] in ("key-deleted", "key-typo")


def test_github_annotations_and_the_job_summary(aws: MotoAws, aws_cli: str, tmp_path: Path) -> None:
    keys = aws.create_user("erin")
    aws.enforce()
    summary = tmp_path / "summary.md"
    summary.write_text("## Earlier step\n")
    env = {**stale_token_env(keys), "GITHUB_STEP_SUMMARY": str(summary), "CI": "true"}
    command = [aws_cli, "sts", "get-caller-identity"]

    plain = direct(command, env, tmp_path)
    run = wrapped(command, env, tmp_path, "--format", "github")

    assert plain.returncode == run.returncode == 255
    assert run.stdout == plain.stdout
    added = run.stderr[len(plain.stderr) :].decode().strip().splitlines()
    assert len(added) == 1, added  # one workflow command, one line
    annotation = added[0]
    assert annotation.startswith("::error title=AWS credentials%3A ")
    assert "stale-session-token" in annotation
    assert "First step: " in annotation
    assert "exited with status 255" in annotation
    assert "%0A" in annotation and "\r" not in annotation
    text = summary.read_text()
    assert text.startswith("## Earlier step\n")  # appended, never overwritten
    assert "# awsmedic diagnosis" in text
    assert "`stale-session-token`" in text
    assert "exited with status 255" in text
    assert_no_secrets(keys, run.stdout, run.stderr, text.encode())
