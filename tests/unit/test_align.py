"""Matching on words in order, with slots (core/align.py, core/match.py, kb/phrases.py)."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsmedic.core.align import Tokens, align, slot_values
from awsmedic.core.match import Matcher, message_lines
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.phrases import compile_phrase, problems, words


@cache
def matcher() -> Matcher:
    return Matcher(load_checked([shipped_dir()]))


def score(phrase: str, paste: str) -> float:
    found = align(compile_phrase("t", phrase), Tokens.of(message_lines(paste)))
    return 0.0 if found is None else found.score


def test_words_are_read_the_same_way_in_phrases_and_pastes() -> None:
    assert words("The credentials have EXPIRED") == words("credential expires")
    assert words("does not exist") == words("doesn't exist") == ["exist"]
    assert words("Cannot read") == words("could not read") == ["read"]


def test_a_phrase_is_compiled_into_words_and_slots() -> None:
    phrase = compile_phrase(
        "t", 'The source_profile "{source_profile}" referenced in "{profile}" does not exist.'
    )
    assert phrase.words == ("sourc", "profil", "referenc", "exist")
    assert [(s.name, s.after, s.before, s.behind) for s in phrase.slots] == [
        ("source_profile", 2, ' "', '" '),
        ("profile", 3, ' in "', '" does not '),
    ]
    assert phrase.segment == (0, 0, 1, 2)


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("the {Profile} x y", "is not a slot"),
        ("not found", "meaningful word(s)"),
        ("failed {a}{b} here now", "two slots with no word between"),
        ("failed for{profile} now", "a slot touches a word"),
    ],
)
def test_phrase_problems_are_reported(phrase: str, problem: str) -> None:
    assert any(problem in found for found in problems(phrase))


@settings(max_examples=200, deadline=None)
@given(
    value=st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=5_000),
    lines_before=st.integers(0, 3),
)
def test_a_slot_value_never_changes_the_score(value: str, lines_before: int) -> None:
    phrase = "The config profile ({profile}) could not be found"
    paste = "noise\n" * lines_before + f"The config profile ({value}) could not be found"
    assert score(phrase, paste) == 100.0


def test_without_slots_a_long_value_pushes_the_words_apart() -> None:
    """What slots are for: the same words, no slot, and a value between them."""
    paste = "The config profile (a-rather-long-profile name with words) could not be found"
    assert score("The config profile could not be found", paste) < 80
    assert score("The config profile ({profile}) could not be found", paste) == 100.0


def test_a_slot_does_not_reach_over_a_blank_line() -> None:
    paste = "The config profile is set\n\nThe file could not be found"
    assert score("The config profile ({profile}) could not be found", paste) < 80


@settings(max_examples=100, deadline=None)
@given(
    before=st.lists(st.from_regex(r"[a-z ]{0,60}", fullmatch=True), max_size=5),
    after=st.lists(st.from_regex(r"[a-z ]{0,60}", fullmatch=True), max_size=5),
)
def test_surrounding_lines_never_tip_a_score(before: list[str], after: list[str]) -> None:
    """A variant with one word of six changed scores the same whatever lines surround it. (The
    noise could only raise it, by holding the phrase's words in order: hence >=.)"""
    phrase = "Unable to load credentials from any of the providers in the chain"
    variant = "Unable to fetch credentials from any of the providers in the chain (Service: x)"
    alone = score(phrase, variant)
    assert 80 <= alone < 100
    assert score(phrase, "\n".join([*before, variant, *after])) >= alone


def test_words_out_of_order_or_far_apart_do_not_match() -> None:
    phrase = "The security token included in the request is invalid"
    assert score(phrase, "invalid request: the token included security") < 80
    far = "The security token was included yesterday, but then in a completely different request"
    assert score(phrase, far) < 80


@pytest.mark.parametrize(
    ("phrase", "paste", "found"),
    [
        ("Profile {profile} not found", "Profile dev not found", True),
        ("Profile {profile} not found", "Error: Profile was found", False),
        ("Profile {profile} not found", "Using profile dev\nCredentials found in env", False),
        (
            "The config profile ({profile}) could not be found",
            "config profile (x) was found",
            False,
        ),
        # SDKs write a negation in other words, and a wrapped line may split it from its word
        ("could not find region configuration", "unable to find region configuration", True),
        (
            "is not authorized to perform: {}",
            "User: arn is not\n    authorized to perform: x",
            True,
        ),
        ("no valid providers in chain", "NoCredentialProviders: no valid providers in chain", True),
        ("no valid providers in chain", "found valid providers in chain", False),
        # only the phrase's negations are required: a paste may say more
        ("Unable to locate credentials", "Unable to locate credentials", True),
    ],
)
def test_a_negation_of_the_phrase_must_be_in_the_paste(
    phrase: str, paste: str, found: bool
) -> None:
    # Negations are stop words (they do not count as words), but where a phrase has one
    # before a word the paste needs one there too, or that word is not found.
    assert (score(phrase, paste) == 100.0) is found


def test_slot_values_are_cut_out_of_the_paste() -> None:
    phrase = compile_phrase(
        "t",
        'The source_profile "{source_profile}" referenced in the profile "{profile}" does not exist.',
    )
    tokens = Tokens.of(
        [
            'The source_profile "base" referenced in the profile "arn:aws:iam::1:role/x/y" doesn\'t exist.'
        ]
    )
    found = align(phrase, tokens)
    assert found is not None
    assert slot_values(found, tokens) == {
        "source_profile": "base",
        "profile": "arn:aws:iam::1:role/x/y",
    }


@pytest.mark.parametrize(
    ("text", "tree", "facts"),
    [
        ("The config profile (dev) could not be found", "profile-not-found", {"profile": "dev"}),
        (
            "The config profile (my-very-long-profile-name-for-the-production-account-admin) "
            "could not be found",
            "profile-not-found",
            {"profile": "my-very-long-profile-name-for-the-production-account-admin"},
        ),
        (
            'The source_profile "base" referenced in the profile '
            '"arn:aws:iam::123456789012:role/very/long/path/Admin" does not exist.',
            "invalid-config",
            {"source_profile": "base"},
        ),
        (
            "Unable to parse config file: /home/me/.aws/config",
            "config-parse-error",
            {"path": "/home/me/.aws/config"},
        ),
        (
            "user@host:~$ aws s3 ls --profile prod --region eu-west-1\n"
            "Partial credentials found in shared-credentials-file, missing: aws_secret_access_key",
            "partial-credentials",
            {"provider": "shared-credentials-file", "profile": "prod", "region": "eu-west-1"},
        ),
    ],
)
def test_the_issues_examples_are_recognised_with_their_values(
    text: str, tree: str, facts: dict[str, str]
) -> None:
    recognition = matcher().recognise(text)
    assert recognition.best is not None and recognition.best.tree == tree
    assert {name: recognition.facts[name].value for name in facts} == facts


def test_a_pasted_command_line_names_the_tool() -> None:
    recognition = matcher().recognise("$ terraform plan\nError: No valid credential sources found")
    assert recognition.tool == "terraform"


@pytest.mark.parametrize(
    ("text", "lookalike"),
    [
        (
            "mc: <ERROR> Unable to list folder. The Access Key Id you provided does not exist in our records.",
            "MinIO",
        ),
        (
            "An error occurred (SignatureDoesNotMatch) when calling the PutObject operation: The request "
            "signature we calculated does not match. (endpoint https://acc.r2.cloudflarestorage.com)",
            "Cloudflare R2",
        ),
        (
            "google.auth.exceptions.DefaultCredentialsError: Could not automatically determine credentials.",
            "Google Cloud",
        ),
        (
            "DefaultAzureCredential failed to retrieve a token from the included credentials.",
            "Azure",
        ),
        (
            '{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}',
            "GitHub",
        ),
        (
            'Error from server (Forbidden): pods is forbidden: User "system:anonymous" cannot list resource "pods"',
            "Kubernetes",
        ),
        # The API server's wording before Kubernetes 1.14, for a resource and for a path.
        (
            'Error from server (Forbidden): nodes is forbidden: User "dev-view:alice" cannot list '
            "nodes at the cluster scope",
            "Kubernetes",
        ),
        (
            'services is forbidden: User "system:serviceaccount:ci:deployer" cannot list services '
            'in the namespace "kube-system"',
            "Kubernetes",
        ),
        (
            'Error from server (Forbidden): forbidden: User "system:anonymous" cannot get path "/"',
            "Kubernetes",
        ),
        ("<html><center><h1>403 Forbidden</h1></center><hr><center>nginx</center></html>", "nginx"),
        (
            "$ doctl kubernetes cluster kubeconfig save c1\n"
            'error: exec plugin: invalid apiVersion "client.authentication.k8s.io/v1beta1"',
            "outside Amazon EKS",
        ),
    ],
)
def test_look_alikes_are_named_and_not_diagnosed(text: str, lookalike: str) -> None:
    recognition = matcher().recognise(text)
    assert recognition.matches == ()
    assert recognition.lookalike is not None and lookalike in recognition.lookalike


@pytest.mark.parametrize(
    "text",
    [
        # minio-py talking to AWS S3: AWS's base64 host id shows it is AWS answering.
        "minio.error.ResponseError: code: RequestTimeTooSkewed, host_id: T26jT/YGRZjNc5QYC47+S0U/5Lz=",
        # An Azure DevOps job running the AWS CLI.
        "##[error]An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
        "The security token included in the request is invalid. (task: az login done)",
        # EKS: the refused user is an AWS identity.
        'pods is forbidden: User "arn:aws:sts::123456789012:assumed-role/dev/me" cannot list resource "pods"',
        'pods is forbidden: User "arn:aws:sts::123456789012:assumed-role/dev/me" cannot list pods in the '
        'namespace "default"',
        # A Kafka client run from a Quay image, refused by Amazon MSK's IAM authentication.
        "with quay.io/example/kafka-ui:v1 I get Access denied: SASL_AUTHENTICATION_FAILED",
    ],
)
def test_aws_errors_that_mention_a_look_alike_stay_with_aws(text: str) -> None:
    assert matcher().recognise(text).lookalike is None


def test_an_aws_authentication_text_no_family_knows_gets_a_general_check() -> None:
    recognition = matcher().recognise(
        "my boto3 script says the AWS credentials it signs with are refused for the s3 upload"
    )
    assert recognition.best is not None
    assert (recognition.best.tree, recognition.best.how) == ("aws-auth-check", "topic")


@pytest.mark.parametrize(
    "text",
    [
        # SAM's own reading of an STS refusal (samcli/lib/bootstrap/bootstrap.py): no AWS word
        "Error: Cannot identify account based on configured credentials.",
        # a file under ~/.aws/ that is neither credentials nor config
        "open /home/me/.aws/sso/cache/0a1b.json: no such file; the SSO token could not be read",
        # an SDK's credential provider class names AWS
        "EnvironmentVariableCredentialsProvider gave no keys to sign the request with",
        "failed to refresh credentials: ec2rolecreds: connection timed out",
        # IAM's OpenID Connect provider
        "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint",
        # a setting of ~/.aws/config
        "error running credential_process: exit status 1",
        # the AWS Toolkit for VS Code's notice, as a user retells it
        "Credential profile default is invalid",
        # a bucket, S3's word, with no other store named (wp-offload-media's own messages)
        "There was an error attempting to check the permissions of the bucket example.com: Access Denied",
    ],
)
def test_aws_only_vocabulary_names_aws_for_the_general_check(text: str) -> None:
    # No family knows these words: without the vocabulary they were turned away (exit 1).
    recognition = matcher().recognise(text)
    assert recognition.best is not None and recognition.best.tree == "aws-auth-check"


def test_the_general_check_lists_the_closest_families() -> None:
    recognition = matcher().recognise("AWS says: unable to find the credentials you configured")
    assert recognition.best is not None and recognition.best.tree == "aws-auth-check"
    assert [m.tree for m in recognition.closest][:1] == ["no-credentials"]
    assert all(m.how == "near" for m in recognition.closest)


@pytest.mark.parametrize(
    "text",
    [
        "hello world",
        "the token is fine and the request is valid",  # no AWS in it
        "AWS Lambda timed out after 3.00 seconds",  # AWS, but not authentication
        # another cloud's metadata server and credentials: nothing only AWS has
        "Downloading credentials for default VM service account from metadata server\n"
        "Error: Cannot get auth token: Metadata server responded with status 404",
        # another product's name that reads like AWS's: ASP.NET's OpenIdConnect handler (Spring
        # Cloud GCP's DefaultCredentialsProvider is now named Google Cloud's: test_go_shared_creds_and_google_clients)
        "Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectHandler: token expired",
    ],
)
def test_text_that_is_not_about_aws_authentication_matches_nothing(text: str) -> None:
    recognition = matcher().recognise(text)
    assert recognition.matches == () and recognition.lookalike is None


@pytest.mark.parametrize(
    ("text", "tree", "facts"),
    [
        # A slot's value is a value, even when it reads like an error code.
        (
            "The config profile (AccessDenied) could not be found",
            "profile-not-found",
            {"profile": "AccessDenied"},
        ),
        (
            'Read timeout on endpoint URL: "ProfileNotFound"',
            "connection-failed",
            {"url": "ProfileNotFound"},
        ),
        # The value holds a word of the phrase (`user/` in the ARN after `User:`).
        (
            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: s3:GetObject "
            "on resource: arn:aws:s3:::b/k",
            "access-denied",
            {"principal": "arn:aws:iam::123456789012:user/ci"},
        ),
    ],
)
def test_slot_values_that_look_like_the_rest_stay_values(
    text: str, tree: str, facts: dict[str, str]
) -> None:
    recognition = matcher().recognise(text)
    assert recognition.best is not None and recognition.best.tree == tree
    assert {name: recognition.facts[name].value for name in facts} == facts


def test_a_code_outside_the_slots_still_counts() -> None:
    """Java v1 prints the code after the message; an open slot at a phrase's end hides none."""
    text = (
        "User: arn:aws:iam::1:user/x is not authorized to perform: s3:Get on resource: y "
        "(Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: 1)"
    )
    recognition = matcher().recognise(text)
    assert recognition.codes == ("AccessDenied",)
    assert recognition.best is not None and recognition.best.how == "code"
