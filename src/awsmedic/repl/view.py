"""How the REPL shows things: what was recognised, probe lines, questions, the diagnosis.

Built on `render.Printer`, so every string still goes through the scrubber; Markdown only for
knowledge-base text, plain Text for anything pasted or found on this machine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsmedic.model import Candidate, Diagnosis, Question
from awsmedic.output.render import Printer, probe_title

if TYPE_CHECKING:
    from awsmedic.core.recheck import Recheck


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


#: Verdicts of /check that say the credentials work now (values of core.recheck.Verdict).
_WORKS = frozenset({"fixed", "retry"})


def _who(result: Recheck) -> str:
    """Who the credentials are now: the identity, and the key id (masked)."""
    arn = result.identity.facts.get("arn") if result.identity is not None else None
    who = f"as {arn.value}" if arn is not None else "with these credentials"
    return f"{who} (key {result.key_id})" if result.key_id else who


class ReplPrinter(Printer):
    def say(self, text: str, style: str = "") -> None:
        self._text(text, style)

    def echo(self, line: str) -> None:
        """The submitted line, shown once and scrubbed; a paste as its first line and a count."""
        from rich.text import Text

        lines = line.strip().splitlines() or [""]
        more = f"  (+{len(lines) - 1} more lines)" if len(lines) > 1 else ""
        first = "› " + self.clean(lines[0])
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

    def recheck(self, result: Recheck) -> None:
        """What /check found: fixed (with the identity now), or what is still wrong and the
        next step."""
        from awsmedic.core.recheck import Verdict

        self.console.print()
        verdict = result.verdict
        who = _who(result)
        if verdict is Verdict.FIXED:
            self._text(f"Fixed: AWS accepts the credentials now, {who}.", "bold green")
        elif verdict is Verdict.RETRY:
            self._text(f"AWS accepts the credentials now, {who}.", "bold green")
            self._text(
                f"Nothing on this machine points to “{result.cause}” any more; only the failing "
                "command can tell whether it works: run it again, and paste its error if it fails."
            )
        elif verdict is Verdict.STILL:
            self._text(f"Still wrong: {result.cause}.", "bold yellow")
            for evidence in result.still:
                self.hang("  •", evidence.summary)
        elif verdict is Verdict.CHANGED:
            assert result.outcome.diagnosis is not None
            new = result.outcome.diagnosis
            self._text(
                f"The first problem is gone ({result.cause}), but now: {new.title} "
                f"({new.confidence.value}).",
                "bold yellow",
            )
        elif verdict is Verdict.NOT_FIXED:
            said = result.identity.summary if result.identity else "no answer"
            self._text("Not fixed yet: AWS does not accept the credentials.", "bold yellow")
            self.hang("  •", said)
        else:
            said = result.identity.summary if result.identity else "it was not asked"
            self._text("Could not ask AWS whether the credentials work now.", "bold yellow")
            self.hang("  •", said)
        self._changes(result)
        self._next(result)

    def _changes(self, result: Recheck) -> None:
        if not result.changes:
            if result.verdict not in _WORKS:
                self._text("Nothing the checks look at has changed.", "dim")
            return
        self._text("What changed:", "bold")
        for change in result.changes:
            self.hang("  •", f"{probe_title(change.probe)}: {change.after.summary}")
            self.hang("   ", f"(was: {change.before.summary})", "dim")

    def _next(self, result: Recheck) -> None:
        step = result.next_step
        if step is not None and step.steps:
            self._text("Next step:", "bold")
            self.steps(step.steps[:1])
        if result.environment and result.verdict not in _WORKS:
            self._text(
                "awsmedic still sees the environment variables it was started with: after "
                "changing them in your shell, quit, start awsmedic there, paste the error and "
                "/check again.",
                "dim",
            )

    def no_match(self, lookalike: str | None = None, truncated: bool = False) -> None:
        if lookalike is not None or truncated:
            super().no_match(lookalike, truncated)
            return
        self._text(
            "That does not look like an AWS credential or authentication error I know. Paste the "
            "whole error, as the tool printed it; /help shows what I can do."
        )
