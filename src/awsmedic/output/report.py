"""The outcome of a diagnosis as the contract's JSON object and as Markdown (CONTRACT.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from awsmedic import __version__
from awsmedic.core.consult import Outcome
from awsmedic.output.export.jsondoc import step as step_object
from awsmedic.output.export.markdown import literal
from awsmedic.safety.redact import SecretBook
from awsmedic.safety.safetext import printable

#: CONTRACT.md: 2 made each step an object (text, commands, edit) and added `offline`.
SCHEMA_VERSION = 2


def to_contract(outcome: Outcome) -> dict[str, Any]:
    recognition = outcome.recognition
    diagnosis = outcome.diagnosis
    shown = diagnosis or outcome.guess
    return {
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "matches": [
            {"tree": m.tree, "title": m.title, "score": m.score} for m in recognition.matches
        ],
        # Added (issue 12): the families that came closest when none matched and a general
        # check ran instead; and, for a text that is not about AWS, what it looks like.
        "closest": [
            {"tree": m.tree, "title": m.title, "score": m.score} for m in recognition.closest
        ],
        "lookalike": recognition.lookalike,
        "diagnosis": None
        if diagnosis is None
        else {
            "cause": diagnosis.cause,
            "title": diagnosis.title,
            "confidence": diagnosis.confidence.value,
            "evidence": list(diagnosis.evidence),
        },
        "candidates": [{"cause": c.cause, "score": c.score} for c in outcome.candidates],
        "questions": [
            {"id": q.id, "text": q.text, "choices": list(q.choices), "answer": answer}
            for q, answer in outcome.questions
        ],
        "probes": [
            {
                "id": e.probe,
                "status": e.status.value,
                "summary": e.summary,
                "findings": list(e.findings),
            }
            for e in outcome.probes
        ],
        # With no single cause, the steps of the best guess (candidates[0]), as the text and
        # Markdown outputs show them: a script gets what a person reading the terminal gets.
        "steps": [step_object(s) for s in shown.steps] if shown else [],
        "offline": list(outcome.offline),
    }


def scrubbed(value: Any, book: SecretBook) -> Any:
    """A JSON document (`--format json` of diagnose, run and check) with every string, keys
    included, scrubbed and made printable, as exports are (`Transcript.redacted`): JSON escapes
    a control character as `\\u001b`, and `jq -r` would turn it back into a live one."""
    if isinstance(value, str):
        return book.shown(value)
    if isinstance(value, list):
        return [scrubbed(item, book) for item in value]
    if isinstance(value, dict):
        return {scrubbed(key, book): scrubbed(item, book) for key, item in value.items()}
    return value


def to_markdown(outcome: Outcome, clean: Callable[[str], str] = printable) -> str:
    """The outcome for a ticket or a pull request (stdout with --format markdown, the job
    summary with --format github).

    Built from filtered strings: `clean` (scrub, then `printable`) runs on every string before
    it goes in, so no filter applied afterwards can change what the Markdown means (a carriage
    return the terminal filter turns into a line break would end a code span). Evidence, probe
    summaries, why no cause was confirmed and what was not checked came from this machine and
    the paste: each is one code span nothing in it can end (the export's `literal`), never
    Markdown. Titles, the why and the steps are knowledge-base Markdown, with every filled
    value in a code span already.
    """
    lines: list[str] = []
    recognition = outcome.recognition
    best = recognition.best
    lines.append("# awsmedic diagnosis\n")
    if recognition.truncated:
        from awsmedic.core.pastes import TRUNCATED_NOTE

        lines.append(f"_Note: {TRUNCATED_NOTE}._\n")
    if recognition.lookalike is not None:
        lines.append(f"That looks like {clean(recognition.lookalike)}.\n")
    if best is not None:
        tool = f", printed by {clean(recognition.tool_title)}" if recognition.tool_title else ""
        lines.append(f"**Recognised:** {clean(best.title)} (`{best.tree}`{tool})\n")
    if recognition.closest:
        closest = ", ".join(f"{clean(m.title)} (`{m.tree}`)" for m in recognition.closest)
        lines.append(f"**Closest known errors:** {closest}\n")
    diagnosis = outcome.diagnosis
    if diagnosis is not None:
        lines.append(f"## Cause: {clean(diagnosis.title)}\n")
        lines.append(f"`{diagnosis.cause}` · confidence: **{diagnosis.confidence.value}**\n")
        lines.append(clean(diagnosis.why) + "\n")
        if diagnosis.evidence:
            lines.append("### Evidence\n")
            lines.extend(f"- {literal(clean(item))}" for item in diagnosis.evidence)
            lines.append("")
        lines.append("### Steps\n")
        lines.extend(_numbered(tuple(clean(s.text) for s in diagnosis.steps)))
        lines.append("")
    elif outcome.candidates:
        lines.append("## Possible causes\n")
        if outcome.stalled:
            stalled = literal(clean(outcome.stalled))
            lines.append(f"No single cause could be confirmed: {stalled}.\n")
        lines.extend(f"- `{c.cause}` {clean(c.title)} ({c.score}%)" for c in outcome.candidates)
        lines.append("")
        if outcome.guess is not None:
            lines.append(f"### Steps for the most likely: {clean(outcome.guess.title)}\n")
            lines.extend(_numbered(tuple(clean(s.text) for s in outcome.guess.steps)))
            lines.append("")
    if outcome.offline:
        lines.append("## Not checked\n")
        lines.extend(f"- {literal(clean(line))}" for line in outcome.offline)
        lines.append("")
    if outcome.probes:
        lines.append("## Checks\n")
        lines.extend(
            f"- `{e.probe}` **{e.status.value}**: {literal(clean(e.summary))}"
            for e in outcome.probes
        )
        lines.append("")
    return "\n".join(lines)


def _numbered(steps: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for number, step in enumerate(steps, 1):
        first, *rest = step.split("\n")
        out.append(f"{number}. {first}")
        out.extend(("   " + line) if line else "" for line in rest)
    return out
