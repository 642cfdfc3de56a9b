"""Bounded everything: one attempt per call, short timeouts, a budget, nothing hangs.

The endpoints here are local servers that misbehave on purpose (servers.py): one that accepts
connections and never answers, one that answers every request with a retryable 500.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from awsmedic.context import DIAGNOSIS_BUDGET_SECONDS
from awsmedic.core.consult import Consultation
from awsmedic.core.transcript import Transcript
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.model import Evidence, Status
from awsmedic.probes import _REGISTRY, Consent, ProbeInput, probe, registry, run_probe
from awsmedic.probes.world import AwsWorld
from awsmedic.safety.redact import SecretBook
from tests.conftest import make_context
from tests.hardening.servers import blackhole, http_stub, sts_error

KEY = "AKIARZPUZDIKGB2VALC4"
SECRET = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eDEy"
ICTI = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)


@pytest.fixture
def static_keys(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Long-term keys in ~/.aws/credentials: only STS's answer can tell what is wrong."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    path = home / ".aws" / "credentials"
    path.write_text(f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
    return path


def run_one(probe_id: str, **ctx: object) -> Evidence:
    context = make_context(**ctx)
    return run_probe(registry()[probe_id], ProbeInput(context, AwsWorld(context, SecretBook())))


@pytest.mark.usefixtures("static_keys")
def test_a_refused_call_is_sent_once_whatever_the_retry_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 500 is retryable: botocore would send it up to 3 times, or AWS_MAX_ATTEMPTS times."""
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "10")
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    with http_stub(500, lambda r: sts_error("InternalFailure", "try again")) as stub:
        monkeypatch.setenv("AWS_ENDPOINT_URL", stub.url)
        evidence = run_one("sts.identity")
    assert evidence.status is Status.PROBLEM
    assert stub.operations == ["GetCallerIdentity"]


@pytest.mark.usefixtures("static_keys")
def test_an_endpoint_that_never_answers_costs_one_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with blackhole() as hole:
        monkeypatch.setenv("AWS_ENDPOINT_URL", hole.url)
        started = time.monotonic()
        evidence = run_one("sts.identity", network_timeout=0.5)
        elapsed = time.monotonic() - started
    assert evidence.findings == ("timeout",)
    assert hole.connections == 1
    # One attempt (the connection count shows it); the time only shows nothing waited for long.
    assert elapsed < 10


def _network_probes() -> list[str]:
    return sorted(spec.id for spec in registry().values() if spec.network)


