"""Families that list the causes their mechanism really produces, text only (issue 12).

- S3's error document pasted raw (no SDK parsed it) may come from a presigned URL: the
  signature family asks how the request was sent instead of ruling that out.
- aws-iam-authenticator's token is presigned without calling AWS, so an AccessDenied it
  reports ("could not get token: AccessDenied") is the AssumeRole of its `-r` role.
- A quoted value of a message (client-go's `invalid apiVersion %q`) is a slot: a wrapper that
  prints the value first still shows the message's words in order.
"""

from __future__ import annotations

from functools import cache

from awsmedic.context import Context
from awsmedic.core.consult import Consultation, Outcome
from awsmedic.core.match import Matcher
from awsmedic.core.transcript import new_transcript
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.model import Question
from awsmedic.safety.redact import SecretBook

S3_BODY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>'
    "<Message>The request signature we calculated does not match the signature you provided. "
    "Check your key and signing method.</Message><AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE"
    "</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256\n20240204T174513Z\n"
    "20240204/eu-west-1/s3/aws4_request\n</StringToSign></Error>"
)
CLI_SIGNATURE = (
    "An error occurred (SignatureDoesNotMatch) when calling the ListBuckets operation: The "
    "request signature we calculated does not match the signature you provided. Check your key "
    "and signing method."
)


@cache
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def walk(text: str, answers: dict[str, str] | None = None) -> tuple[Outcome, list[str]]:
    """The outcome of a text-only walk, and the ids of the questions it asked."""
    context = Context.from_process(offline=True, probes_enabled=False)
    consultation = Consultation(context, knowledge(), SecretBook(), new_transcript(context))
    consultation.recognise(text)
    asked: list[str] = []

    def answer(question: Question) -> str | None:
        asked.append(question.id)
        return (answers or {}).get(question.id)

    return consultation.run(answer), asked


def causes(outcome: Outcome) -> list[str]:
    return [candidate.cause for candidate in outcome.candidates]


def test_a_raw_s3_error_document_keeps_a_presigned_url_among_the_candidates() -> None:
    outcome, asked = walk(S3_BODY)
    assert "presigned-request" in asked
    assert "presigned-signature-mismatch" in causes(outcome)[:5]
    # the other ways of getting a signature wrong stay open too
    assert {"secret-mismatch", "clock-skew"} <= set(causes(outcome))


def test_a_presigned_url_said_so_concludes_the_presigned_mismatch() -> None:
    outcome, _ = walk(S3_BODY, {"presigned-request": "yes"})
    assert outcome.diagnosis is not None
    assert outcome.diagnosis.cause == "presigned-signature-mismatch"


def test_an_sdk_s_signature_error_does_not_ask_about_presigned_urls() -> None:
    outcome, asked = walk(CLI_SIGNATURE)
    assert "presigned-request" not in asked
    assert "presigned-signature-mismatch" not in causes(outcome)


def test_aws_iam_authenticator_refused_means_its_role_was_refused() -> None:
    outcome, _ = walk(
        "could not get token: AccessDenied: Access denied\n"
        "\tstatus code: 403, request id: 171e9092-dcf4-11e8-a469-b5710cea842f"
    )
    assert causes(outcome)[0] == "assume-role-denied"


def test_a_plain_access_denied_is_still_a_missing_permission_first() -> None:
    outcome, _ = walk(
        "operation error S3: PutObject, https response error StatusCode: 403, RequestID: "
        "1Z2Y3X4W5V6U7T8S, api error AccessDenied: Access Denied"
    )
    assert causes(outcome)[0] == "iam-permission-denied"


def test_a_quoted_value_printed_before_the_message_still_matches() -> None:
    matcher = Matcher(knowledge())
    for text in (
        'plugin "client.authentication.k8s.io/v1alpha1" failed: exec plugin: invalid apiVersion',
        'error: exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"',
    ):
        found = [match.tree for match in matcher.recognise(text).matches]
        assert found[:1] == ["eks-exec-api-version"], (text, found)


IMDS_TIMEOUT = (
    "botocore.exceptions.ConnectTimeoutError: Connect timeout on endpoint URL: "
    '"http://169.254.169.254/latest/api/token"'
)


def test_an_imds_connect_timeout_keeps_the_empty_chain_among_the_candidates() -> None:
    outcome, _ = walk(IMDS_TIMEOUT)
    assert {"no-credentials", "imds-unreachable", "credentials-file-location"} <= set(
        causes(outcome)[:5]
    )


def test_an_imds_connect_timeout_off_aws_is_the_empty_chain() -> None:
    context = Context.from_process(offline=True)
    consultation = Consultation(context, knowledge(), SecretBook(), new_transcript(context))
    consultation.recognise(IMDS_TIMEOUT)
    off_aws = "not on AWS (a laptop, on-premises, another cloud)"
    outcome = consultation.run(lambda q: off_aws if q.id == "run-context" else None)
    # no credentials anywhere under the test's empty HOME
    assert outcome.diagnosis is not None
    assert outcome.diagnosis.cause == "no-credentials"


def test_a_header_value_that_spells_an_error_code_is_no_code() -> None:
    """http.client quotes the refused header value (a bytes repr): what stands inside it is the
    value, even where it spells an exception name (found by the property test)."""
    recognition = Matcher(knowledge()).recognise(
        "botocore.exceptions.HTTPClientError: An HTTP Client raised an unhandled exception: "
        "Invalid header value b'AWS4-HMAC-SHA256 Credential=INVALIDREGIONError'"
    )
    assert [match.tree for match in recognition.matches] == ["invalid-header-value"]
    assert recognition.codes == ()
