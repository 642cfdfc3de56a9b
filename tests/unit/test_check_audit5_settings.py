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


def _swap_home(home: Path) -> tuple[Path, Path]:
    credentials = home / "proj" / "aws" / "credentials"
    config = home / "proj" / "aws" / "config"
    credentials.parent.mkdir(parents=True)
    credentials.write_text(f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
    config.write_text("[profile dev]\nregion = eu-west-1\n")
    return credentials, config


@pytest.mark.parametrize("profile", ["dev", None])
def test_swapped_file_variables_are_the_problem_found(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch, profile: str | None
) -> None:
    """s15: AWS_CONFIG_FILE names the credentials file and the other way round; check's step
    swaps the variables back (it gave the header edit, which rewrites the files)."""
    credentials, config = _swap_home(home)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(credentials))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(config))
    if profile:
        monkeypatch.setenv("AWS_PROFILE", profile)
    cause, step = _first_step(knowledge)
    assert cause == "profile-prefix-confusion"
    assert (
        "export AWS_CONFIG_FILE=~/proj/aws/config"
        " AWS_SHARED_CREDENTIALS_FILE=~/proj/aws/credentials" in step
    )


def test_file_variables_that_are_not_swapped_are_not_called_swapped(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.unit.probes.helpers import probe

    credentials, config = _swap_home(home)
    monkeypatch.setenv("AWS_PROFILE", "dev")
    # right way round: the profile is found
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    assert "shared-files-swapped" not in probe("config.profile").findings
    # only one variable set (audit 5 c34's shape): nothing to swap with
    monkeypatch.setenv("AWS_CONFIG_FILE", str(credentials))
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE")
    assert "shared-files-swapped" not in probe("config.profile").findings
