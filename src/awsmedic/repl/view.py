"""How the REPL shows things: what was recognised, probe lines, questions, the diagnosis.

Built on `render.Printer`, so every string still goes through the scrubber; Markdown only for
knowledge-base text, plain Text for anything pasted or found on this machine.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from awsmedic.model import Candidate, Diagnosis, Evidence, Question, Recognition
from awsmedic.render import STATUS_MARK, STATUS_STYLE, Printer

# A code span that is a command to run: a command word followed by arguments (`aws sts ...`,
# `unset AWS_SESSION_TOKEN`, PowerShell `Remove-Item ...`), not a setting (`region = x`).
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
# Fenced blocks are rendered as code blocks already; their commands need no copy line.
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.DOTALL | re.MULTILINE)
_COMMAND = re.compile(r"(?:[a-z][\w.-]*|[A-Z][a-z]+-[A-Z][A-Za-z]+|\$env:\w+)\s+\S")
COMMAND_INDENT = "     "


def commands_in(step: str) -> list[str]:
    """The commands a step's Markdown shows in code spans, in order, once each."""
    found = []
    for match in _CODE_SPAN.finditer(_FENCE.sub("", step)):
        code = " ".join(match.group(2).split())
        # `export …` is a shape, not a command: a copy line needs something to copy.
        if _COMMAND.match(code) and " = " not in code and "…" not in code.split():
            found.append(code)
    return list(dict.fromkeys(found))


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


def probe_title(probe_id: str) -> str:
    from awsmedic.probes import spec

    found = spec(probe_id)
    return found.title if found is not None else probe_id


class ReplPrinter(Printer):
    def say(self, text: str, style: str = "") -> None:
        self._text(text, style)

    def hang(self, prefix: str, text: str, style: str = "") -> None:
        """`prefix text`, with wrapped lines of `text` indented under its start."""
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row(Text(prefix, style=style), Text(self.book.scrub(text), style=style))
        self.console.print(grid)

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

    def recognition(self, recognition: Recognition) -> None:
        best = recognition.best
        if best is None:
            return
        self._text(f"Recognised: {best.title}", "bold")
        parts = [f"error family {best.tree}"]
        if recognition.codes:
            parts.append(f"code {recognition.codes[0]}")
        parts.append(f"printed by {recognition.tool_title or 'an unknown tool'}")
        self.hang(" ", ", ".join(parts), "dim")
        if recognition.truncated:
            self._text("  (a very long paste: only its beginning and end were read)", "dim")

    def evidence(self, evidence: Evidence) -> None:
        mark = STATUS_MARK[evidence.status]
        line = f"{probe_title(evidence.probe)}: {evidence.summary}"
        self.hang(f"  {mark}", line, STATUS_STYLE[evidence.status])

    def question(self, question: Question) -> None:
        self.console.print()
        self.hang("?", question.text, "bold")
        for number, choice in enumerate(question.choices, 1):
            self.hang(f"  {number}.", choice)
        keys = "press its number" if len(question.choices) <= 9 else "type its number"
        self._text(f"  ({keys} or type it, Tab completes; /skip, /why, /back)", "dim")

    def diagnosis(self, diagnosis: Diagnosis) -> None:
        from rich.rule import Rule

        self.console.print()
        self.console.print(Rule(style="dim"))
        self._text(
            f"Cause: {diagnosis.title}  [{diagnosis.cause}, {diagnosis.confidence.value}]", "bold"
        )
        self.console.print()
        self._markdown(diagnosis.why)
        if diagnosis.evidence:
            self.console.print()
            self._text("Evidence:", "bold")
            for line in diagnosis.evidence:
                self.hang("  •", line)
        self.console.print()
        self._text("Steps:", "bold")
        for number, step in enumerate(diagnosis.steps, 1):
            self._markdown(f"{number}. " + step.replace("\n", "\n   "))
            for command in commands_in(step):
                self.command(command)
        self.console.print()
        self._text("/why shows the reasoning, /export saves the transcript.", "dim")

    def candidates(self, candidates: tuple[Candidate, ...], reason: str) -> None:
        super().candidates(candidates, reason)
        self._text("/back changes your last answer; /probes shows every check.", "dim")

    def no_match(self) -> None:
        self._text(
            "That does not look like an AWS credential or authentication error I know. Paste the "
            "whole error, as the tool printed it; /help shows what I can do."
        )

    def command(self, command: str) -> None:
        """A command on a line of its own, never wrapped by us, so it copies whole."""
        from rich.text import Text

        text = Text(COMMAND_INDENT + self.book.scrub(command), style="bold cyan")
        self.console.print(text, soft_wrap=True)
