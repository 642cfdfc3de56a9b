"""sso.token: an IAM Identity Center profile's settings and the cached token botocore would read.

botocore needs `sso_account_id`, `sso_role_name`, and either `sso_session` naming an
`[sso-session <name>]` section with `sso_start_url` and `sso_region`, or (legacy) those two in
the profile. The token `aws sso login` left is `~/.aws/sso/cache/<sha1>.json`, keyed by the
session name, or by the start URL for legacy profiles (botocore.utils.SSOTokenLoader). Only
sso-session tokens can be refreshed. We read the file; we never show the token.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from awsmedic.aws import bounded, sharedfiles
from awsmedic.aws.ages import ago
from awsmedic.aws.sharedfiles import AwsFiles
from awsmedic.context import Context
from awsmedic.model import Edit, Evidence, Fact, Secret, Status
from awsmedic.probes import ProbeInput, probe, selected_profile

_SECRET_FIELDS = ("accessToken", "refreshToken", "clientSecret")
_REFRESH_FIELDS = ("refreshToken", "clientId", "clientSecret", "registrationExpiresAt")
_SSO_KEYS = ("sso_account_id", "sso_role_name", "sso_session", "sso_start_url")


@dataclass(frozen=True)
class SsoConfig:
    profile: str
    session: str | None
    start_url: str | None
    problems: tuple[tuple[str, str], ...]  # (finding, sentence)
    #: What the settings already say, for the shape the steps show: placeholder -> value.
    known: tuple[tuple[str, str], ...] = ()
    #: The keys a section lacks, the section's header and its line (the first such section).
    lacks: tuple[tuple[str, ...], str, int] | None = None


def sso_profile(files: AwsFiles, name: str) -> str | None:
    """The profile that holds the SSO settings: `name`, or the source of a role chain. Any
    SSO setting counts: a profile with only its start URL and region is an SSO profile that
    lacks its account and role, not a profile without credentials."""
    for _ in range(10):
        settings = files.settings(name)
        if any(key in settings for key in _SSO_KEYS):
            return name
        source = settings.get("source_profile")
        if source is None or "role_arn" not in settings or source.value == name:
            return None
        name = source.value
    return None


def _session_problems(
    ctx: Context, files: AwsFiles, profile: str, name: str
) -> list[tuple[str, str]]:
    settings = files.settings(profile)
    session = files.session_settings(name)
    if not session:
        where = settings["sso_session"].where(ctx)
        bare = next((s for s in files.others if s.name.strip() == name), None)
        if bare is not None:
            return [
                (
                    "sso-session-header-without-prefix",
                    f"sso_session = {name} ({where}), but {bare.where(ctx)} is written without"
                    f" the prefix: write [sso-session {name}]",
                )
            ]
        dropped = _dropped_session(files, name)
        if dropped is not None:
            # The section is there, under a header botocore drops (configloader.py
            # `_parse_section` keeps only a name that shlex splits into two words).
            said = "has no name" if not dropped.name else "is not two words"
            return [
                (
                    "sso-session-missing",
                    f"sso_session = {name} ({where}) names no [sso-session {name}] section:"
                    f" {dropped.where(ctx)} {said}, so botocore ignores it"
                    f" (write [sso-session {name}])",
                ),
                ("sso-session-header-ignored", ""),
            ]
        return [
            (
                "sso-session-missing",
                f"sso_session = {name} ({where}) names no [sso-session {name}] section",
            )
        ]
    found = []
    for key, value in session.items():
        if key in settings and settings[key].value != value.value:
            found.append(
                (
                    "sso-config-inconsistent",
                    f"{key} differs between the profile ({settings[key].where(ctx)}) and the"
                    f" sso-session ({value.where(ctx)})",
                )
            )
    missing = [key for key in ("sso_start_url", "sso_region") if key not in session]
    if missing:
        site = files.sso_sessions[name]
        found.append(
            (
                "sso-config-incomplete",
                f"[sso-session {name}] lacks {', '.join(missing)}"
                f" ({site.file.where(ctx, site.section.line)})",
            )
        )
    return found


def _dropped_session(files: AwsFiles, name: str) -> sharedfiles.ProfileSite | None:
    """The `[sso-session …]` header botocore drops that was meant for session `name`: one
    written with that name (`[sso-session corp x]` is not), else the only one without a name."""
    found = sharedfiles.ignored_section(files, "sso-session", name)
    if found is None and name:
        nameless = [
            site
            for site in files.ignored
            if not site.name and site.section.name.startswith("sso-session")
        ]
        found = nameless[0] if len(nameless) == 1 else None
    return found


def read_config(ctx: Context, files: AwsFiles, profile: str) -> SsoConfig:
    settings = files.settings(profile)
    problems: list[tuple[str, str]] = []
    missing = [key for key in ("sso_account_id", "sso_role_name") if key not in settings]
    session_name = settings["sso_session"].value if "sso_session" in settings else None
    if session_name is not None:
        problems += _session_problems(ctx, files, profile, session_name)
        start = files.session_settings(session_name).get("sso_start_url")
    else:
        missing += [key for key in ("sso_start_url", "sso_region") if key not in settings]
        start = settings.get("sso_start_url")
    if missing:
        sites = [site.where(ctx) for site in files.profiles.get(profile, ())]
        where = f" ({'; '.join(sites)})" if sites else ""
        problems.insert(
            0, ("sso-config-incomplete", f"profile '{profile}' lacks {', '.join(missing)}{where}")
        )
    account = settings.get("sso_account_id")
    if account is not None and not (account.value.isdigit() and len(account.value) == 12):
        problems.append(
            ("sso-account-id-malformed", f"sso_account_id ({account.where(ctx)}) is not 12 digits")
        )
    # The values the shape in the steps can show as they are: the profile's, and its
    # sso-session's (or those of the header botocore drops, which were meant for it).
    values = {key: setting.value for key, setting in settings.items()}
    session_values: dict[str, str] = {}
    if session_name is not None:
        dropped = (
            None if files.sso_sessions.get(session_name) else _dropped_session(files, session_name)
        )
        entries = dropped.section.entries if dropped is not None else ()
        session_values = {e.name: e.value for e in entries} or {
            key: setting.value for key, setting in files.session_settings(session_name).items()
        }
        if start is None and session_values.get("sso_start_url"):
            start_url = session_values["sso_start_url"]
        else:
            start_url = start.value if start else ""
    else:
        start_url = start.value if start else ""
    known = {
        "sso_start_url": start_url,
        "sso_region": session_values.get("sso_region") or values.get("sso_region", ""),
        "sso_account_id": values.get("sso_account_id", ""),
        "permission_set": values.get("sso_role_name", ""),
        "region": values.get("region", ""),
    }
    return SsoConfig(
        profile,
        session_name,
        start.value if start else None,
        tuple(problems),
        tuple((key, value) for key, value in known.items() if value),
        _lacks(files, profile, session_name, missing),
    )


def _lacks(
    files: AwsFiles, profile: str, session: str | None, missing: list[str]
) -> tuple[tuple[str, ...], str, int] | None:
    """The keys a section lacks, its header and line: the profile's first, else the session's."""
    if missing:
        site = next((s for s in files.profiles.get(profile, ()) if s.file.kind == "config"), None)
        if site is not None:
            return tuple(missing), f"[{site.section.name}]", site.section.line
        return None
    if session is None or session not in files.sso_sessions:
        return None
    present = files.session_settings(session)
    keys = tuple(key for key in ("sso_start_url", "sso_region") if key not in present)
    site = files.sso_sessions[session]
    return (keys, f"[{site.section.name}]", site.section.line) if keys else None


#: A token cache file a message names (`…/.aws/sso/cache/<sha1>.json`, any path separator).
_CACHE_NAMED = re.compile(r"sso[/\\]+cache[/\\]+([0-9a-f]{40})\.json")


def _cache_name(key: str) -> str:
    """botocore's name for the token cached under a session name or start URL (its SHA-1)."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()  # noqa: S324 (botocore's cache key)


