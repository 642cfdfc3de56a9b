"""An endpoint or a proxy that answers one byte at a time: every wait still has an end.

A socket timeout holds per read and restarts with every byte, so a server that sends a byte
every 0.1 s never trips a 3 s timeout, and 100,000 bytes take hours (audit F1: `check` ran on
for ever). What must hold: a body is read for a bounded time in all; `check`, like `diagnose`,
ends within its budget; what the budget cut is "not checked: out of time", never evidence.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from awsmedic.aws import bounded
from awsmedic.context import DIAGNOSIS_BUDGET_SECONDS
from awsmedic.core import check as checking
from awsmedic.core.check import Checker, SetupReport
from awsmedic.core.consult import Consultation
from awsmedic.core.transcript import Transcript
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.model import Evidence, Status, Unchecked
from awsmedic.safety import guard
from awsmedic.safety.redact import SecretBook
from tests.conftest import make_context
from tests.hardening.servers import TRICKLE_BODY, TRICKLE_HEADERS, trickle
from tests.hardening.test_bounded import ICTI, KEY, SECRET, run_one

BUDGET = 1.5
#: Past the budget: the probes' last steps, and a busy machine. Far below any trickle's end.
SLACK = 4.0
ANSWERS = [pytest.param(TRICKLE_BODY, id="body"), pytest.param(TRICKLE_HEADERS, id="headers")]


@pytest.fixture
def static_keys(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def _check(knowledge: Knowledge, every: bool = False) -> tuple[SetupReport, float]:
    started = time.monotonic()
    report = Checker(make_context(budget=BUDGET), knowledge, SecretBook()).check(every=every)
    return report, time.monotonic() - started


def _probe(evidence: tuple[Evidence, ...], probe_id: str) -> Evidence:
    return next(e for e in evidence if e.probe == probe_id)


def _assert_cut_not_evidence(report: SetupReport) -> None:
    for verdict in report.subjects:
        identity = _probe(verdict.probes, "sts.identity")
        assert identity.status is Status.SKIPPED and identity.unchecked is Unchecked.BUDGET
        assert identity.summary.startswith("not checked: out of time (the 1.5 s budget")
        assert verdict.state == "unchecked" and verdict.diagnosis is None
    assert report.clock is not None and report.clock.unchecked is Unchecked.BUDGET
    assert not report.findings
    assert [line for line in report.offline if "out of time" in line] == list(report.offline)
    assert report.offline and "Caller identity (sts:GetCallerIdentity)" in report.offline[0]


class _Trickling:
    """A stream that gives one byte per read, slowly; with or without `read1`."""

    def __init__(self, read1: bool) -> None:
        self.reads = 0
        if read1:
            self.read1 = self.read

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        time.sleep(0.02)
        return b"<"


@pytest.mark.parametrize("read1", [True, False], ids=["read1", "read"])
def test_a_stream_is_read_for_its_time_limit_in_all(read1: bool) -> None:
    stream = _Trickling(read1)
    started = time.monotonic()
    read = bounded.read_stream(stream, 1 << 20, 0.3)  # type: ignore[arg-type]
    elapsed = time.monotonic() - started
    assert read.late and not read.cut
    assert read.data == b"<" * stream.reads
    assert elapsed < 0.3 + 0.5


def test_without_a_time_limit_a_stream_is_read_to_its_end() -> None:
    read = bounded.read_stream(_Trickling(True), 5)  # type: ignore[arg-type]
    assert read == bounded.Read(b"<" * 5, True)


@pytest.mark.usefixtures("static_keys")
def test_a_trickled_answer_is_not_checked_and_not_a_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """botocore reads the body through safety.guard: stopped after MAX_RESPONSE_SECONDS, and
    the probe says AWS did not answer (before: HTTPClientError, diagnosed as a cause)."""
    monkeypatch.setattr(guard, "MAX_RESPONSE_SECONDS", 0.5)
    with trickle(TRICKLE_BODY) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
        started = time.monotonic()
        evidence = run_one("sts.identity")
        elapsed = time.monotonic() - started
    assert evidence.status is Status.SKIPPED and evidence.unchecked is Unchecked.UNREACHABLE
    assert evidence.findings == ("timeout",)
    assert "ResponseTooSlow" in evidence.summary and "did not end within 0.5 s" in evidence.summary
    assert elapsed < 0.5 + SLACK


@pytest.mark.parametrize("answer", ANSWERS)
@pytest.mark.usefixtures("static_keys")
def test_check_ends_within_its_budget_against_a_trickling_endpoint(
    answer: tuple[bytes, bytes], knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    with trickle(answer) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
        report, elapsed = _check(knowledge)
        assert server.connections >= 1  # it was asked: the budget, not --offline, stopped it
    assert elapsed < BUDGET + SLACK
    _assert_cut_not_evidence(report)


@pytest.mark.usefixtures("static_keys")
def test_check_ends_within_its_budget_through_a_trickling_proxy(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proxy's answer to CONNECT trickles: no body is read yet, only the budget helps."""
    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    with trickle(TRICKLE_HEADERS) as server:
        monkeypatch.setenv("HTTPS_PROXY", server.url)
        report, elapsed = _check(knowledge)
        assert server.connections >= 1
    assert elapsed < BUDGET + SLACK
    _assert_cut_not_evidence(report)


