"""Reading a saved JSON transcript back, for `awsmedic show`.

A transcript file is untrusted input: it may be truncated, hand-edited, written by a newer
awsmedic, or not a transcript at all. Every value is checked as the shipped schema says before
it becomes a model object, and any problem is one TranscriptError naming where it is
(`events[3].evidence.status: expected one of ...`), never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from awsmedic.core.transcript import Meta, Transcript
from awsmedic.errors import TranscriptError
from awsmedic.model import (
    Answered,
    Asked,
    Branched,
    Candidate,
    Choice,
    Concluded,
    Confidence,
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
    Stalled,
    Status,
    Step,
    StepEdit,
    TreeMatch,
    Unchecked,
    WentBack,
)
from awsmedic.output.export.jsondoc import FORMAT, SCHEMA_VERSION

#: Far more than any session writes; a bigger file is not a transcript.
MAX_BYTES = 32 * 1024 * 1024
OTHER_EXPORTS = {
    ".md": "a Markdown export",
    ".markdown": "a Markdown export",
    ".html": "an HTML export",
    ".htm": "an HTML export",
}


class Invalid(Exception):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


class Obj:
    """A JSON object with typed, located accessors."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise Invalid(where, "expected an object")
        self.data: dict[str, Any] = data
        self.where = where

    def _at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def get(self, key: str, kinds: type | tuple[type, ...], expected: str) -> Any:
        if key not in self.data:
            raise Invalid(self._at(key), "missing")
        value = self.data[key]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in _tuple(kinds)):
            raise Invalid(self._at(key), f"expected {expected}")
        return value

    def string(self, key: str) -> str:
        value: str = self.get(key, str, "a string")
        return value

    def ident(self, key: str) -> str:
        value = self.string(key)
        if not value:
            raise Invalid(self._at(key), "expected a non-empty id")
        return value

    def opt_string(self, key: str) -> str | None:
        value: str | None = self.get(key, (str, type(None)), "a string or null")
        return value

    def flag(self, key: str) -> bool:
        value: bool = self.get(key, bool, "true or false")
        return value

    def integer(self, key: str, low: int, high: int | None = None) -> int:
        value: int = self.get(key, int, "an integer")
        if value < low or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise Invalid(self._at(key), f"expected an integer {span}")
        return value

    def opt_obj(self, key: str) -> Obj | None:
        return (
            None
            if self.get(key, (dict, type(None)), "an object or null") is None
            else self.obj(key)
        )

    def strings(self, key: str) -> tuple[str, ...]:
        items: list[Any] = self.get(key, list, "a list of strings")
        for index, item in enumerate(items):
            if not isinstance(item, str):
                raise Invalid(f"{self._at(key)}[{index}]", "expected a string")
        return tuple(items)

    def obj(self, key: str) -> Obj:
        return Obj(self.get(key, dict, "an object"), self._at(key))

    def objs(self, key: str) -> list[Obj]:
        items: list[Any] = self.get(key, list, "a list")
        return [Obj(item, f"{self._at(key)}[{n}]") for n, item in enumerate(items)]

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self.string(key)
        if value not in choices:
            raise Invalid(self._at(key), f"expected one of {', '.join(choices)}")
        return value

    def opt_time(self, key: str) -> datetime | None:
        return None if self.opt_string(key) is None else self.time(key)

    def time(self, key: str) -> datetime:
        value = self.string(key)
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise Invalid(self._at(key), "expected an ISO 8601 time") from None


