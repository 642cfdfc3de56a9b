"""`awsmedic diagnose` on broken setups of the signature, clock and expiry family, built for real.

Each case builds the setup (temp HOME with exact file bytes, env vars, moto on 127.0.0.1 with
auth enforced), captures the error boto3 really raises in it, then runs awsmedic as a subprocess
in the same setup and checks the cause and that no secret appears in stdout, stderr or the
exported transcripts. moto checks signatures but not time or expiry, so the clock and expiry
cases put tests/awsgateway.py in front of it, which answers as AWS does (Date header, "Signature
expired", RequestTimeTooSkewed, ExpiredToken); their clocks are shifted with libfaketime
(Debian package `faketime`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from awsmedic.probes.expiry import role_cache_key
from tests.awsfixtures import Keys, MotoAws
from tests.awsgateway import Gateway

pytestmark = pytest.mark.moto

FAKETIME = shutil.which("faketime")
needs_faketime = pytest.mark.skipif(
    FAKETIME is None,
    reason="faketime is not installed (Debian package 'faketime': apt-get install faketime)",
)
ASSUME_ROLE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}],
}


def shifted(offset: str | None) -> list[str]:
    """A command prefix that runs a program with its clock moved by `offset` ("-75m", "+3h")."""
    return [FAKETIME or "faketime", "-f", offset] if offset else []


def capture(env: dict[str, str], call: str, clock: str | None = None) -> str:
    """The error boto3 really raises for `call` in this setup, as its last traceback line."""
    code = (
        "import boto3\n"
        f"try:\n    {call}\n"
        "except Exception as e:\n    print(f'{type(e).__module__}.{type(e).__name__}: {e}')\n"
        "else:\n    print('no error')\n"
    )
    result = subprocess.run(
        [*shifted(clock), sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() and "no error" not in result.stdout, result
    return result.stdout.strip()


def diagnose(env: dict[str, str], text: str, tmp: Path, clock: str | None = None) -> dict[str, Any]:
    """Run awsmedic like a user would (JSON, then Markdown and JSON exports); check for secrets."""
    outputs: list[str] = []
    result: dict[str, Any] = {}
    for fmt, export in (("json", "t.md"), ("text", "t.json")):
        done = subprocess.run(
            [
                *shifted(clock),
                sys.executable,
                "-m",
                "awsmedic",
                "diagnose",
                "--no-input",
                "--format",
                fmt,
                "--export",
                str(tmp / export),
                text,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
            cwd=tmp,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, (text, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        outputs += [done.stdout, done.stderr, (tmp / export).read_text()]
        if fmt == "json":
            result = json.loads(done.stdout)
    result["_all_output"] = "\n".join(outputs)
    return result


def assert_no_secrets(result: dict[str, Any], *secrets: str) -> None:
    text = result["_all_output"]
    for secret in secrets:
        for form in {secret, secret.strip(), secret.strip().strip('"')}:
            assert form not in text


def write_profile(home: Path, name: str, key: str, secret: str) -> None:
    (home / ".aws" / "credentials").write_bytes(
        f"[{name}]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n".encode()
    )


@pytest.fixture
def gateway(aws: MotoAws, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    gw = Gateway(aws.url)
    monkeypatch.setenv("AWS_ENDPOINT_URL", gw.url)
    yield gw
    gw.close()


# -- the secret ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "code"),
    [
        ("boto3.client('sts').get_caller_identity()", "GetCallerIdentity"),
        ("boto3.client('s3').list_buckets()", "ListBuckets"),
    ],
)
def test_wrong_secret(aws: MotoAws, home: Path, tmp_path: Path, call: str, code: str) -> None:
    keys = aws.create_user("erin")
    aws.enforce()
    other = aws_like_secret(keys.secret_access_key)
    write_profile(home, "default", keys.access_key_id, other)
    error = capture(dict(os.environ), call)
    assert "SignatureDoesNotMatch" in error and code in error
    result = diagnose(dict(os.environ), error, tmp_path)
    assert result["matches"][0]["tree"] == "signature-does-not-match"
    assert result["diagnosis"]["cause"] == "secret-mismatch"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert any("SignatureDoesNotMatch" in line for line in result["diagnosis"]["evidence"])
    assert_no_secrets(result, keys.secret_access_key, other, keys.access_key_id)


def aws_like_secret(secret: str) -> str:
    """Another well-formed secret: same length and alphabet, different value."""
    return secret[20:] + secret[:20]


def test_quotes_around_the_secret(aws: MotoAws, home: Path, tmp_path: Path) -> None:
    keys = aws.create_user("frank")
    aws.enforce()
    write_profile(home, "default", keys.access_key_id, f'"{keys.secret_access_key}"')
    error = capture(dict(os.environ), "boto3.client('sts').get_caller_identity()")
    assert "SignatureDoesNotMatch" in error
    result = diagnose(dict(os.environ), error, tmp_path)
    assert result["diagnosis"]["cause"] == "stray-characters"
    assert result["diagnosis"]["confidence"] == "confirmed"
    evidence = " ".join(result["diagnosis"]["evidence"])
    assert "~/.aws/credentials line 3 [default]" in evidence and "quotes" in evidence
    assert any("~/.aws/credentials" in step["text"] for step in result["steps"])
    assert_no_secrets(result, keys.secret_access_key, keys.access_key_id)


def test_carriage_return_at_the_end_of_an_env_var(aws: MotoAws, tmp_path: Path) -> None:
    keys = aws.create_user("grace")
    aws.enforce()
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": keys.access_key_id,
        "AWS_SECRET_ACCESS_KEY": keys.secret_access_key + "\r",
    }
    error = capture(env, "boto3.client('sts').get_caller_identity()")
    assert "SignatureDoesNotMatch" in error
    result = diagnose(env, error, tmp_path)
    assert result["diagnosis"]["cause"] == "stray-characters"
    evidence = " ".join(result["diagnosis"]["evidence"])
    assert "AWS_SECRET_ACCESS_KEY" in evidence and "carriage return" in evidence
    assert_no_secrets(result, keys.secret_access_key, keys.access_key_id)


# -- the clock -------------------------------------------------------------------------------
@needs_faketime
def test_clock_75_minutes_behind(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("heidi")
    aws.enforce()
    write_profile(home, "default", keys.access_key_id, keys.secret_access_key)
    error = capture(dict(os.environ), "boto3.client('sts').get_caller_identity()", "-75m")
    assert "Signature expired" in error and "- 15 min." in error
    result = diagnose(dict(os.environ), error, tmp_path, "-75m")
    assert result["matches"][0]["tree"] == "signature-does-not-match"
    assert result["diagnosis"]["cause"] == "clock-skew"
    assert result["diagnosis"]["confidence"] == "confirmed"
    skew = next(p for p in result["probes"] if p["id"] == "clock.skew")
    assert {"clock-behind", "clock-skewed-far"} <= set(skew["findings"])
    assert "75 minutes behind" in skew["summary"]
    assert "75 minutes behind" in result["_all_output"].split("## Why", 1)[-1]
    assert_no_secrets(result, keys.secret_access_key, keys.access_key_id)


@needs_faketime
def test_clock_3_hours_ahead_against_s3(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("ivan")
    aws.enforce()
    write_profile(home, "default", keys.access_key_id, keys.secret_access_key)
    error = capture(dict(os.environ), "boto3.client('s3').list_buckets()", "+3h")
    assert "RequestTimeTooSkewed" in error
    result = diagnose(dict(os.environ), error, tmp_path, "+3h")
    assert result["matches"][0]["tree"] == "request-time-skewed"
    assert result["diagnosis"]["cause"] == "clock-skew"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert any("3 hours ahead" in line for line in result["diagnosis"]["evidence"])
    assert_no_secrets(result, keys.secret_access_key, keys.access_key_id)


@needs_faketime
def test_clock_3_hours_ahead_against_sts(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("judy")
    aws.enforce()
    write_profile(home, "default", keys.access_key_id, keys.secret_access_key)
    error = capture(dict(os.environ), "boto3.client('sts').get_caller_identity()", "+3h")
    assert "Signature not yet current" in error
    result = diagnose(dict(os.environ), error, tmp_path, "+3h")
    assert result["diagnosis"]["cause"] == "clock-skew"
    assert result["diagnosis"]["confidence"] == "confirmed"


# -- expiry ----------------------------------------------------------------------------------
def assumed_role_session(aws: MotoAws, gateway: Gateway, home: Path) -> tuple[Keys, dict[str, Any]]:
    """A role profile whose session the AWS CLI cached, as `aws --profile deploy ...` leaves it."""
    base = aws.create_user("base", ASSUME_ROLE)
    iam = boto3.client(
        "iam",
        endpoint_url=aws.url,
        region_name="us-east-1",
        aws_access_key_id="bootstrap",
        aws_secret_access_key="bootstrap",
    )
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
    role = iam.create_role(RoleName="deploy", AssumeRolePolicyDocument=json.dumps(trust))
    arn = role["Role"]["Arn"]
    aws.enforce()
    (home / ".aws" / "config").write_text(
        f"[profile deploy]\nrole_arn = {arn}\nsource_profile = base\n"
    )
    write_profile(home, "base", base.access_key_id, base.secret_access_key)
    sts = boto3.client(
        "sts",
        endpoint_url=gateway.url,
        region_name="us-east-1",
        aws_access_key_id=base.access_key_id,
        aws_secret_access_key=base.secret_access_key,
    )
    response = sts.assume_role(
        RoleArn=arn, RoleSessionName="botocore-session-1", DurationSeconds=3600
    )
    cache = home / ".aws" / "cli" / "cache"
    cache.mkdir(parents=True)
    key = role_cache_key({"role_arn": arn})

    def serialise(value: object) -> str:
        assert isinstance(value, datetime)
        return value.isoformat()

    (cache / f"{key}.json").write_text(json.dumps(response, default=serialise))
    return base, response


@needs_faketime
@pytest.mark.parametrize("with_expiration", [False, True])
def test_expired_assumed_role_credentials(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path, with_expiration: bool
) -> None:
    """Keys copied out of the CLI's role cache two hours ago, for a tool that cannot use profiles.

    The gateway's clock and the programs' clocks (faketime) both move two hours on: the session
    STS issued for an hour has expired for AWS and for this machine alike.
    """
    base, response = assumed_role_session(aws, gateway, home)
    creds = response["Credentials"]
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
        "AWS_SESSION_TOKEN": creds["SessionToken"],
    }
    if with_expiration:  # as `aws configure export-credentials --format env` prints them
        env["AWS_CREDENTIAL_EXPIRATION"] = creds["Expiration"].isoformat()
    gateway.offset = timedelta(hours=2)
    error = capture(env, "boto3.client('sts').get_caller_identity()", "+2h")
    if with_expiration:
        assert "refreshed credentials are still expired" in error
    else:
        assert "ExpiredToken" in error and "is expired" in error
    result = diagnose(env, error, tmp_path, "+2h")
    assert result["matches"][0]["tree"] == "expired-token"
    assert result["diagnosis"]["cause"] == "expired-temporary-credentials"
    assert result["diagnosis"]["confidence"] == "confirmed"
    evidence = " ".join(result["diagnosis"]["evidence"])
    source = "AWS_CREDENTIAL_EXPIRATION" if with_expiration else "~/.aws/cli/cache/"
    assert source in evidence and re.search(r"\b(59|60|61) minutes ago", evidence)
    assert_no_secrets(
        result,
        creds["SecretAccessKey"],
        creds["SessionToken"],
        creds["AccessKeyId"],
        base.secret_access_key,
    )