def cache_file(ctx: Context, config: SsoConfig) -> Path | None:
    key = config.session if config.session is not None else config.start_url
    if key is None:
        return None
    return sharedfiles.expand(ctx, f"~/.aws/sso/cache/{_cache_name(key)}.json")


def parse_time(text: object) -> datetime | None:
    """An ISO 8601 time as the CLI writes it (`…Z`, or `…UTC` from older versions), aware."""
    value = str(text).strip()
    if value.endswith("UTC"):
        value = value[:-3].rstrip() + "+00:00"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def token_state(token: dict[str, object], config: SsoConfig, now: datetime) -> tuple[str, str]:
    """(finding, sentence) on a cached token; never its values."""
    if "accessToken" not in token or "expiresAt" not in token:
        return "sso-token-invalid", "the cached token lacks accessToken or expiresAt"
    expires = parse_time(token["expiresAt"])
    if expires is None:
        return "sso-token-invalid", "the cached token's expiresAt is not a time"
    if expires > now:
        return (
            "sso-token-valid",
            f"the cached token is valid until {expires:%Y-%m-%d %H:%M} UTC"
            f" ({ago(expires, now, dated=False)})",
        )
    expired = f"the cached token expired {ago(expires, now)}"
    if config.session is None:
        return (
            "sso-token-expired",
            f"{expired}; legacy profiles (sso_start_url in the profile) cannot refresh it",
        )
    missing = [field for field in _REFRESH_FIELDS if field not in token]
    if missing:
        return "sso-token-expired", f"{expired} and it holds no refresh token"
    registration = parse_time(token["registrationExpiresAt"])
    if registration is None or registration <= now:
        return "sso-registration-expired", f"{expired} and its client registration expired too"
    return (
        "sso-token-expired-refreshable",
        f"{expired}; botocore tries to refresh it, which fails once the sign-in session"
        " itself has ended",
    )


