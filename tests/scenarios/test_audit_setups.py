"""Scenarios from an outside audit: broken set-ups that users make, diagnosed as they pasted them.

Same recipe as test_files_and_profiles: a real broken setup (temp HOME, exact bytes, env vars),
boto3's real error there, then `awsmedic diagnose` in the same setup; the verdict, its evidence
and every printed command are checked.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests import fakecli
from tests.scenarios.setup import Setup, cause, commands, evidence, texts
from tests.unit.probes.helpers import KEY, SECRET

pytestmark = pytest.mark.slow

KEYS = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
START = "https://acme.awsapps.com/start"


@pytest.fixture
def setup(home: Path) -> Setup:
    made = Setup.fresh(home)
    made.secrets += [KEY, SECRET]
    return made


# -- profile-not-found ----------------------------------------------------------------------


def test_a_key_id_without_its_secret_in_the_environment(setup: Setup) -> None:
    """The evidence is readable: no word of awsmedic's own sentence is masked as if it were the
    secret (`AWS_SECRET_ACCESS_KEY: botocore` read as an assignment)."""
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    setup.env["AWS_ACCESS_KEY_ID"] = KEY
    error = setup.boto3_error()
    assert "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "env-key-id-without-secret"
    assert "botocore stops with PartialCredentialsError" in evidence(result)
    assert "redacted" not in evidence(result)


def test_a_stale_default_profile_variable_hides_aws_profile(setup: Setup) -> None:
    """AWS_DEFAULT_PROFILE left from an old job wins over the AWS_PROFILE the user set."""
    setup.write(".aws/credentials", f"[work]\n{KEYS}")
    setup.env.update(AWS_DEFAULT_PROFILE="oldjob", AWS_PROFILE="work")
    error = setup.boto3_error()
    assert "The config profile (oldjob) could not be found" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "profile-not-found"
    assert result["diagnosis"]["confidence"] == "confirmed"
    shown = evidence(result)
    assert "profile 'oldjob' (AWS_DEFAULT_PROFILE) is defined in neither" in shown
    assert "AWS_PROFILE=work is set too" in shown
    assert "unset AWS_DEFAULT_PROFILE" in commands(result)
    # Unsetting both would lose the AWS_PROFILE that names the right profile.
    assert "unset AWS_PROFILE AWS_DEFAULT_PROFILE" not in commands(result)


def test_a_missing_profile_is_shown_as_evidence(setup: Setup) -> None:
    """No near name: the confirmed verdict still says which profile, from where, is missing."""
    setup.write(".aws/credentials", f"[default]\n{KEYS}[stage]\n{KEYS}")
    setup.env["AWS_PROFILE"] = "staging"
    result = setup.diagnose(setup.boto3_error())
    assert result["diagnosis"]["cause"] == "profile-not-found"
    assert "profile 'staging' (AWS_PROFILE) is defined in neither" in evidence(result)
    assert "profiles: default, stage" in evidence(result)


def test_an_empty_aws_profile_is_not_a_profile_to_create(setup: Setup) -> None:
    """`export AWS_PROFILE=` asks for a profile named '': unset it; `default` exists already."""
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    setup.env["AWS_PROFILE"] = ""
    error = setup.boto3_error()
    assert "The config profile () could not be found" in error
    result = setup.diagnose(error)
    assert cause(result) == "profile-not-found"
    assert "the profile name is empty (AWS_PROFILE)" in evidence(result)
    assert "unset AWS_PROFILE AWS_DEFAULT_PROFILE" in commands(result)
    assert "aws configure --profile default" not in commands(result)
    assert "compare them with `default`" not in texts(result)


def test_default_asked_for_by_name_with_only_environment_keys(setup: Setup) -> None:
    """Keys in the environment, no files, and `profile_name="default"` (or `--profile default`):
    botocore wants a [default] section. The verdict names it, not an empty evidence list."""
    setup.env.update(AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET)
    error = setup.boto3_error("default")
    assert "The config profile (default) could not be found" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "profile-not-found"
    assert "profile 'default'" in evidence(result)
    assert "is defined in neither ~/.aws/credentials nor ~/.aws/config" in evidence(result)


@pytest.mark.parametrize("name", ["minikube", "k3d", "openshift"])
def test_a_profile_named_after_a_local_cluster(setup: Setup, name: str) -> None:
    """A missing AWS profile named like a Kubernetes cluster is still botocore's error, not a
    cluster outside EKS (the look-alike fired on the name alone)."""
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    setup.env["AWS_PROFILE"] = name
    error = setup.boto3_error()
    assert f"The config profile ({name}) could not be found" in error
    result = setup.diagnose(error)
    assert result["lookalike"] is None
    assert result["diagnosis"]["cause"] == "profile-not-found"
    assert f"profile '{name}' (AWS_PROFILE) is defined in neither" in evidence(result)


# -- sso-session-expired with AWS CLI version 1 ----------------------------------------------


def test_an_expired_sso_sign_in_with_cli_v1_installed(setup: Setup, tmp_path: Path) -> None:
    """CLI v1 has no `sso login`: the step says the installed CLI is version 1 (not that none
    was found), to install version 2, and the sign-in to run with it."""
    v1 = fakecli.install(tmp_path / "cli-v1", fakecli.V1)
    setup.env["PATH"] = f"{v1}{os.pathsep}{setup.env['PATH']}"
    setup.write(
        ".aws/config",
        "[profile dev]\nsso_session = acme\nsso_account_id = 123456789012\n"
        f"sso_role_name = Admin\n[sso-session acme]\nsso_start_url = {START}\n"
        "sso_region = eu-west-1\n",
    )
    name = hashlib.sha1(b"acme").hexdigest()  # noqa: S324 (botocore's cache file name)
    expired = (datetime.now(UTC) - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    setup.write(
        f".aws/sso/cache/{name}.json",
        json.dumps({"accessToken": "aoa" + "Q" * 60, "expiresAt": expired}),
    )
    error = setup.boto3_error("dev")
    result = setup.diagnose(error, "--profile", "dev")
    assert result["diagnosis"]["cause"] == "sso-session-expired"
    assert "the `aws` here is version 1" in texts(result)
    assert "no AWS CLI was found" not in texts(result)
    # The sign-in to run once version 2 is installed, in the step that installs it (audit 3).
    first = result["steps"][0]
    assert "install version 2" in first["text"]
    assert first["commands"][0] == "aws sso login --profile dev", result["steps"]


# -- mfa-required: a role profile's MFA prompt with nobody to answer it ----------------------


def test_an_mfa_prompt_in_a_job_without_a_terminal(setup: Setup) -> None:
    """botocore prompts for the role's MFA code; without a terminal getpass reads an empty stdin
    and the traceback ends in EOFError. It is no access-denied refusal: nothing reached AWS."""
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    setup.write(
        ".aws/config",
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
        "source_profile = default\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n",
    )
    code = "import boto3\nboto3.Session(profile_name='admin').client('sts').get_caller_identity()\n"
    ran = subprocess.run(
        [sys.executable, "-c", code],
        env=setup.env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # no controlling terminal: getpass falls back to stdin
    )
    error = ran.stdout + ran.stderr
    assert "Enter MFA code for arn:aws:iam::123456789012:mfa/alice:" in error
    assert error.rstrip().endswith("EOFError")
    result = setup.diagnose(error, "--profile", "admin")
    assert result["diagnosis"]["cause"] == "mfa-required"
    assert "Enter MFA code for" in evidence(result)
    assert "without a terminal" in texts(result)
    assert not any("get-session-token" in command for command in commands(result))


# -- credential-process-failure: the helper's program cannot be started ----------------------


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("aws-vault export --format=json dev", "'aws-vault' is not on PATH"),
        ("~/bin/okta-helper --profile dev", "needs a shell to expand it"),
    ],
    ids=["not-on-path", "tilde"],
)
def test_a_credential_process_program_that_cannot_start(
    setup: Setup, command: str, says: str
) -> None:
    """botocore lets Popen's FileNotFoundError through unwrapped: the paste is one bare line.
    Finding the program is a lookup, so no consent is asked and nothing is run."""
    setup.write("bin/okta-helper", '#!/bin/sh\ntouch "$HOME/ran"\n').chmod(0o755)
    setup.write(".aws/config", f"[profile dev]\ncredential_process = {command}\n")
    setup.env["AWS_PROFILE"] = "dev"
    error = setup.boto3_error()
    assert "FileNotFoundError: [Errno 2] No such file or directory:" in error
    result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "credential-retrieval"
    assert result["diagnosis"]["cause"] == "credential-process-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert says in evidence(result)
    assert "~/.aws/config line 2 [profile dev]" in evidence(result)
    assert result["questions"] == []
    assert "full path" in texts(result)
    assert not (setup.home / "ran").exists()


def test_a_credential_process_path_with_an_unquoted_space(setup: Setup) -> None:
    """botocore splits the setting at spaces: `/home/u/my tools/get-creds.sh` starts `/home/u/my`.
    The probe finds the joined path and the step says to quote it."""
    helper = setup.write("my tools/get-creds.sh", '#!/bin/sh\ntouch "$HOME/ran"\n')
    helper.chmod(0o755)
    setup.write(".aws/config", f"[profile dev]\ncredential_process = {helper}\n")
    setup.env["AWS_PROFILE"] = "dev"
    error = setup.boto3_error()
    assert "FileNotFoundError: [Errno 2] No such file or directory:" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "credential-process-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert f"but '{helper}' does" in evidence(result)
    assert "put the path in double quotes" in texts(result)
    assert "install the helper" not in texts(result)
    assert not (setup.home / "ran").exists()


def test_the_cli_v1_line_after_its_command_line(setup: Setup) -> None:
    """AWS CLI v1 prints only `[Errno 2] No such file or directory: 'aws-vault'`; the command
    line above it names the profile."""
    setup.write(".aws/config", "[profile dev]\ncredential_process = aws-vault export dev\n")
    paste = "$ aws s3 ls --profile dev\n\n[Errno 2] No such file or directory: 'aws-vault'\n"
    result = setup.diagnose(paste)
    assert result["diagnosis"]["cause"] == "credential-process-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "'aws-vault' is not on PATH" in evidence(result)
    assert "aws sts get-caller-identity --profile dev" in commands(result)


# -- invalid-region: a mistyped region in the environment, seen as a connection failure -------


def test_a_region_without_its_hyphen_in_the_environment(setup: Setup) -> None:
    """`AWS_DEFAULT_REGION=us-east1` has a host label's shape, so botocore builds
    sts.us-east1.amazonaws.com and fails at DNS. The region settings (local, no network) say
    where the name comes from and which region it stands for; the fix is the variable, which
    wins over any `aws configure set region`. The error is the line boto3 and AWS CLI v1 print
    there (captured in a network namespace without network: tests make no DNS lookup)."""
    del setup.env["AWS_ENDPOINT_URL"]
    setup.env["AWS_DEFAULT_REGION"] = "us-east1"
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    error = 'Could not connect to the endpoint URL: "https://sts.us-east1.amazonaws.com/"'
    result = setup.diagnose(error, "--offline")
    assert result["diagnosis"]["cause"] == "invalid-region"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "region 'us-east1' (env, AWS_DEFAULT_REGION)" in evidence(result)
    assert "did you mean 'us-east-1'?" in evidence(result)
    assert "export AWS_DEFAULT_REGION=us-east-1" in commands(result)
    assert not any("configure set region" in command for command in commands(result))


# -- source-profile-broken: a role whose source is the instance role, off EC2 -----------------


def test_a_role_sourced_from_instance_metadata_where_there_is_none(setup: Setup) -> None:
    """`credential_source = Ec2InstanceMetadata` copied from a server's config to a laptop (here
    IMDS is turned off, as in every test): the settings are right, the source gives nothing,
    and the instance metadata check says so."""
    setup.write(
        ".aws/config",
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
        "credential_source = Ec2InstanceMetadata\n",
    )
    error = setup.boto3_error("dev")
    assert "No credentials found in credential_source referenced in profile dev" in error
    result = setup.diagnose(error, "--profile", "dev")
    assert result["diagnosis"]["cause"] == "source-profile-broken"
    assert result["diagnosis"]["confidence"] == "confirmed"
    shown = evidence(result)
    assert "credential_source = Ec2InstanceMetadata" in shown
    assert "AWS_EC2_METADATA_DISABLED=true" in shown
    # audit 3 s16b: the variable is the finding, never a passed check; the steps name it, and
    # not a source profile there is none of, nor the CLI's role cache
    assert "unset AWS_EC2_METADATA_DISABLED" in commands(result)
    assert not any("<source_profile>" in c or "cli/cache" in c for c in commands(result))
    assert not any(
        e["status"] == "ok" and "AWS_EC2_METADATA_DISABLED" in e["summary"]
        for e in result["probes"]
    )


# -- credentials-file-location: an override that hides the file with the keys ----------------


def test_the_credentials_variable_pointing_at_the_config_file(setup: Setup) -> None:
    """AWS_SHARED_CREDENTIALS_FILE=~/.aws/config: the file exists, so nothing says "missing",
    but ~/.aws/credentials, which has the keys of [default], is no longer read."""
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    setup.write(
        ".aws/config", "[default]\nregion = us-east-1\n[profile prod]\nregion = eu-west-1\n"
    )
    setup.env["AWS_SHARED_CREDENTIALS_FILE"] = str(setup.home / ".aws" / "config")
    error = setup.boto3_error()
    assert "NoCredentialsError: Unable to locate credentials" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "credentials-file-location"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "~/.aws/credentials line 1 [default] defines profile 'default' but is not read" in (
        evidence(result)
    )
    assert "unset AWS_SHARED_CREDENTIALS_FILE" in commands(result)


# -- config-file-syntax: keys written without values ------------------------------------------


def test_empty_key_values_seen_by_the_crt_signer(setup: Setup) -> None:
    """`aws_access_key_id =` and `aws_secret_access_key =` with nothing after them. botocore
    keeps the empty strings; with the AWS CRT installed (as in AWS CLI v2) its signer refuses
    them with a bare `34 (AWS_ERROR_INVALID_ARGUMENT)`."""
    pytest.importorskip("awscrt", reason="the AWS CRT signs only where awscrt is installed")
    setup.write(".aws/credentials", "[default]\naws_access_key_id =\naws_secret_access_key =\n")
    error = setup.boto3_error()
    assert "34 (AWS_ERROR_INVALID_ARGUMENT): An invalid argument was passed to a function." in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "config-file-syntax"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "~/.aws/credentials line 2 [default]: 'aws_access_key_id' has no value" in evidence(
        result
    )
    assert "aws configure --profile default" in commands(result)


# -- setting-value-invalid: a setting botocore refuses before any request ---------------------


@pytest.mark.parametrize(
    ("variable", "value", "fix"),
    [
        ("AWS_STS_REGIONAL_ENDPOINTS", "regionl", "unset AWS_STS_REGIONAL_ENDPOINTS"),
        ("AWS_RETRY_MODE", "standart", "unset AWS_RETRY_MODE"),
        ("AWS_DEFAULTS_MODE", "fast", "unset AWS_DEFAULTS_MODE"),
    ],
)
def test_a_setting_with_a_value_botocore_refuses(
    setup: Setup, variable: str, value: str, fix: str
) -> None:
    """A typo in a setting that takes a few words stops every command; it was taken for a
    region or credential problem in words no family knows."""
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    setup.env[variable] = value
    error = setup.boto3_error()
    assert value in error
    result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "invalid-config"
    assert result["diagnosis"]["cause"] == "setting-value-invalid"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert fix in commands(result)
    others = {"unset AWS_STS_REGIONAL_ENDPOINTS", "unset AWS_RETRY_MODE", "unset AWS_DEFAULTS_MODE"}
    assert not (others - {fix}) & set(commands(result))
