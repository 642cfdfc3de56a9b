"""How the REPL shows things: what was recognised, probe lines, questions, the diagnosis.

Built on `render.Printer`, so every string still goes through the scrubber; Markdown only for
knowledge-base text, plain Text for anything pasted or found on this machine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from awsmedic.model import Candidate, Diagnosis, Question
from awsmedic.output.render import Printer


class LazyConsole:
    """A rich Console made on first use: importing rich is time the prompt should not wait for."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._console: Any = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        with self._lock:
            if self._console is None:
                self._console = self._make()
        return getattr(self._console, name)


class ReplPrinter(Printer):
    def say(self, text: str, style: str = "") -> None:
        self._text(text, style)

    def echo(self, line: str) -> None:
        """The submitted line, shown once and scrubbed; a paste as its first line and a count."""
        from rich.text import Text

        lines = line.strip().splitlines() or [""]
        more = f"  (+{len(lines) - 1} more lines)" if len(lines) > 1 else ""
        first = "› " + self.book.scrub(lines[0])
        room = max(10, self.console.width - len(more) - 1)
        if len(first) > room:
            first = first[: room - 1] + "…"
        self.console.print(Text(first + more, style="dim"), no_wrap=True, crop=True)

    def question(self, question: Question) -> None:
        self.console.print()
        self.hang("?", question.text, "bold")
        for number, choice in enumerate(question.choices, 1):
            self.hang(f"  {number}.", choice)
        keys = "press its number" if len(question.choices) <= 9 else "type its number"
        self._text(f"  ({keys} or type it, Tab completes; /skip, /why, /back)", "dim")

    def diagnosis(self, diagnosis: Diagnosis, offline: tuple[str, ...] = ()) -> None:
        super().diagnosis(diagnosis, offline)
        self._text(
            "/why shows the reasoning, /check checks again once you followed the steps, "
            "/export saves the transcript.",
            "dim",
        )

    def candidates(
        self,
        candidates: tuple[Candidate, ...],
        reason: str,
        offline: tuple[str, ...] = (),
        guess: Diagnosis | None = None,
    ) -> None:
        super().candidates(candidates, reason, offline, guess)
        self._text(
            "/back changes your last answer; /probes shows every check; /check checks again.",
            "dim",
        )

    def no_match(self) -> None:
        self._text(
            "That does not look like an AWS credential or authentication error I know. Paste the "
            "whole error, as the tool printed it; /help shows what I can do."
        )
