"""CI: `diagnose --format github` (annotations and the job summary), and nobody is asked when
CI is set or stdin is not a terminal. README's GitHub Actions and GitLab CI snippets rely on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_run import Screen

pytestmark = pytest.mark.slow

ERROR = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation:"
    " The security token included in the request is invalid."
)
KEYS = "[default]\naws_access_key_id = AKIAJ7MGCRIPPLEEKEYQ\naws_secret_access_key = {}\n".format(
    "0123456789012345678901234567890123456789"
)


def diagnose(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsmedic", "diagnose", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def test_diagnose_format_github(home: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "AKIAJ7MGCRIPPLEEKEYQ",
        "AWS_SECRET_ACCESS_KEY": "0123456789012345678901234567890123456789",
        "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjEOj//////////wEaCXVzLWVhc3QtMSJHMEUCIQD" * 4,
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    result = diagnose("--offline", "--format", "github", ERROR, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith("::error title=AWS credentials%3A A leftover session token")
    assert "stale-session-token (confirmed)" in line
    assert "the job summary" in line
    text = summary.read_text()
    assert "## Cause: A leftover session token" in text and "### Steps" in text
    assert env["AWS_SESSION_TOKEN"] not in result.stdout + text


def test_diagnose_format_github_without_a_match(tmp_path: Path) -> None:
    result = diagnose("--format", "github", "a quiet day", env=dict(os.environ), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("::notice title=awsmedic::")


def _screen(env: dict[str, str], home: Path, tmp_path: Path) -> Screen:
    (home / ".aws" / "credentials").write_text(KEYS)
    argv = [sys.executable, "-m", "awsmedic", "diagnose", "--offline", ERROR]
    return Screen(argv, env, tmp_path)


def test_in_a_terminal_diagnose_asks_but_not_in_ci(home: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    with _screen(env, home, tmp_path) as screen:
        screen.wait_for("Answer (number or text")
    with _screen({**env, "CI": "true"}, home, tmp_path) as screen:
        text = screen.finish()
        assert screen.process.returncode == 0
    assert "Answer (number or text" not in text
    assert "(unanswered)" in text
