"""One troubleshooting case in the REPL: the consultation, its transcript, and its commands.

The knowledge base and the matcher load on a background thread as soon as the REPL starts
(they do not need botocore), so the prompt comes up at once and a paste rarely waits for them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from awsmedic.context import Context
from awsmedic.errors import AwsMedicError
from awsmedic.model import Question
from awsmedic.output.render import probe_title
from awsmedic.repl.explain import show_probes, show_why
from awsmedic.repl.status import StepRunner
from awsmedic.repl.toolbar import Toolbar
from awsmedic.repl.view import ReplPrinter
from awsmedic.safety.redact import SecretBook

if TYPE_CHECKING:
    from awsmedic.core.consult import Consultation
    from awsmedic.core.match import Matcher
    from awsmedic.core.transcript import Transcript
    from awsmedic.kb.model import Knowledge
    from awsmedic.probes import ProbeSpec

T = TypeVar("T")


class Background(Generic[T]):
    """A value computed on a daemon thread once `start()` is called; `get()` waits for it (and
    re-raises its error), starting it if nobody did."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(make,), daemon=True)
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread.ident is None:
                self._thread.start()

    def _run(self, make: Callable[[], T]) -> None:
        try:
            self._value = make()
        except BaseException as exc:
            self._error = exc

    def get(self) -> T:
        self.start()
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


def load_knowledge(ctx: Context, warm: Callable[[], object]) -> tuple[Knowledge, Matcher]:
    from awsmedic.core.match import Matcher
    from awsmedic.kb import load_for

    knowledge = load_for(ctx.environ)
    warm()  # anything else the first answer needs, while the user is still pasting
    return knowledge, Matcher(knowledge)


@dataclass
class Ask:
    """The open question: the case's, or whether to overwrite an export (then `path` is set)."""

    question: Question
    path: Path | None = None


