"""Rules the thirty-eighth batch's development texts showed were missing: an AWS host name with
typographic quotes in it (a region copied with its quotes from a web page: the SSM agent's
hybrid registration, hv34) is stray characters, and S3's refusal of headers a signature did not
cover (a presigner that left out the host, hw04) is a presigned signature mismatch, not a
missing permission."""

from __future__ import annotations

import pytest

from tests.unit.offline_json import diagnosed, leading, step_text, text_only

QUOTED_REGION = (
    "2018-10-10 09:27:11 ERROR Registration failed due to error registering the instance with"
    " AWS SSM. RequestError: send request failed\n"
    "caused by: Post https://ssm.%E2%80%9Cus-east-1%E2%80%9D.amazonaws.com/: dial tcp: lookup"
    " ssm.xn--us-east-1-9b0eua.amazonaws.com on 8.8.8.8:53: no such host"
)
UNSIGNED_HOST = (
    "<Error>\n  <Code>AccessDenied</Code>\n"
    "  <Message>There were headers present in the request which were not signed</Message>\n"
    "  <HeadersNotSigned>host</HeadersNotSigned>\n</Error>"
)


def test_a_region_with_its_quotes(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, QUOTED_REGION)[0] == "stray-characters"
    output = diagnosed(capsys, QUOTED_REGION)
    assert leading(output) == "stray-characters"
    assert "Type the region again with plain characters" in output["steps"][0]["text"]
    # an unknown host name without them is the network or the region's name
    plain = (
        QUOTED_REGION.replace("%E2%80%9C", "")
        .replace("%E2%80%9D", "")
        .replace("xn--us-east-1-9b0eua", "us-east-7")
    )
    assert text_only(capsys, plain)[0] != "stray-characters"


def test_headers_the_signature_left_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, UNSIGNED_HOST)[0] == "presigned-signature-mismatch"
    refused = (
        "<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
        "<RequestId>4442587FB7D0A2F9</RequestId></Error>"
    )
    assert text_only(capsys, refused)[0] != "presigned-signature-mismatch"


# the AWS SDK for Java v2 asked for SigV4a (an S3 Multi-Region Access Point) without its CRT
# signer module (the forty-first batch's ic15)
JAVA_SIGV4A = (
    "software.amazon.awssdk.core.exception.SdkException: Failed to determine how to authenticate"
    " the user: 'aws.auth#sigv4a' signer could not be retrieved: Could not load class. You must"
    " add a dependency on the 'software.amazon.awssdk:http-auth-aws-crt' module to enable the"
    " CRT-V4a signing feature:"
)


def test_the_java_sdks_crt_signer(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, JAVA_SIGV4A)[0] == "botocore-crt-missing"
    steps = step_text(diagnosed(capsys, JAVA_SIGV4A))
    assert "http-auth-aws-crt" in steps and "pip install" not in steps
    python = (
        "botocore.exceptions.MissingDependencyException: Missing Dependency: Using S3 with an MRAP"
        ' arn requires an additional dependency. You will need to pip install "botocore[crt]"'
        " before proceeding."
    )
    steps = step_text(diagnosed(capsys, python))
    assert "botocore[crt]" in steps and "http-auth-aws-crt" not in steps
