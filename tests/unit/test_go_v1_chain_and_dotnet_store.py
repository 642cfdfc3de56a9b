"""Two messages that say little, read for what their SDK could not do.

The Go SDK v1's "NoCredentialProviders: no valid providers in chain" on a workstation is most
often a tool built on an SDK older than the profile it reads (IAM Identity Center before
v1.37.0, an sso-session before v1.44.298, EKS Pod Identity before v1.47.11): second to no
credentials at all among the development texts with these words, and first or second when the
command names the profile. .NET's legacy `Amazon.Util.ProfileManager` reads the .NET SDK store alone,
so "A profile named ... has not been registered" is most often a profile written to
~/.aws/credentials that it never opens (aws/aws-sdk-net ProfileManager.cs; the sixty-first
batch's jp02)."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.aws import sharedfiles
from tests.unit.offline_json import diagnosed, step_text, text_only

GO_V1 = (
    "NoCredentialProviders: no valid providers in chain. Deprecated.\n"
    "\tFor verbose messaging see aws.Config.CredentialsChainVerboseErrors"
)


@pytest.mark.parametrize(
    "command",
    [
        "$ mytool logs tail --profile sandbox-admin",
        "$ mytool start -p sandbox-admin",
        "$ AWS_PROFILE=sandbox-admin mytool list",
        '  profile = "sandbox-admin"',
    ],
)
def test_a_named_profile_the_go_v1_chain_made_nothing_of_is_a_tool_too_old(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    ranked = text_only(capsys, f"{command}\nError: {GO_V1}")
    assert ranked[:2] == ["no-credentials", "tool-too-old-for-config"] or ranked[0] == (
        "tool-too-old-for-config"
    ), ranked
    assert "profile-not-found" in ranked[:5], ranked


def test_the_go_v1_chain_alone_keeps_no_credentials_first_with_a_too_old_tool_near(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ranked = text_only(capsys, f"fetch object from s3: {GO_V1}")
    assert ranked[0] == "no-credentials"
    assert "tool-too-old-for-config" in ranked[:5], ranked


def test_a_profile_words_elsewhere_do_not_count_without_the_go_v1_chain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ranked = text_only(
        capsys,
        "$ aws s3 ls --profile sandbox-admin\nUnable to locate credentials. You can"
        ' configure credentials by running "aws configure".',
    )
    assert ranked[0] == "no-credentials"
    assert "tool-too-old-for-config" not in ranked[:3], ranked


DOTNET = (
    "Amazon.Runtime.AmazonClientException: A profile named reporting has not been registered or"
    " contains invalid data.\n"
    "   at Amazon.Util.ProfileManager.GetAWSCredentials (System.String profileName)"
)


def test_the_dotnet_sdk_store_lookup_is_a_file_it_never_opens(
    capsys: pytest.CaptureFixture[str], clean_env: Path
) -> None:
    assert text_only(capsys, DOTNET)[:2] == ["credentials-file-location", "profile-not-found"]
    # the profile is in the shared credentials file, where `aws configure` wrote it
    (clean_env / ".aws" / "credentials").write_text(
        "[reporting]\naws_access_key_id = AKIA2ZQXVMWJH3KD7RNE\n"
        "aws_secret_access_key = 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\n",
        encoding="utf-8",
    )
    output = diagnosed(capsys, DOTNET)
    steps = step_text(output)
    assert output["steps"][0]["text"].find("CredentialProfileStoreChain") > 0, steps
    # the shell and service comparison is for botocore's files, not for the SDK store
    assert "Compare the failing context" not in steps


def test_other_sdks_missing_profiles_get_no_sdk_store_step(
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = diagnosed(capsys, "The config profile (reporting) could not be found")
    assert "CredentialProfileStoreChain" not in step_text(output)


@pytest.mark.parametrize(
    ("text", "profile"),
    [
        (DOTNET, "reporting"),
        (
            "Amazon.Runtime.AmazonClientException: Unable to find the 'reporting' profile.",
            "reporting",
        ),
        (
            "Profile file contained no credentials for profile 'reporting': ProfileFile(sections=[])",
            "reporting",
        ),
        ("java.lang.IllegalArgumentException: No AWS profile named 'reporting'", "reporting"),
        (
            "CredentialsProviderError: Could not resolve credentials using profile: [reporting] in"
            " configuration/credentials file(s).",
            "reporting",
        ),
    ],
)
def test_the_profile_other_sdks_did_not_find_is_the_one_the_probes_look_up(
    text: str, profile: str
) -> None:
    assert sharedfiles.profile_in_text(text) == profile


def test_a_published_port_is_no_profile(capsys: pytest.CaptureFixture[str]) -> None:
    ranked = text_only(capsys, f"$ docker run -p 8080:80 exporter\nError: {GO_V1}")
    assert ranked.index("tool-too-old-for-config") > 1, ranked
