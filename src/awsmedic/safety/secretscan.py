"""Seed the scrubber before anything runs: every credential in the environment and the files,
and the password of every endpoint URL and proxy there (`https://user:password@host`).

Probes add what they see as they go, but a paste or an early error message could quote a
secret before any probe ran. This scan is cheap (two small files) and uses no botocore.

Real shared files are a few KB. One over MAX_FILE_BYTES is read that far for secrets, and never
handed to botocore (`guard`): botocore takes seconds to parse a 10 MB file, and would do so
for every probe.
"""

from __future__ import annotations

import json
import os
import re
import stat
import urllib.parse
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from awsmedic.aws import bounded
from awsmedic.aws.parsecache import ContentCache, digest, memoised
from awsmedic.context import Context
from awsmedic.model import Secret, SecretKind, url_password

MAX_FILE_BYTES = 1024 * 1024
_KINDS = {
    "aws_access_key_id": SecretKind.ACCESS_KEY_ID,
    "aws_secret_access_key": SecretKind.SECRET_KEY,
    "aws_session_token": SecretKind.SESSION_TOKEN,
    "aws_security_token": SecretKind.SESSION_TOKEN,
}
# One pass over the whole file finds the assignments: a 10 MB file is scanned in a blink. (The
# value is the rest of the line, its trailing blanks taken off in code: a lazy value before
# `[^\S\n]*$` costs time quadratic in a line's inner blanks, hours for a 1 MB line.)
_ASSIGNMENT = re.compile(
    r"(?im)^[^\S\n]*(aws_access_key_id|aws_secret_access_key|aws_session_token|aws_security_token)"
    r"[^\S\n]*[=:][^\S\n]*([^\n]*)$"
)

# An endpoint URL, which may hold a password (`https://user:password@host`): a profile's, or a
# service's in a `[services ...]` section (indented under the service's name).
_ENDPOINT_URL = re.compile(r"(?im)^[^\S\n]*endpoint_url[^\S\n]*[=:][^\S\n]*([^\n]*)$")


_SECRET_KINDS = {
    "AWS_ACCESS_KEY_ID": SecretKind.ACCESS_KEY_ID,
    "AWS_SECRET_ACCESS_KEY": SecretKind.SECRET_KEY,
    "AWS_SESSION_TOKEN": SecretKind.SESSION_TOKEN,
    "AWS_SECURITY_TOKEN": SecretKind.SESSION_TOKEN,
    "AWS_CONTAINER_AUTHORIZATION_TOKEN": SecretKind.OTHER,
}


BEARER_TOKEN_VARS = "AWS_BEARER_TOKEN_"  # noqa: S105 (a variable name's prefix)
#: The public start of a short-term Amazon Bedrock API key, the same in every key.
SHORT_TERM_BEDROCK_PREFIX = "bedrock-api-key-"


def env_secrets(environ: dict[str, str] | object) -> tuple[Secret, ...]:
    """Every credential value in the environment, for the scrubber."""
    get = getattr(environ, "get", None)
    if get is None:
        return ()
    found = [Secret(value, kind) for var, kind in _SECRET_KINDS.items() if (value := get(var))]
    # botocore's bearer tokens, one variable per service (botocore/utils.py
    # get_token_from_environment: AWS_BEARER_TOKEN_<SIGNING NAME>; Bedrock's API keys since 1.39.0)
    names = getattr(environ, "keys", None)
    if names is not None:
        found += [
            bearer_secret(value)
            for var in names()
            if isinstance(var, str) and var.startswith(BEARER_TOKEN_VARS) and (value := get(var))
        ]
    return tuple(found)


def bearer_secret(value: str) -> Secret:
    """A bearer token as the scrubber should know it: without the prefix every short-term
    Bedrock key shares, which would otherwise be masked wherever a step names it."""
    core = value.strip().strip("\"'")
    if core.startswith(SHORT_TERM_BEDROCK_PREFIX):
        return Secret(core[len(SHORT_TERM_BEDROCK_PREFIX) :], SecretKind.OTHER)
    return Secret(value, SecretKind.OTHER)


def url_secrets(url: str) -> tuple[Secret, ...]:
    """The password in a URL (an endpoint, a proxy), as written and percent-decoded; () for
    none. botocore's messages quote an endpoint URL as it was given, scheme or not."""
    password = url_password(url.strip().strip("\"'"))
    if not password:
        return ()
    forms = dict.fromkeys((password, urllib.parse.unquote(password)))
    return tuple(Secret(form, SecretKind.OTHER) for form in forms)


def env_url_secrets(environ: Mapping[str, str]) -> tuple[Secret, ...]:
    """The passwords in the endpoint URLs (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>) and
    the proxies (HTTPS_PROXY, http_proxy...) of the environment."""
    return tuple(
        secret
        for name, value in environ.items()
        if value and (name.startswith("AWS_ENDPOINT_URL") or name.lower().endswith("_proxy"))
        for secret in url_secrets(value)
    )


def shared_file_paths(ctx: Context) -> list[Path]:
    """The files botocore reads; with a variable set but empty, the default one (scanning one
    file too many costs nothing, missing a secret would)."""
    from awsmedic.aws.sharedfiles import locate

    paths = []
    for kind in ("credentials", "config"):
        path, _ = locate(ctx, kind)
        if path is None and ctx.home is not None:
            path = ctx.home / ".aws" / kind
        if path is not None:
            paths.append(path)
    return paths


#: The secrets of each version of a file (files.syntax asks for every profile `check` checks).
_FOUND: ContentCache[tuple[Secret, ...]] = ContentCache()


