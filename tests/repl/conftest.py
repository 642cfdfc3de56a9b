"""Drive the REPL through a pipe, as a terminal would (prompt_toolkit's unit-testing recipe)."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from awsmedic.model import Evidence
from awsmedic.output.render import make_console
from awsmedic.probes import ProbeInput, registry
from awsmedic.repl.app import Repl
from awsmedic.safety.redact import SecretBook
from awsmedic.safety.secretscan import known_secrets
from tests.conftest import make_context

BEGIN_PASTE, END_PASTE = "\x1b[200~", "\x1b[201~"
ENTER, ESC_ENTER, CTRL_C, CTRL_D = "\r", "\x1b\r", "\x03", "\x04"


def paste(text: str) -> str:
    """Bracketed paste, as a terminal sends it (CRLF line ends, like a Windows clipboard)."""
    return BEGIN_PASTE + text.replace("\n", "\r\n") + END_PASTE


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with (
        create_pipe_input() as pipe_input,
        create_app_session(input=pipe_input, output=DummyOutput()),
    ):
        yield pipe_input


@dataclass
class Session:
    repl: Repl
    screen: io.StringIO
    pipe: PipeInput

    def run(self, keys: str) -> int:
        """Type `keys`, then run the REPL until it quits (end with /quit or Ctrl-D)."""
        self.pipe.send_text(keys)
        return self.repl.loop()

    @property
    def shown(self) -> str:
        return self.screen.getvalue()

    @property
    def events(self) -> list[Any]:
        transcript = self.repl.case.transcript
        return list(transcript.events) if transcript is not None else []


@pytest.fixture
def start(pipe: PipeInput) -> Callable[..., Session]:
    def make(width: int = 100, **overrides: object) -> Session:
        ctx = make_context(**{"interactive": True, **overrides})
        book = SecretBook(known_secrets(ctx))
        screen = io.StringIO()
        console = make_console(screen, no_color=True, width=width)
        repl = Repl(ctx, book, console, input=pipe, output=DummyOutput())
        return Session(repl, screen, pipe)

    return make


@dataclass
class Blocker:
    """Makes one probe block until released, to catch the REPL while it waits."""

    started: threading.Event
    release: threading.Event
    threads: list[threading.Thread]


@pytest.fixture
def block_probe(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], Blocker]]:
    blockers: list[Blocker] = []

    def install(probe_id: str) -> Blocker:
        blocker = Blocker(threading.Event(), threading.Event(), [])
        blockers.append(blocker)
        spec = registry()[probe_id]

        def blocking(run: ProbeInput) -> Evidence:
            blocker.threads.append(threading.current_thread())
            blocker.started.set()
            blocker.release.wait(30)
            return spec.function(run)

        monkeypatch.setitem(registry(), probe_id, replace(spec, function=blocking))  # type: ignore[arg-type]
        return blocker

    yield install
    for blocker in blockers:
        blocker.release.set()
