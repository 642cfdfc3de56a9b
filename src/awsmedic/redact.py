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
# `key = value` lines for secrets, as in a pasted credentials file or a --debug log.
_ASSIGNMENT = re.compile(
    r"(?i)((?:aws_secret_access_key|aws_session_token|aws_security_token|secretaccesskey|"
    r"sessiontoken|x-amz-security-token|secret_key|session_token|accesstoken|refreshtoken|"
    r"clientsecret|x-amz-sso_bearer_token)[\"']?\s*[:=]\s*[\"']?)"
    r"([^\s\"',}]+)"
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


#: Up to this many known forms, one regular expression replaces them. Its cost grows with the
#: number of forms at every position of the text, so a bigger book (a credentials file with
#: thousands of profiles) is scanned with the prefix index instead, whose cost does not.
REGEX_LIMIT = 64


class SecretBook:
    """Every secret seen in a session. Thread-safe: probes run in parallel."""

    def __init__(self, secrets: Iterable[Secret] = ()) -> None:
        self._lock = threading.Lock()
        self._replacements: dict[str, str] = {}
        # The first MIN_SCRUB_LENGTH characters of each form -> its lengths, longest first, and
        # the forms of each length. Many secrets share a prefix (every session token starts
        # "IQoJb3JpZ2lu"): a look-up costs one set probe per length, not one per secret.
        self._by_prefix: dict[str, tuple[list[int], dict[int, set[str]]]] = {}
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
                    known = self._replacements.get(form)
                    # A secret tag beats a key-id mask if one value was seen as both.
                    if known is not None and (known.startswith("<") or known == replacement):
                        continue
                    if known is None:
                        self._index(form)
                        self._pattern = None
                    self._replacements[form] = replacement

    def _index(self, form: str) -> None:
        lengths, forms = self._by_prefix.setdefault(form[:MIN_SCRUB_LENGTH], ([], {}))
        if len(form) not in forms:
            forms[len(form)] = set()
            lengths.append(len(form))
            lengths.sort(reverse=True)
        forms[len(form)].add(form)

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and 0 < len(self._replacements) <= REGEX_LIMIT:
            # Longest first, so a token is replaced whole before any value inside it.
            ordered = sorted(self._replacements, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(form) for form in ordered))
        return self._pattern

    def _scan(self, text: str) -> str:
        """Replace known forms, leftmost first and longest first at each position, like the
        regular expression would: one dictionary look-up per position of the text."""
        by_prefix, replacements, width = self._by_prefix, self._replacements, MIN_SCRUB_LENGTH
        out: list[str] = []
        done = position = 0
        last = len(text) - width
        while position <= last:
            entry = by_prefix.get(text[position : position + width])
            if entry is not None:
                lengths, forms = entry
                for length in lengths:
                    candidate = text[position : position + length]
                    if candidate in forms[length]:
                        out += (text[done:position], replacements[candidate])
                        position = done = position + length
                        break
                else:
                    position += 1
            else:
                position += 1
        out.append(text[done:])
        return "".join(out)

    def scrub(self, text: str) -> str:
        with self._lock:
            if len(self._replacements) > REGEX_LIMIT:
                text = self._scan(text)
            else:
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
