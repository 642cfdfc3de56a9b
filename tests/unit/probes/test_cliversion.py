"""cli.version: the installed AWS CLI's major version, from `aws --version`, bounded."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest

from awsmedic.model import Status
from tests import fakecli
from tests.unit.probes.helpers import probe


def only_on_path(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    monkeypatch.setenv("PATH", str(directory))


@pytest.mark.parametrize(
    ("line", "stderr", "finding", "version"),
    [
        (fakecli.V2, False, "cli-v2", "2.31.0"),
        (fakecli.V1, False, "cli-v1", "1.42.50"),
        (fakecli.V1, True, "cli-v1", "1.42.50"),  # version 1 on Python 2 printed to stderr
    ],
)
def test_the_major_version(
    line: str,
    stderr: bool,
    finding: str,
    version: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    only_on_path(monkeypatch, fakecli.install(tmp_path / "bin", line, stderr=stderr))
    evidence = probe("cli.version")
    assert evidence.findings == (finding,)
    assert evidence.facts["cli_version"].value == version


def test_no_cli_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    only_on_path(monkeypatch, fakecli.install(tmp_path / "empty", None))
    evidence = probe("cli.version")
    assert evidence.findings == ("cli-missing",) and "not installed" in evidence.summary
    # Not a passed check (audit 5 s13 showed it with a ✓): the steps that asked need a CLI.
    assert evidence.status is Status.PROBLEM


def script(directory: Path, body: str) -> Path:
    directory.mkdir()
    aws = directory / "aws"
    aws.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    aws.chmod(aws.stat().st_mode | stat.S_IXUSR)
    return directory


def test_it_runs_with_no_aws_settings_and_no_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI reads no profile or plugin of the user's: both files are the null device."""
    out = tmp_path / "seen"
    body = f'/usr/bin/env > {out}; read x; echo "read:$x" >> {out}; echo "{fakecli.V2}"\n'
    only_on_path(monkeypatch, script(tmp_path / "bin", body))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_PROFILE", "dev")
    assert probe("cli.version").findings == ("cli-v2",)
    seen = out.read_text(encoding="utf-8")
    assert "AWS_CONFIG_FILE=/dev/null" in seen and "AWS_SHARED_CREDENTIALS_FILE=/dev/null" in seen
    assert "AWS_ACCESS_KEY_ID" not in seen and "AWS_PROFILE" not in seen
    assert "read:\n" in seen  # stdin is empty, not the terminal


@pytest.mark.parametrize(
    "body",
    [
        "sleep 60\n",  # hangs
        "while :; do echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; done\n",  # prints forever
        "exec 1>&-; sleep 60\n",  # closes its output, then hangs
    ],
)
def test_a_misbehaving_cli_is_cut_off(
    body: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_on_path(monkeypatch, script(tmp_path / "bin", body))
    started = time.monotonic()
    evidence = probe("cli.version")
    assert time.monotonic() - started < 15
    assert evidence.findings == ("cli-unknown",) and evidence.status == "error"
