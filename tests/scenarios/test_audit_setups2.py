"""Scenarios from a second outside audit: broken set-ups users make, diagnosed as they pasted them.

Same recipe as test_audit_setups: a real broken setup (temp HOME, exact bytes, env vars),
boto3's real error there, then `awsmedic diagnose` in the same setup; the verdict, its evidence
and every printed command are checked. Only what the first audit did not pin is here.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.awsfixtures import Keys, MotoAws
from tests.scenarios.gateway import Gateway
from tests.scenarios.harness import (
    Result,
    admin,
    assert_no_secrets,
    diagnose,
    environment,
    real_error,
    section,
)
from tests.scenarios.harness import write as write_aws
from tests.scenarios.setup import KEYS_TEXT, Setup, cause, commands, evidence, texts
from tests.unit.probes.helpers import KEY, SECRET, TOKEN

pytestmark = pytest.mark.slow

ROLE = "arn:aws:iam::123456789012:role/deploy"


# -- container-credentials-failure: the Pod Identity token file is not there -----------------


def test_a_pod_identity_token_file_that_is_not_mounted(setup: Setup) -> None:
    """EKS Pod Identity's variables copied into a pod (or a laptop) without the projected token:
    botocore lets open()'s FileNotFoundError through, one bare line naming the token's path. It
    is the container provider's token file, not a credential_process program."""
    setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://169.254.170.23/v1/credentials"
    setup.env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = (
        "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token"
    )
    error = setup.boto3_error()
    assert "FileNotFoundError: [Errno 2] No such file or directory:" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "container-credentials-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "the token file /var/run/secrets/pods.eks.amazonaws.com/serviceaccount/" in (
        evidence(result)
    )
    assert not any("credential_process" in command for command in commands(result))


# -- web-identity-failure: an empty token file -----------------------------------------------


def test_an_empty_web_identity_token_file(setup: Setup) -> None:
    """A CI step that wrote the OIDC token to a file but got nothing (the request for the token
    failed, the variable it echoed was empty): botocore sends the empty token and its own
    parameter check refuses it before any call. The text names only the parameter."""
    setup.env["AWS_ROLE_ARN"] = ROLE
    setup.env["AWS_WEB_IDENTITY_TOKEN_FILE"] = str(setup.write("ci/token", ""))
    error = setup.boto3_error()
    assert "Invalid length for parameter WebIdentityToken, value: 0" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "web-identity-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "ci/token (AWS_WEB_IDENTITY_TOKEN_FILE)" in evidence(result)
    assert "is empty" in evidence(result)


# -- role-arn-invalid: a role profile whose role_arn is a role's name ------------------------


def test_a_role_name_where_the_role_arn_belongs(setup: Setup) -> None:
    """`role_arn = deploy-pipeline-role`: botocore's own parameter check refuses the value before
    any call (the STS model's ARN is at least 20 characters), naming only the parameter and the
    length. That is the profile's setting, named with its value, not the role's trust policy."""
    setup.write(".aws/credentials", f"[base]\n{KEYS_TEXT}")
    setup.write(".aws/config", "[profile dev]\nrole_arn = deploy-role\nsource_profile = base\n")
    error = setup.boto3_error("dev")
    assert "Invalid length for parameter RoleArn, value: 11, valid min length: 20" in error
    result = setup.diagnose(error, "--profile", "dev")
    assert result["matches"][0]["tree"] == "role-arn"
    assert result["diagnosis"]["cause"] == "role-arn-invalid"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "role_arn 'deploy-role' is not of the form" in evidence(result)
    assert "write the role's full ARN in `role_arn` of `[profile dev]` in `~/.aws/config`" in (
        texts(result)
    )
    assert "aws iam get-role --role-name deploy-role --query Role.Arn --output text" in (
        commands(result)
    )
    assert not any("list-roles" in command for command in commands(result))


# -- credential-process-failure: a helper that prints a Python dict --------------------------


