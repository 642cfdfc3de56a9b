"""`awsmedic check` shown: an aligned table for a terminal, one JSON object for scripts.

Everything that came from this machine is scrubbed and stripped of terminal escapes before it
is shown; colour only on a terminal, and never with NO_COLOR.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsmedic import __version__
from awsmedic.core.check import SetupReport, Verdict
from awsmedic.core.probing import CONSENT_PREFIX
from awsmedic.model import Diagnosis, Evidence
from awsmedic.output.github import first_step, start_step, step_text
from awsmedic.output.render import commands_in
from awsmedic.output.report import SCHEMA_VERSION, scrubbed
from awsmedic.safety.redact import SecretBook

if TYPE_CHECKING:
    from rich.console import Console

STATE_STYLE = {
    "works": "green",
    "broken": "bold red",
    "expired": "bold red",
    "unchecked": "yellow",
    "settings only": "dim",
}


# -- JSON ------------------------------------------------------------------------------------
def _probe(evidence: Evidence) -> dict[str, Any]:
    """A probe as the contract's `probes` items are."""
    return {
        "id": evidence.probe,
        "status": evidence.status.value,
        "summary": evidence.summary,
        "findings": list(evidence.findings),
    }


def _step(diagnosis: Diagnosis | None) -> dict[str, Any] | None:
    """The step to take first, shaped like the contract's `steps` items."""
    step = start_step(diagnosis) if diagnosis is not None else None
    if step is None:
        return None
    text = step_text(step)
    commands = getattr(step, "commands", None)
    return {
        "text": text,
        "commands": list(commands) if commands is not None else commands_in(text),
        "edit": _edit(getattr(step, "edit", None)),
    }


def _edit(edit: Any) -> dict[str, Any] | None:
    if edit is None:
        return None
    return {name: getattr(edit, name, None) for name in ("file", "line", "before", "after")}


def _cause(diagnosis: Diagnosis | None) -> dict[str, Any]:
    return {
        "cause": diagnosis.cause if diagnosis else None,
        "title": diagnosis.title if diagnosis else None,
        "confidence": diagnosis.confidence.value if diagnosis else None,
        "evidence": list(diagnosis.evidence) if diagnosis else [],
        "first_step": _step(diagnosis),
    }


def _profile(verdict: Verdict) -> dict[str, Any]:
    return {
        "name": verdict.subject.label,
        "in_use": verdict.subject.here,
        "kind": verdict.kind,
        "state": verdict.state,
        "summary": verdict.summary,
        "identity": verdict.identity or None,
        "key_age": verdict.key_age or None,
        "region": verdict.region or None,
        **_cause(verdict.diagnosis),
        "needs_consent": [CONSENT_PREFIX + probe for probe in verdict.needs],
        "probes": [_probe(e) for e in verdict.probes],
    }


def _problems(report: SetupReport) -> list[dict[str, Any]]:
    found = [{"where": finding.area, **_cause(finding.diagnosis)} for finding in report.findings]
    found += [
        {"where": f"profile {v.subject.label}", **_cause(v.diagnosis)}
        for v in report.subjects
        if v.problem
    ]
    return found


def to_json(report: SetupReport, book: SecretBook) -> dict[str, Any]:
    """`check --format json`: one object; lists are lists, never null (README documents it)."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "ok": report.ok,
        "credentials": {
            "source": report.winner,
            "shadowed": list(report.shadowed),
            "summary": report.chain.summary,
            "details": list(report.chain.details),
        },
        "profiles": [_profile(v) for v in report.subjects],
        "clock": _probe(report.clock) if report.clock else None,
        "region": _probe(report.region) if report.region else None,
        "partition": _probe(report.partition) if report.partition else None,
        "problems": _problems(report),
        "offline": list(report.offline),
    }
    return scrubbed(document, book)  # type: ignore[no-any-return]


# -- text ------------------------------------------------------------------------------------
class CheckView:
    def __init__(self, console: Console, book: SecretBook) -> None:
        self.console = console
        self.book = book

    def _clean(self, text: str) -> str:
        return self.book.shown(text)

    def show(self, report: SetupReport) -> None:
        from rich.text import Text

        self._line("Credentials here", report.chain.summary)
        if report.shadowed:
            self._line("  shadowing", ", ".join(report.shadowed))
        for finding in report.findings:
            self._cause_lines(finding.diagnosis, "  ")
        self.console.print()
        self.console.print(self._table(report))
        self.console.print()
        if report.clock is not None:
            self._line("Clock", report.clock.summary, report.clock.status.value)
        if report.region is not None:
            self._line("Region", _region_line(report), report.region.status.value)
        for note in report.offline:
            self._line("Not checked", note)
        problems = len(report.findings) + sum(v.problem for v in report.subjects)
        verdict = (
            Text("Nothing is wrong.", style="green")
            if report.ok
            else Text(f"{problems} problem{'s' if problems != 1 else ''} found.", style="bold red")
        )
        self.console.print()
        self.console.print(verdict)

    def _line(self, label: str, text: str, status: str = "") -> None:
        from rich.text import Text

        style = {"problem": "red", "error": "yellow"}.get(status, "")
        line = Text(f"{label}: ", style="bold")
        line.append(self._clean(text), style=style)
        self.console.print(line)

    def _cause_lines(self, diagnosis: Diagnosis, indent: str) -> None:
        from rich.text import Text

        self.console.print(Text(indent + self._clean(_cause_text(diagnosis)), style="red"))

    def _table(self, report: SetupReport) -> Any:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for name in ("PROFILE", "KIND", "STATE"):
            table.add_column(name, no_wrap=True)
        table.add_column("DETAIL", overflow="fold")
        for verdict in report.subjects:
            label = verdict.subject.label + (" (in use)" if verdict.subject.here else "")
            detail = Text(self._clean(_detail(verdict)))
            if verdict.diagnosis is not None:
                detail.append("\n" + self._clean(_cause_text(verdict.diagnosis)), style="bold")
            for probe in verdict.needs:
                hint = f"\n--answer {CONSENT_PREFIX}{probe}=yes lets awsmedic {_CONSENT[probe]}"
                detail.append(hint, style="dim")
            table.add_row(
                Text(self._clean(label)),
                verdict.kind,
                Text(verdict.state, style=STATE_STYLE.get(verdict.state, "")),
                detail,
            )
        return table


_CONSENT = {"role.assume": "assume the role", "creds.process": "run the helper"}


def _detail(verdict: Verdict) -> str:
    extra = [f"key {verdict.key_age} old"] if verdict.key_age else []
    return "; ".join([verdict.summary, *extra])


def _cause_text(diagnosis: Diagnosis) -> str:
    step = first_step(diagnosis)
    return f"→ {diagnosis.cause}: {step}" if step else f"→ {diagnosis.cause}: {diagnosis.title}"


def _region_line(report: SetupReport) -> str:
    assert report.region is not None
    text = report.region.summary
    partition = report.partition
    if partition is not None and partition.has("failing-region-opt-in"):
        text += "; an opt-in region: it works only once enabled for the account"
    return text


def show(report: SetupReport, console: Console, book: SecretBook) -> None:
    CheckView(console, book).show(report)
