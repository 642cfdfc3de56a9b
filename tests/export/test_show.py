"""`awsmedic show TRANSCRIPT.json`: a saved transcript in the terminal. The file is untrusted
input: whatever it holds, the answer is the transcript or one clear line and exit status 2."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsmedic.errors import TranscriptError
from awsmedic.output.export.jsondoc import document
from awsmedic.output.export.jsonread import load
from awsmedic.output.export.terminal import show_transcript
from awsmedic.output.render import Printer, make_console
from awsmedic.safety.redact import IdentityMask, SecretBook
from tests.export.session import golden_session, run_awsmedic


def saved(tmp_path: Path, doc: Any, name: str = "t.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return path


def golden_doc() -> dict[str, Any]:
    return document(golden_session().redacted(SecretBook()))


def shown(path: Path, book: SecretBook | None = None) -> str:
    book = book if book is not None else SecretBook()  # an empty book is falsy (len 0)
    transcript, skipped = load(path)
    screen = io.StringIO()
    show_transcript(
        Printer(make_console(screen, no_color=True, width=100), book),
        transcript.redacted(book),
        skipped,
    )
    return screen.getvalue()


@pytest.mark.slow
def test_show_prints_every_case_path_and_outcome(tmp_path: Path) -> None:
    result = run_awsmedic("show", str(saved(tmp_path, golden_doc())))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in (
        "awsmedic transcript, started 2026-01-02T03:04:05+00:00",
        "$ aws sts get-caller-identity --profile dev",
        "Recognised: AWS did not recognise the credentials",
        "Caller identity (sts:GetCallerIdentity): AWS refused the credentials",
        "↩ went back to token-origin",
        "Path: source → chain → identity → token-origin → stale",
        "Cause: A leftover session token is sent with keys it does not belong to",
        "unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN",
        "Case 2",
        "No single cause could be confirmed (a question was left unanswered)",
    ):
        assert expected in out, expected
    assert out.index("Case 2") > out.index("Cause: A leftover")


def test_show_scrubs_again_and_neutralises_terminal_escapes(tmp_path: Path) -> None:
    """A hand-edited or old file may hold a secret or escape sequences: neither gets through."""
    doc = golden_doc()
    secret = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eDEy"
    doc["events"][0]["text"] = (
        f"key {secret}\x1b]0;owned\x07\x1b[2J\x9b31m and AKIARZPUZDIKGB2VALC4"
    )
    out = shown(saved(tmp_path, doc))
    assert secret not in out and "AKIARZPUZDIKGB2VALC4" not in out
    assert "<secret-key:redacted>" in out and "****************ALC4" in out
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out


def test_show_can_mask_identity(tmp_path: Path) -> None:
    doc = golden_doc()
    doc["events"][0]["text"] = "User: arn:aws:iam::123456789012:user/alice is not authorized"
    book = SecretBook()
    book.identity = IdentityMask()
    out = shown(saved(tmp_path, doc), book)
    assert "123456789012" not in out and "user/<name>" in out


def test_events_of_a_newer_awsmedic_are_skipped_with_a_note(tmp_path: Path) -> None:
    doc = golden_doc()
    doc["events"].insert(3, {"type": "noted", "at": "2026-01-02T03:04:08+00:00", "x": 1})
    out = shown(saved(tmp_path, doc))
    assert "(1 event(s) from a newer awsmedic were not shown: noted)" in out


BAD_FILES: dict[str, tuple[Any, str]] = {
    "empty": ("", "not JSON (line 1, column 1"),
    "not json": ("# awsmedic transcript\n", "not JSON"),
    "a list": ([1, 2], "expected an object"),
    "foreign json": ({"name": "my-app", "version": "1.0.0"}, "not an awsmedic transcript"),
    "newer": ({**golden_doc(), "schema_version": 7}, "7 is newer than this awsmedic reads"),
    "broken event": (
        {**golden_doc(), "events": [{"type": "probed", "at": "2026-01-02T03:04:05+00:00"}]},
        "events[0].node: missing",
    ),
    "deep": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "huge number": ('{"format": "awsmedic-transcript", "schema_version": ' + "9" * 5000 + "}", "not usable JSON"),
}  # fmt: skip


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_is_one_clear_error(tmp_path: Path, name: str) -> None:
    content, reason = BAD_FILES[name]
    with pytest.raises(TranscriptError, match=reason.replace("(", r"\(").replace("[", r"\[")):
        load(saved(tmp_path, content))


def test_unreadable_paths_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00{")
    for name, reason in (
        ("missing.json", "No such file"),
        ("", "directory"),
        ("binary.json", "UTF-8"),
    ):
        with pytest.raises(TranscriptError, match=reason):
            load(tmp_path / name)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["foreign json", "broken event", "deep"])
def test_show_exits_2_with_the_reason_and_no_traceback(tmp_path: Path, name: str) -> None:
    content, reason = BAD_FILES[name]
    result = run_awsmedic("show", str(saved(tmp_path, content)))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("awsmedic: Cannot read the transcript ")
    assert reason in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.slow
def test_show_of_a_missing_file_exits_2() -> None:
    result = run_awsmedic("show", "/nonexistent/t.json")
    assert result.returncode == 2 and "No such file or directory" in result.stderr


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_give_a_transcript_or_a_transcript_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.json"
    path.write_bytes(data)
    with contextlib.suppress(TranscriptError):
        load(path)


def as_version_1(doc: dict[str, Any]) -> dict[str, Any]:
    """A schema-2 document as awsmedic wrote it before schema 2: steps were Markdown strings
    and evidence listed no edits."""
    old = json.loads(json.dumps(doc))
    old["schema_version"] = 1
    old["schema"] = "awsmedic/schema/transcript-v1.schema.json"
    for event in old["events"]:
        event.get("evidence", {}).pop("edits", None)
        if event["type"] == "concluded":
            event["diagnosis"]["steps"] = [s["text"] for s in event["diagnosis"]["steps"]]
        if event.get("guess"):  # the best candidate's steps (issue 13), in version 1's shape
            event["guess"]["steps"] = [s["text"] for s in event["guess"]["steps"]]
    return old


def test_show_still_reads_a_version_1_transcript(tmp_path: Path) -> None:
    new = golden_doc()
    old = as_version_1(new)
    assert any(
        isinstance(s, str) for e in old["events"] for s in e.get("diagnosis", {}).get("steps", [])
    )
    screen = shown(saved(tmp_path, old))
    assert screen == shown(saved(tmp_path, new, "new.json"))  # the same story either way
    assert "unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN" in screen


def test_a_version_2_step_must_be_an_object(tmp_path: Path) -> None:
    doc = golden_doc()
    concluded = next(e for e in doc["events"] if e["type"] == "concluded")
    concluded["diagnosis"]["steps"][0] = "a bare string"
    with pytest.raises(TranscriptError, match=r"steps\[0\]: expected an object"):
        load(saved(tmp_path, doc))
