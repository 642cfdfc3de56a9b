"""Amazon SES's SMTP interface refusing the credentials (trees/ses-smtp-auth.toml): recognised
through the mail libraries that print it, told apart from other mail servers' refusals, and
answered with SES's own SMTP credentials, not the AWS CLI's keys."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.offline_json import diagnosed, leading, step_text
from tests.unit.test_trees_denied_network import walk

# SES's reply (its "SMTP response codes"), as listmonk quoted it (knadh/listmonk, the corpus's
# gq28) and as Python's smtplib, Nodemailer and JavaMail wrap an SMTP server's reply
REFUSAL = "535 Authentication Credentials Invalid"
WRAPPED = [
    REFUSAL,
    "smtplib.SMTPAuthenticationError: (535, b'Authentication Credentials Invalid')",
    "Error: Invalid login: 535 Authentication Credentials Invalid",
    "javax.mail.AuthenticationFailedException: 535 Authentication Credentials Invalid",
]
SIGNATURE = (
    "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: The"
    " request signature we calculated does not match the signature you provided. Check your AWS"
    " Secret Access Key and signing method."
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


@pytest.mark.parametrize("text", WRAPPED)
def test_the_refusal_is_recognised(knowledge: Knowledge, text: str) -> None:
    best = Matcher(knowledge).recognise(text).best
    assert best is not None and best.tree == "ses-smtp-auth"


@pytest.mark.parametrize(
    "text",
    [
        # Gmail's and Postfix's refusals: other mail servers, other credentials
        "smtplib.SMTPAuthenticationError: (535, b'5.7.8 Username and Password not accepted.')",
        "535 5.7.8 Error: authentication failed: Invalid credentials",
    ],
)
def test_other_mail_servers_are_not_ses(knowledge: Knowledge, text: str) -> None:
    best = Matcher(knowledge).recognise(text).best
    assert best is None or best.tree != "ses-smtp-auth"


@pytest.mark.parametrize(
    ("answers", "cause", "confidence"),
    [
        ({"ses-smtp-password": "no"}, "secret-mismatch", "likely"),
        (
            {"ses-smtp-password": "yes", "ses-smtp-key-status": "no, deleted"},
            "key-deleted",
            "likely",
        ),
        (
            {"ses-smtp-password": "yes", "ses-smtp-key-status": "no, inactive"},
            "key-inactive",
            "likely",
        ),
        (
            {"ses-smtp-password": "yes", "ses-smtp-key-status": "yes"},
            "stray-characters",
            "possible",
        ),
    ],
)
def test_each_cause_is_reached_for_its_answers(
    knowledge: Knowledge, answers: dict[str, str], cause: str, confidence: str
) -> None:
    tree, found, how, _ = walk(knowledge, REFUSAL, {}, answers)
    assert (tree, found, how) == ("ses-smtp-auth", cause, confidence)


def steps(capsys: pytest.CaptureFixture[str], text: str, *answers: str) -> tuple[str, str]:
    output = diagnosed(capsys, text, *answers)
    return leading(output), step_text(output)


def test_ses_gets_smtp_credentials_not_the_cli_keys(capsys: pytest.CaptureFixture[str]) -> None:
    top, found = steps(capsys, WRAPPED[1], "ses-smtp-password=not sure")
    assert top == "secret-mismatch"
    assert "Create SMTP credentials" in found
    assert "aws configure" not in found and "aws sts get-caller-identity" not in found


def test_a_refused_api_signature_keeps_the_key_steps(capsys: pytest.CaptureFixture[str]) -> None:
    top, found = steps(capsys, SIGNATURE)
    assert top == "secret-mismatch"
    assert "aws configure" in found and "SMTP" not in found
