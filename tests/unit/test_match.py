"""The matcher against real error texts (the `d...` entries of tests/data/corpus/dev.jsonl)."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.bench_recognition import first_entries

from awsmedic.core.match import MAX_PASTE_CHARS, Matcher, normalise, prepare, signals_used
from awsmedic.kb import load_checked, shipped_dir

CORPUS = first_entries()

#: Which tree each error code belongs to. Grows with the knowledge base.
FAMILY = {
    "InvalidClientTokenId": "invalid-client-token-id",
    "UnrecognizedClientException": "invalid-client-token-id",
    "InvalidAccessKeyId": "invalid-client-token-id",
    "InvalidToken": "invalid-client-token-id",
    "AuthFailure": "invalid-client-token-id",
    "NoCredentialProviders": "no-credentials",
    "CredentialsProviderError": "no-credentials",
    # issue 4: signatures, clocks and expiry
    "SignatureDoesNotMatch": "signature-does-not-match",
    "InvalidSignatureException": "signature-does-not-match",
    "RequestTimeTooSkewed": "request-time-skewed",
    "RequestExpired": "request-time-skewed",
    "ExpiredToken": "expired-token",
    "ExpiredTokenException": "expired-token",
    "AuthorizationHeaderMalformed": "s3-wrong-region",
    "PermanentRedirect": "s3-wrong-region",
    "IllegalLocationConstraintException": "s3-wrong-region",
    # issue 6: refused actions, account state, network
    "AccessDenied": "access-denied",
    "AccessDeniedException": "access-denied",
    "UnauthorizedOperation": "access-denied",
    "SubscriptionRequiredException": "subscription-required",
    "EndpointConnectionError": "connection-failed",
    "ConnectTimeout": "connection-failed",
    "SSLError": "ssl-or-proxy",
    "ProxyConnectionError": "ssl-or-proxy",
    # issue 5: where credentials come from
    "NoCredentialsError": "no-credentials",
    "CredentialsError": "no-credentials",
    "PartialCredentialsError": "partial-credentials",
    "ProfileNotFound": "profile-not-found",
    "ConfigParseError": "config-parse-error",
    "ConfigNotFound": "config-parse-error",
    "NoRegionError": "no-region",
    "InvalidRegionError": "invalid-region",
    "InvalidConfigError": "invalid-config",
    "InfiniteLoopConfigError": "invalid-config",
    "CredentialRetrievalError": "credential-retrieval",
    "UnauthorizedSSOTokenError": "sso-session",
    "SSOTokenLoadError": "sso-session",
    "TokenRetrievalError": "sso-session",
    "UnauthorizedException": "sso-session",
    "InvalidGrantException": "sso-session",
    "LoginRefreshRequired": "console-login",
    "InvalidIdentityToken": "web-identity",
    "EC2RoleRequestError": "instance-metadata",
}


#: Texts an S3-compatible store answered in its own words, though the user meant AWS (the
#: look-alike's line names the endpoint): test_lookalikes.
ANSWERED_BY_A_STORE = {"d049", "d102"}


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_checked([shipped_dir()]))


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param(e, id=e["id"])
        for e in CORPUS
        if e["error_code"] in FAMILY
        and e["cause"] != "not-aws"  # controls: test_lookalikes
        and e["id"] not in ANSWERED_BY_A_STORE
    ],
)
def test_corpus_texts_are_recognised_as_their_family(
    matcher: Matcher, entry: dict[str, str]
) -> None:
    recognition = matcher.recognise(entry["text"])
    assert recognition.best is not None
    assert recognition.best.tree == FAMILY[entry["error_code"]]


@pytest.mark.parametrize(
    "text",
    [
        "hello world",
        'Traceback (most recent call last):\n  File "x.py", line 1\nZeroDivisionError: division by zero',
        "npm ERR! code ENOENT\nnpm ERR! syscall open",
        "",
        "\x1b[31m\x1b[0m",
        "the token is fine and the request is valid",
        # Every JavaScript TypeError reads so; only the credentials' key id makes it AWS's.
        "TypeError: Cannot read properties of undefined (reading 'length')",
        "TypeError: Cannot read property 'secret' of undefined",
    ],
)
def test_text_that_is_not_an_aws_error_matches_nothing(matcher: Matcher, text: str) -> None:
    assert matcher.recognise(text).matches == ()


def test_an_exact_code_outranks_a_fuzzy_phrase(matcher: Matcher) -> None:
    text = "Unable to locate credentials\nAn error occurred (InvalidClientTokenId) when calling X"
    matches = matcher.recognise(text).matches
    assert [m.tree for m in matches][:2] == ["invalid-client-token-id", "no-credentials"]
    assert matches[0].how == "code" and matches[1].how == "phrase"
    assert matches[0].score > matches[1].score


def test_wrapping_and_volatile_parts_are_normalised(matcher: Matcher) -> None:
    text = (
        "\x1b[31m│ Error: validating provider credentials: retrieving caller identity from STS: "
        "operation error STS: GetCallerIdentity, https response error StatusCode: 403, "
        "RequestID: 5ec86bdf-08d2-4b9b-b7bf-5d4089165aea, api error InvalidClientTokenId: "
        "The security token included in the request is invalid.\x1b[0m\r\n"
        '│   with provider["registry.terraform.io/hashicorp/aws"] in arn:aws:iam::123456789012:role/x'
    )
    recognition = matcher.recognise(text)
    assert recognition.best is not None and recognition.best.tree == "invalid-client-token-id"
    assert recognition.tool == "terraform"
    assert recognition.facts["operation"].value == "GetCallerIdentity"
    assert recognition.facts["service"].value == "sts"
    normalised = normalise(prepare(text)[0])
    # Request ids are noise; ARNs and accounts are kept: a phrase's slot may stand for them.
    assert "5ec86bdf" not in normalised and "\x1b" not in normalised and "│" not in normalised
    assert "arn:aws:iam::123456789012:role/x" in normalised


def test_phrase_only_texts_are_recognised_without_a_code(matcher: Matcher) -> None:
    recognition = matcher.recognise(
        'Unable to locate credentials. You can configure credentials by running "aws configure".'
    )
    assert recognition.best is not None and recognition.best.tree == "no-credentials"
    assert recognition.tool == "aws-cli"


def test_huge_pastes_keep_head_and_tail(matcher: Matcher) -> None:
    text = (
        "noise line\n" * 200_000
        + "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation"
    )
    recognition = matcher.recognise(text)
    assert recognition.truncated
    assert recognition.best is not None and recognition.best.tree == "invalid-client-token-id"
    assert len(prepare(text)[0]) <= MAX_PASTE_CHARS + 10


def test_signals_come_from_the_text(matcher: Matcher) -> None:
    """Only the signals the matched trees branch on are looked for (their patterns compile
    lazily); error codes always are."""
    recognition = matcher.recognise(
        "An error occurred (InvalidClientTokenId) when calling the AssumeRole operation in eu-south-1"
    )
    assert {"operation-assume-role", "code:InvalidClientTokenId"} <= recognition.signals
    used = set().union(
        *(signals_used(matcher.knowledge.trees[m.tree]) for m in recognition.matches)
    )
    assert {s for s in recognition.signals if not s.startswith("code:")} <= used
    assert recognition.facts["region"].value == "eu-south-1"


def test_a_tool_that_wraps_another_names_the_paste_when_it_shows_at_all(tmp_path: Path) -> None:
    # The inner tool's lines are most of the paste; one line of the outer tool decides.
    (tmp_path / "tools.toml").write_text(
        "[[tools]]\nid = 'inner'\npatterns = ['inner-a', 'inner-b', 'inner-c']\n\n"
        "[[tools]]\nid = 'outer'\npatterns = ['outer-a']\nwraps = ['inner']\n\n"
        "[[tools]]\nid = 'other'\npatterns = ['other-a', 'other-b']\n",
        encoding="utf-8",
    )
    matcher = Matcher(load_checked([tmp_path]))
    assert matcher.recognise("inner-a inner-b inner-c").tool == "inner"
    assert matcher.recognise("inner-a inner-b inner-c\nouter-a").tool == "outer"
    # `wraps` only breaks in on the tool it wraps: here `other` scores most and wraps nothing.
    assert matcher.recognise("other-a other-b outer-a").tool == "other"
    assert matcher.recognise("nothing known").tool is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Java v1's modelled STS exception: class `{Code}Exception`, the code in the details
        (
            "com.amazonaws.services.securitytoken.model.InvalidIdentityTokenException: x",
            "InvalidIdentityToken",
        ),
        # Java v2 writes acronyms as words: IDPRejectedClaim -> IdpRejectedClaimException
        (
            "software.amazon.awssdk.services.sts.model.IdpRejectedClaimException: x "
            "(Service: Sts, Status Code: 400, Request ID: 1)",
            "IDPRejectedClaim",
        ),
        ("InvalidAccessKeyIdError: AccessKeyId AKIA is inactive", "InvalidAccessKeyId"),
        ("Aws::STS::Errors::InvalidClientTokenId: x", "InvalidClientTokenId"),
        # a code that is itself a class name is kept as it is
        (
            "ExpiredTokenException: The security token included in the request is expired",
            "ExpiredTokenException",
        ),
    ],
)
def test_a_code_with_the_suffix_an_sdk_adds_is_the_code(
    matcher: Matcher, text: str, code: str
) -> None:
    assert matcher.recognise(text).codes[0] == code


def test_a_class_suffix_alone_names_no_code(matcher: Matcher) -> None:
    # `Credentials` is no error code: PHP's CredentialsException is not `CredentialsError`
    assert matcher.codes_in("Aws\\Exception\\CredentialsException: x") == []
    assert matcher.codes_in("ClientError: ServiceException: x") == []


def test_a_class_of_the_java_platform_names_no_code(matcher: Matcher) -> None:
    # Hadoop S3A throws the JDK's java.nio.file.AccessDeniedException for every 401 and 403
    # (an unknown key too); an SDK's own class of that name is still the service's code
    s3a = (
        "java.nio.file.AccessDeniedException: s3a://b/k: getFileStatus on s3a://b/k: "
        "com.amazonaws.services.s3.model.AmazonS3Exception: The AWS Access Key Id you provided "
        "does not exist in our records. (Service: Amazon S3; Status Code: 403; Error Code: "
        "InvalidAccessKeyId; Request ID: 9ZQ8R1V5K2M7X3TD; Proxy: null)"
    )
    assert matcher.codes_in(s3a) == ["InvalidAccessKeyId"]
    assert matcher.codes_in("javax.security.auth.login.AccessDeniedException: x") == []
    kms = "com.amazonaws.services.kms.model.AccessDeniedException: User: x is not authorized"
    assert matcher.codes_in(kms) == ["AccessDeniedException"]


def test_a_nested_class_or_a_variable_names_no_code(matcher: Matcher) -> None:
    # Spring's HTTP client names a 400 or 403 from any server by a nested class (the corpus's
    # gv14: Vault's own refusal); a `$Name` in a shell or PowerShell is a variable
    spring = (
        "nested exception is org.springframework.web.client.HttpClientErrorException$BadRequest:"
        ' 400 Bad Request: "{"errors":["entry for role myrole not found"]}"'
    )
    assert matcher.codes_in(spring) == []
    assert matcher.codes_in("HttpClientErrorException$Forbidden: 403 Forbidden") == []
    assert matcher.codes_in("BadRequest: Bad Request, status code: 400") == ["BadRequest"]


#: What the AWS CLI prints when a container credentials endpoint (EKS Pod Identity's agent, a
#: local server) refuses the authorization token (botocore ContainerMetadataFetcher: the
#: endpoint's answer follows "from container metadata:"; audit 2 s18b).
CONTAINER_401 = (
    "Error when retrieving credentials from container-role: Error retrieving metadata: Received"
    ' non 200 response 401 from container metadata: {"code": "AccessDeniedException",'
    ' "message": "Unauthorized: invalid authorization token"}'
)


def test_a_code_in_a_credential_providers_answer_names_no_family(matcher: Matcher) -> None:
    # The container endpoint's `code` is its own, not the failing call's: no IAM denial
    found = matcher.recognise("$ aws sts get-caller-identity\n" + CONTAINER_401)
    assert found.codes == ()
    assert found.best is not None and found.best.tree == "container-credentials"
    assert "access-denied" not in [m.tree for m in found.matches]
    # botocore's class name, when the paste has it, is still a code (of the same family's way)
    wrapped = matcher.recognise("botocore.exceptions.CredentialRetrievalError: " + CONTAINER_401)
    assert wrapped.codes == ("CredentialRetrievalError",)
    # The EKS Pod Identity agent passing on EKS Auth's refusal (its older wording)
    eks_auth = (
        "unable to fetch credentials from EKS Auth: AccessDeniedException: EKS does not have"
        " permissions to assume the associated role"
    )
    assert matcher.recognise(eks_auth).codes == ()


def test_a_code_outside_a_credential_providers_answer_still_counts(matcher: Matcher) -> None:
    # The same code as the failing call's own error (another line) names its family as before
    text = (
        "An error occurred (AccessDeniedException) when calling the ListFunctions operation: User:"
        " arn:aws:sts::123456789012:assumed-role/app/i-0abc is not authorized to perform:"
        " lambda:ListFunctions"
    )
    assert matcher.recognise(text).codes == ("AccessDeniedException",)
    assert matcher.recognise(CONTAINER_401 + "\n" + text).codes == ("AccessDeniedException",)
    # Go v2's refused AssumeRole, in the credentials cache's wrapping, keeps its code
    sts = (
        "get credentials: failed to refresh cached credentials, failed to retrieve credentials,"
        " operation error STS: AssumeRole, https response error StatusCode: 403, RequestID: r1,"
        " api error AccessDenied: User: arn:aws:iam::123456789012:user/bob is not authorized to"
        " perform: sts:AssumeRole"
    )
    assert "AccessDenied" in matcher.recognise(sts).codes


def test_a_go_v1_code_prefix_is_not_needed_for_the_message() -> None:
    from awsmedic.core.match import phrase_forms

    # Go v1 prints `Code: message`; other SDKs and wrappers print the message alone.
    assert phrase_forms("EC2MetadataError: failed to make EC2Metadata request") == [
        "EC2MetadataError: failed to make EC2Metadata request",
        "failed to make EC2Metadata request",
    ]
    # a short message says too little without its code
    assert phrase_forms("RequestError: send request failed") == [
        "RequestError: send request failed"
    ]
    # `User:` is a label, not a code
    assert len(phrase_forms("User: {principal} is not authorized to perform: {}")) == 1


def test_the_message_of_a_code_prefixed_phrase_is_recognised_alone(matcher: Matcher) -> None:
    # the message alone is a whole phrase (it lacked a fifth of its words, the code)
    from awsmedic.core.match import PHRASE_SCALE

    alone = matcher.recognise("error: failed to get EC2 IAM info").best
    assert alone is not None and alone.tree == "instance-metadata"
    assert (alone.how, alone.score) == ("phrase", int(100 * PHRASE_SCALE))
    assert matcher.recognise("send request failed").matches == ()


def test_terraform_and_the_aws_cli_are_named_by_their_own_lines(matcher: Matcher) -> None:
    """Terraform's S3 backend prints no provider line, only where the diagnostic points; AWS CLI
    v1's traceback of a botocore error is the CLI's, not a boto3 program's."""
    backend = (
        "Error: Invalid region value\n\n  on main.tf line 5, in terraform:\n"
        '   5:     region = "eu-west1"\n\nInvalid AWS Region: eu-west1\n'
    )
    assert matcher.recognise(backend).tool == "terraform"
    cli = (
        "Traceback (most recent call last):\n"
        '  File "/usr/local/bin/aws", line 27, in <module>\n    sys.exit(main())\n'
        '  File "/usr/local/bin/aws", line 23, in main\n    return awscli.clidriver.main()\n'
        '  File "/usr/lib/python3/site-packages/awscli/clidriver.py", line 73, in main\n'
        '  File "/usr/lib/python3/site-packages/botocore/configloader.py", line 150, in raw_config_parse\n'
        "botocore.exceptions.ConfigParseError: Unable to parse config file: /home/u/.aws/credentials"
    )
    assert matcher.recognise(cli).tool == "aws-cli"
    boto3 = cli.replace("awscli.clidriver.main()", "app.main()").replace(
        "awscli/clidriver.py", "app.py"
    )
    assert matcher.recognise(boto3.replace("/usr/local/bin/aws", "/srv/app.py")).tool == "boto3"


def test_a_role_mfa_code_the_program_cannot_ask_for_is_its_own_family(matcher: Matcher) -> None:
    """Nothing was refused: the Go SDK (Terraform's provider) has no token provider."""
    best = matcher.recognise(
        "Error: assume role with MFA enabled, but AssumeRoleTokenProvider session option not set."
    ).best
    assert best is not None and best.tree == "mfa-code-unavailable"
