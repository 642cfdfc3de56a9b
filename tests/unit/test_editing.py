"""The command that applies an edit does exactly that: run with the real `sed` (and PowerShell
where installed) on files with the exact bytes of a broken set-up."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from awsmedic.core.editing import apply_command, diff
from awsmedic.model import Edit
from awsmedic.safety.redact import SecretBook
from awsmedic.safety.shellquote import POSIX, POWERSHELL


def run_posix(command: str, home: Path) -> None:
    env = {**os.environ, "HOME": str(home)}
    subprocess.run(["sh", "-c", command], check=True, env=env, timeout=30)


def edit(before: str, after: str, line: int, **extra: object) -> Edit:
    return Edit("~/.aws/config", line, before, after, "f", "why", **extra)  # type: ignore[arg-type]


CASES = {
    "header": (
        b"[default]\nregion = us-east-1\n\n[my-long-profile-name]\nrole_arn = x\n",
        edit("[my-long-profile-name]", "[profile my-long-profile-name]", 4),
        b"[default]\nregion = us-east-1\n\n[profile my-long-profile-name]\nrole_arn = x\n",
    ),
    "regex characters": (
        b"[a.b*c$^/\\&'x]\n",
        edit("[a.b*c$^/\\&'x]", "[profile a.b*c$^/\\&'x]", 1),
        b"[profile a.b*c$^/\\&'x]\n",
    ),
    "crlf kept": (
        b"[default]\r\n[dev]\r\nregion = eu-west-1\r\n",
        edit("[dev]", "[profile dev]", 2, crlf=True),
        b"[default]\r\n[profile dev]\r\nregion = eu-west-1\r\n",
    ),
    "indented credential line": (
        b"[dev]\naws_access_key_id = AKIA\n  aws_secret_access_key = s3cr3t\n",
        edit(
            "  aws_secret_access_key = <secret-key:redacted>",
            "aws_secret_access_key = <secret-key:redacted>",
            3,
            head_before="  aws_secret_access_key",
            head_after="aws_secret_access_key",
        ),
        b"[dev]\naws_access_key_id = AKIA\naws_secret_access_key = s3cr3t\n",
    ),
    "credential line, value untouched": (
        b"[dev]\naws_secret_acess_key = s3cr3t/+value\n",
        edit(
            "aws_secret_acess_key = <secret-key:redacted>",
            "aws_secret_access_key = <secret-key:redacted>",
            2,
            head_before="aws_secret_acess_key",
            head_after="aws_secret_access_key",
        ),
        b"[dev]\naws_secret_access_key = s3cr3t/+value\n",
    ),
    # A terminal, and so a copied command, drops the escapes: they are matched as any character
    # (audit 3, s27a/s27b).
    "escape sequences": (
        b"[default]\nregion = \x1b[31meu-west-1\x1b]52;c;dG91\x07\x1b[0m\n",
        edit("region = \x1b[31meu-west-1\x1b]52;c;dG91\x07\x1b[0m", "region = eu-west-1", 2),
        b"[default]\nregion = eu-west-1\n",
    ),
    # Keys before any section header (audit 4 s28): a header is put before the first of them,
    # which stays as it is; on a credential line only its key is matched.
    "header inserted before keys": (
        b"aws_access_key_id = AKIA\naws_secret_access_key = s3cr3t\n",
        edit(
            "aws_access_key_id = ****AKIA",
            "[default]\naws_access_key_id = ****AKIA",
            1,
            head_before="aws_access_key_id",
            head_after="aws_access_key_id",
            inserted="[default]",
        ),
        b"[default]\naws_access_key_id = AKIA\naws_secret_access_key = s3cr3t\n",
    ),
    # (the new line ends with LF alone: botocore reads mixed line endings fine)
    "header inserted after a comment, crlf": (
        b"# mine\r\nregion = eu-west-1\r\n",
        edit(
            "region = eu-west-1",
            "[default]\nregion = eu-west-1",
            2,
            crlf=True,
            inserted="[default]",
        ),
        b"# mine\r\n[default]\nregion = eu-west-1\r\n",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_sed_applies_the_edit_and_keeps_a_copy(name: str, tmp_path: Path) -> None:
    original, change, expected = CASES[name]
    config = tmp_path / ".aws" / "config"
    config.parent.mkdir()
    config.write_bytes(original)
    command = apply_command(change, POSIX)
    assert command.isprintable()
    if change.head_before:
        assert "s3cr3t" not in command  # the value never goes into the command
        assert SecretBook().scrub(command) == command  # nor does it read as `secret = ...`
    run_posix(command, tmp_path)
    assert config.read_bytes() == expected
    assert (tmp_path / ".aws" / "config.bak").read_bytes() == original
    run_posix(command, tmp_path)  # a second run finds nothing to change
    assert config.read_bytes() == expected


def test_a_line_that_changed_since_is_left_alone(tmp_path: Path) -> None:
    config = tmp_path / ".aws" / "config"
    config.parent.mkdir()
    config.write_bytes(b"[default]\n[dev2]\n")
    run_posix(apply_command(edit("[dev]", "[profile dev]", 2), POSIX), tmp_path)
    assert config.read_bytes() == b"[default]\n[dev2]\n"


def test_the_diff_names_file_and_line() -> None:
    assert diff(edit("[dev]", "[profile dev]", 4)) == (
        "```diff\n@@ ~/.aws/config line 4 @@\n-[dev]\n+[profile dev]\n```"
    )


def test_the_diff_shows_what_a_terminal_would_not() -> None:
    assert diff(edit("[dev\x1b[8m]", "[dev]", 1)).splitlines()[2] == "-[dev\\x1b[8m]"


@pytest.mark.skipif(shutil.which("pwsh") is None, reason="PowerShell (pwsh) is not installed")
@pytest.mark.parametrize("name", CASES)
def test_powershell_applies_the_edit(name: str, tmp_path: Path) -> None:
    original, change, expected = CASES[name]
    config = tmp_path / ".aws" / "config"
    config.parent.mkdir()
    config.write_bytes(original)
    env = {**os.environ, "HOME": str(tmp_path)}
    command = apply_command(change, POWERSHELL)
    subprocess.run(["pwsh", "-NoProfile", "-Command", command], check=True, env=env, timeout=60)
    assert config.read_bytes().replace(b"\r\n", b"\n") == expected.replace(b"\r\n", b"\n")
    assert (tmp_path / ".aws" / "config.bak").read_bytes() == original


def test_the_powershell_command_matches_the_whole_line_or_the_head_only() -> None:
    whole = apply_command(edit("[it's]", "[profile it's]", 3), POWERSHELL)
    assert "$l[2] -ceq '[it''s]'" in whole and "$l[2] = '[profile it''s]'" in whole
    assert whole.startswith("$f = (Join-Path $HOME '.aws/config'); Copy-Item -LiteralPath $f")
    head = apply_command(
        edit(
            "  k = <secret-key:redacted>",
            "key = <secret-key:redacted>",
            2,
            head_before="  k",
            head_after="key",
        ),
        POWERSHELL,
    )
    assert "$l[1] -cmatch '^  k\\s*[=:]'" in head and "'key' + $l[1].Substring(3)" in head


def test_an_inserted_line_is_shown_as_an_added_line_before_the_one_that_stays() -> None:
    change = edit("region = x", "[default]\nregion = x", 1, inserted="[default]")
    assert diff(change) == "```diff\n@@ ~/.aws/config line 1 @@\n+[default]\n region = x\n```"
