"""iam.key-status against moto (auth enforced): the key's status, read through another profile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.awsfixtures import Keys, MotoAws
from tests.scenarios.harness import admin, section, write
from tests.unit.probes.helpers import probe

pytestmark = pytest.mark.moto


def _users(aws: MotoAws, home: Path, user: str = "alice") -> tuple[Keys, Keys]:
    keys = aws.create_user(user)
    boss = admin(aws)
    return keys, boss


def test_an_inactive_key(aws: MotoAws, home: Path) -> None:
    keys, boss = _users(aws, home)
    aws._client("iam").update_access_key(
        UserName="alice", AccessKeyId=keys.access_key_id, Status="Inactive"
    )
    aws.enforce()
    write(home, "credentials", section("default", keys) + section("admin", boss))
    evidence = probe("iam.key-status")
    assert "key-status-inactive" in evidence.findings
    assert evidence.facts["iam_user"].value == "alice"
    assert evidence.facts["admin_profile"].value == "admin"
    assert "asked through profile 'admin'" in evidence.details[0]
    for secret in (keys.secret_access_key, boss.secret_access_key, boss.access_key_id):
        assert secret not in repr(evidence)


def test_an_old_active_key(aws: MotoAws, home: Path) -> None:
    from tests.scenarios.harness import backdate

    keys, boss = _users(aws, home)
    backdate(keys.access_key_id, days=3)
    aws.enforce()
    write(home, "credentials", section("default", keys) + section("admin", boss))
    evidence = probe("iam.key-status")
    assert evidence.findings == ("key-status-active",)
    assert evidence.status is Status.OK


def test_a_brand_new_key(aws: MotoAws, home: Path) -> None:
    keys, boss = _users(aws, home)
    aws.enforce()
    write(home, "credentials", section("default", keys) + section("admin", boss))
    evidence = probe("iam.key-status")
    assert evidence.findings == ("key-status-active", "key-created-recently")
    assert re.search(
        r"created (just now|\d+ (seconds|min) ago \(\d\d:\d\d UTC\))", evidence.summary
    )


def test_a_deleted_key(aws: MotoAws, home: Path) -> None:
    keys, boss = _users(aws, home)
    aws.delete_key("alice", keys)
    aws.enforce()
    write(home, "credentials", section("default", keys) + section("admin", boss))
    evidence = probe("iam.key-status")
    assert evidence.findings == ("key-not-in-account",)
    assert "no IAM user of account 123456789012" in evidence.summary


def test_a_key_one_character_off_an_existing_one(aws: MotoAws, home: Path) -> None:
    keys, boss = _users(aws, home)
    aws.enforce()
    wrong = keys.access_key_id[:-1] + ("A" if keys.access_key_id[-1] != "A" else "B")
    write(
        home,
        "credentials",
        section("default", Keys(wrong, keys.secret_access_key)) + section("admin", boss),
    )
    evidence = probe("iam.key-status")
    assert evidence.findings == ("key-not-in-account", "key-near-existing-key")
    assert wrong not in evidence.summary and keys.access_key_id not in evidence.summary


def test_a_helper_without_iam_permissions(aws: MotoAws, home: Path) -> None:
    keys = aws.create_user("alice")
    reader = aws.create_user(
        "reader",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
        },
    )
    aws.enforce()
    write(home, "credentials", section("default", keys) + section("reader", reader))
    evidence = probe("iam.key-status")
    assert evidence.findings == ("key-status-unknown",)
    assert "cannot read IAM" in evidence.summary


def test_no_other_profile(aws: MotoAws, home: Path) -> None:
    keys = aws.create_user("alice")
    aws.enforce()
    write(home, "credentials", section("default", keys))
    evidence = probe("iam.key-status")
    assert evidence.status is Status.SKIPPED
    assert evidence.findings == ("no-helper-profile",)


def test_temporary_keys_have_no_status(aws: MotoAws, home: Path) -> None:
    temporary = aws.assume_role_keys()
    aws.enforce()
    write(home, "credentials", section("default", temporary))
    assert probe("iam.key-status").findings == ("not-applicable",)


def test_never_prefetched_and_offline_skipped() -> None:
    from awsmedic.probes import registry

    for probe_id in ("iam.key-status", "sts.intended-identity"):
        spec = registry()[probe_id]
        assert spec.network and not spec.prefetch
    assert probe("iam.key-status", offline=True).status is Status.SKIPPED
