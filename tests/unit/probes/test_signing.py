"""sign.region (the region a signature was scoped to) and sign.proxy (what carries requests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.aws import netroute
from awsmedic.model import Status
from tests.unit.probes.helpers import probe


def test_an_availability_zone_in_the_credential_scope(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1a")
    evidence = probe(
        "sign.region",
        "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: "
        "Credential should be scoped to a valid region, not 'us-east-1a'. ",
    )
    assert evidence.findings[0] == "signed-region-invalid"
    assert {"configured-region-invalid", "signed-region-configured"} <= set(evidence.findings)
    assert "availability zone; its region is 'us-east-1'" in evidence.summary
    assert evidence.facts["region"].value == "us-east-1a"


def test_s3_bucket_in_another_region(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / ".aws" / "config").write_text("[profile web]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_PROFILE", "web")
    evidence = probe(
        "sign.region",
        "An error occurred (AuthorizationHeaderMalformed) when calling the GetObject operation: "
        "The authorization header is malformed; the region 'us-east-1' is wrong; expecting "
        "'eu-central-1'",
    )
    assert evidence.findings == ("region-mismatch", "signed-region-configured")
    assert evidence.facts["bucket_region"].value == "eu-central-1"
    assert evidence.facts["profile"].value == "web"
    assert "profile web" in evidence.summary


def test_the_tool_chose_its_own_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    evidence = probe("sign.region", "the region 'us-east-1' is wrong; expecting 'eu-central-1'")
    assert evidence.findings == ("region-mismatch", "signed-region-not-configured")


def test_the_expected_region_from_other_s3_answers() -> None:
    for text in (
        "<Code>PermanentRedirect</Code><Endpoint>b.s3.eu-west-2.amazonaws.com</Endpoint>",
        "The ap-east-1 location constraint is incompatible for the region specific endpoint",
    ):
        evidence = probe("sign.region", text)
        assert evidence.findings == ("region-mismatch",)
        assert evidence.facts["bucket_region"].value in ("eu-west-2", "ap-east-1")


def test_no_region_in_the_error() -> None:
    evidence = probe("sign.region", "An error occurred (301) when calling the HeadObject operation")
    assert evidence.findings == ("no-region-in-error",)
    assert evidence.status is Status.OK


def test_no_proxy_bypasses_like_urllib() -> None:
    env = {
        "HTTPS_PROXY": "http://upper:1",
        "https_proxy": "http://lower:2",
        "NO_PROXY": ".internal,amazonaws.com",
    }
    assert netroute.proxy_for("https://sts.us-east-1.amazonaws.com/", env)[0] is None
    assert netroute.proxy_for("https://x.internal:443/", env)[0] is None
    proxy = netroute.proxy_for("https://sts.amazonaws.com.evil.example/", env)[0]
    assert proxy is not None and proxy.url == "http://lower:2"


def test_a_proxy_for_the_sts_endpoint_is_reported_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("HTTPS_PROXY", "http://me:hunter2hunter2@proxy.corp:3128")
    monkeypatch.setenv("AWS_CA_BUNDLE", "/etc/corp-ca.pem")
    evidence = probe("sign.proxy")
    assert evidence.findings == ("proxy-for-endpoint", "custom-ca-bundle")
    assert "https://sts.eu-west-1.amazonaws.com" in evidence.summary
    assert "me:****@proxy.corp:3128" in evidence.summary
    assert "hunter2" not in repr(evidence) + evidence.summary
    assert [s.reveal() for s in evidence.secrets] == ["hunter2hunter2"]


def test_no_proxy_bypass_and_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert probe("sign.proxy").findings == ("no-proxy",)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp:3128")
    monkeypatch.setenv("NO_PROXY", "169.254.169.254,.amazonaws.com")
    assert probe("sign.proxy").findings == ("proxy-bypassed",)


def test_an_opt_in_region_in_the_credential_scope() -> None:
    evidence = probe(
        "sign.region", "Credential should be scoped to a valid region, not 'ap-east-1'. "
    )
    assert evidence.findings == ("signed-region-opt-in",)
    assert "opt-in region" in evidence.summary
