"""Seed the scrubber before anything runs: every credential in the environment and the files.

Probes add what they see as they go, but a paste or an early error message could quote a
secret before any probe ran. This scan is cheap (two small files) and uses no botocore.
"""

from __future__ import annotations

import re
from pathlib import Path

from awsmedic.context import Context
from awsmedic.model import Secret, SecretKind
from awsmedic.probes.env import env_secrets

MAX_FILE_BYTES = 10 * 1024 * 1024
_KINDS = {
    "aws_access_key_id": SecretKind.ACCESS_KEY_ID,
    "aws_secret_access_key": SecretKind.SECRET_KEY,
    "aws_session_token": SecretKind.SESSION_TOKEN,
    "aws_security_token": SecretKind.SESSION_TOKEN,
}
_LINE = re.compile(r"^\s*([A-Za-z_]+)\s*[=:]\s*(.*?)\s*$")


def shared_file_paths(ctx: Context) -> list[Path]:
    paths = []
    for var, name in (
        ("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        ("AWS_CONFIG_FILE", "config"),
    ):
        value = ctx.env(var)
        if value:
            paths.append(Path(value).expanduser())
        elif ctx.home is not None:
            paths.append(ctx.home / ".aws" / name)
    return paths


def file_secrets(path: Path) -> list[Secret]:
    if not path.is_file():  # a FIFO would block: botocore reads regular files only
        return []
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES)
    except OSError:
        return []
    secrets = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        found = _LINE.match(line)
        if found and found.group(1).lower() in _KINDS and found.group(2):
            secrets.append(Secret(found.group(2), _KINDS[found.group(1).lower()]))
    return secrets


def known_secrets(ctx: Context) -> list[Secret]:
    secrets = list(env_secrets(ctx.environ))
    for path in shared_file_paths(ctx):
        secrets.extend(file_secrets(path))
    return secrets
