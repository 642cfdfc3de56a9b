"""Scenarios from the fifth outside audit: client settings botocore refuses (s17/s18), the two
shared-file variables swapped (s15), and check's step for keys that shadow the config file's
(s16).

Same recipe as test_audit_setups4: a real broken setup (temp HOME, exact bytes, env vars), the
real error there, then `awsmedic diagnose` in the same setup.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenarios.setup import Setup, cause, commands, evidence, texts
from tests.unit.probes.helpers import KEY, SECRET, TOKEN

pytestmark = pytest.mark.slow

KEYS_TEXT = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"


@pytest.fixture
def setup(home: Path) -> Setup:
    made = Setup.fresh(home)
    made.secrets += [KEY, SECRET, TOKEN]
    return made


# -- s17/s18: a retry mode botocore refuses, from the variable or from the profile ------------


def test_a_retry_mode_variable_is_named_and_only_the_variable_is_fixed(setup: Setup) -> None:
    """s17: AWS_RETRY_MODE=fast. The evidence names the variable; the steps unset it, and show
    neither the profile's fix nor the AWS CLI's output format (which has nothing to do with it)."""
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    setup.write(".aws/config", "[default]\nregion = eu-west-1\n")
    setup.env["AWS_RETRY_MODE"] = "fast"
    error = setup.boto3_error()
    assert "InvalidRetryModeError" in error
    result = setup.diagnose(error, "--offline")
    assert cause(result) == "setting-value-invalid"
    assert "AWS_RETRY_MODE='fast' in the environment" in evidence(result)
    assert commands(result)[0] == "unset AWS_RETRY_MODE"
    assert not any("aws configure set" in command for command in commands(result))
    assert "AWS_DEFAULT_OUTPUT" not in texts(result)
    assert not any(command.startswith("env | grep") for command in commands(result))


def test_a_retry_mode_in_the_profile_is_named_by_its_line(setup: Setup) -> None:
    """s18: `retry_mode = bogus` in [profile dev] (line 3). The evidence names the line, the
    first step sets the profile's value, and no step unsets a variable that is not set."""
    setup.write(".aws/credentials", f"[dev]\n{KEYS_TEXT}")
    setup.write(
        ".aws/config", "[profile dev]\nregion = eu-west-1\nretry_mode = bogus\nmax_attempts = 5\n"
    )
    error = setup.boto3_error("dev")
    assert "InvalidRetryModeError" in error
    result = setup.diagnose(f"$ aws s3 ls --profile dev\n{error}", "--offline")
    assert cause(result) == "setting-value-invalid"
    assert "retry_mode = 'bogus' in ~/.aws/config line 3 [profile dev]" in evidence(result)
    assert commands(result)[0] == "aws configure set retry_mode standard --profile dev"
    assert not any(command.startswith("unset") for command in commands(result))
    assert "AWS_DEFAULT_OUTPUT" not in texts(result)
