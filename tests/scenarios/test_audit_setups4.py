"""Scenarios from a fourth outside audit: settings that win, or lose, where nobody expects.

Same recipe as test_audit_setups3: a real broken setup (temp HOME, exact bytes, env vars),
boto3's real error there, then `awsmedic diagnose` (or `check`) in the same setup; the verdict,
its evidence and the printed commands are checked.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.scenarios.setup import Setup, commands, evidence, texts
from tests.unit.probes.helpers import KEY, SECRET, TOKEN
from tests.unit.probes.test_clock import FakeAws

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


# -- clock-skew: a clock a day ahead makes a valid SSO token look expired (s11) --------------

FAKETIME = shutil.which("faketime")
SSO_CONFIG = (
    "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\n"
    "sso_role_name = Admin\nregion = eu-west-1\n\n"
    "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n"
    "sso_region = eu-west-1\n"
)


def _sso_token(setup: Setup, expires: datetime) -> None:
    """The cache file `aws sso login` leaves for sso-session 'corp', without a refresh token."""
    name = hashlib.sha1(b"corp").hexdigest()  # noqa: S324 (botocore's cache key)
    token = {
        "startUrl": "https://example.awsapps.com/start",
        "region": "eu-west-1",
        "accessToken": TOKEN,
        "expiresAt": f"{expires:%Y-%m-%dT%H:%M:%SZ}",
    }
    setup.write(f".aws/sso/cache/{name}.json", json.dumps(token))


@pytest.fixture
def aws_date(setup: Setup) -> Iterator[FakeAws]:
    """AWS's Date header, at the real time, from a server on 127.0.0.1."""
    server = FakeAws()
    setup.env["AWS_ENDPOINT_URL"] = server.url
    yield server
    server.close()


@pytest.mark.skipif(FAKETIME is None, reason="faketime is not installed (apt-get install faketime)")
def test_a_clock_a_day_ahead_makes_a_valid_sso_token_look_expired(
    setup: Setup, aws_date: FakeAws
) -> None:
    """The token was issued now and expires in 8 h, but this machine's clock is a day ahead
    (`faketime -f +1d`, for boto3 and awsmedic alike). botocore compares expiresAt with the
    local clock, so it says the token expired; by AWS time (the Date header) it is valid. The
    fix is the clock, not a new sign-in."""
    assert FAKETIME is not None
    ahead = [FAKETIME, "-f", "+1d"]
    setup.env.pop("AWS_DEFAULT_REGION")
    setup.env["AWS_PROFILE"] = "dev"
    setup.write(".aws/config", SSO_CONFIG)
    _sso_token(setup, datetime.now(UTC) + timedelta(hours=8))
    error = setup.boto3_error(prefix=ahead)
    assert "Token has expired and refresh failed" in error
    result = setup.diagnose(error, prefix=ahead)
    assert result["diagnosis"]["cause"] == "clock-skew"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "expired by this clock" in evidence(result)
    assert "but valid by AWS time" in evidence(result)
    assert "1 day ahead" in evidence(result)
    assert not any(command.startswith("aws sso login") for command in commands(result))
    # offline, the clock is not checked: the token looks expired, as before
    result = setup.diagnose(error, "--offline", prefix=ahead)
    assert result["diagnosis"]["cause"] == "sso-session-expired"


def test_an_sso_token_that_expired_by_aws_time_too(setup: Setup, aws_date: FakeAws) -> None:
    """The clock is right and the token expired an hour ago: a new sign-in is the fix."""
    setup.env.pop("AWS_DEFAULT_REGION")
    setup.env["AWS_PROFILE"] = "dev"
    setup.write(".aws/config", SSO_CONFIG)
    _sso_token(setup, datetime.now(UTC) - timedelta(hours=1))
    error = setup.boto3_error()
    assert "Token has expired and refresh failed" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "sso-session-expired"
    assert result["diagnosis"]["confidence"] == "confirmed"


# -- endpoint-variant-unavailable: FIPS endpoints on, in a region STS has none in (s24) -------

