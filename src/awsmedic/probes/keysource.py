"""Which static keys a provider would send, read the way botocore reads them (no probes here).

Values are wrapped in `Secret` at once and never leave as plain strings. Locations name the file
and section (or the variables), so evidence can say where a bad value lives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from awsmedic.context import Context
from awsmedic.model import Record, Secret, SecretKind

#: botocore's EnvProvider.TOKENS: the first non-empty one is sent.
ENV_TOKEN_VARS = ("AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN")
#: SharedCredentialProvider/ConfigProvider.TOKENS: the first key *present* wins, even if empty.
FILE_TOKEN_KEYS = ("aws_security_token", "aws_session_token")
_STATIC = ("aws_access_key_id", "aws_secret_access_key")
_ROLE = ("role_arn",)
#: Profile providers that do not hold keys themselves; configured, they come before the files.
_NOT_STATIC = {
    "assume-role-with-web-identity": ("web_identity_token_file",),
    "sso": ("sso_account_id", "sso_role_name"),
    "login": ("login_session",),
    "custom-process": ("credential_process",),
}


@dataclass(frozen=True, repr=False, eq=False)
class StaticKeys(Record):
    """Keys a provider would send, with where each part came from. Values stay `Secret`."""

    access_key: Secret
    secret_key: Secret
    token: Secret | None
    method: str
    location: str
    token_source: str = ""
    profile: str = ""  # the profile whose section holds them; "" for the environment
    unused_tokens: tuple[str, ...] = ()  # other token variables/keys that are set but not sent

    def secrets(self) -> tuple[Secret, ...]:
        parts = (self.access_key, self.secret_key, self.token)
        return tuple(part for part in parts if part is not None)

    @property
    def key_id(self) -> str:
        return self.access_key.reveal()


@dataclass(frozen=True, repr=False, eq=False)
class SourceTrail(Record):
    """Where a role profile's credentials really come from."""

    keys: StaticKeys | None
    source_profile: str = ""
    credential_source: str = ""
    provider: str = ""  # a provider without static keys that supplies the source (sso, ...)
    error: str = ""  # why botocore could not get source credentials, in its own words


def env_keys(ctx: Context) -> StaticKeys | None:
    """What EnvProvider sends: it needs a non-empty key id and secret."""
    key = ctx.env("AWS_ACCESS_KEY_ID") or ""
    secret = ctx.env("AWS_SECRET_ACCESS_KEY") or ""
    if not key or not secret:
        return None
    token_var = next((var for var in ENV_TOKEN_VARS if ctx.env(var)), "")
    token_value = ctx.environ[token_var] if token_var else ""
    unused = tuple(
        var
        for var in ENV_TOKEN_VARS
        if var != token_var and ctx.env(var) and ctx.env(var) != token_value
    )
    return StaticKeys(
        Secret(key, SecretKind.ACCESS_KEY_ID),
        Secret(secret, SecretKind.SECRET_KEY),
        Secret(token_value, SecretKind.SESSION_TOKEN) if token_value else None,
        "env",
        "environment variables",
        token_var,
        unused_tokens=unused,
    )


def _section_keys(
    section: Mapping[str, str], method: str, location: str, profile: str
) -> StaticKeys | None:
    key, secret = section.get("aws_access_key_id"), section.get("aws_secret_access_key")
    if key is None or secret is None:
        return None
    token_key = next((name for name in FILE_TOKEN_KEYS if name in section), "")
    token_value = section.get(token_key) if token_key else None
    unused = tuple(name for name in FILE_TOKEN_KEYS if name != token_key and section.get(name))
    return StaticKeys(
        Secret(key, SecretKind.ACCESS_KEY_ID),
        Secret(secret, SecretKind.SECRET_KEY),
        Secret(token_value, SecretKind.SESSION_TOKEN) if token_value else None,
        method,
        location,
        token_key,
        profile,
        unused,
    )


def file_keys(ctx: Context, session: Any, profile: str, method: str) -> StaticKeys | None:
    """The keys of `profile` in the credentials file or the config file, as botocore reads them."""
    if method == "shared-credentials-file":
        from botocore.exceptions import ConfigNotFound

        from awsmedic.aws.parsecache import raw_config_parse  # botocore's, parsed once

        path = str(session.get_config_variable("credentials_file"))
        try:
            sections = raw_config_parse(path)
        except ConfigNotFound:
            return None
        return _section_keys(
            sections.get(profile, {}), method, f"{ctx.tilde(path)} [{profile}]", profile
        )
    from botocore.exceptions import ConfigNotFound

    from awsmedic.aws.parsecache import load_config  # botocore's, parsed once

    # ConfigProvider reads the config file alone; the session's full_config has the credentials
    # file's values merged over it, which would show the keys that shadow these as their own.
    path = str(session.get_config_variable("config_file"))
    try:
        section = load_config(path).get("profiles", {}).get(profile, {})
    except ConfigNotFound:
        return None
    name = "default" if profile == "default" else f"profile {profile}"
    return _section_keys(section, method, f"{ctx.tilde(path)} [{name}]", profile)


def profile_static_keys(ctx: Context, session: Any, profile: str) -> SourceTrail:
    """A profile's own keys, with the environment disabled, as a source profile is resolved.

    `keys` is None when a provider without static keys comes first (SSO, web identity,
    `aws login`, credential_process: then `provider` names it) or when the profile has no keys
    (then `error` says so, as botocore would).
    """
    from botocore.credentials import ProfileProviderBuilder

    config = session.full_config.get("profiles", {}).get(profile, {})
    for provider in ProfileProviderBuilder(session).providers(profile, disable_env_vars=True):
        method = provider.METHOD
        if method in _NOT_STATIC:
            if any(key in config for key in _NOT_STATIC[method]):
                return SourceTrail(None, profile, provider=method)
            continue
        try:
            loaded = provider.load()
        except Exception as exc:  # botocore raises on partial keys: that is the answer
            return SourceTrail(None, profile, error=f"{type(exc).__name__}: {exc}")
        if loaded is not None:
            return SourceTrail(file_keys(ctx, session, profile, method), profile)
    missing = f'The source profile "{profile}" must have credentials.'
    return SourceTrail(None, profile, error=missing)


def _has(section: Mapping[str, str], keys: tuple[str, ...]) -> bool:
    return any(key in section for key in keys)


def follow_role(
    ctx: Context,
    session: Any,
    profiles: Mapping[str, Mapping[str, str]],
    profile: str,
    on_hop: Callable[[str, Mapping[str, str]], None],
) -> SourceTrail:
    """Follow role_arn/source_profile the way AssumeRoleProvider does, to the keys it signs with."""
    visited = [profile]
    current = profile
    while True:
        section = profiles.get(current, {})
        on_hop(current, section)
        credential_source = section.get("credential_source", "")
        source = section.get("source_profile", "")
        if credential_source:
            keys = env_keys(ctx) if credential_source == "Environment" else None
            return SourceTrail(keys, credential_source=credential_source)
        if not source:
            return SourceTrail(None, error=f'profile "{current}" has no source_profile')
        if source not in profiles:
            return SourceTrail(
                None,
                source,
                error=f'The source_profile "{source}" referenced in the profile "{current}"'
                " does not exist.",
            )
        target = profiles[source]
        if source in visited and (source != current or not _has(target, _STATIC)):
            return SourceTrail(None, source, error="Infinite loop in credential configuration")
        visited.append(source)
        if _has(target, _STATIC) or not _has(target, _ROLE):
            return profile_static_keys(ctx, session, source)
        current = source
