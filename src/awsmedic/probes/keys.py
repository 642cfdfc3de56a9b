"""creds.keys: is the key the chain sends shaped like a real one, and does its token fit it?"""

from __future__ import annotations

from awsmedic.aws import keyids, sharedfiles
from awsmedic.aws.hygiene import value_problems
from awsmedic.model import Evidence, Fact, Secret, Status
from awsmedic.probes import ProbeInput, probe
from awsmedic.probes.chainwalk import ChainReport, StaticKeys


def _shape_findings(keys: StaticKeys, details: list[str]) -> list[str]:
    key = keys.access_key.reveal()
    secret = keys.secret_key.reveal()
    token = keys.token.reveal() if keys.token else None
    from_file = keys.method != "env"
    findings: list[str] = []
    if keyids.is_placeholder(key) or keyids.is_placeholder(secret):
        findings.append("placeholder-credentials")
        which = "access key id" if keyids.is_placeholder(key) else "secret access key"
        details.append(f"the {which} is a documentation example or placeholder value")
    stray = [
        f"the {label} has {problem}"
        for label, value in (
            ("access key id", key),
            ("secret access key", secret),
            ("session token", token or ""),
        )
        if value
        for problem in value_problems(value, from_file=from_file)
    ]
    if stray:
        findings.append("key-stray-characters")
        details.extend(stray)
    core_key = key.strip().strip("\"'")
    if len(core_key) == keyids.SECRET_LENGTH and secret.strip().startswith(
        keyids.ACCESS_KEY_PREFIXES
    ):
        findings.append("key-secret-swapped")
        details.append("the access key id and the secret access key look swapped")
    elif "placeholder-credentials" not in findings:
        problems = keyids.key_id_problems(core_key)
        if problems:
            findings.append(
                "key-not-access-key"
                if core_key[:4] in set(keyids.PREFIXES) - set(keyids.ACCESS_KEY_PREFIXES)
                else "key-malformed"
            )
            details.extend(f"the access key id cannot be real: {p}" for p in problems)
        secret_issues = keyids.secret_problems(secret.strip().strip("\"'"))
        if secret_issues and not stray:
            findings.append("secret-malformed")
            details.extend(f"the secret access key looks wrong: {p}" for p in secret_issues)
    findings += _token_findings(core_key, token, keys, details)
    return findings


_UNPAIRED_ASIA = "a temporary ASIA key is sent without its session token"


def _token_in_other_file(run: ProbeInput, keys: StaticKeys) -> tuple[str, Secret] | None:
    """(where, value) of a session token in the profile's section of the other shared file:
    botocore's shared-credentials and config providers each read keys and token from their
    own file only (botocore/credentials.py SharedCredentialProvider, ConfigProvider)."""
    own = {"shared-credentials-file": sharedfiles.CREDENTIALS, "config-file": sharedfiles.CONFIG}
    kind = own.get(keys.method)
    if kind is None or not keys.profile:
        return None
    files = sharedfiles.load(run.ctx)
    for site in files.profiles.get(keys.profile, ()):
        if site.file.kind == kind:
            continue
        for entry in site.section.entries:
            if entry.name in ("aws_session_token", "aws_security_token") and entry.value:
                setting = sharedfiles.Setting(entry.value, site.file, site.section, entry.line)
                return setting.where(run.ctx), Secret(entry.value)
    return None


def _token_findings(key: str, token: str | None, keys: StaticKeys, details: list[str]) -> list[str]:
    if key.startswith("AKIA"):
        if token is None:
            return ["long-term-key"]
        details.append(
            f"a session token ({keys.token_source}) is sent with a long-term AKIA key,"
            " which never takes one"
        )
        return ["long-term-key", "stale-session-token"]
    if key.startswith("ASIA"):
        if token is not None and keys.unused_tokens:
            details.append(
                f"{keys.token_source} is sent, not {', '.join(keys.unused_tokens)}: botocore reads"
                f" {keys.token_source} first, so an old one there wins over the fresh token"
            )
            return ["temporary-key", "stale-session-token"]
        if token is None:
            details.append(_UNPAIRED_ASIA)
            return ["temporary-key", "missing-session-token"]
        problems = keyids.token_problems(token)
        if problems:
            details.extend(f"the session token looks cut off or mangled: {p}" for p in problems)
            return ["temporary-key", "truncated-session-token"]
        return ["temporary-key"]
    return []