@pytest.mark.usefixtures("static_keys")
def test_check_all_ends_within_its_budget_and_starts_nothing_after_it(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More profiles than are checked at once: those after the budget are not asked at all."""
    names = [f"p{i}" for i in range(2 * checking.PARALLEL)]
    with (home / ".aws" / "credentials").open("a") as credentials:
        for name in names:
            credentials.write(
                f"[{name}]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
            )
    with trickle(TRICKLE_HEADERS) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
        report, elapsed = _check(knowledge, every=True)
        asked = server.connections
    assert elapsed < BUDGET + SLACK
    assert sorted(v.subject.label for v in report.subjects) == sorted(["default", *names])
    _assert_cut_not_evidence(report)
    assert asked < len(report.subjects)  # the later ones were cut without a request


@pytest.mark.parametrize("answer", ANSWERS)
@pytest.mark.usefixtures("static_keys")
def test_diagnose_ends_within_its_budget_against_a_trickling_endpoint(
    answer: tuple[bytes, bytes], knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    with trickle(answer) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
        consultation = Consultation(
            make_context(budget=BUDGET), knowledge, SecretBook(), Transcript()
        )
        started = time.monotonic()
        consultation.recognise(ICTI)
        outcome = consultation.run(lambda question: None)
        elapsed = time.monotonic() - started
    assert elapsed < BUDGET + SLACK
    identity = _probe(tuple(outcome.probes), "sts.identity")
    assert identity.unchecked is Unchecked.BUDGET
    assert all("sts.identity" not in line or "out of time" in line for line in outcome.offline)


@pytest.mark.usefixtures("static_keys")
def test_a_subject_stuck_past_the_budget_is_reported_not_waited_for(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug that blocks a local probe: `check` says so and ends, it does not wait on it."""
    from awsmedic.probes import _REGISTRY

    release = threading.Event()
    stuck = _REGISTRY["creds.web-identity"]

    def block(run: object) -> Evidence:
        release.wait(30)
        return Evidence("creds.web-identity", Status.OK, "late")

    monkeypatch.setitem(_REGISTRY, "creds.web-identity", dataclasses.replace(stuck, function=block))
    monkeypatch.setattr(checking, "LATE_SECONDS", 0.5)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # never asked
    try:
        report, elapsed = _check(knowledge)
    finally:
        release.set()
    assert elapsed < BUDGET + 0.5 + SLACK
    (verdict,) = report.subjects
    assert verdict.state == "unchecked" and verdict.diagnosis is None
    assert verdict.summary == "not checked: out of time (the 1.5 s budget of the check ran out)"
    # The clock is asked after the budget: not at all.
    assert report.offline == (
        "Clock offset from AWS time (Date header), every check of a profile (2 checks): out of"
        " time (the 1.5 s budget of the check ran out)",
    )


@pytest.mark.slow
@pytest.mark.usefixtures("static_keys")
def test_the_check_command_ends_within_the_budget(tmp_path: Path) -> None:
    """As a user runs it (audit F1: still running after 120 s), with the real budget."""
    with trickle(TRICKLE_BODY, interval=1.0) as server:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "awsmedic", "check", "--format", "json"],
            env={**os.environ, "AWS_ENDPOINT_URL": server.url},
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
            cwd=tmp_path,
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    (profile,) = report["profiles"]
    identity = next(p for p in profile["probes"] if p["id"] == "sts.identity")
    assert identity["status"] == "skipped" and identity["summary"].startswith("not checked")
    assert profile["state"] == "unchecked" and profile["cause"] is None
    assert report["offline"]
    assert elapsed < DIAGNOSIS_BUDGET_SECONDS + 8
