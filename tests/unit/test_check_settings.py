"""`awsmedic check` of settings that stop every command before any request (audit 3: s22, s02).

awsmedic's own clients are bounded (one attempt, their own timeouts), so asking AWS cannot show
that botocore refuses the user's `max_attempts`; and with `--profile` the CLI skips the
environment, so `aws configure list --profile` hides a half-set key pair. The local probes name
both, with the cause `diagnose` names for the same evidence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.core.check import Checker, Verdict
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Knowledge
from awsmedic.output.github import first_step
from awsmedic.safety.redact import SecretBook
from tests.awsfixtures import free_port
from tests.conftest import make_context
from tests.unit.probes.helpers import KEY, SECRET


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked(knowledge_dirs({}))


def _check(knowledge: Knowledge, **ctx: object) -> Verdict:
    report = Checker(make_context(**ctx), knowledge, SecretBook()).check(every=False)
    assert not report.ok
    return report.subjects[0]


def test_max_attempts_botocore_cannot_read(
    knowledge: Knowledge, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s22: AWS_MAX_ATTEMPTS=abc with working keys: every CLI and boto3 call stops in int()
    (botocore configprovider, `max_attempts`). The steps are about that setting, not about
    the instance metadata settings."""
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "abc")
    verdict = _check(knowledge, offline=True)
    assert verdict.state == "broken" and verdict.diagnosis is not None
    assert verdict.diagnosis.cause == "setting-value-invalid"
    assert "AWS_MAX_ATTEMPTS='abc'" in verdict.summary
    assert "AWS_MAX_ATTEMPTS" in first_step(verdict.diagnosis)
    texts = " ".join(step.text for step in verdict.diagnosis.steps)
    commands = [c for step in verdict.diagnosis.steps for c in step.commands]
    assert "unset AWS_MAX_ATTEMPTS" in commands
    assert "3 attempts in the `standard` retry mode" in texts
    assert not any("TIMEOUT=" in c or "unset AWS_METADATA" in c for c in commands)
    assert not any("metadata_service" in c for c in commands)
    assert "1 second, 1 attempt" not in texts


def test_a_key_id_without_its_secret_in_the_environment(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s02: only AWS_ACCESS_KEY_ID exported. botocore stops in its environment provider
    (PartialCredentialsError); the cause is that, as diagnose says, and its first command shows
    the variables (not `aws configure list --profile`, which skips the environment)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    verdict = _check(knowledge, offline=True)
    assert verdict.diagnosis is not None
    assert verdict.diagnosis.cause == "env-key-id-without-secret"
    assert "--profile" not in first_step(verdict.diagnosis)
    assert "env | grep '^AWS_'" in first_step(verdict.diagnosis)


def test_a_profile_named_as_profile_skips_the_environment(
    knowledge: Knowledge, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check --profile dev` checks `dev` as `--profile dev` would use it: botocore skips the
    environment's keys, half-set or not."""
    (home / ".aws" / "credentials").write_text(
        f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    report = Checker(make_context(profile="dev", offline=True), knowledge, SecretBook()).check(
        every=False
    )
    verdict = report.subjects[0]
    assert verdict.diagnosis is None or verdict.diagnosis.cause != "env-key-id-without-secret"
