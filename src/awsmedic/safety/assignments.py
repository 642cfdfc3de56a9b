"""Secrets written as `name = value` under names nobody listed, masked by name and shape.

A paste or a log holds credentials of every tool, not only AWS's: `-Daws.secretKey=...`,
`spring.cloud.aws.credentials.secret-key=...`, `GITHUB_TOKEN=...`, `?token=...`, `"clientSecret":
"..."`. No list of names can be complete, so a name counts as a secret's when its last word says
so (token, secret, password, a qualified key: `secretKey`, `API_KEY`), and its value is masked
when it is shaped like a credential: eight characters or more, letters with digits or an
irregular mix of cases, and not a placeholder, a variable, a path, a URL, an ARN, a time or a
key id (masked on its own, keeping its last four). Settings (`token_file`, `key_id`,
`token_expiration`) and words (`token=expired`, `ExpiredToken`) stay readable; a password's
value is masked even when it is words, since a passphrase is.
"""

from __future__ import annotations

import re

MASK = "<redacted>"
MIN_VALUE = 8

# A name that holds a secret-sounding word, where a name starts (after a space, `?`, `&`, a
# quote, `-D`, `--`); then `=` or `:`, maybe quoted (JSON, a Python bytes repr); an HTTP auth
# scheme; the value, up to what ends a value in a command line, a query string, JSON or
# Markdown. Names without such a word are not matched at all, so their values are never eaten
# by the scan (`a=b:token=...` still finds the token).
_CANDIDATE = re.compile(
    r"(?<![\w.])(?=-{0,2}[\w.-]{0,80}?(?i:token|secret|passw|passphrase|signature|key|authoriz))"
    r"(-{0,2}[A-Za-z_][\w.-]{0,80})"
    r"([\"']?[ \t]*[:=][ \t]*(?:b?[\"'])?)"
    r"((?:Bearer|Basic|Digest|Token|token|AWS4-HMAC-SHA256)[ \t]+)?"
    r"([^\s\"'`,;&<>(){}\[\]]+)"
)
_FLAG = re.compile(r"^-D(?=[A-Za-z_])|^-+")
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SECRET_WORDS = frozenset(
    {"token", "tokens", "secret", "secrets", "password", "passwd", "passphrase", "signature"}
    | {"apikey", "privatekey", "secretkey", "authorization"}
)
_PASSWORDS = frozenset({"password", "passwd", "passphrase"})
#: `key` names a secret only after one of these (`secretKey`, `API_KEY`): `sort_key` does not.
_KEY_QUALIFIERS = frozenset(
    {"secret", "api", "private", "signing", "access", "client", "master", "encryption"}
)
#: Words after the secret word that still name its value (`SecretString`, `token_value`).
_VALUE_WORDS = frozenset({"value", "string", "b64", "base64"})

_PLACEHOLDER = re.compile(
    r"[<…]|\$[{(A-Za-z_]|\{\{|%\(|^\*+$|^x+$|^X+$"
    r"|^[A-Z]+(?:_[A-Z]+)+$"  # YOUR_SECRET_KEY
)
_NOT_A_SECRET = re.compile(
    r"^(?:[/~]|\.\.?/|[A-Za-z]:\\"  # a path
    r"|[a-z][a-z0-9+.-]*://"  # a URL
    r"|arn:"  # an ARN
    r"|\d{4}-\d\d-\d\d"  # a date or a time
    r"|(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z0-9]{12}"  # a key id: masked by its own rule
    r"|\*{4})"  # a masked key id
)
_CAMEL_WORDS = re.compile(r"(?:[A-Z][a-z]{2,}|[a-z]{3,})+")
_SEPARATORS = re.compile(r"[\s._-]+")


def secret_name(name: str) -> str | None:
    """ "password" for a password's name, "secret" for another secret's, None for the rest."""
    name = _FLAG.sub("", name)  # -Dname=value (a Java system property), --name=value
    words = [word.lower() for word in _WORDS.findall(name)]
    while len(words) > 1 and words[-1] in _VALUE_WORDS:
        words.pop()
    if not words:
        return None
    last = words[-1]
    if "bearer" in words[:-1] and words[words.index("bearer") + 1] == "token":
        # botocore's AWS_BEARER_TOKEN_<SERVICE> (AWS_BEARER_TOKEN_BEDROCK): the service's name
        # comes last, after the secret word
        return "secret"
    if last in _PASSWORDS:
        return "password"
    if last in _SECRET_WORDS:
        return "secret"
    if last == "key" and _KEY_QUALIFIERS.intersection(words[:-1]):
        return "secret"
    return None


def placeholder(value: str) -> bool:
    return bool(_PLACEHOLDER.search(value))


def random_looking(value: str) -> bool:
    """Letters with digits, or an irregular mix of cases: not words, not a CamelCase name."""
    letters = "".join(ch for ch in value if ch.isalpha())
    if not letters or placeholder(value):
        return False
    if any(ch.isdigit() for ch in value):
        return True
    return letters not in (letters.lower(), letters.upper()) and not (
        _CAMEL_WORDS.fullmatch(letters)
    )


def wordlike(value: str) -> bool:
    """Words rather than a credential: lower-case words or CamelCase ones, with separators."""
    letters = _SEPARATORS.sub("", value)
    return letters.isalpha() and (letters.islower() or bool(_CAMEL_WORDS.fullmatch(letters)))


def credential_shaped(value: str) -> bool:
    """Eight characters or more, shaped like a credential rather than a word or a setting."""
    return len(value) >= MIN_VALUE and not _NOT_A_SECRET.match(value) and random_looking(value)


def _mask(found: re.Match[str]) -> str:
    name, separator, scheme, value = found.groups()
    kind = secret_name(name)
    if kind is None or (scheme or "").startswith("AWS4"):
        return found.group(0)
    if kind == "password":
        masked = len(value) >= MIN_VALUE and not placeholder(value)
    else:
        masked = credential_shaped(value)
    return f"{name}{separator}{scheme or ''}{MASK}" if masked else found.group(0)


def mask_assignments(text: str) -> str:
    """`text` with the value of every secret-named, credential-shaped assignment masked."""
    if "=" not in text and ":" not in text:
        return text
    return _CANDIDATE.sub(_mask, text)
