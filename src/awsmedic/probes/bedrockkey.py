"""bedrock.api-key: the Amazon Bedrock API key in AWS_BEARER_TOKEN_BEDROCK, read but never sent.

botocore 1.39.0 and later send that variable as a bearer token to Bedrock's APIs instead of
signing with the credential chain, unless the code sets its own auth (botocore/handlers.py
_should_prefer_bearer_auth, botocore/tokens.py ScopedEnvTokenProvider); the AWS SDKs and tools
built for Bedrock read the same variable. AWS builds the two kinds of key so that much of each
can be read without using it:

- long-term: "ABSK" and the base64 of "<service user>:<secret>", the service user being
  "<IAM user>-at-<account id>" (an IAM service-specific credential; the Bedrock console names
  the IAM user BedrockAPIKey-<id>);
- short-term: "bedrock-api-key-" and the base64 of a SigV4 presigned URL of
  bedrock.amazonaws.com (Action=CallWithBearerToken): its credential scope names the Region it
  works in, X-Amz-Date and X-Amz-Expires when it stops (at most 12 hours), and a security token
  says that temporary credentials signed it, which end it sooner when they expire
  (aws/aws-bedrock-token-generator-python token_generator.py).

Bedrock refuses anything else with "Invalid API Key format: Must start with pre-defined prefix".
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from awsmedic.aws import sharedfiles
from awsmedic.aws.hygiene import value_problems
from awsmedic.model import Evidence, Fact, Secret, SecretKind, Status, mask_key_id
from awsmedic.probes import ProbeInput, probe, selected_profile
from awsmedic.safety.secretscan import SHORT_TERM_BEDROCK_PREFIX, bearer_secret

VARIABLE = "AWS_BEARER_TOKEN_BEDROCK"
LONG_TERM_PREFIX = "ABSK"
SHORT_TERM_PREFIX = SHORT_TERM_BEDROCK_PREFIX
#: A key is a few hundred characters; a value far longer is not one, and is not decoded.
_MAX_KEY = 16 * 1024
_SERVICE_USER = re.compile(r"^([\w+=,.@-]{1,64})-at-(\d{12})$")
_SCOPE = re.compile(r"^([A-Z0-9]{16,128})/(\d{8})/([a-z0-9-]{1,32})/bedrock/aws4_request$")
_ACCESS_KEY_ID = re.compile(r"^(?:AKIA|ASIA)[A-Z0-9]{16}$")
_JWT = re.compile(r"^eyJ[\w-]+\.[\w-]+\.[\w-]*$")


@dataclass(frozen=True)
class KeyReading:
    """What a value of AWS_BEARER_TOKEN_BEDROCK is, as far as it can be read offline."""

    kind: str  # "long-term", "short-term" or "" (no Bedrock API key)
    problems: tuple[str, ...] = ()  # why it is no key Bedrock accepts
    service_user: str = ""
    account: str = ""
    region: str = ""
    signed_by: str = ""  # the signing key id, masked
    temporary: bool = False
    issued: datetime | None = None
    expires: datetime | None = None
    secrets: tuple[Secret, ...] = field(default=(), repr=False)


def _b64(text: str) -> str | None:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def _long_term(value: str) -> KeyReading:
    decoded = _b64(value[len(LONG_TERM_PREFIX) :])
    user, _, secret = (decoded or "").partition(":")
    found = _SERVICE_USER.match(user)
    if decoded is None or not secret or found is None:
        return KeyReading(
            "", ("starts like a long-term key, but the rest is not one (cut or changed?)",)
        )
    return KeyReading(
        "long-term",
        service_user=user,
        account=found.group(2),
        secrets=(Secret(secret, SecretKind.SECRET_KEY),),
    )


def _short_term(value: str) -> KeyReading:
    decoded = _b64(value[len(SHORT_TERM_PREFIX) :])
    broken = KeyReading(
        "", ("starts like a short-term key, but the rest is not one (cut or changed?)",)
    )
    if decoded is None or "?" not in decoded:
        return broken
    query = urllib.parse.parse_qs(decoded.split("?", 1)[1])
    scope = _SCOPE.match((query.get("X-Amz-Credential") or [""])[0])
    date = (query.get("X-Amz-Date") or [""])[0]
    expires = (query.get("X-Amz-Expires") or [""])[0]
    if scope is None or not expires.isdigit() or len(expires) > 9:
        return broken
    try:
        issued = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return broken
    token = (query.get("X-Amz-Security-Token") or [""])[0]
    secrets = [Secret(scope.group(1), SecretKind.ACCESS_KEY_ID)]
    secrets += [Secret(token, SecretKind.SESSION_TOKEN)] if token else []
    return KeyReading(
        "short-term",
        region=scope.group(3),
        signed_by=mask_key_id(scope.group(1)),
        temporary=bool(token),
        issued=issued,
        expires=issued + timedelta(seconds=int(expires)),
        secrets=tuple(secrets),
    )


def _not_a_key(core: str) -> str:
    """What a value that is no Bedrock API key looks like instead (never the value itself)."""
    if _ACCESS_KEY_ID.match(core):
        return "is an AWS access key id, not a Bedrock API key"
    if _JWT.match(core):
        return "is a JSON Web Token (an SSO, OIDC or app token), not a Bedrock API key"
    if core.startswith("BedrockAPIKey-") or _SERVICE_USER.match(core.partition(":")[0]):
        return "is a long-term key decoded (user:secret); Bedrock takes the ABSK… form"
    if re.match(r"^sk-(?:ant-)?[\w-]{8,}$", core):
        return "is another provider's API key (sk-…), not a Bedrock API key"
    return "does not start with ABSK (a long-term key) or bedrock-api-key- (a short-term key)"


def read_key(value: str) -> KeyReading:
    if len(value) > _MAX_KEY:
        return KeyReading("", ("is far longer than any Bedrock API key",))
    if value.startswith(LONG_TERM_PREFIX) and value == value.strip():
        return _long_term(value)
    if value.startswith(SHORT_TERM_PREFIX) and value == value.strip():
        return _short_term(value)
    core = value.strip().strip("\"'")
    if core.startswith((LONG_TERM_PREFIX, SHORT_TERM_PREFIX)):
        stray = " and ".join(value_problems(value))
        return KeyReading("", (f"is a Bedrock API key with {stray}",))
    return KeyReading("", (_not_a_key(core), *value_problems(value)))


def _request_region(run: ProbeInput) -> Fact | None:
    """Where the refused request went: the Region in the error (a bedrock-runtime host), else
    --region, AWS_REGION (which the AWS CLI v2 and most SDKs read first), AWS_DEFAULT_REGION,
    the profile's region."""
    facts = run.recognition.facts if run.recognition else {}
    if "region" in facts:
        return facts["region"]
    ctx = run.ctx
    if ctx.region:
        return Fact(ctx.region, ctx.region_source)
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        if ctx.env(name):
            return Fact(ctx.environ[name], "env", name)
    selection = selected_profile(run)
    setting = sharedfiles.load(ctx).settings(selection.name).get("region")
    return Fact(setting.value, "config-file", setting.where(ctx)) if setting else None


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


