"""How an access denial or an unknown key arose, read from how the SDK or tool printed it (text
only, as `--no-probes` ranks): STS named as the service that refused, Terraform's assume_role
failure, Lambda's fetch of its code from S3, the key id S3 or a SigV4 header echoes.
Each mechanism: the message ranks its cause in the top three, a neighbour without it does not.
"""

from __future__ import annotations

import json

import pytest
from benchmarks.bench_recognition import ranked

from awsmedic.cli import main

REQUEST = "Request ID: f653db4d-758d-11e9-9937-f98637d21cb3"


def causes_of(text: str) -> list[str]:
    causes = ranked([text])[0]
    assert causes is not None, text
    return causes


def scores_of(text: str, capsys: pytest.CaptureFixture[str]) -> dict[str, int]:
    assert main(["diagnose", "--no-probes", "--no-input", "--format", "json", text]) == 0
    output = json.loads(capsys.readouterr().out)
    return {candidate["cause"]: candidate["score"] for candidate in output["candidates"]}


@pytest.mark.parametrize(
    ("refused_by_sts", "refused_elsewhere"),
    [
        # Java v1: "(Service: ...; Status Code: ...; Error Code: ...; Request ID: ...)"
        (
            f"Access denied (Service: AWSSecurityTokenService; Status Code: 403; Error Code:"
            f" AccessDenied; {REQUEST})",
            f"Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied;"
            f" {REQUEST})",
        ),
        # Ruby: a class per error code under the service's module
        (
            "Aws::STS::Errors::AccessDenied: Access denied",
            "Aws::S3::Errors::AccessDenied: Access Denied",
        ),
        # PHP: the call's name in the exception's message
        (
            'Error executing "AssumeRole" on "https://sts.amazonaws.com"; AWS HTTP error: Client'
            " error: `POST https://sts.amazonaws.com` resulted in a `403 Forbidden` response:"
            " AccessDenied (client): Access denied",
            'Error executing "GetObject" on "https://bucket.s3.amazonaws.com/key"; AWS HTTP error:'
            " Client error: `GET https://bucket.s3.amazonaws.com/key` resulted in a `403"
            " Forbidden` response: AccessDenied (client): Access Denied",
        ),
    ],
)
def test_access_denied_by_sts_is_a_refused_role(
    refused_by_sts: str, refused_elsewhere: str
) -> None:
    assert causes_of(refused_by_sts)[0] == "assume-role-denied"
    assert "assume-role-denied" not in causes_of(refused_elsewhere)[:3]


TERRAFORM_OLD = (
    'Error configuring the backend "s3": The role "arn:aws:iam::123456789012:role/Terraform"'
    " cannot be assumed.\n\n"
    "  There are a number of possible causes of this - the most common are:\n"
    "    * The credentials used in order to assume the role are invalid\n"
    "    * The credentials do not have appropriate permission to assume the role\n"
    "    * The role ARN is not valid"
)
TERRAFORM_NOW = (
    "Error: Cannot assume IAM Role\n\n"
    "IAM Role (arn:aws:iam::123456789012:role/deploy) cannot be assumed.\n\n"
    "There are a number of possible causes of this - the most common are:\n"
    "  * The credentials used in order to assume the role are invalid\n"
    "  * The credentials do not have appropriate permission to assume the role\n"
    "  * The role ARN is not valid\n\n"
    "Error: operation error STS: AssumeRole, https response error StatusCode: 403, RequestID:"
    " 0a5f7c1e-0000-1111-2222-333344445555, api error AccessDenied: User:"
    " arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on"
    " resource: arn:aws:iam::123456789012:role/deploy"
)


@pytest.mark.parametrize("text", [TERRAFORM_OLD, TERRAFORM_NOW])
def test_terraform_cannot_assume_the_role(text: str) -> None:
    # an assume-role failure, and Terraform's assume_role cannot send an MFA code
    top3 = causes_of(text)[:3]
    assert "assume-role-denied" in top3 and "mfa-required" in top3, top3


def test_terraform_weighs_mfa_more_than_a_plain_role_refusal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    plain = "operation error" + TERRAFORM_NOW.split("Error: operation error")[1]
    terraform, sdk = scores_of(TERRAFORM_NOW, capsys), scores_of(plain, capsys)
    mfa_share = terraform["mfa-required"] / terraform["assume-role-denied"]
    assert mfa_share > sdk["mfa-required"] / sdk["assume-role-denied"], (terraform, sdk)


LAMBDA_FROM_S3 = (
    "Error creating Lambda function: AccessDeniedException: Your access has been denied by S3,"
    " please make sure your request credentials have permission to GetObject for"
    " my-bucket/code.zip. S3 Error Code: AccessDenied. S3 Error Message: Access Denied"
)


def test_lambda_fetching_its_code_from_s3() -> None:
    causes = causes_of(LAMBDA_FROM_S3)
    assert causes[0] == "iam-permission-denied"
    assert "mfa-required" in causes[:3] and "denied-beyond-identity-policy" in causes[:3], causes
    plain = "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied"
    assert "mfa-required" not in causes_of(plain)[:3]


def s3_unknown_key(key_id: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidAccessKeyId</Code><Message>'
        "The AWS Access Key Id you provided does not exist in our records.</Message>"
        f"<AWSAccessKeyId>{key_id}</AWSAccessKeyId><RequestId>AEAC7AA329BBE037</RequestId></Error>"
    )


def test_s3_echoes_an_empty_key_id_when_none_was_sent() -> None:
    assert "no-credentials" in causes_of(s3_unknown_key(""))[:3]
    for sent in ("AKIAZZZZZZZZZZZZZZZZ", "minioadmin"):
        assert "no-credentials" not in causes_of(s3_unknown_key(sent))[:3], sent


def sigv4_refused(key_id: str) -> str:
    return (
        '[debug] Request HEADERS: [{"Authorization", "AWS4-HMAC-SHA256'
        f" Credential={key_id}/20160920/us-east-1/sqs/aws4_request,"
        'SignedHeaders=content-type;host;x-amz-date,Signature=0123abcd"}]\n'
        "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The"
        " security token included in the request is invalid.</Message></Error></ErrorResponse>"
    )


def test_a_signed_header_names_a_key_id_that_is_no_key_id() -> None:
    top3 = causes_of(sigv4_refused("65"))[:3]
    assert "key-typo" in top3 and "placeholder-credentials" in top3, top3
    for sent in ("AKIAZZZZZZZZZZZZZZZZ", "AKIA************"):
        assert "key-typo" not in causes_of(sigv4_refused(sent))[:3], sent
