"""Scenarios from a fourth outside audit: set-ups that work for one tool and not another,
settings that win or lose where nobody expects, and the steps for a cause that was found right.

Same recipe as test_audit_setups3: a real broken setup (temp HOME, exact bytes, env vars), the
real error there (boto3's, or the text a tool printed for the same setup), then `awsmedic
diagnose` (or `check`) in the same setup; the verdict, its evidence, its first step and every
printed command are checked.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tests.scenarios.setup import KEYS_TEXT, Setup, cause, commands, evidence, texts
from tests.unit.probes.helpers import KEY, SECRET, TOKEN
from tests.unit.probes.test_clock import FakeAws

pytestmark = pytest.mark.slow

#: What the JavaScript SDK v3 (@aws-sdk/client-sts 3.x under Node 20) printed when its chain
#: found no credentials (audit 4, s32).
JS_NO_CREDENTIALS = "CredentialsProviderError: Could not load credentials from any providers"


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


def first_command(result: dict[str, object]) -> str:
    """The command "In short, first" names: the first command of the first step that has one."""
    return commands(result)[0]  # type: ignore[arg-type]


# -- role-arn: Terraform's assume_role block holds a role's name (s30) -----------------------

MAIN_TF = """\
terraform {
  required_providers { aws = { source = "hashicorp/aws" } }
}
provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn = "deploy"
  }
}
data "aws_caller_identity" "me" {}
"""

# `terraform plan -no-color` for MAIN_TF (Terraform 1.x, hashicorp/aws 5.100).
TF_ERROR = """\
Error: "assume_role.0.role_arn" (deploy) is an invalid ARN: arn: invalid prefix

  with provider["registry.terraform.io/hashicorp/aws"],
  on main.tf line 7, in provider "aws":
   7:     role_arn = "deploy"
