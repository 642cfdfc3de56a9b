"""Drive the REPL through a pipe, as a terminal would: bracketed paste, answers, export, quit."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from awsmedic.redact import SecretBook
from awsmedic.render import make_console
from awsmedic.repl.app import Repl, build_session
from tests.awsfixtures import MotoAws
from tests.conftest import make_context

STALE = "FwoGZXIvYXdzE" + "Zz9Yy8Xx7Ww6" * 30
KEY = "AKIARZPUZDIKGB2VALC4"
SECRET = "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"
PASTE = (
    "\x1b[200~\r\nAn error occurred (InvalidClientTokenId) when calling the GetCallerIdentity "
    "operation:\r\nThe security token included in the request is invalid.\r\n\x1b[201~"
)


@pytest.fixture
def pipe() -> Iterator[object]:
    with (
        create_pipe_input() as pipe_input,
        create_app_session(input=pipe_input, output=DummyOutput()),
    ):
        yield pipe_input


def make_repl(pipe_input: object) -> tuple[Repl, io.StringIO]:
    ctx = make_context(offline=True)
    screen = io.StringIO()
    session = build_session(ctx, input=pipe_input, output=DummyOutput())
    return Repl(ctx, SecretBook(), session, make_console(screen, no_color=True, width=100)), screen


def test_paste_diagnose_export_quit(
    pipe: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", STALE)
    repl, screen = make_repl(pipe)
    target = tmp_path / "case.md"
    pipe.send_text(PASTE + "\r" + f"/export {target}\r" + "/quit\r")  # type: ignore[attr-defined]
    assert repl.loop() == 0
    shown = screen.getvalue()
    assert "Recognised:" in shown
    assert "stale-session-token" in shown
    assert "unset AWS_SESSION_TOKEN" in shown
    assert "Exported the transcript" in shown
    exported = target.read_text()
    assert "stale-session-token" in exported
    for secret in (STALE, SECRET, KEY):
        assert secret not in shown and secret not in exported


def test_offline_walk_stops_with_candidates(pipe: object, home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    repl, screen = make_repl(pipe)
    # Offline, the walk asks what the network probes would have settled; Enter skips it.
    pipe.send_text(PASTE + "\r" + "\r" + "/quit\r")  # type: ignore[attr-defined]
    assert repl.loop() == 0
    assert "Most likely" in screen.getvalue()


@pytest.mark.moto
def test_a_question_is_answered_by_number(pipe: object, home: Path, aws: MotoAws) -> None:
    keys = aws.create_user("erin")
    aws.delete_key("erin", keys)
    aws.enforce()
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {keys.access_key_id}\naws_secret_access_key = {keys.secret_access_key}\n"
    )
    ctx = make_context()
    screen = io.StringIO()
    session = build_session(ctx, input=pipe, output=DummyOutput())
    repl = Repl(ctx, SecretBook(), session, make_console(screen, no_color=True, width=100))
    pipe.send_text(PASTE + "\r" + "1\r" + "/quit\r")  # type: ignore[attr-defined]
    assert repl.loop() == 0
    shown = screen.getvalue()
    assert "What happened to it recently?" in shown
    assert "[key-deleted, likely]" in shown
    assert keys.secret_access_key not in shown


def test_not_an_aws_error_gets_a_kind_answer(pipe: object) -> None:
    repl, screen = make_repl(pipe)
    pipe.send_text("hello there\r/help\r")  # type: ignore[attr-defined]
    pipe.close()  # type: ignore[attr-defined]
    assert repl.loop() == 0
    assert "does not look like an AWS" in screen.getvalue()
    assert "/export" in screen.getvalue()