def test_a_helper_that_prints_a_python_dict(setup: Setup) -> None:
    """A home-made helper prints `print({...})` instead of `json.dumps`: single quotes. botocore
    lets json's error through; AWS CLI v2 prints only its message, the last line here. With the
    user's consent the helper is run, its output is named not JSON and never shown."""
    payload = {"Version": 1, "AccessKeyId": KEY, "SecretAccessKey": SECRET, "SessionToken": TOKEN}
    script = setup.write("bin/creds.py", f"print({payload!r})\n")
    setup.write(".aws/config", f"[profile dev]\ncredential_process = {sys.executable} {script}\n")
    error = setup.boto3_error("dev").rpartition("JSONDecodeError: ")[2]
    assert error == "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    result = setup.diagnose(error, "--profile", "dev", "--answer", "consent:creds.process=yes")
    assert result["diagnosis"]["cause"] == "credential-process-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "~/.aws/config line 2 [profile dev]" in evidence(result)
    assert "starts like JSON but does not parse" in evidence(result)


# -- credential-process-failure: a helper that hands out credentials already expired ---------


def helper_with_expired_credentials(setup: Setup) -> Path:
    marker = setup.home / "helper-ran"
    payload = {
        "Version": 1,
        "AccessKeyId": KEY,
        "SecretAccessKey": SECRET,
        "SessionToken": TOKEN,
        "Expiration": "2020-01-01T00:00:00Z",
    }
    script = setup.write(
        "bin/creds.py",
        f"open({str(marker)!r}, 'a').write('x')\nimport json\nprint(json.dumps({payload!r}))\n",
    )
    setup.write(".aws/config", f"[profile dev]\ncredential_process = {sys.executable} {script}\n")
    return marker


def test_a_helper_that_returns_expired_credentials(setup: Setup) -> None:
    """A helper that prints a cached session long past its Expiration: botocore refreshes once,
    gets the same, and gives up. The helper ran, so no step says it cannot be run; with the
    user's consent it is run and its Expiration is the evidence."""
    marker = helper_with_expired_credentials(setup)
    error = setup.boto3_error("dev")
    assert "Credentials were refreshed, but the refreshed credentials are still expired" in error
    marker.unlink()
    result = setup.diagnose(error, "--profile", "dev", "--answer", "consent:creds.process=yes")
    assert result["diagnosis"]["cause"] == "credential-process-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "expired at 2020-01-01T00:00:00Z" in evidence(result)
    assert "cannot be run" not in texts(result)


def test_a_helper_with_expired_credentials_is_not_run_unasked(setup: Setup) -> None:
    marker = helper_with_expired_credentials(setup)
    error = setup.boto3_error("dev")
    marker.unlink()
    result = setup.diagnose(error, "--profile", "dev")
    assert cause(result) == "credential-process-failure"
    assert "cannot be run" not in texts(result)
    assert not marker.exists()


# -- sso-session-expired: a token cache file cut short ---------------------------------------


def test_a_token_cache_file_cut_short(setup: Setup) -> None:
    """A disk that filled up while `aws sso login` wrote the token (or an editor that saved half
    of it): botocore's JSON cache turns the parse error into a KeyError of the cache key, and the
    traceback ends in that bare hash. The file is named, as unreadable, not as never written."""
    import hashlib

    setup.write(
        ".aws/config",
        "[profile dev]\nsso_session = acme\nsso_account_id = 123456789012\n"
        "sso_role_name = Admin\n[sso-session acme]\n"
        "sso_start_url = https://acme.awsapps.com/start\nsso_region = eu-west-1\n",
    )
    name = hashlib.sha1(b"acme").hexdigest()  # noqa: S324 (botocore's cache file name)
    setup.write(
        f".aws/sso/cache/{name}.json", '{"startUrl": "https://acme.awsapps.com/start", "acc'
    )
    error = setup.boto3_error("dev", traceback=True)
    assert error.endswith(f"KeyError: '{name}'")
    result = setup.diagnose(error, "--profile", "dev")
    assert result["diagnosis"]["cause"] == "sso-session-expired"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert f"~/.aws/sso/cache/{name}.json is not valid JSON" in evidence(result)
    assert "not signed in" not in evidence(result)


# -- sso-misconfigured: a setting missing from the sso-session ------------------------------


def test_an_sso_session_without_its_region(setup: Setup) -> None:
    """`sso_region` left out of [sso-session acme] (it is asked by `aws configure sso`, and
    forgotten when the section is written by hand). botocore stops before any call, so the step
    for a `ForbiddenException: No access` from the portal does not belong here."""
    setup.write(
        ".aws/config",
        "[profile dev]\nsso_session = acme\nsso_account_id = 123456789012\n"
        "sso_role_name = Admin\n[sso-session acme]\n"
        "sso_start_url = https://acme.awsapps.com/start\n",
    )
    error = setup.boto3_error("dev")
    assert "missing required configuration: sso_region" in error
    result = setup.diagnose(error, "--profile", "dev")
    assert result["diagnosis"]["cause"] == "sso-misconfigured"
    assert "[sso-session acme] lacks sso_region" in evidence(result)
    assert "No access" not in texts(result)


