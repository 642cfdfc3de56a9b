"""config.region: the region botocore would use, where it came from, and whether it is real."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Status
from awsmedic.probes.regionconf import check_region
from tests.unit.probes.helpers import probe


def config(home: Path, text: str) -> None:
    (home / ".aws" / "config").write_text(text)


def test_botocore_order_flag_then_env_then_profile(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config(home, "[default]\nregion = eu-west-1\n")
    evidence = probe("config.region")
    assert evidence.findings == ("region-set",)
    assert evidence.facts["region"].value == "eu-west-1"
    assert evidence.facts["region"].location == "~/.aws/config line 2 [default]"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    assert probe("config.region").facts["region"].value == "eu-central-1"
    assert probe("config.region", region="us-west-2").facts["region"].source == "--region"


def test_the_credentials_file_region_counts_too(home: Path) -> None:
    (home / ".aws" / "credentials").write_text("[default]\nregion = ap-south-1\n")
    evidence = probe("config.region")
    assert evidence.facts["region"].location == "~/.aws/credentials line 2 [default]"


def test_no_region(home: Path) -> None:
    evidence = probe("config.region")
    assert evidence.findings == ("region-missing",)
    assert evidence.status is Status.PROBLEM


def test_aws_region_is_not_read_by_boto3(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    evidence = probe("config.region")
    assert {"region-missing", "region-only-aws-region"} <= set(evidence.findings)
    assert "read only AWS_DEFAULT_REGION" in evidence.summary


def test_a_region_only_in_aws_default_region(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert "region-only-default-region" in probe("config.region").findings
    # AWS_REGION or the profile's region: SDKs that ignore AWS_DEFAULT_REGION find one there.
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert "region-only-default-region" not in probe("config.region").findings
    monkeypatch.delenv("AWS_REGION")
    config(home, "[default]\nregion = eu-west-1\n")
    assert "region-only-default-region" not in probe("config.region").findings


def test_named_profiles_do_not_inherit_the_default_region(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config(home, "[default]\nregion = eu-west-1\n[profile dev]\noutput = json\n")
    monkeypatch.setenv("AWS_PROFILE", "dev")
    evidence = probe("config.region")
    assert {"region-missing", "region-only-in-default"} <= set(evidence.findings)
    assert "~/.aws/config line 2 [default]" in evidence.summary


def test_an_empty_region_line(home: Path) -> None:
    config(home, "[default]\nregion =\n")
    evidence = probe("config.region")
    assert evidence.findings == ("region-empty",)


@pytest.mark.parametrize(
    ("region", "finding", "says"),
    [
        ("eu-west-1 ", "region-stray-characters", "trailing whitespace"),
        ('"eu-west-1"', "region-stray-characters", "quotes"),
        ("us_east_1", "region-malformed", "did you mean 'us-east-1'"),
        ("us-east1", "region-unknown", "did you mean 'us-east-1'"),
        ("eu-west-1a", "region-az-name", "the region is 'eu-west-1'"),
        ("US-EAST-1", "region-uppercase", "'us-east-1'"),
        ("eu-west-9", "region-not-listed", "does not list it"),
        ("ap-southeast-9", "region-not-listed", "does not list it"),
        # a region's shape, but not a word regions are named with: a typo (audit 4 s07)
        ("eu-wset-1", "region-unknown", "did you mean 'eu-west-1'"),
        ("eu-west-1", "region-set", "known region"),
    ],
)
def test_region_names(region: str, finding: str, says: str) -> None:
    findings, sentence = check_region(region)
    assert finding in findings
    assert says in sentence


def test_the_value_in_an_invalid_region_error_wins(home: Path) -> None:
    config(home, "[default]\nregion = eu-west-1\n")
    evidence = probe(
        "config.region", "Provided region_name 'eu-west-1 ' doesn't match a supported format."
    )
    assert {"region-stray-characters", "region-from-error"} <= set(evidence.findings)
    assert evidence.facts["region"].source == "the error text"


def test_terraform_names_the_region_and_its_file_writes_it(home: Path, tmp_path: Path) -> None:
    """Terraform's provider quotes the value ("invalid AWS Region: US-EAST-1") and names only
    the block: the .tf file in the working directory says which line writes it."""
    directory = tmp_path / "tf"
    directory.mkdir()
    (directory / "main.tf").write_text('provider "aws" {\n  region = "US-EAST-1"\n}\n')
    text = (
        "Error: invalid AWS Region: US-EAST-1\n\n"
        '  with provider["registry.terraform.io/hashicorp/aws"],\n'
        '  on main.tf line 1, in provider "aws":\n   1: provider "aws" {\n'
    )
    evidence = probe("config.region", text, cwd=directory)
    assert {"region-uppercase", "region-in-terraform"} <= set(evidence.findings)
    assert "region-in-tf-backend" not in evidence.findings
    assert evidence.facts["terraform_setting"].value == "main.tf line 2"
    assert evidence.facts["suggested_region"].value == "us-east-1"


def test_the_backend_region_line_terraform_shows_is_enough(home: Path, tmp_path: Path) -> None:
    """Without the .tf files, the source line Terraform prints under the diagnostic gives it."""
    text = (
        "Error: Invalid region value\n\n  on main.tf line 5, in terraform:\n"
        '   5:     region         = "eu-west1"\n\nInvalid AWS Region: eu-west1\n'
    )
    evidence = probe("config.region", text, cwd=tmp_path)
    assert {"region-unknown", "region-in-terraform", "region-in-tf-backend"} <= set(
        evidence.findings
    )
    assert evidence.facts["terraform_setting"].value == "main.tf line 5"
    assert evidence.facts["suggested_region"].value == "eu-west-1"


def test_an_empty_aws_region_is_the_javascript_sdks_region(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Audit 4 s22: the JavaScript SDK v3 reads AWS_REGION before the profile's region
    (@smithy NODE_REGION_CONFIG_OPTIONS, configLoader's chain), and fromEnv gives up only on
    `undefined`: AWS_REGION="" is its region, which checkRegion refuses. The variable is named,
    and the profile's region it hides is the one meant."""
    from tests.unit.probes.helpers import probe_on_paste

    config(home, "[default]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_REGION", "")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    paste = 'Error: Region not accepted: region="" is not a valid hostname component.'
    evidence = probe_on_paste("config.region", paste)
    assert {"region-empty", "region-from-env"} <= set(evidence.findings)
    assert evidence.facts["region"].value == ""
    assert evidence.facts["region"].location == "AWS_REGION"
    assert evidence.facts["region_variable"].value == "AWS_REGION"
    assert evidence.facts["suggested_region"].value == "eu-west-1"
    assert evidence.summary == (
        "region '' (env, AWS_REGION) is empty, and the JavaScript SDK v3 reads AWS_REGION before"
        " the profile's region: an empty value still counts as set; it hides region 'eu-west-1'"
        " (~/.aws/config line 2 [default])"
    )
    # botocore does not read AWS_REGION: for boto3 the profile's region is the region.
    assert probe("config.region").facts["region"].value == "eu-west-1"


def test_the_javascript_sdk_reads_no_aws_default_region_over_the_profile(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.unit.probes.helpers import probe_on_paste

    config(home, "[default]\nregion = eu-west-1\n")
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    paste = "CredentialsProviderError: Could not load credentials from any providers"
    assert probe_on_paste("config.region", paste).facts["region"].value == "eu-west-1"
    assert probe("config.region").facts["region"].value == "eu-central-1"