def read_token(path: Path) -> tuple[dict[str, object] | None, str]:
    try:
        read = bounded.read_file(path, bounded.SMALL_FILE_BYTES)
    except FileNotFoundError:
        return None, "missing"
    except OSError as exc:
        return None, f"unreadable ({exc.strerror or type(exc).__name__})"
    if read.cut:
        return None, f"unreadable (larger than {bounded.SMALL_FILE_BYTES >> 20} MB)"
    try:
        data = json.loads(read.data.decode("utf-8"))
    except ValueError:
        return None, "not valid JSON"
    return (data, "") if isinstance(data, dict) else (None, "not a JSON object")


@probe(
    "sso.token",
    title="IAM Identity Center (SSO) settings and cached token",
    findings=(
        "not-sso-profile",
        "sso-config-incomplete",
        "sso-session-missing",
        "sso-session-header-without-prefix",
        "sso-config-inconsistent",
        "sso-account-id-malformed",
        "sso-legacy-profile",
        "sso-token-missing",
        "sso-cache-owned-by-other-user",
        "sso-cache-not-accessible",
        "sso-token-invalid",
        "sso-token-expired",
        "sso-token-expired-refreshable",
        "sso-registration-expired",
        "sso-token-valid",
        "sso-session-header-ignored",
        "sso-cache-looked-up-by-start-url",
    ),
    facts=(
        "profile",
        "sso_profile",
        "sso_session",
        "sso_start_url",
        "config_file",
        "sso_region",
        "sso_account_id",
        "permission_set",
        "region",
        "sso_missing",
        "sso_section",
        "sso_section_line",
        "file_owner",
    ),
    edits=("sso-session-header-ignored",),
)
def sso_token(run: ProbeInput) -> Evidence:
    """SSO settings of the profile, and the state of the token cache file botocore would read."""
    ctx = run.ctx
    files = sharedfiles.load(ctx)
    selection = selected_profile(run)
    facts = {"profile": Fact(selection.name, selection.source), **files.facts(ctx)}
    profile = sso_profile(files, selection.name)
    if profile is None:
        summary = f"profile '{selection.name}' does not use IAM Identity Center"
        return Evidence("sso.token", Status.OK, summary, ("not-sso-profile",), facts)
    config = read_config(ctx, files, profile)
    if profile != selection.name:  # `aws sso login` reads the SSO settings of the profile it names
        facts["sso_profile"] = Fact(profile, "config-file", f"source_profile of '{selection.name}'")
    if config.session:
        facts["sso_session"] = Fact(config.session, "config-file")
    if config.start_url:
        facts["sso_start_url"] = Fact(config.start_url, "config-file")
    kind = f"sso-session '{config.session}'" if config.session else "legacy settings"
    label = f"SSO profile '{profile}' ({kind})"
    if config.problems:
        facts |= _shape_facts(config)
        findings = tuple(dict.fromkeys(finding for finding, _ in config.problems))
        if config.session is None:
            findings += ("sso-legacy-profile",)
        sentences = tuple(sentence for _, sentence in config.problems if sentence)
        summary = f"{label}: {'; '.join(sentences)}"
        edits = _session_header_edit(ctx, files, config)
        return Evidence(
            "sso.token", Status.PROBLEM, summary, findings, facts, sentences, edits=edits
        )
    finding, sentence, secrets = _cache_state(ctx, config, facts)
    also: tuple[str, ...] = () if config.session else ("sso-legacy-profile",)
    details: tuple[str, ...] = (sentence,)
    older = _looked_up_by_start_url(run.text, config)
    if older is not None:
        also += ("sso-cache-looked-up-by-start-url",)
        details += (older,)
    return Evidence(
        "sso.token",
        Status.OK if finding == "sso-token-valid" and older is None else Status.PROBLEM,
        f"{label}: {'; '.join(details)}",
        (finding, *also),
        facts,
        details,
        secrets,
    )