"""


@pytest.mark.parametrize("in_the_directory", [True, False])
def test_a_terraform_assume_role_block_with_a_role_name(
    setup: Setup, in_the_directory: bool
) -> None:
    """`assume_role { role_arn = "deploy" }`: the provider refuses the value before any request
    (verify.ValidARN). It was not recognised at all; now it is role-arn-invalid, and the step
    names the line of main.tf and how to find the role's ARN, whether awsmedic runs in the
    Terraform directory or not (the excerpt under the error names both)."""
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    if in_the_directory:
        (setup.home.parent / "main.tf").write_text(MAIN_TF)
    result = setup.diagnose(TF_ERROR, "--offline")
    assert result["diagnosis"]["cause"] == "role-arn-invalid"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "main.tf line 7" in result["steps"][0]["text"]
    assert "`deploy`" in result["steps"][0]["text"]
    assert first_command(result) == (
        "aws iam get-role --role-name deploy --query Role.Arn --output text"
    )
    assert "[profile default]" not in texts(result)


# -- credential-process-failure: the helper's interpreter is not installed (s05) -------------


def test_a_helper_script_whose_interpreter_is_not_installed(setup: Setup) -> None:
    """`#!/usr/bin/env python2` with no python2 on PATH: env exits with 127 and botocore wraps
    its message. The first step names the missing interpreter (read from the script's first
    line: no consent needed), and the steps about the helper's JSON, which never ran, stay out;
    the same with the message alone, as the AWS CLI prints it."""
    setup.env.update(PATH="/usr/bin:/bin", AWS_PROFILE="dev")
    script = setup.write("bin/aws-creds", "#!/usr/bin/env python2\nprint('{\"Version\": 1}')\n")
    script.chmod(0o755)
    setup.write(
        ".aws/config",
        f"[profile dev]\ncredential_process = {script} --account dev\nregion = eu-west-1\n",
    )
    error = setup.boto3_error()
    assert "custom-process: /usr/bin/env:" in error and "python2" in error
    message = error.partition("CredentialRetrievalError: ")[2]
    for text in (error, message):
        result = setup.diagnose(text, "--offline")
        assert result["diagnosis"]["cause"] == "credential-process-failure"
        assert result["diagnosis"]["confidence"] == "confirmed"
        assert "`python2`" in result["steps"][0]["text"]
        assert "install" in result["steps"][0]["text"]
        assert "Version" not in texts(result) and "absolute path" not in texts(result)


# -- config-file-syntax: a credentials file without any section header (s28) -----------------


def test_a_credentials_file_without_a_section_header(setup: Setup) -> None:
    """Keys on lines 1-2 and no header: ConfigParseError. `aws configure` cannot read such a
    file either (it fails with the same error), so the first step is the exact edit, a
    `[default]` header put before line 1, and no step sends the user to `aws configure` first."""
    credentials = setup.write(".aws/credentials", KEYS_TEXT)
    error = setup.boto3_error()
    assert "ConfigParseError: Unable to parse config file" in error
    result = setup.diagnose(error, "--offline")
    assert result["diagnosis"]["cause"] == "config-file-syntax"
    first = result["steps"][0]
    assert first["edit"]["line"] == 1 and first["edit"]["after"].startswith("[default]\n")
    assert first_command(result).startswith("sed -i.bak ")
    assert "aws configure --profile default" not in commands(result)
    subprocess.run(["sh", "-c", first_command(result)], cwd=setup.home, env=setup.env, check=True)
    assert credentials.read_text() == f"[default]\n{KEYS_TEXT}"
    assert "ConfigParseError" not in setup.boto3_error()


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
    # the two sections compete: the one that is read is named, and the other is not the fix
    assert (
        "~/.aws/config line 1 [default] and ~/.aws/config line 4 [profile default] are both the"
        " default profile: botocore reads only the later one's settings" in region["summary"]
    )
    every = " ".join(commands(result)) + texts(result)
    assert "terraform" not in every.lower()
    assert "AWS_DEFAULT_REGION is exported but empty" not in every
    assert "export AWS_DEFAULT_REGION" not in every


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
    assert commands(result)[0] == "unset AWS_REGION"
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


# -- credentials-file-location: a shared file that is there but botocore skips (s13, s15) ----


def test_a_credentials_file_that_is_a_directory_holding_the_file(setup: Setup) -> None:
    """s13: ~/.aws/credentials is a directory (a dotfiles sync made it) and the keys are in
    ~/.aws/credentials/credentials. botocore's raw_config_parse skips a path that is not a file
    (os.path.isfile), so nothing is found. The first step moves the real file into place, and
    no step sends the user to sudo, cron or systemd: the file is broken here, for everyone."""
    setup.write(".aws/credentials/credentials", f"[default]\n{KEYS_TEXT}")
    setup.write(".aws/config", "[default]\nregion = eu-west-1\n")
    error = setup.boto3_error()
    assert "Unable to locate credentials" in error
    result = setup.diagnose(error, "--offline")
    assert result["diagnosis"]["cause"] == "credentials-file-location"
    assert "it is a directory holding ~/.aws/credentials/credentials" in evidence(result)
    assert first_command(result) == (
        "mv ~/.aws/credentials ~/.aws/credentials.d"
        " && mv ~/.aws/credentials.d/credentials ~/.aws/credentials"
    )
    said = texts(result)
    assert "Under `sudo`" not in said and "cron" not in said
    subprocess.run(["sh", "-c", first_command(result)], cwd=setup.home, env=setup.env, check=True)
    assert "Unable to locate credentials" not in setup.boto3_error()


def test_a_credentials_file_that_is_a_loop_of_symbolic_links(setup: Setup) -> None:
    """s15a: ~/.aws/credentials -> credentials.bak -> credentials. The evidence shows the loop
    and the step removes the link; nothing about sudo or another user's home."""
    aws = setup.home / ".aws"
    aws.mkdir(exist_ok=True)
    (aws / "credentials").symlink_to("credentials.bak")
    (aws / "credentials.bak").symlink_to("credentials")
    setup.write(".aws/config", "[default]\nregion = eu-west-1\n")
    error = setup.boto3_error()
    assert "Unable to locate credentials" in error
    result = setup.diagnose(error, "--offline")
    assert result["diagnosis"]["cause"] == "credentials-file-location"
    assert (
        "~/.aws/credentials -> ~/.aws/credentials.bak -> ~/.aws/credentials is a loop"
        in evidence(result)
    )
    assert "rm ~/.aws/credentials" in commands(result)[:3]
    said = texts(result)
    assert "Under `sudo`" not in said and "cron" not in said


