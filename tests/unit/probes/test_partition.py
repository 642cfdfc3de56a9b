"""region.partition: failing region, partition, opt-in status and the STS token version."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.aws.regions import DEFAULT_ENABLED, opt_in_regions, partition_of
from awsmedic.model import Evidence
from tests.unit.probes.helpers import probe_on_paste


def region_probe(text: str = "", **ctx: object) -> Evidence:
    return probe_on_paste("region.partition", text, **ctx)


def test_opt_in_regions_come_from_botocore_data() -> None:
    regions = opt_in_regions()
    assert {"ap-east-1", "me-south-1", "eu-south-1", "il-central-1"} <= set(regions)
    assert not set(regions) & DEFAULT_ENABLED
    assert partition_of("cn-north-1") == "aws-cn"
    assert partition_of("us-gov-west-1") == "aws-us-gov"
    assert partition_of("us-east1") is None


def test_no_region_means_the_global_sts_endpoint(home: Path) -> None:
    evidence = region_probe()
    assert {"no-region", "sts-global-endpoint"} <= set(evidence.findings)
    assert "region" not in evidence.facts


def test_region_from_the_profile_and_regional_sts(home: Path) -> None:
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    evidence = region_probe()
    assert {"failing-region-default-enabled", "sts-regional-endpoint"} <= set(evidence.findings)
    assert evidence.facts["region"].value == "eu-west-1"
    assert evidence.facts["region"].source == "config-file"


def test_the_region_in_the_error_wins_and_opt_in_is_recognised(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    evidence = region_probe(
        "$ aws ec2 describe-instances --region ap-east-1\n"
        "An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was"
        " not able to validate the provided access credentials"
    )
    assert {"failing-region-opt-in", "failing-region-from-error"} <= set(evidence.findings)
    assert evidence.facts["region"].value == "ap-east-1"
    # Where the paste showed it: the command line's --region.
    assert evidence.facts["region"].source == "pasted command line"
    assert evidence.facts["region"].location == "--region"


def test_legacy_sts_setting_sends_sts_to_the_global_endpoint(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy")
    assert "sts-global-endpoint" in region_probe().findings
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-south-1")  # not a legacy global region
    assert "sts-regional-endpoint" in region_probe().findings


def test_an_endpoint_override_does_not_hide_the_token_version(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    evidence = region_probe()
    assert "sts-global-endpoint" in evidence.findings
    assert any("overridden; without it https://sts.amazonaws.com" in d for d in evidence.details)


@pytest.mark.parametrize(
    ("config", "text", "finding"),
    [
        (
            "[default]\nregion = us-east-1\nrole_arn = arn:aws-cn:iam::123456789012:role/r\n"
            "source_profile = default\n",
            "",
            "partition-mismatch",
        ),
        (
            "[default]\nregion = us-east-1\n",
            "Could not connect to sts.cn-north-1.amazonaws.com.cn",
            "partition-mismatch",
        ),
        ("[default]\nregion = cn-northwest-1\n", "", "failing-region-china"),
        ("[default]\nregion = us-gov-east-1\n", "", "failing-region-govcloud"),
        ("[default]\nregion = eusc-de-east-1\n", "", "failing-region-other-partition"),
    ],
)
def test_partitions(home: Path, config: str, text: str, finding: str) -> None:
    (home / ".aws" / "config").write_text(config)
    assert finding in region_probe(text).findings


def test_aws_region_alone_is_not_read_by_botocore(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-south-1")
    evidence = region_probe()
    assert {"aws-region-ignored", "no-region"} <= set(evidence.findings)
