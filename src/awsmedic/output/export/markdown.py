"""Markdown for a ticket or a pull request: the error, the path as a list, the cause, the steps,
and the full timeline.

Knowledge-base text (why, steps, titles) is Markdown and is written as such. Everything else
came from the user or this machine and is only ever written inside a code span or a fence that
is longer than any backtick run in it, so a paste cannot open a link, a heading or raw HTML.
"""

from __future__ import annotations

import re

from awsmedic.core.pastes import TRUNCATED_NOTE
from awsmedic.core.transcript import Transcript
from awsmedic.model import (
    Answered,
    Asked,
    Branched,
    Concluded,
    Event,
    Matched,
    Pasted,
    Probed,
    Restarted,
    Stalled,
    WentBack,
)
from awsmedic.output.export.story import (
    Case,
    Hop,
    answer_origin,
    cases,
    line_count,
    recognised_how,
    redaction_note,
)

STATUS_MARK = {"ok": "✓", "problem": "✗", "skipped": "–", "error": "!"}


def literal(text: str) -> str:
    """User or machine text inline: a code span nothing can escape from."""
    text = " ".join(text.split("\n"))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if not text.strip() or text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fenced(text: str) -> list[str]:
    """A block of user text: a backtick fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", text.rstrip("\n"), fence]


def cell(text: str) -> str:
    """A literal inside a table row, where a bare `|` would end the cell even in a code span."""
    return literal(text.replace("|", "/"))


def clock(event: Event) -> str:
    return event.at.strftime("%H:%M:%S")


def header(transcript: Transcript) -> list[str]:
    meta = transcript.meta
    started = meta.started.isoformat(timespec="seconds") if meta.started else "unknown"
    return [
        "| | |",
        "| --- | --- |",
        f"| Started | {cell(started)} |",
        f"| awsmedic | {cell(meta.tool_version)} |",
        f"| botocore | {cell(meta.botocore or 'unknown')} |",
        f"| Python | {cell(meta.python)} |",
        f"| Platform | {cell(meta.platform)} |",
        f"| Redacted | {redaction_note(transcript.redaction)} |",
        "",
    ]


def recognition_line(case: Case) -> str:
    if case.matched is None:
        return ""
    recognition = case.matched.recognition
    best = recognition.best
    if best is None:
        if recognition.lookalike is not None:
            return f"Not diagnosed: it looks like {literal(recognition.lookalike)}.\n"
        return "Not recognised as an AWS error awsmedic knows.\n"
    tool = f", printed by {recognition.tool_title}" if recognition.tool_title else ""
    line = f"Recognised by {recognised_how(best)} as **{best.title}** (tree `{best.tree}`{tool}).\n"
    if recognition.closest:
        closest = ", ".join(f"`{m.tree}` {m.score}%" for m in recognition.closest)
        line += f"\nClosest known errors: {closest}.\n"
    return line


def hop_line(number: int, hop: Hop) -> str:
    via = f" → {literal(hop.via)}" if hop.via else ""
    if hop.kind == "probe":
        mark = STATUS_MARK.get(hop.status, "?")
        return f"{number}. Probe `{hop.ref}` {mark} {hop.status}: {literal(hop.label)}{via}"
    if hop.kind == "question":
        who = f" ({answer_origin(hop.status)})" if hop.status else ""
        asked = f" “{hop.label}”" if hop.label != hop.ref else ""
        return f"{number}. Question `{hop.ref}`{asked}{via or ' (unanswered)'}{who}"
    if hop.kind == "text":
        return f"{number}. The error text{via}"
    if hop.kind == "cause":
        return f"{number}. **Cause `{hop.ref}`**: {hop.label} ({hop.status})"
    return f"{number}. Stopped: {literal(hop.label)}"


def outcome_lines(case: Case, h: str) -> list[str]:
    if case.concluded is not None:
        d = case.concluded.diagnosis
        out = [f"{h} Cause: {d.title}", "", f"`{d.cause}` · confidence **{d.confidence}**", ""]
        out += [d.why.strip(), ""]
        if d.evidence:
            out += [f"{h}# Evidence", "", *(f"- {literal(line)}" for line in d.evidence), ""]
        out += not_checked(case.concluded.offline, h)
        out += [f"{h}# Steps", ""]
        out += numbered(tuple(step.text for step in d.steps))
        if d.refs:
            out += [f"{h}# References", "", *(f"- <{ref}>" for ref in d.refs), ""]
        return out
    if case.stalled is not None:
        out = [f"{h} No single cause", "", f"Stopped: {literal(case.stalled.reason)}", ""]
        if case.stalled.candidates:
            out += ["Still possible, most likely first:", ""]
            out += [f"- `{c.cause}` {c.title} ({c.score}%)" for c in case.stalled.candidates]
            out.append("")
        out += not_checked(case.stalled.offline, h)
        guess = case.stalled.guess
        if guess is not None:
            out += [f"{h}# Steps for the most likely: {guess.title}", ""]
            out += numbered(tuple(step.text for step in guess.steps))
        return out
    return []


def not_checked(offline: tuple[str, ...], h: str) -> list[str]:
    """What could not be checked, and why: its own section, never evidence."""
    if not offline:
        return []
    return [f"{h}# Not checked", "", *(f"- {literal(line)}" for line in offline), ""]


def numbered(steps: tuple[str, ...]) -> list[str]:
    """An ordered list of Markdown steps; continuation lines indented to the item's text."""
    out = []
    for number, step in enumerate(steps, 1):
        first, *rest = step.split("\n")
        indent = " " * len(f"{number}. ")
        out.append(f"{number}. {first}")
        out.extend(f"{indent}{line}" if line.strip() else "" for line in rest)
    return [*out, ""]


