from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.probes.helpers import KEY, SECRET, TOKEN, probe


def creds(home: Path, key: str, secret: str = SECRET, extra: str = "") -> None:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n{extra}"
    )


@pytest.mark.parametrize(
    ("key", "secret", "extra", "finding"),
    [
        (
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "",
            "placeholder-credentials",
        ),
        ("AKIARZPUZDIKGB2VAL01", SECRET, "", "key-malformed"),
        (SECRET, KEY, "", "key-secret-swapped"),
        ("AIDARZPUZDIKGB2VALC4", SECRET, "", "key-not-access-key"),
        (f'"{KEY}"', SECRET, "", "key-stray-characters"),
        (KEY, SECRET, f"aws_session_token = {TOKEN}\n", "stale-session-token"),
        ("ASIAY34FZKBOKMUTVV7A", SECRET, "", "missing-session-token"),
        ("ASIAY34FZKBOKMUTVV7A", SECRET, "aws_session_token = abc\n", "truncated-session-token"),
    ],
)
def test_key_problems(home: Path, key: str, secret: str, extra: str, finding: str) -> None:
    creds(home, key, secret, extra)
    evidence = probe("creds.keys")
    assert finding in evidence.findings
    for value in (SECRET, TOKEN):
        assert value not in evidence.summary + " ".join(evidence.details)


def test_a_good_key_decodes_its_account(home: Path) -> None:
    creds(home, KEY)
    evidence = probe("creds.keys")
    assert evidence.findings == ("long-term-key",)
    assert evidence.facts["account_id"].value == "123456789012"


def test_no_static_keys_is_skipped(home: Path) -> None:
    assert probe("creds.keys").findings == ("no-static-keys",)


def test_a_key_of_another_account_than_configured(home: Path) -> None:
    creds(home, KEY, extra="aws_account_id = 210987654321\n")
    evidence = probe("creds.keys")
    assert "key-account-mismatch" in evidence.findings
    assert "210987654321" in evidence.summary and "123456789012" in evidence.summary


def test_the_token_length_is_reported_never_the_token(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ASIAY34FZKBOKMUTVV7A")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    evidence = probe("creds.keys")
    assert evidence.findings == ("temporary-key",)
    assert f"(AWS_SESSION_TOKEN) is {len(TOKEN)} characters long" in " ".join(evidence.details)
    assert TOKEN not in " ".join(evidence.details) + evidence.summary
    assert "609629065308" in " ".join(evidence.details)  # causes.md section 6


def test_an_old_security_token_wins_over_a_fresh_session_token(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ASIAY34FZKBOKMUTVV7A")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SECURITY_TOKEN", TOKEN[::-1])
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    evidence = probe("creds.keys")
    assert "stale-session-token" in evidence.findings
    assert evidence.summary.startswith("AWS_SECURITY_TOKEN is sent, not AWS_SESSION_TOKEN")
