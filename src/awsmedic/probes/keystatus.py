"""iam.key-status: is the failing access key Active, Inactive, deleted or brand new? (network)

AWS answers the same for all of these, so only the account can tell. When another configured
profile authenticates in the same account (static keys, or SSO/role profiles botocore resolves
without a prompt), it is used, read-only, for iam:GetAccessKeyLastUsed (which names the key's
user) and iam:ListAccessKeys (its status and creation date). If the key is in no user's list, it
was deleted, or mistyped: a key id one or two characters away from an existing one is a typo.

This uses someone else's credentials (and may assume another profile's role): it is never
prefetched and runs only with the user's consent (`consent:iam.key-status`), in the REPL and in
`diagnose` alike.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from awsmedic.aws import keyids
from awsmedic.aws.ages import ago
from awsmedic.aws.regions import HOME_REGION, partition_of
from awsmedic.model import Evidence, Fact, Record, Secret, SecretKind, Status, Unchecked
from awsmedic.probes import Consent, ProbeInput, not_checked, probe
from awsmedic.probes.keysource import profile_static_keys
from awsmedic.probes.partition import failing_region
from awsmedic.probes.sts import UNREACHABLE, classify
from awsmedic.probes.stsregions import ask
from awsmedic.probes.world import Creds

log = logging.getLogger(__name__)

#: A key younger than this may not be known everywhere yet (IAM is eventually consistent).
RECENT = timedelta(minutes=15)
#: Bounds on the fallback scan of the account's users.
MAX_USERS = 200
MAX_HELPERS = 3
_QUIET = ("sso_account_id", "sso_role_name", "role_arn")
_LOUD = ("mfa_serial", "credential_process", "login_session")


@dataclass(frozen=True, repr=False, eq=False)
class KeyRecord(Record):
    """An access key as IAM lists it: its user, status and creation date."""

    user: str
    status: str
    created: datetime | None


def _helpers(run: ProbeInput, exclude: str) -> Iterator[tuple[str, Creds]]:
    """Other profiles with credentials that need no prompt: static keys first, then SSO/roles."""
    session = run.world.new_session(None)
    profiles = session.full_config.get("profiles", {})
    quiet: list[str] = []
    for name in sorted(profiles):
        config = profiles[name]
        keys = profile_static_keys(run.ctx, session, name).keys
        if keys is not None and "role_arn" not in config:
            if keys.key_id.strip() != exclude:
                yield name, (keys.access_key, keys.secret_key, keys.token)
        elif any(k in config for k in _QUIET) and not any(k in config for k in _LOUD):
            quiet.append(name)
    for name in quiet:
        try:
            frozen = run.world.new_session(name).get_credentials().get_frozen_credentials()
        except Exception as exc:  # no cached SSO token, a broken role: not usable as a helper
            log.debug("profile %s cannot help: %s", name, type(exc).__name__)
            continue
        token = Secret(frozen.token, SecretKind.SESSION_TOKEN) if frozen.token else None
        yield (
            name,
            (
                Secret(frozen.access_key, SecretKind.ACCESS_KEY_ID),
                Secret(frozen.secret_key, SecretKind.SECRET_KEY),
                token,
            ),
        )


def _last_used_user(iam: Any, key_id: str) -> str | None:
    try:
        return str(iam.get_access_key_last_used(AccessKeyId=key_id)["UserName"])
    except Exception:  # unknown keys are refused in ways the API does not document
        return None


def _keys_of(iam: Any, user: str) -> list[dict[str, Any]]:
    return list(iam.list_access_keys(UserName=user, MaxItems=100)["AccessKeyMetadata"])


def _scan(iam: Any, key_id: str) -> tuple[KeyRecord | None, list[str]]:
    """Look through every user's keys (bounded); returns the record and all key ids seen."""
    seen: list[str] = []
    users = iam.list_users(MaxItems=MAX_USERS)["Users"]
    for user in users:
        for meta in _keys_of(iam, user["UserName"]):
            seen.append(meta["AccessKeyId"])
            if meta["AccessKeyId"] == key_id:
                return KeyRecord(user["UserName"], meta["Status"], meta.get("CreateDate")), seen
    return None, seen


def _lookup(iam: Any, key_id: str) -> tuple[KeyRecord | None, list[str]]:
    user = _last_used_user(iam, key_id)
    if user is not None:
        for meta in _keys_of(iam, user):
            if meta["AccessKeyId"] == key_id:
                return KeyRecord(user, meta["Status"], meta.get("CreateDate")), []
    return _scan(iam, key_id)


def _near(key_id: str, others: list[str]) -> str | None:
    """An existing key id one or two characters away from `key_id` (a typo), or None."""
    for other in others:
        if (
            len(other) == len(key_id)
            and sum(a != b for a, b in zip(other, key_id, strict=True)) <= 2
        ):
            return other
    return None


