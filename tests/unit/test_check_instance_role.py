"""`awsmedic check` where nothing comes before instance metadata (audit 2: s23, s17b).

The chain walk asks no network service, so "nothing found" there is only "nothing before
instance metadata". `check` asks instance metadata as the no-credentials tree does (the
`imds.role` probe, its `imds` node's branches): a role that answers is what botocore uses; no
role, or no answer from an endpoint that is set, is the tree's cause; off EC2 nothing is asked
and no-credentials stands; with --offline an instance that may have a role is not checked.

Instance metadata is never the real 169.254.169.254 here: a fake on loopback
(AWS_EC2_METADATA_SERVICE_ENDPOINT), or the EC2 hints pointed at files that do not exist with
the default endpoint moved to a closed loopback port as well.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsmedic.core.check import Checker, SetupReport, Verdict
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Knowledge
from awsmedic.model import Confidence, Status
from awsmedic.probes import imds
from awsmedic.safety.redact import SecretBook
from tests.awsfixtures import free_port
from tests.conftest import make_context
from tests.fakeendpoint import FakeEndpoint, imds_routes, serving
from tests.unit.probes.helpers import KEY, SECRET, TOKEN

ROLE_CREDENTIALS = json.dumps(
    {
        "Code": "Success",
        "AccessKeyId": KEY,
        "SecretAccessKey": SECRET,
        "Token": TOKEN,
        "Expiration": "2099-01-01T00:00:00Z",  # botocore takes none without one
    }
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked(knowledge_dirs({}))


@pytest.fixture
def metadata_allowed(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Instance metadata not turned off (conftest turns it off for every other test), a region,
    and AWS itself at a closed loopback port: nothing leaves this machine."""
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")


@pytest.fixture
def laptop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No EC2 hint on this machine; should anything ask all the same, the default endpoint is a
    closed loopback port (never 169.254.169.254)."""
    closed = f"http://127.0.0.1:{free_port()}/"
    monkeypatch.setattr(imds, "EC2_HINTS", ((tmp_path / "absent", "Amazon EC2"),))
    monkeypatch.setattr(imds, "DEFAULT_ENDPOINT", closed)
    monkeypatch.setattr(imds, "IPV6_ENDPOINT", closed)
    monkeypatch.setattr(imds, "_ask", lambda *a: pytest.fail("instance metadata was asked"))


def _check(knowledge: Knowledge, **ctx: object) -> tuple[SetupReport, Verdict]:
    report = Checker(make_context(**ctx), knowledge, SecretBook()).check(every=False)
    verdict = report.subjects[0]
    assert verdict.subject.here
    return report, verdict


def _imds(verdict: Verdict) -> list[str]:
    return [f for e in verdict.probes if e.probe == "imds.role" for f in e.findings]


def _with_endpoint(monkeypatch: pytest.MonkeyPatch, endpoint: FakeEndpoint | str) -> None:
    url = endpoint if isinstance(endpoint, str) else endpoint.url
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url)


@pytest.mark.usefixtures("metadata_allowed")
def test_a_working_instance_role_is_what_botocore_uses(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s23/s17b: instance metadata serves a role, AWS is not reachable from here: the instance
    role is the source (its credentials came), and no-credentials is never said; whether AWS
    takes them is not checked, not "works" (tests/moto/test_check_e2e.py asks AWS who the role
    is, and there it works). Here "AWS" is AWS_ENDPOINT_URL at a closed port, an override
    nothing answers at: that is what is found (audit 3 s24), never the instance role."""
    with serving(imds_routes(credentials=ROLE_CREDENTIALS)) as metadata:
        _with_endpoint(monkeypatch, metadata)
        report, verdict = _check(knowledge)
        asked = [r.method for r in metadata.requests]
    assert (verdict.kind, verdict.state) == ("instance role", "broken")
    assert verdict.diagnosis is not None and verdict.diagnosis.cause == "endpoint-override"
    assert "connection refused" in verdict.summary
    assert report.winner == "iam-role"
    assert "credentials from iam-role" in report.chain.summary
    assert "no provider has credentials" not in report.chain.summary
    assert asked[:3] == ["PUT", "GET", "GET"]  # the probe's own token, role list, credentials
    assert _imds(verdict) == ["imds-role-ok"]


