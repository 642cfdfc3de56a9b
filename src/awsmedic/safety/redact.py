"""The only place masking rules live. Everything shown or written goes through `scrub`.

Two layers, so that neither alone has to be perfect:
1. Known secrets: every raw value a probe (or the start-up scan) saw is replaced wherever it
   appears, including the forms a broken config gives it (quoted, padded, CR-terminated), and
   any run of MIN_RUN or more of its characters in any form a log, JSON, a URL or a terminal
   gives it: split over lines, wrapped, escaped, encoded, cut short (`secretforms`).
2. Fixed patterns: anything shaped like an access key id is masked, and anything shaped like a
   secret access key or a session token is replaced, even if no probe ever saw it (the paste);
   so is a credential-shaped value written as `name = value` under a name that says it is a
   secret, whoever's the name is (`assignments`), and the password of any URL that has one
   (`scheme://user:password@host`: an endpoint URL, a proxy), written `****` as probes show it.

A third, optional layer, `IdentityMask` (`--redact-identity`), also hides who and where: account
ids, ARNs, IAM and local user names, e-mail addresses and home directories, for public posting.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import PurePath

from awsmedic.model import URL_PASSWORD_MASK, Secret, SecretKind, mask_key_id, mask_url_password
from awsmedic.safety.assignments import mask_assignments, placeholder, wordlike
from awsmedic.safety.safetext import printable, without_escapes
from awsmedic.safety.secretforms import MIN_RUN, RunIndex, unwrap

# Shorter values are placeholders ("test", "foo"), not secrets; replacing every occurrence of
# them would mangle ordinary words. They are never printed as values anyway.
MIN_SCRUB_LENGTH = 8
__all__ = [
    "MIN_RUN",
    "MIN_SCRUB_LENGTH",
    "IdentityMask",
    "SecretBook",
    "mask_url_passwords",
    "scrub",
    "scrub_patterns",
]

# An access key id wherever it stands: glued to a word (`keyidAKIA…`), after an escape's digits
# (`\u0022AKIA…` in JSON) or before lower-case text: only upper case and digits are its own.
_KEY_ID = re.compile(r"(?<![A-Z])(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z0-9]{12,24}(?![A-Z0-9])")
# A secret access key: 40 characters of base64 with both cases. Lower-case hex (SHA-1 digests,
# like the SSO cache file names) has no upper case and is left alone, and so is a URL's path
# after its host name (".com/STS/latest/APIReference/CommonErrors" is 40 such characters).
_SECRET_KEY = re.compile(
    r"(?<![A-Za-z0-9/+=.])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
)
# Session tokens are hundreds of base64 characters; 80 leaves room for truncated ones.
_TOKEN = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{80,}={0,2}(?![A-Za-z0-9/+=])")
# A JSON Web Token (a web identity token, an OIDC id token, an SSO bearer token): three
# base64url parts, the first two JSON objects ("eyJ" is the base64 of `{"`). Whoever holds one
# can use it until it expires.
_JWT = re.compile(
    r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
    r"(?![A-Za-z0-9_-])"
)
# An Amazon Bedrock API key, wherever it stands (an `export`, a header, a .env line): a long-term
# key is "ABSK" and the base64 of "<IAM user>-at-<account>:<secret>" (the console's users are
# BedrockAPIKey-<id>), a short-term one "bedrock-api-key-" and the base64 of a presigned URL
# (aws/aws-bedrock-token-generator-python token_generator.py AUTH_PREFIX). Both are bearer
# tokens: whoever holds one can use it.
_BEDROCK_KEY = re.compile(
    r"(?<![A-Za-z0-9/+-])(?:ABSK[A-Za-z0-9/+]{40,}|bedrock-api-key-[A-Za-z0-9/+]{16,})={0,2}"
    r"(?![A-Za-z0-9/+=])"
)
# The same long-term key decoded, as some tools split it: its secret follows the service user.
_BEDROCK_DECODED = re.compile(r"([\w+=,.@-]-at-\d{12}:)[A-Za-z0-9/+=]{8,}")
# `key = value` lines for secrets, as in a pasted credentials file or a --debug log. A value
# in <angle brackets> or an ellipsis is a placeholder in documentation, and a backtick ends a
# Markdown code span: neither is part of a secret.
_ASSIGNMENT = re.compile(
    r"(?i)((?:aws_secret_access_key|aws_session_token|aws_security_token|secretaccesskey|"
    r"sessiontoken|x-amz-security-token|secret_key|session_token|accesstoken|refreshtoken|"
    r"clientsecret|x-amz-sso_bearer_token)[\"']?\s*[:=]\s*[\"']?)"
    r"(?![<…])([^\s\"'`,}]+)"
)
# A SigV4 signature: in an Authorization header, and on the line after botocore.auth's DEBUG
# `Signature:` (the name=value rule does not cross lines; this one does).
_AUTH_SIGNATURE = re.compile(r"(Signature\s*[=:]\s*)[0-9a-f]{64}(?![0-9a-f])")

# A URL's password: `scheme://user:password@host`, up to the last `@` of the authority (as
# urllib reads it; `model.url_password` reads one URL the same way). The user stays: it names
# an account, as a proxy's is shown.
_URL_PASSWORD = re.compile(r"(://[^\s/?#@:\"'<>`]*:)[^\s/?#\"'<>`]+@")
# botocore's refusal of an endpoint URL it cannot use (botocore/endpoint.py), which quotes it as
# given: without a scheme too (`user:password@host:9000`), which no URL pattern can tell.
_INVALID_ENDPOINT = re.compile(r"(Invalid endpoint: )([^\s\"'`<>]+)")

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
    """Every secret seen in a session. Thread-safe: probes run in parallel.

    With `identity` set (`--redact-identity`), `scrub` also masks who and where.
    """

    def __init__(self, secrets: Iterable[Secret] = ()) -> None:
        self.identity: IdentityMask | None = None
        self._lock = threading.Lock()
        self._replacements: dict[str, str] = {}
        # The first MIN_SCRUB_LENGTH characters of each form -> its lengths, longest first, and
        # the forms of each length. Many secrets share a prefix (every session token starts
        # "IQoJb3JpZ2lu"): a look-up costs one set probe per length, not one per secret.
        self._by_prefix: dict[str, tuple[list[int], dict[int, set[str]]]] = {}
        self._pattern: re.Pattern[str] | None = None
        # Runs of known secrets in other forms; not of placeholders and words, which would eat
        # those words out of every step (an unexpanded $AWS_SECRET_ACCESS_KEY).
        self._runs = RunIndex(lambda value: not placeholder(value) and not wordlike(value))
        # What was added already: adding it again changes nothing (`check --all` hands the
        # book every secret of the files once per profile).
        self._added: set[tuple[str, SecretKind]] = set()
        self.add(secrets)

    def add(self, secrets: Iterable[Secret]) -> None:
        with self._lock:
            for secret in secrets:
                raw = secret.reveal()
                if (raw, secret.kind) in self._added:
                    continue
                self._added.add((raw, secret.kind))
                replacement = (
                    mask_key_id(raw.strip().strip("\"'"))
                    if secret.kind is SecretKind.ACCESS_KEY_ID
                    else _KIND_TAG[secret.kind]
                )
                self._runs.add(raw, replacement)
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
        # Escape sequences go first: the terminal filter removes them after the scrub, which
        # would join a secret that one of them split.
        text = without_escapes(text)
        # A known password inside a URL is shown as a URL's password is, `user:****@host`.
        text = mask_url_passwords(text)
        with self._lock:
            if len(self._replacements) > REGEX_LIMIT:
                text = self._scan(text)
            else:
                pattern = self._compiled()
                if pattern is not None:
                    replacements = self._replacements
                    text = pattern.sub(lambda m: replacements[m.group(0)], text)
            text = self._runs.replace(text)
        text = scrub_patterns(text)
        identity = self.identity
        return identity.mask(text) if identity is not None else text

    def shown(self, text: str) -> str:
        """`text` as it may be shown or written anywhere: scrubbed, then made printable."""
        return printable(self.scrub(text))


def mask_url_passwords(text: str) -> str:
    """Every URL in `text` with its password written `****`: URLs with a scheme, and the one
    botocore refuses as an `Invalid endpoint`. (Elsewhere, `name:word@host` without a scheme
    is too often something else; a known password is in the book.)"""
    if "Invalid endpoint: " in text:
        text = _INVALID_ENDPOINT.sub(lambda m: m.group(1) + mask_url_password(m.group(2)), text)
    if "://" not in text:
        return text
    return _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{URL_PASSWORD_MASK}@", text)


# A token that a tool wrapped over lines (base64 tools break every 64 or 76 columns, under the
# token pattern's 80): a run of base64 that ends its line, continued by lines that are nothing
# but base64. Counted whole (at least 80 characters, both cases) before it is taken.
_WRAPPED_TOKEN = re.compile(
    r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{16,}(?:[ \t]*\r?\n[ \t]*[A-Za-z0-9/+]{16,})+={0,2}"
    r"(?![A-Za-z0-9/+=])"
)


def _wrapped(found: re.Match[str]) -> str:
    token = "".join(found.group(0).split())
    if len(token) >= 80 and not token.islower() and not token.isupper():
        return "<session-token:redacted>"
    return found.group(0)


def _spread(text: str) -> str:
    """Secrets no probe saw, in the forms a paste spreads them over: a token wrapped over lines,
    a secret key or token with its `/` written `\\/` by JSON (or `%2F` by a URL). Escaped ones
    are found in the text as `secretforms` reads it (escapes undone) and replaced where they
    stand; a match that would join lines is left to the wrapped-token rule, which asks more of
    it (two words that end and start lines would pass for one 40 characters long)."""
    if len(text) < 40:
        return text
    if "\n" in text:
        text = _WRAPPED_TOKEN.sub(_wrapped, text)
    if "\\" not in text and "%" not in text:
        return text
    read = unwrap(text)
    spans: list[tuple[int, int, str]] = []
    for pattern, tag in (
        (_TOKEN, "<session-token:redacted>"),
        (_SECRET_KEY, "<secret-key:redacted>"),
    ):
        for found in pattern.finditer(read.text):
            origin, until = read.span(found.start(), found.end())
            if "\n" not in text[origin:until] and until - origin > found.end() - found.start():
                spans.append((origin, until, tag))
    out: list[str] = []
    done = 0
    for origin, until, tag in sorted(spans):
        if origin < done:
            continue
        out += (text[done:origin], tag)
        done = until
    out.append(text[done:])
    return "".join(out)


def scrub_patterns(text: str) -> str:
    """Mask whatever looks like a credential, known or not."""
    text = _spread(without_escapes(text))
    text = _JWT.sub("<token:redacted>", text)
    text = mask_url_passwords(text)
    text = _BEDROCK_KEY.sub("<bedrock-api-key:redacted>", text)
    text = _BEDROCK_DECODED.sub(r"\1<redacted>", text)
    text = _ASSIGNMENT.sub(lambda m: m.group(1) + "<redacted>", text)
    text = mask_assignments(text)
    text = _TOKEN.sub("<session-token:redacted>", text)
    text = _SECRET_KEY.sub("<secret-key:redacted>", text)
    text = _KEY_ID.sub(lambda m: mask_key_id(m.group(0)), text)
    return _AUTH_SIGNATURE.sub(r"\1<redacted>", text)


def scrub(text: str, book: SecretBook | None = None) -> str:
    return book.scrub(text) if book is not None else scrub_patterns(text)


# ---------------------------------------------------------------------------------------------
# Identity: who and where, masked only when asked (public posting). Over-masking is the safe way
# to be wrong here, so names learnt from ARNs are masked wherever they appear as whole words.

ACCOUNT_MASK = "<account-id>"
NAME_MASK = "<name>"
USER_MASK = "<user>"
#: Local account names that identify nobody; masking them would only garble the text.
GENERIC_USERS = frozenset(
    "root admin administrator user runner ubuntu ec2-user debian vscode node codespace "  # noqa: SIM905
    "circleci jenkins gitlab-runner builder app".split()
)
_MIN_NAME = 3
_IDENTITY_SERVICES = frozenset({"iam", "sts"})

_ARN = re.compile(
    r"\barn:(aws[a-z-]*):([a-z0-9-]*):([a-z0-9-]*):(\d{12}|<account-id>)?:([^\s\"'`<>,;)\]}]+)"
)
_RESOURCE_TYPE = re.compile(r"([a-z][a-z0-9-]*)([/:])(.*)", re.DOTALL)
# Twelve digits on their own or inside a name (my-bucket-123456789012-logs), or as the console
# writes them (1234-5678-9012); longer runs of digits are something else (a timestamp).
_ACCOUNT_ID = re.compile(
    r"(?<!\d)(?<!\d-)(?:\d{12}|\d{4}-\d{4}-\d{4}|\d{3}-\d{3}-\d{3}-\d{3})(?!-?\d)"
    r"|(?<!\d)(?<!\d )\d{4} \d{4} \d{4}(?! ?\d)"
)
# The session name a role session was given, as a query or form value (`RoleSessionName=`).
_SESSION_NAME = re.compile(r"(?i)(\bRoleSessionName=)[\w+=,.@-]+")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_SSO_PORTAL = re.compile(r"(?i)\b[a-z0-9-]+(\.awsapps\.com)\b")
_HOME_DIRS = (
    (re.compile(r"(?<![\w.~-])(/home/|/Users/)(?!<user>)[^/\s\"'`]+"), r"\1" + USER_MASK),
    (re.compile(r"(?i)\b([a-z]:\\\\?Users\\\\?)(?!<user>)[^\\\s\"'`]+"), r"\1" + USER_MASK),
)


def _resource(service: str, resource: str) -> tuple[str, list[str]]:
    """An ARN's resource with its names masked (its type kept), and the names it held."""
    if resource == "root":
        return resource, []
    typed = _RESOURCE_TYPE.fullmatch(resource)
    if service != "s3" and typed is not None:
        rest = typed.group(3)
        if not rest or rest == NAME_MASK:
            return resource, []
        return typed.group(1) + typed.group(2) + NAME_MASK, re.split(r"[/:]", rest)
    if resource == NAME_MASK:
        return resource, []
    return NAME_MASK, re.split(r"[/:]", resource)


