"""creds.container: one bounded request to the container credentials endpoint (on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.awsfixtures import free_port
from tests.fakeendpoint import Reply, serving
from tests.unit.probes.helpers import KEY, SECRET, TOKEN, probe

CREDS = json.dumps(
    {
        "AccessKeyId": KEY,
        "SecretAccessKey": SECRET,
        "Token": TOKEN,
        "Expiration": "2099-01-01T00:00:00Z",
        "RoleArn": "arn:aws:iam::123456789012:role/task",
    }
)


def test_not_configured() -> None:
    assert probe("creds.container").findings == ("container-not-configured",)


def test_credentials_come_back_and_stay_secret(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = home / "eks-pod-identity-token"
    token.write_text("pod-identity-token-value")
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(token))
    with serving({("GET", "/v1/credentials"): Reply(200, CREDS)}) as endpoint:
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url + "/v1/credentials")
        evidence = probe("creds.container")
    assert evidence.status is Status.OK
    assert evidence.findings[0] == "container-credentials-ok"
    assert endpoint.requests[0].headers["Authorization"] == "pod-identity-token-value"
    text = evidence.summary + "".join(evidence.details)
    assert SECRET not in text and TOKEN not in text and "pod-identity-token-value" not in text
    assert {SECRET, TOKEN, "pod-identity-token-value"} <= {s.reveal() for s in evidence.secrets}


@pytest.mark.parametrize(
    ("reply", "finding"),
    [
        (Reply(403, '{"Message": "Token is invalid"}'), "container-endpoint-rejected"),
        (Reply(500, "oops"), "container-endpoint-error"),
        (Reply(200, "<html>proxy login</html>"), "container-bad-response"),
        (Reply(200, json.dumps({"AccessKeyId": KEY})), "container-bad-response"),
    ],
)
def test_bad_answers(monkeypatch: pytest.MonkeyPatch, reply: Reply, finding: str) -> None:
    with serving({("GET", "/creds"): reply}) as endpoint:
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url + "/creds")
        assert probe("creds.container").findings[0] == finding


def test_nothing_listening(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", f"http://127.0.0.1:{free_port()}/c")
    evidence = probe("creds.container")
    assert evidence.findings[0] == "container-endpoint-unreachable"
    assert evidence.elapsed_ms < 5000
    # Only a server on this machine listens on loopback: it has stopped (aws-vault's, an IDE's).
    assert "container-uri-local-server" in evidence.findings
    assert "a credentials server on this machine" in evidence.summary


def test_a_host_botocore_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://credentials.internal/x")
    evidence = probe("creds.container")
    assert evidence.findings[0] == "container-host-not-allowed"
    assert "'credentials.internal'" in evidence.summary


@pytest.mark.parametrize(
    ("content", "finding"),
    [(None, "container-token-file-missing"), ("token\r\n", "container-token-bad-characters")],
)
def test_token_file_problems(
    home: Path, monkeypatch: pytest.MonkeyPatch, content: str | None, finding: str
) -> None:
    path = home / "token"
    if content is not None:
        path.write_text(content)
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(path))
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", f"http://127.0.0.1:{free_port()}/c")
    assert probe("creds.container").findings[0] == finding


def test_offline_asks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving({("GET", "/c"): Reply(200, CREDS)}) as endpoint:
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url + "/c")
        evidence = probe("creds.container", offline=True)
    assert evidence.status is Status.SKIPPED
    assert endpoint.requests == []
    assert "not checked: --offline" in evidence.summary
    assert "container-endpoint-loopback" in evidence.findings  # what the settings say


def test_offline_still_says_what_botocore_refuses_before_any_request(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A host botocore refuses, or a token it will not send, is known without the network."""
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://credentials.internal/x")
    evidence = probe("creds.container", offline=True)
    assert evidence.status is Status.PROBLEM
    assert evidence.findings[0] == "container-host-not-allowed"
    path = home / "token"
    path.write_text("pod-token-value\n")
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(path))
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials")
    evidence = probe("creds.container", offline=True)
    assert evidence.findings[:2] == ("container-token-bad-characters", "container-endpoint-eks")
    assert "pod-token-value" not in evidence.summary + "".join(evidence.details)
    assert "pod-token-value\n" in {s.reveal() for s in evidence.secrets}


def test_only_a_loopback_address_is_a_local_server() -> None:
    from awsmedic.probes.container import _local_server

    assert _local_server("http://127.0.0.1:9911/creds") and _local_server("http://localhost:80/")
    assert _local_server("http://[::1]:9911/creds")
    assert not _local_server("http://169.254.170.2/v2/credentials/x")
    assert not _local_server("http://169.254.170.23/v1/credentials")


@pytest.mark.parametrize(
    ("variables", "kind"),
    [
        ({"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"}, "container-endpoint-ecs"),
        (
            {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.2/x"},
            "container-endpoint-ecs",
        ),
        (
            {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials"},
            "container-endpoint-eks",
        ),
        (
            {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://[fd00:ec2::23]/v1/credentials"},
            "container-endpoint-eks",
        ),
        # EKS Pod Identity's token file names it whatever the address (a proxy, a test's)
        (
            {
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/v1/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": (
                    "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token"
                ),
            },
            "container-endpoint-eks",
        ),
        (
            {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/creds"},
            "container-endpoint-loopback",
        ),
    ],
)
def test_the_kind_of_endpoint_the_settings_name(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], kind: str
) -> None:
    """Which steps apply (an ECS task role, a Pod Identity association, a local server) follows
    from the variables alone, whatever the endpoint answered."""
    from awsmedic.context import Context
    from awsmedic.probes.container import _kind, endpoint

    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    ctx = Context.from_process()
    found = endpoint(ctx)
    assert found is not None
    kinds = {"container-endpoint-ecs", "container-endpoint-eks", "container-endpoint-loopback"}
    assert set(_kind(ctx, *found)) & kinds == {kind}


@pytest.mark.parametrize("content", ["token\n", None])
def test_a_token_problem_keeps_the_kind_of_endpoint(
    home: Path, monkeypatch: pytest.MonkeyPatch, content: str | None
) -> None:
    path = home / "eks-pod-identity-token"
    if content is not None:
        path.write_text(content)
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(path))
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials")
    findings = probe("creds.container").findings
    assert findings[0] in ("container-token-bad-characters", "container-token-file-missing")
    assert "container-endpoint-eks" in findings and "container-token-in-file" in findings
