"""Scenarios: credential providers that fail (helpers, roles, SSO, login, OIDC, containers, IMDS).

Same recipe as test_files_and_profiles: a real broken setup, boto3's real error from it, then
`awsmedic diagnose` in the same setup. Where the failure needs an AWS-side answer, a small HTTP
server on 127.0.0.1 gives it the way AWS does (the container credentials endpoint, instance
metadata, the IAM Identity Center portal, STS for AssumeRoleWithWebIdentity); each test says
which. moto is not used here: these errors happen before or instead of a signed AWS call.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.fakeendpoint import Reply, imds_routes, serving
from tests.scenarios.setup import Setup, cause, commands, evidence
from tests.unit.probes.helpers import KEY, SECRET, TOKEN

pytestmark = pytest.mark.slow

ROLE = "arn:aws:iam::123456789012:role/deploy"
START = "https://acme.awsapps.com/start"
SSO_TOKEN = "aoaAAAAAGaccesstoken" + "Q" * 200


@pytest.fixture
def setup(home: Path) -> Setup:
    made = Setup.fresh(home)
    made.secrets += [KEY, SECRET, TOKEN, SSO_TOKEN]
    return made


# -- credential-process-failure --------------------------------------------------------------


def helper(setup: Setup, body: str) -> Path:
    """A credential_process helper that leaves a marker each time it runs."""
    marker = setup.home / "helper-ran"
    script = setup.write(
        "bin/helper.py",
        f"import json, sys\nopen({str(marker)!r}, 'a').write('x')\n{body}\n",
    )
    setup.write(".aws/config", f"[profile dev]\ncredential_process = {sys.executable} {script}\n")
    return marker


def test_a_helper_that_fails_is_run_only_with_consent(setup: Setup) -> None:
    marker = helper(
        setup, "print('okta: session expired, run okta login', file=sys.stderr)\nsys.exit(1)"
    )
    error = setup.boto3_error("dev")
    assert "Error when retrieving credentials from custom-process" in error
    marker.unlink()
    asked = setup.diagnose(error, "--profile", "dev")
    assert asked["diagnosis"]["cause"] == "credential-process-failure"
    assert asked["diagnosis"]["confidence"] == "possible"
    assert asked["questions"][0]["id"] == "consent:creds.process"
    assert not marker.exists(), "the helper must not run without consent"
    result = setup.diagnose(error, "--profile", "dev", "--answer", "consent:creds.process=yes")
    assert result["diagnosis"]["cause"] == "credential-process-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "exited with status 1: okta: session expired" in evidence(result)
    assert "~/.aws/config line 2 [profile dev]" in evidence(result)


def test_a_preset_no_keeps_the_helper_from_running(setup: Setup) -> None:
    """Issue 17 item 1: `--answer consent:creds.process=no` was recorded, then the helper ran."""
    marker = helper(
        setup, "print('okta: session expired, run okta login', file=sys.stderr)\nsys.exit(1)"
    )
    error = setup.boto3_error("dev")
    marker.unlink()
    result = setup.diagnose(error, "--profile", "dev", "--answer", "consent:creds.process=no")
    assert not marker.exists(), "the helper ran after a no"
    process = next(p for p in result["probes"] if p["id"] == "creds.process")
    assert process["status"] == "skipped"
    assert "consent:creds.process=yes" in process["summary"]


def test_a_helper_that_prints_a_banner(setup: Setup) -> None:
    helper(setup, "print('Welcome to ACME SSO!')\nprint(json.dumps({'Version': 1}))")
    error = setup.boto3_error("dev", traceback=True)
    assert "JSONDecodeError: Expecting value" in error or "Extra data" in error
    result = setup.diagnose(error, "--profile", "dev", "--answer", "consent:creds.process=yes")
    assert result["diagnosis"]["cause"] == "credential-process-failure"
    assert "not JSON" in evidence(result)


def test_a_helper_with_the_wrong_version_never_shows_its_keys(setup: Setup) -> None:
    payload = {"Version": 2, "AccessKeyId": KEY, "SecretAccessKey": SECRET, "SessionToken": TOKEN}
    helper(setup, f"print(json.dumps({payload!r}))")
    error = setup.boto3_error("dev")
    assert "Unsupported version '2'" in error
    result = setup.diagnose(error, "--profile", "dev", "--answer", "consent:creds.process=yes")
    assert result["diagnosis"]["cause"] == "credential-process-failure"
    assert "Version 2, not 1" in evidence(result)


# -- source-profile-broken -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "error_says", "evidence_says"),
    [
        (
            f"[profile dev]\nrole_arn = {ROLE}\n",
            "missing: source_profile or credential_source",
            "~/.aws/config line 2 [profile dev]) has role_arn but neither",
        ),
        (
            f"[profile dev]\nrole_arn = {ROLE}\nsource_profile = base\n",
            'source_profile "base"',
            "source_profile = base (~/.aws/config line 3 [profile dev]) names a profile that",
        ),
        (
            f"[profile dev]\nrole_arn = {ROLE}\nsource_profile = base\n"
            f"[profile base]\nrole_arn = {ROLE}\nsource_profile = dev\n",
            "Infinite loop",
            "dev -> base -> dev",
        ),
        (
            f"[profile dev]\nrole_arn = {ROLE}\ncredential_source = Environment\n",
            "No credentials found in credential_source",
            "credential_source = Environment",
        ),
    ],
    ids=["no-source", "missing-source", "loop", "empty-credential-source"],
)
def test_role_profiles_without_working_source(
    setup: Setup, config: str, error_says: str, evidence_says: str
) -> None:
    setup.write(".aws/config", config)
    error = setup.boto3_error("dev")
    assert error_says in error
    result = setup.diagnose(error, "--profile", "dev")
    assert result["diagnosis"]["cause"] == "source-profile-broken"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert evidence_says in evidence(result)


# -- sso-session-expired and sso-misconfigured -----------------------------------------------

SESSION_PROFILE = (
    "[profile dev]\nsso_session = acme\nsso_account_id = 123456789012\nsso_role_name = Admin\n"
    f"[sso-session acme]\nsso_start_url = {START}\nsso_region = eu-west-1\n"
)
LEGACY_PROFILE = (
    f"[profile dev]\nsso_start_url = {START}\nsso_region = eu-west-1\n"
    "sso_account_id = 123456789012\nsso_role_name = Admin\n"
)


def sso_cache(setup: Setup, key: str, expires: datetime) -> None:
    name = hashlib.sha1(key.encode()).hexdigest()  # noqa: S324 (botocore's cache file name)
    token = {"accessToken": SSO_TOKEN, "expiresAt": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}
    setup.write(f".aws/sso/cache/{name}.json", json.dumps(token))


@pytest.mark.parametrize(
    ("config", "key", "hours", "error_says"),
    [
        (SESSION_PROFILE, None, 0, "Token for acme does not exist"),
        (SESSION_PROFILE, "acme", -3, "Token has expired and refresh failed"),
        (LEGACY_PROFILE, START, -3, "The SSO session associated with this profile has expired"),
    ],
    ids=["never-signed-in", "session-expired", "legacy-expired"],
)
def test_sso_sign_in_missing_or_expired(
    setup: Setup, config: str, key: str | None, hours: int, error_says: str
) -> None:
    setup.write(".aws/config", config)
    if key is not None:
        sso_cache(setup, key, datetime.now(UTC) + timedelta(hours=hours))
    error = setup.boto3_error("dev")
    assert error_says in error
    result = setup.diagnose(error, "--profile", "dev")
    assert result["matches"][0]["tree"] == "sso-session"
    assert result["diagnosis"]["cause"] == "sso-session-expired"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "SSO profile 'dev'" in evidence(result) and "~/.aws/sso/cache/" in evidence(result)
    assert any("aws sso login --profile dev" in step["text"] for step in result["steps"])


def test_an_sso_session_written_without_its_prefix(setup: Setup) -> None:
    setup.write(".aws/config", SESSION_PROFILE.replace("[sso-session acme]", "[acme]"))
    error = setup.boto3_error("dev")
    assert 'The specified sso-session does not exist: "acme"' in error
    result = setup.diagnose(error, "--profile", "dev")
    assert result["matches"][0]["tree"] == "invalid-config"
    assert result["diagnosis"]["cause"] == "sso-misconfigured"
    assert "write [sso-session acme]" in evidence(result)


def test_no_access_to_the_account_and_role(setup: Setup) -> None:
    """A local stand-in for the IAM Identity Center portal answers GetRoleCredentials with
    403 ForbiddenException "No access", as AWS does for an unassigned account/role pair."""
    setup.write(".aws/config", SESSION_PROFILE)
    sso_cache(setup, "acme", datetime.now(UTC) + timedelta(hours=4))
    forbidden = Reply(
        403,
        json.dumps({"message": "No access"}),
        {"x-amzn-ErrorType": "ForbiddenException", "Content-Type": "application/json"},
    )
    with serving({("GET", "/federation/credentials"): forbidden}) as portal:
        setup.env["AWS_ENDPOINT_URL"] = portal.url
        error = setup.boto3_error("dev")
    assert "ForbiddenException" in error and "No access" in error
    result = setup.diagnose(error, "--profile", "dev")
    assert result["diagnosis"]["cause"] == "sso-misconfigured"
    assert "valid until" in evidence(result) or "SSO profile 'dev'" in evidence(result)


# -- console-login-session-expired -----------------------------------------------------------


def test_an_aws_login_profile_without_its_session(setup: Setup) -> None:
    setup.write(".aws/config", "[profile dev]\nlogin_session = arn:aws:iam::123456789012:user/al\n")
    error = setup.boto3_error("dev")
    assert "login" in error.lower()
    result = setup.diagnose(error, "--profile", "dev")
    assert result["matches"][0]["tree"] == "console-login"
    assert result["diagnosis"]["cause"] == "console-login-session-expired"
    assert "~/.aws/login/cache/" in evidence(result)
    # botocore loads the token only with the CRT installed: no step installs it (audit-2 s27).
    assert not any("botocore[crt]" in command for command in commands(result))


# -- web-identity-failure --------------------------------------------------------------------


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
    return f"{part({'alg': 'RS256'})}.{part(body)}.c2lnbmF0dXJlLXNpZ25hdHVyZQ"


def test_a_missing_web_identity_token_file(setup: Setup) -> None:
    setup.env["AWS_ROLE_ARN"] = ROLE
    setup.env["AWS_WEB_IDENTITY_TOKEN_FILE"] = (
        "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"
    )
    error = setup.boto3_error(traceback=True)
    assert "FileNotFoundError" in error
    result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "web-identity"
    assert result["diagnosis"]["cause"] == "web-identity-failure"
    assert "does not exist" in evidence(result)


def test_a_web_identity_profile_without_a_role(setup: Setup) -> None:
    token = setup.write("token", jwt())
    setup.write(".aws/config", f"[profile ci]\nweb_identity_token_file = {token}\n")
    error = setup.boto3_error("ci")
    assert "has no role ARN configured" in error
    result = setup.diagnose(error, "--profile", "ci")
    assert result["diagnosis"]["cause"] == "web-identity-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"


def test_sts_rejects_the_token_and_the_claims_are_shown(setup: Setup) -> None:
    """A local stand-in for STS answers AssumeRoleWithWebIdentity with InvalidIdentityToken,
    as AWS does when the account has no IAM OIDC provider for the token's issuer."""
    token = jwt()
    setup.secrets.append(token)
    setup.env["AWS_ROLE_ARN"] = ROLE
    setup.env["AWS_WEB_IDENTITY_TOKEN_FILE"] = str(setup.write("token", token))
    body = (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender'
        "</Type><Code>InvalidIdentityToken</Code><Message>No OpenIDConnect provider found in"
        " your account for https://token.actions.githubusercontent.com</Message></Error>"
        "<RequestId>4f1f6c4e-0c4b-4c3e-9b1a-000000000000</RequestId></ErrorResponse>"
    )
    with serving({("POST", "/"): Reply(400, body, {"Content-Type": "text/xml"})}) as sts:
        setup.env["AWS_ENDPOINT_URL"] = sts.url
        error = setup.boto3_error()
    assert "InvalidIdentityToken" in error
    result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "web-identity"
    assert result["diagnosis"]["cause"] == "web-identity-failure"
    assert "sub=repo:acme/app:ref:refs/heads/main" in evidence(result)


