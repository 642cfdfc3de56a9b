"""What a tool's wrapper says about how the error arose moves that cause up (text only, as
`--no-probes` ranks): the wrapper names the call that failed, or the kind of client that sent it.
"""

from __future__ import annotations

import pytest
from benchmarks.bench_recognition import ranked

GO_V1_DENIED = "AccessDenied: Access denied\n\tstatus code: 403, request id: 171e9092-dcf4-11e8"


@pytest.mark.parametrize(
    "text",
    [
        # aws-iam-authenticator, Go v1 and v2: its token is a presigned URL; only the role it
        # assumes is a call AWS can refuse
        f"could not get token: {GO_V1_DENIED}",
        "could not get token: operation error STS: AssumeRole, https response error StatusCode:"
        " 403, RequestID: 0a5f7c1e-0000-1111-2222-333344445555, api error AccessDenied: Access"
        " denied",
        # the same Go v2 error from any tool: the refused call is named
        "operation error STS: AssumeRole, https response error StatusCode: 403, RequestID:"
        " 0a5f7c1e-0000-1111-2222-333344445555, api error AccessDenied: Access denied",
    ],
)
def test_a_refused_token_call_ranks_the_refused_role_first(text: str) -> None:
    causes = ranked([text])[0]
    assert causes is not None and causes[0] == "assume-role-denied", causes


def test_the_same_denial_without_the_wrapper_stays_a_missing_permission() -> None:
    causes = ranked([GO_V1_DENIED])[0]
    assert causes is not None and causes[0] == "iam-permission-denied", causes


def test_a_refused_web_identity_token_keeps_its_own_cause() -> None:
    text = (
        "could not get token: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"
    )
    causes = ranked([text])[0]
    assert causes is not None and causes[0] == "web-identity-failure", causes


S3_SIGNATURE_BODY = (
    "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does"
    " not match the signature you provided. Check your key and signing method.</Message>"
    "<AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId><RequestId>4F2659BDA1E78A41</RequestId>"
    "</Error>"
)


@pytest.mark.parametrize(
    "text",
    [
        S3_SIGNATURE_BODY,
        f'```xml\n<?xml version="1.0" encoding="UTF-8"?>\n{S3_SIGNATURE_BODY}\n```',
        # the body inside an SDK's exception, but sent from a web page
        "The upload with axios fails: SignatureDoesNotMatch: The request signature we calculated"
        " does not match the signature you provided. Check your key and signing method.",
    ],
)
def test_s3s_body_alone_or_a_browser_request_ranks_the_presigned_url_first(text: str) -> None:
    causes = ranked([text])[0]
    assert causes is not None and causes[0] == "presigned-signature-mismatch", causes


def test_s3s_body_inside_an_sdks_exception_is_not_taken_for_a_presigned_url() -> None:
    text = f"boto.exception.S3ResponseError: S3ResponseError: 403 Forbidden\n{S3_SIGNATURE_BODY}"
    causes = ranked([text])[0]
    assert causes is not None and causes[0] == "secret-mismatch", causes
    assert "presigned-signature-mismatch" not in causes[:5]


@pytest.mark.parametrize(
    ("text", "clock_first"),
    [
        (
            "An error occurred (SignatureDoesNotMatch) when calling the ListBuckets operation:"
            " The request signature we calculated does not match the signature you provided."
            " Check your AWS Secret Access Key and signing method.",
            False,
        ),
        (
            "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity"
            " operation: Signature expired: 20220127T001427Z is now earlier than 20220127T014428Z"
            " (20220127T015928Z - 15 min.)",
            True,
        ),
    ],
)
def test_the_clock_ranks_first_only_when_aws_says_the_time_is_off(
    text: str, clock_first: bool
) -> None:
    causes = ranked([text])[0]
    assert causes is not None
    assert (causes[0] == "clock-skew") is clock_first, causes
    assert "clock-skew" in causes[:3]


REFUSED_KEY = "InvalidClientTokenId: The security token included in the request is invalid."


def test_aws_vaults_failed_delete_after_a_rotation_is_the_new_key_not_yet_accepted() -> None:
    # aws-vault deletes the old key with the key it has just created
    text = f"aws-vault: error: Can't delete old access key ****************ABCD: {REFUSED_KEY}"
    causes = ranked([text])[0]
    assert causes is not None and causes[0] == "new-key-propagation-delay", causes
    # the same IAM call made with a session is refused too, but CreateAccessKey just worked
    assert "session-token-api-restriction" not in causes[:5]


