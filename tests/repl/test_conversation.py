"""Whole conversations through a pipe: paste, probes, questions, /why, /back, /export, Ctrl-C."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from awsmedic.model import Answered, Concluded, Pasted, Probed, Stalled, WentBack
from tests.awsfixtures import MotoAws
from tests.repl.conftest import CTRL_C, CTRL_D, ENTER, Blocker, Session, paste

STALE = "FwoGZXIvYXdzE" + "Zz9Yy8Xx7Ww6" * 30
KEY = "AKIARZPUZDIKGB2VALC4"
SECRET = "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"
INVALID_TOKEN = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation:\n"
    "The security token included in the request is invalid."
)
NO_CREDENTIALS = (
    'Unable to locate credentials. You can configure credentials by running "aws configure".'
)

Start = Callable[..., Session]


@pytest.fixture
def stale_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long-term keys with a leftover session token beside them, in the environment."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", STALE)


@pytest.fixture
def profile_keys(home: Path) -> None:
    """Credentials in ~/.aws/credentials: found from here, so the no-credentials tree asks."""
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in (STALE, SECRET, KEY):
            assert secret not in text


def concluded(session: Session) -> list[str]:
    return [e.diagnosis.cause for e in session.events if isinstance(e, Concluded)]


def test_a_multi_line_paste_is_diagnosed_explained_and_exported(
    start: Start, stale_token: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    session = start(offline=True)
    keys = paste(INVALID_TOKEN) + ENTER + "/why" + ENTER + "/export" + ENTER + "/quit" + ENTER
    assert session.run(keys) == 0

    pasted = [e for e in session.events if isinstance(e, Pasted)]
    assert [p.text for p in pasted] == [INVALID_TOKEN]  # one submission, CRLF undone
    assert concluded(session) == ["stale-session-token"]
    shown = session.shown
    assert "› An error occurred (InvalidClientTokenId)" in shown and "(+1 more lines)" in shown
    assert "Recognised:" in shown and "printed by AWS CLI" in shown
    assert "✗ Access key analysis:" in shown  # a probe's one-line result
    assert "Cause: A leftover session token" in shown
    assert "\n     unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN\n" in shown  # a copyable line
    assert "Path through the decision tree for “AWS did not recognise" in shown  # /why
    [exported] = tmp_path.glob("awsmedic-stale-session-token-*.md")
    assert f"Saved the transcript (markdown, secrets redacted) to {exported.name}\n" in shown
    assert "stale-session-token" in exported.read_text()
    assert_no_secret(shown, exported.read_text())


def test_a_paste_that_is_not_an_aws_error_gets_a_kind_answer(start: Start) -> None:
    session = start(offline=True)
    assert session.run("hello there" + ENTER + "/help" + ENTER + CTRL_D) == 0
    assert "does not look like an AWS" in session.shown
    assert "/export [PATH]" in session.shown  # the prompt came back for /help
    assert session.repl.case.transcript is None  # nothing to export


REMARK = "There are no keys in ~/.aws/credentials, I deleted them"


def test_a_typed_remark_after_a_diagnosis_keeps_the_case(start: Start, stale_token: None) -> None:
    """s28 of the fifth audit: a typed follow-up used to start a general check of its own,
    whose question contradicted the diagnosis just shown."""
    session = start(offline=True)
    keys = paste(INVALID_TOKEN) + ENTER + REMARK + ENTER + "thanks, it works" + ENTER + CTRL_D
    assert session.run(keys) == 0
    assert [p.text for p in session.events if isinstance(p, Pasted)] == [INVALID_TOKEN]
    assert concluded(session) == ["stale-session-token"]
    shown = session.shown
    assert shown.count("That reads as a remark, not an error text, so the diagnosis above") == 2
    assert "stands: A leftover session token" in shown
    assert "does not look like an AWS" not in shown
    assert session.repl.case.consultation is not None  # /why and /check still have the case


def test_after_a_diagnosis_an_error_typed_or_a_line_pasted_starts_a_new_case(
    start: Start, stale_token: None
) -> None:
    session = start(offline=True)
    first = paste(INVALID_TOKEN) + ENTER + NO_CREDENTIALS + ENTER + CTRL_C
    then = paste(REMARK) + ENTER + CTRL_C + "/restart" + ENTER + REMARK + ENTER + CTRL_D
    assert session.run(first + then) == 0
    pasted = [p.text for p in session.events if isinstance(p, Pasted)]
    # Typed, but it names an error: a new case. Pasted: a new case, whatever it says. After
    # /restart no case is open, so a typed remark is read as error text too.
    assert pasted == [INVALID_TOKEN, NO_CREDENTIALS, REMARK, REMARK]
    assert "reads as a remark" not in session.shown


def test_answer_by_number_then_back_then_another_answer(start: Start, profile_keys: None) -> None:
    session = start(offline=True)
    keys = paste(NO_CREDENTIALS) + ENTER + "2" + "/back" + ENTER + "1" + "/quit" + ENTER
    assert session.run(keys) == 0
    assert concluded(session) == ["credentials-file-location", "unknown"]
    answers = [e.answer for e in session.events if isinstance(e, Answered) and e.how == "user"]
    assert answers == ["no", "yes"]
    assert any(isinstance(e, WentBack) for e in session.events)
    shown = session.shown
    assert shown.count("? Credentials are found from here.") == 2  # asked again after /back
    assert "  1. yes\n  2. no\n  3. not sure\n" in shown
    assert "(went back one step)" in shown


def test_back_with_nothing_answered(start: Start, stale_token: None) -> None:
    session = start(offline=True)
    assert (
        session.run("/back" + ENTER + paste(INVALID_TOKEN) + ENTER + "/back" + ENTER + CTRL_D) == 0
    )
    assert session.shown.count("Nothing to undo") == 2


def test_skipping_a_question_shows_candidates_and_back_asks_again(
    start: Start, profile_keys: None
) -> None:
    session = start(offline=True)
    keys = paste(NO_CREDENTIALS) + ENTER + CTRL_C + "/back" + ENTER + "/skip" + ENTER + CTRL_D
    assert session.run(keys) == 0
    stalls = [e for e in session.events if isinstance(e, Stalled)]
    assert len(stalls) == 2 and stalls[0].candidates
    assert "(left the question open)" in session.shown
    assert "Most likely:" in session.shown


def test_why_and_probes_explain_the_walk(start: Start, profile_keys: None) -> None:
    session = start(offline=True)
    keys = paste(NO_CREDENTIALS) + ENTER + "/why" + ENTER + "/probes" + ENTER + CTRL_D
    assert session.run(keys) == 0
    shown = session.shown
    assert "Path through the decision tree for “No credentials found" in shown
    # (the first step reads the text: a Terraform run on HCP Terraform's workers would end there)
    assert "1. the error text: nothing that decides here" in shown
    assert "2. check Credential chain: profile 'default'" in shown
    assert "→ (waiting for your answer)" in shown
    assert "Still possible:" in shown
    assert "(creds.chain): ok" in shown  # /probes: every probe in detail
    assert "credentials_file: ~/.aws/credentials" in shown
    assert_no_secret(shown)


def test_export_asks_before_overwriting(start: Start, stale_token: None, tmp_path: Path) -> None:
    target = tmp_path / "case.md"
    target.write_text("keep me")
    session = start(offline=True)
    keys = paste(INVALID_TOKEN) + ENTER + f"/export {target}" + ENTER + "2" + "/quit" + ENTER
    assert session.run(keys) == 0
    assert target.read_text() == "keep me"
    assert f"{target} exists. Overwrite it?" in session.shown
    assert "Not exported." in session.shown

    other = tmp_path / "case.json"
    keys = f"/export {target}" + ENTER + "1" + f"/export {other}" + ENTER + "/export x.txt" + ENTER
    assert session.run(keys + "/quit" + ENTER) == 0
    assert "stale-session-token" in target.read_text()
    assert json.loads(other.read_text())["schema_version"] >= 1
    assert "Not exported:" in session.shown and ".md, .json" in session.shown
    assert_no_secret(target.read_text(), other.read_text(), session.shown)


def test_export_before_any_case(start: Start, tmp_path: Path) -> None:
    session = start(offline=True)
    assert session.run(f"/export {tmp_path / 'x.md'}" + ENTER + CTRL_D) == 0
    assert "Nothing to export yet" in session.shown
    assert not (tmp_path / "x.md").exists()


def test_restart_forgets_the_case(start: Start, profile_keys: None) -> None:
    session = start(offline=True)
    keys = paste(NO_CREDENTIALS) + ENTER + "/restart" + ENTER + "/why" + ENTER + CTRL_D
    assert session.run(keys) == 0
    assert "Starting over" in session.shown
    assert "Nothing to explain yet" in session.shown
    # The session's transcript keeps the first case and records the restart.
    transcript = session.repl.case.transcript
    assert transcript is not None
    assert [type(e).__name__ for e in transcript.events][-1] == "Restarted"
    assert any(type(e).__name__ == "Asked" for e in transcript.events)


def test_ctrl_c_during_a_probe_abandons_it(
    start: Start, stale_token: None, block_probe: Callable[[str], Blocker]
) -> None:
    blocker = block_probe("creds.chain")
    session = start(offline=True)

    def press_ctrl_c_while_it_waits() -> None:
        assert blocker.started.wait(10)
        session.pipe.send_text(CTRL_C + "/why" + ENTER + "/quit" + ENTER)

    threading.Thread(target=press_ctrl_c_while_it_waits, daemon=True).start()
    began = time.monotonic()
    assert session.run(paste(INVALID_TOKEN) + ENTER) == 0
    assert time.monotonic() - began < 10  # the prompt came back without the probe
    shown = session.shown
    assert "Cancelled: stopped waiting for Credential chain" in shown
    assert "1. check Credential chain: not finished" in shown  # /why after the cancel
    [probe_thread] = blocker.threads
    assert probe_thread.is_alive() and probe_thread.daemon  # abandoned, not joined
    blocker.release.set()
    probe_thread.join(5)
    time.sleep(0.2)
    assert not any(
        isinstance(e, Probed) and e.evidence.probe == "creds.chain" for e in session.events
    )
    assert "✓ Credential chain" not in session.shown


@pytest.mark.moto
def test_a_question_answered_by_number_against_aws(start: Start, home: Path, aws: MotoAws) -> None:
    keys = aws.create_user("erin")
    aws.delete_key("erin", keys)
    aws.enforce()
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )
    session = start()
    assert session.run(paste(INVALID_TOKEN) + ENTER + "2" + "1" + "/quit" + ENTER) == 0
    shown = session.shown
    assert "✗ Caller identity (sts:GetCallerIdentity): AWS refused the credentials" in shown
    assert "May I run the check" in shown  # another profile's keys: asked first (declined: 2)
    assert "? AWS does not know this access key. What happened to it recently?" in shown
    assert concluded(session) == ["key-deleted"]
    assert keys.secret_access_key not in shown and keys.access_key_id not in shown


def test_the_repl_asks_before_a_probe_that_needs_consent(
    start: Start, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from awsmedic.probes import Consent, ProbeSpec, registry
    from tests.unit.test_consult import PASTE, TREE, Probes

    probes = Probes()
    probes.gate.set()
    for probe_id, function, consent in (
        ("test.first", probes.first, Consent.NONE),
        ("test.second", probes.second, Consent.INTERACTIVE),
    ):
        spec = ProbeSpec(probe_id, f"Check {probe_id}", False, ("found",), (), function, consent)
        monkeypatch.setitem(registry(), probe_id, spec)  # type: ignore[arg-type]
    (tmp_path / "kb" / "trees").mkdir(parents=True)
    (tmp_path / "kb" / "trees" / "test-flow.toml").write_text(TREE)
    monkeypatch.setenv("AWSMEDIC_KNOWLEDGE_PATH", str(tmp_path / "kb"))
    session = start()
    assert session.run(paste(PASTE) + ENTER + "1" + "2" + "/back" + ENTER + "1" + CTRL_D) == 0
    shown = session.shown
    assert shown.count("? May I run the check 'Check test.second'?") == 2
    assert "– Check test.second: skipped: not run without your consent" in shown
    assert probes.runs.count("test.second") == 1  # only after the yes
    assert concluded(session) == ["unknown", "key-deleted"]


def test_a_bug_in_a_case_does_not_end_the_session(
    start: Start, stale_token: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from awsmedic.core.consult import Consultation

    def broken(self: Consultation) -> None:
        raise RuntimeError(f"boom with {SECRET}")

    monkeypatch.setattr(Consultation, "start", broken)
    session = start(offline=True)
    assert session.run(paste(INVALID_TOKEN) + ENTER + "/help" + ENTER + CTRL_D) == 0
    assert (
        "awsmedic: internal error: RuntimeError: boom with <secret-key:redacted>" in session.shown
    )
    assert "/export [PATH]" in session.shown  # still answering
    assert_no_secret(session.shown)


def test_an_undecodable_profile_is_exported_and_the_case_kept(
    start: Start, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AWS_PROFILE=$'dev\\xff' (audit F8): /export failed with an internal error, which
    dropped the case."""
    monkeypatch.setenv("AWS_PROFILE", "dev\udcff")
    target = tmp_path / "case.md"
    session = start(offline=True)
    keys = paste(INVALID_TOKEN) + ENTER + f"/export {target}" + ENTER + "/why" + ENTER
    assert session.run(keys + "/quit" + ENTER) == 0
    assert "internal error" not in session.shown
    assert "dev\ufffd" in target.read_text(encoding="utf-8")
    assert "Path through the decision tree" in session.shown  # /why after /export: case kept
