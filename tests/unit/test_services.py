"""Which service a pasted error came from."""

from __future__ import annotations

import pytest

from awsmedic.aws.services import failing_service


@pytest.mark.parametrize(
    ("text", "codes", "service"),
    [
        ("operation error STS: GetCallerIdentity, https response error StatusCode: 403", (), "sts"),
        ("operation error S3: PutObject, https response error", (), "s3"),
        ("operation error CloudWatch Logs: PutLogEvents, https", (), "logs"),
        (
            "The security token included in the request is invalid (Service: AmazonDynamoDBv2; Status Code: 400;",
            (),
            "dynamodb",
        ),
        ("does not exist in our records. (Service: Amazon S3; Status Code: 403;", (), "s3"),
        ("is invalid. (Service: Sts, Status Code: 403, Request ID: x)", (), "sts"),
        ("aws-vault exec production -- aws ec2 describe-instances --region ap-east-1", (), "ec2"),
        ("$ aws s3api list-buckets\nAn error occurred", (), "s3"),
        ("boto3.client('secretsmanager').get_secret_value(SecretId='x')", (), "secretsmanager"),
        ("│ Error: creating IAM Role (x): InvalidClientTokenId: The security token", (), "iam"),
        (
            "An error occurred (InvalidAccessKeyId) when calling the Foo operation",
            ("InvalidAccessKeyId",),
            "s3",
        ),
        ("An error occurred (AuthFailure) when calling the Foo operation", ("AuthFailure",), "ec2"),
        (
            "An error occurred (InvalidClientTokenId) when calling the ListUsers operation",
            (),
            "iam",
        ),
        (
            "An error occurred (InvalidClientTokenId) when calling the AssumeRole operation",
            (),
            "sts",
        ),
        (
            "An error occurred (InvalidClientTokenId) when calling the ListBuckets operation",
            (),
            "s3",
        ),
        (
            "An error occurred (InvalidClientTokenId) when calling the Frobnicate operation",
            (),
            None,
        ),
        ("InvalidClientTokenId: The security token included in the request is invalid.", (), None),
    ],
)
def test_failing_service(text: str, codes: tuple[str, ...], service: str | None) -> None:
    assert failing_service(text, codes) == service
