"""The profile the probes check is the one the paste names, in any SDK's words.

The matcher reads every phrase's `{profile}` slot; the probes used to look for the profile with
a short list of message patterns of their own, and checked `default` for every other SDK's
message (JavaScript v2's "Profile qa not found" was "confirmed" fine from the default profile).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from awsmedic.aws import sharedfiles
from tests.conftest import make_context
from tests.unit.offline_json import diagnosed

CREDENTIALS = """\
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[staging]
aws_access_key_id = AKIAI44QH8DHBEXAMPLE
"""


@pytest.fixture
def two_profiles(clean_env: Path) -> Path:
    (clean_env / ".aws" / "credentials").write_text(CREDENTIALS)
    return clean_env


def _probe(output: dict[str, Any], probe_id: str) -> dict[str, Any]:
    return next(probe for probe in output["probes"] if probe["id"] == probe_id)


def test_a_javascript_v2_profile_missing_here_is_confirmed_for_that_profile(
    two_profiles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = diagnosed(capsys, "Error [CredentialsProviderError]: Profile qa not found")
    profile = _probe(output, "config.profile")
    assert profile["status"] == "problem"
    assert "profile 'qa'" in str(profile["summary"])
    assert output["diagnosis"] is not None
    assert output["diagnosis"]["cause"] == "profile-not-found"


def test_a_javascript_v2_profile_that_exists_here_is_checked_not_default(
    two_profiles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = diagnosed(capsys, "Error [CredentialsProviderError]: Profile staging not found")
    summary = str(_probe(output, "config.profile")["summary"])
    assert "profile 'staging'" in summary
    assert "[staging]" in summary


def test_a_java_v1_profile_without_its_secret_is_found_on_its_own_line(
    two_profiles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = diagnosed(
        capsys,
        "com.amazonaws.SdkClientException: Unable to load credentials into profile [staging]:"
        " AWS Secret Access Key is not specified.",
    )
    syntax = _probe(output, "files.syntax")
    assert syntax["status"] == "problem"
    assert "[staging]" in str(syntax["summary"])
    assert output["diagnosis"]["confidence"] == "confirmed"


def test_the_recognised_profile_comes_before_the_environment_and_after_an_explicit_one(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "from-env")
    ctx = make_context()
    chosen = sharedfiles.selected_profile(ctx, "Profile qa not found", "qa")
    assert (chosen.name, chosen.source) == ("qa", "the error text")
    assert sharedfiles.selected_profile(ctx, "no profile in these words").name == "from-env"
    explicit = sharedfiles.selected_profile(make_context(profile="mine"), "x", "qa")
    assert explicit.name == "mine"


def test_a_go_role_error_names_its_source_profile_which_is_not_the_one_asked_for(
    clean_env: Path,
) -> None:
    (clean_env / ".aws" / "config").write_text(
        "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
        "source_profile = base\n"
    )
    text = (
        "failed to load assume role for arn:aws:iam::123456789012:role/deploy, source profile"
        " base has no shared credentials"
    )
    # the matcher's slot (and the pattern) would read `base`; the role profile is `deploy`
    assert sharedfiles.selected_profile(make_context(), text, "base").name == "deploy"
