"""The baseline a diagnosis is compared with: import boto3, call GetCallerIdentity once."""

import boto3

try:
    print(boto3.client("sts").get_caller_identity()["Arn"])
except Exception as exc:
    print(f"{type(exc).__name__}: {exc}")