def test_github_actions_without_the_id_token_permission(setup: Setup) -> None:
    """In the job, boto3 finds nothing; the configure-aws-credentials action prints its own
    message, which is what users paste. Both are diagnosed from the job's environment."""
    setup.env["GITHUB_ACTIONS"] = "true"
    assert "Unable to locate credentials" in setup.boto3_error()
    pasted = (
        "Run aws-actions/configure-aws-credentials@v4\n"
        "Error: Credentials could not be loaded, please check your action inputs: "
        "Could not load credentials from any providers"
    )
    result = setup.diagnose(pasted)
    assert result["diagnosis"]["cause"] == "web-identity-failure"
    assert "id-token: write" in evidence(result)


# -- container-credentials-failure -----------------------------------------------------------


def test_the_container_endpoint_refuses_the_token(setup: Setup) -> None:
    """A local stand-in for the EKS Pod Identity agent answers 403 to a stale token."""
    setup.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "stale-pod-identity-token"
    setup.secrets.append("stale-pod-identity-token")
    refused = Reply(403, '{"Message": "Service account token cannot be empty or is invalid"}')
    with serving({("GET", "/v1/credentials"): refused}) as agent:
        setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = agent.url + "/v1/credentials"
        error = setup.boto3_error()
        assert "Error when retrieving credentials from container-role" in error
        result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "credential-retrieval"
    assert result["diagnosis"]["cause"] == "container-credentials-failure"
    assert "HTTP 403" in evidence(result)


