"""One troubleshooting case: recognise a paste, walk its tree, run probes, ask, conclude.

This is the driver around the pure engine. The REPL and `awsmedic diagnose` both use it; they
differ only in how questions get answered and how events are shown (the callbacks).
"""

from __future__ import annotations

import concurrent.futures as futures
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from awsmedic import engine
from awsmedic.context import Context
from awsmedic.kb.model import Knowledge
from awsmedic.match import Matcher
from awsmedic.model import (
    Candidate,
    Concluded,
    Diagnosis,
    Event,
    Evidence,
    Pasted,
    Question,
    Recognition,
    Restarted,
    Stalled,
    Status,
    WentBack,
)
from awsmedic.probes import ProbeInput, ProbeSpec, registry, run_probe
from awsmedic.probes.world import AwsWorld
from awsmedic.redact import SecretBook
from awsmedic.transcript import Transcript

#: Returns the chosen answer, or None to leave the question open.
Answerer = Callable[[Question], str | None]
#: Probes running at once; most trees need three or four.
PROBE_WORKERS = 4


class ProbePool:
    """Probe threads that never keep the process alive.

    A ThreadPoolExecutor joins its threads at exit, so one probe stuck past its timeout (or a
    prefetched one nobody needs any more) would hold `awsmedic diagnose` open after the answer
    is printed, and the diagnosis budget would bound nothing. Daemon threads are abandoned at
    exit instead; probes are read-only, so abandoning one is safe.
    """

    def __init__(self, workers: int = PROBE_WORKERS) -> None:
        self._slots = threading.BoundedSemaphore(workers)
        self._pending: list[futures.Future[Evidence]] = []

    def submit(self, function: Callable[..., Evidence], *args: object) -> futures.Future[Evidence]:
        future: futures.Future[Evidence] = futures.Future()

        def work() -> None:
            with self._slots:
                if not future.set_running_or_notify_cancel():
                    return
                try:
                    future.set_result(function(*args))
                except BaseException as exc:  # run_probe never raises; this is belt and braces
                    future.set_exception(exc)

        self._pending.append(future)
        threading.Thread(target=work, name="probe", daemon=True).start()
        return future

    def shutdown(self) -> None:
        """Cancel what has not started; running probes end on their own, bounded by timeouts."""
        for future in self._pending:
            future.cancel()
        self._pending.clear()


@dataclass
class Outcome:
    recognition: Recognition
    diagnosis: Diagnosis | None = None
    candidates: tuple[Candidate, ...] = ()
    questions: list[tuple[Question, str | None]] = field(default_factory=list)
    probes: list[Evidence] = field(default_factory=list)
    stalled: str = ""


