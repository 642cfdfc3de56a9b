"""STS's "Specified provider doesn't exist" for a SAML sign-in: the provider ARN of the response
names no provider, or the call went to another partition's STS than the provider's (a GovCloud
provider asked of the standard endpoint: saml2aws, aws-okta and aws-adfs threads). The region the
profile sets tells which, where the paste does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from awsmedic.cli import main

SAML = (
    "> Requesting AWS credentials using SAML assertion\n"
    "> InvalidIdentityToken: Specified provider doesn't exist (Service: AWSOpenIdDiscoveryService;"
    " Status Code: 400; Error Code: AuthSamlManifestNotFoundException;"
)


def _diagnosis(capsys: pytest.CaptureFixture[str], home: Path, region: str) -> dict[str, Any]:
    (home / ".aws" / "config").write_text(f"[profile fed]\nregion = {region}\n")
    main(["diagnose", "--offline", "--no-input", "--profile", "fed", "--format", "json", SAML])
    return dict(json.loads(capsys.readouterr().out)["diagnosis"])


@pytest.mark.parametrize("region", ["us-gov-west-1", "cn-north-1"])
def test_a_profile_in_another_partition_is_the_partition(
    capsys: pytest.CaptureFixture[str], home: Path, region: str
) -> None:
    assert _diagnosis(capsys, home, region)["cause"] == "wrong-partition"


def test_a_standard_region_is_the_response_s_provider(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    assert _diagnosis(capsys, home, "us-east-1")["cause"] == "saml-assertion-invalid"
