"""Scenarios from an outside audit that need AWS's answer: moto with auth enforced, behind the
AWS-like gateway (gateway.py), as in test_invalid_client_token_id."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.awsfixtures import MotoAws, free_port
from tests.scenarios.gateway import Gateway
from tests.scenarios.harness import assert_no_secrets, diagnose, environment, real_error

pytestmark = [pytest.mark.moto, pytest.mark.slow]


def test_quoted_keys_in_the_environment_leave_the_region_alone(
    aws: MotoAws, gateway: Gateway, tmp_path: Path
) -> None:
    """`export AWS_ACCESS_KEY_ID="..."` copied with its quotes inside the value. The region is
    clean and every value was checked: no step asks to set the region again."""
    keys = aws.create_user("alice")
    aws.enforce()
    env = environment(
        AWS_ACCESS_KEY_ID=f'"{keys.access_key_id}"',
        AWS_SECRET_ACCESS_KEY=f'"{keys.secret_access_key}"',
    )
    result = diagnose(env, real_error(env), tmp_path)
    assert (result.cause, result.confidence) == ("stray-characters", "confirmed")
    assert "AWS_ACCESS_KEY_ID: surrounding quotes" in result.evidence()
    steps = result.json["steps"]
    assert not any("configure set region" in c for step in steps for c in step["commands"])
    assert_no_secrets(result, keys)


def test_a_proxy_left_over_from_another_network(
    aws: MotoAws, gateway: Gateway, tmp_path: Path
) -> None:
    """HTTP(S)_PROXY still names a proxy that is gone: the fix is the variable, not the TLS
    interception steps (certificate issuer, company CA bundle, NO_PROXY exemptions)."""
    keys = aws.create_user("alice")
    aws.enforce()
    dead = f"http://127.0.0.1:{free_port()}"
    env = environment(
        AWS_ACCESS_KEY_ID=keys.access_key_id,
        AWS_SECRET_ACCESS_KEY=keys.secret_access_key,
        HTTP_PROXY=dead,
        HTTPS_PROXY=dead,
    )
    error = proxy_error(env)
    assert f'Failed to connect to proxy URL: "{dead}"' in error
    result = diagnose(env, error, tmp_path)
    assert (result.cause, result.confidence) == ("tls-or-proxy", "confirmed")
    assert "connection refused" in result.evidence()
    commands = [c for step in result.json["steps"] for c in step["commands"]]
    assert "unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy" in commands
    assert not any("openssl" in c or "AWS_CA_BUNDLE" in c for c in commands)
    assert_no_secrets(result, keys)


def proxy_error(env: dict[str, str]) -> str:
    """boto3's error where the request never reached AWS (harness.real_error wants a
    ClientError)."""
    code = (
        "import boto3\ntry:\n    boto3.client('sts').get_caller_identity()\n"
        "except Exception as e:\n    print(f'{type(e).__module__}.{type(e).__name__}: {e}')\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    return ran.stdout.strip()
