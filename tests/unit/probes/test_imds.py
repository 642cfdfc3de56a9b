"""imds.role: instance metadata asked like botocore asks, within one second, only on EC2."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from awsmedic.model import Status
from awsmedic.probes import imds
from tests.awsfixtures import free_port
from tests.fakeendpoint import imds_routes, serving
from tests.unit.probes.helpers import KEY, SECRET, TOKEN, probe

ROLE_CREDS = json.dumps(
    {
        "Code": "Success",
        "AccessKeyId": KEY,
        "SecretAccessKey": SECRET,
        "Token": TOKEN,
        "Expiration": "2099-01-01T00:00:00Z",
    }
)


@pytest.fixture
def metadata_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")


def test_disabled_off_ec2_nothing_is_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No EC2 hint and no endpoint set: a laptop or CI runner, where the variable costs nothing."""
    monkeypatch.setattr(imds, "EC2_HINTS", ((tmp_path / "absent", "Amazon EC2"),))
    monkeypatch.setattr(imds, "_ask", lambda *a: pytest.fail("instance metadata was asked"))
    evidence = probe("imds.role")
    assert evidence.findings == ("imds-disabled", "not-on-ec2")
    assert evidence.status is Status.OK


def test_disabled_where_a_role_is_served(monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS_EC2_METADATA_DISABLED=true with an instance role there to be had (a Docker image made
    for local work, run on EC2): the variable is what hides the role, never a ✓."""
    with serving(imds_routes(credentials=ROLE_CREDS)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        evidence = probe("imds.role")
    assert evidence.status is Status.PROBLEM
    assert evidence.findings == ("imds-disabled", "imds-disabled-role-available")
    assert "AWS_EC2_METADATA_DISABLED=true" in evidence.summary
    assert "role 'app-role'" in evidence.summary
    assert {KEY, SECRET, TOKEN} <= {s.reveal() for s in evidence.secrets}


def test_disabled_where_no_role_is_served(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(imds_routes(role=None)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        evidence = probe("imds.role")
    assert evidence.findings == ("imds-disabled",)
    assert "no IAM role is attached" in evidence.summary


def test_disabled_on_an_ec2_instance(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    vendor = tmp_path / "sys_vendor"
    vendor.write_text("Amazon EC2\n")
    monkeypatch.setattr(imds, "EC2_HINTS", ((vendor, "Amazon EC2"),))
    with serving(imds_routes(role=None)) as endpoint:  # on loopback, never 169.254.169.254
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        evidence = probe("imds.role")
    assert evidence.findings == ("imds-disabled", "imds-disabled-on-ec2")
    assert evidence.status is Status.PROBLEM


@pytest.mark.usefixtures("metadata_allowed")
def test_off_ec2_nothing_is_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(imds, "EC2_HINTS", ((tmp_path / "absent", "Amazon EC2"),))
    assert probe("imds.role").findings == ("not-on-ec2",)


@pytest.mark.usefixtures("metadata_allowed")
def test_a_role_is_served(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(imds_routes(credentials=ROLE_CREDS)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        evidence = probe("imds.role")
    assert evidence.status is Status.OK
    assert evidence.findings == ("imds-role-ok",)
    assert "role 'app-role'" in evidence.summary
    assert [r.method for r in endpoint.requests] == ["PUT", "GET", "GET"]
    headers = {k.lower(): v for k, v in endpoint.requests[1].headers.items()}
    assert headers["x-aws-ec2-metadata-token"] == "imds-session-token"
    assert SECRET not in evidence.summary and TOKEN not in evidence.summary
    assert {KEY, SECRET, TOKEN} <= {s.reveal() for s in evidence.secrets}


@pytest.mark.usefixtures("metadata_allowed")
def test_no_instance_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(imds_routes(role=None)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        assert probe("imds.role").findings == ("imds-no-role",)


@pytest.mark.usefixtures("metadata_allowed")
def test_a_role_ec2_cannot_assume(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = json.dumps({"Code": "AssumeRoleUnauthorizedAccess", "Message": "EC2 cannot assume"})
    with serving(imds_routes(credentials=broken)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        evidence = probe("imds.role")
    assert evidence.findings == ("imds-role-broken",)
    assert "AssumeRoleUnauthorizedAccess" in evidence.summary


@pytest.mark.usefixtures("metadata_allowed")
def test_hop_limit_token_never_arrives_and_v1_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(imds_routes(token_delay=30, v1_status=401)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        started = time.monotonic()
        evidence = probe("imds.role")
        elapsed = time.monotonic() - started
    assert set(evidence.findings) == {"imds-token-timeout", "imds-unreachable", "imds-v1-rejected"}
    # The token would come after 30 s: far less shows the probe's one-second budget held (the
    # margin is for a busy machine, not for the probe).
    assert elapsed < 10, "the whole probe stays within its one-second budget"


@pytest.mark.usefixtures("metadata_allowed")
def test_v1_disabled_stops_after_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(imds_routes(token_delay=3)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        monkeypatch.setenv("AWS_EC2_METADATA_V1_DISABLED", "true")
        evidence = probe("imds.role")
    assert set(evidence.findings) == {"imds-token-timeout", "imds-unreachable"}
    assert "IMDSv1 is disabled" in evidence.summary


@pytest.mark.usefixtures("metadata_allowed")
def test_nothing_listening(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", f"http://127.0.0.1:{free_port()}")
    assert "imds-unreachable" in probe("imds.role").findings


@pytest.mark.usefixtures("metadata_allowed")
def test_a_proxy_that_would_catch_the_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(imds_routes(credentials=ROLE_CREDS)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        monkeypatch.setenv("HTTP_PROXY", "http://proxy.corp:3128")
        evidence = probe("imds.role")
    assert "imds-behind-proxy" in evidence.findings
    assert "add 127.0.0.1 to NO_PROXY" in evidence.summary
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    with serving(imds_routes(credentials=ROLE_CREDS)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        assert "imds-behind-proxy" not in probe("imds.role").findings


def test_offline_asks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    with serving(imds_routes()) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        assert probe("imds.role", offline=True).status is Status.SKIPPED
    assert endpoint.requests == []


@pytest.mark.usefixtures("metadata_allowed")
def test_credentials_later_than_botocore_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The role's credentials come after 1.5 s; botocore waits 1 s by default: a slow service,
    not a role without credentials (and no word about its trust policy)."""
    with serving(imds_routes(credentials=ROLE_CREDS, credentials_delay=1.5)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        evidence = probe("imds.role")
    assert evidence.findings == ("imds-slow",)
    assert evidence.status is Status.PROBLEM
    assert "only after 1.5 s" in evidence.summary
    assert "botocore waits 1 s (the default" in evidence.summary
    assert "trust" not in evidence.summary


@pytest.mark.usefixtures("metadata_allowed")
def test_the_users_own_timeout_is_named(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    (home / ".aws" / "config").write_text("[default]\nmetadata_service_num_attempts = 2\n")
    monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "1")
    with serving(imds_routes(credentials=ROLE_CREDS, credentials_delay=1.5)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        evidence = probe("imds.role")
    assert evidence.findings == ("imds-slow",)
    assert "AWS_METADATA_SERVICE_TIMEOUT=1 in the environment" in evidence.summary
    assert "asks 2 times (metadata_service_num_attempts = 2 in ~/.aws/config line 2" in (
        evidence.summary
    )


@pytest.mark.usefixtures("metadata_allowed")
def test_a_timeout_long_enough_for_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "3")
    with serving(imds_routes(credentials=ROLE_CREDS, credentials_delay=1.2)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        assert probe("imds.role").findings == ("imds-role-ok",)


@pytest.mark.usefixtures("metadata_allowed")
def test_credentials_that_never_come_are_no_trust_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(imds_routes(credentials=ROLE_CREDS, credentials_delay=30)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        started = time.monotonic()
        evidence = probe("imds.role")
        elapsed = time.monotonic() - started
    assert evidence.findings == ("imds-credentials-timeout",)
    assert "imds-role-broken" not in evidence.findings
    assert "trust" not in evidence.summary
    assert f"within {imds.CREDENTIALS_WINDOW:g} s" in evidence.summary
    assert elapsed < 15, "bounded: the budget and the credentials window, with a margin"


@pytest.mark.usefixtures("metadata_allowed")
def test_no_answer_is_not_checked_where_botocore_waits_longer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """botocore told to wait 10 s: credentials that did not come within our window say nothing
    about what botocore got."""
    monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "10")
    with serving(imds_routes(credentials=ROLE_CREDS, credentials_delay=30)) as endpoint:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url)
        evidence = probe("imds.role")
    assert evidence.status is Status.SKIPPED
    assert evidence.unchecked is not None
    assert evidence.summary.startswith("not checked")


def test_disabled_on_ec2_the_real_service_is_not_asked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The user turned instance metadata off: without an endpoint they set, nothing is asked
    (the address would be 169.254.169.254); the finding says what is lost."""
    vendor = tmp_path / "sys_vendor"
    vendor.write_text("Amazon EC2\n")
    monkeypatch.setattr(imds, "EC2_HINTS", ((vendor, "Amazon EC2"),))
    monkeypatch.delenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", raising=False)

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("instance metadata was asked although it is turned off")

    monkeypatch.setattr(imds, "_ask", refuse)
    evidence = probe("imds.role")
    assert evidence.findings == ("imds-disabled", "imds-disabled-on-ec2")
    assert evidence.status is Status.PROBLEM


@pytest.mark.parametrize(
    ("answer", "finding"),
    [
        # botocore takes nothing from an answer without Expiration, whatever Code says
        (
            {"Code": "Success", "AccessKeyId": KEY, "SecretAccessKey": SECRET, "Token": TOKEN},
            "imds-role-broken",
        ),
        # and everything from one with the four fields, Code or not (aws-vault's and other
        # local metadata servers send no Code)
        (
            {
                "AccessKeyId": KEY,
                "SecretAccessKey": SECRET,
                "Token": TOKEN,
                "Expiration": "2099-01-01T00:00:00Z",
            },
            "imds-role-ok",
        ),
    ],
)
@pytest.mark.usefixtures("metadata_allowed")
def test_the_role_works_when_botocore_would_take_its_credentials(
    monkeypatch: pytest.MonkeyPatch, answer: dict[str, str], finding: str
) -> None:
    with serving(imds_routes(credentials=json.dumps(answer))) as metadata:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", metadata.url)
        evidence = probe("imds.role")
    assert evidence.findings == (finding,)
    assert SECRET not in evidence.summary


ROLE_FROM_METADATA = (
    "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
    "credential_source = Ec2InstanceMetadata\n"
)


def test_disabled_where_a_role_takes_its_source_from_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, home: Path
) -> None:
    """audit 3 s16b: off EC2 the variable costs nothing, unless the selected role profile takes
    its source credentials from instance metadata (`credential_source = Ec2InstanceMetadata`):
    then it is why the role has none, never a ✓."""
    monkeypatch.setattr(imds, "EC2_HINTS", ((tmp_path / "absent", "Amazon EC2"),))
    monkeypatch.setattr(imds, "_ask", lambda *a: pytest.fail("instance metadata was asked"))
    (home / ".aws" / "config").write_text(ROLE_FROM_METADATA)
    evidence = probe("imds.role", profile="ops")
    assert evidence.findings == ("imds-disabled", "not-on-ec2")
    assert evidence.status is Status.PROBLEM
    assert "profile 'ops' takes its role's source credentials from it" in evidence.summary


@pytest.mark.usefixtures("metadata_allowed")
def test_off_ec2_where_a_role_takes_its_source_from_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, home: Path
) -> None:
    monkeypatch.setattr(imds, "EC2_HINTS", ((tmp_path / "absent", "Amazon EC2"),))
    monkeypatch.setattr(imds, "_ask", lambda *a: pytest.fail("instance metadata was asked"))
    (home / ".aws" / "config").write_text(ROLE_FROM_METADATA)
    evidence = probe("imds.role", profile="ops")
    assert (evidence.status, evidence.findings) == (Status.PROBLEM, ("not-on-ec2",))
    assert "cannot answer" in evidence.summary