@pytest.mark.usefixtures("metadata_allowed")
def test_an_instance_without_a_role(knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(imds_routes(role=None)) as metadata:
        _with_endpoint(monkeypatch, metadata)
        report, verdict = _check(knowledge)
    assert verdict.state == "broken" and verdict.diagnosis is not None
    assert verdict.diagnosis.cause == "instance-profile-missing"
    assert verdict.diagnosis.confidence is Confidence.CONFIRMED  # as the tree's no-role node
    assert "no IAM role is attached" in report.chain.summary
    assert not report.ok


@pytest.mark.usefixtures("metadata_allowed", "laptop")
def test_a_laptop_stays_no_credentials_and_nothing_is_asked(knowledge: Knowledge) -> None:
    """No EC2 hint and no endpoint set (the common case): nothing is asked, and no-credentials
    stands, confirmed, as the tree concludes past its `imds` node."""
    report, verdict = _check(knowledge)
    assert verdict.state == "broken" and verdict.diagnosis is not None
    assert (verdict.diagnosis.cause, verdict.diagnosis.confidence) == (
        "no-credentials",
        Confidence.CONFIRMED,
    )
    assert _imds(verdict) == ["not-on-ec2"]
    assert "no credentials before instance metadata" in report.chain.summary
    assert "does not look like an EC2 instance" in report.chain.summary
    # and the same with --offline: that much is known without asking
    report, verdict = _check(knowledge, offline=True)
    assert verdict.diagnosis is not None and verdict.diagnosis.cause == "no-credentials"
    assert _imds(verdict) == ["not-on-ec2"]


@pytest.mark.usefixtures("metadata_allowed")
def test_an_endpoint_that_does_not_answer(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AWS_EC2_METADATA_SERVICE_ENDPOINT set to a closed loopback port: the probe's bounded
    requests are refused at once; the check never says the role works, and names what the
    no-credentials tree names for the same evidence (test_providers: a hop limit)."""
    _with_endpoint(monkeypatch, f"http://127.0.0.1:{free_port()}")
    report, verdict = _check(knowledge)
    assert verdict.state == "broken" and verdict.diagnosis is not None
    assert verdict.diagnosis.cause == "imds-unreachable"
    assert "imds-unreachable" in _imds(verdict)
    imds_probe = next(e for e in verdict.probes if e.probe == "imds.role")
    assert imds_probe.elapsed_ms < 30_000  # bounded (its budget is a second); generous
    assert "got no answer" in report.chain.summary


@pytest.mark.usefixtures("metadata_allowed")
def test_offline_leaves_the_instance_role_unchecked(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--offline where instance metadata may serve a role (an endpoint is set): nothing is
    asked, and "no credentials" is neither evidence nor confirmed: not checked."""
    with serving(imds_routes(credentials=ROLE_CREDENTIALS)) as metadata:
        _with_endpoint(monkeypatch, metadata)
        report, verdict = _check(knowledge, offline=True)
        assert metadata.requests == []
    assert (verdict.state, verdict.diagnosis) == ("unchecked", None)
    assert "the instance role was not checked" in verdict.summary
    assert "the instance role was not checked" in report.chain.summary
    imds_probe = next(e for e in verdict.probes if e.probe == "imds.role")
    assert imds_probe.status is Status.SKIPPED
    assert any("the instance role" in line for line in report.offline)


def test_turned_off_is_no_credentials_as_before(knowledge: Knowledge, home: Path) -> None:
    """AWS_EC2_METADATA_DISABLED=true: botocore asks no instance metadata, so the chain walk
    has seen all of it; no-credentials, confirmed."""
    report, verdict = _check(knowledge, offline=True)
    assert verdict.diagnosis is not None and verdict.diagnosis.cause == "no-credentials"
    assert "no provider has credentials on this machine" in report.chain.summary
