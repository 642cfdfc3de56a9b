"""`awsmedic check` where AWS could not be reached (audit 3: s23b, s24, s25).

A call AWS never answered checked nothing of the credentials. But where a setting of this
machine is why (an endpoint override nothing answers at, a CA bundle that cannot work), the
walk of that error confirms it as `diagnose` would, and that is a problem found (exit 1), with
the same cause. A walk that confirms no setting, or finds the network itself, leaves the row
"not checked".

Everything is on loopback: closed ports, and a listener that accepts and never answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from awsmedic.core import check
from awsmedic.core.check import Checker, SetupReport, Verdict
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Knowledge
from awsmedic.model import Confidence, Diagnosis
from awsmedic.safety.redact import SecretBook
from tests.awsfixtures import free_port
from tests.conftest import make_context
from tests.hardening.servers import blackhole
from tests.unit.probes.helpers import KEY, SECRET


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked(knowledge_dirs({}))


@pytest.fixture(autouse=True)
def keys(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")


def _check(knowledge: Knowledge) -> tuple[SetupReport, Verdict]:
    ctx = make_context(network_timeout=1.0)
    report = Checker(ctx, knowledge, SecretBook()).check(every=False)
    return report, report.subjects[0]


def test_an_endpoint_url_in_the_profile_nothing_answers_at(
    knowledge: Knowledge, home: Path
) -> None:
    """s24: `endpoint_url` in [default] at a port where nothing listens."""
    port = free_port()
    (home / ".aws" / "config").write_text(
        f"[default]\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:{port}\n"
    )
    report, verdict = _check(knowledge)
    assert not report.ok
    assert verdict.state == "broken" and verdict.diagnosis is not None
    assert (verdict.diagnosis.cause, verdict.diagnosis.confidence) == (
        "endpoint-override",
        Confidence.CONFIRMED,
    )
    assert f"127.0.0.1:{port}" in verdict.summary
    assert "connection refused" in verdict.summary


def test_a_service_endpoint_variable_nothing_answers_at(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s25: only AWS_ENDPOINT_URL_STS, at a stopped emulator's port."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", f"http://127.0.0.1:{free_port()}")
    _, verdict = _check(knowledge)
    assert verdict.state == "broken" and verdict.diagnosis is not None
    assert verdict.diagnosis.cause == "endpoint-override"
    assert "AWS_ENDPOINT_URL_STS" in verdict.summary


def test_a_ca_bundle_that_does_not_exist(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """s23b: AWS_CA_BUNDLE names a missing file, the endpoint is HTTPS. botocore connects, then
    cannot load the bundle (SSLError): the bundle, not the network."""
    missing = tmp_path / "corp-root-ca.pem"
    monkeypatch.setenv("AWS_CA_BUNDLE", str(missing))
    with blackhole() as hole:
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"https://127.0.0.1:{hole.port}")
        _, verdict = _check(knowledge)
    assert verdict.state == "broken" and verdict.diagnosis is not None
    assert (verdict.diagnosis.cause, verdict.diagnosis.confidence) == (
        "tls-or-proxy",
        Confidence.CONFIRMED,
    )
    assert "the CA bundle cannot work" in verdict.summary and "does not exist" in verdict.summary


def test_an_endpoint_that_accepts_and_never_answers_is_not_checked(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The override answers a TCP connection now: the walk confirms nothing (the tree's
    "possible"), so nothing was found, and nothing was checked."""
    with blackhole() as hole:
        monkeypatch.setenv("AWS_ENDPOINT_URL", hole.url)
        report, verdict = _check(knowledge)
    assert (verdict.state, verdict.diagnosis) == ("unchecked", None)
    assert verdict.summary.startswith("not checked")
    assert report.ok


def test_the_network_itself_stays_not_checked(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A walk that confirms the network itself (connection-failed: blocked) is no setting of
    this machine: the row stays "not checked". (No test reaches past loopback, so the walk's
    conclusion is given here; the call AWS never answered is real.)"""
    real = Checker._consult

    def network(self: Checker, case: Any, text: str) -> Any:
        outcome = real(self, case, text)
        diagnosis = Diagnosis("network-unreachable", "", Confidence.CONFIRMED, (), "", ())
        outcome.diagnosis = diagnosis
        return outcome

    monkeypatch.setattr(Checker, "_consult", network)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    report, verdict = _check(knowledge)
    assert (verdict.state, verdict.diagnosis) == ("unchecked", None)
    assert "network-unreachable" in check.NETWORK_CAUSES
    assert report.ok
