"""Build a machine full of secrets: generated credentials planted everywhere awsmedic may look.

Planted in: the environment, ~/.aws/credentials, ~/.aws/config, a credential_process (a tiny
script that prints them as JSON), the SSO token cache (~/.aws/sso/cache/<sha1>.json), and the
pasted text: as written, in the disguises a log, JSON, a URL or a terminal gives them (split
over lines, wrapped, escaped, encoded, cut to a run), and, for secrets only the paste shows, as
`name=value` under generated secret-sounding names. `EchoingAws` is an endpoint on 127.0.0.1 that refuses every request and quotes
the request's credentials back in its error message, the worst an endpoint or proxy can do.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import string
import sys
import textwrap
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from tests.hardening.servers import Request, sts_error

REAL_ID = string.ascii_uppercase + "234567"
BASE64 = string.ascii_letters + string.digits + "+/"
# Odd values: no character that JSON, Markdown or HTML would escape (an escaped secret would
# not be found verbatim even if it leaked), and a digit and a letter so no word can match.
ODD = string.ascii_letters + string.digits + "-.:@!~^"


def _odd(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return (
        st.tuples(
            st.text(ODD, min_size=min_size - 2, max_size=max_size - 2),
            st.sampled_from(string.digits),
            st.sampled_from(string.ascii_letters),
        )
        .map(lambda parts: parts[1] + parts[0] + parts[2])
        .filter(lambda value: value.strip(".:") == value)
    )


key_ids = st.one_of(
    st.tuples(st.sampled_from(["AKIA", "ASIA"]), st.text(REAL_ID, min_size=16, max_size=16)).map(
        "".join
    ),
    _odd(12, 24),
)
# Built to shape rather than filtered: a filter that rejects most draws fails hypothesis's
# health check at random, and a flaky CI loses a whole session.
real_secret_keys = st.tuples(
    st.sampled_from(string.ascii_lowercase),
    st.text(BASE64, min_size=38, max_size=38),
    st.sampled_from(string.ascii_uppercase),
).map("".join)
secret_keys = st.one_of(real_secret_keys, _odd(12, 40))
real_tokens = st.text(BASE64, min_size=200, max_size=600).map(lambda t: "IQoJb3JpZ2luX2VjE" + t)
tokens = st.one_of(real_tokens, _odd(16, 60))


@dataclass(frozen=True)
class Creds:
    key_id: str
    secret: str
    token: str

    def values(self) -> tuple[str, str, str]:
        return (self.key_id, self.secret, self.token)


creds = st.builds(Creds, key_ids, secret_keys, tokens)

#: How a value is written in a shared file: bare, quoted, padded, with a Windows line end.
STYLES = ("{}", '"{}"', "  {}  ", "{}\r")


@dataclass(frozen=True)
class SecretWorld:
    env: Creds
    file: Creds
    config: Creds
    process: Creds
    sso_token: str
    pasted: Creds  # realistic-looking keys only seen in the paste
    profile: str  # which profile the failing command used
    style: str
    disguise: str = "as is"  # how the paste quotes the secrets awsmedic knows (`disguises`)
    assigned: tuple[tuple[str, str], ...] = ()  # (a line, its secret): only the paste has them

    def secrets(self) -> list[str]:
        values = [*self.env.values(), *self.file.values(), *self.config.values()]
        values += [*self.process.values(), self.sso_token, *self.pasted.values()]
        return values + [secret for _, secret in self.assigned]


def plant(world: SecretWorld, home: Path, endpoint: str) -> dict[str, str]:
    """Write the files; return the environment to run awsmedic in."""
    aws = home / ".aws"
    (aws / "sso" / "cache").mkdir(parents=True, exist_ok=True)

    def line(name: str, value: str) -> str:
        return f"{name} = {world.style.format(value)}\n"

    f, c, p = world.file, world.config, world.process
    (aws / "credentials").write_text(
        "[default]\n"
        + line("aws_access_key_id", f.key_id)
        + line("aws_secret_access_key", f.secret)
        + line("aws_session_token", f.token),
        newline="",
    )
    script = home / "creds.py"
    script.write_text(
        "import json\nprint(json.dumps("
        + repr(
            {"Version": 1, "AccessKeyId": p.key_id, "SecretAccessKey": p.secret}
            | {"SessionToken": p.token}
        )
        + "))\n"
    )
    session_name = "corp"
    (aws / "sso" / "cache" / f"{hashlib.sha1(session_name.encode()).hexdigest()}.json").write_text(  # noqa: S324 (botocore's cache key)
        json.dumps(
            {
                "startUrl": "https://corp.awsapps.com/start",
                "region": "us-east-1",
                "accessToken": world.sso_token,
                "expiresAt": "2099-01-01T00:00:00Z",
            }
        )
    )
    (aws / "config").write_text(
        "[default]\nregion = us-east-1\n"
        "[profile cfg]\nregion = us-east-1\n"
        + line("aws_access_key_id", c.key_id)
        + line("aws_secret_access_key", c.secret)
        + line("aws_session_token", c.token)
        + f"[profile proc]\nregion = us-east-1\ncredential_process = {sys.executable} {script}\n"
        f"[profile sso]\nregion = us-east-1\nsso_session = {session_name}\n"
        "sso_account_id = 123456789012\nsso_role_name = Dev\n"
        f"[sso-session {session_name}]\nsso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = us-east-1\n",
        newline="",
    )
    env = {
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(aws / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(aws / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    if world.profile == "env":  # the environment wins over every profile
        env.update(
            AWS_ACCESS_KEY_ID=world.env.key_id,
            AWS_SECRET_ACCESS_KEY=world.env.secret,
            AWS_SESSION_TOKEN=world.env.token,
        )
    else:
        env["AWS_PROFILE"] = world.profile
    return env


def paste(world: SecretWorld) -> str:
    """An error as a user pastes it: a --debug log quoting credentials, then the error.

    It quotes what awsmedic can know: whatever sits in the environment, the shared files and
    the caches; credentials only the paste shows when they look like credentials; and values
    in `name = value` or JSON form (a pasted file or credential_process output)."""
    f, c, p, q = world.file, world.config, world.process, world.pasted
    known = [*f.values(), *c.values()]
    if world.profile == "env":
        known += world.env.values()
    # Known values of RUN characters or more are found in any disguise; shorter ones as is.
    shown = [v if len(v) < RUN else disguises(v)[world.disguise] for v in [*known, world.sso_token]]
    return (
        "2024-05-01 10:00:00,000 botocore.endpoint DEBUG: Sending http request: "
        f"<AWSPreparedRequest headers={{'X-Amz-Security-Token': b'{q.token}', "
        f"'Authorization': b'AWS4-HMAC-SHA256 Credential={q.key_id}/20240501/us-east-1/sts'}}>\n"
        f"export AWS_SECRET_ACCESS_KEY={q.secret}\n"
        f'{{"Version": 1, "SecretAccessKey": "{p.secret}", "SessionToken": "{p.token}"}}\n'
        f'{{"accessToken": "{world.sso_token}"}}\n'
        + "".join(f"I tried {value} too\n" for value in known)
        + "".join(f"log: {value} end\n" for value in shown)
        + "".join(f"{line}\n" for line, _ in world.assigned)
        + "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity "
        "operation: The security token included in the request is invalid.\n"
    )


def echo(request: Request) -> bytes:
    """A refusal that quotes every credential the request carried."""
    quoted = " | ".join(
        f"{name}={value}"
        for name, value in request.headers.items()
        if name.lower() in ("authorization", "x-amz-security-token", "x-amz-sso_bearer_token")
    )
    if request.path.startswith("/federation/credentials"):  # sso:GetRoleCredentials (JSON)
        return json.dumps({"message": f"Session token not found or invalid: {quoted}"}).encode()
    return sts_error("InvalidClientTokenId", f"The security token is invalid: {quoted}")


# -- the forms a secret takes on its way through logs, JSON and pastes (issue 17) --------------

#: A known secret of this many characters or more is found in any form, and so is any run of
#: this many of its characters (awsmedic.safety.redact.MIN_RUN; kept apart so a change there
#: is a visible change here).
RUN = 16
DISGUISES = (
    "as is", "split across two lines", "split, CRLF", "split, indented", "JSON-escaped",
    "JSON unicode escapes", "URL-encoded", "URL-encoded, lower case", "wrapped at 76 columns",
    "a prefix", "a suffix", "a middle run",
)  # fmt: skip
_JOINS = re.compile(r"\\?\r?\n[ \t]*|\r")
_ESCAPES = {"\\/": "/", "\\u002f": "/", "\\u002b": "+", "\\u003d": "=", "%2f": "/", "%2b": "+"}
_ESCAPED = re.compile("|".join(re.escape(e) for e in _ESCAPES) + "|%3d", re.IGNORECASE)


def _unwrapped(text: str) -> str:
    """Text as a reader would take a secret out of it: lines joined, escapes undone."""
    text = _JOINS.sub("", text)
    return _ESCAPED.sub(lambda m: _ESCAPES.get(m.group(0).lower(), "="), text)


@functools.cache
def _own_words() -> frozenset[str]:
    """Every RUN characters of what awsmedic says of its own (its messages, the knowledge base,
    botocore's errors, this module's paste): a generated secret may happen to contain some
    (hypothesis draws from the constants it sees), and showing those is no leak."""
    import ast

    import botocore.exceptions

    root = Path(__file__).resolve().parents[2]
    texts = [path.read_text(encoding="utf-8") for path in (root / "knowledge").rglob("*.*")]
    for path in [*(root / "src" / "awsmedic").rglob("*.py"), Path(__file__)]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append(node.value)
    texts.append(Path(botocore.exceptions.__file__).read_text(encoding="utf-8"))
    return frozenset(t[i : i + RUN] for t in texts for i in range(len(t) - RUN + 1))


def leaked(secret: str, output: str) -> bool:
    """Whether `output` shows the secret, or RUN of its characters, in any disguise."""
    secret = _unwrapped(secret)
    views = (output, _unwrapped(output))
    if len(secret) < RUN:
        return any(secret in view for view in views)
    runs = {secret[i : i + RUN] for i in range(len(secret) - RUN + 1)} - _own_words()
    return any(run in view for view in views for run in runs)


def disguises(value: str) -> dict[str, str]:
    """The forms of `value` that logs, JSON, URLs and terminals produce."""
    half = len(value) // 2
    run = max(RUN, len(value) // 3)
    forms = {
        "as is": value,
        "split across two lines": f"{value[:half]}\n{value[half:]}",
        "split, CRLF": f"{value[:half]}\r\n{value[half:]}",
        "split, indented": f"{value[:half]}\n        {value[half:]}",
        "JSON-escaped": json.dumps(value)[1:-1].replace("/", "\\/"),
        "JSON unicode escapes": value.replace("/", "\\u002f").replace("+", "\\u002B"),
        "URL-encoded": urllib.parse.quote(value, safe=""),
        "URL-encoded, lower case": urllib.parse.quote(value, safe="").replace("%2F", "%2f"),
        "wrapped at 76 columns": "\n".join(textwrap.wrap(value, 76)),
        "a prefix": value[:run],
        "a suffix": value[-run:],
        "a middle run": value[2 : 2 + RUN],
    }
    return forms


_SECRET_WORDS = ("token", "secret", "password", "passwd", "passphrase", "signature")
_KEY_QUALIFIERS = ("secret", "api", "private", "signing", "access", "client")
_OTHER_WORDS = ("aws", "db", "app", "github", "stripe", "prod", "spring", "cloud", "service", "ci")
_STYLES = ("snake", "SCREAMING", "kebab", "dotted", "camel")


def _join(words: list[str], style: str) -> str:
    if style == "snake":
        return "_".join(words)
    if style == "SCREAMING":
        return "_".join(words).upper()
    if style == "kebab":
        return "-".join(words)
    if style == "dotted":
        return ".".join(words)
    return words[0] + "".join(word.capitalize() for word in words[1:])


def _written(name: str, value: str, how: str) -> str:
    return {
        "env": f"{name}={value}",
        "export": f"export {name}='{value}'",
        "ini": f"{name} = {value}",
        "yaml": f"  {name}: {value}",
        "json": f'{{"{name}": "{value}", "region": "us-east-1"}}',
        "java": f"java -D{name}={value} -jar app.jar",
        "flag": f"cmd --{name}={value} --verbose",
        "query": f"GET /v1/items?page=2&{name}={value}&x=1",
    }[how]


_HOW = ("env", "export", "ini", "yaml", "json", "java", "flag", "query")
_VALUE = string.ascii_letters + string.digits + "/+=_-.~!@#^"


@st.composite
def secret_assignments(draw: st.DrawFn) -> tuple[str, str]:
    """(a line, the real-shaped secret in it) under a generated name that says secret."""
    words = draw(st.lists(st.sampled_from(_OTHER_WORDS), max_size=3))
    if draw(st.booleans()):
        words += [draw(st.sampled_from(_SECRET_WORDS))]
    else:
        words += [draw(st.sampled_from(_KEY_QUALIFIERS)), "key"]
    name = _join(words, draw(st.sampled_from(_STYLES)))
    value = draw(
        st.tuples(
            st.text(_VALUE, min_size=10, max_size=60),
            st.sampled_from(string.digits),
            st.sampled_from(string.ascii_letters),
        )
        .map(lambda parts: parts[2] + parts[0] + parts[1])
        .filter(lambda v: not v.startswith(("AKIA", "ASIA")))
    )
    return _written(name, value, draw(st.sampled_from(_HOW))), value


_SETTINGS = (
    "region", "output", "source_profile", "sso_session", "role_arn", "duration_seconds",
    "cli_pager", "max_attempts", "retry_mode", "s3.addressing_style", "endpoint_url",
    "role_session_name", "mfa_serial", "sso_start_url", "ca_bundle", "key_id", "token_file",
    "token_expiration", "secret_name", "password_policy", "token_type", "key_status",
)  # fmt: skip
_PLACEHOLDER = st.from_regex(
    r"<[a-z ]{3,20}>|\$\{[A-Z_]{3,20}\}|\$[A-Z_]{3,20}|\*{8,20}|[A-Z]{3,8}(_[A-Z]{3,8}){1,3}",
    fullmatch=True,
)
_WORDISH = st.one_of(
    st.from_regex(r"[a-z]{3,10}(-[a-z]{3,10}){0,3}", fullmatch=True),
    st.from_regex(r"([A-Z][a-z]{3,8}){1,4}", fullmatch=True),
    _PLACEHOLDER,
)


@st.composite
def ordinary_assignments(draw: st.DrawFn) -> str:
    """A line that must come out as it went in: a setting with any value, or a secret-sounding
    name whose value is a word, a placeholder or a variable."""
    how = draw(st.sampled_from(("env", "ini", "yaml", "json", "flag", "query")))
    if draw(st.booleans()):
        name = draw(st.sampled_from(_SETTINGS))
        value = draw(st.one_of(_WORDISH, st.from_regex(r"[a-z0-9-]{1,30}", fullmatch=True)))
    else:  # a password may be words (a passphrase): only a placeholder is left alone there
        secret_word = draw(st.sampled_from(_SECRET_WORDS))
        name = _join(
            [draw(st.sampled_from(_OTHER_WORDS)), secret_word], draw(st.sampled_from(_STYLES))
        )
        value = draw(_PLACEHOLDER if secret_word.startswith("pass") else _WORDISH)
    return _written(name, value, how)


worlds = st.builds(
    SecretWorld,
    env=creds,
    file=creds,
    config=creds,
    process=creds,
    sso_token=st.one_of(tokens, _odd(20, 80)),
    pasted=st.builds(
        Creds,
        st.text(REAL_ID, min_size=16, max_size=16).map(lambda t: "AKIA" + t),
        st.one_of(real_secret_keys, _odd(40, 40)),
        real_tokens,
    ),
    profile=st.sampled_from(["default", "cfg", "proc", "sso", "env"]),
    style=st.sampled_from(STYLES),
    disguise=st.sampled_from(DISGUISES),
    assigned=st.lists(secret_assignments(), max_size=3).map(tuple),
)