# -- credentials-file-location: only the variable that is set is unset -----------------------


def test_a_config_file_variable_naming_a_project_file_that_is_gone(setup: Setup) -> None:
    """AWS_CONFIG_FILE exported for a project whose directory was since removed; the profile
    lives in ~/.aws/config, which is no longer read. AWS_SHARED_CREDENTIALS_FILE is not set, so
    no command unsets it."""
    setup.write(".aws/config", f"[profile dev]\nregion = eu-west-1\n{KEYS_TEXT}")
    setup.env["AWS_CONFIG_FILE"] = str(setup.home / "project" / ".aws" / "config")
    setup.env["AWS_PROFILE"] = "dev"
    error = setup.boto3_error()
    assert "The config profile (dev) could not be found" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "credentials-file-location"
    assert "~/project/.aws/config (AWS_CONFIG_FILE): does not exist" in evidence(result)
    assert "unset AWS_CONFIG_FILE" in commands(result)
    assert "unset AWS_SHARED_CREDENTIALS_FILE" not in commands(result)


# -- credential-process-failure: a helper without Version ------------------------------------


def test_a_helper_without_version_lists_no_command_out_of_its_pipeline(setup: Setup) -> None:
    """A company script prints the keys without `"Version": 1`. The step that shows how to run
    the helper by hand may not list, as a command of its own, the `echo "${PIPESTATUS[0]}"`
    that only means something right after that pipeline (run alone it prints 0)."""
    payload = {"AccessKeyId": KEY, "SecretAccessKey": SECRET}
    script = setup.write("bin/creds.py", f"import json\nprint(json.dumps({payload!r}))\n")
    setup.write(".aws/config", f"[profile dev]\ncredential_process = {sys.executable} {script}\n")
    error = setup.boto3_error("dev")
    assert "Unsupported version '<Version key not provided>'" in error
    result = setup.diagnose(error, "--profile", "dev", "--answer", "consent:creds.process=yes")
    assert result["diagnosis"]["cause"] == "credential-process-failure"
    assert "its JSON has Version 'missing', not 1" in evidence(result)
    assert not any("PIPESTATUS" in command for command in commands(result))
    assert "PIPESTATUS" in texts(result)


# -- web-identity-failure: a role ARN without its token file --------------------------------


def test_a_role_arn_in_the_environment_without_a_token_file(setup: Setup) -> None:
    """`docker run -e AWS_ROLE_ARN …` that forgot AWS_WEB_IDENTITY_TOKEN_FILE (and its mount):
    botocore uses AWS_ROLE_ARN only with a web identity token file, so it finds no credentials
    at all. The evidence names the variable that is set and the one that is missing."""
    setup.env["AWS_ROLE_ARN"] = ROLE
    error = setup.boto3_error()
    assert "NoCredentialsError: Unable to locate credentials" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "web-identity-failure"
    shown = evidence(result)
    assert "AWS_ROLE_ARN is set" in shown and "AWS_WEB_IDENTITY_TOKEN_FILE" in shown
    assert "AWS_WEB_IDENTITY_TOKEN_FILE" in texts(result)


# -- web-identity-failure: a token file path written with ~ ---------------------------------


def test_a_web_identity_token_file_written_with_a_tilde(setup: Setup) -> None:
    """`web_identity_token_file = ~/token`: botocore opens the path as written (no `~`
    expansion, unlike the shared files' own paths), so the file is not found although it
    exists. The probe opens it the same way, not as a shell would."""
    setup.write("token", "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJzdHMuYW1hem9uYXdzLmNvbSJ9.c2ln")
    setup.write(
        ".aws/config", f"[profile ci]\nrole_arn = {ROLE}\nweb_identity_token_file = ~/token\n"
    )
    error = setup.boto3_error("ci")
    assert error == "builtins.FileNotFoundError: [Errno 2] No such file or directory: '~/token'"
    result = setup.diagnose(error, "--profile", "ci")
    assert result["diagnosis"]["cause"] == "web-identity-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "botocore does not expand ~" in evidence(result)
    assert "~/.aws/config line 3 [profile ci]" in evidence(result)


