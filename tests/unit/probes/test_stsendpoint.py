"""sts.endpoint-mode: the configured STS endpoint mode, and which endpoint answers.

The AWS host names are pointed at 127.0.0.1 by a resolver of the test's own (the probe's
RESOLVER seam), where one port listens and one is closed: no name is looked up and nothing leaves
the machine.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from awsmedic.model import Status
from awsmedic.probes import stsendpoint
from tests.unit.probes.helpers import probe


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bool]]:
    """The AWS host names at 127.0.0.1: the regional one on a listening port, the global one on
    a closed port. Tests flip a name's entry to make it answer or not."""
    answers = {"sts.amazonaws.com": False, "sts.eu-west-1.amazonaws.com": True}
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(8)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()

    def resolver(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        if host not in answers:
            raise socket.gaierror(f"no test address for {host}")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    class Ports(dict[str, int]):
        def get(self, host: str, default: Any = None) -> int:  # type: ignore[override]
            return listening.getsockname()[1] if answers.get(host) else closed_port

    monkeypatch.setattr(stsendpoint, "RESOLVER", resolver)
    monkeypatch.setattr(stsendpoint, "PORTS", Ports())
    yield answers
    listening.close()


def test_only_the_regional_endpoint_answers(network: dict[str, bool]) -> None:
    evidence = probe("sts.endpoint-mode", region="eu-west-1")
    assert evidence.findings == (
        "sts-mode-default",
        "sts-global-unreachable",
        "sts-regional-reachable",
    )
    assert evidence.status is Status.PROBLEM
    assert "reaches sts.eu-west-1.amazonaws.com but not sts.amazonaws.com" in evidence.summary


def test_legacy_set_and_no_region(
    network: dict[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy")
    evidence = probe("sts.endpoint-mode")
    assert evidence.findings == ("sts-legacy-configured", "sts-no-region", "sts-global-unreachable")


def test_the_setting_in_the_profile(network: dict[str, bool], home: Any) -> None:
    (home / ".aws" / "config").write_text(
        "[default]\nsts_regional_endpoints = regional\nregion = eu-west-1\n"
    )
    network["sts.amazonaws.com"] = True
    evidence = probe("sts.endpoint-mode")
    assert evidence.findings == (
        "sts-regional-configured",
        "sts-global-reachable",
        "sts-regional-reachable",
    )
    assert evidence.status is Status.OK


def test_an_endpoint_override_decides(
    network: dict[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1")
    assert "sts-endpoint-overridden" in probe("sts.endpoint-mode").findings


def test_china_has_no_global_endpoint(network: dict[str, bool]) -> None:
    evidence = probe("sts.endpoint-mode", region="cn-north-1")
    assert not any("global" in finding for finding in evidence.findings)