def _looked_up_by_start_url(text: str, config: SsoConfig) -> str | None:
    """With an sso_session, `aws sso login` caches the token under the SHA-1 of the session's
    name; an SDK older than sso-session support looks it up under the SHA-1 of the start URL
    (botocore utils.py SSOTokenLoader._generate_cache_key; Go v1 ssocreds, before sso-session).
    The failing tool's message names the file it could not open: which of the two it is says
    whether the tool knows sso-session."""
    if config.session is None or config.start_url is None:
        return None
    named = set(_CACHE_NAMED.findall(text))
    by_url, by_session = _cache_name(config.start_url), _cache_name(config.session)
    if by_url not in named or by_session in named:
        return None
    return (
        f"the failing tool looked for {by_url}.json, the name a token gets from the start URL:"
        " it does not know sso_session, whose token `aws sso login` caches under the session's"
        f" name ({by_session}.json)"
    )


def _shape_facts(config: SsoConfig) -> dict[str, Fact]:
    """The values the profile and its sso-session already hold, for the shape the steps show,
    and the keys a section lacks (`sso_missing`, `sso_section`, `sso_section_line`)."""
    facts = {name: Fact(value, "config-file") for name, value in config.known}
    if config.lacks is not None:
        keys, header, line = config.lacks
        facts["sso_missing"] = Fact(", ".join(keys), "config-file")
        facts["sso_section"] = Fact(header, "config-file")
        facts["sso_section_line"] = Fact(str(line), "config-file")
    return facts


