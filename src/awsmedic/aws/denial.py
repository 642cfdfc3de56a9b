"""Read an access-denied message: who was refused what, on which resource, and by which policy.

AWS words most denials as `User: <principal> is not authorized to perform: <action> on resource:
<resource> because no <type> policy allows the <action> action` (an implicit deny) or `... with
an explicit deny in a <type> policy[: <policy-arn>]`. Older messages and some services give less;
the action can then often be derived from the operation. Pure functions over text, no I/O.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

#: The policy types AWS names in access-denied messages, with a short finding-code form.
POLICY_KINDS = {
    "service control policy": "scp",
    "resource control policy": "rcp",
    "permissions boundary": "boundary",
    "session policy": "session",
    "identity-based policy": "identity",
    "resource-based policy": "resource",
    "vpc endpoint policy": "vpce",
}
#: Policy types only their owner (an organisation admin, a boundary or session owner) can change:
#: granting yourself more permissions does not help against them.
GUARDRAIL_KINDS = frozenset({"scp", "rcp", "boundary", "session", "vpce"})

_KIND = "|".join(re.escape(kind) for kind in POLICY_KINDS)
_EXPLICIT = re.compile(
    rf"with an explicit deny in (?:a|an|the) ({_KIND})(?::\s*(arn:[^\s\"',)]+))?", re.IGNORECASE
)
_IMPLICIT = re.compile(rf"because no ({_KIND}) allows", re.IGNORECASE)
_PRINCIPAL = re.compile(
    r"(?:User|Principal|Role)?:?\s*\"?(arn:aws[\w-]*:(?:iam|sts)::[^\s:]*:[^\s\"]+|anonymous)\"?"
    r"\s+is\s+not\s+authorized\s+to\s+perform",
    re.IGNORECASE,
)
_ACTION = re.compile(r"not\s+authorized\s+to\s+perform:?\s*([A-Za-z0-9-]+:[A-Za-z0-9*]+)", re.I)
_RESOURCE = re.compile(r"on\s+resource:?\s*\"?([^\s\"]+)", re.IGNORECASE)
# Line prefixes of Terraform boxes, Markdown quotes and bullet lists.
_LINE_PREFIX = re.compile(r"(?m)^[ \t]*(?:[│╷╵|>][ \t]?|\*[ \t])+")

# Operations whose IAM action is not `<prefix>:<Operation>` (S3 names actions after its REST API).
_ACTION_FOR_OPERATION = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "HeadBucket"): "s3:ListBucket",
    ("s3", "ListObjects"): "s3:ListBucket",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "ListObjectVersions"): "s3:ListBucketVersions",
    ("s3", "DeleteObjects"): "s3:DeleteObject",
    ("s3", "CreateMultipartUpload"): "s3:PutObject",
    ("s3", "UploadPart"): "s3:PutObject",
    ("s3", "CompleteMultipartUpload"): "s3:PutObject",
    ("s3", "ListMultipartUploads"): "s3:ListBucketMultipartUploads",
    ("s3", "ListParts"): "s3:ListMultipartUploadParts",
    ("lambda", "Invoke"): "lambda:InvokeFunction",
}
# Service names as tools print them -> the IAM action prefix.
_PREFIX_FOR_SERVICE = {
    "amazon s3": "s3",
    "awssecuritytokenservice": "sts",
    "amazonidentitymanagement": "iam",
    "cloudwatch logs": "logs",
    "awslogs": "logs",
    "awslambda": "lambda",
    "amazonec2": "ec2",
    "amazondynamodbv2": "dynamodb",
    "secrets manager": "secretsmanager",
    "awssecretsmanager": "secretsmanager",
    "awskms": "kms",
    "amazonsqs": "sqs",
    "amazonsns": "sns",
    "amazonecr": "ecr",
}
# Operations unique enough to name their service when the paste does not.
_SERVICE_FOR_OPERATION = {
    **{op: "s3" for op in ("ListBuckets", "GetObject", "PutObject", "HeadObject", "HeadBucket")},
    **{op: "s3" for op in ("DeleteObject", "ListObjectsV2", "CreateBucket", "CopyObject")},
    **{op: "ec2" for op in ("DescribeInstances", "RunInstances", "DescribeImages")},
    **{op: "sts" for op in ("GetCallerIdentity", "AssumeRole", "GetSessionToken")},
}
_ASSUME_ACTIONS = frozenset({"sts:assumerole", "sts:tagsession", "sts:setsourceidentity"})


@dataclass(frozen=True)
class Denial:
    """What an access-denied message says. Every field may be unknown (empty)."""

    principal: str = ""
    action: str = ""
    action_source: str = ""  # "the error text" or "the operation <Op>"
    resource: str = ""
    explicit: bool = False
    policy_kind: str = ""  # one of POLICY_KINDS, as AWS words it
    policy_arn: str = ""
    encoded_message: str = ""

    @property
    def kind_code(self) -> str:
        return POLICY_KINDS.get(self.policy_kind.lower(), "")

    @property
    def is_assume_role(self) -> bool:
        return self.action.lower() in _ASSUME_ACTIONS


def flatten(text: str) -> str:
    """One line: terminals, Terraform boxes and SDK wrappers break messages mid-sentence."""
    text = text.replace("\\n", " ").replace('\\"', '"')
    return re.sub(r"\s+", " ", _LINE_PREFIX.sub("", text))


def _encoded(text: str) -> str:
    found = re.search(r"Encoded authorization failure message:\s*([A-Za-z0-9_-]{20,})", text)
    return found.group(1) if found else ""


def parse(text: str, operation: str = "", service: str = "") -> Denial:
    """Parse the denial out of a paste; `operation`/`service` come from the matcher's facts."""
    flat = flatten(text)
    principal = _PRINCIPAL.search(flat)
    action = _ACTION.search(flat)
    resource = _RESOURCE.search(flat)
    explicit = _EXPLICIT.search(flat)
    implicit = _IMPLICIT.search(flat)
    kind = explicit or implicit
    action_text, source = (action.group(1), "the error text") if action else ("", "")
    if not action_text and operation:
        action_text = action_for_operation(operation, service)
        source = f"the operation {operation}" if action_text else ""
    return Denial(
        principal=principal.group(1) if principal else "",
        action=action_text,
        action_source=source,
        resource=_clean_resource(resource.group(1)) if resource else "",
        explicit=explicit is not None,
        policy_kind=kind.group(1).lower() if kind else "",
        policy_arn=(explicit.group(2) or "").rstrip(".") if explicit else "",
        encoded_message=_encoded(text),
    )


