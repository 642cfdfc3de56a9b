"""Walk botocore's credential chain without stopping at the first hit.

botocore's CredentialResolver returns the first provider that has credentials. To explain a
failure we need more: which provider won, which later ones it shadowed, and which raised. So
we take botocore's own provider list (never a copy of its order) and ask each one in turn.

Only providers that read local files or variables are asked to `load()`. The others would run
a program (credential_process), call STS or SSO (role, web identity, SSO profiles) or the
network (container, instance metadata); for those we report whether they are configured, which
is exactly the condition botocore tests before using them. Role profiles are followed down their
`source_profile` links to the keys that actually sign the AssumeRole call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from awsmedic.aws.sharedfiles import profile_kind, profile_selection
from awsmedic.context import Context
from awsmedic.model import Record, Secret
from awsmedic.probes.keysource import (
    StaticKeys,
    env_keys,
    file_keys,
    follow_role,
    profile_static_keys,
)

__all__ = ["ChainReport", "ProviderReport", "RoleHop", "StaticKeys", "profile_selection", "walk"]

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


@dataclass(frozen=True, repr=False, eq=False)
class ProviderReport(Record):
    """One provider of botocore's credential chain, and what it has."""

    method: str
    state: str
    detail: str = ""


@dataclass(frozen=True, repr=False, eq=False)
class RoleHop(Record):
    """One role profile on the way to the keys that sign its AssumeRole."""

    profile: str
    role_arn: str
    source_profile: str
    credential_source: str
    mfa_serial: str = ""


@dataclass(frozen=True, repr=False, eq=False)
class ChainReport(Record):
    """The credential chain walked: which provider wins, what it shadows, and the keys."""

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
    env_keys: StaticKeys | None = None  # keys in the environment, used or not
    profile_keys: StaticKeys | None = None  # the selected profile's own keys (env disabled)
    #: Keys of the profile in the config file, hidden by other keys of the same profile in the
    #: credentials file (SharedCredentialProvider comes before ConfigProvider in botocore).
    config_keys: StaticKeys | None = None
    source_profile: str = ""  # for role profiles: the profile whose keys sign AssumeRole
    source_error: str = ""  # why a role profile has no usable source keys
    source_provider: str = ""  # for role profiles: a non-static provider behind the source
    #: AWS_DEFAULT_PROFILE and AWS_PROFILE when both are set and differ (tools disagree).
    profile_vars: tuple[str, str] | None = None
    #: A profile variable set here that the failing tool does not read (the JavaScript SDK v3
    #: reads AWS_PROFILE only): (variable, value).
    unread_profile: tuple[str, str] | None = None
    #: The other profiles that define credentials or a credential provider (keys, a role,
    #: SSO, credential_process, aws login, web identity), in botocore's map of the two files.
    credential_profiles: tuple[str, ...] = ()

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
    def keys_unchecked(self) -> str:
        """What a check of the keys says when the walk ended before any provider gave credentials
        (a file botocore cannot parse, a profile that does not exist, a provider that raised): it
        checked nothing, which is not "there are none". '' when the walk did not stop early."""
        if self.winner is not None or not self.error:
            return ""
        return f"not checked: the credential chain stopped first ({self.error})"

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

    @property
    def role_mfa(self) -> bool:
        """Whether using this chain would make botocore prompt for an MFA code."""
        return any(hop.mfa_serial for hop in self.role_hops)

    def secrets(self) -> tuple[Secret, ...]:
        found = (self.keys, self.env_keys, self.profile_keys, self.config_keys)
        return tuple(secret for keys in found if keys for secret in keys.secrets())


def _profile_vars(ctx: Context) -> tuple[str, str] | None:
    default, named = ctx.env("AWS_DEFAULT_PROFILE"), ctx.env("AWS_PROFILE")
    if ctx.profile is None and default is not None and named is not None and default != named:
        return default, named
    return None


def _unread_profile(ctx: Context) -> tuple[str, str] | None:
    """A profile variable set here that the tool does not read, where nothing it reads is set
    (then it uses `default`, not the profile the variable names)."""
    if ctx.profile is not None or any(ctx.env(var) is not None for var in ctx.profile_variables):
        return None
    for var in ("AWS_DEFAULT_PROFILE", "AWS_PROFILE"):
        value = ctx.env(var)
        if var not in ctx.profile_variables and value:
            return var, value
    return None


