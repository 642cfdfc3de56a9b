"""Scenarios from a fourth outside audit: set-ups that work for one tool and not another.

Same recipe as test_audit_setups3: a real broken setup (temp HOME, exact bytes, env vars), the
error the tool printed there, then `awsmedic diagnose` in the same setup; the verdict, its
evidence and every printed command are checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenarios.setup import Setup, commands, evidence
from tests.unit.probes.helpers import KEY, SECRET, TOKEN

pytestmark = pytest.mark.slow

KEYS_TEXT = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
#: What the JavaScript SDK v3 (@aws-sdk/client-sts 3.x under Node 20) printed when its chain
#: found no credentials (audit 4, s32).
JS_NO_CREDENTIALS = "CredentialsProviderError: Could not load credentials from any providers"


@pytest.fixture
def setup(home: Path) -> Setup:
    made = Setup.fresh(home)
    made.secrets += [KEY, SECRET, TOKEN]
    return made


def test_the_javascript_sdk_does_not_read_aws_default_profile(setup: Setup) -> None:
    """s32: only AWS_DEFAULT_PROFILE=dev is exported and [default] has no keys. boto3 works
    (botocore reads AWS_DEFAULT_PROFILE); the JavaScript SDK v3 reads AWS_PROFILE only
    (@smithy getProfileName), so it used `default` and found nothing. The chain is walked for
    `default`, says why, and the fix is the variable the SDK reads."""
    setup.write(".aws/credentials", f"[dev]\n{KEYS_TEXT}")
    setup.write(
        ".aws/config", "[default]\nregion = eu-west-1\n\n[profile dev]\nregion = eu-west-1\n"
    )
    setup.env["AWS_DEFAULT_PROFILE"] = "dev"
    result = setup.diagnose(JS_NO_CREDENTIALS, "--offline")
    assert result["diagnosis"]["cause"] == "wrong-profile-selected"
    said = evidence(result)
    assert (
        "profile 'default' (default; AWS_DEFAULT_PROFILE=dev is set, but the JavaScript SDK" in said
    )
    assert commands(result)[0] == "export AWS_PROFILE=dev"
    assert "unset AWS_DEFAULT_PROFILE" not in str(result)


def test_an_empty_aws_region_hides_the_profiles_region_from_the_javascript_sdk(
    setup: Setup,
) -> None:
    """s22: AWS_REGION="" (exported empty) and `region = eu-west-1` in ~/.aws/config. The
    JavaScript SDK v3 reads AWS_REGION before the profile, and an empty value is still one
    (@smithy fromEnv gives up on `undefined` only), so checkRegion refused `""`. The evidence
    named eu-west-1 as the region and the body called it mistyped; now the paste is the JS SDK's,
    the region is the empty variable, and the step removes it."""
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    setup.write(".aws/config", "[default]\nregion = eu-west-1\n")
    setup.env["AWS_REGION"] = ""
    setup.env.pop("AWS_DEFAULT_REGION", None)
    paste = 'Error: Region not accepted: region="" is not a valid hostname component.'
    result = setup.diagnose(paste, "--offline")
    assert result["diagnosis"]["cause"] == "invalid-region"
    said = evidence(result)
    assert "region '' (env, AWS_REGION) is empty, and the JavaScript SDK v3 reads" in said
    assert "it hides region 'eu-west-1' (~/.aws/config line 2 [default])" in said
    assert "is a known region" not in said
    assert commands(result)[:2] == ["unset AWS_REGION", "export AWS_REGION=eu-west-1"]
    assert "aws configure set region" not in str(result["steps"])


def test_the_javascript_sdk_reads_home_in_a_file_variable_as_written(setup: Setup) -> None:
    """s20a: AWS_SHARED_CREDENTIALS_FILE='$HOME/.aws/work-credentials' (single quotes in a
    .env file). botocore expands it (expandvars) and finds the keys; the JavaScript SDK v3
    replaces only a leading `~/` (@smithy loadSharedConfigFiles) and found no file. It was
    judged "found here" with `unset AWS_SHARED_CREDENTIALS_FILE` as a step, which drops the
    only credentials file; now the fix is the absolute path."""
    written = setup.write(".aws/work-credentials", f"[default]\n{KEYS_TEXT}")
    setup.env["AWS_SHARED_CREDENTIALS_FILE"] = "$HOME/.aws/work-credentials"
    result = setup.diagnose(JS_NO_CREDENTIALS, "--offline")
    assert result["diagnosis"]["cause"] == "credentials-file-location"
    assert result["diagnosis"]["confidence"] == "confirmed"
    said = evidence(result)
    assert (
        "AWS_SHARED_CREDENTIALS_FILE='$HOME/.aws/work-credentials' is ~/.aws/work-credentials"
        " for botocore, which expands it, but the JavaScript SDK v3 replaces only a leading ~/"
    ) in said
    assert commands(result)[0] == f"export AWS_SHARED_CREDENTIALS_FILE={written}"
    assert not [c for c in commands(result) if c.startswith("unset")]
    assert result["questions"] == [] or all(
        q.get("id") != "same-environment" for q in result["questions"]
    )
    # A leading `~/` the SDK does expand: nothing to say about the variable.
    setup.env["AWS_SHARED_CREDENTIALS_FILE"] = "~/.aws/work-credentials"
    result = setup.diagnose(JS_NO_CREDENTIALS, "--offline")
    assert "replaces only a leading ~/" not in evidence(result)
