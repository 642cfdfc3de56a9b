"""The consultation driver: pausing at questions, /back, cancelling, consent before a probe."""

from __future__ import annotations

import concurrent.futures as futures
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from awsmedic.core.consult import Cancelled, Consultation
from awsmedic.core.transcript import Transcript
from awsmedic.core.workers import DaemonPool
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.conditions import Atom
from awsmedic.kb.model import Knowledge
from awsmedic.model import Answered, Asked, Evidence, Probed, Status, WentBack
from awsmedic.probes import Consent, ProbeInput, ProbeSpec, registry
from awsmedic.safety.redact import SecretBook
from tests.conftest import make_context

TREE = """
id = "test-flow"
title = "A test family"
codes = ["AwsMedicTestFlow"]
phrases = ["awsmedic test flow error"]
start = "first"

[nodes.first]
kind = "probe"
probe = "test.first"
next = { default = "ask" }

[nodes.ask]
kind = "question"
id = "q1"
text = "Which way?"
answers = { a = "second", b = "typo" }

[nodes.second]
kind = "probe"
probe = "test.second"
next = { found = "deleted", skipped = "unknown", default = "typo" }

[nodes.deleted]
kind = "cause"
cause = "key-deleted"
confidence = "likely"

[nodes.typo]
kind = "cause"
cause = "key-typo"
confidence = "possible"

[nodes.unknown]
kind = "cause"
cause = "unknown"
confidence = "possible"
"""
PASTE = "AwsMedicTestFlow: awsmedic test flow error"


@dataclass
class Probes:
    """Two test probes; `second` may need consent or block until released."""

    runs: list[str] = field(default_factory=list)
    gate: threading.Event = field(default_factory=threading.Event)
    delay: float = 0.0

    def first(self, run: ProbeInput) -> Evidence:
        self.runs.append("test.first")
        return Evidence("test.first", Status.OK, "first ran")

    def second(self, run: ProbeInput) -> Evidence:
        """Look the key up with another profile's credentials."""
        self.runs.append("test.second")
        self.gate.wait(30)
        time.sleep(self.delay)
        return Evidence("test.second", Status.PROBLEM, "second found it", ("found",))


@pytest.fixture
def probes() -> Iterator[Probes]:
    probes = Probes()
    probes.gate.set()
    yield probes
    probes.gate.set()


@pytest.fixture
def consultation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, probes: Probes
) -> Callable[..., Consultation]:
    def make(consent: bool | Consent = False, **ctx: object) -> Consultation:
        specs = registry()
        for probe_id, function, needs in (
            ("test.first", probes.first, Consent.NONE),
            (
                "test.second",
                probes.second,
                consent
                if isinstance(consent, Consent)
                else Consent.EXPLICIT
                if consent
                else Consent.NONE,
            ),
        ):
            spec = ProbeSpec(probe_id, probe_id, False, ("found",), (), function, needs)
            monkeypatch.setitem(specs, probe_id, spec)  # type: ignore[arg-type]
        kb = tmp_path / "kb"
        (kb / "trees").mkdir(parents=True, exist_ok=True)
        (kb / "trees" / "test-flow.toml").write_text(TREE)
        knowledge: Knowledge = load_checked((shipped_dir(), kb))
        result = Consultation(make_context(**ctx), knowledge, SecretBook(), Transcript())
        assert result.recognise(PASTE).best is not None
        return result

    return make


def test_start_stops_at_the_question_and_reply_walks_on(
    consultation: Callable[..., Consultation],
) -> None:
    case = consultation()
    question = case.start()
    assert question is not None and question.id == "q1" and case.pending == question
    assert case.reply("a") is None
    assert case.outcome is not None and case.outcome.diagnosis is not None
    assert case.outcome.diagnosis.cause == "key-deleted"
    assert [q.id for q, _ in case.outcome.questions] == ["q1"]