def test_a_config_file_that_links_into_dotfiles_not_checked_out(setup: Setup) -> None:
    """s15b: ~/.aws/config is a symbolic link into ~/dotfiles, which is not there; [profile dev]
    lived in it and AWS_PROFILE=dev. botocore says ProfileNotFound. The walk names the dangling
    link (credentials-file-location), and the first step restores the link's target: `aws
    configure --profile dev` would write through the link (creating the target with only what
    is typed, or failing when its folder is missing), so no step leads with it."""
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    (setup.home / ".aws" / "config").symlink_to(setup.home / "dotfiles" / "aws" / "config")
    setup.env["AWS_PROFILE"] = "dev"
    error = setup.boto3_error()
    assert "The config profile (dev) could not be found" in error
    result = setup.diagnose(error, "--offline")
    assert result["diagnosis"]["cause"] == "credentials-file-location"
    assert "a symbolic link to ~/dotfiles/aws/config, which does not exist" in evidence(result)
    first = result["steps"][0]["text"]
    assert first.startswith("`~/.aws/config` is a symbolic link to `~/dotfiles/aws/config`")
    assert "Restore `~/dotfiles/aws/config`" in first
    assert first_command(result) == "ls -lL ~/.aws/config"
    assert not any(command.startswith("aws configure") for command in commands(result))
    assert "Under `sudo`" not in texts(result)


# -- stray-characters: keys and region exported from a .env file with CRLF endings (s27) -----