def probe_details(event: Probed) -> list[str]:
    e = event.evidence
    out = []
    if e.findings:
        out.append("  - Findings: " + ", ".join(literal(f) for f in e.findings))
    for name, fact in e.facts.items():
        out.append(f"  - {literal(name)}: {literal(fact.describe())}")
    out += [f"  - {literal(line)}" for line in e.details]
    return out


def timeline_entry(event: Event) -> list[str]:
    at = f"- `{clock(event)}`"
    if isinstance(event, Pasted):
        return [f"{at} Pasted the error ({line_count(event.text)})"]
    if isinstance(event, Matched):
        ranked = ", ".join(f"`{m.tree}` {m.score}%" for m in event.recognition.matches)
        return [f"{at} Matched: {ranked or 'nothing'}"]
    if isinstance(event, Probed):
        e = event.evidence
        head = f"{at} Probe `{e.probe}` at `{event.node}`: **{e.status}** in {e.elapsed_ms} ms"
        return [f"{head}: {literal(e.summary)}", *probe_details(event)]
    if isinstance(event, Branched):
        return [f"{at} `{event.node}` → `{event.to}` on {literal(event.on)}"]
    if isinstance(event, Asked):
        return [f"{at} Asked `{event.question.id}`: “{event.question.text}”"]
    if isinstance(event, Answered):
        who = answer_origin(event.how)
        return [f"{at} Answer to `{event.question}`: {literal(event.answer)} ({who})"]
    if isinstance(event, WentBack):
        return [f"{at} Went back to `{event.to_node}` (/back)"]
    if isinstance(event, Concluded):
        d = event.diagnosis
        return [f"{at} Concluded `{d.cause}` ({d.confidence}) at `{event.node}`"]
    if isinstance(event, Stalled):
        return [f"{at} Stopped at `{event.node}`: {literal(event.reason)}"]
    if isinstance(event, Restarted):
        return [f"{at} Restarted (/restart)"]
    return [f"{at} {literal(type(event).__name__)}"]


def case_lines(case: Case, h: str) -> list[str]:
    out: list[str] = []
    if case.pasted is not None:
        out += [f"{h} The error", "", *fenced(case.pasted.text), ""]
        if case.pasted.truncated:
            out += [f"_Very long: {TRUNCATED_NOTE}._", ""]
    if recognition := recognition_line(case):
        out += [recognition]
    if case.path:
        out += [f"{h} Path through the tree", ""]
        out += [hop_line(n, hop) for n, hop in enumerate(case.path, 1)] + [""]
    out += outcome_lines(case, h)
    out += [f"{h} Timeline", ""]
    for event in case.events:
        out += timeline_entry(event)
    return [*out, ""]


def markdown_export(transcript: Transcript) -> str:
    found = cases(transcript.events)
    out = ["# awsmedic transcript", "", *header(transcript)]
    for case in found:
        if len(found) > 1:
            out += [f"## Case {case.number}", ""]
        out += case_lines(case, "###" if len(found) > 1 else "##")
    return "\n".join(out).rstrip() + "\n"
