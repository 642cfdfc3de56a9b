"""Walk botocore's credential chain without stopping at the first hit.

botocore's CredentialResolver returns the first provider that has credentials. To explain a
failure we need more: which provider won, which later ones it shadowed, and which raised. So
we take botocore's own provider list (never a copy of its order) and ask each one in turn.

Only providers that read local files or variables are asked to `load()`. The others would run
a program (credential_process), call STS or SSO (role, web identity, SSO profiles) or the
network (container, instance metadata); for those we report whether they are configured, which
is exactly the condition botocore tests before using them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from awsmedic.context import Context
from awsmedic.model import Secret, SecretKind

FOUND, CONFIGURED, ABSENT, FAILED, UNCHECKED, DISABLED = (
    "found",
    "configured",
    "absent",
    "failed",
    "unchecked",
    "disabled",
)
_LOADABLE = {"env", "shared-credentials-file", "config-file", "ec2-credentials-file", "boto-config"}
_PROFILE_KEYS = {
    "assume-role": ("role_arn",),
    "sso": ("sso_account_id", "sso_role_name"),
    "login": ("login_session",),
    "custom-process": ("credential_process",),
}
_ENV_TOKEN_VARS = ("AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN")  # botocore reads them in this order
_FILE_TOKEN_KEYS = ("aws_security_token", "aws_session_token")


@dataclass(frozen=True)
class StaticKeys:
    """Keys a provider would send, with where each part came from. Values stay `Secret`."""

    access_key: Secret
    secret_key: Secret
    token: Secret | None
    method: str
    location: str
    token_source: str = ""

    def secrets(self) -> tuple[Secret, ...]:
        parts = (self.access_key, self.secret_key, self.token)
        return tuple(part for part in parts if part is not None)


@dataclass(frozen=True)
class ProviderReport:
    method: str
    state: str
    detail: str = ""


@dataclass(frozen=True)
class RoleHop:
    profile: str
    role_arn: str
    source_profile: str
    credential_source: str


@dataclass(frozen=True)
class ChainReport:
    profile: str
    profile_source: str
    explicit: bool
    profiles: tuple[str, ...]
    profile_exists: bool
    config_file: str
    credentials_file: str
    providers: tuple[ProviderReport, ...] = ()
    keys: StaticKeys | None = None  # what the winner sends (for role profiles: the source's keys)
    role_hops: tuple[RoleHop, ...] = ()
    error: str = ""
    profile_config: Mapping[str, str] = field(default_factory=dict)

    @property
    def winner(self) -> ProviderReport | None:
        """The provider botocore uses; None when none has credentials or one raised first."""
        for report in self.providers:
            if report.state == FAILED:
                return None
            if report.state in (FOUND, CONFIGURED):
                return report
        return None

    @property
    def failed(self) -> ProviderReport | None:
        return next((p for p in self.providers if p.state == FAILED), None)

    @property
    def shadowed(self) -> tuple[ProviderReport, ...]:
        winner = self.winner
        if winner is None:
            return ()
        after = self.providers[self.providers.index(winner) + 1 :]
        return tuple(p for p in after if p.state in (FOUND, CONFIGURED))

    def secrets(self) -> tuple[Secret, ...]:
        return self.keys.secrets() if self.keys else ()


def profile_selection(ctx: Context) -> tuple[str, str, bool]:
    """The profile botocore selects, what selected it, and whether it counts as explicit."""
    if ctx.profile is not None:
        return ctx.profile, "--profile", True
    # botocore (and boto3, CLI v1) read AWS_DEFAULT_PROFILE before AWS_PROFILE; CLI v2 the
    # other way round. The env probe reports the conflict when both are set.
    for var in ("AWS_DEFAULT_PROFILE", "AWS_PROFILE"):
        value = ctx.env(var)
        if value is not None:
            return value, var, False
    return "default", "default", False


def _describe_error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _env_keys(ctx: Context) -> StaticKeys | None:
    key = ctx.env("AWS_ACCESS_KEY_ID") or ""
    secret = ctx.env("AWS_SECRET_ACCESS_KEY") or ""
    if not key or not secret:
        return None
    token_var = next((var for var in _ENV_TOKEN_VARS if ctx.env(var)), "")
    token = Secret(ctx.environ[token_var], SecretKind.SESSION_TOKEN) if token_var else None
    return StaticKeys(
        Secret(key, SecretKind.ACCESS_KEY_ID),
        Secret(secret, SecretKind.SECRET_KEY),
        token,
        "env",
        "environment variables",
        token_var,
    )


def _file_keys(section: Mapping[str, str], method: str, location: str) -> StaticKeys | None:
    key, secret = section.get("aws_access_key_id"), section.get("aws_secret_access_key")
    if key is None or secret is None:
        return None
    token_key = next((name for name in _FILE_TOKEN_KEYS if name in section), "")
    token_value = section.get(token_key) if token_key else None
    token = Secret(token_value, SecretKind.SESSION_TOKEN) if token_value else None
    return StaticKeys(
        Secret(key, SecretKind.ACCESS_KEY_ID),
        Secret(secret, SecretKind.SECRET_KEY),
        token,
        method,
        location,
        token_key,
    )


def _static_keys_of(
    ctx: Context, session: Any, profile: str, credentials_file: str, config_file: str
) -> StaticKeys | None:
    """The static keys a profile holds, credentials file first, as botocore looks for them."""
    from botocore.configloader import raw_config_parse
    from botocore.exceptions import ConfigNotFound

    try:
        creds_sections = raw_config_parse(credentials_file)
    except ConfigNotFound:
        creds_sections = {}
    if profile in creds_sections and "aws_access_key_id" in creds_sections[profile]:
        where = f"{ctx.tilde(credentials_file)} [{profile}]"
        return _file_keys(creds_sections[profile], "shared-credentials-file", where)
    section = session.full_config.get("profiles", {}).get(profile, {})
    if "aws_access_key_id" in section:
        name = "default" if profile == "default" else f"profile {profile}"
        return _file_keys(section, "config-file", f"{ctx.tilde(config_file)} [{name}]")
    return None


def _configured(
    ctx: Context, method: str, config: Mapping[str, str], explicit: bool
) -> ProviderReport:
    if method in _PROFILE_KEYS:
        present = [key for key in _PROFILE_KEYS[method] if key in config]
        if method == "assume-role" and "web_identity_token_file" in config:
            present = []
        return ProviderReport(method, CONFIGURED if present else ABSENT, ", ".join(present))
    if method == "assume-role-with-web-identity":
        if "web_identity_token_file" in config and "role_arn" in config:
            return ProviderReport(method, CONFIGURED, "web_identity_token_file in the profile")
        if not explicit and ctx.env("AWS_WEB_IDENTITY_TOKEN_FILE"):
            return ProviderReport(method, CONFIGURED, "AWS_WEB_IDENTITY_TOKEN_FILE")
        return ProviderReport(method, ABSENT)
    if method == "container-role":
        for var in ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"):
            if ctx.env(var):
                return ProviderReport(method, CONFIGURED, var)
        return ProviderReport(method, ABSENT)
    if method == "iam-role":
        if (ctx.env("AWS_EC2_METADATA_DISABLED") or "").lower() == "true":
            return ProviderReport(method, DISABLED, "AWS_EC2_METADATA_DISABLED=true")
        return ProviderReport(
            method, UNCHECKED, "instance metadata is asked last, over the network"
        )
    return ProviderReport(method, UNCHECKED)


def _role_hops(config: Mapping[str, Mapping[str, str]], profile: str) -> tuple[RoleHop, ...]:
    """Follow role_arn/source_profile down to the profile that holds the keys."""
    hops: list[RoleHop] = []
    seen: set[str] = set()
    current = profile
    while current not in seen:
        seen.add(current)
        section = config.get(current, {})
        if "role_arn" not in section:
            break
        source = section.get("source_profile", "")
        hops.append(
            RoleHop(current, section["role_arn"], source, section.get("credential_source", ""))
        )
        if not source or source == current:
            break
        current = source
    return tuple(hops)


def walk(ctx: Context, session_factory: Callable[[], Any]) -> ChainReport:
    from botocore.exceptions import BotoCoreError

    profile, source, explicit = profile_selection(ctx)
    session = session_factory()
    credentials_file = str(session.get_config_variable("credentials_file"))
    config_file = str(session.get_config_variable("config_file"))
    base = ChainReport(profile, source, explicit, (), False, config_file, credentials_file)
    try:
        profiles_config = session.full_config.get("profiles", {})
    except BotoCoreError as exc:
        return _replace(base, error=_describe_error(exc))
    profile_config = profiles_config.get(profile, {})
    exists = profile in profiles_config
    base = _replace(
        base,
        profiles=tuple(profiles_config),
        profile_exists=exists,
        profile_config=dict(profile_config),
    )
    if not exists and (explicit or source != "default"):
        return _replace(
            base, error=f"ProfileNotFound: The config profile ({profile}) could not be found"
        )
    try:
        resolver = session.get_component("credential_provider")
    except BotoCoreError as exc:
        return _replace(base, error=_describe_error(exc))
    reports: list[ProviderReport] = []
    keys: StaticKeys | None = None
    error = ""
    for provider in resolver.providers:
        method = provider.METHOD
        if method not in _LOADABLE:
            reports.append(_configured(ctx, method, profile_config, explicit))
            continue
        try:
            loaded = provider.load()
        except Exception as exc:  # a provider that raises aborts botocore's chain: say which
            reports.append(ProviderReport(method, FAILED, _describe_error(exc)))
            error = error or _describe_error(exc)
            continue
        reports.append(ProviderReport(method, FOUND if loaded is not None else ABSENT))
        earlier = (r.state in (FOUND, CONFIGURED, FAILED) for r in reports[:-1])
        if loaded is not None and not any(earlier):
            keys = _keys_for(ctx, session, method, profile, credentials_file, config_file)
    hops = _role_hops(profiles_config, profile)
    report = _replace(base, providers=tuple(reports), error=error, role_hops=hops)
    winner = report.winner
    if winner is not None and winner.method == "assume-role" and hops and hops[-1].source_profile:
        keys = _static_keys_of(ctx, session, hops[-1].source_profile, credentials_file, config_file)
    return _replace(report, keys=keys)


def _keys_for(
    ctx: Context, session: Any, method: str, profile: str, credentials_file: str, config_file: str
) -> StaticKeys | None:
    if method == "env":
        return _env_keys(ctx)
    if method in ("shared-credentials-file", "config-file"):
        return _static_keys_of(ctx, session, profile, credentials_file, config_file)
    return None


def _replace(report: ChainReport, **changes: Any) -> ChainReport:
    from dataclasses import replace

    return replace(report, **changes)
