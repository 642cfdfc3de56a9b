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