def _tuple(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def facts(obj: Obj, key: str) -> dict[str, Fact]:
    table = obj.obj(key)
    return {
        name: Fact(item.string("value"), item.string("source"), item.string("location"))
        for name, item in ((name, table.obj(name)) for name in table.data)
    }


def candidates(obj: Obj) -> tuple[Candidate, ...]:
    return tuple(
        Candidate(c.ident("cause"), c.string("title"), c.integer("score", 0, 100))
        for c in obj.objs("candidates")
    )


def _matches(r: Obj, key: str) -> tuple[TreeMatch, ...]:
    return tuple(
        TreeMatch(
            m.ident("tree"), m.string("title"), m.integer("score", 0, 100), m.choice("how", _HOW)
        )
        for m in r.objs(key)
    )


def recognition(r: Obj) -> Recognition:
    matches = _matches(r, "matches")
    tool = r.opt_obj("tool")
    # Added in the same schema version: transcripts written before have neither.
    closest = _matches(r, "closest") if "closest" in r.data else ()
    lookalike = r.opt_string("lookalike") if "lookalike" in r.data else None
    rivals = _rivals(r) if "rivals" in r.data else ()  # added later in version 2
    command = facts(r, "command") if "command" in r.data else {}  # likewise
    r.opt_string("tree")  # the first match's tree, for readers of the JSON; Recognition has it
    return Recognition(
        matches,
        r.strings("codes"),
        frozenset(r.strings("signals")),
        tool.ident("id") if tool else None,
        tool.opt_string("title") if tool else None,
        facts(r, "facts"),
        r.flag("truncated"),
        closest,
        lookalike,
        rivals,
        command,
    )


def _rivals(r: Obj) -> tuple[tuple[str, float], ...]:
    found: list[tuple[str, float]] = []
    for rival in r.objs("rivals"):
        weight = rival.get("weight", (int, float), "a number")
        if not 0 <= weight <= 1:
            raise Invalid(rival._at("weight"), "expected a number from 0 to 1")
        found.append((rival.ident("tree"), float(weight)))
    return tuple(found)


def evidence(e: Obj, version: int) -> Evidence:
    return Evidence(
        e.ident("probe"),
        Status(e.choice("status", tuple(s.value for s in Status))),
        e.string("summary"),
        e.strings("findings"),
        facts(e, "facts"),
        e.strings("details"),
        elapsed_ms=e.integer("elapsed_ms", 0),
        edits=tuple(found_edit(x) for x in e.objs("edits")) if version >= 2 else (),
        unchecked=_unchecked(e),
    )


def _unchecked(e: Obj) -> Unchecked | None:
    """Why a probe could not check; absent in transcripts written before it existed."""
    if e.data.get("unchecked") is None:
        return None
    return Unchecked(e.choice("unchecked", tuple(u.value for u in Unchecked)))


def _offline(o: Obj) -> tuple[str, ...]:
    return o.strings("offline") if "offline" in o.data else ()


def _stalled(o: Obj, at: datetime, version: int) -> Stalled:
    guess = o.opt_obj("guess") if "guess" in o.data else None  # absent before issue 13
    return Stalled(
        at,
        o.ident("node"),
        o.string("reason"),
        candidates(o),
        _offline(o),
        diagnosis(guess, version) if guess is not None else None,
    )


def found_edit(x: Obj) -> Edit:
    return Edit(
        x.string("file"),
        x.integer("line", 1),
        x.string("before"),
        x.string("after"),
        x.ident("finding"),
        x.string("reason"),
        why=x.string("why"),
        choices=tuple(Choice(c.string("after"), c.string("why")) for c in x.objs("choices")),
    )


def step(s: Obj) -> Step:
    edit = s.opt_obj("edit")
    return Step(
        s.string("text"),
        s.strings("commands"),
        None
        if edit is None
        else StepEdit(
            edit.string("file"),
            edit.integer("line", 1),
            edit.string("before"),
            edit.string("after"),
        ),
    )


def diagnosis(d: Obj, version: int) -> Diagnosis:
    if version >= 2:
        steps = tuple(step(s) for s in d.objs("steps"))
    else:  # version 1: each step was its Markdown text
        steps = tuple(Step(text) for text in d.strings("steps"))
    return Diagnosis(
        d.ident("cause"),
        d.string("title"),
        Confidence(d.choice("confidence", tuple(c.value for c in Confidence))),
        d.strings("evidence"),
        d.string("why"),
        steps,
        d.strings("refs"),
    )


def question(q: Obj) -> Question:
    return Question(q.ident("id"), q.string("text"), q.strings("choices"))


def how(o: Obj) -> str:
    value = o.string("how")
    if value not in ("user", "--answer") and not (value.startswith("settled:") and value[8:]):
        raise Invalid(o._at("how"), "expected user, --answer or settled:<finding>")
    return value


_HOW = ("code", "phrase", "topic", "near")
#: Event type -> reader of (the event object, its time, the file's schema version).
READERS: dict[str, Callable[[Obj, datetime, int], Event]] = {
    "pasted": lambda o, at, v: Pasted(at, o.string("text"), o.flag("truncated")),
    "matched": lambda o, at, v: Matched(at, recognition(o.obj("recognition"))),
    "probed": lambda o, at, v: Probed(at, o.ident("node"), evidence(o.obj("evidence"), v)),
    "branched": lambda o, at, v: Branched(
        at,
        o.ident("node"),
        o.string("on"),
        o.ident("to"),
        o.ident("probe") if o.data.get("probe") else "",  # absent before issue 13
    ),
    "asked": lambda o, at, v: Asked(at, o.ident("node"), question(o.obj("question"))),
    "answered": lambda o, at, v: Answered(
        at, o.ident("node"), o.ident("question"), o.string("answer"), how(o)
    ),
    "concluded": lambda o, at, v: Concluded(
        at, o.ident("node"), diagnosis(o.obj("diagnosis"), v), candidates(o), _offline(o)
    ),
    "stalled": lambda o, at, v: _stalled(o, at, v),
    "went-back": lambda o, at, v: WentBack(at, o.ident("to_node")),
    "restarted": lambda o, at, v: Restarted(at),
}


def parse(data: Any) -> tuple[Transcript, list[str]]:
    """A transcript from parsed JSON, and the types of the events skipped as unknown."""
    top = Obj(data, "")
    if top.data.get("format") != FORMAT:
        raise Invalid("format", f'missing or not "{FORMAT}": not an awsmedic transcript')
    version = top.integer("schema_version", 1)
    if version > SCHEMA_VERSION:
        raise Invalid(
            "schema_version",
            f"{version} is newer than this awsmedic reads ({SCHEMA_VERSION}): upgrade awsmedic",
        )
    tool = top.obj("tool")
    meta = Meta(
        tool.string("version"),
        tool.string("python"),
        tool.string("platform"),
        tool.string("botocore"),
        top.opt_time("started"),
    )
    transcript = Transcript(meta)
    for index, masked in enumerate(top.strings("redaction")):
        if masked not in ("secrets", "identity"):
            raise Invalid(f"redaction[{index}]", "expected secrets or identity")
    skipped: list[str] = []
    for item in top.objs("events"):
        kind = item.string("type")
        at = item.time("at")
        reader = READERS.get(kind)
        if reader is None:
            skipped.append(kind)
        else:
            transcript.append(reader(item, at, version))
    return transcript, skipped


def load(path: Path) -> tuple[Transcript, list[str]]:
    """Read and check a transcript file; every problem is a TranscriptError."""
    from awsmedic.aws import bounded

    try:  # a regular file only: a FIFO would wait for a writer, a device never end
        read = bounded.read_file(path, MAX_BYTES)
    except OSError as exc:
        raise TranscriptError(path=str(path), reason=exc.strerror or str(exc)) from None
    if read.cut:
        raise TranscriptError(path=str(path), reason="it is too large to be a transcript")
    raw = read.data
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise TranscriptError(path=str(path), reason="it is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        if path.suffix.lower() in OTHER_EXPORTS:
            reason = f"it is {OTHER_EXPORTS[path.suffix.lower()]}; show reads the .json export"
        else:
            reason = f"it is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        raise TranscriptError(path=str(path), reason=reason) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise TranscriptError(path=str(path), reason=f"it is not usable JSON ({exc})") from None
    except RecursionError:
        raise TranscriptError(path=str(path), reason="it is nested too deeply") from None
    try:
        return parse(data)
    except Invalid as exc:
        raise TranscriptError(path=str(path), reason=str(exc)) from None
