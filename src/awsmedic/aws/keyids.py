"""Offline facts about access key ids, secrets and tokens (causes.md section 6).

Pure functions over strings; they never return or log the values they inspect.
"""

from __future__ import annotations

import base64
import re
import string

KEY_ID_LENGTH = 20
SECRET_LENGTH = 40
#: Real session tokens are hundreds of characters; anything much shorter was cut off.
MIN_TOKEN_LENGTH = 100

_BASE32 = set(string.ascii_uppercase + "234567")
_BASE64 = set(string.ascii_letters + string.digits + "+/")
_TOKEN_ALPHABET = _BASE64 | {"="}

PREFIXES = {
    "AKIA": "long-term access key",
    "ASIA": "temporary (STS) access key",
    "ABIA": "STS service bearer token",
    "ACCA": "context-specific credential",
    "AIDA": "IAM user id (not an access key)",
    "AROA": "IAM role id (not an access key)",
    "AIPA": "EC2 instance profile id (not an access key)",
    "AGPA": "IAM group id (not an access key)",
    "ANPA": "managed policy id (not an access key)",
    "APKA": "public key id (not an access key)",
    "ASCA": "certificate id (not an access key)",
}
ACCESS_KEY_PREFIXES = ("AKIA", "ASIA")

# The examples from AWS documentation, and the test values of emulators and tutorials.
DOC_EXAMPLES = {
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AKIAI44QH8DHBEXAMPLE",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
}
_PLACEHOLDER_WORDS = {
    "test",
    "testing",
    "foo",
    "bar",
    "foobar",
    "foobar_key",
    "fake",
    "dummy",
    "changeme",
    "secret",
    "key",
    "none",
    "null",
    "example",
    "your_access_key_id",
    "your_secret_access_key",
    "access_key",
    "secret_key",
    "xxx",
    "mock",
    "localstack",
}
_TEMPLATE = re.compile(r"^\$\{?[A-Za-z_]+\}?$|^\{\{.*\}\}$|^<.*>$|^%[A-Za-z_]+%$|^\.{3}$|^…$")


def prefix_kind(key_id: str) -> str | None:
    return PREFIXES.get(key_id[:4])


def is_placeholder(value: str) -> bool:
    """A documentation example, an emulator test value or an unexpanded template."""
    stripped = value.strip().strip("\"'")
    if stripped in DOC_EXAMPLES or stripped.endswith(("EXAMPLE", "EXAMPLEKEY")):
        return True
    if stripped.lower() in _PLACEHOLDER_WORDS or _TEMPLATE.match(stripped):
        return True
    return len(stripped) >= 3 and len(set(stripped.lower())) == 1  # "xxxx", "0000"


def key_id_problems(key_id: str) -> list[str]:
    """Why a key id cannot be real: wrong length, prefix or alphabet. Empty when well formed."""
    problems: list[str] = []
    if len(key_id) != KEY_ID_LENGTH:
        problems.append(f"it is {len(key_id)} characters long; access key ids have {KEY_ID_LENGTH}")
    if key_id[:4] not in ACCESS_KEY_PREFIXES:
        kind = prefix_kind(key_id)
        problems.append(
            f"it starts with {key_id[:4]!r}, the prefix of an {kind}"
            if kind
            else "it does not start with AKIA (long-term key) or ASIA (temporary key)"
        )
    bad = sorted({c for c in key_id[4:] if c not in _BASE32})
    if bad:
        shown = ", ".join(
            repr(c) if c.isprintable() and c.isascii() else f"U+{ord(c):04X}" for c in bad
        )
        problems.append(f"it contains {shown}, which never occur in key ids (only A-Z and 2-7)")
    return problems


def secret_problems(secret: str) -> list[str]:
    problems: list[str] = []
    if len(secret) != SECRET_LENGTH:
        problems.append(
            f"it is {len(secret)} characters long; secret access keys have {SECRET_LENGTH}"
        )
    if any(c not in _BASE64 for c in secret):
        problems.append("it contains characters outside A-Z, a-z, 0-9, '+' and '/'")
    return problems


def token_problems(token: str) -> list[str]:
    problems: list[str] = []
    if len(token) < MIN_TOKEN_LENGTH:
        problems.append(f"it is only {len(token)} characters long; session tokens have hundreds")
    if any(c not in _TOKEN_ALPHABET for c in token):
        problems.append(
            "it contains characters outside the base64 alphabet (spaces, quotes, line breaks?)"
        )
    return problems


def decode_account(key_id: str) -> str | None:
    """The account id inside a new-generation key id (5th character Q-Z or 2-7), else None."""
    if len(key_id) != KEY_ID_LENGTH or key_id_problems(key_id):
        return None
    payload = base64.b32decode(key_id[4:])
    if not payload[0] & 0x80:
        return None  # old-generation key: no account inside
    account = (int.from_bytes(payload[0:6], "big") & 0x7FFFFFFFFF80) >> 7
    return f"{account:012d}"