def _configured_account(run: ProbeInput, report: ChainReport, keys: StaticKeys) -> Fact | None:
    """The account id configured next to the keys (AWS_ACCOUNT_ID or aws_account_id)."""
    if keys.method == "env":
        value = run.ctx.env("AWS_ACCOUNT_ID")
        return Fact(value.strip(), "env", "AWS_ACCOUNT_ID") if value else None
    value = run.world.profile_section(keys.profile).get("aws_account_id")
    return Fact(value.strip(), "file", f"aws_account_id in {keys.location}") if value else None


@probe(
    "creds.keys",
    title="Access key analysis",
    findings=(
        "no-static-keys",
        "placeholder-credentials",
        "key-stray-characters",
        "key-secret-swapped",
        "key-malformed",
        "key-not-access-key",
        "secret-malformed",
        "long-term-key",
        "temporary-key",
        "stale-session-token",
        "missing-session-token",
        "truncated-session-token",
        "key-account-mismatch",
    ),
    facts=("access_key_id", "account_id"),
)
def key_analysis(run: ProbeInput) -> Evidence:
    """Prefix, length and alphabet of the key id, placeholder values, and whether a token fits."""
    report = run.world.chain()
    keys = report.keys
    if keys is None and report.keys_unchecked:
        return Evidence("creds.keys", Status.SKIPPED, report.keys_unchecked)
    if keys is None:
        source = report.winner.method if report.winner else "no provider"
        return Evidence(
            "creds.keys",
            Status.SKIPPED,
            f"no static keys to analyse (credentials come from {source})",
            ("no-static-keys",),
        )
    details: list[str] = []
    findings = _shape_findings(keys, details)
    stray_token = _token_in_other_file(run, keys) if "missing-session-token" in findings else None
    if stray_token is not None:
        where = stray_token[0]
        details[:] = [
            f"{line}: an aws_session_token is in {where}, but botocore takes the token only from"
            f" the file that holds the keys ({keys.location})"
            if line == _UNPAIRED_ASIA
            else line
            for line in details
        ]
    masked = keys.access_key.masked()
    facts = {"access_key_id": Fact(masked, keys.method, keys.location)}
    notes: list[str] = []  # context, after the problems (the summary is the first problem)
    if keys.token is not None:
        length = len(keys.token.reveal())
        notes.append(f"the session token ({keys.token_source}) is {length} characters long")
    if report.source_profile and keys.profile == report.source_profile:
        notes.append(f"these are the keys of source profile '{keys.profile}'")
    account = keyids.decode_account(keys.access_key.reveal().strip())
    if account:
        facts["account_id"] = Fact(account, "decoded from the key id")
        notes.append(f"the key id belongs to account {account} (decoded offline)")
        expected = _configured_account(run, report, keys)
        if expected is not None and expected.value != account:
            findings.append("key-account-mismatch")
            details.append(
                f"the key id belongs to account {account}, but {expected.location} says"
                f" {expected.value}: it is not the key meant for this account"
            )
    details += notes
    bad = set(findings) - {"long-term-key", "temporary-key"}
    kind = keyids.prefix_kind(keys.access_key.reveal().strip()) or "unrecognised key"
    token_state = f"a session token from {keys.token_source}" if keys.token else "no token"
    summary = details[0] if bad else f"{masked}: {kind} with {token_state}, well formed"
    return Evidence(
        "creds.keys",
        Status.PROBLEM if bad else Status.OK,
        summary,
        tuple(findings),
        facts,
        tuple(details),
        keys.secrets() + ((stray_token[1],) if stray_token else ()),
    )