def test_back_restores_questions_and_probes(consultation: Callable[..., Consultation]) -> None:
    case = consultation()
    case.start()
    case.reply("a")
    outcome = case.outcome
    # cli.version: the steps of key-deleted differ by the installed AWS CLI.
    assert outcome is not None and [e.probe for e in outcome.probes] == [
        "test.first",
        "test.second",
        "cli.version",
    ]
    assert case.back() is outcome
    assert case.pending is not None and case.pending.id == "q1"
    assert outcome.diagnosis is None and [e.probe for e in outcome.probes] == ["test.first"]
    assert outcome.questions == []
    assert isinstance(case.transcript.events[-1], WentBack)
    case.reply("b")
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == "key-typo"
    # test.second not used again; key-typo's steps do not differ by CLI version
    assert [e.probe for e in outcome.probes] == ["test.first"]
    assert case.back() is not None and case.back() is None  # one answer, one undo


def test_back_with_an_answerer_asks_again(consultation: Callable[..., Consultation]) -> None:
    case = consultation()
    case.run(lambda question: "a")
    outcome = case.back(lambda question: "b")
    assert outcome is not None and outcome.diagnosis is not None
    assert outcome.diagnosis.cause == "key-typo"


def test_cancel_abandons_a_waiting_probe(
    consultation: Callable[..., Consultation], probes: Probes
) -> None:
    probes.gate.clear()
    case = consultation()
    case.start()
    errors: list[BaseException] = []

    def answer() -> None:
        try:
            case.reply("a")
        except Cancelled as exc:
            errors.append(exc)

    walker = threading.Thread(target=answer)
    walker.start()
    while "test.second" not in probes.runs:
        time.sleep(0.01)
    assert case.running() == ("test.second",)
    began = time.monotonic()
    case.cancel()
    walker.join(20)
    # The probe holds its gate for 30 s: returning well before that shows cancel did not wait.
    assert not walker.is_alive() and time.monotonic() - began < 10
    assert len(errors) == 1
    probe_threads = [t for t in threading.enumerate() if t.name == "awsmedic-probe"]
    assert probe_threads and all(t.daemon for t in probe_threads)  # never joined at exit
    probes.gate.set()
    time.sleep(0.1)
    assert not any(
        isinstance(e, Probed) and e.evidence.probe == "test.second" for e in case.transcript.events
    )
    assert case.back() is not None and case.pending is not None  # and the case goes on
    assert case.reply("a") is None
    assert case.outcome is not None and case.outcome.diagnosis is not None


def test_a_probe_that_needs_consent_is_asked_first(
    consultation: Callable[..., Consultation], probes: Probes
) -> None:
    case = consultation(consent=True)
    case.start()
    question = case.reply("a")
    assert question is not None and question.id == "consent:test.second"
    assert question.choices == ("yes", "no")
    assert "another profile" in question.text  # the probe's docstring says what it does
    assert "test.second" not in probes.runs  # neither prefetched nor run unasked
    assert any(
        isinstance(e, Asked) and e.question.id == question.id for e in case.transcript.events
    )
    assert case.reply("no") is None
    assert case.outcome is not None and case.outcome.diagnosis is not None
    assert case.outcome.diagnosis.cause == "unknown"
    assert case.outcome.probes[-1].status is Status.SKIPPED
    assert "test.second" not in probes.runs
    assert case.back() is not None and case.pending == question  # /back undoes the refusal
    assert case.reply("yes") is None
    assert probes.runs.count("test.second") == 1
    assert case.outcome.diagnosis is not None and case.outcome.diagnosis.cause == "key-deleted"
    consents = [
        e for e in case.transcript.events if isinstance(e, Answered) and e.question == question.id
    ]
    assert [e.answer for e in consents] == ["no", "yes"]


