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


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def refusing(ran: Path) -> str:
    """A CLI that must not be run: it leaves a mark and names another version."""
    return f"#!/bin/sh\ntouch {ran}\necho 'aws-cli/1.0.0 Python/3.11.7'\n"


@pytest.mark.parametrize(
    ("installed", "version", "finding"),
    [
        # The v2 installer: <dir>/v2/<version>/dist/aws, `current` linking to the version.
        ("aws-cli/v2/2.15.30/dist/aws", "2.15.30", "cli-v2"),
        # Homebrew, with a revision suffix, and its versioned formula.
        ("Cellar/awscli/2.31.4_1/bin/aws", "2.31.4", "cli-v2"),
        ("Cellar/awscli@1/1.36.2/bin/aws", "1.36.2", "cli-v1"),
    ],
)
def test_an_installation_named_by_its_version_is_not_run(
    installed: str, version: str, finding: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = tmp_path / "ran"
    target = executable(tmp_path / installed, refusing(ran))
    link_to = target
    if "/v2/" in installed:
        current = tmp_path / "aws-cli/v2/current"
        current.symlink_to(target.parent.parent, target_is_directory=True)
        link_to = current / "dist/aws"
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin/aws").symlink_to(link_to)
    only_on_path(monkeypatch, tmp_path / "bin")
    evidence = probe("cli.version")
    assert evidence.findings == (finding,)
    assert evidence.facts["cli_version"].value == version
    assert evidence.facts["cli_version"].source == "installed files"
    assert not ran.exists()


def pip_installed(prefix: Path, *versions: str) -> Path:
    """A venv-like prefix: an `aws` script for its `python`, pip's records of `awscli`."""
    python = prefix / "bin/python"
    python.parent.mkdir(parents=True)
    python.symlink_to("/bin/sh")  # run as a shell script, should it be run at all
    for version in versions:
        (prefix / f"lib/python3.11/site-packages/awscli-{version}.dist-info").mkdir(parents=True)
    return python


def test_a_pip_installed_cli_is_read_from_its_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = tmp_path / "ran"
    python = pip_installed(tmp_path / "venv", "1.36.2")
    executable(tmp_path / "venv/bin/aws", f"#!{python}\n" + refusing(ran).split("\n", 1)[1])
    only_on_path(monkeypatch, tmp_path / "venv/bin")
    evidence = probe("cli.version")
    assert evidence.findings == ("cli-v1",)
    assert evidence.facts["cli_version"].value == "1.36.2"
    assert not ran.exists()


def test_two_recorded_versions_ask_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    python = pip_installed(tmp_path / "venv", "1.36.2", "1.40.0")
    executable(tmp_path / "venv/bin/aws", f"#!{python}\necho '{fakecli.V1}'\n")
    only_on_path(monkeypatch, tmp_path / "venv/bin")
    evidence = probe("cli.version")
    assert evidence.facts["cli_version"].value == "1.42.50"
    assert evidence.facts["cli_version"].source == "aws --version"


def test_cli_installed_never_starts_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For a walk left at an open question: the version where the files name it, else
    cli-unknown (no step is chosen by it); the CLI itself is never started."""
    ran = tmp_path / "ran"
    executable(tmp_path / "plain/aws", refusing(ran))
    only_on_path(monkeypatch, tmp_path / "plain")
    evidence = probe("cli.installed")
    assert evidence.findings == ("cli-unknown",) and evidence.status is Status.OK
    assert "cli_version" not in evidence.facts and not ran.exists()

    executable(tmp_path / "aws-cli/v2/2.32.1/dist/aws", refusing(ran))
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin/aws").symlink_to(tmp_path / "aws-cli/v2/2.32.1/dist/aws")
    only_on_path(monkeypatch, tmp_path / "bin")
    evidence = probe("cli.installed")
    assert evidence.findings == ("cli-v2",) and evidence.facts["cli_version"].value == "2.32.1"
    assert not ran.exists()

    only_on_path(monkeypatch, fakecli.install(tmp_path / "empty", None))
    assert probe("cli.installed").findings == ("cli-missing",)
