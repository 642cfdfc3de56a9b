"""Values a pasted error names that steps can use: a role ARN, a user, an account, a bucket.

They fill a placeholder only when nothing on this machine knows it (`remedy.merge_facts`), and
they are refused from commands unless they have the shape AWS gives them (`valueshapes`).
"""

from __future__ import annotations

import re

from awsmedic.aws import valueshapes
from awsmedic.aws.rdsendpoint import rds_endpoint
from awsmedic.model import Fact

_ROLE = re.compile(r"\barn:aws[a-z-]*:iam::(\d{12}):role/((?:[\w+=,.@-]+/)*([\w+=,.@-]+))")
_ASSUMED = re.compile(r"\barn:aws[a-z-]*:sts::(\d{12}):assumed-role/([\w+=,.@-]+)/")
_USER = re.compile(r"\barn:aws[a-z-]*:iam::(\d{12}):user/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)")
_ROOT = re.compile(r"\barn:aws[a-z-]*:iam::(\d{12}):root\b")
_INSTANCE_PROFILE = re.compile(
    r"\barn:aws[a-z-]*:iam::\d{12}:instance-profile/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)"
)
_BUCKET = (
    re.compile(r"\barn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?![a-z0-9.-])"),
    re.compile(r"\bs3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?![a-z0-9.-])"),
    re.compile(r"<BucketName>([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])</BucketName>"),
    # `bucket=NAME`, `"bucket": "NAME"`, `bucket 'NAME'`, or an unquoted NAME after a blank that has
    # a digit, a dot or a hyphen: prose ("The bucket you are attempting to access", "bucket
    # exists", "Bucket Region") has none, and a bucket's name is in lower case
    re.compile(
        r"(?i:\bbucket)(?:['\"]?[ \t]*[:=][ \t]*(['\"]?)|[ \t]+(['\"]))"
        r"([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\1|\2)(?=[\s.,;)\]]|$)"
        r"|(?i:\bbucket)[ \t]+(?=[a-z0-9]*(?:[0-9]|[.-][a-z0-9]))([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])"
        r"(?=[\s.,;)\]]|$)"
    ),
)
# A Cognito identity pool id as request bodies, configurations and logs name it (one run of
# blanks on each side of the `:` or `=`, never two in a row: bounded work on any paste).
_IDENTITY_POOL = re.compile(
    r"\b(?:IdentityPoolId|identity_?pool_?id|aws_cognito_identity_pool_id|IdentityPool)"
    r"[\"']?[ \t]*(?:[:=][ \t]*)?[\"']([a-z]{2}(?:-[a-z]+)+-\d{1,2}:[0-9a-f-]{36})[\"']",
    re.I,
)
# The identity pool's regional endpoint, as browsers' network logs and SDK debug lines show it.
_COGNITO_HOST = re.compile(r"\bcognito-identity\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com")
_COGNITO_REGION = re.compile(r"^([a-z]{2}(?:-[a-z]+)+-\d{1,2}):")
# IAM Roles Anywhere's trust anchor and profile, by their ARNs (an aws_signing_helper command
# line, a CreateSession request); the certificate and key files of a pasted helper command.
_ROLES_ANYWHERE = re.compile(
    r"\barn:aws[a-z-]*:rolesanywhere:[a-z0-9-]+:\d{12}:(trust-anchor|profile)/([0-9a-f-]{36})\b"
)
# STS's ValidationError quotes the role ARN it refused; a role's name there is the usual mistake
# (trees/role-arn.toml)
_REFUSED_ROLE_NAME = re.compile(r"\bValue '([\w+=,.@-]{1,64})' at 'roleArn'")
# A Bedrock model's id, in an invocation URL (`/model/<id>/invoke`, `:` written %3A) or after
# the words "model id" or modelId; its grammar is the service model's (botocore/data/bedrock
# GetFoundationModelAvailabilityRequest modelId). A cross-Region inference profile's id puts a
# geography before it (bedrock/latest/userguide/cross-region-inference.html), which the
# foundation model's own calls do not take.
_BEDROCK_MODEL = re.compile(
    r"/model/([a-z0-9.:%-]{3,140})/(?:invoke|converse)|\bmodel[ _-]?id\b[\"']?\s*[:=]?\s*[\"'`]?"
    r"([a-z0-9-]{1,63}\.[a-z0-9.:-]{3,120})",
    re.IGNORECASE,
)
_PROFILE_GEOGRAPHY = re.compile(r"^(?:us|eu|apac|jp|au|ca|us-gov|global)\.(?=[a-z0-9-]+\.)")
_HELPER = re.compile(r"\baws_signing_helper(?:\.exe)?\b([^\n]*)")
_HELPER_FILE = re.compile(r"\s--(certificate|private-key)[ =]['\"]?([^\s'\"-][^\s'\"]*)")
SOURCE = "pasted error"


