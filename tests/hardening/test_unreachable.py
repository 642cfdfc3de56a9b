"""With AWS out of reach, nothing that failed to connect counts as evidence.

Real setups (keys in ~/.aws/credentials, environment keys shadowing a profile) against an
endpoint where nothing listens, one that accepts and never answers, and under --offline: the
checks that need AWS say "not checked" and why, `offline` lists them, the diagnosis's evidence
holds no connection error, and the walk goes on with what is known.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from awsmedic.model import Status, Unchecked
from tests.hardening.servers import blackhole
from tests.hardening.test_bounded import ICTI, KEY, SECRET, run_one
from tests.nethelpers import closed_port

#: Words of a failed connection: none may appear in evidence or in a probe's findings-based line.
CONNECTION_WORDS = ("EndpointConnectionError", "Could not connect", "Timeout", "timed out")
OTHER_KEY = "AKIAQ3EGUH4NLNXQ7ZQW"
OTHER_SECRET = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI"


@pytest.fixture
def static_keys(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    path = home / ".aws" / "credentials"
    path.write_text(f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
    return path


def diagnose(*args: str, endpoint: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if endpoint is not None:
        env["AWS_ENDPOINT_URL"] = endpoint
    return subprocess.run(
        [sys.executable, "-m", "awsmedic", "diagnose", "--no-input", *args, ICTI],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def evidence_of(report: dict[str, Any]) -> list[str]:
    return list(report["diagnosis"]["evidence"]) if report["diagnosis"] else []


@pytest.mark.slow
@pytest.mark.usefixtures("static_keys")
def test_nothing_listening_no_connection_error_is_evidence_and_offline_says_what() -> None:
    result = diagnose("--format", "json", endpoint=f"http://127.0.0.1:{closed_port()}")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for line in evidence_of(report):
        assert not any(word in line for word in CONNECTION_WORDS), line
    probes = {p["id"]: p for p in report["probes"]}
    assert probes["sts.identity"]["status"] == "skipped"
    assert probes["sts.identity"]["summary"].startswith(
        "not checked: AWS could not be reached from here (EndpointConnectionError"
    )
    offline = report["offline"]
    assert any(
        line.startswith("Caller identity (sts:GetCallerIdentity): AWS could not")
        for line in offline
    )
    assert any(line.startswith("Identity in the failing region") for line in offline)
    assert all("EndpointConnectionError" in line for line in offline)
    # The walk went on with what is known: local checks, then the tree's own questions.
    assert "region.partition" in probes and report["questions"]


@pytest.mark.slow
@pytest.mark.usefixtures("static_keys")
def test_the_text_output_says_once_what_could_not_be_checked() -> None:
    result = diagnose(endpoint=f"http://127.0.0.1:{closed_port()}")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("Not checked: AWS could not be reached from here: 2 checks skipped") == 1
    # Each failure is told once, in that section; the progress lines only say "not checked".
    assert out.count("EndpointConnectionError") == 2
    assert "Caller identity (sts:GetCallerIdentity): not checked\n" in out
    assert "refused" not in out.split("Not checked:")[1].split("\n\n")[0]


@pytest.mark.slow
@pytest.mark.usefixtures("static_keys")
def test_offline_the_skipped_checks_are_listed_and_not_evidence() -> None:
    result = diagnose("--format", "json", "--offline")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    skipped = [p for p in report["probes"] if p["status"] == "skipped"]
    assert skipped and all("--offline" in p["summary"] for p in skipped)
    assert report["offline"] == [
        line for line in report["offline"] if "--offline (this check uses the network)" in line
    ]
    assert len(report["offline"]) == len(skipped)
    for line in evidence_of(report):
        assert "--offline" not in line and "skipped" not in line


@pytest.mark.usefixtures("home")
def test_shadowed_keys_that_time_out_are_not_refused_too(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check of the keys the user probably meant, against an endpoint that never answers:
    it could not check, it did not find them refused (it said "refused too: ReadTimeoutError")."""
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {OTHER_KEY}\naws_secret_access_key = {OTHER_SECRET}\n"
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with blackhole() as hole:
        monkeypatch.setenv("AWS_ENDPOINT_URL", hole.url)
        evidence = run_one("sts.intended-identity", network_timeout=0.5)
    assert evidence.status is Status.SKIPPED and evidence.unchecked is Unchecked.UNREACHABLE
    assert "intended-rejected" not in evidence.findings
    assert "refused" not in evidence.summary and "ReadTimeoutError" in evidence.summary


@pytest.mark.parametrize("probe_id", ["sts.identity", "sts.identity-regions", "clock.skew"])
@pytest.mark.usefixtures("static_keys")
def test_a_timeout_is_not_a_finding_about_the_keys(
    probe_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with blackhole() as hole:
        monkeypatch.setenv("AWS_ENDPOINT_URL", hole.url)
        evidence = run_one(probe_id, network_timeout=0.5)
    assert evidence.status is Status.SKIPPED and evidence.unchecked is Unchecked.UNREACHABLE
    assert not any(f.startswith(("rejected", "clock-")) for f in evidence.findings)


#: Probes whose job is to tell whether an endpoint answers: for them a connection that fails
#: is the finding (net.connect: DNS, TCP, proxy, TLS; the metadata and container endpoints).
REACHABILITY = frozenset({"net.connect", "imds.role", "creds.container", "sts.endpoint-mode"})


def _network_probes() -> list[str]:
    from awsmedic.probes import registry

    return sorted(p.id for p in registry().values() if p.network and p.id not in REACHABILITY)


@pytest.mark.parametrize("probe_id", _network_probes())
@pytest.mark.usefixtures("static_keys")
def test_no_network_probe_turns_a_silent_endpoint_into_a_finding(
    probe_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Against an endpoint that never answers, a probe either could not check (and says so)
    or reports something it knew without AWS; never a refusal, a rejection or a failure."""
    with blackhole() as hole:
        monkeypatch.setenv("AWS_ENDPOINT_URL", hole.url)
        evidence = run_one(probe_id, network_timeout=0.5)
    if evidence.unchecked is None:
        assert evidence.status is not Status.PROBLEM or not any(
            word in evidence.summary for word in ("Timeout", "timed out", "Could not connect")
        ), evidence
        assert not any(
            f.startswith("rejected") or f.endswith(("-rejected", "-refused", "-failed"))
            for f in evidence.findings
        ), evidence


@pytest.mark.usefixtures("static_keys")
def test_a_role_that_cannot_be_reached_is_not_refused(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / ".aws" / "config").write_text(
        "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = default\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "ops")
    with blackhole() as hole:
        monkeypatch.setenv("AWS_ENDPOINT_URL", hole.url)
        evidence = run_one("role.assume", network_timeout=0.5)
    assert evidence.unchecked is Unchecked.UNREACHABLE, evidence
    assert "role-assume-failed" not in evidence.findings
