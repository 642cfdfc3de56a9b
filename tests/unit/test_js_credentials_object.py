"""The JavaScript SDK v3's signer refuses a credentials object whose key id or secret is not a
string ("Resolved credential object is not valid", smithy-typescript signature-v4
validateResolvedCredentials). Only credentials the program built itself reach that check (the
default chain throws CredentialsProviderError instead), so the step that says so shows for this
message alone, and what the chain would have found does not rank above the plain case. The PHP
SDK refuses the same at the client's construction (a `credentials` array without both `key` and
`secret` set, aws/aws-sdk-php src/ClientResolver.php _apply_credentials)."""

from __future__ import annotations

import json

import pytest

from awsmedic.cli import main

REFUSED = (
    "Error: Resolved credential object is not valid\n"
    "    at SignatureV4.validateResolvedCredentials"
    " (/app/node_modules/@smithy/signature-v4/dist-cjs/index.js:619:13)"
)
PHP_REFUSED = (
    "PHP Fatal error:  Uncaught InvalidArgumentException: Credentials must be an instance of"
    ' \'Aws\\Credentials\\CredentialsInterface, an associative array that contains "key",'
    ' "secret", and an optional "token" key-value pairs, a credentials provider function,'
    " or false. in /var/www/vendor/aws/aws-sdk-php/src/ClientResolver.php:838"
)
STEP = "The program gave the SDK credentials of its own"


def run(capsys: pytest.CaptureFixture[str], text: str, *extra: str) -> str:
    status = main(["diagnose", "--no-probes", "--no-input", *extra, text])
    assert status == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("text", [REFUSED, PHP_REFUSED], ids=["js", "php"])
def test_the_refused_object_ranks_no_credentials_and_not_the_chain(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    output = json.loads(run(capsys, text, "--format", "json"))
    assert output["matches"][0]["tree"] == "no-credentials"
    ranked = [candidate["cause"] for candidate in output["candidates"]]
    assert ranked[0] == "no-credentials"
    assert "imds-unreachable" not in ranked[:3]
    assert "container-credentials-failure" not in ranked[:3]


@pytest.mark.parametrize("text", [REFUSED, PHP_REFUSED], ids=["js", "php"])
def test_the_step_about_the_programs_own_credentials_shows_for_that_message(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert STEP in " ".join(run(capsys, text).split())


def test_the_step_stays_out_of_other_no_credentials_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = "CredentialsProviderError: Could not load credentials from any providers"
    assert STEP not in " ".join(run(capsys, text).split())