#: What AWS CLI v1 prints with AWS_USE_FIPS_ENDPOINT=true and eu-west-1 (no test resolves an
#: AWS host name: the audit ran it without a network, `unshare -n`).
FIPS_ERROR = 'Could not connect to the endpoint URL: "https://sts-fips.eu-west-1.amazonaws.com/"'


@pytest.mark.parametrize(
    ("where", "fix"),
    [
        ("env", "unset AWS_USE_FIPS_ENDPOINT"),
        ("config", "aws configure set use_fips_endpoint false --profile default"),
    ],
)
def test_fips_endpoints_turned_on_in_a_region_without_them(
    setup: Setup, where: str, fix: str
) -> None:
    """`AWS_USE_FIPS_ENDPOINT=true` (or `use_fips_endpoint = true`), copied from a GovCloud
    pipeline, with eu-west-1: botocore builds sts-fips.eu-west-1.amazonaws.com, which its own
    endpoints data does not list (STS has FIPS endpoints in US and GovCloud regions only). No
    endpoint URL is set: the evidence names the setting, and the first step turns it off."""
    setup.env.pop("AWS_ENDPOINT_URL")
    setup.env.pop("AWS_DEFAULT_REGION")
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    config = "[default]\nregion = eu-west-1\n"
    if where == "env":
        setup.env["AWS_USE_FIPS_ENDPOINT"] = "true"
    else:
        config += "use_fips_endpoint = true\n"
    setup.write(".aws/config", config)
    result = setup.diagnose(FIPS_ERROR, "--offline")
    assert result["diagnosis"]["cause"] == "endpoint-variant-unavailable"
    assert result["diagnosis"]["confidence"] == "confirmed"
    said = evidence(result)
    named = "AWS_USE_FIPS_ENDPOINT=true" if where == "env" else "use_fips_endpoint = true"
    assert named in said
    assert "no FIPS endpoint for sts in eu-west-1" in said
    assert "custom endpoint" not in str(result["diagnosis"]).lower()
    assert commands(result)[0] == fix
    assert not any("endpoint_url" in command for command in commands(result))


def test_fips_endpoints_in_a_region_that_has_them_are_not_blamed(setup: Setup) -> None:
    """us-east-1 has sts-fips: a failure to reach it is not the setting's."""
    setup.env.pop("AWS_ENDPOINT_URL")
    setup.env["AWS_USE_FIPS_ENDPOINT"] = "true"
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    text = FIPS_ERROR.replace("eu-west-1", "us-east-1")
    result = setup.diagnose(text, "--offline")
    assert "no FIPS endpoint" not in str(result)


# -- invalid-region: a steps' condition on a probe that never ran (s07) -----------------------


def test_a_mistyped_region_with_no_terraform_anywhere(setup: Setup) -> None:
    """`[default] region = eu-west-1`, and below it `[profile default] region = eu-wset-1`,
    which botocore takes (the later section replaces the earlier). The walk of the connection
    error reached invalid-region without reading where the region comes from, so the step for
    a region written in Terraform (`terraform init -reconfigure`) was shown as one that may
    apply. The region probe runs now: no Terraform step, and the evidence names the line."""
    setup.env.pop("AWS_ENDPOINT_URL")
    setup.env.pop("AWS_DEFAULT_REGION")
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    setup.write(
        ".aws/config", "[default]\nregion = eu-west-1\n\n[profile default]\nregion = eu-wset-1\n"
    )
    text = (
        "botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL:"
        ' "https://sts.eu-wset-1.amazonaws.com/"'
    )
    result = setup.diagnose(text, "--offline")
    assert result["diagnosis"]["cause"] == "invalid-region"
    region = next(p for p in result["probes"] if p["id"] == "config.region")
    assert "~/.aws/config line 5 [profile default]" in region["summary"]
    every = " ".join(commands(result)) + texts(result)
    assert "terraform" not in every.lower()
    assert "AWS_DEFAULT_REGION is exported but empty" not in every
    assert "export AWS_DEFAULT_REGION" not in every
