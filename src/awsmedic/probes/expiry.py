"""creds.expiry: when do the temporary credentials in use expire, by this machine's clock?

Sources, as botocore and the AWS CLI keep them: `AWS_CREDENTIAL_EXPIRATION` beside environment
keys; the CLI's cache of role and IAM Identity Center sessions in `~/.aws/cli/cache/*.json`
(found by the cache key botocore computes, or by the access key id when the keys were copied out
of it); and the error text itself (web identity tokens state their expiry). Keys copied out of a
session are never renewed; the CLI renews its own cache a few minutes before expiry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha1
from pathlib import Path
from typing import Any

from awsmedic.aws import bounded, skew
from awsmedic.model import Evidence, Fact, Secret, SecretKind, Status
from awsmedic.probes import ProbeInput, probe
from awsmedic.probes.chainwalk import ChainReport
from awsmedic.probes.secret import chain_facts

MAX_CACHE_FILES = 200
_MAX_CACHE_BYTES = 1024 * 1024
# Providers botocore renews by itself: an expired cache entry of theirs is renewed on next use.
_RENEWING = {"assume-role", "assume-role-with-web-identity", "sso", "login", "custom-process"}
_WEB_TOKEN = re.compile(
    r"Token expired: current date/time (\d{9,11}) must be before"
    r" the expiration date/time (\d{9,11})"
)


@dataclass(frozen=True)
class CachedSession:
    path: Path
    access_key_id: str
    expiration: datetime | None
    arn: str
    secrets: tuple[Secret, ...]


def _session(path: Path) -> CachedSession | None:
    try:
        data: Any = json.loads(bounded.read_file(path, _MAX_CACHE_BYTES).data)
        creds = data["Credentials"]
        key = str(creds["AccessKeyId"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not a credential cache entry (the CLI keeps other JSON there too)
    secrets = tuple(
        Secret(str(creds[name]), kind)
        for name, kind in (
            ("AccessKeyId", SecretKind.ACCESS_KEY_ID),
            ("SecretAccessKey", SecretKind.SECRET_KEY),
            ("SessionToken", SecretKind.SESSION_TOKEN),
        )
        if creds.get(name)
    )
    expiration = skew.parse_time(str(creds.get("Expiration", "")))
    arn = str((data.get("AssumedRoleUser") or {}).get("Arn", "")) if isinstance(data, dict) else ""
    return CachedSession(path, key, expiration, arn, secrets)


def cached_sessions(home: Path | None) -> list[CachedSession]:
    """Every credential entry of the AWS CLI's cache, newest file first."""
    if home is None:
        return []
    folder = home / ".aws" / "cli" / "cache"
    try:
        files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return []
    sessions = (_session(path) for path in files[:MAX_CACHE_FILES])
    return [s for s in sessions if s is not None]


def role_cache_key(config: dict[str, str] | Any) -> str | None:
    """The file name botocore's AssumeRoleCredentialFetcher caches a role profile under."""
    if "role_arn" not in config:
        return None
    args: dict[str, Any] = {"RoleArn": config["role_arn"]}
    for setting, name in (
        ("role_session_name", "RoleSessionName"),
        ("external_id", "ExternalId"),
        ("mfa_serial", "SerialNumber"),
    ):
        if config.get(setting) is not None:
            args[name] = config[setting]
    duration = str(config.get("duration_seconds", ""))
    if duration.isdigit():
        args["DurationSeconds"] = int(duration)
    digest = sha1(json.dumps(args, sort_keys=True).encode("utf-8")).hexdigest()  # noqa: S324
    return digest


def sso_cache_key(config: dict[str, str] | Any) -> str | None:
    """The file name botocore's SSOCredentialFetcher caches role credentials under."""
    if "sso_account_id" not in config or "sso_role_name" not in config:
        return None
    args = {"roleName": config["sso_role_name"], "accountId": config["sso_account_id"]}
    if config.get("sso_session"):
        args["sessionName"] = config["sso_session"]
    elif config.get("sso_start_url"):
        args["startUrl"] = config["sso_start_url"]
    else:
        return None
    text = json.dumps(args, sort_keys=True, separators=(",", ":"))
    return sha1(text.encode("utf-8")).hexdigest()  # noqa: S324


def _role_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1] if ":role/" in arn else ""


def _profile_session(report: ChainReport, sessions: list[CachedSession]) -> CachedSession | None:
    """The cached session of a role or SSO profile: by botocore's key, else by role name."""
    config = report.profile_config
    keys = {role_cache_key(config), sso_cache_key(config)} - {None}
    for session in sessions:
        if session.path.stem in keys:
            return session
    parts = config.get("role_arn", "").split(":")
    role = _role_name(config.get("role_arn", ""))
    if not role or len(parts) < 6:
        return None
    for session in sessions:  # newest first
        if f":{parts[4]}:assumed-role/{role}/" in session.arn:
            return session
    return None