def test_a_container_uri_botocore_will_not_call(setup: Setup) -> None:
    setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://credentials.internal:8080/creds"
    error = setup.boto3_error()
    assert "Unsupported host 'credentials.internal'" in error
    result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "container-credentials"
    assert result["diagnosis"]["cause"] == "container-credentials-failure"


# -- imds-unreachable and instance-profile-missing -------------------------------------------


def test_imds_behind_a_hop_limit(setup: Setup) -> None:
    """A local stand-in for IMDS never answers the token PUT (a hop limit of 1 seen from a
    container) and refuses IMDSv1 with 401 (the instance requires IMDSv2)."""
    del setup.env["AWS_EC2_METADATA_DISABLED"]
    with serving(imds_routes(token_delay=3, v1_status=401)) as metadata:
        setup.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = metadata.url
        error = setup.boto3_error()
        assert "Unable to locate credentials" in error
        result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "imds-unreachable"
    assert "IMDSv2 token request got no answer" in evidence(result)


def test_an_instance_without_a_role(setup: Setup) -> None:
    """A local stand-in for IMDS answers the token but has no role to list (404)."""
    del setup.env["AWS_EC2_METADATA_DISABLED"]
    with serving(imds_routes(role=None)) as metadata:
        setup.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = metadata.url
        error = setup.boto3_error()
        result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "instance-profile-missing"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "no IAM role is attached" in evidence(result)


