"""One troubleshooting case: recognise a paste, walk its tree, run probes, ask, conclude.

This is the driver around the pure engine. The REPL and `awsmedic diagnose` both use it; they
differ only in how questions get answered and how events are shown (the callbacks).

Two ways to drive it: `run(answerer)` asks through a callback until the end (`diagnose`);
`start()` and `reply(answer)` stop at each question and return it (the REPL, which asks on its
own prompt between steps). Probes that need consent (another identity, a decoded message)
never run without the user's consent: the walk asks a yes/no question first (id
`consent:<probe-id>`, answerable in advance with `--answer consent:<probe-id>=yes`).
"""

from __future__ import annotations

import concurrent.futures as futures
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from awsmedic.context import Context
from awsmedic.core import engine
from awsmedic.core.match import Matcher
from awsmedic.core.probing import (
    CONSENT_CHOICES,
    CONSENT_PREFIX,
    Cancelled,
    ProbeRunner,
    consent_question,
)
from awsmedic.core.remedy import context_facts, context_findings
from awsmedic.core.transcript import Transcript
from awsmedic.kb.model import Knowledge
from awsmedic.model import (
    Answered,
    Asked,
    Candidate,
    Concluded,
    Diagnosis,
    Event,
    Evidence,
    Fact,
    Pasted,
    Question,
    Recognition,
    Restarted,
    Secret,
    Stalled,
    Status,
    Unchecked,
    WentBack,
)
from awsmedic.probes import HELPER_PROBE, Consent, ProbeInput, ProbeSpec
from awsmedic.probes import spec as probe_spec
from awsmedic.probes.world import AwsWorld
from awsmedic.safety.redact import SecretBook
from awsmedic.safety.secretscan import url_secrets

#: The text facts that hold an endpoint URL: the pasted command's `--endpoint-url`, the error's.
_URL_FACTS = ("endpoint_url", "url")


def _url_secrets(recognition: Recognition) -> list[Secret]:
    """The passwords in the endpoint URLs the paste names (`user:password@host`, scheme or
    not): the steps and the cause's text quote them, and so does the paste itself."""
    facts = recognition.facts
    return [s for name in _URL_FACTS if name in facts for s in url_secrets(facts[name].value)]


#: Returns the chosen answer, or None to leave the question open.
Answerer = Callable[[Question], str | None]


class _Snapshot(NamedTuple):
    """What `back` restores: the walk before an answer, and how much outcome it had."""

    state: engine.Dialogue
    questions: int
    probes: int
    question: Question


