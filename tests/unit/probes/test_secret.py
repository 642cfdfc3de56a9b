"""creds.secret: the shape of the secret that is sent, with where it lives, never its value."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Status
from awsmedic.probes.secret import shape_problems
from tests.unit.probes.helpers import KEY, SECRET, probe


def shown(evidence: object) -> str:
    return (
        repr(evidence)
        + " ".join(getattr(evidence, "details", ()))
        + str({k: v.describe() for k, v in getattr(evidence, "facts", {}).items()})
    )


def test_quotes_in_the_credentials_file_with_file_and_line(home: Path) -> None:
    (home / ".aws" / "credentials").write_bytes(
        f'[other]\nx = 1\n\n[default]\naws_access_key_id = {KEY}\naws_secret_access_key = "{SECRET}"\n'.encode()
    )
    evidence = probe("creds.secret")
    assert evidence.status is Status.PROBLEM
    assert evidence.findings == ("secret-stray-characters",)
    assert "~/.aws/credentials line 6 [default]" in evidence.summary
    assert "surrounding quotes" in evidence.summary
    assert evidence.facts["profile"].value == "default"
    assert SECRET not in shown(evidence)


def test_carriage_return_at_the_end_of_the_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET + "\r")
    evidence = probe("creds.secret")
    assert evidence.findings == ("secret-stray-characters",)
    assert "AWS_SECRET_ACCESS_KEY" in evidence.summary and "carriage return" in evidence.summary
    assert SECRET not in shown(evidence)


def test_config_file_profile_section(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / ".aws" / "config").write_text(
        f"[profile dev]\nregion = eu-west-1\naws_access_key_id = {KEY}\n"
        f"aws_secret_access_key = {SECRET} # from the wiki\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "dev")
    evidence = probe("creds.secret")
    assert "secret-stray-characters" in evidence.findings
    assert "~/.aws/config line 4 [profile dev]" in evidence.summary
    assert "inline comment" in evidence.summary


def test_role_profile_checks_the_source_profile_secret(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / ".aws" / "config").write_text(
        "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n"
    )
    (home / ".aws" / "credentials").write_text(
        f"[base]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET[:-1]}\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "deploy")
    evidence = probe("creds.secret")
    assert evidence.findings == ("secret-wrong-length",)
    assert "[base]" in evidence.summary and "39 characters" in evidence.summary


def test_a_well_formed_secret(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    evidence = probe("creds.secret")
    assert evidence.status is Status.OK and evidence.findings == ("secret-well-formed",)


def test_a_plus_read_as_a_space_in_the_credentials_file(home: Path) -> None:
    mangled = SECRET[:12] + " " + SECRET[13:]
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {mangled}\n"
    )
    evidence = probe("creds.secret")
    assert "secret-plus-as-space" in evidence.findings
    assert evidence.summary.startswith(
        "the secret access key (~/.aws/credentials line 3 [default]) has a space where"
    )
    assert "whitespace inside the value" not in " ".join(evidence.details)
    assert evidence.facts["secret_location"].value == "~/.aws/credentials line 3 [default]"
    assert SECRET[:12] not in shown(evidence) and SECRET[13:] not in shown(evidence)


def test_a_last_plus_read_as_a_space_at_the_end_of_the_line(home: Path) -> None:
    # The parser drops the space: botocore sends 39 characters, and only the line shows why.
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET[:-1]} \n\n"
    )
    evidence = probe("creds.secret")
    assert evidence.findings == ("secret-plus-as-space",)
    assert "39 characters" not in shown(evidence)


def test_a_short_secret_on_a_clean_line_is_only_short(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET[:-1]}\n"
    )
    assert probe("creds.secret").findings == ("secret-wrong-length",)


def test_nothing_static_to_check() -> None:
    evidence = probe("creds.secret")
    assert evidence.status is Status.SKIPPED and evidence.findings == ("no-static-keys",)


@pytest.mark.parametrize(
    ("secret", "from_file", "findings"),
    [
        (SECRET + "%", True, ["secret-trailing-percent", "secret-stray-characters"]),
        (" " + SECRET, False, ["secret-stray-characters"]),
        (SECRET + "\n", False, ["secret-stray-characters"]),
        ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", True, ["secret-placeholder"]),
        (KEY, True, ["secret-is-key-id"]),
        (SECRET[:20], True, ["secret-wrong-length"]),
        (SECRET[:-2] + "-_", True, ["secret-bad-alphabet"]),
        (SECRET, False, []),
        # A '+' decoded as a space, once or twice; a space that is not a lost '+' (too long).
        (
            SECRET[:10] + " " + SECRET[11:],
            True,
            ["secret-stray-characters", "secret-plus-as-space"],
        ),
        (
            SECRET[:5] + " " + SECRET[6:30] + " " + SECRET[31:],
            False,
            ["secret-stray-characters", "secret-plus-as-space"],
        ),
        (SECRET[:10] + " " + SECRET[10:], True, ["secret-stray-characters", "secret-wrong-length"]),
        # A first or last '+' decoded as a space, in an environment variable (kept as set).
        (SECRET[:-1] + " ", False, ["secret-stray-characters", "secret-plus-as-space"]),
        (" " + SECRET[1:], False, ["secret-stray-characters", "secret-plus-as-space"]),
        (SECRET + " ", False, ["secret-stray-characters"]),
    ],
)
def test_shapes(secret: str, from_file: bool, findings: list[str]) -> None:
    found, problems = shape_problems(secret, from_file=from_file)
    assert found == findings
    assert bool(problems) == bool(findings)
    assert not any(SECRET in problem for problem in problems)
