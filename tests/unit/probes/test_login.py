"""login.session: profiles written by `aws login` and their cached session."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.unit.probes.helpers import KEY, SECRET, TOKEN, probe

SESSION = "arn:aws:iam::123456789012:user/alice"


def setup(home: Path) -> Path:
    from botocore.utils import generate_login_cache_key

    (home / ".aws" / "config").write_text(f"[profile dev]\nlogin_session = {SESSION}\n")
    return home / ".aws" / "login" / "cache" / f"{generate_login_cache_key(SESSION)}.json"


def token() -> dict[str, object]:
    return {
        "accessToken": {
            "accessKeyId": KEY,
            "secretAccessKey": SECRET,
            "sessionToken": TOKEN,
            "accountId": "123456789012",
            "expiresAt": "2020-01-01T00:00:00Z",
        },
        "refreshToken": "r" * 64,
        "dpopKey": "-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----",
        "clientId": "arn:aws:signin:::devtools/same-device",
    }


def test_not_a_login_profile(home: Path) -> None:
    assert probe("login.session").findings == ("not-login-profile",)


def test_no_cache(home: Path) -> None:
    path = setup(home)
    evidence = probe("login.session", profile="dev")
    assert evidence.findings == ("login-cache-missing",)
    assert f"~/.aws/login/cache/{path.name[:12]}….json does not exist" in evidence.summary


def test_a_session_older_than_twelve_hours(home: Path) -> None:
    path = setup(home)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(token()))
    old = time.time() - 13 * 3600
    os.utime(path, (old, old))
    evidence = probe("login.session", profile="dev")
    assert evidence.findings == ("login-session-ended",)
    assert evidence.status is Status.PROBLEM
    text = evidence.summary + "".join(evidence.details)
    assert SECRET not in text and TOKEN not in text
    assert {SECRET, TOKEN} <= {s.reveal() for s in evidence.secrets}


def test_a_recent_session_and_the_cache_directory_override(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = setup(home)
    monkeypatch.setenv("AWS_LOGIN_CACHE_DIRECTORY", "$HOME/login-cache")
    moved = home / "login-cache" / path.name
    moved.parent.mkdir()
    moved.write_text(json.dumps(token()))
    assert probe("login.session", profile="dev").findings == ("login-cache-recent",)


def test_an_incomplete_cache(home: Path) -> None:
    path = setup(home)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"accessToken": {}}))
    evidence = probe("login.session", profile="dev")
    assert evidence.findings == ("login-cache-invalid",)
    assert "lacks refreshToken, dpopKey, clientId" in evidence.summary


def test_the_signed_in_user_fills_the_steps(home: Path) -> None:
    (home / ".aws" / "config").write_text(
        "[profile dev]\nlogin_session = arn:aws:iam::123456789012:user/team/alice\n"
    )
    facts = probe("login.session", profile="dev").facts
    assert facts["iam_user"].value == "alice"
    assert facts["account_id"].value == "123456789012"
