"""A password in an endpoint URL (`https://user:password@host/`) is never in a probe's evidence.

Every probe that names the endpoint (its own words, a fact, botocore's endpoint) shows it as the
proxy's is shown, `user:****@host`; what botocore says about it is scrubbed on the way out.
The endpoint is a closed port on 127.0.0.1: nothing leaves this machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Evidence
from tests.nethelpers import closed_port
from tests.unit.probes.helpers import KEY, SECRET, probe_on_paste

PASSWORD = "s3cr3tP4ss"
ICTI = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)


def _texts(evidence: Evidence) -> list[str]:
    facts = [f"{fact.value} {fact.source} {fact.location}" for fact in evidence.facts.values()]
    return [evidence.summary, *evidence.details, *facts]


@pytest.fixture
def port(home: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    number = closed_port()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://user:{PASSWORD}@127.0.0.1:{number}")
    return number


@pytest.mark.parametrize(
    "probe_id",
    [
        "creds.env",
        "endpoint.override",
        "region.partition",
        "sts.identity",
        "clock.skew",
        "sign.proxy",
    ],
)
def test_a_probe_naming_the_endpoint_masks_its_password(port: int, probe_id: str) -> None:
    evidence = probe_on_paste(probe_id, ICTI)
    texts = _texts(evidence)
    assert not any(PASSWORD in text for text in texts), texts
    assert any(f"user:****@127.0.0.1:{port}" in text for text in texts), texts


@pytest.mark.parametrize("no_proxy", ["", ".internal"])
def test_the_proxy_for_the_endpoint_names_it_masked(
    port: int, monkeypatch: pytest.MonkeyPatch, no_proxy: str
) -> None:
    """sign.proxy says which endpoint the proxy is used or bypassed for (offline: no request)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://user:{PASSWORD}@minio.internal:9000")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.corp:3128")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    evidence = probe_on_paste("sign.proxy", ICTI)
    assert evidence.findings == ("proxy-bypassed" if no_proxy else "proxy-for-endpoint",)
    assert "user:****@minio.internal:9000" in evidence.summary
    assert not any(PASSWORD in text for text in _texts(evidence))


@pytest.mark.parametrize("probe_id", ["sts.identity", "sts.identity-regions", "region.partition"])
def test_a_short_password_of_a_refused_endpoint_is_masked(
    port: int, probe_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """botocore refuses `ci:pw1@host:9000` (no scheme) in `Invalid endpoint: ...`; a password
    too short for the book is still masked, whoever says it (a probe, or a probe that failed)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "ci:pw1@127.0.0.1:9000")
    evidence = probe_on_paste(probe_id, ICTI)
    texts = [*_texts(evidence), evidence.summary]
    assert any("Invalid endpoint: ci:****@127.0.0.1:9000" in text for text in texts), texts
    assert not any("pw1" in text for text in texts), texts