def _clean_resource(value: str) -> str:
    value = value.rstrip(".,;)'\"")
    # Markdown bold around a pasted message leaves `**` behind; `/*` and `*` are real resources.
    return re.sub(r"(?<=[^/*])\*\*$", "", value)


def iam_prefix(service: str) -> str:
    key = service.strip().lower()
    if key in _PREFIX_FOR_SERVICE:
        return _PREFIX_FOR_SERVICE[key]
    return re.sub(r"^(?:amazon|aws)\s*", "", key).replace(" ", "")


def action_for_operation(operation: str, service: str = "") -> str:
    """The IAM action an API operation needs, when the service is known or implied."""
    prefix = iam_prefix(service) if service else _SERVICE_FOR_OPERATION.get(operation, "")
    if not prefix:
        return ""
    return _ACTION_FOR_OPERATION.get((prefix, operation), f"{prefix}:{operation}")


def role_of_session(arn: str) -> str:
    """`arn:aws:sts::1:assumed-role/R/s` -> `arn:aws:iam::1:role/R` (the path is not in the ARN)."""
    found = re.match(r"arn:(aws[\w-]*):sts::([^:]*):assumed-role/([^/]+)/", arn)
    if not found:
        return arn
    partition, account, role = found.groups()
    return f"arn:{partition}:iam::{account}:role/{role}"


def _resource_for(denial: Denial) -> str:
    if denial.resource and denial.resource not in ("***", "<resource>"):
        return denial.resource
    verb = denial.action.split(":", 1)[-1]
    if verb.startswith(("List", "Describe")) or verb == "GetCallerIdentity":
        return "*"  # these actions mostly take no resource ARN
    return "<resource-arn>"


def policy_statement(denial: Denial) -> str:
    """The least-privilege policy to ask for, as JSON. For a denial that a resource's own policy
    must fix (resource-based, a role's trust), the statement names the principal too."""
    action = denial.action or "<service>:<Action>"
    statement: dict[str, object] = {"Effect": "Allow"}
    if denial.kind_code == "resource" and denial.principal:
        statement["Principal"] = {"AWS": role_of_session(denial.principal)}
    statement.update(Action=action, Resource=_resource_for(denial))
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)


def trust_statement(denial: Denial) -> str:
    """For a refused sts:AssumeRole: the statement the role's trust policy needs."""
    principal = role_of_session(denial.principal) if denial.principal else "<your-user-or-role-arn>"
    actions = ["sts:AssumeRole"]
    if denial.action.lower() == "sts:tagsession":
        actions.append("sts:TagSession")
    elif denial.action.lower() == "sts:setsourceidentity":
        actions.append("sts:SetSourceIdentity")
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": principal},
        "Action": actions[0] if len(actions) == 1 else actions,
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)


def decode_command(encoded: str) -> str:
    """The AWS CLI command that decodes an encoded authorization failure message."""
    return (
        f'aws sts decode-authorization-message --encoded-message "{encoded or "<encoded-message>"}"'
        " --query DecodedMessage --output text"
    )