#: What instance metadata serves for a working role: botocore takes none without an Expiration.
ROLE_CREDENTIALS = json.dumps(
    {
        "Code": "Success",
        "AccessKeyId": KEY,
        "SecretAccessKey": SECRET,
        "Token": TOKEN,
        "Expiration": "2099-01-01T00:00:00Z",
    }
)


def imds_probe(result: dict[str, Any]) -> dict[str, Any]:
    return next(p for p in result["probes"] if p["id"] == "imds.role")


def test_a_host_whose_instance_role_works(setup: Setup) -> None:
    """Audit 2 s17/s23: a host whose instance role works. The chain walk asks no network
    service, so its evidence says no more than "nothing before instance metadata" (it said "no
    provider has credentials on this machine"); instance metadata, asked, serves the role. An
    error in words no family knows is then never put down to missing credentials."""
    del setup.env["AWS_EC2_METADATA_DISABLED"]
    with serving(imds_routes(credentials=ROLE_CREDENTIALS)) as metadata:
        setup.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = metadata.url
        located = setup.diagnose(
            "botocore.exceptions.NoCredentialsError: Unable to locate credentials"
        )
        unknown = setup.diagnose(
            "Error: the AWS credentials for the deploy role are not valid here"
        )
    for result in (located, unknown):
        chain = next(p for p in result["probes"] if p["id"] == "creds.chain")
        assert chain["summary"].endswith(
            "no credentials before instance metadata; the instance role was not checked"
        )
        assert "no provider has credentials" not in json.dumps(result)
        assert imds_probe(result)["findings"] == ["imds-role-ok"]
    # Unable to locate credentials, where credentials are found: the tree asks whether the
    # failing command ran here (--no-input leaves it open), as it does for keys found here.
    assert located["diagnosis"] is None
    assert [q["id"] for q in located["questions"]] == ["same-environment"]
    assert unknown["matches"][0]["tree"] == "aws-auth-check"
    assert cause(unknown) != "no-credentials"
    assert "sts.identity" in [p["id"] for p in unknown["probes"]]  # the role is checked