class Case:
    def __init__(
        self, ctx: Context, book: SecretBook, printer: ReplPrinter, runner: StepRunner
    ) -> None:
        self.ctx = ctx
        self.book = book
        self.printer = printer
        self.runner = runner
        self.toolbar = Toolbar(ctx)
        self.knowledge = Background(lambda: load_knowledge(ctx, lambda: printer.console.width))
        self.consultation: Consultation | None = None
        self.transcript: Transcript | None = None
        self.ask: Ask | None = None
        self.waiting_on = ""
        self.checking: Consultation | None = None  # the walk /check runs, while it runs

    # -- the walk -------------------------------------------------------------------------------
    def paste(self, text: str, typed: bool = False) -> None:
        from awsmedic.core.consult import Consultation
        from awsmedic.core.transcript import new_transcript

        knowledge, matcher = self.knowledge.get()
        if typed and self._remark(text, matcher):
            return
        self.forget()
        # One transcript for the whole session: each paste is a new case in it.
        fresh = self.transcript is None
        if self.transcript is None:
            self.transcript = new_transcript(self.ctx)
        consultation = Consultation(
            self.ctx,
            knowledge,
            self.book,
            self.transcript,
            on_event=self.runner.post,
            on_probe_start=self._probe_started,
            matcher=matcher,
        )
        recognition = consultation.recognise(text)
        self.toolbar.learn(consultation.adopted)  # the pasted command's profile and region
        self.runner.flush()
        if recognition.best is None:
            if fresh:
                self.transcript = None  # a stray first paste is not worth a transcript
            self.printer.no_match(recognition.lookalike, recognition.truncated)
            return
        self.consultation = consultation
        self.step(consultation.start)

    def _remark(self, text: str, matcher: Matcher) -> bool:
        """A line typed after a diagnosis that names no error ("there are no keys in that
        file", "it works now") is a remark on the case, not a new case: starting one would
        answer it with a general check that may contradict the evidence just shown. Say where
        the case stands instead. A pasted line, or one that names an error, starts a new case."""
        from awsmedic.core.waivers import waiver

        consultation = self.consultation
        if "\n" in text or consultation is None or consultation.outcome is None:
            return False
        if consultation.state is None or not consultation.state.finished:
            return False
        best = matcher.recognise(text, waiver(self.ctx)).best
        if best is not None and best.how != "topic":
            return False
        diagnosis = consultation.outcome.diagnosis
        stands = (
            f"the diagnosis above stands: {diagnosis.title} ({diagnosis.confidence})"
            if diagnosis is not None
            else "the candidates above stand"
        )
        self.printer.say(
            f"That reads as a remark, not an error text, so {stands}. /why shows the evidence "
            "it rests on; once you have changed something, /check checks again. To start a new "
            "case, paste the new error as the tool printed it (or /restart first)."
        )
        return True

    def _probe_started(self, spec: ProbeSpec) -> None:
        self.waiting_on = spec.id

    def status(self) -> str:
        """The spinner's text: the check the walk waits on, and how many run beside it."""
        walking = self.checking or self.consultation
        running = walking.running() if walking else ()
        others = len([probe for probe in running if probe != self.waiting_on])
        beside = f" ({others} more running)" if others else ""
        what = probe_title(self.waiting_on) if self.waiting_on else "this machine"
        return f"Checking {what}…{beside}"

    def step(self, work: Callable[[], Question | None]) -> None:
        from awsmedic.core.probing import Cancelled

        consultation = self.consultation
        assert consultation is not None
        self.waiting_on = ""
        job = self.runner.run(work, consultation.cancel)
        for evidence in consultation.results():
            self.toolbar.learn(evidence.facts)
        if job.cancelled or isinstance(job.error, Cancelled):
            self.ask = None
            what = probe_title(self.waiting_on) if self.waiting_on else "the checks"
            self.printer.say(
                f"Cancelled: stopped waiting for {what} (left to finish on its own). "
                "/why shows what is known; paste the error again to retry.",
                "yellow",
            )
            return
        if job.error is not None:
            raise job.error
        self._open(job.value)

    def _open(self, question: Question | None) -> None:
        self.ask = Ask(question) if question is not None else None
        if question is not None:
            self.printer.question(question)

    def answer(self, choice: str | None) -> None:
        ask, self.ask = self.ask, None
        if ask is None:
            self.printer.say("There is no open question.")
        elif ask.path is not None:
            if choice == "yes":
                self._export(ask.path, force=True)
            else:
                self.printer.say("Not exported.")
        elif self.consultation is not None:
            consultation = self.consultation
            self.step(lambda: consultation.reply(choice))

    def back(self) -> None:
        consultation = self.consultation
        if consultation is None or consultation.back() is None:
            self.printer.say("Nothing to undo: no question has been answered yet.")
            return
        self.runner.flush()
        self._open(consultation.pending)

    def forget(self) -> None:
        """Drop the current case (its events stay in the session's transcript)."""
        if self.consultation is not None:
            self.consultation.cancel()
        self.consultation, self.ask = None, None
        self.toolbar.forget()

    def restart(self) -> None:
        """/restart: record it, so an export shows where the new start was, and forget the case."""
        from awsmedic.model import Restarted

        if self.consultation is not None:
            self.consultation.restart()
        elif self.transcript is not None:
            self.transcript.append(Restarted(self.ctx.now()))
        self.forget()

    def interrupt(self) -> None:
        """Ctrl-C at an empty prompt: leave an open question unanswered."""
        if self.ask is None:
            self.printer.say("(Ctrl-D or /quit leaves)", "dim")
        else:
            self.printer.say("(left the question open)", "dim")
            self.answer(None)

    def check(self) -> None:
        """/check: walk the same paste again in a fresh world and say what changed. The new
        walk becomes the case (/why and /check again start from it); its events go to the
        session's transcript, so an export shows the check."""
        from awsmedic.core.probing import Cancelled
        from awsmedic.core.recheck import again, recheck

        first = self.consultation
        if first is None or first.state is None or first.outcome is None:
            self.printer.say("Nothing to check yet: paste an AWS error first.")
            return
        if not first.state.finished:
            self.printer.say(
                "Finish the case first: answer the open question (or /skip it), follow the "
                "steps, then /check."
            )
            return
        knowledge, _ = self.knowledge.get()
        second = again(self.ctx, knowledge, self.book, first, self.transcript, self._probe_started)
        self.waiting_on, self.checking = "", second
        try:
            job = self.runner.run(lambda: recheck(first, second), second.cancel)
        finally:
            self.checking = None
        if job.cancelled or isinstance(job.error, Cancelled):
            self.printer.say("Cancelled: the check stopped; /check starts it again.", "yellow")
            return
        if job.error is not None:
            raise job.error
        assert job.value is not None
        self.consultation = second
        self.toolbar.forget()  # the identity may have changed
        for evidence in second.results():
            self.toolbar.learn(evidence.facts)
        self.printer.recheck(job.value)

    # -- commands -------------------------------------------------------------------------------
    def why(self) -> None:
        consultation = self.consultation
        events = list(self.transcript.events) if self.transcript else []
        show_why(self.printer, consultation.state if consultation else None, events)

    def probes(self) -> None:
        consultation = self.consultation
        if consultation is None or consultation.state is None:
            show_probes(self.printer, [], {})
            return
        show_probes(self.printer, consultation.results(), consultation.state.evidence)

    def export(self, args: tuple[str, ...]) -> None:
        from awsmedic.output.exporting import format_for

        if self.transcript is None or not self.transcript.events:
            self.printer.say("Nothing to export yet: paste an AWS error first.")
            return
        # An unquoted path with spaces arrives as several words: it is still one path.
        path = Path(" ".join(args)).expanduser() if args else self.default_path()
        try:
            format_for(path)
        except AwsMedicError as exc:
            self.printer.say(f"Not exported: {exc}")
            return
        if path.exists():
            question = Question(
                "overwrite", f"{self._shown(path)} exists. Overwrite it?", ("yes", "no")
            )
            self.ask = Ask(question, path)
            self.printer.question(question)
            return
        self._export(path, force=False)

    def default_path(self) -> Path:
        """awsmedic-<cause or family>-<UTC time>.md in the current directory."""
        outcome = self.consultation.outcome if self.consultation else None
        label = "case"
        if outcome is not None and outcome.diagnosis is not None:
            label = outcome.diagnosis.cause
        elif outcome is not None and outcome.recognition.best is not None:
            label = outcome.recognition.best.tree
        stamp = self.ctx.now().strftime("%Y%m%d-%H%M%S")
        return Path.cwd() / f"awsmedic-{label}-{stamp}.md"

    def _shown(self, path: Path) -> str:
        """A path as the user would write it: a bare name in the current directory, ~ for home."""
        full = path.absolute()
        return full.name if full.parent == Path.cwd() else self.ctx.tilde(full)

    def _export(self, path: Path, *, force: bool) -> None:
        from awsmedic.output.exporting import export

        assert self.transcript is not None
        try:
            fmt = export(self.transcript, self.book, path, force=force)
        except AwsMedicError as exc:
            self.printer.say(f"Not exported: {exc}")
            return
        self.printer.say(f"Saved the transcript ({fmt}, secrets redacted) to {self._shown(path)}")
