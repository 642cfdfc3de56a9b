"""Scenarios for the families issue 14 added that need no AWS endpoint: the failure happens in
the client (botocore without its CRT extra), in the tool (an SDK older than the profile), or in
Docker's login store. Each builds the set-up for real (temp HOME, exact files, environment); the
error is boto3's own where boto3 raises it, and otherwise the tool's real wording (Docker has no
daemon here, and an old aws2-wrap or Rust SDK is not installed), as the tool's source prints it.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.scenarios.setup import Setup, evidence

pytestmark = pytest.mark.slow

REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
SSO_PROFILE = (
    "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n"
    "region = eu-west-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
    "sso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n"
)


def steps(result: dict[str, object]) -> str:
    found = result["steps"]
    assert isinstance(found, list)
    return "\n".join(s if isinstance(s, str) else s["text"] for s in found)


def test_an_aws_login_profile_from_boto3_without_the_crt(setup: Setup) -> None:
    # The test environment has the CRT (the login scenarios need it): hide it from the program
    # the way a missing install does, with an `awscrt` package that cannot be imported.
    blocker = setup.home.parent / "no-crt" / "awscrt"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text('raise ImportError("No module named awscrt")\n')
    setup.env["PYTHONPATH"] = str(blocker.parent)
    setup.write(".aws/config", "[profile dev]\nlogin_session = arn:aws:iam::123456789012:user/al\n")
    error = setup.boto3_error("dev")
    assert "MissingDependencyException" in error and "botocore[crt]" in error
    result = setup.diagnose(error, "--profile", "dev")
    assert result["matches"][0]["tree"] == "missing-dependency"
    assert (result["diagnosis"]["cause"], result["diagnosis"]["confidence"]) == (
        "login-crt-missing",
        "confirmed",
    )
    assert "aws login profile 'dev'" in evidence(result)
    assert 'python -m pip install "botocore[crt]"' in steps(result)
    assert (
        "credential_process = aws configure export-credentials --profile dev --format process"
        in steps(result)
    )


@pytest.mark.parametrize(
    "error",
    [
        # aws2-wrap before 1.3.1 (linaro-its/aws2-wrap#68)
        "Getting an error: 'sso_start_url' not found in profile: {'sso_session': 'corp',"
        " 'sso_role_name': 'Admin', 'region': 'eu-west-1', 'output': 'json', 'profile_name': 'dev'}",
        # aws-config (the Rust SDK) before sso-session support (awslabs/aws-sdk-rust#699)
        'InvalidConfiguration(InvalidConfiguration { source: "ProfileFile provider could not be'
        ' built: profile `dev` was not defined: `sso_region` was missing" })',
    ],
    ids=["aws2-wrap", "rust-sdk"],
)
def test_an_sso_session_profile_read_by_an_old_tool(setup: Setup, error: str) -> None:
    setup.write(".aws/config", SSO_PROFILE)
    result = setup.diagnose(error, "--profile", "dev")
    assert (result["diagnosis"]["cause"], result["diagnosis"]["confidence"]) == (
        "tool-too-old-for-config",
        "confirmed",
    )
    assert "uses sso_session = corp" in evidence(result)
    assert "[profile dev-process]" in steps(result)


def ecr_auth(expires: datetime) -> str:
    password = json.dumps({"payload": "p" * 64, "datakey": "d" * 64, "version": "2",
                           "type": "DATA_KEY", "expiration": int(expires.timestamp())})  # fmt: skip
    token = base64.b64encode(password.encode()).decode()
    return base64.b64encode(f"AWS:{token}".encode()).decode()


def test_a_docker_login_older_than_twelve_hours(setup: Setup) -> None:
    # Issued 14 hours ago: its expiration, 12 hours after issue, was 2 hours ago.
    stored = ecr_auth(datetime.now(UTC) - timedelta(hours=2))
    setup.secrets.append(stored)
    setup.write(".docker/config.json", json.dumps({"auths": {REGISTRY: {"auth": stored}}}))
    error = (
        f'Error response from daemon: Head "https://{REGISTRY}/v2/app/manifests/latest": denied:'
        " Your authorization token has expired. Reauthenticate and try again."
    )
    result = setup.diagnose(error)
    assert (result["diagnosis"]["cause"], result["diagnosis"]["confidence"]) == (
        "ecr-auth-token",
        "confirmed",
    )
    assert f"the stored login for {REGISTRY} expired 2 h ago" in evidence(result)
    assert (
        f"aws ecr get-login-password --region eu-west-1 --profile default | docker login"
        f" --username AWS --password-stdin {REGISTRY}"
    ) in steps(result)


def test_the_ecr_credential_helper_missing_from_path(setup: Setup) -> None:
    setup.write(".docker/config.json", json.dumps({"credHelpers": {REGISTRY: "ecr-login"}}))
    setup.env["PATH"] = str(setup.home / "bin")
    (setup.home / "bin").mkdir()
    error = (
        f"Error response from daemon: Get https://{REGISTRY}/v2/app/manifests/latest:"
        " no basic auth credentials"
    )
    result = setup.diagnose(error)
    assert (result["diagnosis"]["cause"], result["diagnosis"]["confidence"]) == (
        "ecr-auth-token",
        "confirmed",
    )
    assert "docker-credential-ecr-login is not on PATH" in evidence(result)