def _credential_profiles(profiles: Mapping[str, Any], selected: str) -> tuple[str, ...]:
    """The profiles other than `selected` whose settings give botocore a credential provider.

    `profiles` is botocore's own map (`Session.full_config`): both files, AWS_CONFIG_FILE and
    AWS_SHARED_CREDENTIALS_FILE respected, the credentials file's values winning. A setting
    written with no value provides nothing."""
    found = []
    for name, section in profiles.items():
        if name == selected or not isinstance(section, Mapping):
            continue
        settings = {k: v for k, v in section.items() if isinstance(v, str) and v.strip()}
        if profile_kind(settings) != "none":
            found.append(str(name))
    return tuple(found)


def _describe_error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


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


def _providers(
    ctx: Context, session: Any, report: ChainReport
) -> tuple[list[ProviderReport], StaticKeys | None, str]:
    """Ask every provider in botocore's order; keys are those of the first that has some."""
    resolver = session.get_component("credential_provider")
    reports: list[ProviderReport] = []
    keys: StaticKeys | None = None
    error = ""
    for provider in resolver.providers:
        method = provider.METHOD
        if method not in _LOADABLE:
            reports.append(_configured(ctx, method, report.profile_config, report.explicit))
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
            if method == "env":
                keys = env_keys(ctx)
            elif method in ("shared-credentials-file", "config-file"):
                keys = file_keys(ctx, session, report.profile, method)
    return reports, keys, error


def _with_role(ctx: Context, session: Any, report: ChainReport) -> ChainReport:
    hops: list[RoleHop] = []

    def hop(name: str, section: Mapping[str, str]) -> None:
        hops.append(
            RoleHop(
                name,
                section.get("role_arn", ""),
                section.get("source_profile", ""),
                section.get("credential_source", ""),
                section.get("mfa_serial", ""),
            )
        )

    profiles = session.full_config.get("profiles", {})
    trail = follow_role(ctx, session, profiles, report.profile, hop)
    return replace(
        report,
        keys=trail.keys,
        role_hops=tuple(hops),
        source_profile=trail.source_profile,
        source_error=trail.error,
        source_provider=trail.provider or trail.credential_source,
    )


def walk(ctx: Context, session_factory: Callable[[], Any]) -> ChainReport:
    from botocore.exceptions import BotoCoreError

    profile, source, explicit = profile_selection(ctx)
    session = session_factory()
    credentials_file = str(session.get_config_variable("credentials_file"))
    config_file = str(session.get_config_variable("config_file"))
    base = ChainReport(
        profile,
        source,
        explicit,
        (),
        False,
        config_file,
        credentials_file,
        env_keys=env_keys(ctx),
        profile_vars=_profile_vars(ctx),
        unread_profile=_unread_profile(ctx),
    )
    try:
        profiles_config = session.full_config.get("profiles", {})
    except BotoCoreError as exc:
        return replace(base, error=_describe_error(exc))
    exists = profile in profiles_config
    base = replace(
        base,
        profiles=tuple(profiles_config),
        profile_exists=exists,
        profile_config=dict(profiles_config.get(profile, {})),
        credential_profiles=_credential_profiles(profiles_config, profile),
    )
    if not exists and (explicit or source != "default"):
        return replace(
            base, error=f"ProfileNotFound: The config profile ({profile}) could not be found"
        )
    try:
        reports, keys, error = _providers(ctx, session, base)
    except BotoCoreError as exc:
        return replace(base, error=_describe_error(exc))
    report = replace(base, providers=tuple(reports), keys=keys, error=error)
    if exists:
        report = replace(report, profile_keys=profile_static_keys(ctx, session, profile).keys)
    winner = report.winner
    if winner is not None and winner.method == "assume-role":
        report = _with_role(ctx, session, report)
    if winner is not None and winner.method == "shared-credentials-file":
        report = replace(report, config_keys=_hidden_config_keys(ctx, session, report))
    return report


def _hidden_config_keys(ctx: Context, session: Any, report: ChainReport) -> StaticKeys | None:
    """The config file's keys for the profile, when the credentials file's keys hide them."""
    if not any(p.method == "config-file" and p.state == FOUND for p in report.shadowed):
        return None
    hidden = file_keys(ctx, session, report.profile, "config-file")
    sent = report.keys
    if hidden is None or sent is None or hidden.key_id == sent.key_id:
        return None
    return hidden