# -- endpoint-override: an endpoint URL without its scheme -----------------------------------


def test_an_sts_endpoint_variable_without_its_scheme(setup: Setup) -> None:
    """`AWS_ENDPOINT_URL_STS=sts.eu-west-1.amazonaws.com` (the host name, as a VPC endpoint's
    page shows it): botocore refuses a URL without a scheme before any request, in a bare
    ValueError. The evidence names the variable; the fix is the scheme or no override."""
    del setup.env["AWS_ENDPOINT_URL"]
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    setup.env["AWS_ENDPOINT_URL_STS"] = "sts.eu-west-1.amazonaws.com"
    error = setup.boto3_error()
    assert error == "builtins.ValueError: Invalid endpoint: sts.eu-west-1.amazonaws.com"
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "endpoint-override"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "AWS_ENDPOINT_URL_STS" in evidence(result)
    assert "https://sts.eu-west-1.amazonaws.com" in texts(result)
    assert commands(result)[0] == "unset AWS_ENDPOINT_URL_STS"


# -- tls-or-proxy: a CA bundle variable naming a file that is not there ----------------------


@contextmanager
def accepting() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts connections and closes them: far enough for botocore
    to load its CA bundle for the TLS handshake."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(30)

    def serve() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def test_a_ca_bundle_variable_naming_a_file_that_is_not_there(setup: Setup) -> None:
    """AWS_CA_BUNDLE copied from a colleague's machine (the company root CA lives elsewhere
    here): botocore's TLS set-up fails with a bare `[Errno 2]`. The evidence says the file does
    not exist, and no step talks about a proxy that does not answer (there is no proxy)."""
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    setup.env["AWS_CA_BUNDLE"] = str(setup.home / "certs" / "corp-root.pem")
    with accepting() as port:
        setup.env["AWS_ENDPOINT_URL"] = f"https://127.0.0.1:{port}"
        error = setup.boto3_error()
        assert "SSL validation failed for" in error and "No such file or directory" in error
        result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "tls-or-proxy"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "~/certs/corp-root.pem does not exist" in evidence(result)
    assert "proxy the evidence names does not answer" not in texts(result)
    assert "AWS_CA_BUNDLE" in texts(result)


# -- credentials-file-location: the variable names the directory, not the file ---------------


def test_a_credentials_variable_naming_the_aws_directory(setup: Setup) -> None:
    """`AWS_SHARED_CREDENTIALS_FILE=~/.aws` (the directory, as for a tool that wants a folder):
    botocore reads nothing from a directory, and ~/.aws/credentials, which has the keys, is not
    read. The step to unset the variable shows, as for a variable naming a missing file."""
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    setup.env["AWS_SHARED_CREDENTIALS_FILE"] = str(setup.home / ".aws")
    error = setup.boto3_error()
    assert "NoCredentialsError: Unable to locate credentials" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "credentials-file-location"
    shown = evidence(result)
    assert "~/.aws (AWS_SHARED_CREDENTIALS_FILE): exists but cannot be read" in shown
    assert "~/.aws/credentials exists but is not read" in shown
    assert "unset AWS_SHARED_CREDENTIALS_FILE" in commands(result)
    assert "unset AWS_CONFIG_FILE" not in commands(result)


# -- missing-session-token: the token written into the other file ----------------------------


