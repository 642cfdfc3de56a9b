"""What the development part showed beyond the batches' own words: a named profile that gave no
credentials (most SDKs stop with "profile not found" when there is no such profile, so the SDK
read one and could make nothing of it), IAM's refusal worded as permissions "needed", and a
refused key that is a placeholder as often as a partition's or a region's."""

from __future__ import annotations

import pytest

from tests.unit.offline_json import text_only
from tests.unit.test_lookalikes import matcher

TOO_OLD = "tool-too-old-for-config"


@pytest.mark.parametrize(
    "text",
    [
        "$ python deploy.py --profile ops\n"
        "botocore.exceptions.NoCredentialsError: Unable to locate credentials",
        "const creds = new AWS.SharedIniFileCredentials({profile: 'build'});\n"
        "CredentialsError: Missing credentials in config, if using AWS_CONFIG_FILE, set"
        " AWS_SDK_LOAD_CONFIG=1",
        "$ AWS_PROFILE=sandbox npx cdk diff\n"
        "Unable to resolve AWS account to use. It must be either configured when you define your"
        " stack, or through the environment",
    ],
)
def test_a_named_profile_that_gave_no_credentials_puts_a_tool_too_old_for_it_second(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    ranked = text_only(capsys, text)
    assert ranked[0] == "no-credentials"
    assert TOO_OLD in ranked[:3]
    # the profile was read: instance metadata is what the chain reached after it, not the cause
    assert "imds-unreachable" not in ranked[:5]


def test_without_a_named_profile_the_empty_chain_keeps_its_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ranked = text_only(
        capsys,
        "$ python deploy.py\nbotocore.exceptions.NoCredentialsError: Unable to locate credentials",
    )
    assert TOO_OLD not in ranked[:5]
    assert "credentials-file-location" in ranked[:3]


def test_go_s_chain_with_a_named_profile_is_not_raised_twice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The Go chain's own hint already counts a named profile; this one stands aside for it."""
    text = (
        "$ AWS_PROFILE=ops terraform plan\n"
        "Error: NoCredentialProviders: no valid providers in chain. Deprecated.\n"
        "\tFor verbose messaging see aws.Config.CredentialsChainVerboseErrors"
    )
    ranked = text_only(capsys, text)
    assert TOO_OLD in ranked[:2]
    assert "config-file-syntax" not in ranked[:3]


def test_permissions_said_to_be_needed_are_iam_s_refusal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        "An error occurred (UnprocessableEntityException): Please check your IAM User"
        ' permissions; the following permissions are needed for this call: "ecs:CreateService",'
        '"iam:PassRole"'
    )
    assert matcher().recognise(text).best is not None
    assert text_only(capsys, text)[0] == "iam-permission-denied"


@pytest.mark.parametrize(
    "text",
    [
        "The security token included in the request is invalid.",
        "An error occurred (UnrecognizedClientException) when calling the ListTables operation:"
        " The security token included in the request is invalid.",
    ],
)
def test_a_bare_refused_key_keeps_a_placeholder_among_the_first_five(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert "placeholder-credentials" in text_only(capsys, text)[:5]
