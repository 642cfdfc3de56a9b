"""output.github: workflow commands escaped as actions/toolkit escapes them, and the summary."""

from __future__ import annotations

from pathlib import Path

from awsmedic.core.consult import Outcome
from awsmedic.model import Candidate, Confidence, Diagnosis, Recognition, TreeMatch
from awsmedic.output.github import (
    append_summary,
    escape_data,
    escape_property,
    first_step,
    workflow_annotations,
    workflow_command,
)
from awsmedic.safety.redact import SecretBook


def test_escaping_is_actions_toolkit_s() -> None:
    """The cases of actions/toolkit packages/core/__tests__/command.test.ts."""
    assert (
        escape_data("percent % percent % cr \r cr \r lf \n lf \n")
        == "percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A"
    )
    assert escape_data("%25 %25 %0D %0D %0A %0A") == "%2525 %2525 %250D %250D %250A %250A"
    assert (
        escape_property("percent % cr \r lf \n colon : colon : comma , comma ,")
        == "percent %25 cr %0D lf %0A colon %3A colon %3A comma %2C comma %2C"
    )
    assert workflow_command("some-command", "") == "::some-command::"
    assert (
        workflow_command("error", "m", title="a: b, c", file="") == "::error title=a%3A b%2C c::m"
    )


def _outcome(diagnosis: Diagnosis | None, candidates: tuple[Candidate, ...] = ()) -> Outcome:
    match = TreeMatch(
        "invalid-client-token-id", "AWS did not recognise the credentials", 99, "code"
    )
    recognition = Recognition(
        (match,), ("InvalidClientTokenId",), frozenset(), "aws-cli", "AWS CLI"
    )
    return Outcome(recognition, diagnosis, candidates)


def _diagnosis(*steps: str, evidence: tuple[str, ...] = ()) -> Diagnosis:
    return Diagnosis(
        "stale-session-token",
        "A leftover session token is sent",
        Confidence.CONFIRMED,
        evidence,
        "why",
        steps,
    )


def test_an_annotation_is_one_line_that_nothing_printed_can_break() -> None:
    hostile = "key\r\n::set-output name=x::pwned %0A"
    diagnosis = _diagnosis("Run `unset AWS_SESSION_TOKEN`", evidence=(hostile,))
    [line] = workflow_annotations(_outcome(diagnosis), SecretBook(), failed="`aws s3 ls` exited")
    assert "\n" not in line and "\r" not in line
    assert line.startswith("::error title=AWS credentials%3A A leftover session token is sent::")
    # The runner reads a command only at the start of a line: the injected one stays text.
    assert "key%0A::set-output" in line
    assert "%250A" in line  # a literal %0A in the text stays literal
    assert "First step: Run `unset AWS_SESSION_TOKEN`" in line
    assert "stale-session-token (confirmed)" in line


def test_no_secret_in_an_annotation() -> None:
    book = SecretBook()
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
    diagnosis = _diagnosis("x", evidence=(f"aws_secret_access_key = {secret}",))
    [line] = workflow_annotations(_outcome(diagnosis), book)
    assert secret not in line


def test_without_a_single_cause_the_candidates_are_named() -> None:
    candidates = (Candidate("key-deleted", "The key was deleted", 40),)
    [line] = workflow_annotations(_outcome(None, candidates), SecretBook())
    assert line.startswith("::error title=AWS credentials%3A AWS did not recognise")
    assert "The key was deleted (key-deleted)" in line


def test_the_first_step_is_the_one_for_the_file_the_evidence_names() -> None:
    diagnosis = _diagnosis(
        "In `~/.aws/credentials`, name the section `[dev]`.",
        "In `~/.aws/config`, name it `[profile dev]`:\n\n```ini\n[profile dev]\n```",
        evidence=("~/.aws/config line 3 has [dev], which is not a profile",),
    )
    assert first_step(diagnosis) == "In `~/.aws/config`, name it `[profile dev]`"


def test_the_first_step_with_a_command_beats_a_decision() -> None:
    diagnosis = _diagnosis("Decide where it should go.", "Remove them: `unset AWS_ACCESS_KEY_ID`")
    assert first_step(diagnosis) == "Remove them: `unset AWS_ACCESS_KEY_ID`"


def test_the_summary_is_appended(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("before\n")
    assert append_summary({"GITHUB_STEP_SUMMARY": str(summary)}, "# awsmedic\n") is None
    assert summary.read_text() == "before\n# awsmedic\n\n"
    assert append_summary({}, "x") is None  # not in GitHub Actions: nothing to do
    problem = append_summary({"GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "such")}, "x")
    assert problem is not None and "GITHUB_STEP_SUMMARY" in problem
