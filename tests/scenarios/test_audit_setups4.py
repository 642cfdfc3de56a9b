"""Scenarios from a fourth outside audit: settings that win, or lose, where nobody expects.

Same recipe as test_audit_setups3: a real broken setup (temp HOME, exact bytes, env vars),
boto3's real error there, then `awsmedic diagnose` (or `check`) in the same setup; the verdict,
its evidence and the printed commands are checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenarios.setup import Setup, commands, evidence
from tests.unit.probes.helpers import KEY, SECRET, TOKEN

pytestmark = pytest.mark.slow

KEYS_TEXT = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"


@pytest.fixture
def setup(home: Path) -> Setup:
    made = Setup.fresh(home)
    made.secrets += [KEY, SECRET, TOKEN]
    return made


# -- no-region: an exported empty AWS_DEFAULT_REGION hides the config's region (s21) ----------


def test_an_empty_default_region_variable_seen_by_the_crt_signer(setup: Setup) -> None:
    """`AWS_DEFAULT_REGION=""` exported by a CI template, `region = eu-west-1` in ~/.aws/config.
    botocore's ChainProvider keeps the first value that is not None, so the region is '', and
    with awscrt installed its signer refuses to sign (error 6149). The region is the cause,
    not the credentials, and the fix is to drop the empty variable, not to set a region."""
    pytest.importorskip("awscrt", reason="the AWS CRT signs only where awscrt is installed")
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    setup.write(".aws/config", "[default]\nregion = eu-west-1\n")
    setup.env["AWS_DEFAULT_REGION"] = ""
    error = setup.boto3_error()
    assert "(AWS_AUTH_SIGNING_INVALID_CONFIGURATION)" in error
    result = setup.diagnose(error, "--offline")
    assert result["diagnosis"]["cause"] == "no-region"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "region 'eu-west-1' (~/.aws/config line 2 [default])" in evidence(result)
    assert commands(result)[0] == "unset AWS_DEFAULT_REGION"
    assert "export AWS_DEFAULT_REGION" not in " ".join(commands(result))
    assert "aws configure set region" not in " ".join(commands(result))