def test_a_rotation_tools_refused_check_ranks_the_keys_a_rotation_leaves_behind() -> None:
    plain = ranked([REFUSED_KEY])[0]
    text = f"Error getting caller identity. Is the key disabled?\n\n{REFUSED_KEY}"
    causes = ranked([text])[0]
    assert plain is not None and causes is not None
    for cause in ("key-inactive", "key-deleted", "new-key-propagation-delay"):
        assert causes.index(cause) < plain.index(cause), (cause, causes, plain)
    assert "key-inactive" in causes[:3]
    # a caller-identity check is the one call every session may make
    assert "session-token-api-restriction" not in causes[:5]


def test_terraforms_old_empty_chain_ranks_a_profile_its_credentials_file_lacks() -> None:
    # aws-sdk-go-base v1 read a named profile from the credentials file only, and said nothing
    # when it was not there: the chain just came up empty
    old = ranked(
        [
            "Error: error configuring Terraform AWS Provider: No valid credential sources"
            " found for AWS Provider.\n\tPlease see https://terraform.io/docs/providers/aws/"
            "index.html for more information on providing credentials for the AWS Provider"
        ]
    )[0]
    assert old is not None
    assert {"profile-not-found", "profile-prefix-confusion"} <= set(old[:4]), old
    # the same words from another Go v1 program carry no such profile lookup
    go = ranked(["NoCredentialProviders: no valid providers in chain. Deprecated."])[0]
    assert go is not None and "profile-not-found" not in go[:5], go


@pytest.mark.parametrize(
    "prompt",
    ["PS C:\\work> terraform plan", "C:\\Users\\me>aws s3 ls", "me@pc MINGW64 ~ $ aws s3 ls"],
)
def test_a_windows_shell_raises_a_key_id_polluted_on_the_way(prompt: str) -> None:
    error = (
        "An error occurred (InvalidClientTokenId) when calling the ListBuckets operation: The"
        " security token included in the request is invalid."
    )
    plain, windows = ranked([error, f"{prompt}\n\n{error}"])
    assert plain is not None and windows is not None
    assert windows.index("stray-characters") < plain.index("stray-characters"), (windows, plain)
    assert "stray-characters" in windows[:3], windows


def test_a_wrapped_not_yet_current_is_still_the_clock() -> None:
    text = (
        "ServerlessError: Signature not yet\n current: 20161008T200637Z is still later than"
        " 20161008T195903Z\n (20161008T195403Z + 5 min.)"
    )
    causes = ranked([text])[0]
    assert causes is not None and causes[0] == "clock-skew", causes


def test_a_console_that_works_in_the_browser_is_no_presigned_url() -> None:
    text = (
        "It works in the browser (console) but the CLI fails: An error occurred"
        " (SignatureDoesNotMatch) when calling the ListBuckets operation: The request signature we"
        " calculated does not match the signature you provided."
    )
    causes = ranked([text])[0]
    assert causes is not None and "presigned-signature-mismatch" not in causes[:3], causes


def test_the_browsers_console_line_for_a_refused_upload_raises_the_presigned_url() -> None:
    # Chrome's console names the failed request; its "(Forbidden)" also reads as a denial
    text = (
        "PUT https://bucket.s3.amazonaws.com/a.png?X=1 403 (Forbidden)\nSignatureDoesNotMatch: The"
        " request signature we calculated does not match the signature you provided."
    )
    causes = ranked([text])[0]
    assert causes is not None and "presigned-signature-mismatch" in causes[:2], causes


def test_a_404_from_the_instances_role_list_raises_the_missing_instance_profile() -> None:
    chain = "NoCredentialProviders: no valid providers in chain. Deprecated."
    answer = (
        "\nGET http://169.254.169.254/latest/meta-data/iam/security-credentials/ resulted in a"
        " `404 Not Found` response"
    )
    plain, with_404 = ranked([chain, chain + answer])
    assert plain is not None and with_404 is not None
    missing = "instance-profile-missing"
    assert with_404.index(missing) < plain.index(missing), (with_404, plain)
    assert with_404.index(missing) < with_404.index("imds-unreachable"), with_404