def _session_header_edit(ctx: Context, files: AwsFiles, config: SsoConfig) -> tuple[Edit, ...]:
    """`[sso-session]` (a header botocore drops) written `[sso-session <name>]`, the name the
    profile's sso_session gives."""
    from awsmedic.aws.lineedits import header_edit

    if config.session is None or config.session in files.sso_sessions:
        return ()
    dropped = _dropped_session(files, config.session)
    if dropped is None:
        return ()
    edit = header_edit(
        ctx,
        dropped.file,
        dropped.section.line,
        dropped.section.name,
        f"sso-session {config.session}",
        "sso-session-header-ignored",
        f"{dropped.where(ctx)} is ignored by botocore, and the profile names sso-session"
        f" '{config.session}'",
    )
    return (edit,) if edit is not None else ()


def _owner(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"uid {uid}"


def cache_access(
    ctx: Context, path: Path, facts: dict[str, Fact]
) -> tuple[str, str, tuple[Secret, ...]] | None:
    """(finding, sentence, ()) when this user may not reach the cached token file: a folder of
    ~/.aws/sso/cache it cannot search, or the file it cannot read. botocore's JSONFileCache then
    says the token "does not exist" (`__contains__` is os.path.isfile, false when the folder
    cannot be searched) or fails on the cache key (`open` refused), and `aws sso login` cannot
    write a new token there either. Who owns the first such item, and its mode, say the fix."""
    euid = os.geteuid() if hasattr(os, "geteuid") else None
    for item, need in ((path.parent.parent, os.X_OK), (path.parent, os.X_OK), (path, os.R_OK)):
        try:
            info = item.stat()
        except OSError:
            return None
        if os.access(item, need):
            continue
        if need == os.X_OK:
            what = f"the folder {ctx.tilde(item)}"
            how = "cannot be searched by this user, so botocore does not see the token file in it"
            how += " (it says the token does not exist)"
        else:
            what = f"the cached token file {ctx.tilde(item)}"
            how = "cannot be read by this user, so botocore cannot load the token"
        mode = stat.filemode(info.st_mode)
        finding = "sso-cache-not-accessible"
        if euid is not None and info.st_uid != euid:
            finding = "sso-cache-owned-by-other-user"
            owner = _owner(info.st_uid)
            facts["file_owner"] = Fact(owner, "sso.token", ctx.tilde(item))
            whose = f"{mode}, owned by {owner}, not by this user"
        else:
            whose = f"{mode}: its mode shuts this user out"
        sentence = (
            f"{what} ({whose}) {how}, and aws sso login cannot write a new one there; whether"
            " a token there is still valid is not known"
        )
        return finding, sentence, ()
    return None


def _cache_state(
    ctx: Context, config: SsoConfig, facts: dict[str, Fact]
) -> tuple[str, str, tuple[Secret, ...]]:
    """(finding, sentence, secrets) for the cache file of a well-formed SSO configuration."""
    path = cache_file(ctx, config)
    if path is None:
        return "sso-token-invalid", "the profile names neither an sso-session nor a start URL", ()
    token, why = read_token(path)
    blocked = cache_access(ctx, path, facts) if token is None and why != "missing" else None
    if blocked is not None:
        return blocked
    if token is None:
        if why == "missing":
            sentence = (
                f"no cached token ({ctx.tilde(path)} is missing): not signed in with"
                " `aws sso login` on this machine as this user"
            )
            return "sso-token-missing", sentence, ()
        # Written but not usable (cut short, hand-edited): botocore reads it as no token at
        # all (its JSON cache raises KeyError), and a new sign-in rewrites it.
        sentence = f"the cached token file {ctx.tilde(path)} is {why}: botocore cannot use it"
        return "sso-token-invalid", sentence, ()
    secrets = tuple(Secret(str(token[field])) for field in _SECRET_FIELDS if token.get(field))
    finding, sentence = token_state(token, config, ctx.now())
    return finding, f"{sentence} ({ctx.tilde(path)})", secrets
