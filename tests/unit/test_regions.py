"""Region and partition facts, from botocore's partitions data."""

from __future__ import annotations

import pytest

from awsmedic.aws import regions


@pytest.mark.parametrize(
    ("region", "status"),
    [
        ("us-east-1", "known"),
        ("eu-south-1", "opt-in"),
        ("cn-north-1", "known"),
        ("us-gov-west-1", "known"),
        ("us-east-1a", "not-a-region"),
        ("us_east_1", "not-a-region"),
        ("eu-west-9", "unknown"),
        ("aws-global", "known"),
    ],
)
def test_region_status_from_botocore_partitions(region: str, status: str) -> None:
    assert regions.status(region) == status


@pytest.mark.parametrize(
    ("name", "verdict", "meant"),
    [
        ("eu-west-1", "valid", None),
        ("us-east-1a", "invalid", "us-east-1"),
        ("us_east_1", "invalid", "us-east-1"),
        ("EU-WEST-1", "invalid", "eu-west-1"),
        ("us-east1", "invalid", "us-east-1"),
        ("eu-nowhere-9", "unknown", None),
        ("xx-nowhere-9", "invalid", None),
        ("OTHER REGION", "invalid", None),
    ],
)
def test_region_names(name: str, verdict: str, meant: str | None) -> None:
    assert regions.verdict(name) == (verdict, meant)


def test_opt_in_regions_are_listed_regions_outside_the_default_set() -> None:
    opt_in = regions.opt_in_regions()
    assert "eu-south-1" in opt_in and "us-east-1" not in opt_in
    assert all(regions.partition_of(region) == "aws" for region in opt_in)


def test_zones_and_near_misses() -> None:
    assert regions.without_zone("us-east-1a") == "us-east-1"
    assert regions.without_zone("us-east-1") == "us-east-1"
    assert regions.nearest("us-east1") == "us-east-1"
    assert regions.nearest("banana") is None


def test_the_opt_in_list_is_read_without_importing_botocore() -> None:
    """Recognising a paste asks for the opt-in regions; importing botocore for that would cost a
    text-only diagnosis a third of a second."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from awsmedic.kb import load_checked, shipped_dir\n"
        "from awsmedic.core.match import Matcher\n"
        "found = Matcher(load_checked([shipped_dir()])).recognise("
        "'An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation:"
        " The security token included in the request is invalid. region me-central-1')\n"
        "assert found.best, found\n"
        "print('botocore' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "False"


def test_fips_endpoints_come_from_botocores_endpoints_data() -> None:
    """STS has FIPS endpoints in the US and GovCloud regions only (botocore's endpoints.json);
    S3 in Canada too. A region the data does not list for the service cannot be told."""
    from botocore.loaders import create_loader

    data = create_loader().load_data("endpoints")
    aws = next(p for p in data["partitions"] if p["partition"] == "aws")
    sts = aws["services"]["sts"]["endpoints"]
    listed = {
        region
        for region, entry in sts.items()
        if any(v.get("tags") == ["fips"] for v in entry.get("variants", ()))
    }
    assert listed <= regions.fips_regions("sts")
    assert regions.has_fips_endpoint("sts", "eu-west-1") is False
    assert regions.has_fips_endpoint("sts", "us-east-1") is True
    assert regions.has_fips_endpoint("sts", "us-gov-west-1") is True
    assert regions.has_fips_endpoint("s3", "ca-central-1") is True
    assert regions.has_fips_endpoint("sts", "xx-nowhere-1") is None
    assert regions.has_fips_endpoint("no-such-service", "us-east-1") is None
