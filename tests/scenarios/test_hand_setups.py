"""Set-ups broken by hand (the twenty-first session), each diagnosed with boto3's own error in
it: the steps shown must fit what the checks found, and say nothing that cannot apply here.

Same recipe as test_audit_setups4: a real broken setup (temp HOME, exact bytes, env vars), the
real error there, then `awsmedic diagnose --offline` in the same setup.
"""

from __future__ import annotations

import pytest

from tests.scenarios.setup import Setup, commands, evidence, texts
from tests.unit.probes.helpers import KEY, SECRET

pytestmark = pytest.mark.slow


def test_an_indented_secret_gets_no_step_for_the_javascript_sdks_colon_lines(
    setup: Setup,
) -> None:
    """botocore's PartialCredentialsError for an indented secret line: files.syntax names the
    line and the walk ends there, before creds.chain runs. The step for `name: value` lines
    applies only to a tool that reads `=` alone (the JavaScript SDK v3), which did not print
    this, so it is not shown with its placeholders as if it might apply."""
    setup.write(
        ".aws/credentials",
        f"[default]\naws_access_key_id = {KEY}\n  aws_secret_access_key = {SECRET}\n",
    )
    error = setup.boto3_error()
    assert "PartialCredentialsError" in error
    result = setup.diagnose(error, "--offline")
    assert result["diagnosis"]["cause"] == "config-file-syntax"
    assert "'aws_secret_access_key' is indented" in evidence(result)
    assert commands(result)[0].startswith("sed -i.bak '3s/^  aws_secret_access_key")
    assert "name: value" not in texts(result)
    assert "<colon_file>" not in str(result)


LEGACY_SSO = """\
[profile dev]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 123456789012
sso_role_name = Admin
region = eu-west-1
"""


def test_a_legacy_sso_profile_is_not_told_to_sign_in_to_an_sso_session(setup: Setup) -> None:
    """A profile with sso_start_url and no sso-session, never signed in: the sign-in step names
    the profile only; `aws sso login --sso-session <sso_session>` has no session to name."""
    setup.write(".aws/config", LEGACY_SSO)
    setup.env["AWS_PROFILE"] = "dev"
    error = setup.boto3_error()
    assert "Token for https://corp.awsapps.com/start does not exist" in error
    result = setup.diagnose(error, "--offline")
    assert result["diagnosis"]["cause"] == "sso-session-expired"
    assert "aws sso login --profile dev" in commands(result)
    assert not [c for c in commands(result) if "--sso-session" in c]
    assert "<sso_session>" not in texts(result)


def test_a_duration_over_the_role_limit_from_an_iam_users_keys(setup: Setup) -> None:
    """duration_seconds = 50000 on a role whose source profile holds an IAM user's keys: the
    value is out of range (the first fix), and the step for a source that is itself a role
    session (one hour at most) is not shown: the source is no role session."""
    setup.write(
        ".aws/credentials", f"[base]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    setup.write(
        ".aws/config",
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/Dev\nsource_profile = base\n"
        "duration_seconds = 50000\nregion = eu-west-1\n",
    )
    setup.env["AWS_PROFILE"] = "dev"
    # STS's answer (the local endpoint here is a closed port, so the text is STS's own)
    text = (
        "An error occurred (ValidationError) when calling the AssumeRole operation: The requested"
        " DurationSeconds exceeds the MaxSessionDuration set for this role."
    )
    result = setup.diagnose(text, "--offline")
    assert result["diagnosis"]["cause"] == "role-duration-exceeded"
    assert "duration_seconds 50000 is outside 900-43200 seconds" in evidence(result)
    assert "aws configure set duration_seconds 3600 --profile dev" in commands(result)
    assert "is itself a role session" not in texts(result)


IDP_KEYS = (
    "botocore.exceptions.InvalidIdentityTokenError: An error occurred (InvalidIdentityToken) when"
    " calling the AssumeRoleWithWebIdentity operation: Couldn't retrieve verification key from"
    " your identity provider,  please reference AssumeRoleWithWebIdentity documentation for"
    " requirements"
)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (IDP_KEYS, "STS could not fetch your identity provider's signing keys"),
        (
            IDP_KEYS.replace(
                "Couldn't retrieve verification key from your identity provider,  please reference"
                " AssumeRoleWithWebIdentity documentation for requirements",
                "Incorrect token audience",
            ),
            "In the trust policy of `arn:aws:iam::123456789012:role/ci`",
        ),
    ],
)
def test_sts_answered_a_token_this_machine_does_not_have(
    setup: Setup, text: str, first: str
) -> None:
    """STS refused a web identity token (or could not check it): the failing job had one, so
    the token file missing here (a laptop looking at a CI job's error) is no evidence, and the
    conclusion is only likely. Where STS could not fetch the provider's keys, the first step is
    to make them reachable, not the trust policy it never read."""
    setup.env["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/ci"
    setup.env["AWS_WEB_IDENTITY_TOKEN_FILE"] = str(setup.home / "absent" / "token")
    result = setup.diagnose(text, "--offline")
    assert result["diagnosis"]["cause"] == "web-identity-failure"
    assert result["diagnosis"]["confidence"] == "likely"
    assert "does not exist" not in evidence(result)
    assert result["steps"][0]["text"].startswith(first)
    if first.startswith("STS"):
        assert "trust policy of" not in texts(result)


def test_a_helper_whose_json_lacks_the_secret_without_consent_to_run_it(setup: Setup) -> None:
    """botocore's "Missing required key in response" says the helper ran, exited 0 and printed
    JSON of version 1 without a key: without consent to run the helper again, the text alone
    makes the cause likely, the step about the keys leads, and the steps for a program not
    found, output that is not JSON or a wrong version are not shown."""
    helper = setup.write(
        "bin/creds", f'#!/bin/sh\necho \'{{"Version": 1, "AccessKeyId": "{KEY}"}}\'\n'
    )
    helper.chmod(0o755)
    setup.write(".aws/config", f"[profile ci]\ncredential_process = {helper}\nregion = us-west-2\n")
    setup.env["AWS_PROFILE"] = "ci"
    error = setup.boto3_error()
    assert "Missing required key in response" in error
    result = setup.diagnose(error, "--offline")
    assert result["diagnosis"]["cause"] == "credential-process-failure"
    assert result["diagnosis"]["confidence"] == "likely"
    steps = [step["text"] for step in result["steps"]]
    assert steps[1].startswith("The helper's JSON must have `AccessKeyId` and `SecretAccessKey`")
    said = texts(result)
    assert 'Version": 1' not in said and "besides the JSON" not in said
    assert "starts cannot be run" not in said and "no shell syntax" not in said