def paste_facts(text: str) -> dict[str, Fact]:
    """The values the paste names, each with where it was seen."""
    facts: dict[str, Fact] = {}
    role = _ROLE.search(text)
    assumed = _ASSUMED.search(text)
    user = _USER.search(text)
    if role:
        facts["role_arn"] = Fact(role.group(0), SOURCE)  # its name: `derived`, from the ARN used
    elif assumed:
        facts["role_name"] = Fact(assumed.group(2), SOURCE)
    elif refused := _REFUSED_ROLE_NAME.search(text):
        facts["role_name"] = Fact(refused.group(1), SOURCE)
    if profile_arn := _INSTANCE_PROFILE.search(text):
        facts["instance_profile"] = Fact(profile_arn.group(1), SOURCE)
    # The caller's account: an assumed-role session or a user is the one who authenticated.
    if assumed:
        facts["account_id"] = Fact(assumed.group(1), SOURCE)
    elif user:
        facts["account_id"] = Fact(user.group(1), SOURCE)
    elif root := _ROOT.search(text):  # the account's root user made the request
        facts["account_id"] = Fact(root.group(1), SOURCE)
    if user:
        facts["iam_user"] = Fact(user.group(2), SOURCE)
    for pattern in _BUCKET:
        found = pattern.search(text)
        if found:
            name = next(group for group in reversed(found.groups()) if group)
            facts["bucket"] = Fact(name, SOURCE)
            break
    pool = _IDENTITY_POOL.search(text)
    if pool:
        facts["identity_pool_id"] = Fact(pool.group(1), SOURCE)
    host = _COGNITO_HOST.search(text)
    if host:
        facts["identity_pool_region"] = Fact(host.group(1), SOURCE)
    for kind, resource_id in _ROLES_ANYWHERE.findall(text):
        name = "trust_anchor_id" if kind == "trust-anchor" else "ra_profile_id"
        facts.setdefault(name, Fact(resource_id, SOURCE))
    model = _bedrock_model(text)
    if model:
        facts["bedrock_model_id"] = Fact(model, SOURCE)
    endpoint = rds_endpoint(text)
    if endpoint is not None:
        facts["db_host"] = Fact(endpoint.host, SOURCE)
        if endpoint.kind != "proxy":
            facts[endpoint.kind] = Fact(endpoint.identifier, SOURCE)
    if "aws_signing_helper" in text:
        # (a command continued over lines with a backslash is one line to the shell)
        for line in _HELPER.findall(re.sub(r"\\\r?\n", " ", text)):
            for option, path in _HELPER_FILE.findall(line):
                name = "certificate_file" if option == "certificate" else "private_key_file"
                if not path.startswith("pkcs11:"):
                    facts.setdefault(name, Fact(path, SOURCE))
    return facts


def _bedrock_model(text: str) -> str:
    """The foundation model a Bedrock error is about, or ""."""
    for found in _BEDROCK_MODEL.finditer(text):
        model = (found.group(1) or found.group(2)).replace("%3A", ":").replace("%3a", ":")
        model = _PROFILE_GEOGRAPHY.sub("", model.lower().rstrip(".:"))
        if valueshapes.refusal("bedrock_model_id", model) is None:
            return model
    return ""


def derived(facts: dict[str, Fact]) -> dict[str, Fact]:
    """What other facts imply: a role's name from the role ARN in use, an identity pool's
    region from its id, the profile to sign in to IAM Identity Center with."""
    out: dict[str, Fact] = {}
    # `aws sso login --profile P` signs in with P's own SSO settings: a role profile that sources
    # an SSO profile is signed in through that profile.
    if "sso_profile" not in facts and "profile" in facts:
        out["sso_profile"] = facts["profile"]
    arn = facts.get("role_arn")
    if arn is not None:
        found = re.search(r":role/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$", arn.value.strip())
        if found:
            out["role_name"] = Fact(found.group(1), arn.source, arn.location)
    # A Cognito identity pool lives in the region its id starts with (so do its identities),
    # whatever endpoint the request went to: that id is what the steps look up.
    for name in ("identity_pool_id", "identity_id"):
        held = facts.get(name)
        region = _COGNITO_REGION.match(held.value.strip()) if held is not None else None
        if held is not None and region:
            out["identity_pool_region"] = Fact(region.group(1), held.source, held.location)
            break
    return out
