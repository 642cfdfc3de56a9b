"""`awsmedic diagnose` as a user runs it, against broken setups built for real.

Each case builds the setup (env vars, ~/.aws files, a moto server with auth enforced), captures
the error boto3 really raises there, then runs awsmedic as a subprocess in the same setup.
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

pytestmark = pytest.mark.moto

STALE_TOKEN = base64.b64encode(b"an old session token from yesterday's assume-role " * 6).decode()


def real_error(env: dict[str, str]) -> str:
    """The error boto3 raises for sts:GetCallerIdentity in this setup."""
    code = (
        "import boto3\n"
        "try:\n    boto3.client('sts').get_caller_identity()\n"
        "except Exception as e:\n    print(f'{type(e).__module__}.{type(e).__name__}: {e}')\n"
        "else:\n    print('no error')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert "no error" not in result.stdout, "the broken setup is not broken"
    return result.stdout.strip()


def diagnose(
    env: dict[str, str], text: str, *args: str, cwd: Path
) -> tuple[int, dict[str, Any], str]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "awsmedic",
            "diagnose",
            "--format",
            "json",
            "--no-input",
            *args,
            text,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout), result.stdout + result.stderr


def assert_no_secrets(keys: Keys | None, *texts: str) -> None:
    if keys is None:
        return
    secrets = [keys.secret_access_key, keys.access_key_id, STALE_TOKEN]
    if keys.session_token:
        secrets.append(keys.session_token)
    for text in texts:
        for secret in secrets:
            assert secret not in text


def run_case(env: dict[str, str], tmp_path: Path, keys: Keys | None, *args: str) -> dict[str, Any]:
    error = real_error(env)
    status, result, output = diagnose(
        env, error, "--export", str(tmp_path / "t.md"), *args, cwd=tmp_path
    )
    assert status == 0, (error, output)
    exports = [(tmp_path / "t.md").read_text()]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "awsmedic",
            "diagnose",
            "--no-input",
            "--export",
            str(tmp_path / "t.json"),
            *args,
            error,
        ],
        env=env,
        capture_output=True,
        timeout=60,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        check=True,
    )
    exports.append((tmp_path / "t.json").read_text())
    assert_no_secrets(keys, output, *exports)
    assert oct((tmp_path / "t.md").stat().st_mode & 0o777) == "0o600"
    return result


def test_stale_session_token_beside_long_term_keys(aws: MotoAws, tmp_path: Path) -> None:
    keys = aws.create_user("alice")
    aws.enforce()
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": keys.access_key_id,
        "AWS_SECRET_ACCESS_KEY": keys.secret_access_key,
        "AWS_SESSION_TOKEN": STALE_TOKEN,
    }
    result = run_case(env, tmp_path, keys)
    assert result["matches"][0]["tree"] == "invalid-client-token-id"
    assert result["diagnosis"]["cause"] == "stale-session-token"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert any("AWS_SESSION_TOKEN" in line for line in result["diagnosis"]["evidence"])


def test_temporary_key_without_its_token(aws: MotoAws, tmp_path: Path) -> None:
    keys = aws.assume_role_keys()
    aws.enforce()
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": keys.access_key_id,
        "AWS_SECRET_ACCESS_KEY": keys.secret_access_key,
    }
    result = run_case(env, tmp_path, keys)
    assert result["diagnosis"]["cause"] == "missing-session-token"


def test_deleted_key(aws: MotoAws, tmp_path: Path, home: Path) -> None:
    keys = aws.create_user("bob")
    aws.delete_key("bob", keys)
    aws.enforce()
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {keys.access_key_id}\naws_secret_access_key = {keys.secret_access_key}\n"
    )
    env = dict(os.environ)
    result = run_case(env, tmp_path, keys)
    assert result["diagnosis"] is None
    assert result["candidates"][0]["cause"] == "key-deleted"
    identity = next(p for p in result["probes"] if p["id"] == "sts.identity")
    assert identity["findings"] == ["rejected-invalid-client-token-id"]
    answered = run_case(
        env,
        tmp_path / "again" if (tmp_path / "again").mkdir() is None else tmp_path,
        keys,
        "--answer",
        "key-history=deleted or rotated",
    )
    assert answered["diagnosis"]["cause"] == "key-deleted"


def test_documentation_example_key(aws: MotoAws, tmp_path: Path, home: Path) -> None:
    aws.enforce()
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
    )
    result = run_case(dict(os.environ), tmp_path, None)
    assert result["diagnosis"]["cause"] == "placeholder-credentials"
    assert result["diagnosis"]["confidence"] == "confirmed"


def test_no_credentials_at_all(aws: MotoAws, tmp_path: Path) -> None:
    aws.enforce()
    env = dict(os.environ)
    error = real_error(env)
    assert "Unable to locate credentials" in error
    result = run_case(env, tmp_path, None)
    assert result["matches"][0]["tree"] == "no-credentials"
    assert result["diagnosis"]["cause"] == "no-credentials"