def _verdict(
    run: ProbeInput, key_id: str, account: str, record: KeyRecord | None, seen: list[str]
) -> tuple[list[str], str]:
    masked = Secret(key_id, SecretKind.ACCESS_KEY_ID).masked()
    if record is None:
        near = _near(key_id, seen)
        if near is not None:
            other = Secret(near, SecretKind.ACCESS_KEY_ID).masked()
            return ["key-not-in-account", "key-near-existing-key"], (
                f"no user has the key {masked}, but {other} differs from it in one or two"
                " characters: a mistyped key id"
            )
        return ["key-not-in-account"], f"no IAM user of account {account} has the key {masked}"
    findings = ["key-status-inactive" if record.status == "Inactive" else "key-status-active"]
    text = f"the key {masked} of IAM user {record.user} is {record.status}"
    if record.created is not None:
        age = run.ctx.now() - record.created
        if age < RECENT:
            findings.append("key-created-recently")
        text += f", created {ago(record.created, run.ctx.now())}"
    return findings, text


@probe(
    "iam.key-status",
    title="Status of the access key in its account (uses another profile's credentials)",
    network=True,
    findings=(
        "key-status-active",
        "key-status-inactive",
        "key-created-recently",
        "key-not-in-account",
        "key-near-existing-key",
        "key-status-unknown",
        "no-helper-profile",
        "not-applicable",
    ),
    facts=("iam_user", "account_id", "admin_profile"),
    consent=Consent.INTERACTIVE,
)
def key_status(run: ProbeInput) -> Evidence:
    """Active, Inactive, deleted or brand new: asked of IAM through another configured profile."""
    report = run.world.chain()
    keys = report.keys
    key_id = keys.key_id.strip().strip("\"'") if keys else ""
    if not key_id.startswith("AKIA"):
        return Evidence(
            "iam.key-status",
            Status.SKIPPED,
            "only long-term (AKIA) access keys have a status in IAM",
            ("not-applicable",),
        )
    decoded = keyids.decode_account(key_id)
    region = failing_region(run, report)
    home = HOME_REGION.get((partition_of(region.name) if region else None) or "aws", "us-east-1")
    notes: list[str] = []
    secrets: list[Secret] = []
    unreached = ""  # why AWS could not be asked, when it could not
    for count, (name, creds) in enumerate(_helpers(run, key_id)):
        if count >= MAX_HELPERS:
            break
        secrets += [part for part in creds if part is not None]
        who = ask(run, creds, home)
        if who.unreached:
            unreached = who.description
            notes.append(f"profile '{name}' could not ask AWS: {who.description}")
            continue
        if not who.ok:
            notes.append(f"profile '{name}' does not authenticate: {who.description}")
            continue
        account = who.identity["Account"]
        if decoded is not None and decoded != account:
            notes.append(f"profile '{name}' is in account {account}, the key in {decoded}")
            continue
        try:
            record, seen = _lookup(run.world.client("iam", home, creds), key_id)
        except Exception as exc:
            finding, description = classify(exc)
            if finding in UNREACHABLE:
                unreached = run.world.book.scrub(description)
                notes.append(f"profile '{name}' could not reach IAM: {unreached}")
                continue
            notes.append(f"profile '{name}' cannot read IAM: {run.world.book.scrub(str(exc))}")
            continue
        findings, summary = _verdict(run, key_id, account, record, seen)
        facts = {
            "account_id": Fact(account, f"sts:GetCallerIdentity of profile '{name}'"),
            "admin_profile": Fact(name, "a profile that can read IAM in this account"),
        }
        if record is not None:
            facts["iam_user"] = Fact(record.user, f"iam:ListAccessKeys through profile '{name}'")
        return Evidence(
            "iam.key-status",
            Status.PROBLEM if findings != ["key-status-active"] else Status.OK,
            summary,
            tuple(findings),
            facts,
            (f"asked through profile '{name}' ({who.identity['Arn']})", *notes),
            tuple(secrets),
        )
    unreadable = any("cannot read IAM" in note for note in notes)
    if unreached and not unreadable:
        return not_checked(
            "iam.key-status",
            Unchecked.UNREACHABLE,
            unreached,
            (),
            None,
            tuple(notes),
            tuple(secrets),
        )
    return Evidence(
        "iam.key-status",
        Status.PROBLEM if unreadable else Status.SKIPPED,
        notes[-1]
        if unreadable
        else "no other configured profile can read IAM in the key's account",
        ("key-status-unknown",) if unreadable else ("no-helper-profile",),
        details=tuple(notes),
        secrets=tuple(secrets),
    )
