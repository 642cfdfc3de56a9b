"""creds.web-identity: settings, the token file and its claims (never the token)."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import pytest

from awsmedic.model import Status
from awsmedic.probes.webidentity import decode_claims
from tests.unit.probes.helpers import probe

ROLE = "arn:aws:iam::123456789012:role/ci"


def jwt(**claims: object) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    body = {
        "iss": "https://token.actions.githubusercontent.com",
        "sub": "repo:acme/app:ref:refs/heads/main",
        "aud": "sts.amazonaws.com",
        "exp": int(time.time()) + 600,
        **claims,
    }
    return f"{part({'alg': 'RS256'})}.{part(body)}.c2lnbmF0dXJl"


def token_file(home: Path, text: str) -> Path:
    path = home / "token"
    path.write_text(text)
    return path


def test_not_configured(home: Path) -> None:
    evidence = probe("creds.web-identity")
    assert evidence.findings == ("web-identity-not-configured",)
    assert evidence.status is Status.OK


def test_a_good_token_shows_claims_not_the_token(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = jwt()
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token_file(home, token)))
    monkeypatch.setenv("AWS_ROLE_ARN", ROLE)
    evidence = probe("creds.web-identity")
    assert evidence.findings == ("web-identity-token-ok", "web-identity-token-file-in-env")
    assert "sub=repo:acme/app:ref:refs/heads/main" in evidence.summary
    assert token not in evidence.summary and token.split(".")[1] not in evidence.summary
    assert token in {s.reveal() for s in evidence.secrets}
    assert evidence.facts["role_arn"].value == ROLE


@pytest.mark.parametrize(
    ("content", "finding"),
    [
        (None, "web-identity-token-file-missing"),
        ("", "web-identity-token-empty"),
        ("not a jwt", "web-identity-token-not-jwt"),
        (jwt(exp=1_000_000_000), "web-identity-token-expired"),
        (jwt(aud="https://github.com/acme"), "web-identity-audience-not-sts"),
    ],
)
def test_token_file_problems(
    home: Path, monkeypatch: pytest.MonkeyPatch, content: str | None, finding: str
) -> None:
    path = token_file(home, content) if content is not None else home / "missing-token"
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(path))
    monkeypatch.setenv("AWS_ROLE_ARN", ROLE)
    assert finding in probe("creds.web-identity").findings


def test_no_role_arn(home: Path) -> None:
    path = token_file(home, jwt())
    (home / ".aws" / "config").write_text(f"[default]\nweb_identity_token_file = {path}\n")
    evidence = probe("creds.web-identity")
    assert evidence.findings[0] == "web-identity-no-role-arn"
    assert "~/.aws/config line 2 [default]" in evidence.summary


def test_an_explicit_profile_ignores_the_variables(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token_file(home, jwt())))
    monkeypatch.setenv("AWS_ROLE_ARN", ROLE)
    evidence = probe("creds.web-identity", profile="dev")
    assert {"web-identity-not-configured", "web-identity-env-ignored"} <= set(evidence.findings)


def test_github_actions_without_the_id_token_permission(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    evidence = probe("creds.web-identity")
    assert "github-actions-no-id-token" in evidence.findings
    assert "id-token: write" in evidence.summary
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_URL", "https://pipelines.example/token")
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-token-value-1234")
    evidence = probe("creds.web-identity")
    assert "github-actions-oidc-available" in evidence.findings
    assert "request-token-value-1234" in {s.reveal() for s in evidence.secrets}


def test_decode_claims_rejects_non_jwts() -> None:
    assert decode_claims("a.b") is None
    assert decode_claims("a.!!!.c") is None
    assert decode_claims(jwt())["aud"] == "sts.amazonaws.com"  # type: ignore[index]


def test_where_the_token_file_is_named_and_whose_path_it_is(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The steps for a missing or empty token follow where it should have come from: IRSA's
    path (EKS mounts it), the variable, or the profile's setting."""
    monkeypatch.setenv("AWS_ROLE_ARN", ROLE)
    monkeypatch.setenv(
        "AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"
    )
    findings = probe("creds.web-identity").findings
    assert {"web-identity-token-file-eks", "web-identity-token-file-in-env"} <= set(findings)
    # EKS Pod Identity's token is no IRSA token
    monkeypatch.setenv(
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token",
    )
    assert "web-identity-token-file-eks" not in probe("creds.web-identity").findings
    monkeypatch.delenv("AWS_WEB_IDENTITY_TOKEN_FILE")
    monkeypatch.delenv("AWS_ROLE_ARN")
    path = token_file(home, "")
    (home / ".aws" / "config").write_text(
        f"[default]\nrole_arn = {ROLE}\nweb_identity_token_file = {path}\n"
    )
    findings = probe("creds.web-identity").findings
    assert "web-identity-token-empty" in findings
    assert not {"web-identity-token-file-eks", "web-identity-token-file-in-env"} & set(findings)
