"""A carriage return at the end of AWS_ACCESS_KEY_ID (a CRLF .env file): the HTTP client refuses
to send the request at all, and botocore says "Invalid header value". Real setup, real error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.awsfixtures import MotoAws
from tests.scenarios.harness import assert_no_secrets, diagnose, environment

pytestmark = pytest.mark.moto

CALL = (
    "import boto3\n"
    "try:\n    boto3.client('sts').get_caller_identity()\n"
    "except Exception as e:\n    print(f'{type(e).__module__}.{type(e).__name__}: {e}')\n"
)


def test_carriage_return_in_the_key_id(aws: MotoAws, tmp_path: Path) -> None:
    keys = aws.create_user("crlf")
    aws.enforce()
    env = environment(
        AWS_ACCESS_KEY_ID=keys.access_key_id + "\r",
        AWS_SECRET_ACCESS_KEY=keys.secret_access_key,
    )
    done = subprocess.run(
        [sys.executable, "-c", CALL], env=env, capture_output=True, text=True, timeout=60
    )
    error = done.stdout.strip()
    assert "HTTPClientError" in error and "Invalid header value" in error
    result = diagnose(env, error, tmp_path)
    assert result.json["matches"][0]["tree"] == "invalid-header-value"
    assert (result.cause, result.confidence) == ("stray-characters", "confirmed")
    assert "AWS_ACCESS_KEY_ID" in result.evidence()
    assert_no_secrets(result, keys)
