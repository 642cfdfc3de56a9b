"""The only place masking rules live. Everything shown or written goes through `scrub`.

Two layers, so that neither alone has to be perfect:
1. Known secrets: every raw value a probe (or the start-up scan) saw is replaced wherever it
   appears, including the forms a broken config gives it (quoted, padded, CR-terminated).
2. Fixed patterns: anything shaped like an access key id is masked, and anything shaped like a
   secret access key or a session token is replaced, even if no probe ever saw it (the paste).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

from awsmedic.model import Secret, SecretKind, mask_key_id

# Shorter values are placeholders ("test", "foo"), not secrets; replacing every occurrence of
# them would mangle ordinary words. They are never printed as values anyway.
MIN_SCRUB_LENGTH = 8

_KEY_ID = re.compile(
    r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z0-9]{12,24}(?![A-Za-z0-9])"
)
# A secret access key: 40 characters of base64 with both cases. Lower-case hex (SHA-1 digests,
# like the SSO cache file names) has no upper case and is left alone.
_SECRET_KEY = re.compile(
    r"(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
)
# Session tokens are hundreds of base64 characters; 80 leaves room for truncated ones.
_TOKEN = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{80,}={0,2}(?![A-Za-z0-9/+=])")
# `key = value` lines for secrets, as in a pasted credentials file or a --debug log. A value
# stops at a backtick: secrets are base64, and Markdown code spans must stay balanced.
_ASSIGNMENT = re.compile(
    r"(?i)((?:aws_secret_access_key|aws_session_token|aws_security_token|secretaccesskey|"
    r"sessiontoken|x-amz-security-token|secret_key|session_token)[\"']?\s*[:=]\s*[\"']?)"
    r"([^\s\"'`,}]+)"
)
_AUTH_SIGNATURE = re.compile(r"(Signature=)[0-9a-f]{64}")

_KIND_TAG = {
    SecretKind.SECRET_KEY: "<secret-key:redacted>",
    SecretKind.SESSION_TOKEN: "<session-token:redacted>",
    SecretKind.OTHER: "<secret:redacted>",
}


def _variants(value: str) -> set[str]:
    """The forms a configured value can take in output: raw, stripped, unquoted."""
    forms = {value, value.strip()}
    for form in list(forms):
        forms.add(form.strip("\"'"))
        forms.add(form.rstrip("\r\n"))
    return {form for form in forms if len(form) >= MIN_SCRUB_LENGTH}


class SecretBook:
    """Every secret seen in a session. Thread-safe: probes run in parallel."""

    def __init__(self, secrets: Iterable[Secret] = ()) -> None:
        self._lock = threading.Lock()
        self._replacements: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        self.add(secrets)

    def add(self, secrets: Iterable[Secret]) -> None:
        with self._lock:
            for secret in secrets:
                raw = secret.reveal()
                replacement = (
                    mask_key_id(raw.strip().strip("\"'"))
                    if secret.kind is SecretKind.ACCESS_KEY_ID
                    else _KIND_TAG[secret.kind]
                )
                for form in _variants(raw):
                    # A secret tag beats a key-id mask if one value was seen as both.
                    if self._replacements.get(form, "").startswith("<"):
                        continue
                    self._replacements[form] = replacement
            self._pattern = None

    def _compiled(self) -> re.Pattern[str] | None:
        with self._lock:
            if self._pattern is None and self._replacements:
                # Longest first, so a token is replaced whole before any value inside it.
                ordered = sorted(self._replacements, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(form) for form in ordered))
            return self._pattern

    def scrub(self, text: str) -> str:
        pattern = self._compiled()
        if pattern is not None:
            replacements = self._replacements
            text = pattern.sub(lambda m: replacements[m.group(0)], text)
        return scrub_patterns(text)

    def __len__(self) -> int:
        return len(self._replacements)


def scrub_patterns(text: str) -> str:
    """Mask whatever looks like a credential, known or not."""
    text = _ASSIGNMENT.sub(lambda m: m.group(1) + "<redacted>", text)
    text = _TOKEN.sub("<session-token:redacted>", text)
    text = _SECRET_KEY.sub("<secret-key:redacted>", text)
    text = _KEY_ID.sub(lambda m: mask_key_id(m.group(0)), text)
    return _AUTH_SIGNATURE.sub(r"\1<redacted>", text)


def scrub(text: str, book: SecretBook | None = None) -> str:
    return book.scrub(text) if book is not None else scrub_patterns(text)
