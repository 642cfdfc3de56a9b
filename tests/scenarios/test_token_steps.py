"""Steps that follow the evidence about a token (audit 2: s18, s18b, s19, s20, s21, s22).

Container credentials and web identity both hinge on a token read from a file. When a probe has
found what is wrong with that token (a line break, a file that is not there or is empty, an
endpoint that refused it, a role ARN without any token), the step for that comes first and the
summary's "first:" command is its command; steps about what only matters once a token was
accepted or sent (an ECS task role, a trust policy's conditions, GitHub's `id-token`
permission) are not shown. Each setup is built for real and boto3's own error is diagnosed
there, as in test_audit_setups2. Traffic only goes to 127.0.0.1.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.fakeendpoint import Reply, serving
from tests.scenarios.setup import Setup, commands, evidence, texts

pytestmark = pytest.mark.slow

ROLE = "arn:aws:iam::123456789012:role/deploy"
IRSA_TOKEN = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"
POD_IDENTITY_TOKEN = "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token"
#: The container agent's answer to a token it does not accept (EKS Pod Identity's agent and
#: local servers answer 401 with a JSON `code`).
REFUSED = json.dumps({"code": "AccessDeniedException", "message": "Unauthorized: invalid token"})


def first_command(setup: Setup, error: str) -> str:
    """The command the text report's summary line names first ("In short: ...; first: CMD")."""
    done = subprocess.run(
        [sys.executable, "-m", "awsmedic", "diagnose", "--no-input", error],
        env={**setup.env, "NO_COLOR": "1", "COLUMNS": "400"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=setup.home.parent,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    summary = done.stdout[done.stdout.index("In short:") :]
    return " ".join(summary.partition("first:")[2].replace("\\\n", " ").split())


def container_token(setup: Setup, content: str) -> Path:
    path = setup.write("run/token", content)
    setup.env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = str(path)
    return path


# -- container-credentials-failure ---------------------------------------------------------------


def test_an_endpoints_refusal_of_the_token_is_no_iam_denial(setup: Setup) -> None:
    """s18b: the token file holds a token the endpoint no longer accepts; it answers 401 with
    `"code": "AccessDeniedException"`. The AWS CLI prints botocore's message without the class
    name. That code is the endpoint's, inside the credential fetch: no credentials were ever
    obtained, so no IAM policy is involved and no question about the identity is answered."""
    container_token(setup, "rotated-out-token")
    with serving({("GET", "/v1/credentials"): Reply(401, REFUSED)}) as endpoint:
        setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = endpoint.url + "/v1/credentials"
        error = setup.boto3_error()
        assert "CredentialRetrievalError: " in error
        cli = error.partition("CredentialRetrievalError: ")[2]  # as the AWS CLI prints it
        assert cli.startswith("Error when retrieving credentials from container-role: ")
        assert "Received non 200 response 401 from container metadata:" in cli
        result = setup.diagnose(cli)
    assert result["matches"][0]["tree"] == "container-credentials"
    assert all(match["tree"] != "access-denied" for match in result["matches"])
    assert result["diagnosis"]["cause"] == "container-credentials-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "the token was refused" in evidence(result)
    assert result["questions"] == []
    assert "refused the authorization token" in result["steps"][0]["text"]
    assert not any(command.startswith("aws ecs ") for command in commands(result))
    assert "Allow" not in texts(result)


def test_a_token_file_written_with_echo(setup: Setup) -> None:
    """s18: `echo "$TOKEN" > file` leaves a line break that botocore refuses to send. The fix
    comes first, and its command really removes the line break, so that boto3 gets past it."""
    path = container_token(setup, "pod-token-value\n")
    setup.secrets.append("pod-token-value")
    setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:9/v1/credentials"
    error = setup.boto3_error()
    assert error == "builtins.ValueError: Auth token value is not a legal header value"
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "container-credentials-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "line break" in result["steps"][0]["text"]
    fix = result["steps"][0]["commands"][0]
    assert fix.startswith("printf '%s' ") and "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE" in fix
    assert first_command(setup, error) == fix
    assert not any(command.startswith(("aws ecs ", "aws eks ")) for command in commands(result))
    subprocess.run(["sh", "-c", fix], env=setup.env, check=True, timeout=10)
    assert path.read_bytes() == b"pod-token-value"
    assert "not a legal header value" not in setup.boto3_error()


def test_a_pod_identity_token_file_that_is_not_mounted_leads_with_the_association(
    setup: Setup,
) -> None:
    """s19: EKS Pod Identity's token file is not there. The steps are about the pod's
    association and restarting it, never about an ECS task definition."""
    setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://169.254.170.23/v1/credentials"
    setup.env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = POD_IDENTITY_TOKEN
    error = setup.boto3_error()
    assert "No such file or directory" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "container-credentials-failure"
    first = result["steps"][0]
    assert "cannot be read" in first["text"]
    assert first["commands"][0].startswith("aws eks list-pod-identity-associations ")
    assert any(c.startswith("kubectl rollout restart deployment") for c in first["commands"])
    assert first_command(setup, error).startswith("aws eks list-pod-identity-associations ")
    assert not any(command.startswith("aws ecs ") for command in commands(result))


# -- web-identity-failure ------------------------------------------------------------------------


def no_trust_policy_steps(result: dict[str, Any]) -> None:
    """No token reached STS: neither its trust policy nor GitHub's token permission is it."""
    assert not any("get-role" in command for command in commands(result))
    assert "grant the job the token permission" not in texts(result)
    assert "StringEquals" not in texts(result)


def test_a_role_arn_without_a_token_file_leads_with_the_token_or_a_role_profile(
    setup: Setup,
) -> None:
    """s21: AWS_ROLE_ARN exported (copied from a CI snippet) and nothing else: botocore ignores
    it without a token file. First: the token file, or a role profile for the user's own keys."""
    setup.env["AWS_ROLE_ARN"] = ROLE
    error = setup.boto3_error()
    assert "Unable to locate credentials" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "web-identity-failure"
    first = result["steps"][0]
    assert "set `AWS_WEB_IDENTITY_TOKEN_FILE`" in first["text"]
    assert first["commands"][:2] == [
        f"aws configure set role_arn {ROLE} --profile deploy",
        "aws configure set source_profile default --profile deploy",
    ]
    assert "unset AWS_ROLE_ARN AWS_ROLE_SESSION_NAME" in first["commands"]
    assert first_command(setup, error) == f"aws configure set role_arn {ROLE} --profile deploy"
    no_trust_policy_steps(result)


def test_an_irsa_token_that_is_not_mounted_leads_with_the_annotation(setup: Setup) -> None:
    """s20 (and Terraform's s38): IAM roles for service accounts without the projected token.
    The pod's service account needs the role annotation and the pod a restart, first."""
    assert not Path(IRSA_TOKEN).exists()
    setup.env["AWS_ROLE_ARN"] = ROLE
    setup.env["AWS_WEB_IDENTITY_TOKEN_FILE"] = IRSA_TOKEN
    error = setup.boto3_error()
    assert error.endswith(f"No such file or directory: '{IRSA_TOKEN}'")
    terraform = (
        "Error: failed to refresh cached credentials, failed to retrieve jwt from\nprovide source,"
        f" unable to read file at\n{IRSA_TOKEN}: open\n{IRSA_TOKEN}: no such file or\ndirectory"
    )
    for pasted in (error, terraform):
        result = setup.diagnose(pasted)
        assert result["diagnosis"]["cause"] == "web-identity-failure"
        assert result["diagnosis"]["confidence"] == "confirmed"
        first = result["steps"][0]
        assert "no token reached STS" in first["text"]
        assert first["commands"][0].startswith("kubectl annotate serviceaccount ")
        assert "eks.amazonaws.com/role-arn=" in first["commands"][0]
        assert first["commands"][1].startswith("kubectl rollout restart deployment ")
        no_trust_policy_steps(result)
    assert first_command(setup, error).startswith("kubectl annotate serviceaccount ")


def test_an_empty_token_file_named_by_a_profile_leads_with_that_setting(setup: Setup) -> None:
    """s22: the profile's web_identity_token_file is empty: botocore's parameter check stops
    the call before STS. The step is about the file that setting names, not EKS or a trust
    policy."""
    path = setup.write("tok/jwt", "")
    setup.write(
        ".aws/config", f"[profile ci]\nrole_arn = {ROLE}\nweb_identity_token_file = {path}\n"
    )
    setup.env["AWS_PROFILE"] = "ci"
    error = setup.boto3_error()
    assert "Invalid length for parameter WebIdentityToken, value: 0" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "web-identity-failure"
    first = result["steps"][0]
    assert "no token reached STS" in first["text"]
    assert first["commands"] == ["aws configure get web_identity_token_file --profile ci"]
    assert first_command(setup, error) == "aws configure get web_identity_token_file --profile ci"
    assert not any(command.startswith("kubectl ") for command in commands(result))
    no_trust_policy_steps(result)


def test_a_token_sts_refused_still_leads_with_the_trust_policy(setup: Setup) -> None:
    """The other way round: a token was read and STS refused it (InvalidIdentityToken). Then the
    trust policy's conditions are the first thing to read, as before."""
    token = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJzdHMuYW1hem9uYXdzLmNvbSJ9.c2lnbmF0dXJl"
    setup.env["AWS_ROLE_ARN"] = ROLE
    setup.env["AWS_WEB_IDENTITY_TOKEN_FILE"] = str(setup.write("ci/token", token))
    error = (
        "botocore.errorfactory.InvalidIdentityTokenException: An error occurred"
        " (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation:"
        " Incorrect token audience"
    )
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "web-identity-failure"
    assert "trust policy" in result["steps"][0]["text"]
    assert first_command(setup, error) == (
        "aws iam get-role --role-name deploy --query Role.AssumeRolePolicyDocument"
    )
    assert "no token reached STS" not in texts(result)
    assert "AWS_ROLE_ARN` is set without a token file" not in texts(result)
