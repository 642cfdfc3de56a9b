"""`awsmedic check` of a role whose credential_source cannot give credentials here (audit 3:
s16, s16b, s16c).

`credential_source = Ec2InstanceMetadata` needs instance metadata: botocore's
CanonicalNameCredentialSourcer hands the source to InstanceMetadataProvider, and where that
returns nothing (AWS_EC2_METADATA_DISABLED=true, or no answer) AssumeRoleProvider raises
"No credentials found in credential_source referenced in profile". That is a problem found,
with or without consent to assume the role, and its steps name it (never a source profile that
does not exist, nor the CLI's role cache).

Instance metadata is never the real 169.254.169.254 here: AWS_EC2_METADATA_SERVICE_ENDPOINT at a
closed loopback port, and STS at a local fake (`consent:role.assume`: never reached).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.core.check import Checker, Verdict
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Knowledge
from awsmedic.model import Confidence
from awsmedic.output.github import first_step
from awsmedic.safety.redact import SecretBook
from tests.awsfixtures import free_port
from tests.conftest import make_context

ROLE = "role_arn = arn:aws:iam::123456789012:role/deploy"
CONSENT = {"consent:role.assume": "yes"}


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked(knowledge_dirs({}))


@pytest.fixture
def role_from(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / ".aws" / "config").write_text(
        f"[profile ops]\n{ROLE}\ncredential_source = Ec2InstanceMetadata\nregion = eu-west-1\n"
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")


def _check(knowledge: Knowledge, answers: dict[str, str] | None = None) -> Verdict:
    ctx = make_context(profile="ops")
    report = Checker(ctx, knowledge, SecretBook(), answers).check(every=False)
    assert not report.ok
    return report.subjects[0]


def _commands(verdict: Verdict) -> list[str]:
    assert verdict.diagnosis is not None
    return [c for step in verdict.diagnosis.steps for c in step.commands]


@pytest.mark.usefixtures("role_from")
@pytest.mark.parametrize("answers", [None, CONSENT], ids=["no-consent", "consent"])
def test_instance_metadata_turned_off(knowledge: Knowledge, answers: dict[str, str]) -> None:
    """s16b / s16c: AWS_EC2_METADATA_DISABLED=true (conftest sets it for every test)."""
    verdict = _check(knowledge, answers)
    assert verdict.state == "broken" and verdict.diagnosis is not None
    assert (verdict.diagnosis.cause, verdict.diagnosis.confidence) == (
        "source-profile-broken",
        Confidence.CONFIRMED,
    )
    assert "AWS_EC2_METADATA_DISABLED=true" in verdict.summary
    assert "unset AWS_EC2_METADATA_DISABLED" in first_step(verdict.diagnosis)
    commands = _commands(verdict)
    assert not any("<source_profile>" in c or "cli/cache" in c for c in commands)
    assert not any("Test the source on its own" in s.text for s in verdict.diagnosis.steps)


@pytest.mark.usefixtures("role_from")
@pytest.mark.parametrize("answers", [None, CONSENT], ids=["no-consent", "consent"])
def test_instance_metadata_that_does_not_answer(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch, answers: dict[str, str]
) -> None:
    """s16 / s16c: instance metadata allowed, its endpoint a closed loopback port."""
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", f"http://127.0.0.1:{free_port()}")
    verdict = _check(knowledge, answers)
    assert verdict.state == "broken" and verdict.diagnosis is not None
    assert verdict.diagnosis.cause == "source-profile-broken"
    assert "got no answer" in verdict.summary
    imds = next(e for e in verdict.probes if e.probe == "imds.role")
    assert "imds-unreachable" in imds.findings
    texts = " ".join(step.text for step in verdict.diagnosis.steps)
    assert "it gave none here" in texts
    assert "source_profile = <source_profile>" in texts  # off EC2: a profile as the source
    assert not any("cli/cache" in c for c in _commands(verdict))


def test_a_failed_assume_is_evidence(
    knowledge: Knowledge, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With consent, a role whose source fails while botocore resolves it (here the container
    endpoint, a closed loopback port) was checked, and failed: broken, not "the probe failed"
    filed as unchecked."""
    (home / ".aws" / "config").write_text(
        f"[profile ops]\n{ROLE}\ncredential_source = EcsContainer\nregion = eu-west-1\n"
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", f"http://127.0.0.1:{free_port()}/creds"
    )
    verdict = _check(knowledge, CONSENT)
    assert verdict.state == "broken" and verdict.diagnosis is not None
    assert "the probe failed" not in verdict.summary
    # the container provider's own error, walked as diagnose walks it
    assert verdict.diagnosis.cause == "container-credentials-failure"
    assumed = next(e for e in verdict.probes if e.probe == "role.assume")
    assert assumed.findings == ("role-assume-failed",)
