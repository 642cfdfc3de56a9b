"""values.hygiene: stray characters with file and line, never the values."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.unit.probes.helpers import KEY, SECRET, TOKEN, probe


def write(home: Path, name: str, data: str | bytes) -> None:
    path = home / ".aws" / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


def test_clean_setup(home: Path) -> None:
    write(
        home,
        "credentials",
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n",
    )
    evidence = probe("values.hygiene")
    assert evidence.status is Status.OK
    assert evidence.findings == ("values-clean", "values-checked")


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        (f'aws_access_key_id = "{KEY}"', "surrounding quotes"),
        (f"aws_access_key_id = {KEY} # work laptop", "inline comment"),
        (f"aws_access_key_id = {KEY[:8]}\u200b{KEY[8:]}", "U+200B"),
        (f"aws_access_key_id = \ufeff{KEY}", "U+FEFF"),
    ],
)
def test_the_key_that_is_sent_is_flagged_with_file_and_line(
    home: Path, line: str, fragment: str
) -> None:
    write(home, "credentials", f"# keys\n[default]\n{line}\naws_secret_access_key = {SECRET}\n")
    evidence = probe("values.hygiene")
    assert "credential-value-stray-characters" in evidence.findings
    assert evidence.summary.startswith("~/.aws/credentials:3 [default] aws_access_key_id: ")
    assert fragment in evidence.summary
    assert KEY not in " ".join(evidence.details) and SECRET not in " ".join(evidence.details)


def test_crlf_files_are_fine_but_a_cr_in_an_env_var_is_not(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        home,
        "credentials",
        f"[default]\r\naws_access_key_id = {KEY}\r\naws_secret_access_key = {SECRET}\r\n".encode(),
    )
    assert probe("values.hygiene").findings == ("values-clean", "values-checked")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY + "\r")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    evidence = probe("values.hygiene")
    assert "credential-value-stray-characters" in evidence.findings
    assert "AWS_ACCESS_KEY_ID: trailing whitespace (a carriage return" in evidence.summary
    # In a variable, not in a file; one ending in a carriage return (audit 4 s27): the steps
    # convert the .env file it was exported from instead of sending to `aws configure`.
    assert {"credential-env-stray-characters", "env-line-ending"} <= set(evidence.findings)
    assert "file-value-stray-characters" not in evidence.findings


def test_a_problem_in_another_profile_is_not_the_one_sent(home: Path) -> None:
    write(
        home,
        "credentials",
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
        f"[old]\naws_access_key_id = '{KEY}'\naws_secret_access_key = {SECRET}\n",
    )
    evidence = probe("values.hygiene")
    assert evidence.findings == (
        "credential-stray-characters-elsewhere",
        "values-checked",
        "file-value-stray-characters",
    )
    assert "~/.aws/credentials:5 [old]" in evidence.summary
    assert "(not used by this command)" in evidence.summary


def test_a_leftover_token_with_a_line_break_is_flagged(home: Path) -> None:
    write(
        home,
        "credentials",
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
        f"aws_session_token = {TOKEN[:50]}\n  {TOKEN[50:]}\n",
    )
    evidence = probe("values.hygiene")
    assert "credential-value-stray-characters" in evidence.findings
    assert "~/.aws/credentials:4 [default] aws_session_token: a line break" in evidence.summary


def test_profile_names_and_regions(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        home,
        "config",
        "[profile dev\u00a0]\nregion = eu-west-1 \u200b\n[ default ]\nregion = us-east-1\n",
    )
    monkeypatch.setenv("AWS_PROFILE", "dev ")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "'eu-west-1'")
    evidence = probe("values.hygiene")
    assert {
        "profile-name-stray-characters",
        "region-stray-characters",
    } <= set(evidence.findings)
    text = "\n".join(evidence.details)
    assert "AWS_PROFILE: trailing whitespace" in text
    assert "AWS_DEFAULT_REGION: surrounding quotes" in text
    assert "~/.aws/config:1 [profile dev]: the section name has trailing whitespace" in text
    assert "~/.aws/config:3 [default]: the section name has leading whitespace" in text
    assert (
        "~/.aws/config:2 [profile dev] region: an invisible or non-ASCII character U+200B" in text
    )


def test_role_source_profile_keys_count_as_sent(home: Path) -> None:
    write(
        home,
        "config",
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = base\n",
    )
    write(
        home,
        "credentials",
        f"[base]\naws_access_key_id = {KEY} ;old\naws_secret_access_key = {SECRET}\n",
    )
    evidence = probe("values.hygiene", profile="admin")
    assert "credential-value-stray-characters" in evidence.findings


def test_unreadable_bytes_never_raise(home: Path) -> None:
    write(home, "credentials", b"\xff\xfe[\x00d\x00]\x00" + bytes(range(256)))
    evidence = probe("values.hygiene")
    assert evidence.status in (Status.OK, Status.PROBLEM)


def test_a_region_variable_with_stray_characters_is_named(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1 ")
    evidence = probe("values.hygiene")
    assert "region-env-stray-characters" in evidence.findings
    assert evidence.facts["region_variable"].value == "AWS_DEFAULT_REGION"