@dataclass
class Outcome:
    """What a case came to: the recognition, the diagnosis or candidates, and the way there."""

    recognition: Recognition
    diagnosis: Diagnosis | None = None
    candidates: tuple[Candidate, ...] = ()
    questions: list[tuple[Question, str | None]] = field(default_factory=list)
    probes: list[Evidence] = field(default_factory=list)
    stalled: str = ""
    #: What could not be checked, and why (CONTRACT.md `offline`).
    offline: tuple[str, ...] = ()
    #: Without a diagnosis: the best candidate as one, for its steps.
    guess: Diagnosis | None = None


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
        self._given = ctx  # before a paste's command line set a profile or region
        self.knowledge = knowledge
        self.book = book
        self.transcript = transcript
        self.matcher = matcher or Matcher(knowledge)
        self._on_event = on_event or (lambda event: None)
        self._on_probe_start = on_probe_start or (lambda spec: None)
        self._world = AwsWorld(ctx, book, self._helper_consented)
        self._runner: ProbeRunner | None = None
        self._text = ""
        self._prepared = ""
        self.state: engine.Dialogue | None = None
        self.outcome: Outcome | None = None
        self._history: list[_Snapshot] = []
        self._consent: dict[str, bool] = {}
        self._abort: futures.Future[None] = futures.Future()
        #: The question the walk stopped at, when driven by `start`/`reply` (None: not waiting).
        self.pending: Question | None = None
        #: The profile and region taken from the pasted command line (core.pastedcommand).
        self.adopted: dict[str, Fact] = {}

    # -- events -------------------------------------------------------------------------------
    def _emit(self, event: Event) -> None:
        if self._abort.done():
            return  # a cancelled step says nothing more
        self.transcript.append(event)
        self._on_event(event)

    # -- recognition ------------------------------------------------------------------------
    @property
    def pasted(self) -> str:
        """The paste as recognised (bounded), for walking it again."""
        return self._text

    def recognise(self, text: str, preset: dict[str, str] | None = None) -> Recognition:
        from awsmedic.core.pastes import clean, reading
        from awsmedic.core.waivers import waiver
        from awsmedic.model import Matched

        recognition = self.matcher.recognise(text, waiver(self.ctx))
        self.book.add(_url_secrets(recognition))
        # Hints and probes read the paste too: give them what the matcher read, not 10 MB,
        # cleaned as the matcher cleaned it; hints also read its message lines unwrapped.
        self._text = self.matcher.bound(text)[0]
        self._prepared = clean(self._text)
        self._as_pasted(recognition)
        self._emit(Pasted(self.ctx.now(), self._text, recognition.truncated))
        self._emit(Matched(self.ctx.now(), recognition))
        self.outcome = Outcome(recognition)
        best = recognition.best
        if best is not None:
            tree = self.knowledge.trees[best.tree]
            self.state = engine.new_dialogue(
                self.knowledge,
                tree,
                reading(self._prepared),
                recognition.signals,
                recognition.facts,
                self.ctx.now(),
                probes_enabled=self.ctx.probes_enabled,
                preset=preset,
                base_facts=context_facts(self.ctx),
                tool=recognition.tool,
                base_findings=context_findings(self.ctx),
                rivals=tuple(
                    engine.Rival(self.knowledge.trees[tree_id], weight)
                    for tree_id, weight in recognition.rivals
                ),
            )
        return recognition

    def _as_pasted(self, recognition: Recognition) -> None:
        """Check what the pasted command used: its profile and region (before any probe)."""
        from awsmedic.core.pastedcommand import adopt

        if self._runner is not None:  # probes ran in this world already: it stays
            return
        adoption = adopt(self._given, recognition, self._prepared)
        self.adopted = adoption.taken
        if adoption.ctx is not self.ctx:
            self.ctx = adoption.ctx
            self._world = AwsWorld(self.ctx, self.book, self._helper_consented)

    # -- probes -------------------------------------------------------------------------------
    def _evidence(self, probe_id: str) -> Evidence:
        if self._runner is None:
            assert self.state is not None and self.outcome is not None
            probe_input = ProbeInput(
                self.ctx, self._world, self._prepared, self.outcome.recognition
            )
            self._runner = ProbeRunner(probe_input, self._on_probe_start)
        assert self.state is not None
        ahead = engine.probes_ahead(self.state.tree, self.state.node)
        return self._runner.evidence(probe_id, self._abort, ahead)

    def probe(self, probe_id: str) -> Evidence:
        """One probe's result outside the walk (as /check re-runs the first path's probes):
        the finished one if it ran, else it runs now, bounded like any other."""
        return self._evidence(probe_id)

    def running(self) -> tuple[str, ...]:
        """Ids of the probes running right now (for a status line)."""
        return self._runner.running() if self._runner is not None else ()

    def results(self) -> list[Evidence]:
        """Every finished probe result: those the walk used, then prefetched ones it did not."""
        used = dict(self.state.evidence) if self.state is not None else {}
        finished = self._runner.finished() if self._runner is not None else {}
        return list((used | {k: v for k, v in finished.items() if k not in used}).values())

    def cancel(self) -> None:
        """Abandon the running step (Ctrl-C): whoever waits on a probe gets `Cancelled` now.

        Probe threads are daemons and end on their own, bounded by their timeouts. Finished
        results are kept; a later `reply` or `back` resumes and reruns what was abandoned.
        """
        if not self._abort.done():
            self._abort.set_result(None)
        if self._runner is not None:
            self._runner.abandon()

    def _resume(self) -> None:
        if self._abort.done():
            self._abort = futures.Future()

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
        from awsmedic.model import Probed

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
            outcome.offline = event.offline
        elif isinstance(event, Stalled):
            outcome.candidates = event.candidates
            outcome.stalled = event.reason
            outcome.offline, outcome.guess = event.offline, event.guess

    def run(self, answer: Answerer, first: engine.Command | None = None) -> Outcome:
        """Walk until a conclusion, or until a question stays unanswered."""
        assert self.outcome is not None
        if self.state is None:
            return self.outcome
        self._drive(self._apply(first or engine.Start()), answer)
        return self.outcome

    def start(self) -> Question | None:
        """Walk until a question needs the user (returned, and kept in `pending`) or the end."""
        assert self.outcome is not None
        self.pending = None
        if self.state is not None:
            self._drive(self._apply(engine.Start()), None)
        return self.pending

    def reply(self, answer: str | None) -> Question | None:
        """Answer the pending question (None leaves it open) and walk on to the next one."""
        question, self.pending = self.pending, None
        if question is None:
            return None
        self._resume()
        self._drive(self._answered(question, answer), None)
        return self.pending

    def _drive(self, outputs: list[engine.Output], answer: Answerer | None) -> None:
        """Follow the walk's requests; without an answerer, stop at the first question."""
        while outputs:
            if self._abort.done():
                raise Cancelled()
            need = outputs[-1]
            question: Question | None = None
            if isinstance(need, engine.NeedProbe):
                allowed = self._consent_given(need.probe)
                if allowed is not None:
                    evidence = self._evidence(need.probe) if allowed else self._declined(need.probe)
                    if not self._ask_helper(evidence):
                        outputs = self._apply(engine.ProbeResult(evidence))
                        continue
                    # The check could only be made by running the user's credential_process
                    # helper: ask for that (the consent creds.process asks for), then again.
                    found = probe_spec(HELPER_PROBE)
                else:
                    found = probe_spec(need.probe)
                assert found is not None  # an unknown probe needs no consent
                question = consent_question(found)
            elif isinstance(need, engine.NeedAnswer):
                question = need.question
            else:
                break
            if answer is None:
                self.pending = question
                if question.id.startswith(CONSENT_PREFIX):
                    self._emit(Asked(self.ctx.now(), need.node, question))
                return
            outputs = self._answered(question, answer(question))

    def _consent_given(self, probe_id: str) -> bool | None:
        """True: the probe may run now; False: it was refused (the user said no, or an
        `--answer consent:<probe>=no`); None: ask first. Another identity or a program of the
        user's is used only after a yes, in the REPL and in `diagnose` alike."""
        spec = probe_spec(probe_id)
        if spec is None or spec.consent is Consent.NONE:
            return True
        if probe_id in self._consent:
            return self._consent[probe_id]
        if spec.network and self.ctx.offline:
            return True  # run_probe skips it, and says why
        assert self.state is not None
        preset = self.state.preset.get(CONSENT_PREFIX + probe_id)
        if preset in CONSENT_CHOICES:
            self._consent[probe_id] = preset == "yes"
            return self._consent[probe_id]
        return None

    def _ask_helper(self, evidence: Evidence) -> bool:
        """Whether a person at the keyboard should be asked to let botocore run the profile's
        credential_process helper: a check was refused for want of it, and nobody said yes or
        no yet (without this, nothing in the REPL would ever ask)."""
        if evidence.unchecked is not Unchecked.CONSENT or not self.ctx.interactive:
            return False
        if HELPER_PROBE in self._consent:
            return False
        preset = self.state.preset if self.state is not None else {}
        return CONSENT_PREFIX + HELPER_PROBE not in preset

    def _helper_consented(self) -> bool:
        """Whether botocore may run a credential_process helper (to sign a request, or for a
        role's source profile): the consent `creds.process` asks for, given here or in advance."""
        if HELPER_PROBE in self._consent:
            return self._consent[HELPER_PROBE]
        preset = self.state.preset if self.state is not None else {}
        return preset.get(CONSENT_PREFIX + HELPER_PROBE) == "yes"

    def _declined(self, probe_id: str) -> Evidence:
        """A refused probe's result, saying how to let it run."""
        unlock = (
            "/back and a yes let it run"
            if self.ctx.interactive
            else f"`--answer {CONSENT_PREFIX}{probe_id}=yes` lets it run"
        )
        return Evidence(
            probe_id, Status.SKIPPED, f"skipped: not run without your consent ({unlock})"
        )

    def _answered(self, question: Question, chosen: str | None) -> list[engine.Output]:
        """Record an answer (consent or the tree's question) and take the walk's next step."""
        assert self.outcome is not None and self.state is not None
        self._history.append(
            _Snapshot(self.state, len(self.outcome.questions), len(self.outcome.probes), question)
        )
        self.outcome.questions.append((question, chosen))
        if question.id.startswith(CONSENT_PREFIX):
            return self._consented(question, chosen)
        if chosen is None or chosen not in question.choices:
            return self._apply(engine.Decline(question.id))
        return self._apply(engine.Answer(question.id, chosen))

    def _consented(self, question: Question, chosen: str | None) -> list[engine.Output]:
        assert self.state is not None
        probe_id = question.id[len(CONSENT_PREFIX) :]
        allowed = chosen == "yes"
        self._consent[probe_id] = allowed
        if allowed and probe_id == HELPER_PROBE and self._runner is not None:
            # Checks started before the yes could not sign with the helper's keys: again.
            self._runner.forget(Unchecked.CONSENT)
        self._emit(Answered(self.ctx.now(), self.state.node, question.id, chosen or "no"))
        waiting = self.state.waiting
        if allowed:
            return [waiting] if waiting is not None else []
        if isinstance(waiting, engine.NeedProbe) and waiting.probe != probe_id:
            # A no to the helper asked for on another check's behalf: that check stays refused.
            return self._apply(engine.ProbeResult(self._evidence(waiting.probe)))
        return self._apply(engine.ProbeResult(self._declined(probe_id)))

    def back(self, answer: Answerer | None = None) -> Outcome | None:
        """Undo the last answer and ask that question again (or, without an answerer, make it
        `pending` again). None when there is nothing to undo."""
        if not self._history or self.outcome is None:
            return None
        self._resume()
        snapshot = self._history.pop()
        self.state = snapshot.state
        outcome = self.outcome
        del outcome.questions[snapshot.questions :]
        del outcome.probes[snapshot.probes :]
        outcome.diagnosis, outcome.stalled, outcome.candidates = None, "", ()
        outcome.offline, outcome.guess = (), None
        question = snapshot.question
        if question.id.startswith(CONSENT_PREFIX):
            self._consent.pop(question.id[len(CONSENT_PREFIX) :], None)
        self._emit(WentBack(self.ctx.now(), self.state.node))
        self.pending = None
        if answer is None:
            self.pending = question
            return outcome
        self._drive(self._answered(question, answer(question)), answer)
        return outcome

    def restart(self) -> None:
        self.cancel()
        self._resume()
        self._emit(Restarted(self.ctx.now()))
        self.state, self.outcome, self._history, self.pending = None, None, [], None
        self._consent, self._runner = {}, None
        self._world = AwsWorld(self.ctx, self.book, self._helper_consented)
