"""endpoint.override: botocore's own endpoint resolution for the failing service and STS."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Evidence, Status
from awsmedic.probes.endpoints import host_kind
from tests.unit.probes.helpers import probe_on_paste

S3_ERROR = (
    "An error occurred (InvalidAccessKeyId) when calling the ListBuckets operation: "
    "The AWS Access Key Id you provided does not exist in our records."
)
STS_ERROR = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)


def endpoint_probe(text: str = "", **ctx: object) -> Evidence:
    return probe_on_paste("endpoint.override", text, **ctx)


@pytest.fixture(autouse=True)
def _region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def test_nothing_configured(home: Path) -> None:
    evidence = endpoint_probe(S3_ERROR)
    assert evidence.findings == ("no-endpoint-override",)
    assert evidence.facts["service"].value == "s3"
    assert "s3 goes to https://s3.amazonaws.com" in evidence.summary
    assert "endpoint_url" not in evidence.facts


def test_a_service_variable_sends_only_that_service_elsewhere(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "https://play.min.io")
    evidence = endpoint_probe(S3_ERROR)
    assert {
        "endpoint-override-for-service",
        "endpoint-override-not-aws",
        "endpoint-differs-from-sts",
    } <= set(evidence.findings)
    assert "endpoint-override-for-sts" not in evidence.findings
    assert evidence.facts["endpoint_url"].value == "https://play.min.io"
    assert evidence.facts["endpoint_url"].source == "AWS_ENDPOINT_URL_S3"
    assert evidence.status is Status.PROBLEM


def test_the_global_variable_applies_to_everything(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://localhost:4566")
    evidence = endpoint_probe(S3_ERROR)
    assert {
        "endpoint-override-for-service",
        "endpoint-override-local",
        "endpoint-override-for-sts",
    } <= set(evidence.findings)
    assert "endpoint-differs-from-sts" not in evidence.findings
    assert evidence.facts["endpoint_url"].source == "AWS_ENDPOINT_URL"


def test_services_section_in_the_config_file(home: Path) -> None:
    (home / ".aws" / "config").write_text(
        "[default]\nservices = local\n[services local]\ndynamodb =\n"
        "  endpoint_url = http://localhost:8000\n"
    )
    evidence = endpoint_probe(S3_ERROR)
    assert "endpoint-override-missing-for-service" in evidence.findings
    dynamo = endpoint_probe(
        "The security token included in the request is invalid (Service: AmazonDynamoDBv2; "
        "Status Code: 400; Error Code: UnrecognizedClientException)"
    )
    assert {"endpoint-override-for-service", "endpoint-differs-from-sts"} <= set(dynamo.findings)
    assert dynamo.facts["endpoint_url"].source == "[services] section of the profile"


def test_a_missing_services_section(home: Path) -> None:
    (home / ".aws" / "config").write_text("[default]\nservices = nowhere\n")
    assert endpoint_probe(S3_ERROR).findings == ("services-section-missing",)


def test_profile_endpoint_url_and_ignore_switch(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / ".aws" / "config").write_text("[default]\nendpoint_url = http://127.0.0.1:9000\n")
    assert "endpoint-override-for-sts" in endpoint_probe(STS_ERROR).findings
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    evidence = endpoint_probe(STS_ERROR)
    assert evidence.findings == ("endpoint-overrides-ignored",)
    assert "sts goes to https://sts.us-east-1.amazonaws.com" in evidence.summary


def test_unknown_service_falls_back_to_sts(home: Path) -> None:
    evidence = endpoint_probe(
        "InvalidClientTokenId: The security token included in the request is invalid"
    )
    assert evidence.facts["service"].value == "sts"
    assert any("does not say which service" in d for d in evidence.details)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://localhost:4566", "local"),
        ("http://127.0.0.1:5000", "local"),
        ("http://[::1]:80", "local"),
        ("https://s3.eu-west-1.amazonaws.com", "aws"),
        ("https://sts.cn-north-1.amazonaws.com.cn", "aws"),
        ("https://play.min.io", "other"),
        ("https://10.0.0.5", "other"),
    ],
)
def test_host_kind(url: str, kind: str) -> None:
    assert host_kind(url) == kind


def test_without_a_region_sts_is_said_to_go_where_botocore_sends_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No region anywhere: botocore sends STS to its global endpoint, not to us-east-1's."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    evidence = endpoint_probe(STS_ERROR)
    assert "sts goes to https://sts.amazonaws.com" in evidence.summary
    assert evidence.findings == ("no-endpoint-override",)


def test_without_a_region_a_regional_service_names_no_region(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    evidence = endpoint_probe(
        "An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was"
        " not able to validate the provided access credentials"
    )
    assert evidence.facts["service"].value == "ec2"
    assert "ec2 goes to https://ec2.<region>.amazonaws.com" in evidence.summary


def test_without_a_region_an_override_naming_a_region_is_kept(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    url = "https://vpce-1.ec2.us-east-1.vpce.amazonaws.com"
    monkeypatch.setenv("AWS_ENDPOINT_URL_EC2", url)
    evidence = endpoint_probe(
        "An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was"
        " not able to validate the provided access credentials"
    )
    assert "endpoint-override-for-service" in evidence.findings
    assert evidence.facts["endpoint_url"].value == url


def test_where_the_override_in_effect_is_set(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps name that one place: the variable (unset it) or the profile's line."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:4598")
    evidence = endpoint_probe(STS_ERROR)
    assert "endpoint-from-env" in evidence.findings
    assert "endpoint-from-config" not in evidence.findings
    assert evidence.facts["endpoint_variable"].value == "AWS_ENDPOINT_URL_STS"
    monkeypatch.delenv("AWS_ENDPOINT_URL_STS")
    (home / ".aws" / "config").write_text("[default]\nendpoint_url = http://127.0.0.1:9000\n")
    evidence = endpoint_probe(STS_ERROR)
    assert "endpoint-from-config" in evidence.findings
    assert "endpoint_variable" not in evidence.facts


def test_the_environment_tells_an_sts_override_without_a_probe(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check` runs no endpoint probe: the context knows the variable botocore reads for STS."""
    from awsmedic.core.remedy import context_facts, context_findings
    from tests.conftest import make_context

    assert "endpoint-from-env" not in context_findings(make_context())
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:4598")
    assert "endpoint-from-env" in context_findings(make_context())
    assert context_facts(make_context())["endpoint_variable"].value == "AWS_ENDPOINT_URL_STS"
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    assert "endpoint-from-env" not in context_findings(make_context())


def test_without_an_endpoint_variable_the_context_reads_no_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every diagnosis builds the context: reading the shared files there cost a 10 MB
    credentials file a second (make bench), for a setting that only switches a variable off."""
    from awsmedic.aws import sharedfiles
    from awsmedic.core.remedy import context_facts
    from tests.conftest import make_context

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the shared files were read")

    monkeypatch.setattr(sharedfiles, "load", refuse)
    assert "endpoint_variable" not in context_facts(make_context())
