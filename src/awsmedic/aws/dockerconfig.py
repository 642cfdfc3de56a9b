"""Docker's client config (`~/.docker/config.json`) as far as ECR logins are concerned.

`docker login` stores a registry's credentials under its host name in `auths` (base64 of
`user:password`), or hands them to a credential store (`credsStore`: the macOS keychain, the
Windows credential manager, pass, secretservice, Docker Desktop). `credHelpers` names a helper
per registry; `docker-credential-ecr-login` gets a fresh ECR token for each pull or push. An ECR
password is itself base64 JSON whose `expiration` (Unix time) is 12 hours after it was issued,
so an entry in `auths` tells when its login stops working. Nothing here runs a helper.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from awsmedic.aws import bounded
from awsmedic.aws.sharedfiles import expand
from awsmedic.context import Context

MAX_BYTES = 1_000_000
#: An ECR registry host: private (account and region) or ECR Public.
ECR_HOST = re.compile(
    r"\b(?:(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?"
    r"|public\.ecr\.aws)\b"
)


@dataclass(frozen=True)
class Login:
    """One `auths` entry for an ECR registry."""

    key: str  # as written (with or without https://)
    host: str
    stored: bool  # the entry holds credentials (not just `{}` for a credential store)
    expires: datetime | None  # the ECR token's expiration, when it can be read
    secrets: tuple[str, ...] = ()  # the raw values, for the scrubber only


@dataclass(frozen=True)
class DockerConfig:
    path: Path
    source: str  # "DOCKER_CONFIG" or "default"
    problem: str = ""  # why it could not be read ("" when it was)
    creds_store: str = ""
    cred_helpers: dict[str, str] = field(default_factory=dict)
    logins: tuple[Login, ...] = ()

    def helper_for(self, host: str) -> str:
        """The credential helper Docker uses for `host` ("" for the file itself)."""
        return self.cred_helpers.get(host) or self.creds_store


def config_path(ctx: Context) -> tuple[Path, str]:
    override = ctx.env("DOCKER_CONFIG")
    if override:
        return expand(ctx, override) / "config.json", "DOCKER_CONFIG"
    return expand(ctx, "~/.docker/config.json"), "default"


def host_of(key: str) -> str:
    """The registry host of an `auths` key (Docker accepts `https://host/v1/` and the like)."""
    return re.sub(r"^[a-z]+://", "", key.strip()).split("/", 1)[0].lower()


def token_expiry(auth: str) -> tuple[datetime | None, tuple[str, ...]]:
    """The expiration in an ECR `auth` value (base64 of `AWS:<password>`), and the raw values."""
    try:
        user_password = base64.b64decode(auth, validate=False).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None, (auth,)
    _, _, password = user_password.partition(":")
    try:
        decoded = json.loads(base64.b64decode(password + "=" * (-len(password) % 4)))
        stamp = int(decoded["expiration"])
        expires = datetime.fromtimestamp(stamp, UTC)
    except (binascii.Error, ValueError, TypeError, KeyError, OverflowError, OSError):
        expires = None
    return expires, (auth, password)


def _logins(auths: object) -> tuple[Login, ...]:
    found: list[Login] = []
    for key, entry in (auths or {}).items() if isinstance(auths, dict) else ():
        host = host_of(str(key))
        if not ECR_HOST.fullmatch(host):
            continue
        auth = entry.get("auth", "") if isinstance(entry, dict) else ""
        expires, secrets = token_expiry(auth) if auth else (None, ())
        found.append(Login(str(key), host, bool(auth), expires, secrets))
    return tuple(found)


def read(ctx: Context) -> DockerConfig:
    path, source = config_path(ctx)
    try:
        read = bounded.read_file(path, MAX_BYTES)  # regular files only: a FIFO would block
    except FileNotFoundError:
        return DockerConfig(path, source, "does not exist")
    except OSError as exc:
        return DockerConfig(path, source, f"cannot be read ({exc.strerror or type(exc).__name__})")
    data = read.data
    if read.cut:
        return DockerConfig(path, source, f"is larger than {MAX_BYTES:,} bytes; not read")
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        return DockerConfig(path, source, f"is not valid JSON ({type(exc).__name__})")
    if not isinstance(parsed, dict):
        return DockerConfig(path, source, "is not a JSON object")
    helpers = parsed.get("credHelpers")
    return DockerConfig(
        path,
        source,
        "",
        str(parsed.get("credsStore") or ""),
        {host_of(str(k)): str(v) for k, v in helpers.items()} if isinstance(helpers, dict) else {},
        _logins(parsed.get("auths")),
    )


def registries_in(text: str) -> list[str]:
    """ECR registry hosts a paste names, in order."""
    return list(dict.fromkeys(match.group(0).lower() for match in ECR_HOST.finditer(text)))


def region_of(host: str) -> str:
    found = ECR_HOST.fullmatch(host)
    return found.group(2) if found and found.group(2) else ("us-east-1" if found else "")
