"""`awsmedic check` offline, as a process: the table in a terminal (colour only there, never
with NO_COLOR), and the JSON object scripts read. tests/moto/test_check_e2e.py asks AWS too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_run import Screen

pytestmark = pytest.mark.slow

PLACEHOLDER = (
    "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
)
ARGV = [sys.executable, "-m", "awsmedic", "check", "--all", "--offline"]


def _check_json(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`awsmedic check --all --offline --format json`, as a script runs it."""
    return subprocess.run(
        [*ARGV, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def _terminal_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    return {**env, "TERM": "xterm-256color", **extra}


def test_colour_in_a_terminal_and_none_with_no_color(home: Path, tmp_path: Path) -> None:
    (home / ".aws" / "credentials").write_text(PLACEHOLDER)
    with Screen(ARGV, _terminal_env(), tmp_path) as screen:
        screen.finish()
        assert screen.process.returncode == 1
        assert b"\x1b[" in screen.screen
        assert "placeholder-credentials" in screen.text()
    with Screen(ARGV, _terminal_env(NO_COLOR="1"), tmp_path) as screen:
        screen.finish()
        assert b"\x1b[1m" not in screen.screen and b"\x1b[31m" not in screen.screen
        assert "placeholder-credentials" in screen.text()


def test_the_json_object(home: Path, tmp_path: Path) -> None:
    (home / ".aws" / "credentials").write_text(PLACEHOLDER + "[spare]\n")
    (home / ".aws" / "config").write_text("[profile spare]\nregion = eu-west-1\n")
    result = _check_json(tmp_path, dict(os.environ))
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {
        "schema_version",
        "tool_version",
        "ok",
        "credentials",
        "profiles",
        "clock",
        "region",
        "partition",
        "problems",
        "offline",
    }
    default, spare = document["profiles"]
    assert (default["name"], default["in_use"], default["state"]) == ("default", True, "broken")
    assert default["first_step"]["commands"]  # the step to take has commands to copy
    assert (spare["name"], spare["kind"], spare["state"]) == ("spare", "none", "settings only")
    assert spare["cause"] is None and spare["evidence"] == [] and spare["needs_consent"] == []
    assert document["problems"] == [
        {k: default[k] for k in ("cause", "title", "confidence", "evidence", "first_step")}
        | {"where": "profile default"}
    ]
    assert "AKIAIOSFODNN7EXAMPLE" not in result.stdout


def test_a_bedrock_api_key_that_cannot_work_is_a_problem_of_the_machine(
    home: Path, tmp_path: Path
) -> None:
    """AWS_BEARER_TOKEN_BEDROCK is sent to Bedrock whichever profile is in use: a value that is
    no key is reported beside the credentials, without the value."""
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    env = {**os.environ, "AWS_BEARER_TOKEN_BEDROCK": "sk-ant-api03-Canary0123456789abc"}
    result = _check_json(tmp_path, env)
    assert result.returncode == 1, result.stderr
    problems = [p for p in json.loads(result.stdout)["problems"] if p["where"] == "bedrock"]
    assert [p["cause"] for p in problems] == ["bedrock-api-key-malformed"]
    assert "another provider's API key" in " ".join(problems[0]["evidence"])
    assert "Canary0123456789" not in result.stdout
    # unset, nothing is said about it
    del env["AWS_BEARER_TOKEN_BEDROCK"]
    quiet = _check_json(tmp_path, env)
    assert all(p["where"] != "bedrock" for p in json.loads(quiet.stdout)["problems"])
