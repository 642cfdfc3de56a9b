"""A role ARN refused before any trust policy is read (empty, cut short, a role's name) has its
own family and cause, whichever layer refused it: botocore's and Go v1's parameter checks, or
STS's ValidationError. The same words from a SAML call lead to that family's causes, where the ARN
comes from the SAML response; from a web identity call, the ARN is still the cause."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsmedic.cli import main
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.test_copied_pastes import ranked
from tests.unit.test_trees_denied_network import walk

BOTOCORE = (
    "botocore.exceptions.ParamValidationError: Parameter validation failed:\n"
    "Invalid length for parameter RoleArn, value: 0, valid min length: 20"
)
# botocore before 1.20 wrote the range
OLD_BOTOCORE = (
    "Parameter validation failed:\nInvalid length for parameter RoleArn, value: 4, valid range:"
    " 20-inf"
)
GO_V1 = (
    "Error: error configuring Terraform AWS Provider: InvalidParameter: 1 validation error(s)"
    " found.\n- minimum field size of 20, AssumeRoleInput.RoleArn."
)
STS_LENGTH = (
    "An error occurred (ValidationError) when calling the AssumeRole operation: 1 validation error"
    " detected: Value 'ci-deployer' at 'roleArn' failed to satisfy constraint: Member must have"
    " length greater than or equal to 20"
)
STS_JAVA = (
    "com.amazonaws.services.securitytoken.model.AWSSecurityTokenServiceException: Request ARN is"
    " invalid (Service: AWSSecurityTokenService; Status Code: 400; Error Code: ValidationError;"
    " Request ID: 5b1c2d3e-0000-4000-8000-0123456789ab)"
)
# physera/onelogin-aws-cli#12
SAML = (
    "botocore.exceptions.ClientError: An error occurred (ValidationError) when calling the"
    " AssumeRoleWithSAML operation: Request ARN is invalid"
)
WEB_IDENTITY = (
    "An error occurred (ValidationError) when calling the AssumeRoleWithWebIdentity operation:"
    " Request ARN is invalid"
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


@pytest.mark.parametrize("text", [BOTOCORE, OLD_BOTOCORE, GO_V1, STS_LENGTH, STS_JAVA])
def test_the_profile_s_malformed_role_arn_confirms_it(knowledge: Knowledge, text: str) -> None:
    tree, cause, how, _ = walk(knowledge, text, {"role.settings": ("role-arn-malformed",)})
    assert (tree, cause, how) == ("role-arn", "role-arn-invalid", "confirmed")


@pytest.mark.parametrize("text", [BOTOCORE, STS_LENGTH])
def test_a_well_formed_profile_leaves_a_tool_s_setting_likely(
    knowledge: Knowledge, text: str
) -> None:
    """No role in the profile, or a good one: the ARN came from a tool, a variable or a secret."""
    for findings in [("no-role-profile",), ()]:
        tree, cause, how, _ = walk(knowledge, text, {"role.settings": findings})
        assert (tree, cause, how) == ("role-arn", "role-arn-invalid", "likely")


def test_saml_goes_to_its_own_family(knowledge: Knowledge) -> None:
    tree, cause, _, _ = walk(knowledge, SAML, {})
    assert tree == "saml-federation" and cause != "role-arn-invalid"


def test_a_web_identity_call_s_arn_is_still_the_arn(knowledge: Knowledge) -> None:
    """AWS_ROLE_ARN, the CI's role input or the service account's annotation holds an ARN STS
    refuses: the ARN is the cause (flyte on EKS: the service account named a role ARN not yet
    right), and the steps name those settings."""
    tree, cause, how, _ = walk(knowledge, WEB_IDENTITY, {})
    assert (tree, cause, how) == ("role-arn", "role-arn-invalid", "likely")
    family, causes = ranked(WEB_IDENTITY)
    assert (family, causes[0]) == ("role-arn", "role-arn-invalid")


def test_the_session_name_s_words_stay_with_their_family(knowledge: Knowledge) -> None:
    text = (
        "An error occurred (ValidationError) when calling the AssumeRole operation: 1 validation"
        " error detected: Value 'john doe' at 'roleSessionName' failed to satisfy constraint"
    )
    tree, _, _, _ = walk(knowledge, text, {"role.settings": ()})
    assert tree == "role-session-name"


def test_the_root_user_is_told_it_can_never_assume_a_role(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    """STS's own words for root keys as a role's source: no trust policy can change that, so the
    first step is about the source credentials, not the role's trust."""
    (home / ".aws" / "credentials").write_text(
        "[owner]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
    )
    (home / ".aws" / "config").write_text(
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = owner\n"
    )
    text = (
        "An error occurred (AccessDenied) when calling the AssumeRole operation: Roles may not be"
        " assumed by root accounts."
    )
    main(["diagnose", "--offline", "--no-input", "--profile", "admin", "--format", "json", text])
    output = json.loads(capsys.readouterr().out)
    assert output["diagnosis"]["cause"] == "assume-role-denied"
    assert output["questions"] == []
    first = output["steps"][0]
    assert "the root user can never assume a role" in first["text"]
    assert first["commands"] == ["aws sts get-caller-identity --profile owner"]
    steps = " ".join(step["text"] for step in output["steps"])
    assert "give its ARN to the role owner" not in steps
