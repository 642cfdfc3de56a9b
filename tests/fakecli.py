"""A stand-in `aws` command for tests: prints the version line the real CLI prints.

Tests never run the developer's AWS CLI (its version would decide which steps they see), so the
autouse `clean_env` fixture puts a version-2 stand-in first on PATH; a test that needs another
one puts its own first, or a PATH without any.
"""

from __future__ import annotations

import stat
from pathlib import Path

V2 = "aws-cli/2.31.0 Python/3.13.7 Linux/6.8.0 exe/x86_64.ubuntu.24"
V1 = "aws-cli/1.42.50 Python/3.11.7 Linux/6.8.0 botocore/1.40.50"


def install(directory: Path, version_line: str | None, *, stderr: bool = False) -> Path:
    """An `aws` script in `directory` that prints `version_line` (None: no script at all)."""
    directory.mkdir(parents=True, exist_ok=True)
    if version_line is not None:
        script = directory / "aws"
        target = " >&2" if stderr else ""
        script.write_text(f"#!/bin/sh\necho '{version_line}'{target}\n", encoding="utf-8")
        script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return directory