@dataclass(frozen=True)
class _Expiry:
    when: datetime
    source: str
    copied: bool  # keys copied out of a session: nothing renews them


def _expiry_of_keys(
    run: ProbeInput, report: ChainReport, sessions: list[CachedSession]
) -> _Expiry | None:
    keys = report.keys
    winner = report.winner
    if keys is None or winner is None or winner.method == "assume-role":
        return None
    stamp = run.ctx.env("AWS_CREDENTIAL_EXPIRATION")
    if winner.method == "env" and stamp:
        parsed = skew.parse_time(stamp)
        if parsed is not None:
            return _Expiry(parsed, "AWS_CREDENTIAL_EXPIRATION", True)
    key = keys.access_key.reveal().strip()
    for session in sessions:
        if session.access_key_id == key and session.expiration is not None:
            where = run.ctx.tilde(session.path)
            return _Expiry(session.expiration, f"the session cached in {where}", True)
    return None


def _web_token(text: str) -> datetime | None:
    found = _WEB_TOKEN.search(text)
    return datetime.fromtimestamp(int(found.group(2)), UTC) if found else None


def _when(moment: datetime, now: datetime) -> str:
    seconds = (moment - now).total_seconds()
    words = skew.describe(seconds).replace(" behind", " ago").replace(" ahead", " from now")
    words = "just now" if words == "in sync" else words
    return f"{moment:%Y-%m-%d %H:%M:%S}Z ({words})"


@probe(
    "creds.expiry",
    title="Temporary credential expiry",
    findings=(
        "credentials-expired",
        "credentials-not-expired",
        "session-cache-expired",
        "session-cache-valid",
        "renewing-provider",
        "long-term-keys",
        "expiry-unknown",
        "web-identity-token-expired",
    ),
    facts=(
        "profile",
        "credentials_file",
        "config_file",
        "role_arn",
        "source_profile",
        "expiration",
    ),
)
def credential_expiry(run: ProbeInput) -> Evidence:
    """The expiry of the credentials in use (env, CLI cache, error text) against the local clock."""
    now = run.ctx.now()
    report = run.world.chain()
    facts = chain_facts(run, report)
    for name in ("role_arn", "source_profile"):
        if name in report.profile_config:
            facts[name] = Fact(report.profile_config[name], "config-file", f"[{report.profile}]")
    sessions = cached_sessions(run.ctx.home)
    secrets = tuple(s for session in sessions for s in session.secrets)
    found = _expiry_of_keys(run, report, sessions)
    token = _web_token(run.text)
    if token is not None:
        facts["expiration"] = Fact(_when(token, now), "the pasted error")
        summary = f"the web identity token expired at {_when(token, now)}"
        codes = ("web-identity-token-expired",)
        return Evidence("creds.expiry", Status.PROBLEM, summary, codes, facts, secrets=secrets)
    if found is not None:
        expired = found.when <= now
        facts["expiration"] = Fact(_when(found.when, now), found.source)
        verb = "expired" if expired else "expire"
        summary = f"the credentials in use {verb} at {_when(found.when, now)}, per {found.source}"
        finding = "credentials-expired" if expired else "credentials-not-expired"
        status = Status.PROBLEM if expired else Status.OK
        return Evidence("creds.expiry", status, summary, (finding,), facts, secrets=secrets)
    return _renewing_or_unknown(run, report, sessions, facts, secrets)


def _renewing_or_unknown(
    run: ProbeInput,
    report: ChainReport,
    sessions: list[CachedSession],
    facts: dict[str, Fact],
    secrets: tuple[Secret, ...],
) -> Evidence:
    now = run.ctx.now()
    winner = report.winner
    method = winner.method if winner else "none"
    if method in _RENEWING:
        findings = ["renewing-provider"]
        summary = f"credentials come from {method}, which botocore renews before they expire"
        session = _profile_session(report, sessions)
        if session is not None and session.expiration is not None:
            expired = session.expiration <= now
            findings.append("session-cache-expired" if expired else "session-cache-valid")
            where = run.ctx.tilde(session.path)
            facts["expiration"] = Fact(_when(session.expiration, now), where)
            summary += (
                f"; the CLI's cached session ({where}) expires {_when(session.expiration, now)}"
            )
        return Evidence("creds.expiry", Status.OK, summary, tuple(findings), facts, secrets=secrets)
    keys = report.keys
    if keys is not None and keys.access_key.reveal().strip().startswith("AKIA"):
        summary = "long-term AKIA keys do not expire (a session token sent with them is stale)"
        return Evidence(
            "creds.expiry", Status.OK, summary, ("long-term-keys",), facts, secrets=secrets
        )
    summary = f"no expiry is known for the credentials in use (from {method})"
    return Evidence("creds.expiry", Status.OK, summary, ("expiry-unknown",), facts, secrets=secrets)