@pytest.mark.moto
def test_a_session_token_written_into_the_config_file(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """Temporary keys pasted into ~/.aws/credentials and their token into [profile dev] of
    ~/.aws/config: botocore takes the token only from the file that holds the keys, so the
    ASIA key goes out without it. The evidence names the line where the token is."""
    temporary = aws.assume_role_keys()
    aws.enforce()
    write_aws(
        home,
        "credentials",
        section("dev", Keys(temporary.access_key_id, temporary.secret_access_key)),
    )
    write_aws(
        home,
        "config",
        f"[profile dev]\nregion = us-east-1\naws_session_token = {temporary.session_token}\n",
    )
    env = environment(AWS_PROFILE="dev")
    result = diagnose(env, real_error(env), tmp_path)
    assert (result.cause, result.confidence) == ("missing-session-token", "confirmed")
    assert "aws_session_token is in ~/.aws/config line 3 [profile dev]" in result.evidence()
    assert_no_secrets(result, temporary)


# -- role-session-name-invalid: a session name STS refuses -----------------------------------


@pytest.mark.moto
def test_a_role_session_name_with_a_space(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """`role_session_name = john doe`: botocore checks only its length, STS refuses the space
    with a ValidationError (the gateway answers as STS does; moto accepts any name). That is
    neither the role's trust nor its duration: the setting is named, with its line."""
    keys = admin(aws)
    aws.enforce()
    write_aws(home, "credentials", section("base", keys))
    write_aws(
        home,
        "config",
        f"[profile dev]\nrole_arn = {ROLE}\nsource_profile = base\nrole_session_name = john doe\n",
    )
    env = environment(AWS_PROFILE="dev")
    error = real_error(env)
    assert "at 'roleSessionName' failed to satisfy constraint" in error
    result = diagnose(env, error, tmp_path)
    assert result.json["matches"][0]["tree"] == "role-session-name"
    assert (result.cause, result.confidence) == ("role-session-name-invalid", "confirmed")
    assert "role_session_name 'john doe' (~/.aws/config line 4 [profile dev])" in (
        result.evidence()
    )
    assert_no_secrets(result, keys)


# -- stray-characters: a '+' of the secret read as a space -----------------------------------


def inner_plus(secret: str) -> bool:
    """A '+' in the secret, but not first: that one becomes a space after `=` that the ini
    parser strips and leaves no trace (a 39-character secret, another finding). A '+' last
    leaves a space at the end of the line, which the probe reads."""
    return "+" in secret and not secret.startswith("+")


def keys_whose_secret(aws: MotoAws, user: str, wanted: Callable[[str], bool], tries: int) -> Keys:
    """A key of a new user whose secret `wanted` accepts, making and deleting keys until one
    is (moto's secrets are random base64)."""
    keys = aws.create_user(user)
    for _ in range(tries):
        if wanted(keys.secret_access_key):
            return keys
        aws.delete_key(user, keys)
        keys = aws.create_key(user)
    pytest.fail(f"moto gave no fitting secret in {tries} keys")


def refused_and_diagnosed(aws: MotoAws, home: Path, tmp_path: Path, mangled: Keys) -> Result:
    """The mangled keys in ~/.aws/credentials, the refusal AWS really sends, and its diagnosis."""
    aws.enforce()
    write_aws(home, "credentials", section("default", mangled))
    env = environment()
    error = real_error(env)
    assert "SignatureDoesNotMatch" in error
    return diagnose(env, error, tmp_path)


@pytest.mark.moto
def test_a_plus_of_the_secret_read_as_a_space(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """The secret went through a form or a URL on its way into ~/.aws/credentials, and each '+'
    came out a space: AWS answers SignatureDoesNotMatch. The step puts the '+' back, and sends
    nobody to the environment or the region."""
    # about half of moto's secrets have a '+'
    keys = keys_whose_secret(aws, "plus", inner_plus, tries=100)
    mangled = Keys(keys.access_key_id, keys.secret_access_key.replace("+", " "))
    result = refused_and_diagnosed(aws, home, tmp_path, mangled)
    assert (result.cause, result.confidence) == ("stray-characters", "confirmed")
    assert "~/.aws/credentials line 3 [default]) has a space where" in result.evidence()
    steps = result.json["steps"]
    assert "a `+` belongs" in steps[0]["text"]
    assert steps[0]["commands"] == ["aws configure --profile default"]
    assert not any("AWS_SECRET_ACCESS_KEY" in step["text"] for step in steps)
    assert not any("region" in step["text"] for step in steps)
    assert_no_secrets(result, keys, mangled)


@pytest.mark.moto
def test_a_last_plus_of_the_secret_read_as_a_space(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """The same, with the '+' last: the space it became ends the line, the ini parser drops it,
    and botocore signs with 39 characters. The line's end tells it from a secret cut short."""
    # one secret in 64 ends in '+'
    keys = keys_whose_secret(aws, "plus-last", lambda secret: secret.endswith("+"), tries=1000)
    mangled = Keys(keys.access_key_id, keys.secret_access_key[:-1] + " ")
    result = refused_and_diagnosed(aws, home, tmp_path, mangled)
    assert (result.cause, result.confidence) == ("stray-characters", "confirmed")
    assert "has a space where the secret most likely has a '+'" in result.evidence()
    assert "39 characters" not in result.evidence()
    assert result.json["steps"][0]["commands"] == ["aws configure --profile default"]
    assert_no_secrets(result, keys, mangled)
