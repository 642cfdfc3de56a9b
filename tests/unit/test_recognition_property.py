"""Every error code of the catalogue is recognised whatever surrounds it (a property test).

For each entry of tests/data/catalogue.toml (the codes of causes.md section 1 with their
canonical messages), hypothesis fills the message's variable parts with text of any length and
character set, prints it the way an SDK or tool does (AWS CLI, boto3, Go SDK v2 / Terraform,
JavaScript v3, Java v1 and v2, the bare message), wraps it in a log (JSON, logfmt), puts log and
CI prefixes on its lines, a shell prompt and a command line above it, a traceback or noise
around it, and may end its lines the Windows way. The text must be recognised as the entry's
family, with one of the causes the catalogue lists for it among the first three (text only,
as `diagnose --no-probes`).
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsmedic.context import Context
from awsmedic.core.consult import Consultation
from awsmedic.core.match import Matcher
from awsmedic.core.pastes import typeset
from awsmedic.core.transcript import Meta, Transcript
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.kb.phrases import SLOT_RE
from awsmedic.safety.redact import SecretBook

CATALOGUE: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parents[1] / "data" / "catalogue.toml").read_text(encoding="utf-8")
)["errors"]
SERVICE = {"GetCallerIdentity": "STS", "AssumeRole": "STS", "GetRoleCredentials": "SSO"}


@cache
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


@cache
def matcher() -> Matcher:
    return Matcher(knowledge())


# -- what fills a slot: any text on one line, short or very long --------------------------------

_ANY = st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"))
slot_values = st.one_of(
    st.text(_ANY, min_size=1, max_size=24),
    st.text(_ANY, min_size=200, max_size=3_000),
    st.from_regex(r"[A-Za-z0-9._@+-]{1,300}", fullmatch=True),  # names as tools allow them
)
names = st.from_regex(r"[A-Za-z0-9_-]{1,40}", fullmatch=True)


def fill(message: str, values: dict[str, str]) -> str:
    return SLOT_RE.sub(lambda m: values[m.group(1) or ""], message)


# -- how tools print an error --------------------------------------------------------------------


def shapes(entry: dict[str, Any]) -> list[str]:
    if entry["code"].isdigit():  # botocore's bare HTTP status: only its own shapes say it
        return ["cli", "boto3"]
    if entry["kind"] == "client":
        found = ["boto3-client", "cli-client", "bare"]
    else:
        found = ["cli", "boto3", "go-v2", "js-v3", "java-v1", "java-v2", "bare"]
    if not entry.get("alone", True):  # too short to be told without its code
        found = [shape for shape in found if shape not in ("bare", "java-v2")]
    return found


def printed(entry: dict[str, Any], message: str, shape: str) -> str:
    code, operation = entry["code"], entry.get("operation", "")
    service = SERVICE.get(operation, "S3")
    return {
        "cli": f"\nAn error occurred ({code}) when calling the {operation} operation: {message}",
        "boto3": (
            "Traceback (most recent call last):\n"
            '  File "/app/main.py", line 12, in <module>\n'
            "    client.do()\n"
            '  File "/usr/lib/python3/site-packages/botocore/client.py", line 1023, in _make_api_call\n'
            "    raise error_class(parsed_response, operation_name)\n"
            "botocore.exceptions.ClientError: An error occurred "
            f"({code}) when calling the {operation} operation: {message}"
        ),
        "go-v2": (
            f"operation error {service}: {operation}, https response error StatusCode: 403, "
            f"RequestID: 5ec86bdf-08d2-4b9b-b7bf-5d4089165aea, api error {code}: {message}"
        ),
        "js-v3": f"{code}: {message}\n    at throwDefaultError (/app/node_modules/@smithy/smithy-client/dist-cjs/index.js:867:20)",
        "java-v1": (
            f"com.amazonaws.services.securitytoken.model.AWSSecurityTokenServiceException: {message} "
            f"(Service: AWSSecurityTokenService; Status Code: 403; Error Code: {code}; "
            "Request ID: 5ec86bdf-08d2-4b9b-b7bf-5d4089165aea; Proxy: null)\n"
            "\tat com.amazonaws.http.AmazonHttpClient$RequestExecutor.handleErrorResponse(AmazonHttpClient.java:1879)"
        ),
        "java-v2": (
            f"software.amazon.awssdk.services.sts.model.StsException: {message} (Service: Sts, "
            "Status Code: 403, Request ID: 5ec86bdf-08d2-4b9b-b7bf-5d4089165aea)"
        ),
        "boto3-client": (
            "Traceback (most recent call last):\n"
            '  File "/usr/lib/python3/site-packages/botocore/credentials.py", line 2121, in load\n'
            f"botocore.exceptions.{code}: {message}"
        ),
        "cli-client": f"\n{message}",
        "bare": message,
    }[shape]


# -- what surrounds it -------------------------------------------------------------------------

PROMPTS = [
    "user@host:~/project$ aws sts get-caller-identity --profile {profile} --region {region}",
    "[ec2-user@ip-10-0-0-1 ~]$ AWS_PROFILE={profile} aws s3 ls",
    "PS C:\\Users\\me> aws s3 ls --profile {profile}",
    "$ export AWS_REGION={region}",
    "➜  infra git:(main) ✗ terraform plan",
    "(venv) me@laptop % python deploy.py --region {region}",
    "❯ npx cdk deploy --profile {profile}",
]
PREFIXES = [
    "",
    "2024-01-01T00:00:00.000Z ",
    "2024-01-01T00:00:00.0000000Z ##[error]",
    "##[error]",
    "[ERROR] ",
    "ERROR: ",
    "│ ",
    "2024/01/01 12:00:00 ",
    "E0101 12:00:00.000000    1234 main.go:42] ",
    "Jan  1 00:00:00 host app[123]: ",
    "[12:00:00] ",
]
# Lines around the error: words a build log is made of, and numbers. (Not any letters: a line
# that names MinIO or GKE makes the paste a look-alike, rightly.)
_LOG_WORDS = st.sampled_from(
    [
        "starting",
        "step",
        "build",
        "deploy",
        "job",
        "done",
        "retry",
        "upload",
        "download",
        "running",
        "finished",
        "exit",
        "status",
        "warning",
        "info",
        "debug",
        "main",
        "worker",
        "stage",
        "cache",
        "layer",
        "pulling",
        "pushed",
        "completed",
        "ok",
    ]
)
_LOG_LINE = st.lists(
    st.one_of(_LOG_WORDS, st.from_regex(r"[0-9a-f]{1,12}", fullmatch=True)), min_size=1, max_size=9
).map(" ".join)
noise = st.lists(_LOG_LINE, max_size=3)


def wrapped(text: str, how: str) -> str:
    if how == "json":
        return json.dumps({"level": "error", "time": "2024-01-01T00:00:00Z", "msg": text})
    if how == "logfmt":
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'time="2024-01-01T00:00:00Z" level=error msg="{escaped}"'
    return text


def names_no_error(value: str) -> bool:
    """A value that itself names an error (`ExpiredToken`, `INVALIDREGIONError`) makes the paste
    name that error too. Inside a delimited slot (`The config profile (AccessDenied) could not
    be found`) the matcher ignores it (tests/unit/test_align.py), but a slot that ends its phrase
    runs on to the end of the line, where a real second error is read as one. Hypothesis draws
    string constants from this code base, so such values do come up."""
    return not matcher().codes_in(value)


@st.composite
def pastes(draw: st.DrawFn, entry: dict[str, Any]) -> tuple[str, dict[str, str]]:
    slots = {m.group(1) or "" for m in SLOT_RE.finditer(entry["message"])}
    values = {name: draw(slot_values.filter(names_no_error)) for name in sorted(slots)}
    text = printed(entry, fill(entry["message"], values), draw(st.sampled_from(shapes(entry))))
    text = wrapped(text, draw(st.sampled_from(["plain", "plain", "json", "logfmt"])))
    prefix = draw(st.sampled_from(PREFIXES))
    lines = [prefix + line for line in text.split("\n")]
    if draw(st.booleans()):
        prompt = draw(st.sampled_from(PROMPTS))
        lines.insert(0, prompt.format(profile=draw(names), region="eu-west-1"))
    lines = draw(noise) + lines + draw(noise)
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines), values


def ranked(text: str) -> tuple[str | None, list[str]]:
    """The tree and the first three causes, as `diagnose --no-probes --no-input` gives them."""
    ctx = Context(environ={}, home=None, probes_enabled=False)
    consultation = Consultation(
        ctx,
        knowledge(),
        SecretBook(),
        Transcript(Meta(botocore="", started=datetime.now(UTC))),
        matcher=matcher(),
    )
    recognition = consultation.recognise(text)
    if recognition.best is None:
        return None, []
    outcome = consultation.run(lambda question: None)
    causes = [c.cause for c in outcome.candidates]
    if outcome.diagnosis is not None:
        causes = [outcome.diagnosis.cause, *(c for c in causes if c != outcome.diagnosis.cause)]
    return recognition.best.tree, causes[:3]


def families(entry: dict[str, Any]) -> list[str]:
    """The families an entry may be recognised as: one, or several that all lead to its cause
    (a service's message that its code's family and its own wording's family both know)."""
    family = entry["family"]
    return list(family) if isinstance(family, list) else [family]


@pytest.mark.parametrize(
    "entry",
    [pytest.param(e, id=f"{e['code']}-{n}") for n, e in enumerate(CATALOGUE)],
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_catalogued_error_is_recognised_whatever_surrounds_it(
    entry: dict[str, Any], data: st.DataObject
) -> None:
    text, _ = data.draw(pastes(entry))
    tree, causes = ranked(text)
    assert tree in families(entry), text
    assert set(causes) & set(entry["wanted"]), (causes, text)


@settings(max_examples=150, deadline=None)
@given(value=slot_values, prefix=st.sampled_from(PREFIXES), how=st.sampled_from(["plain", "json"]))
def test_a_slot_value_comes_back_as_a_fact(value: str, prefix: str, how: str) -> None:
    """The profile of `ProfileNotFound` is read back exactly, whatever it is made of, but for
    what copying from a web page or a chat puts in place of what the tool printed (no-break
    spaces, invisible joiners, curly quotes, HTML escapes): those are undone."""
    text = prefix + wrapped(f"The config profile ({value}) could not be found", how)
    recognition = matcher().recognise(text)
    assert recognition.best is not None and recognition.best.tree == "profile-not-found"
    # (JSON escapes every character it need not show as it is: those are the tool's own.)
    printed = value if how == "json" else typeset(value)
    # A plain paste's `\n` and `\t` are read as a log's escaped line breaks (pastes.
    # unescape_breaks), by design: a profile name with a backslash in it is rarer than a log
    # line printed with its breaks escaped. Such a value is not read back as it was.
    escaped = how == "plain" and re.search(r"\\[nt]", printed) is not None
    if printed.strip() and len(printed) <= 512 and not escaped:
        assert recognition.facts["profile"].value == printed


def test_a_blank_slot_value_is_no_fact() -> None:
    """`AWS_PROFILE=" "` gives `The config profile ( ) could not be found`: no profile, never
    the words beside the marks."""
    for blank in ("", " ", "\t", "  \t "):
        recognition = matcher().recognise(f"The config profile ({blank}) could not be found")
        assert recognition.best is not None and recognition.best.tree == "profile-not-found"
        assert "profile" not in recognition.facts


def test_the_catalogue_covers_every_code_of_the_family_index() -> None:
    """Every code that causes.md section 1 names for a family, as the corpus test maps them."""
    from tests.unit.test_match import FAMILY

    catalogued = {entry["code"] for entry in CATALOGUE}
    missing = {
        code
        for code, tree in FAMILY.items()
        if code not in catalogued and tree in {f for e in CATALOGUE for f in families(e)}
    }
    # Codes of other SDKs (Go's NoCredentialProviders, JavaScript's CredentialsProviderError,
    # ...) are in the corpus, not in the catalogue of AWS's and botocore's own codes.
    others = {
        "NoCredentialProviders",
        "CredentialsProviderError",
        "CredentialsError",
        "ConnectTimeout",
        "UnauthorizedException",
        "InvalidGrantException",
        "InvalidIdentityToken",
        "EC2RoleRequestError",
    }
    assert missing <= others, sorted(missing - others)
