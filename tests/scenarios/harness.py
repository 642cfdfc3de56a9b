"""Run a broken setup for real: capture boto3's error there, then `awsmedic diagnose` on it.

Everything runs as subprocesses in the same environment (temp HOME, AWS_* variables, the local
endpoint), the way a user would: first the failing boto3 call, then awsmedic with the error text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3

from tests.awsfixtures import REAL_KEY_ALPHABET, Keys, MotoAws

ADMIN_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
STS_CALL = "boto3.client('sts').get_caller_identity()"


@dataclass
class Result:
    error: str
    json: dict[str, Any]
    output: str  # stdout and stderr of awsmedic, and the exported transcript

    @property
    def cause(self) -> str | None:
        diagnosis = self.json["diagnosis"]
        return diagnosis["cause"] if diagnosis else None

    @property
    def confidence(self) -> str | None:
        diagnosis = self.json["diagnosis"]
        return diagnosis["confidence"] if diagnosis else None

    def probe(self, probe_id: str) -> dict[str, Any]:
        return next(p for p in self.json["probes"] if p["id"] == probe_id)

    def evidence(self) -> str:
        return "\n".join(self.json["diagnosis"]["evidence"]) if self.json["diagnosis"] else ""


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def real_error(env: dict[str, str], call: str = STS_CALL) -> str:
    """The error boto3 raises for `call` in this setup (the text a user would paste)."""
    code = (
        "import boto3\n"
        f"try:\n    {call}\n"
        "except Exception as e:\n    print(f'{type(e).__module__}.{type(e).__name__}: {e}')\n"
        "else:\n    print('no error')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert "no error" not in result.stdout, "the broken setup is not broken"
    assert "botocore.exceptions.ClientError" in result.stdout, result.stdout + result.stderr
    return result.stdout.strip()


def diagnose(env: dict[str, str], error: str, tmp_path: Path, *args: str) -> Result:
    export = tmp_path / "transcript.md"
    export.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "awsmedic",
        "diagnose",
        "--format",
        "json",
        "--no-input",
        "--export",
        str(export),
        *args,
        error,
    ]
    result = subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr + export.read_text()
    return Result(error, json.loads(result.stdout), output)


def assert_no_secrets(result: Result, *keys: Keys) -> None:
    """No secret key or token anywhere, and key ids only masked."""
    for keyset in keys:
        values = [keyset.secret_access_key, keyset.access_key_id]
        if keyset.session_token:
            values.append(keyset.session_token)
        for value in values:
            assert value not in result.output, f"a secret leaked: ...{value[-4:]}"


def write(home: Path, name: str, text: str) -> None:
    (home / ".aws" / name).write_text(text, encoding="utf-8")


def section(name: str, keys: Keys, extra: str = "") -> str:
    text = (
        f"[{name}]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )
    if keys.session_token:
        text += f"aws_session_token = {keys.session_token}\n"
    return text + extra


def admin(aws: MotoAws) -> Keys:
    """An administrator whose old, working keys live in another profile of the same machine."""
    keys = aws.create_user("admin", ADMIN_POLICY)
    backdate(keys.access_key_id, days=90)
    return keys


def backdate(key_id: str, days: int) -> None:
    """Make a moto key old (as the keys of a long-standing admin are)."""
    from moto.iam.models import iam_backends

    for backend in iam_backends["123456789012"].values():
        for key in backend.get_all_access_keys_for_all_users():
            if key.access_key_id == key_id:
                key.create_date = (datetime.now(UTC) - timedelta(days=days)).replace(tzinfo=None)


def china_user(url: str, name: str) -> Keys:
    """A user of the aws-cn partition (moto keeps one IAM per partition, like AWS)."""
    iam = boto3.client(
        "iam",
        endpoint_url=url,
        region_name="cn-north-1",
        aws_access_key_id="bootstrap",
        aws_secret_access_key="bootstrap",
    )
    iam.create_user(UserName=name)
    for _ in range(200):
        key = iam.create_access_key(UserName=name)["AccessKey"]
        if set(key["AccessKeyId"][4:]) <= REAL_KEY_ALPHABET:
            return Keys(key["AccessKeyId"], key["SecretAccessKey"])
        iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    raise RuntimeError("moto never produced a realistic key id")


def typo(key_id: str) -> str:
    """The key id with one character mistyped (an O read as a zero)."""
    return key_id[:10] + "0" + key_id[11:]
