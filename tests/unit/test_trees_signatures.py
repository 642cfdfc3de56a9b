"""Whole walks of the signature, clock and expiry trees, offline (no network probe runs).

Each case sets up this machine (env, ~/.aws files), pastes a real-shaped error and checks the
cause, its confidence and the steps filled with the user's values.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from awsmedic.context import Context
from awsmedic.core.consult import Consultation, Outcome
from awsmedic.core.transcript import new_transcript
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.safety.redact import SecretBook
from tests.unit.probes.helpers import KEY, SECRET, TOKEN


@cache
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def walk(text: str, answers: dict[str, str] | None = None, **ctx: object) -> Outcome:
    context = Context.from_process(offline=True, **ctx)
    consultation = Consultation(context, knowledge(), SecretBook(), new_transcript(context))
    consultation.recognise(text)
    return consultation.run(lambda question: (answers or {}).get(question.id))


def test_signature_expired_offline_uses_the_times_in_the_error() -> None:
    outcome = walk(
        "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: "
        "Signature expired: 20220127T001427Z is now earlier than 20220127T014428Z "
        "(20220127T015928Z - 15 min.)"
    )
    assert outcome.diagnosis is not None
    assert (outcome.diagnosis.cause, outcome.diagnosis.confidence) == ("clock-skew", "likely")
    assert "`105 minutes behind`" in outcome.diagnosis.why
    assert "<clock_fix>" not in outcome.diagnosis.steps[0].text


def test_an_availability_zone_as_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1a")
    outcome = walk(
        "An error occurred (AuthorizationHeaderMalformed) when calling the ListBuckets operation: "
        "The authorization header is malformed; the region 'us-east-1a' is wrong; expecting "
        "'us-east-1'"
    )
    assert outcome.diagnosis is not None
    assert (outcome.diagnosis.cause, outcome.diagnosis.confidence) == (
        "invalid-region",
        "confirmed",
    )
    assert "`us-east-1a`" in outcome.diagnosis.why


# A name botocore does not list may be a region newer than it (update it); a zone is not.
@pytest.mark.parametrize(
    ("region", "new_region_step"), [("eu-south-9", True), ("us-east-1a", False)]
)
def test_updating_the_sdk_only_for_a_region_it_may_not_know_yet(
    monkeypatch: pytest.MonkeyPatch, region: str, new_region_step: bool
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    outcome = walk(
        "botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL: "
        f'"https://sts.{region}.amazonaws.com/"'
    )
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == "invalid-region"
    steps = outcome.diagnosis.steps
    assert any("genuinely new" in step.text for step in steps) is new_region_step


def test_bucket_in_another_region_fills_its_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    outcome = walk(
        "botocore.exceptions.ClientError: An error occurred (AuthorizationHeaderMalformed) when "
        "calling the GetObject operation: The authorization header is malformed; the region "
        "'us-east-1' is wrong; expecting 'eu-west-1'"
    )
    assert outcome.diagnosis is not None
    assert (outcome.diagnosis.cause, outcome.diagnosis.confidence) == (
        "s3-region-mismatch",
        "confirmed",
    )
    assert any("--region eu-west-1" in step.text for step in outcome.diagnosis.steps)


def test_credential_scoped_to_a_region_that_does_not_exist() -> None:
    outcome = walk(
        "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: "
        "Credential should be scoped to a valid region, not 'eu-west'. "
    )
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == "invalid-region"


def test_quoted_secret_offline(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = '{SECRET}'\n"
    )
    outcome = walk(
        "An error occurred (SignatureDoesNotMatch) when calling the ListBuckets operation: The "
        "request signature we calculated does not match the signature you provided. Check your "
        "key and signing method."
    )
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == "stray-characters"


def test_clean_secret_offline_is_a_likely_mismatch(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    outcome = walk(
        "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: "
        "The request signature we calculated does not match the signature you provided.",
        profile="dev",
    )
    assert outcome.diagnosis is not None
    assert (outcome.diagnosis.cause, outcome.diagnosis.confidence) == ("secret-mismatch", "likely")
    assert any("--profile dev" in step.text for step in outcome.diagnosis.steps)
    assert "****************ALC4" in outcome.diagnosis.why


def test_expired_token_with_a_long_term_key_is_a_stale_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    outcome = walk(
        "An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The "
        "security token included in the request is expired"
    )
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == "stale-session-token"


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        (
            "An error occurred (ExpiredToken) when calling the AssumeRole operation: The security "
            "token included in the request is expired",
            "source-profile-broken",
        ),
        (
            "An error occurred (ExpiredTokenException) when calling the AssumeRoleWithWebIdentity "
            "operation: Token expired: current date/time 1700003600 must be before the expiration "
            "date/time 1700000000",
            "web-identity-failure",
        ),
    ],
)
def test_the_operation_names_the_expired_credentials(text: str, cause: str) -> None:
    outcome = walk(text)
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == cause


def test_temporary_keys_without_known_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ASIAY34FZKBOKMUTVV7A")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    outcome = walk(
        "botocore.exceptions.ClientError: An error occurred (ExpiredToken) when calling the "
        "ListObjectsV2 operation: The provided token has expired."
    )
    assert outcome.diagnosis is not None
    assert (outcome.diagnosis.cause, outcome.diagnosis.confidence) == (
        "expired-temporary-credentials",
        "likely",
    )


def test_request_expired_asks_when_nothing_settles_it(monkeypatch: pytest.MonkeyPatch) -> None:
    outcome = walk(
        "An error occurred (RequestExpired) when calling the DescribeInstances operation: Request has expired."
    )
    assert outcome.diagnosis is None
    # causes.md section 1: a time problem first; on EC2 also expired temporary credentials.
    assert [c.cause for c in outcome.candidates][:2] == [
        "clock-skew",
        "expired-temporary-credentials",
    ]
    answered = walk(
        "An error occurred (RequestExpired) when calling the DescribeInstances operation: Request has expired.",
        {"temporary-credentials": "yes"},
    )
    assert answered.diagnosis is not None
    assert answered.diagnosis.cause == "expired-temporary-credentials"


@pytest.mark.parametrize(
    ("text", "answers", "cause"),
    [
        (
            "Credential should be scoped to a valid region, not 'ap-east-1'. ",
            {},
            "opt-in-region-disabled",
        ),
        (
            "InvalidSignatureException: Credential should be scoped to a valid region, not 'eu-west-1'. ",
            {"own-endpoint": "yes"},
            "endpoint-override",
        ),
        (
            "InvalidSignatureException: Credential should be scoped to correct service: 'sagemaker'. ",
            {},
            "unknown",
        ),
    ],
)
def test_the_scope_of_the_signature(text: str, answers: dict[str, str], cause: str) -> None:
    outcome = walk(text, answers)
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == cause


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        # HEAD answers have no body: the status alone never names the reason (expiry, clock,
        # keys, permission or region), so they have their own family (issue 14).
        (
            "An error occurred (301) when calling the HeadObject operation: Moved Permanently",
            "s3-head-error",
        ),
        (
            "ClientError: An error occurred (400) when calling the HeadBucket operation: Bad Request",
            "s3-head-error",
        ),
        (
            "An error occurred (403) when calling the HeadObject operation: Forbidden",
            "s3-head-error",
        ),
        (
            "RuntimeError: Credentials were refreshed, but the refreshed credentials are still expired.",
            "expired-token",
        ),
        (
            "Signature not yet current: 20161008T200637Z is still later than 20161008T195903Z",
            "signature-does-not-match",
        ),
    ],
)
def test_recognition_without_a_code(text: str, tree: str | None) -> None:
    from awsmedic.core.match import Matcher

    best = Matcher(knowledge()).recognise(text).best
    assert (best.tree if best else None) == tree