def test_keys_and_region_exported_from_a_crlf_env_file(setup: Setup) -> None:
    """s27: `export $(grep -v '^#' .env | xargs)` of a .env saved with Windows line endings:
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION each end in `\\r`, and
    boto3 stops with InvalidRegionError. There is no ~/.aws/credentials, and keys written there
    would lose to the variables anyway: the first step converts the file and exports it again,
    and no step sends the user to `aws configure`."""
    env_file = setup.write(
        ".env",
        f"AWS_ACCESS_KEY_ID={KEY}\r\nAWS_SECRET_ACCESS_KEY={SECRET}\r\n"
        "AWS_DEFAULT_REGION=eu-west-1\r\n",
    )
    setup.env.update(
        AWS_ACCESS_KEY_ID=f"{KEY}\r",
        AWS_SECRET_ACCESS_KEY=f"{SECRET}\r",
        AWS_DEFAULT_REGION="eu-west-1\r",
    )
    error = setup.boto3_error()
    assert "InvalidRegionError: Provided region_name 'eu-west-1" in error
    result = setup.diagnose(error, "--offline")
    assert result["diagnosis"]["cause"] == "stray-characters"
    first = first_command(result)
    assert first == "dos2unix .env && set -a && . ./.env && set +a"
    assert not any(command.startswith("aws configure") for command in commands(result))
    # The same, where dos2unix is missing: the step's sed, then the export of the first command.
    sed = next(command for command in commands(result) if command.startswith("sed "))
    export = first.removeprefix("dos2unix .env && ")
    shell = subprocess.run(
        ["sh", "-c", f"{sed} && {export} && env"],
        cwd=setup.home,
        env=setup.env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert b"\r" not in env_file.read_bytes()
    assert "AWS_DEFAULT_REGION=eu-west-1\n" in shell.stdout
    assert "\r" not in shell.stdout


# -- setting-value-invalid: the AWS CLI's output format (s25) --------------------------------


def test_an_output_format_the_cli_does_not_know(setup: Setup) -> None:
    """s25: `AWS_DEFAULT_OUTPUT=yml` stops every AWS CLI v1 command after the call, with
    "Unknown output type: yml" (awscli/formatter.py). Recognised as the setting's value, and the
    step removes the variable (or writes a format the CLI knows); no retry or metadata steps."""
    setup.env["AWS_DEFAULT_OUTPUT"] = "yml"
    result = setup.diagnose("$ aws sts get-caller-identity\nUnknown output type: yml", "--offline")
    assert result["diagnosis"]["cause"] == "setting-value-invalid"
    assert "unset AWS_DEFAULT_OUTPUT" in commands(result)
    assert "aws configure set output json --profile default" in commands(result)
    assert not any("MAX_ATTEMPTS" in c or "METADATA" in c for c in commands(result)[1:])


# -- stale-session-token: a credential_process helper that prints a token with an AKIA key (s06) -

#: What boto3 raised in s06, where moto (auth on) refused the helper's AKIA key and token.
INVALID_TOKEN = (
    "botocore.exceptions.ClientError: An error occurred (InvalidClientTokenId) when calling the"
    " GetCallerIdentity operation: The security token included in the request is invalid."
)


def helper_printing(setup: Setup, **printed: str) -> None:
    payload = json.dumps({"Version": 1, "SecretAccessKey": SECRET, **printed})
    script = setup.write("bin/creds.sh", f"#!/bin/sh\necho '{payload}'\n")
    script.chmod(0o755)
    setup.write(
        ".aws/config", f"[profile dev]\ncredential_process = {script}\nregion = eu-west-1\n"
    )
    setup.env["AWS_PROFILE"] = "dev"


def test_a_helper_that_prints_a_session_token_with_a_long_term_key(setup: Setup) -> None:
    """s06: the helper prints new AKIA keys and an old SessionToken (no Expiration); botocore
    sends the token as printed and AWS refuses the pair. With consent to run the helper, the
    shape of its output names the cause, and the first step is the helper's, not `unset`."""
    helper_printing(setup, AccessKeyId=KEY, SessionToken=TOKEN)
    result = setup.diagnose(INVALID_TOKEN, "--offline", "--answer", "consent:creds.process=yes")
    assert result["diagnosis"]["cause"] == "stale-session-token"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "long-term AKIA key together with a SessionToken" in evidence(result)
    assert commands(result)[0] == "aws configure get credential_process --profile dev"
    assert "unset AWS_SESSION_TOKEN" not in texts(result)


def test_a_helper_that_prints_a_temporary_key_without_its_token(setup: Setup) -> None:
    helper_printing(setup, AccessKeyId="ASIA" + KEY[4:])
    result = setup.diagnose(INVALID_TOKEN, "--offline", "--answer", "consent:creds.process=yes")
    assert result["diagnosis"]["cause"] == "missing-session-token"
    assert commands(result)[0] == "aws configure get credential_process --profile dev"
    assert "aws configure sso" not in texts(result)


def test_without_consent_a_helper_profile_is_not_told_to_fix_its_token(setup: Setup) -> None:
    """Unanswered, the helper does not run: the candidates are those of a key AWS does not
    know (the copied-token causes weigh little when a helper supplies all three values), and
    no step claims what the helper prints, nor that the key and secret "look swapped"."""
    helper_printing(setup, AccessKeyId=KEY, SessionToken=TOKEN)
    result = setup.diagnose(INVALID_TOKEN, "--offline")  # the setup's local endpoint is set
    assert result["diagnosis"] is None
    assert cause(result) == "endpoint-override"
    del setup.env["AWS_ENDPOINT_URL"]  # --offline: nothing is sent anywhere
    result = setup.diagnose(INVALID_TOKEN, "--offline")
    assert result["diagnosis"] is None
    top = [candidate["cause"] for candidate in result["candidates"][:3]]
    assert "missing-session-token" not in top and "stale-session-token" not in top
    assert "endpoint-override" not in top
    assert "credential_process helper" not in texts(result)
    assert "look swapped" not in texts(result)


# -- config-file-syntax: `name: value` key lines, which the JavaScript SDK v3 skips (s33) -------


def test_colon_key_lines_the_javascript_sdk_does_not_read(setup: Setup) -> None:
    """s33: `aws_access_key_id: AKIA…` in ~/.aws/credentials. botocore's configparser reads
    `:` as it reads `=`; the JavaScript SDK v3 splits lines at `=` only (@smithy parseIni), so
    it found no credentials. The first step rewrites those lines, and does it right."""
    path = setup.write(
        ".aws/credentials",
        f"[default]\naws_access_key_id: {KEY}\naws_secret_access_key : {SECRET}\n"
        "region = eu-west-1\n",
    )
    result = setup.diagnose(JS_NO_CREDENTIALS, "--offline")
    assert result["diagnosis"]["cause"] == "config-file-syntax"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "lines 2, 3 (aws_access_key_id, aws_secret_access_key)" in evidence(result)
    first = commands(result)[0]
    assert first.startswith("sed -i.bak ") and first.endswith(" ~/.aws/credentials")
    subprocess.run(["bash", "-c", first], env=setup.env, check=True, timeout=30)
    assert path.read_text() == (
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
        "region = eu-west-1\n"
    )
    assert "aws_access_key_id:" in (path.parent / "credentials.bak").read_text()


def test_colon_key_lines_are_no_problem_for_botocore(setup: Setup) -> None:
    """The same file is read by boto3, which found the keys: the colon lines are not named."""
    setup.write(".aws/credentials", f"[default]\naws_access_key_id: {KEY}\n")
    result = setup.diagnose(
        "botocore.exceptions.NoCredentialsError: Unable to locate credentials", "--offline"
    )
    assert "name: value" not in str(result)