@pytest.mark.usefixtures("static_keys")
@pytest.mark.parametrize("probe_id", _network_probes())
def test_every_network_probe_returns_within_its_timeouts(
    probe_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every endpoint a probe may call (AWS, instance metadata, containers) never answers."""
    with blackhole() as hole:
        monkeypatch.setenv("AWS_ENDPOINT_URL", hole.url)
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "false")
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", hole.url)
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", f"{hole.url}/creds")
        results: list[Evidence] = []
        worker = threading.Thread(
            target=lambda: results.append(run_one(probe_id, network_timeout=0.5)), daemon=True
        )
        worker.start()
        # A probe may make a few calls in a row (a token, then the data): each is bounded.
        worker.join(timeout=0.5 * 8 + 5)
    assert results, f"{probe_id} still runs: an unbounded call"
    assert results[0].status in (Status.OK, Status.PROBLEM, Status.ERROR, Status.SKIPPED)


@pytest.mark.usefixtures("static_keys")
def test_the_budget_bounds_the_whole_diagnosis(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long network timeout, a short budget: the budget wins, the answer comes in time."""
    with blackhole() as hole:
        monkeypatch.setenv("AWS_ENDPOINT_URL", hole.url)
        ctx = make_context(network_timeout=60.0, budget=1.0)
        knowledge = load_checked([shipped_dir()])
        consultation = Consultation(ctx, knowledge, SecretBook(), Transcript())
        started = time.monotonic()
        consultation.recognise(ICTI)
        outcome = consultation.run(lambda question: None)
        elapsed = time.monotonic() - started
    identity = [e for e in outcome.probes if e.probe == "sts.identity"]
    assert identity and "budget" in identity[0].summary
    assert elapsed < 1.0 + 8  # far below the 60 s network timeout: the budget won


@pytest.fixture
def slow_tree(tmp_path: Path) -> Iterator[Path]:
    """A tree that runs a probe, asks, then needs a probe that is not prefetched."""

    @probe(
        "test.after-question",
        title="runs after a question",
        consent=Consent.INTERACTIVE,  # not prefetched; run unasked by a non-interactive case
        findings=("x",),
    )
    def _after(run: ProbeInput) -> Evidence:
        return Evidence("test.after-question", Status.OK, "ran", ("x",))

    (tmp_path / "kb" / "trees").mkdir(parents=True)
    (tmp_path / "kb" / "trees" / "slow-tree.toml").write_text(
        'id = "slow-tree"\ntitle = "Slow"\ncodes = ["SlowTreeError"]\nstart = "env"\n'
        '[nodes.env]\nkind = "probe"\nprobe = "creds.env"\nnext = { default = "ask" }\n'
        '[nodes.ask]\nkind = "question"\nid = "ready"\ntext = "Ready?"\n'
        'answers = { yes = "probe", no = "probe" }\n'
        '[nodes.probe]\nkind = "probe"\nprobe = "test.after-question"\n'
        'next = { x = "done", default = "done" }\n'
        '[nodes.done]\nkind = "cause"\ncause = "unknown"\nconfidence = "possible"\n'
    )
    try:
        yield tmp_path / "kb"
    finally:
        _REGISTRY.pop("test.after-question", None)


def test_the_budget_counts_probe_time_not_thinking_time(slow_tree: Path) -> None:
    ctx = make_context(budget=2.0, offline=True)
    knowledge = load_checked([shipped_dir(), slow_tree])
    consultation = Consultation(ctx, knowledge, SecretBook(), Transcript())
    consultation.recognise("An error occurred (SlowTreeError) when calling X")

    def think(question: object) -> str:
        time.sleep(2.5)  # longer than the whole budget
        return "yes"

    outcome = consultation.run(think)
    assert [(e.probe, e.status) for e in outcome.probes][-1] == ("test.after-question", Status.OK)


@pytest.mark.slow
@pytest.mark.usefixtures("static_keys")
def test_diagnose_against_an_endpoint_that_never_answers_does_not_hang(tmp_path: Path) -> None:
    """The whole command, as a user runs it: one connection per network probe (one attempt
    each, no retries), each timing out once, in parallel; then the answer."""
    with blackhole() as hole:
        env = {**os.environ, "AWS_ENDPOINT_URL": hole.url}
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "awsmedic", "diagnose", "--format", "json", "--no-input", ICTI],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            cwd=tmp_path,
        )
        elapsed = time.monotonic() - started
        connections = hole.connections
    assert result.returncode == 0, result.stderr
    probes = json.loads(result.stdout)["probes"]
    identity = [p for p in probes if p["id"] == "sts.identity"]
    assert identity and identity[0]["findings"] == ["timeout"]
    network = {spec.id for spec in registry().values() if spec.network}
    # Prefetched probes the walk did not need may not be listed, but they connected too.
    tree_probes = load_checked([shipped_dir()]).trees["invalid-client-token-id"].probes()
    assert 1 <= connections <= len(network & set(tree_probes))
    # One network timeout plus start-up, within the diagnosis budget; the slack is for a busy
    # machine's start-up (the timeouts overlapping is measured in benchmarks, not here).
    assert elapsed < DIAGNOSIS_BUDGET_SECONDS + 6


@pytest.mark.slow
@pytest.mark.usefixtures("static_keys")
def test_a_probe_stuck_past_the_budget_does_not_hold_the_process_open(tmp_path: Path) -> None:
    """The process ends when the answer is out, even with a probe still waiting on the network."""
    script = (
        "from awsmedic.core.consult import Consultation\n"
        "from awsmedic.context import Context\n"
        "from awsmedic.kb import load_checked, shipped_dir\n"
        "from awsmedic.safety.redact import SecretBook\n"
        "from awsmedic.core.transcript import Transcript\n"
        "ctx = Context.from_process(network_timeout=120.0, budget=1.0)\n"
        "c = Consultation(ctx, load_checked([shipped_dir()]), SecretBook(), Transcript())\n"
        f"c.recognise({ICTI!r})\n"
        "print([e.summary for e in c.run(lambda q: None).probes])\n"
    )
    with blackhole() as hole:
        env = {**os.environ, "AWS_ENDPOINT_URL": hole.url}
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=100,
            cwd=tmp_path,
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "budget" in result.stdout
    assert elapsed < 1.0 + 8