def file_secrets(path: Path) -> list[Secret]:
    try:  # a regular file only: botocore reads nothing else, and a FIFO would block
        data = bounded.read_file(path, MAX_FILE_BYTES).data
    except OSError:
        return []
    found: tuple[Secret, ...] = memoised(
        _FOUND, (str(path), digest(data)), lambda: tuple(_secrets_in(data))
    )
    return list(found)


def _secrets_in(data: bytes) -> list[Secret]:
    # Split lines as str.splitlines does (a lone \r ends one too), then scan them in one pass.
    text = "\n".join(data.decode("utf-8", errors="replace").splitlines())
    keys = [
        Secret(value, _KINDS[found.group(1).lower()])
        for found in _ASSIGNMENT.finditer(text)
        if (value := found.group(2).rstrip())
    ]
    urls = [found.group(1).rstrip() for found in _ENDPOINT_URL.finditer(text)]
    return keys + [secret for url in urls for secret in url_secrets(url)]


def oversized_files(ctx: Context) -> list[tuple[Path, int]]:
    """The shared files bigger than MAX_FILE_BYTES, with their sizes."""
    found = []
    for path in shared_file_paths(ctx):
        try:
            size = path.stat().st_size
        except OSError:
            continue
        if size > MAX_FILE_BYTES and path.is_file():
            found.append((path, size))
    return found


def _unreadable(path: Path) -> str | None:
    """Why botocore would skip a shared file that is there but cannot be read as a file."""
    import errno

    if not path.is_symlink() and not path.exists():
        return None  # absent: ordinary, the probes say what that means
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            return "is a directory"
        if not stat.S_ISREG(mode):  # opening a FIFO would wait for a writer: never open one
            return f"is {bounded.kind_of(mode)}, not a regular file"
        with path.open("rb"):
            return None
    except IsADirectoryError:
        return "is a directory"
    except PermissionError:
        return "cannot be read by this user (permission denied)"
    except FileNotFoundError:
        return "is a symbolic link to a file that does not exist"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a loop of symbolic links"
        return f"cannot be read ({exc.strerror or exc})"


def file_notes(ctx: Context) -> list[str]:
    """One line for each shared file that botocore would skip or that awsmedic cuts short, and
    for each file setting no probe hands to botocore."""
    from awsmedic.safety.filesettings import refusals

    notes = []
    for path in shared_file_paths(ctx):
        problem = _unreadable(path)
        if problem is not None:
            notes.append(f"{ctx.tilde(path)} {problem}: botocore skips it as if it did not exist")
    notes += [oversized_note(ctx, path, size) for path, size in oversized_files(ctx)]
    if not oversized_files(ctx):  # the settings are read from the shared files
        notes += refusals(ctx)
    return notes


def oversized_note(ctx: Context, path: Path, size: int) -> str:
    return (
        f"{ctx.tilde(path)} is {size / 2**20:.1f} MB (real ones are a few KB): awsmedic read "
        f"only its first {MAX_FILE_BYTES >> 20} MB for secrets to hide, and no probe hands it "
        "to botocore, which takes seconds to parse it (so does the AWS CLI, on every command)"
    )


#: The token caches botocore and the AWS CLI keep: SSO, assumed roles, `aws login`.
_CACHES = (("sso", "cache"), ("cli", "cache"), ("login", "cache"))
_CACHE_FILES = 200
_CACHE_FILE_BYTES = 256 * 1024
_CACHE_KINDS = {
    "accesskeyid": SecretKind.ACCESS_KEY_ID,
    "secretaccesskey": SecretKind.SECRET_KEY,
    "sessiontoken": SecretKind.SESSION_TOKEN,
    "accesstoken": SecretKind.OTHER,
    "refreshtoken": SecretKind.OTHER,
    "clientsecret": SecretKind.OTHER,
    "dpopkey": SecretKind.OTHER,
}


def _cache_values(data: Any) -> Iterator[Secret]:
    if isinstance(data, dict):
        for key, value in data.items():
            kind = _CACHE_KINDS.get(str(key).lower())
            if kind is not None and isinstance(value, str) and value:
                yield Secret(value, kind)
            else:
                yield from _cache_values(value)
    elif isinstance(data, list):
        for item in data:
            yield from _cache_values(item)


def cache_secrets(ctx: Context) -> list[Secret]:
    """Tokens and keys in the credential caches (bounded: a few small JSON files)."""
    if ctx.home is None:
        return []
    directories = [ctx.home / ".aws" / a / b for a, b in _CACHES]
    if ctx.env("AWS_LOGIN_CACHE_DIRECTORY"):
        login = os.path.expandvars(ctx.environ["AWS_LOGIN_CACHE_DIRECTORY"])
        directories.append(Path(login).expanduser())
    secrets: list[Secret] = []
    for directory in directories:
        try:
            files = sorted(directory.glob("*.json"))[:_CACHE_FILES]
        except OSError:
            continue
        for path in files:
            try:  # regular files only: a FIFO named x.json would block
                data = json.loads(bounded.read_file(path, _CACHE_FILE_BYTES).data)
            except (OSError, ValueError):
                continue
            secrets.extend(_cache_values(data))
    return secrets


def known_secrets(ctx: Context) -> list[Secret]:
    secrets = [*env_secrets(ctx.environ), *env_url_secrets(ctx.environ)]
    for path in shared_file_paths(ctx):
        secrets.extend(file_secrets(path))
    return secrets + cache_secrets(ctx)
