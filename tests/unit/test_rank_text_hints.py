"""Text hints that rank what the text shows: a HEAD 403 may be a resource policy's refusal, a
refusal in an opt-in region may be the region's, a timeout at instance metadata's address is
instance metadata's, not the network's to AWS."""

from __future__ import annotations

import json

import pytest

from awsmedic.cli import main


def ranked(capsys: pytest.CaptureFixture[str], text: str) -> list[str]:
    status = main(["diagnose", "--no-probes", "--no-input", "--format", "json", text])
    output = json.loads(capsys.readouterr().out)
    assert status == 0
    return [candidate["cause"] for candidate in output["candidates"]]


def test_a_head_403_also_suspects_a_resource_policy(capsys: pytest.CaptureFixture[str]) -> None:
    text = "fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden"
    causes = ranked(capsys, text)
    assert causes[0] == "iam-permission-denied"
    assert "denied-beyond-identity-policy" in causes[:5]


def test_a_head_400_does_not(capsys: pytest.CaptureFixture[str]) -> None:
    text = "An error occurred (400) when calling the HeadObject operation: Bad Request"
    assert "denied-beyond-identity-policy" not in ranked(capsys, text)


@pytest.mark.parametrize("region", ["me-south-1", "ap-east-1", "af-south-1"])
def test_a_role_refused_in_an_opt_in_region_suspects_the_region(
    capsys: pytest.CaptureFixture[str], region: str
) -> None:
    text = (
        f"provider region {region}\n"
        "Error: IAM Role (arn:aws:iam::123456789012:role/deploy) cannot be assumed. There are a"
        " number of possible causes of this - the most common are:\n"
        "  * The credentials used in order to assume the role are invalid"
    )
    causes = ranked(capsys, text)
    assert causes[0] == "assume-role-denied"
    assert "opt-in-region-disabled" in causes[:5]


def test_a_commercial_region_does_not(capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "provider region eu-west-1\n"
        "Error: IAM Role (arn:aws:iam::123456789012:role/deploy) cannot be assumed. There are a"
        " number of possible causes of this - the most common are:"
    )
    assert "opt-in-region-disabled" not in ranked(capsys, text)