class Consultation:
    def __init__(
        self,
        ctx: Context,
        knowledge: Knowledge,
        book: SecretBook,
        transcript: Transcript,
        *,
        on_event: Callable[[Event], None] | None = None,
        on_probe_start: Callable[[ProbeSpec], None] | None = None,
        matcher: Matcher | None = None,
    ) -> None:
        self.ctx = ctx
        self.knowledge = knowledge
        self.book = book
        self.transcript = transcript
        self.matcher = matcher or Matcher(knowledge)
        self._on_event = on_event or (lambda event: None)
        self._on_probe_start = on_probe_start or (lambda spec: None)
        self._world = AwsWorld(ctx, book)
        self._pool: ProbePool | None = None
        self._futures: dict[str, futures.Future[Evidence]] = {}
        self._waited = 0.0  # seconds spent waiting on probes, against ctx.budget
        self._text = ""
        self.state: engine.Dialogue | None = None
        self.outcome: Outcome | None = None
        self._history: list[engine.Dialogue] = []

    # -- events -------------------------------------------------------------------------------
    def _emit(self, event: Event) -> None:
        self.transcript.append(event)
        self._on_event(event)

    # -- recognition ------------------------------------------------------------------------
    def recognise(self, text: str, preset: dict[str, str] | None = None) -> Recognition:
        from awsmedic.match import bound
        from awsmedic.model import Matched

        recognition = self.matcher.recognise(text)
        # Hints and probes read the paste too: give them what the matcher read, not 10 MB.
        self._text = bound(text)[0]
        self._emit(Pasted(self.ctx.now(), self._text, recognition.truncated))
        self._emit(Matched(self.ctx.now(), recognition))
        self.outcome = Outcome(recognition)
        best = recognition.best
        if best is not None:
            tree = self.knowledge.trees[best.tree]
            self.state = engine.new_dialogue(
                self.knowledge,
                tree,
                self._text,
                recognition.signals,
                recognition.facts,
                self.ctx.now(),
                probes_enabled=self.ctx.probes_enabled,
                preset=preset,
            )
        return recognition

    # -- probes -------------------------------------------------------------------------------
    def _start_probes(self) -> None:
        """Start the tree's probes in parallel now: most will be needed, all are read-only."""
        if self.state is None or not self.ctx.probes_enabled:
            return
        specs = registry()
        self._pool = ProbePool()
        for probe_id in dict.fromkeys(self.state.tree.probes()):
            spec = specs.get(probe_id)
            if spec is not None and spec.prefetch:
                self._submit(spec)

    def _submit(self, spec: ProbeSpec) -> futures.Future[Evidence]:
        assert self._pool is not None
        probe_input = ProbeInput(
            self.ctx, self._world, self._text, self.outcome.recognition if self.outcome else None
        )
        future = self._pool.submit(run_probe, spec, probe_input)
        self._futures[spec.id] = future
        return future

    def _evidence(self, probe_id: str) -> Evidence:
        spec = registry().get(probe_id)
        if spec is None:
            return Evidence(probe_id, Status.ERROR, f"unknown probe {probe_id}")
        if self._pool is None:
            self._start_probes()
        self._on_probe_start(spec)
        future = self._futures.get(probe_id) or self._submit(spec)
        # The budget counts time spent waiting on probes, not time the user spends thinking
        # about a question: a probe needed after a slow answer still gets its share.
        remaining = max(0.0, self.ctx.budget - self._waited)
        started = time.monotonic()
        try:
            return future.result(timeout=remaining)
        except (futures.TimeoutError, futures.CancelledError):
            return Evidence(
                probe_id,
                Status.ERROR,
                f"gave up after the {self.ctx.budget:g} s diagnosis budget",
            )
        finally:
            self._waited += time.monotonic() - started

    def cancel(self) -> None:
        """Abandon running probes (Ctrl-C); their threads end on their own, bounded by timeouts."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
            self._futures.clear()

    # -- the walk -----------------------------------------------------------------------------
    def _apply(self, command: engine.Command) -> list[engine.Output]:
        assert self.state is not None
        self.state, outputs = engine.advance(self.state, command, self.ctx.now())
        for output in outputs:
            if isinstance(output, Event):
                self._emit(output)
                self._record(output)
        return outputs

    def _record(self, event: Event) -> None:
        from awsmedic.kb.model import QuestionNode
        from awsmedic.model import Answered, Probed

        outcome = self.outcome
        assert outcome is not None and self.state is not None
        if isinstance(event, Answered) and event.how != "user":
            node = self.state.tree.nodes[event.node]
            if isinstance(node, QuestionNode):
                outcome.questions.append(
                    (Question(node.question, node.text, node.choices), event.answer)
                )
        elif isinstance(event, Probed):
            outcome.probes.append(event.evidence)
        elif isinstance(event, Concluded):
            outcome.diagnosis = event.diagnosis
            outcome.candidates = event.candidates
        elif isinstance(event, Stalled):
            outcome.candidates = event.candidates
            outcome.stalled = event.reason

    def run(self, answer: Answerer, first: engine.Command | None = None) -> Outcome:
        """Walk until a conclusion, or until a question stays unanswered."""
        assert self.outcome is not None
        if self.state is None:
            return self.outcome
        self._drive(self._apply(first or engine.Start()), answer)
        return self.outcome

    def _drive(self, outputs: list[engine.Output], answer: Answerer) -> None:
        while outputs:
            need = outputs[-1]
            if isinstance(need, engine.NeedProbe):
                outputs = self._apply(engine.ProbeResult(self._evidence(need.probe)))
            elif isinstance(need, engine.NeedAnswer):
                outputs = self._ask(need, answer)
            else:
                break

    def _ask(self, need: engine.NeedAnswer, answer: Answerer) -> list[engine.Output]:
        assert self.outcome is not None and self.state is not None
        chosen = answer(need.question)
        self.outcome.questions.append((need.question, chosen))
        if chosen is None or need.question.choices.count(chosen) == 0:
            return self._apply(engine.Decline(need.question.id))
        self._history.append(self.state)
        return self._apply(engine.Answer(need.question.id, chosen))

    def back(self, answer: Answerer) -> Outcome | None:
        """Undo the last answer and ask that question again."""
        if not self._history or self.outcome is None:
            return None
        self.state = self._history.pop()
        node = self.state.node
        self.outcome.diagnosis, self.outcome.stalled, self.outcome.candidates = None, "", ()
        if self.outcome.questions:
            self.outcome.questions.pop()
        self._emit(WentBack(self.ctx.now(), node))
        waiting = self.state.waiting
        assert isinstance(waiting, engine.NeedAnswer)
        self._drive(self._ask(waiting, answer), answer)
        return self.outcome

    def restart(self) -> None:
        self.cancel()
        self._emit(Restarted(self.ctx.now()))
        self.state, self.outcome, self._history = None, None, []
        self._waited = 0.0
        self._world = AwsWorld(self.ctx, self.book)
