"""Scenarios from an outside audit that need AWS's answer: moto with auth enforced, behind the
AWS-like gateway (gateway.py), as in test_invalid_client_token_id."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.awsfixtures import MotoAws
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