def test_consent_through_an_answerer_or_in_advance(
    consultation: Callable[..., Consultation], probes: Probes
) -> None:
    asked: list[str] = []

    def answerer(question: object) -> str | None:
        asked.append(question.id)  # type: ignore[attr-defined]
        return "a" if question.id == "q1" else None  # type: ignore[attr-defined]

    case = consultation(consent=True)
    outcome = case.run(answerer)
    assert asked == ["q1", "consent:test.second"]
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == "unknown"  # unanswered: no
    assert "test.second" not in probes.runs

    case = consultation(consent=True)
    case.recognise(PASTE, preset={"q1": "a", "consent:test.second": "yes"})
    outcome = case.run(lambda question: pytest.fail("nothing should be asked"))
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == "key-deleted"


@pytest.mark.parametrize("needs", [Consent.EXPLICIT, Consent.INTERACTIVE])
def test_consent_refused_in_advance_never_runs_the_probe(
    consultation: Callable[..., Consultation], probes: Probes, needs: Consent
) -> None:
    """`--answer consent:<id>=no` (and /check reusing a "no") declines without asking."""
    case = consultation(consent=needs)
    case.recognise(PASTE, preset={"q1": "a", "consent:test.second": "no"})
    outcome = case.run(lambda question: pytest.fail("nothing should be asked"))
    assert "test.second" not in probes.runs
    summaries = [e.summary for e in outcome.probes if e.probe == "test.second"]
    assert len(summaries) == 1
    assert summaries[0].startswith("skipped: not run without your consent")


def test_the_budget_counts_waiting_not_thinking(
    consultation: Callable[..., Consultation], probes: Probes
) -> None:
    probes.delay = 0.1
    case = consultation(consent=True, budget=3.0)
    case.start()
    assert case.reply("a") is not None  # consent question
    time.sleep(3.2)  # the user thinks longer than the whole budget
    case.reply("yes")
    assert case.outcome is not None
    second = next(e for e in case.outcome.probes if e.probe == "test.second")
    assert second.status is Status.PROBLEM


def test_daemon_pool_abandon_cancels_queued_jobs() -> None:
    pool = DaemonPool(1)
    gate, started = threading.Event(), threading.Event()

    def hold() -> bool:
        started.set()
        return gate.wait(30)

    running = pool.submit(hold)
    queued = pool.submit(lambda: "never")
    assert started.wait(30)  # abandon only once the first job runs: it is the queued one to go
    pool.abandon()
    assert queued.cancelled()
    assert pool.submit(lambda: "late").cancelled()
    gate.set()
    assert running.result(30) is True


@pytest.mark.parametrize("needs", [Consent.INTERACTIVE, Consent.EXPLICIT])
@pytest.mark.parametrize("interactive", [False, True])
def test_another_identity_is_used_only_with_consent_in_the_repl_and_diagnose_alike(
    consultation: Callable[..., Consultation], probes: Probes, interactive: bool, needs: Consent
) -> None:
    """Issue 17 item 8: `diagnose` (not interactive) asks too, it no longer runs it unasked."""
    case = consultation(consent=needs, interactive=interactive)
    question = case.start()
    while question is not None and not question.id.startswith("consent:"):
        question = case.reply(question.choices[0])
    assert question is not None and question.id == "consent:test.second"
    assert "test.second" not in probes.runs


@pytest.mark.parametrize("needs", [Consent.INTERACTIVE, Consent.EXPLICIT])
@pytest.mark.parametrize("interactive", [False, True])
def test_a_preset_no_never_runs_the_probe(
    consultation: Callable[..., Consultation], probes: Probes, interactive: bool, needs: Consent
) -> None:
    """Issue 17 item 1: `--answer consent:<probe>=no` was recorded and the probe ran anyway."""
    case = consultation(consent=needs, interactive=interactive)
    case.recognise(PASTE, preset={"q1": "a", "consent:test.second": "no"})
    outcome = case.run(lambda question: pytest.fail(f"nothing should be asked: {question.id}"))
    assert "test.second" not in probes.runs
    assert outcome.probes[-1].probe == "test.second"
    assert outcome.probes[-1].status is Status.SKIPPED
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == "unknown"