def test_instance_metadata_slower_than_botocore_waits(setup: Setup) -> None:
    """The role's credentials come after 2 s; the user's AWS_METADATA_SERVICE_TIMEOUT=1 and one
    attempt give up first (audit S11): a slow service, not a role without credentials."""
    del setup.env["AWS_EC2_METADATA_DISABLED"]
    setup.env.update(AWS_METADATA_SERVICE_TIMEOUT="1", AWS_METADATA_SERVICE_NUM_ATTEMPTS="1")
    routes = imds_routes(credentials=ROLE_CREDENTIALS, credentials_delay=2)
    with serving(routes) as metadata:
        setup.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = metadata.url
        error = setup.boto3_error()
        assert "Unable to locate credentials" in error
        result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "imds-unreachable"
    assert result["diagnosis"]["confidence"] == "confirmed"
    shown = evidence(result)
    assert "only after 2" in shown
    assert "AWS_METADATA_SERVICE_TIMEOUT=1 in the environment" in shown
    assert "AWS_METADATA_SERVICE_NUM_ATTEMPTS=1 in the environment" in shown
    assert "trust policy" not in shown
    first = result["steps"][0]["commands"]
    assert any("AWS_METADATA_SERVICE_TIMEOUT=5" in c for c in first)
    assert "aws configure set metadata_service_timeout 5 --profile default" in first
    assert not any("hop-limit" in c for s in result["steps"] for c in s["commands"])


def test_instance_metadata_turned_off_where_a_role_is_served(setup: Setup) -> None:
    """AWS_EC2_METADATA_DISABLED=true (a Docker image made for local work) where instance
    metadata serves a role (audit S26): the variable is the cause, and its removal the first
    step; the instance metadata check is no ✓."""
    with serving(imds_routes(credentials=ROLE_CREDENTIALS)) as metadata:
        setup.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = metadata.url
        error = setup.boto3_error()
        assert "Unable to locate credentials" in error
        result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "imds-unreachable"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "AWS_EC2_METADATA_DISABLED=true" in evidence(result)
    assert "role 'app-role'" in evidence(result)
    assert imds_probe(result)["status"] == "problem"
    assert result["steps"][0]["commands"] == ["unset AWS_EC2_METADATA_DISABLED"]


def test_a_metadata_timeout_that_is_not_a_whole_number(setup: Setup) -> None:
    """AWS_METADATA_SERVICE_TIMEOUT=0.5 (audit S12): botocore's int() refuses it with Python's own
    words, which name no setting. With botocore's frames, or the `aws` command line above the
    message, it is the setting, named with where it is set; the message alone is not AWS's."""
    setup.env["AWS_METADATA_SERVICE_TIMEOUT"] = "0.5"
    error = setup.boto3_error(traceback=True)
    assert "invalid literal for int() with base 10: '0.5'" in error
    assert "botocore" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "setting-value-invalid"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "AWS_METADATA_SERVICE_TIMEOUT='0.5' in the environment" in evidence(result)
    commands = [c for step in result["steps"] for c in step["commands"]]
    assert "aws configure set metadata_service_timeout 2 --profile default" in commands
    cli = "$ aws sts get-caller-identity\ninvalid literal for int() with base 10: '0.5'"
    assert setup.diagnose(cli)["diagnosis"]["cause"] == "setting-value-invalid"


def test_offline_nothing_is_asked_and_candidates_remain(setup: Setup) -> None:
    del setup.env["AWS_EC2_METADATA_DISABLED"]
    with serving(imds_routes(role=None)) as metadata:
        setup.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = metadata.url
        error = setup.boto3_error()
        asked_before = len(metadata.requests)
        result = setup.diagnose(error, "--offline")
        assert len(metadata.requests) == asked_before
    assert cause(result) == "no-credentials"
