"""Scenarios from a third outside audit: values the error prints differently from the files.

Same recipe as test_audit_setups: a real broken setup (temp HOME, exact bytes, env vars),
boto3's real error there, then `awsmedic diagnose` in the same setup; the verdict, its evidence
and every printed command are checked.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.scenarios.setup import KEYS_TEXT, Setup, commands, evidence

pytestmark = pytest.mark.slow

ESC, BEL = "\x1b", "\x07"
#: A region pasted from a coloured terminal, with an OSC 52 (clipboard) string inside (s27a).
COLOURED = f"{ESC}[31meu-west-1{ESC}]52;c;dG91Y2ggL3RtcC9wd25lZA=={BEL}{ESC}[0m"


def applies(setup: Setup, command: str) -> str:
    """Run a printed sed command on the files here (a copy is kept), and give the result."""
    subprocess.run(["sh", "-c", command], cwd=setup.home, env=setup.env, check=True, timeout=30)
    return command


# -- setting-value-invalid: the CLI v1 prints Python's message alone (s22) -------------------


def test_a_max_attempts_variable_that_is_no_number(setup: Setup) -> None:
    """`AWS_MAX_ATTEMPTS=abc`: botocore reads it with int() and boto3 lets Python's ValueError
    through (the AWS CLI v1 prints its message alone). Nothing in the text names an AWS tool,
    but the variable here holds the value it quotes: that setting's error, found without the
    network."""
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    setup.env["AWS_MAX_ATTEMPTS"] = "abc"
    error = setup.boto3_error()
    assert error == "builtins.ValueError: invalid literal for int() with base 10: 'abc'"
    for text in (error, error.partition(": ")[2]):
        result = setup.diagnose(text, "--offline")
        assert result["diagnosis"]["cause"] == "setting-value-invalid"
        assert result["diagnosis"]["confidence"] == "confirmed"
        assert "AWS_MAX_ATTEMPTS='abc' in the environment: not a whole number" in evidence(result)


# -- stray-characters: a region with terminal escapes, as the error printed it (s27a) --------


def test_a_region_holding_escape_sequences(setup: Setup) -> None:
    """`region = <ESC>[31meu-west-1...<BEL><ESC>[0m`: InvalidRegionError quotes the value with
    its escapes, which a terminal (and the paste's cleaning) drops, leaving a known region.
    The value compared is the one the error printed: the config line's, stray characters and
    all, and its fix is that line."""
    setup.env.pop("AWS_DEFAULT_REGION")
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    config = setup.write(".aws/config", f"[default]\nregion = {COLOURED}\n")
    error = setup.boto3_error()
    assert f"Provided region_name '{COLOURED}' doesn't match" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "stray-characters"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "a control character U+001B" in evidence(result)
    step = result["steps"][0]
    assert step["edit"]["line"] == 2 and step["edit"]["after"] == "region = eu-west-1"
    assert "is a known region" not in str(result)
    assert "<suggested_region>" not in str(result)
    applies(setup, step["commands"][0])  # as printed: the escapes are matched, not typed
    assert config.read_text() == "[default]\nregion = eu-west-1\n"


def test_a_region_error_that_writes_the_escapes_as_a_repr_does(setup: Setup) -> None:
    """The same message as a log that escapes what it prints (journald, Python's repr): `\\x1b`
    is written out. It is part of the value still, here as in the files, and without them."""
    setup.env.pop("AWS_DEFAULT_REGION")
    written = repr(COLOURED)[1:-1]
    text = f"InvalidRegionError: Provided region_name '{written}' doesn't match a supported format."
    assert "\\x1b[31m" in text
    setup.write(".aws/config", f"[default]\nregion = {COLOURED}\n")
    result = setup.diagnose(text)
    assert result["diagnosis"]["cause"] == "stray-characters"
    assert result["steps"][0]["edit"]["after"] == "region = eu-west-1"
    setup.write(".aws/config", "[default]\n")
    assert setup.diagnose(text)["diagnosis"]["cause"] == "stray-characters"


# -- stray-characters: a credentials header with spaces, profile set in code (s12) -----------


def test_a_header_with_spaces_when_the_paste_names_no_profile(setup: Setup) -> None:
    """`[ dev ]` in the credentials file and `boto3.Session(profile_name="dev")` in code: the
    paste says only "Unable to locate credentials". The only keys here sit under a name no
    `--profile` reaches (botocore takes the header as written), so selecting a profile cannot
    fix it; the header can. Likely only: the paste does not name the profile."""
    setup.env.pop("AWS_DEFAULT_REGION")
    setup.write(".aws/credentials", f"[ dev ]\n{KEYS_TEXT}")
    setup.write(".aws/config", "[profile dev]\nregion = eu-west-1\n")
    error = setup.boto3_error("dev")
    assert error.endswith("NoCredentialsError: Unable to locate credentials")
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "stray-characters"
    assert result["diagnosis"]["confidence"] == "likely"
    assert result["steps"][0]["edit"]["after"] == "[dev]"
    assert not any("<suggested_profile>" in command for command in commands(result))
    texts = " ".join(step["text"] for step in result["steps"])
    # the profile in use (default) has nothing to do with it: no step speaks of it
    assert "[default]" not in texts and "--profile default" not in texts
    assert "aws sts get-caller-identity --profile dev" in commands(result)
    applies(setup, result["steps"][0]["commands"][0])
    assert setup.boto3_error("dev") != error  # the keys are found now (the endpoint is closed)


# -- stray-characters: escape sequences in both files' headers (s27b) ------------------------


def test_headers_holding_escape_sequences_in_both_files(setup: Setup) -> None:
    """`[dev<ESC>[8m]` and `[profile dev<ESC>]0;owned<BEL>]`, AWS_PROFILE=dev: ProfileNotFound.
    Both headers were meant to be dev's: one fix for each file's line."""
    setup.write(".aws/credentials", f"[dev{ESC}[8m]\n{KEYS_TEXT}")
    setup.write(".aws/config", f"[profile dev{ESC}]0;owned{BEL}]\nregion = eu-west-1\n")
    setup.env["AWS_PROFILE"] = "dev"
    error = setup.boto3_error()
    assert error.endswith("ProfileNotFound: The config profile (dev) could not be found")
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "stray-characters"
    assert result["diagnosis"]["confidence"] == "confirmed"
    edits = {step["edit"]["file"]: step["edit"] for step in result["steps"] if step["edit"]}
    assert edits["~/.aws/credentials"]["after"] == "[dev]"
    assert edits["~/.aws/config"]["after"] == "[profile dev]"
    for step in result["steps"]:
        if step["edit"]:
            applies(setup, step["commands"][0])
    assert "ProfileNotFound" not in setup.boto3_error()