@pytest.mark.parametrize(("interactive", "how"), [(False, "--answer consent:"), (True, "/back")])
def test_a_declined_check_says_how_to_unlock_it(
    consultation: Callable[..., Consultation], interactive: bool, how: str
) -> None:
    case = consultation(consent=True, interactive=interactive)
    outcome = case.run(lambda question: "a" if question.id == "q1" else None)
    skipped = outcome.probes[-1]
    assert skipped.summary.startswith("skipped: not run without your consent")
    assert how in skipped.summary


def test_explicit_consent_is_never_assumed(
    consultation: Callable[..., Consultation], probes: Probes
) -> None:
    case = consultation(consent=Consent.EXPLICIT, interactive=False)
    # q1 is answered "a" (towards the probe); the consent question is left unanswered.
    outcome = case.run(lambda question: "a" if question.id == "q1" else None)
    assert "test.second" not in probes.runs
    assert ("consent:test.second", None) in [(q.id, a) for q, a in outcome.questions]
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == "unknown"


def test_a_password_in_a_pasted_endpoint_url_is_a_secret_of_the_session(home: Path) -> None:
    """`--endpoint-url user:password@host` (no scheme: no URL pattern knows it) in the paste:
    the cause's text and the paste itself quote it, so the book knows it from the start."""
    book = SecretBook()
    case = Consultation(make_context(), load_checked([shipped_dir()]), book, Transcript())
    case.recognise(
        "$ aws sts get-caller-identity --endpoint-url user:s3cr3tP4ss@127.0.0.1:9000\n\n"
        "ValueError: Invalid endpoint: user:s3cr3tP4ss@127.0.0.1:9000"
    )
    assert book.scrub("Requests go to user:s3cr3tP4ss@127.0.0.1:9000") == (
        "Requests go to user:<secret:redacted>@127.0.0.1:9000"
    )


def test_botocore_may_run_a_helper_only_after_consent_to_creds_process(
    consultation: Callable[..., Consultation],
) -> None:
    """The world's helper consent (what botocore asks before it runs a credential_process
    helper) is the consent `creds.process` asks for: in advance, or a yes during the walk."""
    from awsmedic.core.probing import ProbeRunner
    from awsmedic.model import Question, Unchecked
    from awsmedic.probes import not_checked

    case = consultation()
    assert case._world.helper_consent() is False
    case.recognise(PASTE, preset={"consent:creds.process": "no"})
    assert case._world.helper_consent() is False
    case.recognise(PASTE, preset={"consent:creds.process": "yes"})
    assert case._world.helper_consent() is True

    case = consultation()
    case.start()  # the walk is waiting at q1; a yes to creds.process comes in between
    refused = not_checked("test.first", Unchecked.CONSENT, "profile 'p2'")
    runner = case._runner
    assert isinstance(runner, ProbeRunner)
    done: futures.Future[Evidence] = futures.Future()
    done.set_result(refused)
    runner._futures["test.first"] = done
    case._consented(Question("consent:creds.process", "May I?", ("yes", "no")), "yes")
    assert case._world.helper_consent() is True
    assert "test.first" not in runner._futures  # run again when needed: the helper may run now


def _needs_the_helper(probes: Probes) -> Callable[[ProbeInput], Evidence]:
    """A check that botocore could make only by running the profile's credential_process
    helper: refused for want of consent until the user lets the helper run."""
    from awsmedic.model import Unchecked
    from awsmedic.probes import not_checked

    def second(run: ProbeInput) -> Evidence:
        probes.runs.append("test.second")
        if not run.world.helper_consent():
            return not_checked("test.second", Unchecked.CONSENT, "profile 'p'")
        return Evidence("test.second", Status.PROBLEM, "second found it", ("found",))

    return second