def arn_names(text: str) -> set[str]:
    """The names inside the IAM and STS ARNs of `text`: users, roles, sessions, paths.

    Other ARNs are masked too, but their names (buckets, keys) are often plain words.
    """
    names: set[str] = set()
    for found in _ARN.finditer(text):
        if found.group(2) in _IDENTITY_SERVICES:
            names.update(_resource(found.group(2), found.group(5))[1])
    return {name for name in names if len(name) >= _MIN_NAME and not name.startswith("<")}


def _mask_arn(found: re.Match[str]) -> str:
    partition, service, region, account, resource = found.groups()
    masked, _ = _resource(service, resource)
    return f"arn:{partition}:{service}:{region}:{ACCOUNT_MASK if account else ''}:{masked}"


def _whole_words(words: Iterable[str]) -> re.Pattern[str] | None:
    """Names as whole parts of the name they are in, which is masked whole: `alice` masks
    `alice.smith` and `dev-alice`, not `malice`. Parts are separated by `.`, `_`, `+`, `-`."""
    ordered = sorted(words, key=len, reverse=True)  # longest first: "alice.b" before "alice"
    if not ordered:
        return None
    names = "|".join(map(re.escape, ordered))
    return re.compile(
        r"(?<![\w.+<-])(?:[^\W_]+[._+-])*?(?:" + names + r")(?![^\W_])(?:[._+-][^\W_]+)*"
    )


