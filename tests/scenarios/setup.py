"""A broken setup built for real, the error boto3 raises in it, and awsmedic's diagnosis of it.

Each scenario gets a temporary HOME with exact file bytes and an exact environment. The error
is captured by running boto3 in a subprocess in that setup, then `awsmedic diagnose` runs as a
subprocess in the same setup, as a user would run it. Traffic only goes to 127.0.0.1: the
AWS endpoint is a closed local port unless the scenario serves its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.awsfixtures import free_port
from tests.unit.probes.helpers import KEY, SECRET

#: The static keys most scenarios write into a profile section (the harness's fixture key).
KEYS_TEXT = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"

_CALL = """
import boto3, traceback
try:
    session = boto3.Session(profile_name={profile!r})
    session.client("sts").get_caller_identity()
except Exception as exc:
    print(traceback.format_exc().strip() if {full!r} else
          f"{{type(exc).__module__}}.{{type(exc).__name__}}: {{exc}}")
else:
    print("no error")
"""


@dataclass
class Setup:
    home: Path
    env: dict[str, str]
    secrets: list[str] = field(default_factory=list)

    @classmethod
    def fresh(cls, home: Path) -> Setup:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")
        }
        env.update(
            HOME=str(home),
            AWS_DEFAULT_REGION="us-east-1",
            # Nothing may reach the internet: a closed local port stands in for AWS.
            AWS_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}",
            PYTHONDONTWRITEBYTECODE="1",
        )
        return cls(home, env)

    def write(self, relative: str, data: str | bytes) -> Path:
        path = self.home / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    def boto3_error(
        self, profile: str | None = None, *, traceback: bool = False, prefix: Sequence[str] = ()
    ) -> str:
        """What boto3 raises for sts:GetCallerIdentity here (its last line, or the traceback);
        `prefix` runs it under another program (`faketime -f +1d`)."""
        code = _CALL.format(profile=profile, full=traceback)
        result = subprocess.run(
            [*prefix, sys.executable, "-c", code],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, result.stderr
        assert "no error" not in result.stdout, "the broken setup is not broken"
        return result.stdout.strip()

    def diagnose(self, text: str, *args: str, prefix: Sequence[str] = ()) -> dict[str, Any]:
        """`awsmedic diagnose --format json --no-input` here; checks no secret leaks anywhere."""
        export = self.home.parent / "transcript.md"
        export.unlink(missing_ok=True)
        result = subprocess.run(
            [
                *prefix,
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
                text,
            ],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=self.home.parent,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, (text, result.stdout, result.stderr)
        outputs = [result.stdout, result.stderr, export.read_text()]
        for secret in self.secrets:
            for output in outputs:
                assert secret not in output, f"a secret leaked: {secret[:6]}…"
        return dict(json.loads(result.stdout))


def cause(result: dict[str, Any]) -> str:
    """The diagnosed cause, or the best candidate when the walk stopped at a question."""
    if result["diagnosis"] is not None:
        return str(result["diagnosis"]["cause"])
    return str(result["candidates"][0]["cause"])


def evidence(result: dict[str, Any]) -> str:
    return "\n".join(result["diagnosis"]["evidence"]) if result["diagnosis"] else ""


def commands(result: dict[str, Any]) -> list[str]:
    """Every command of the steps, in order (the JSON report's `steps[].commands`)."""
    return [command for step in result["steps"] for command in step["commands"]]


def texts(result: dict[str, Any]) -> str:
    """The steps' text, one step a line."""
    return "\n".join(step["text"] for step in result["steps"])