@pytest.mark.parametrize(
    "text",
    [
        'Connect timeout on endpoint URL: "http://169.254.169.254/latest/api/token"',
        "botocore.exceptions.ReadTimeoutError: Read timeout on endpoint URL:"
        ' "http://169.254.169.254/latest/meta-data/iam/security-credentials/"',
        'Could not connect to the endpoint URL: "http://[fd00:ec2::254]/latest/api/token"',
        # a program that asks instance metadata itself, through requests (corpus fo48) or Go
        "requests.exceptions.ReadTimeout: HTTPConnectionPool(host='169.254.169.254', port=80):"
        " Read timed out. (read timeout=5.0)",
        "requests.exceptions.ConnectTimeout: HTTPConnectionPool(host='169.254.169.254',"
        " port=80): Max retries exceeded with url: /latest/api/token",
        'Get "http://169.254.169.254/latest/meta-data/iam/security-credentials/": dial tcp'
        " 169.254.169.254:80: i/o timeout",
    ],
)
def test_a_timeout_at_instance_metadata_is_instance_metadata(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    causes = ranked(capsys, text)
    assert causes[0] == "imds-unreachable"
    assert "network-unreachable" not in causes[:3]


def test_a_timeout_at_an_aws_endpoint_is_still_the_network(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = 'Connect timeout on endpoint URL: "https://sts.eu-west-1.amazonaws.com/"'
    assert ranked(capsys, text)[0] == "network-unreachable"


def test_an_anonymous_caller_suspects_a_request_sent_without_credentials(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        '{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource:'
        ' arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/items"}'
    )
    assert "no-credentials" in ranked(capsys, text)[:2]
    named = text.replace("anonymous", "arn:aws:sts::123456789012:assumed-role/app/session")
    assert "no-credentials" not in ranked(capsys, named)[:3]


@pytest.mark.parametrize(
    "command",
    [
        "aws --endpoint-url=http://localhost:4566 s3 cp build.zip s3://artifacts/",
        "AWS_ENDPOINT_URL=http://127.0.0.1:4566 aws s3 cp build.zip s3://artifacts/",
    ],
)
def test_a_refusal_after_setting_an_endpoint_suspects_the_endpoint(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    text = (
        f"$ {command}\nupload failed: ./build.zip to s3://artifacts/build.zip An error occurred"
        " (AccessDenied) when calling the PutObject operation: Access Denied"
    )
    causes = ranked(capsys, text)
    assert causes[0] == "iam-permission-denied"
    assert "endpoint-override" in causes[:5]


def test_a_refusal_without_an_endpoint_does_not(capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "$ aws s3 cp build.zip s3://artifacts/\nupload failed: ./build.zip to"
        " s3://artifacts/build.zip An error occurred (AccessDenied) when calling the PutObject"
        " operation: Access Denied"
    )
    assert "endpoint-override" not in ranked(capsys, text)


def test_rusts_bare_invalid_configuration_suspects_a_tool_built_without_a_feature(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The Rust SDK's top line hides whether the profile is broken or needs a cargo feature."""
    bare = (
        "Error: dispatch failure\n  Caused by: the credentials provider was not properly configured"
    )
    assert "tool-too-old-for-config" in ranked(capsys, bare)[:3]


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        # botocore's instance metadata provider is "iam-role": instance metadata, not a helper
        (
            "Error when retrieving credentials from iam-role: Credential refresh failed, response"
            " did not contain: access_key, secret_key, token, expiry_time",
            "imds-unreachable",
        ),
        # Go: the source profile's keys are not in the credentials file this process reads
        (
            "panic: SharedConfigAssumeRoleError: failed to load assume role for"
            " arn:aws:iam::123456789012:role/Admin, source profile has no shared credentials",
            "credentials-file-location",
        ),
        # a credential scope of six parts: the key id has a slash (a secret key in its place)
        (
            "IncompleteSignature: Credential must have exactly 5 slash-delimited elements, e.g."
            " keyid/date/region/service/term, got 'wJalrXUtnFEMI/K7MDENG/20170117/us-east-1/iam/"
            "aws4_request'",
            "key-typo",
        ),
        # S3's refusal of an unsigned request: sign it with credentials
        (
            "An error occurred (AccessDenied) when calling the CreateMultipartUpload operation:"
            " Anonymous users cannot initiate multipart uploads.  Please authenticate.",
            "no-credentials",
        ),
        # Go v1: a profile that names two kinds of credentials
        (
            "Error creating AWS session: SharedConfigErr: only one credential type may be"
            " specified per profile: source profile, credential source, credential process, web"
            " identity token, or sso",
            "config-file-syntax",
        ),
    ],
)
def test_a_providers_own_words_rank_its_cause(
    capsys: pytest.CaptureFixture[str], text: str, cause: str
) -> None:
    assert cause in ranked(capsys, text)[:3]


def test_s3s_expired_request_is_a_presigned_url_first(capsys: pytest.CaptureFixture[str]) -> None:
    """S3 says "Request has expired" (AccessDenied) of a presigned URL past its time; another
    service's RequestExpired is a request signed too long ago: the clock first."""
    s3 = (
        "An error occurred (AccessDenied) when calling the GetObject operation: Request has expired"
    )
    assert ranked(capsys, s3)[0] == "presigned-url-expired"
    ec2 = "An error occurred (RequestExpired) when calling the DescribeInstances operation: Request has expired."
    assert ranked(capsys, ec2)[0] == "clock-skew"


def test_serverless_missing_profile_line_is_read(capsys: pytest.CaptureFixture[str]) -> None:
    """Serverless reads a profile's keys only: an SSO profile of ~/.aws/config "does not exist"
    for it. Its line alone opens the general check; within a longer message, those words are
    that message's."""
    causes = ranked(capsys, "  Serverless Error ----\n\n  Profile dev does not exist\n")
    assert causes[0] == "profile-not-found"
    assert "tool-too-old-for-config" in causes[:5]


def test_a_bedrock_api_key_alone_suspects_a_tool_that_cannot_send_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        "$ export AWS_BEARER_TOKEN_BEDROCK=<key>\n$ python app.py\n"
        "botocore.exceptions.NoCredentialsError: Unable to locate credentials"
    )
    assert "tool-too-old-for-config" in ranked(capsys, text)[:2]


QUOTED_FILE = (
    "$ cat ~/.aws/credentials\n"
    "[staging]\n"
    "aws_access_key_id = '<snip>'\n"
    "aws_secret_access_key = '<snip>'\n"
    "$ aws s3 ls --profile staging\n"
)


@pytest.mark.parametrize(
    "error",
    [
        "An error occurred (InvalidClientTokenId) when calling the ListBuckets operation: The"
        " security token included in the request is invalid.",
        "An error occurred (SignatureDoesNotMatch) when calling the ListBuckets operation: The"
        " request signature we calculated does not match the signature you provided. Check your"
        " key and signing method.",
    ],
)
def test_quoted_values_in_a_pasted_credentials_file_rank_stray_characters_first(
    capsys: pytest.CaptureFixture[str], error: str
) -> None:
    """botocore keeps the quotes around a value of the shared files: the key id or secret AWS
    gets has them (eb-cli's thread: the values were wrapped in single quotes)."""
    text = QUOTED_FILE + error
    assert ranked(capsys, text)[0] == "stray-characters"


def test_quoted_keyword_arguments_of_a_call_are_no_such_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Python's `aws_access_key_id='…',` in a boto3 call is quoted because it is code."""
    text = (
        "s3 = boto3.client(\n    's3',\n    aws_access_key_id='AKIAEXAMPLEKEY',\n"
        "    aws_secret_access_key='<snip>',\n)\n"
        "botocore.exceptions.ClientError: An error occurred (InvalidClientTokenId) when calling"
        " the ListBuckets operation: The security token included in the request is invalid."
    )
    assert ranked(capsys, text)[0] != "stray-characters"


# STS's answer for a SAML provider it does not have (saml2aws, aws-okta and aws-adfs threads)
SAML_PROVIDER_MISSING = (
    "InvalidIdentityToken: Specified provider doesn't exist (Service: AWSOpenIdDiscoveryService;"
    " Status Code: 400; Error Code: AuthSamlManifestNotFoundException; Request ID: 0f1e2d3c)"
)


def test_a_saml_provider_missing_in_a_govcloud_sign_in_is_the_partition(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        "$ aws-adfs login --adfs-host fs.example.com --profile gov --region us-gov-west-1\n"
        "error assuming role with SAML: " + SAML_PROVIDER_MISSING
    )
    assert ranked(capsys, text)[0] == "wrong-partition"


def test_a_saml_provider_missing_elsewhere_is_the_assertion_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No other partition named: the provider ARN of the assertion first, the partition still
    among the candidates (a tool may have sent the call to the standard STS)."""
    causes = ranked(
        capsys, "> Requesting AWS credentials using SAML assertion\n> " + SAML_PROVIDER_MISSING
    )
    assert causes[0] == "saml-assertion-invalid"
    assert "wrong-partition" in causes[:5]


def test_a_fresh_sso_sign_in_before_no_credentials_suspects_an_old_tool(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`aws sso login` succeeded in the paste: the sign-in is not what expired."""
    text = (
        "$ aws sso login --profile dev\n"
        "Successfully logged into Start URL: https://example.awsapps.com/start#/\n"
        "$ steampipe query\n"
        "Error: NoCredentialProviders: no valid providers in chain. Deprecated.\n"
    )
    causes = ranked(capsys, text)
    assert "tool-too-old-for-config" in causes[:2]
    assert causes.index("tool-too-old-for-config") < causes.index("sso-session-expired")


def test_a_tool_that_says_it_went_on_anonymously_found_no_credentials(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        "WRN using anonymous credentials to connect S3 region=us-east-1\n"
        "operation error S3: PutObject, https response error StatusCode: 403, RequestID:"
        " 1A2B3C4D5E6F7A8B, HostID: abc=, api error AccessDenied: Access Denied"
    )
    assert "no-credentials" in ranked(capsys, text)[:2]
