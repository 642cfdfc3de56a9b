"""Values whose bytes are not UTF-8 (audit F8): exported with U+FFFD, never an internal error.

Python hands over an environment variable, an argument or a path that is not valid UTF-8 with
each bad byte as a lone surrogate (PEP 383: b"dev\\xff" is "dev\\udcff"). Such a string cannot
be written as UTF-8: every export failed with "internal error: UnicodeEncodeError", and the
REPL dropped the case (tests/repl/test_conversation.py has the REPL's /export).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from awsmedic.output.exporting import write_atomically
from awsmedic.safety.safetext import printable
from tests.export.session import run_awsmedic

#: What `AWS_PROFILE=$'dev\xff'` is in Python.
UNDECODABLE = "dev\udcff"
SHOWN = "dev\ufffd"
ICTI = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)


def test_a_lone_surrogate_is_not_printable() -> None:
    assert printable(UNDECODABLE) == SHOWN
    assert printable("\ud800 and \udfff") == "\ufffd and \ufffd"
    assert printable("dev \u00e9\U0001f600") == "dev \u00e9\U0001f600"  # real characters stay


def test_a_file_is_written_whatever_the_string_holds(tmp_path: Path) -> None:
    """The last guard, for a string no filter saw: written, with U+FFFD in its place."""
    target = tmp_path / "case.md"
    write_atomically(target, f"profile {UNDECODABLE}\n")
    assert target.read_text(encoding="utf-8") == f"profile {SHOWN}\n"


def _export(target: Path, *options: str, env: dict[str, str] | None = None) -> str:
    """`awsmedic --offline [OPTIONS] diagnose --export TARGET`: the file's text."""
    result = run_awsmedic(
        "--offline",
        *options,
        "diagnose",
        "--no-input",
        "--export",
        str(target),
        ICTI,
        env={**os.environ, **(env or {})},
    )
    assert "internal error" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "\udcff" not in text
    if target.suffix == ".json":
        json.loads(text)
    return text


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".md", ".json", ".html"])
def test_an_undecodable_aws_profile_is_exported_in_every_format(home: Path, suffix: str) -> None:
    assert SHOWN in _export(home / f"case{suffix}", env={"AWS_PROFILE": UNDECODABLE})


@pytest.mark.slow
def test_an_undecodable_profile_option_is_exported(home: Path) -> None:
    assert SHOWN in _export(home / "case.md", "--profile", UNDECODABLE)


@pytest.mark.slow
def test_an_undecodable_config_path_is_exported(home: Path) -> None:
    config = home / f"config-{UNDECODABLE}"
    config.write_text("[profile dev]\nregion = us-east-1\n")
    text = _export(home / "case.json", env={"AWS_CONFIG_FILE": str(config)})
    assert f"config-{SHOWN}" in text
