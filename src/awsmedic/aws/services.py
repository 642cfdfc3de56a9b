"""Which AWS service a pasted error came from, as a botocore client name (`s3`, `sts`, `ec2`).

Tools say it in different ways: the Go SDK (`operation error S3: PutObject`), the Java SDK
(`Service: Amazon S3`), the command line (`aws s3 ls`), boto3 (`client('dynamodb')`), codes that
only one service uses (S3's `InvalidAccessKeyId`, EC2's `AuthFailure`), or the operation name.
Pure functions over the text; unknown stays unknown (None).
"""

from __future__ import annotations

import re

_GO = re.compile(r"operation error ([A-Za-z0-9 ]+?):")
_JAVA = re.compile(r"Service: ([A-Za-z0-9 ]+?)[;,)]")
_CLI = re.compile(r"(?:^|[\s;|&(])aws\s+([a-z0-9][a-z0-9-]*)\s+[a-z]", re.MULTILINE)
_TERRAFORM = re.compile(
    r"\b(?:creating|reading|updating|deleting) (IAM|S3|EC2|KMS|Lambda|DynamoDB)\b"
)
_BOTO3 = re.compile(r"""\bclient\(\s*(?:service_name\s*=\s*)?['"]([a-z0-9-]+)['"]""")
_OPERATION = re.compile(r"when calling the (\w+) operation|operation error [^:]+: (\w+)")

#: Java/Go/.NET service names that are not simply the client name.
_NAMES = {
    "amazons3": "s3",
    "awssecuritytokenservice": "sts",
    "amazonidentitymanagement": "iam",
    "amazondynamodbv2": "dynamodb",
    "amazonec2": "ec2",
    "awslambda": "lambda",
    "amazoncloudwatch": "cloudwatch",
    "amazoncloudwatchlogs": "logs",
    "cloudwatchlogs": "logs",
    "awskms": "kms",
    "amazonsqs": "sqs",
    "amazonsns": "sns",
    "amazonkinesis": "kinesis",
    "awssecretsmanager": "secretsmanager",
    "amazonecr": "ecr",
    "amazonecs": "ecs",
    "awsorganizations": "organizations",
    "amazonrds": "rds",
    "amazoncloudformation": "cloudformation",
    "awscloudformation": "cloudformation",
    "amazonroute53": "route53",
    "awsstepfunctions": "stepfunctions",
    "sfn": "stepfunctions",
    "awssimplesystemsmanagement": "ssm",
    "cloudwatch logs": "logs",
}
#: CLI command names that are not client names.
_CLI_NAMES = {"s3api": "s3", "configure": "sts", "sso": "sts", "login": "sts", "logs": "logs"}
#: Error codes only one service answers with.
_CODES = {"InvalidAccessKeyId": "s3", "InvalidToken": "s3", "AuthFailure": "ec2"}
_STS_OPS = {
    "GetCallerIdentity",
    "AssumeRole",
    "AssumeRoleWithSAML",
    "AssumeRoleWithWebIdentity",
    "GetSessionToken",
    "GetFederationToken",
    "GetAccessKeyInfo",
    "DecodeAuthorizationMessage",
}
_S3_OPS = re.compile(
    r"^(?:ListBuckets|ListObjects(?:V2)?|(?:Get|Put|Head|Delete|Copy|Restore)Object\w*|"
    r"HeadBucket|CreateBucket|DeleteBucket|GetBucket\w+|PutBucket\w+|\w*MultipartUpload|UploadPart)$"
)
_IAM_OPS = re.compile(
    r"^(?:List|Get|Create|Delete|Update|Attach|Detach|Put|Tag|Untag|Add|Remove)"
    r"(?:Users?|Roles?|Groups?|AccessKeys?|Policy|Policies|PolicyVersions?|RolePolicy|UserPolicy|"
    r"LoginProfile|AccountSummary|AccountAlias(?:es)?|InstanceProfiles?|MFADevices?|"
    r"AccountAuthorizationDetails|OpenIDConnectProviders?|SAMLProviders?|ServiceLinkedRole|"
    r"AccessKeyLastUsed|RoleToInstanceProfile|UserToGroup)\w*$"
)
_EC2_OPS = re.compile(
    r"^(?:Describe(?:Instances|Regions|AvailabilityZones|Vpcs|Subnets|SecurityGroups|Images|"
    r"Volumes|KeyPairs|Snapshots|InstanceStatus)|RunInstances|StartInstances|StopInstances|"
    r"TerminateInstances|CreateTags)$"
)


def _by_name(name: str) -> str:
    key = name.strip().lower()
    compact = key.replace(" ", "")
    return _NAMES.get(key) or _NAMES.get(compact) or compact.removeprefix("amazon")


def _by_operation(operation: str) -> str | None:
    if operation in _STS_OPS:
        return "sts"
    for pattern, service in ((_S3_OPS, "s3"), (_IAM_OPS, "iam"), (_EC2_OPS, "ec2")):
        if pattern.match(operation):
            return service
    return None


def failing_service(text: str, codes: tuple[str, ...] = ()) -> str | None:
    """The botocore client name of the service that refused the request, when the text says."""
    for pattern, convert in (
        (_GO, _by_name),
        (_JAVA, _by_name),
        (_BOTO3, str),
        (_TERRAFORM, _by_name),
        (_CLI, lambda name: _CLI_NAMES.get(name, name)),
    ):
        found = pattern.search(text)
        if found:
            return convert(found.group(1))
    for code in codes:
        if code in _CODES:
            return _CODES[code]
    for found in _OPERATION.finditer(text):
        service = _by_operation(found.group(1) or found.group(2))
        if service:
            return service
    return None
