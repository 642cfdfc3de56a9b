"""`check` on set-ups of the fifth outside audit: client settings botocore refuses (s17/s18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.core.check import Checker
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Knowledge
from awsmedic.output.checkview import to_json
from awsmedic.safety.redact import SecretBook
from tests.conftest import make_context
from tests.unit.probes.helpers import KEY, SECRET


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked(knowledge_dirs({}))


def _first_step(knowledge: Knowledge) -> tuple[str, str]:
    book = SecretBook()
    report = Checker(make_context(offline=True), knowledge, book).check(every=False)
    verdict = report.subjects[0]
    assert verdict.state == "broken"
    assert verdict.diagnosis is not None
    return verdict.diagnosis.cause, to_json(report, book)["profiles"][0]["first_step"]["text"]


def test_a_retry_mode_variable_botocore_refuses_is_a_problem_found(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s17: AWS_RETRY_MODE=fast stops every boto3 client; check said "Nothing is wrong"."""
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_RETRY_MODE", "fast")
    cause, step = _first_step(knowledge)
    assert cause == "setting-value-invalid"
    assert "unset AWS_RETRY_MODE" in step
    assert "aws configure set" not in step


def test_a_retry_mode_in_the_profile_is_a_problem_found(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s18: `retry_mode = bogus` in [profile dev]: the fix is the profile's, not a variable."""
    (home / ".aws" / "credentials").write_text(
        f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    (home / ".aws" / "config").write_text(
        "[profile dev]\nregion = eu-west-1\nretry_mode = bogus\nmax_attempts = 5\n"
    )
    monkeypatch.delenv("AWS_RETRY_MODE", raising=False)
    monkeypatch.setenv("AWS_PROFILE", "dev")
    cause, step = _first_step(knowledge)
    assert cause == "setting-value-invalid"
    assert "aws configure set retry_mode standard --profile dev" in step
    assert "unset" not in step
