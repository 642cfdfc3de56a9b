"""`awsmedic check` on a HOME with working and broken profiles, against moto with auth enforced.

Each profile is broken for real (a deleted key, a placeholder, a wrong header, an expired SSO
sign-in, a role whose source is missing...), and `check` runs as a subprocess, as a user runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from hashlib import sha1
from pathlib import Path
from typing import Any

import pytest

from tests.awsfixtures import Keys, MotoAws
from tests.fakeendpoint import imds_routes, serving
from tests.scenarios.harness import ADMIN_POLICY, backdate, section, write

pytestmark = [pytest.mark.moto, pytest.mark.slow]

#: Lets a user read its own keys (AWS's self-service rotation policy grants the same).
OWN_KEYS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "iam:ListAccessKeys", "Resource": "*"}],
}
PLACEHOLDER = Keys("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


def check(home: Path, *args: str, **extra: str) -> tuple[int, dict[str, Any], str]:
    env = {**os.environ, **extra}
    result = subprocess.run(
        [sys.executable, "-m", "awsmedic", "check", "--format", "json", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=home,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout), result.stdout + result.stderr


def check_text(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsmedic", "check", *args],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=home,
        stdin=subprocess.DEVNULL,
    )


def rows(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in document["profiles"]}


def expired_sso_token(home: Path, session: str) -> None:
    """The cache `aws sso login` leaves, expired two hours ago (botocore's cache key)."""
    cache = home / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True)
    ago = (datetime.now(UTC) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    token = {
        "startUrl": "https://example.awsapps.com/start",
        "region": "us-east-1",
        "accessToken": "sso-access-token-" + "x" * 40,
        "expiresAt": ago,
    }
    name = sha1(session.encode()).hexdigest()  # noqa: S324 (botocore's cache key)
    (cache / f"{name}.json").write_text(json.dumps(token))


def test_check_all_on_a_home_with_working_and_broken_profiles(aws: MotoAws, home: Path) -> None:
    good = aws.create_user("alice", OWN_KEYS)
    backdate(good.access_key_id, days=120)
    gone = aws.create_user("bob")
    aws.delete_key("bob", gone)
    boss = aws.create_user("admin", ADMIN_POLICY)
    aws.enforce()
    write(
        home,
        "credentials",
        section("default", good)
        + section("bob", gone)
        + section("admin", boss)
        + section("example", PLACEHOLDER)
        + section("profile prefixed", good)
        # Quoted, as copied from a JSON document: configparser keeps the quotes.
        + f'[quoted]\naws_access_key_id = "{good.access_key_id}"\n'
        + f'aws_secret_access_key = "{good.secret_access_key}"\n'
        + section("short", Keys(good.access_key_id[:16], good.secret_access_key)),
    )
    write(
        home,
        "config",
        "[default]\nregion = us-east-1\n\n"
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\n"
        "sso_role_name = Admin\n\n"
        "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n"
        "sso_region = us-east-1\n\n"
        "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = default\n\n"
        "[profile orphan]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = nobody\n\n"
        "[settings]\nregion = eu-west-1\n\n"
        "[profile console]\nlogin_session = arn:aws:iam::123456789012:user/alice\n",
    )
    expired_sso_token(home, "corp")

    status, document, output = check(home, "--all", "--answer", "consent:iam.key-status=yes")

    assert status == 1 and document["ok"] is False
    found = rows(document)
    assert found["default"]["in_use"] is True
    assert found["default"]["state"] == "works"
    assert found["default"]["identity"].endswith(":user/alice")
    assert found["default"]["key_age"] == "120 days"
    assert found["admin"]["state"] == "works"
    assert (found["bob"]["state"], found["bob"]["cause"]) == ("broken", "key-deleted")
    # iam.key-status looked the key up through the admin profile: it ran, with consent.
    assert "no IAM user of account" in "\n".join(found["bob"]["evidence"])
    assert found["example"]["cause"] == "placeholder-credentials"
    assert found["prefixed"]["cause"] == "profile-prefix-confusion"
    assert "[prefixed]" in found["prefixed"]["first_step"]["text"]
    assert found["settings"]["cause"] == "profile-prefix-confusion"
    assert "[profile settings]" in found["settings"]["first_step"]["text"]
    assert (found["sso"]["kind"], found["sso"]["state"]) == ("sso", "expired")
    assert found["sso"]["cause"] == "sso-session-expired"
    assert "aws sso login --profile sso" in found["sso"]["first_step"]["commands"][0]
    assert found["orphan"]["cause"] == "source-profile-broken"
    assert found["quoted"]["cause"] == "stray-characters"
    assert found["short"]["cause"] == "key-typo"
    assert (found["console"]["kind"], found["console"]["state"]) == ("login", "expired")
    assert found["console"]["cause"] == "console-login-session-expired"
    # A role is checked by its source and its settings; using it waits for consent.
    ops = found["ops"]
    assert (ops["kind"], ops["state"]) == ("role", "unchecked")
    assert ops["needs_consent"] == ["consent:role.assume"]
    assert "its source profile 'default' works" in ops["summary"]
    problems = {p["where"]: p["cause"] for p in document["problems"]}
    assert problems["profile bob"] == "key-deleted"
    assert "profile default" not in problems
    assert document["clock"]["status"] == "ok"
    assert document["credentials"]["source"] == "shared-credentials-file"
    for keys in (good, gone, boss):
        assert keys.secret_access_key not in output
        assert keys.access_key_id not in output


def test_a_role_is_assumed_only_with_consent(aws: MotoAws, home: Path) -> None:
    import boto3

    keys = aws.create_user("carol", ADMIN_POLICY)
    iam = boto3.client(
        "iam",
        endpoint_url=aws.url,
        region_name="us-east-1",
        aws_access_key_id=keys.access_key_id,
        aws_secret_access_key=keys.secret_access_key,
    )
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
    arn = iam.create_role(RoleName="ops", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    aws.enforce()
    write(home, "credentials", section("carol", keys))
    write(home, "config", f"[profile ops]\nrole_arn = {arn}\nsource_profile = carol\n")

    _, without, _ = check(home, "--profile", "ops")
    _, granted, _ = check(home, "--profile", "ops", "--answer", "consent:role.assume=yes")

    assert rows(without)["ops"]["state"] == "unchecked"
    assert "role.assume" not in [p["id"] for p in rows(without)["ops"]["probes"]]
    ops = rows(granted)["ops"]
    assert ops["state"] == "works"
    assert ":assumed-role/ops/" in ops["identity"]


def test_nothing_wrong_exits_0_and_the_table_is_aligned(aws: MotoAws, home: Path) -> None:
    keys = aws.create_user("dave")
    aws.enforce()
    write(home, "credentials", section("default", keys) + section("spare", keys))
    write(home, "config", "[default]\nregion = eu-west-1\n")

    status, document, _ = check(home, "--all")
    text = check_text(home, "--all")

    assert (status, document["ok"], document["problems"]) == (0, True, [])
    assert text.returncode == 0, text.stdout + text.stderr
    assert "\x1b[" not in text.stdout  # not a terminal: no colour
    lines = [line for line in text.stdout.splitlines() if line.startswith(("default", "spare"))]
    assert len(lines) == 2
    assert lines[0].index("works") == lines[1].index("works")  # one column
    assert "Nothing is wrong." in text.stdout


def test_offline_asks_nobody_and_a_broken_profile_still_fails(home: Path) -> None:
    write(home, "credentials", section("default", PLACEHOLDER))
    status, document, _ = check(home, "--offline")
    assert status == 1
    assert rows(document)["default"]["cause"] == "placeholder-credentials"
    assert document["clock"] is None
    assert document["offline"]


def test_bad_usage_exits_2(home: Path) -> None:
    result = check_text(home, "--all", "--profile", "x")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def test_a_working_instance_role_works(aws: MotoAws, home: Path) -> None:
    """Audit 2 s23: no keys, no profile with credentials, and an instance role served by
    instance metadata (a fake on loopback, never 169.254.169.254) with credentials AWS accepts:
    the role is what botocore uses, and check says it works (exit 0), never no-credentials."""
    role = aws.assume_role_keys("r1")
    aws.enforce()
    creds = {
        "Code": "Success",
        "AccessKeyId": role.access_key_id,
        "SecretAccessKey": role.secret_access_key,
        "Token": role.session_token,
        "Expiration": (datetime.now(UTC) + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    env = {k: v for k, v in os.environ.items() if k != "AWS_EC2_METADATA_DISABLED"}
    with serving(imds_routes(role="r1", credentials=json.dumps(creds))) as metadata:
        result = subprocess.run(
            [sys.executable, "-m", "awsmedic", "check", "--format", "json"],
            env={**env, "AWS_EC2_METADATA_SERVICE_ENDPOINT": metadata.url},
            capture_output=True,
            text=True,
            timeout=120,
            cwd=home,
            stdin=subprocess.DEVNULL,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(result.stdout)
    default = rows(document)["default"]
    assert (default["kind"], default["state"], default["cause"]) == ("instance role", "works", None)
    assert ":assumed-role/r1/" in default["identity"]
    assert document["credentials"]["source"] == "iam-role"
    assert "credentials from iam-role" in document["credentials"]["summary"]
    assert document["ok"] is True and document["problems"] == []
    assert role.secret_access_key not in result.stdout + result.stderr
    assert str(role.session_token) not in result.stdout + result.stderr