@probe(
    "bedrock.api-key",
    title="The Amazon Bedrock API key in AWS_BEARER_TOKEN_BEDROCK",
    findings=(
        "bedrock-key-unset",
        "bedrock-key-malformed",
        "bedrock-key-long-term",
        "bedrock-key-short-term",
        "bedrock-key-expired",
        "bedrock-key-region-mismatch",
        "bedrock-key-from-session",
    ),
    facts=(
        "bedrock_key_kind",
        "bedrock_key_user",
        "bedrock_key_region",
        "bedrock_key_expiry",
        "region",
    ),
)
def bedrock_api_key(run: ProbeInput) -> Evidence:
    """Which kind of Bedrock API key is set, and whether it can still work here, by its own
    contents and this machine's clock."""
    value = run.ctx.env(VARIABLE)
    if not value:
        return Evidence(
            "bedrock.api-key",
            Status.OK,
            f"{VARIABLE} is not set here (the tool may take its key from its own settings)",
            ("bedrock-key-unset",),
        )
    reading = read_key(value)
    secrets = (bearer_secret(value), *reading.secrets)
    if not reading.kind:
        summary = f"{VARIABLE} " + "; ".join(reading.problems[:2])
        return Evidence(
            "bedrock.api-key",
            Status.PROBLEM,
            summary,
            ("bedrock-key-malformed",),
            {"bedrock_key_kind": Fact("not a Bedrock API key", "env", VARIABLE)},
            reading.problems,
            secrets,
        )
    facts = {"bedrock_key_kind": Fact(reading.kind, "env", VARIABLE)}
    if reading.kind == "long-term":
        user = reading.service_user.rsplit("-at-", 1)[0]
        facts["bedrock_key_user"] = Fact(user, "the key", VARIABLE)
        summary = (
            f"{VARIABLE} holds a long-term key of IAM user {user} in account {reading.account};"
            " whether it is still active and unexpired only IAM can tell"
        )
        return Evidence(
            "bedrock.api-key",
            Status.OK,
            summary,
            ("bedrock-key-long-term",),
            facts,
            (summary,),
            secrets,
        )
    return _short_term_evidence(run, reading, facts, secrets)


def _short_term_evidence(
    run: ProbeInput, reading: KeyReading, facts: dict[str, Fact], secrets: tuple[Secret, ...]
) -> Evidence:
    assert reading.expires is not None  # a short-term reading always has its times
    now = run.ctx.clock()
    findings = ["bedrock-key-short-term"]
    facts["bedrock_key_region"] = Fact(reading.region, "the key", VARIABLE)
    facts["bedrock_key_expiry"] = Fact(_when(reading.expires), "the key", VARIABLE)
    details = [
        f"a short-term key for {reading.region}, signed by {reading.signed_by} at"
        f" {_when(reading.issued or reading.expires)}, valid until {_when(reading.expires)}"
    ]
    if reading.temporary:
        findings.append("bedrock-key-from-session")
        details.append(
            "temporary credentials signed it: it stops working when their session ends, even"
            " before that time"
        )
    problems = []
    if now >= reading.expires:
        findings.append("bedrock-key-expired")
        problems.append(
            f"the short-term key expired {_ago(now - reading.expires)} ago, by this machine's clock"
        )
    used = _request_region(run)
    if used is not None and used.value and used.value != reading.region:
        findings.append("bedrock-key-region-mismatch")
        facts["region"] = used
        problems.append(
            f"the request went to {used.describe()}, but a short-term key works only in the"
            f" Region it was made for ({reading.region})"
        )
    return Evidence(
        "bedrock.api-key",
        Status.PROBLEM if problems else Status.OK,
        "; ".join(problems or details[:1]),
        tuple(findings),
        facts,
        (*details, *problems),
        secrets,
    )


def _ago(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    if hours >= 48:
        return f"{hours // 24} days"
    if hours >= 1:
        return f"{hours} hours"
    return f"{max(int(delta.total_seconds() // 60), 1)} minutes"
