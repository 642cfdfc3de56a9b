"""Exporters: one redacted Transcript in, one document out (Markdown and JSON)."""

from __future__ import annotations

import dataclasses
import enum
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from awsmedic.model import (
    Answered,
    Asked,
    Branched,
    Concluded,
    Matched,
    Pasted,
    Probed,
    Restarted,
    Secret,
    Stalled,
    WentBack,
)
from awsmedic.transcript import Transcript

TRANSCRIPT_SCHEMA_VERSION = 1


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def to_data(value: Any) -> Any:
    """Events and their parts as JSON-ready data, with a `type` on every event."""
    if isinstance(value, Secret):
        return value.masked()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, re.Pattern):
        return value.pattern
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {
            f.name: to_data(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "secrets"
        }
        return {"type": _kebab(type(value).__name__), **data} if "at" in data else data
    if isinstance(value, Mapping):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(to_data(v) for v in value)
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    return value


def json_export(transcript: Transcript) -> str:
    document = {
        "schema_version": TRANSCRIPT_SCHEMA_VERSION,
        "meta": to_data(transcript.meta),
        "events": [to_data(event) for event in transcript.events],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _fenced(text: str) -> str:
    """A code fence longer than any backtick run inside, so a paste cannot break out of it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def _literal(text: str) -> str:
    """Machine- or user-provided text inside Markdown: a code span that nothing can escape."""
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _event_lines(event: Any) -> list[str]:
    if isinstance(event, Matched):
        best = event.recognition.best
        if best is None:
            return ["- Not recognised as a known AWS error."]
        tool = f" from {event.recognition.tool_title}" if event.recognition.tool_title else ""
        return [f"- Recognised **{best.title}** (`{best.tree}`){tool}."]
    if isinstance(event, Probed):
        e = event.evidence
        return [f"- Probe `{e.probe}` — **{e.status.value}**: {_literal(e.summary)}"]
    if isinstance(event, Branched):
        return [f"  - `{event.node}` → `{event.to}` (on `{event.on}`)"]
    if isinstance(event, Asked):
        return [f"- Asked `{event.question.id}`: {_literal(event.question.text)}"]
    if isinstance(event, Answered):
        return [f"- Answer to `{event.question}`: {_literal(event.answer)} ({event.how})"]
    if isinstance(event, Stalled):
        return [f"- Stopped at `{event.node}`: {_literal(event.reason)}"]
    if isinstance(event, WentBack):
        return [f"- Went back to `{event.to_node}`."]
    if isinstance(event, Restarted):
        return ["- Restarted."]
    return []


def markdown_export(transcript: Transcript) -> str:
    meta = transcript.meta
    out = ["# awsmedic transcript", ""]
    started = meta.started.isoformat() if meta.started else "unknown time"
    out.append(
        f"awsmedic {meta.tool_version} · botocore {meta.botocore or 'unknown'} · "
        f"Python {meta.python} · {meta.platform} · {started}"
    )
    out.append("")
    for event in transcript.events:
        if isinstance(event, Pasted):
            out += ["## The error", "", _fenced(event.text), ""]
            if event.truncated:
                out += ["_(very long: only its beginning and end were read)_", ""]
            out += ["## Path", ""]
        elif isinstance(event, Concluded):
            d = event.diagnosis
            out += [
                "",
                f"## Cause: {d.title}",
                "",
                f"`{d.cause}` · confidence **{d.confidence.value}**",
                "",
                d.why,
                "",
            ]
            if d.evidence:
                out += ["### Evidence", ""] + [f"- {_literal(line)}" for line in d.evidence] + [""]
            out += ["### Steps", ""]
            for number, step in enumerate(d.steps, 1):
                first, *rest = step.split("\n")
                out.append(f"{number}. {first}")
                out.extend(f"   {line}" if line else "" for line in rest)
            if d.refs:
                out += ["", "### References", ""] + [f"- <{ref}>" for ref in d.refs]
            out.append("")
        elif isinstance(event, Stalled) and event.candidates:
            out += _event_lines(event)
            out += ["", "## Possible causes", ""]
            out += [f"- `{c.cause}` {c.title} ({c.score}%)" for c in event.candidates]
            out.append("")
        else:
            out += _event_lines(event)
    return "\n".join(out).rstrip() + "\n"
