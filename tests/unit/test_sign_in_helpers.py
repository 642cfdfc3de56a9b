"""Rules the forty-third batch's development texts (federated sign-in helpers) showed missing.

STS refuses a SAML response that is too old with ExpiredTokenException (AssumeRoleWithSAML:
"Response has expired" after its NotOnOrAfter, "Token must be redeemed within 5 minutes of
issuance"): the SAML response is the problem, not expired AWS credentials (if07: saml2aws
reusing a cached Keycloak response)."""

from __future__ import annotations

import pytest

from tests.unit.offline_json import diagnosed, leading, step_text, text_only

# saml2aws's words around STS's answer (Versent/saml2aws#759)
SAML2AWS = (
    "Requesting AWS credentials using SAML assertion.\n"
    "Error logging into AWS role using SAML assertion.: Error retrieving STS credentials using"
    " SAML.: ExpiredTokenException: Response has expired\n"
    "\tstatus code: 400, request id: 4370fb7a-3407-4a93-b0b7-adac0147c352"
)
# botocore's form of the same refusal (the message is STS's, as the SAML helpers test for it)
BOTO3 = (
    "botocore.exceptions.ClientError: An error occurred (ExpiredTokenException) when calling the"
    " AssumeRoleWithSAML operation: Token must be redeemed within 5 minutes of issuance"
)


@pytest.mark.parametrize("text", [SAML2AWS, BOTO3])
def test_an_expired_saml_response(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert text_only(capsys, text)[0] == "saml-assertion-invalid"
    output = diagnosed(capsys, text)
    assert leading(output) == "saml-assertion-invalid"
    assert "sign in at the identity provider again" in step_text(output)


def test_credentials_a_saml_helper_wrote_that_expired_later(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # an hour after `saml2aws login`: the session credentials expired, not the SAML response
    text = (
        "$ saml2aws login\n...\n$ aws s3 ls --profile saml\n"
        "An error occurred (ExpiredToken) when calling the ListBuckets operation: The provided"
        " token has expired."
    )
    assert text_only(capsys, text)[0] == "expired-temporary-credentials"


def test_a_profile_the_jetbrains_toolkit_cannot_use(capsys: pytest.CaptureFixture[str]) -> None:
    # AWS Toolkit for JetBrains refuses a profile of no kind it reads: besides a kind newer than
    # the toolkit, a profile with no credentials in it (only a region, or only a SAML helper's
    # settings: the forty-third batch's if13, aws/aws-toolkit-jetbrains#4174)
    text = (
        "java.lang.IllegalArgumentException: Profile 'default' is not using role-based,"
        " session-based, process-based, or basic credentials."
    )
    top = text_only(capsys, text)[:3]
    assert "tool-too-old-for-config" in top and "no-credentials" in top
