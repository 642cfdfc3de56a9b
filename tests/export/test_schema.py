"""The JSON transcript and its shipped JSON Schema: every document we write validates, the schema
covers every event, and the reader `awsmedic show` uses agrees with the schema."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from awsmedic import model
from awsmedic.output.export.jsondoc import EVENT_WRITERS, SCHEMA_PATH, document, json_export
from awsmedic.output.export.jsonread import READERS, Invalid, parse
from awsmedic.safety.redact import IdentityMask, SecretBook
from tests.export.session import golden_session, run_awsmedic

SCHEMA: dict[str, Any] = json.loads(
    files("awsmedic").joinpath("schema/transcript-v2.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = Draft202012Validator(SCHEMA)
EVENT_CLASSES = [
    cls
    for cls in vars(model).values()
    if isinstance(cls, type) and issubclass(cls, model.Event) and cls is not model.Event
]


def golden_document() -> dict[str, Any]:
    return document(golden_session().redacted(SecretBook()))


def errors(doc: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA_PATH == "awsmedic/schema/transcript-v2.schema.json"
    assert SCHEMA["properties"]["schema"]["const"] == SCHEMA_PATH


def test_the_golden_document_validates() -> None:
    assert errors(golden_document()) == []


def test_an_identity_masked_document_validates() -> None:
    redacted = golden_session().redacted(SecretBook(), IdentityMask(home="/home/alice"))
    doc = document(redacted)
    assert doc["redaction"] == ["secrets", "identity"]
    assert errors(doc) == []


@pytest.mark.slow
def test_a_real_diagnose_export_validates(home: Path, tmp_path: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIARZPUZDIKGB2VALC4\n"
        "aws_secret_access_key = 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\n"
    )
    target = tmp_path / "t.json"
    error = (
        "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
        "The security token included in the request is invalid."
    )
    result = run_awsmedic("diagnose", "--offline", "--no-input", "--export", str(target), error)
    assert result.returncode == 0, result.stderr
    doc = json.loads(target.read_text())
    assert errors(doc) == []
    assert [e["type"] for e in doc["events"]][:3] == ["pasted", "matched", "probed"]


def test_the_schema_names_every_reason_a_check_could_not_be_made() -> None:
    reasons = SCHEMA["$defs"]["evidence"]["properties"]["unchecked"]["enum"]
    assert reasons == [*(why.value for why in model.Unchecked), None]


def test_every_event_class_has_a_writer_a_reader_and_a_schema() -> None:
    assert len(EVENT_CLASSES) >= 10
    for cls in EVENT_CLASSES:
        assert cls in EVENT_WRITERS, f"{cls.__name__}: no JSON writer in export/jsondoc.py"
        kind = EVENT_WRITERS[cls][0]
        assert kind in READERS, f"{kind}: no reader in export/jsonread.py"
        assert f"event-{kind}" in SCHEMA["$defs"], f"{kind}: not in the schema"
    assert set(READERS) == {kind for kind, _ in EVENT_WRITERS.values()}


def _fields(value: Any) -> set[str]:
    return {f.name for f in dataclasses.fields(value)} - {"at", "secrets"}


def test_writers_keep_every_field_of_every_event() -> None:
    """A field added to an event in model.py must reach the JSON (and so the schema)."""
    session = golden_session()
    seen = set()
    for event in session.events:
        data = EVENT_WRITERS[type(event)][1](event)
        assert set(data) == _fields(event), type(event).__name__
        seen.add(type(event))
        for name, value in data.items():
            nested = getattr(event, name)
            if dataclasses.is_dataclass(nested) and isinstance(value, dict):
                folded = {"tool_title"} if isinstance(nested, model.Recognition) else set()
                assert _fields(nested) - folded <= set(value), f"{type(nested).__name__}"
    assert seen == set(EVENT_CLASSES)


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _drop(path: list[Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


# Event indexes in the golden session: 0 pasted, 1 matched, 2 branched, 3 probed, 7 asked,
# 8 answered, 9 probed (the installed CLI, for the steps), 10 concluded, 11 went-back,
# 20 stalled.
BROKEN = {
    "no format": _drop(["format"]),
    "foreign format": _set(["format"], "package.json"),
    "version as text": _set(["schema_version"], "1"),
    "newer version": _set(["schema_version"], 3),
    "tool version a number": _set(["tool", "version"], 3),
    "started not a time": _set(["started"], "yesterday"),
    "redaction unknown": _set(["redaction"], ["everything"]),
    "events not a list": _set(["events"], {"0": {}}),
    "event without time": _drop(["events", 0, "at"]),
    "event time garbage": _set(["events", 0, "at"], "soon"),
    "event not an object": _set(["events", 4], "probed"),
    "paste not text": _set(["events", 0, "text"], ["a"]),
    "truncated not bool": _set(["events", 0, "truncated"], "no"),
    "match how unknown": _set(["events", 1, "recognition", "matches", 0, "how"], "guess"),
    "match score 101": _set(["events", 1, "recognition", "matches", 0, "score"], 101),
    "fact value null": _set(["events", 1, "recognition", "facts", "operation", "value"], None),
    "empty node id": _set(["events", 2, "node"], ""),
    "status unknown": _set(["events", 3, "evidence", "status"], "fine"),
    "finding not text": _set(["events", 3, "evidence", "findings"], [1]),
    "negative elapsed": _set(["events", 3, "evidence", "elapsed_ms"], -1),
    "elapsed a bool": _set(["events", 3, "evidence", "elapsed_ms"], True),
    "choices a string": _set(["events", 7, "question", "choices"], "yes"),
    "answer origin unknown": _set(["events", 8, "how"], "magic"),
    "confidence unknown": _set(["events", 10, "diagnosis", "confidence"], "sure"),
    "steps missing": _drop(["events", 10, "diagnosis", "steps"]),
    "step a string": _set(["events", 10, "diagnosis", "steps", 0], "Sign in again."),
    "step without commands": _drop(["events", 10, "diagnosis", "steps", 0, "commands"]),
    "step edit without line": _set(
        ["events", 10, "diagnosis", "steps", 0, "edit"], {"file": "f", "before": "", "after": ""}
    ),
    "evidence without edits": _drop(["events", 3, "evidence", "edits"]),
    "candidate score -1": _set(["events", 10, "candidates", 0, "score"], -1),
    "went back nowhere": _drop(["events", 11, "to_node"]),
    "stalled without reason": _drop(["events", 20, "reason"]),
}


@pytest.mark.parametrize("name", BROKEN)
def test_schema_and_reader_both_refuse_a_broken_document(name: str) -> None:
    doc = golden_document()
    assert [e["type"] for e in doc["events"]][:4] == ["pasted", "matched", "branched", "probed"]
    assert doc["events"][20]["type"] == "stalled" and doc["events"][11]["type"] == "went-back"
    BROKEN[name](doc)
    assert errors(doc), f"the schema accepts: {name}"
    with pytest.raises(Invalid):
        parse(doc)


def test_events_of_a_later_version_validate_and_are_skipped() -> None:
    @dataclasses.dataclass(frozen=True)
    class Noted(model.Event):
        text: str

    transcript = golden_session().redacted(SecretBook())
    transcript.append(Noted(datetime(2026, 1, 2, 4, 0, tzinfo=UTC), "a note"))
    doc = json.loads(json_export(transcript))
    assert doc["events"][-1] == {
        "type": "noted",
        "at": "2026-01-02T04:00:00+00:00",
        "text": "a note",
    }
    assert errors(doc) == []
    again, skipped = parse(doc)
    assert skipped == ["noted"]
    assert len(again.events) == len(transcript.events) - 1


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaf_paths(v, (*path, k))] + [path]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaf_paths(v, (*path, i))] + [path]
    return [path]


GOLDEN = golden_document()
PATHS = [p for p in _leaf_paths(GOLDEN) if p]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATHS), JSON)
def test_any_schema_valid_document_reads_and_nothing_else_escapes(
    path: tuple[Any, ...], value: Any
) -> None:
    doc = copy.deepcopy(GOLDEN)
    _set(list(path), value)(doc)
    try:
        parse(doc)
    except Invalid:
        assert errors(doc), f"schema-valid but refused: {path} = {value!r}"


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_arbitrary_json_is_refused_cleanly(value: Any) -> None:
    with pytest.raises(Invalid):
        parse(value)
