"""The machine-readable transcript: one JSON document, described by the JSON Schema shipped as
`awsmedic/schema/transcript-v2.schema.json`. `dump` writes it; `jsonread.load` reads it back
(version 1 too: its steps were plain Markdown strings).

Every event has a `type` and an `at` time stamp; the ids of trees, nodes, probes, questions and
causes are the knowledge base's own stable ids. An event this version does not know (one a newer
awsmedic added) is written with its fields as they are, and readers skip it.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from awsmedic.core.transcript import Transcript
from awsmedic.model import (
    Answered,
    Asked,
    Branched,
    Candidate,
    Concluded,
    Diagnosis,
    Edit,
    Event,
    Evidence,
    Fact,
    Matched,
    Pasted,
    Probed,
    Question,
    Recognition,
    Restarted,
    Secret,
    Stalled,
    Step,
    WentBack,
)

FORMAT = "awsmedic-transcript"
SCHEMA_VERSION = 2
SCHEMA_FILE = "transcript-v2.schema.json"
SCHEMA_PATH = f"awsmedic/schema/{SCHEMA_FILE}"


def facts(items: Mapping[str, Fact]) -> dict[str, Any]:
    return {
        name: {"value": f.value, "source": f.source, "location": f.location}
        for name, f in items.items()
    }


def question(q: Question) -> dict[str, Any]:
    return {"id": q.id, "text": q.text, "choices": list(q.choices)}


def candidates(items: tuple[Candidate, ...]) -> list[dict[str, Any]]:
    return [{"cause": c.cause, "title": c.title, "score": c.score} for c in items]


def recognition(r: Recognition) -> dict[str, Any]:
    return {
        "tree": r.best.tree if r.best else None,
        "matches": [
            {"tree": m.tree, "title": m.title, "score": m.score, "how": m.how} for m in r.matches
        ],
        "codes": list(r.codes),
        "signals": sorted(r.signals),
        "tool": None if r.tool is None else {"id": r.tool, "title": r.tool_title},
        "facts": facts(r.facts),
        "truncated": r.truncated,
        "closest": [
            {"tree": m.tree, "title": m.title, "score": m.score, "how": m.how} for m in r.closest
        ],
        "lookalike": r.lookalike,
        "rivals": [{"tree": tree, "weight": weight} for tree, weight in r.rivals],
        "command": facts(r.command),
    }


def evidence(e: Evidence) -> dict[str, Any]:
    return {
        "probe": e.probe,
        "status": e.status.value,
        "summary": e.summary,
        "findings": list(e.findings),
        "facts": facts(e.facts),
        "details": list(e.details),
        "elapsed_ms": e.elapsed_ms,
        "unchecked": e.unchecked.value if e.unchecked is not None else None,
        "edits": [found_edit(edit) for edit in e.edits],
    }


def found_edit(edit: Edit) -> dict[str, Any]:
    return {
        "file": edit.file,
        "line": edit.line,
        "before": edit.before,
        "after": edit.after,
        "finding": edit.finding,
        "reason": edit.reason,
        "why": edit.why,
        "choices": [{"after": c.after, "why": c.why} for c in edit.choices],
    }


def step(s: Step) -> dict[str, Any]:
    """One step as CONTRACT.md (schema 2) shows it."""
    edit = s.edit
    return {
        "text": s.text,
        "commands": list(s.commands),
        "edit": None
        if edit is None
        else {"file": edit.file, "line": edit.line, "before": edit.before, "after": edit.after},
    }


def diagnosis(d: Diagnosis) -> dict[str, Any]:
    return {
        "cause": d.cause,
        "title": d.title,
        "confidence": d.confidence.value,
        "evidence": list(d.evidence),
        "why": d.why,
        "steps": [step(s) for s in d.steps],
        "refs": list(d.refs),
    }


#: Event class -> (type, its fields). A new event in model.py needs a line here and a
#: definition in the schema; tests/unit/test_transcript_json.py checks both.
EVENT_WRITERS: dict[type[Event], tuple[str, Callable[[Any], dict[str, Any]]]] = {
    Pasted: ("pasted", lambda e: {"text": e.text, "truncated": e.truncated}),
    Matched: ("matched", lambda e: {"recognition": recognition(e.recognition)}),
    Probed: ("probed", lambda e: {"node": e.node, "evidence": evidence(e.evidence)}),
    Branched: (
        "branched",
        lambda e: {"node": e.node, "on": e.on, "to": e.to, "probe": e.probe},
    ),
    Asked: ("asked", lambda e: {"node": e.node, "question": question(e.question)}),
    Answered: (
        "answered",
        lambda e: {"node": e.node, "question": e.question, "answer": e.answer, "how": e.how},
    ),
    Concluded: (
        "concluded",
        lambda e: {
            "node": e.node,
            "diagnosis": diagnosis(e.diagnosis),
            "candidates": candidates(e.candidates),
            "offline": list(e.offline),
        },
    ),
    Stalled: (
        "stalled",
        lambda e: {
            "node": e.node,
            "reason": e.reason,
            "candidates": candidates(e.candidates),
            "offline": list(e.offline),
            "guess": diagnosis(e.guess) if e.guess is not None else None,
        },
    ),
    WentBack: ("went-back", lambda e: {"to_node": e.to_node}),
    Restarted: ("restarted", lambda e: {}),
}


def generic(value: Any) -> Any:
    """Plain data for an event nobody taught this module (forward compatibility)."""
    if isinstance(value, Secret):
        return value.masked()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: generic(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "secrets"
        }
    if isinstance(value, Mapping):
        return {str(k): generic(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(generic(v) for v in value)
    if isinstance(value, tuple | list):
        return [generic(v) for v in value]
    return value


def event(e: Event) -> dict[str, Any]:
    writer = EVENT_WRITERS.get(type(e))
    if writer is None:
        kind = re.sub(r"(?<!^)(?=[A-Z])", "-", type(e).__name__).lower()
        fields = generic(e)
        fields.pop("at", None)
        return {"type": kind, "at": e.at.isoformat(), **fields}
    kind, write = writer
    return {"type": kind, "at": e.at.isoformat(), **write(e)}


def document(transcript: Transcript) -> dict[str, Any]:
    meta = transcript.meta
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "schema": SCHEMA_PATH,
        "tool": {
            "name": "awsmedic",
            "version": meta.tool_version,
            "python": meta.python,
            "platform": meta.platform,
            "botocore": meta.botocore,
        },
        "started": meta.started.isoformat() if meta.started else None,
        "redaction": list(transcript.redaction),
        "events": [event(e) for e in transcript.events],
    }


def json_export(transcript: Transcript) -> str:
    return json.dumps(document(transcript), indent=2, ensure_ascii=False) + "\n"