class IdentityMask:
    """Masks account ids, ARNs, IAM and local user names, e-mails and home directories."""

    def __init__(
        self, *, home: str | None = None, users: Iterable[str] = (), names: Iterable[str] = ()
    ) -> None:
        self.home = home.rstrip("/\\") if home and home.rstrip("/\\") else None
        self._home = (
            re.compile(r"(?<![\w.-])" + re.escape(self.home) + r"(?![\w-]|\.\w)")
            if self.home
            else None
        )
        self.users = frozenset(
            u for u in users if len(u) >= _MIN_NAME and u.lower() not in GENERIC_USERS
        )
        self.names = frozenset(n for n in names if len(n) >= _MIN_NAME)
        self._users = _whole_words(self.users)
        self._names = _whole_words(self.names)

    @classmethod
    def from_environment(
        cls, home: str | PurePath | None, environ: Mapping[str, str]
    ) -> IdentityMask:
        """The local user as this process knows it: its home and its login names."""
        users = {environ.get(var, "") for var in ("USER", "LOGNAME", "USERNAME")}
        if home:
            users.add(PurePath(home).name)
        return cls(home=str(home) if home else None, users=users - {""})

    def learning(self, texts: Iterable[str]) -> IdentityMask:
        """A mask that also knows the names inside every ARN of `texts`."""
        names = set(self.names)
        for text in texts:
            names |= arn_names(text)
        return IdentityMask(home=self.home, users=self.users, names=names)

    def mask(self, text: str) -> str:
        text = _ARN.sub(_mask_arn, text)
        text = _EMAIL.sub("<email>", text)
        text = _SSO_PORTAL.sub(r"<sso-portal>\1", text)
        if self._home is not None:
            text = self._home.sub("~", text)
        for pattern, replacement in _HOME_DIRS:
            text = pattern.sub(replacement, text)
        if self._names is not None:
            text = self._names.sub(NAME_MASK, text)
        if self._users is not None:
            text = self._users.sub(USER_MASK, text)
        text = _SESSION_NAME.sub(r"\1" + NAME_MASK, text)
        return _ACCOUNT_ID.sub(ACCOUNT_MASK, text)
