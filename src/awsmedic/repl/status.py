"""Run one step of a case off the main thread, with a live status line; Ctrl-C abandons it.

The step (probes, then the walk) runs on a daemon thread. Its events are queued and printed by
the main thread only, above a one-line spinner (prompt_toolkit's `run_in_terminal`), so output
never interleaves. The spinner app listens for Ctrl-C alone: anything else typed meanwhile is
handed to the next prompt, in order (typeahead). A step that ends within `QUICK` seconds shows no
spinner at all, and a dumb terminal gets no spinner, just the lines.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Generic, TypeVar

from prompt_toolkit.application import Application, run_in_terminal
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.input import Input
from prompt_toolkit.input.typeahead import clear_typeahead, store_typeahead
from prompt_toolkit.key_binding import KeyBindings, KeyPress
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.output import Output

from awsmedic.model import Event

T = TypeVar("T")

#: Seconds a step may take before the spinner appears.
QUICK = 0.15
FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
#: How often the spinner app prints queued events and checks for the end of the step.
TICK = 0.05


class Job(Generic[T]):
    """The step on its daemon thread, and what became of it."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.done = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None
        self.cancelled = False
        self.thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self.thread.name = "awsmedic-step"

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self.value = work()
        except BaseException as exc:  # re-raised in the main thread by StepRunner.run
            self.error = exc
        finally:
            self.done.set()


class StepRunner:
    def __init__(
        self,
        show: Callable[[Event], None],
        status: Callable[[], str],
        *,
        app_input: Input,
        app_output: Output,
        spinner: bool = True,
    ) -> None:
        self._show = show
        self._status = status
        self._input = app_input
        self._output = app_output
        self._spinner = spinner
        self._events: queue.SimpleQueue[Event] = queue.SimpleQueue()

    def post(self, event: Event) -> None:
        """Queue an event to print (any thread)."""
        self._events.put(event)

    def flush(self) -> None:
        """Print the queued events (main thread)."""
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                return
            self._show(event)

    def run(self, work: Callable[[], T], cancel: Callable[[], None]) -> Job[T]:
        """Run `work`; on Ctrl-C call `cancel` and stop waiting. Never raises Ctrl-C itself."""
        job = Job(work)
        job.thread.start()
        try:
            if not job.done.wait(QUICK):
                if self._spinner:
                    self._with_spinner(job, cancel)
                self._wait(job)
        except KeyboardInterrupt:  # SIGINT outside the spinner app (cooked terminal)
            cancel()
            job.cancelled = True
        if job.cancelled:
            job.thread.join(0.5)  # the step sees the cancel at once; probes stay abandoned
        self.flush()
        return job

    def _wait(self, job: Job[Any]) -> None:
        while not job.cancelled and not job.done.wait(TICK):
            self.flush()

    def _with_spinner(self, job: Job[Any], cancel: Callable[[], None]) -> None:
        sieve = InterruptOnly(self._input)
        app = self._spinner_app(job, cancel, sieve)
        try:
            app.run()
        except EOFError:  # the input closed: keep waiting without a spinner
            pass
        finally:
            clear_typeahead(sieve)
            store_typeahead(self._input, sieve.kept)

    def _spinner_app(
        self, job: Job[Any], cancel: Callable[[], None], sieve: Input
    ) -> Application[None]:
        frame = [0]

        def line() -> StyleAndTextTuples:
            frame[0] += 1
            spin = FRAMES[frame[0] % len(FRAMES)]
            return [("bold", f"{spin} "), ("", self._status()), ("class:hint", "  Ctrl-C cancels")]

        bindings = KeyBindings()

        @bindings.add("c-c")
        @bindings.add(Keys.SIGINT)
        def _cancel(event: Any) -> None:
            """Ctrl-C abandons the step: the walk stops waiting, running probes are left."""
            cancel()
            job.cancelled = True
            if not event.app.is_done:
                event.app.exit()

        async def watch() -> None:
            while not job.done.is_set() and not job.cancelled:
                if not self._events.empty():
                    await run_in_terminal(self.flush)
                await asyncio.sleep(TICK)
            if not app.is_done:
                app.exit()

        app: Application[None] = Application(
            layout=Layout(Window(FormattedTextControl(line), height=1)),
            key_bindings=bindings,
            input=sieve,
            output=self._output,
            refresh_interval=0.1,
            erase_when_done=True,
        )

        def start_watching() -> None:
            app.create_background_task(watch())

        app.pre_run_callables.append(start_watching)
        return app


class InterruptOnly(Input):
    """Lends the terminal's input to the spinner app, which needs only Ctrl-C.

    Every other key read meanwhile is kept, in order, for the next prompt; the terminal's
    cursor-position replies go through, since the app's renderer waits for them.
    """

    PASSING = frozenset({Keys.ControlC, Keys.CPRResponse})

    def __init__(self, inner: Input) -> None:
        self.inner = inner
        self.kept: list[KeyPress] = []

    def _sift(self, keys: list[KeyPress]) -> list[KeyPress]:
        self.kept += [key for key in keys if key.key not in self.PASSING]
        return [key for key in keys if key.key in self.PASSING]

    def fileno(self) -> int:
        return self.inner.fileno()

    def typeahead_hash(self) -> str:
        return f"awsmedic-spinner-{id(self)}"

    def read_keys(self) -> list[KeyPress]:
        return self._sift(self.inner.read_keys())

    def flush_keys(self) -> list[KeyPress]:
        return self._sift(self.inner.flush_keys())

    def flush(self) -> None:
        self.inner.flush()

    @property
    def closed(self) -> bool:
        return self.inner.closed

    def raw_mode(self) -> AbstractContextManager[None]:
        return self.inner.raw_mode()

    def cooked_mode(self) -> AbstractContextManager[None]:
        return self.inner.cooked_mode()

    def attach(self, input_ready_callback: Callable[[], None]) -> AbstractContextManager[None]:
        return self.inner.attach(input_ready_callback)

    def detach(self) -> AbstractContextManager[None]:
        return self.inner.detach()