@pytest.mark.parametrize(("answer", "cause"), [("yes", "key-deleted"), ("no", "unknown")])
def test_a_check_refused_for_the_helper_asks_for_it_in_the_repl(
    consultation: Callable[..., Consultation],
    probes: Probes,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    cause: str,
) -> None:
    """In the REPL nothing else would ever ask: the walk never reaches creds.process here."""
    monkeypatch.setattr(probes, "second", _needs_the_helper(probes))
    case = consultation(interactive=True)
    assert (question := case.start()) is not None and question.id == "q1"
    question = case.reply("a")
    assert question is not None and question.id == "consent:creds.process"
    assert case.reply(answer) is None
    assert case.outcome is not None and case.outcome.diagnosis is not None
    assert case.outcome.diagnosis.cause == cause
    assert probes.runs.count("test.second") == (2 if answer == "yes" else 1)


def test_a_check_refused_for_the_helper_is_not_asked_about_outside_the_repl(
    consultation: Callable[..., Consultation], probes: Probes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`diagnose` says how to unlock it (`--answer consent:creds.process=yes`) instead."""
    monkeypatch.setattr(probes, "second", _needs_the_helper(probes))
    case = consultation(interactive=False)
    assert (question := case.start()) is not None and question.id == "q1"
    assert case.reply("a") is None
    assert case.outcome is not None and case.outcome.diagnosis is not None
    assert case.outcome.diagnosis.cause == "unknown"


def test_a_question_left_open_first_runs_the_probe_the_guess_steps_depend_on(
    consultation: Callable[..., Consultation],
) -> None:
    """The best guess comes with steps: what they depend on is looked up before the walk
    stops, so they are not shown for every case at once: the installed AWS CLI's version (from
    its files: the CLI is not started for a guess). test.second is on the branch to the guess,
    key-deleted, but its steps name none of its findings: it is not run."""
    case = consultation()
    case.start()
    assert case.reply(None) is None
    outcome = case.outcome
    assert outcome is not None and outcome.stalled and outcome.guess is not None
    assert outcome.guess.cause == "key-deleted"
    assert [e.probe for e in outcome.probes] == ["test.first", "cli.installed"]


def test_without_probes_a_question_left_open_runs_none(
    consultation: Callable[..., Consultation],
) -> None:
    case = consultation(probes_enabled=False)
    case.run(lambda question: None)
    outcome = case.outcome
    assert outcome is not None and outcome.stalled and outcome.probes == []


@pytest.mark.parametrize(
    ("consent", "network", "runs"),
    [(False, False, True), (True, False, False), (False, True, False)],
    ids=["local", "needs-consent", "network"],
)
def test_a_check_the_guess_steps_depend_on_runs_if_local_and_free(
    consultation: Callable[..., Consultation],
    monkeypatch: pytest.MonkeyPatch,
    consent: bool,
    network: bool,
    runs: bool,
) -> None:
    """As if key-deleted's steps named a finding of test.second (on the branch to it): the
    check is looked up before the walk stops, unless it uses the network or needs consent."""
    case = consultation(consent=consent)
    cause_type = type(case.knowledge.causes["key-deleted"])
    named = (Atom("cli", "v1"), Atom("finding", "test-finding"))
    original = cause_type.condition_atoms
    monkeypatch.setattr(
        cause_type,
        "condition_atoms",
        lambda self: named if self.id == "key-deleted" else original(self),
    )
    specs = registry()
    second = specs["test.second"]
    changed = ProbeSpec(
        second.id,
        second.title,
        network,
        ("found", "test-finding"),
        (),
        second.function,
        second.consent,
    )
    monkeypatch.setitem(specs, "test.second", changed)  # type: ignore[arg-type]
    case.start()
    assert case.reply(None) is None
    outcome = case.outcome
    assert outcome is not None and outcome.stalled
    expected = ["test.first", "cli.installed", *(["test.second"] if runs else [])]
    assert [e.probe for e in outcome.probes] == expected
