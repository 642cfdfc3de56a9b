"""`awsmedic check` with no credentials for the profile in use while other profiles have some:
it names wrong-profile-selected as the no-credentials tree does (confirmed when nothing selects
a profile, likely when one without credentials is selected), the names shell-quoted."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from awsmedic.core.check import Checker
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Knowledge
from awsmedic.model import Confidence
from awsmedic.safety.redact import SecretBook
from tests.conftest import make_context

HOSTILE = "it's; rm -rf x"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked(knowledge_dirs({}))


def _keys(name: str, last: str) -> str:
    return (
        f"[{name}]\naws_access_key_id = AKIAIOSFODNN7EXAMP{last}\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
    )


def _here(knowledge: Knowledge) -> tuple[str, Confidence, str, tuple[str, ...]]:
    """The cause `check --offline` names for the credentials in use, its confidence, the text
    of its steps and their commands."""
    report = Checker(make_context(offline=True), knowledge, SecretBook()).check(every=False)
    verdict = report.subjects[0]
    assert verdict.subject.here and verdict.state == "broken" and verdict.diagnosis is not None
    diagnosis = verdict.diagnosis
    text = "\n".join(step.text for step in diagnosis.steps)
    commands = tuple(c for step in diagnosis.steps for c in step.commands)
    return diagnosis.cause, diagnosis.confidence, text, commands


def test_nothing_selected_and_keys_in_named_profiles(home: Path, knowledge: Knowledge) -> None:
    (home / ".aws" / "credentials").write_text(_keys("dev", "LE") + _keys(HOSTILE, "LF"))
    cause, confidence, text, commands = _here(knowledge)
    assert (cause, confidence) == ("wrong-profile-selected", Confidence.CONFIRMED)
    assert f"dev, {shlex.quote(HOSTILE)}" in text  # each name one shell word
    assert not any("rm -rf" in command for command in commands)


def test_the_one_other_profile_is_the_one_to_select(home: Path, knowledge: Knowledge) -> None:
    (home / ".aws" / "credentials").write_text(_keys("dev", "LE"))
    cause, _, _, commands = _here(knowledge)
    assert cause == "wrong-profile-selected"
    assert "aws sts get-caller-identity --profile dev" in commands


def test_a_selected_profile_without_credentials_is_likely_the_wrong_one(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / ".aws" / "credentials").write_text(_keys("dev", "LE"))
    (home / ".aws" / "config").write_text("[profile ops]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_PROFILE", "ops")
    cause, confidence, _, _ = _here(knowledge)
    assert (cause, confidence) == ("wrong-profile-selected", Confidence.LIKELY)


def test_no_credentials_anywhere_stays_no_credentials(home: Path, knowledge: Knowledge) -> None:
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    cause, confidence, _, _ = _here(knowledge)
    assert (cause, confidence) == ("no-credentials", Confidence.CONFIRMED)
