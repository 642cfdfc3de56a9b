"""Scenarios from the fifth outside audit: client settings botocore refuses (s17/s18), the two
shared-file variables swapped (s15), and check's step for keys that shadow the config file's
(s16).

Same recipe as test_audit_setups4: a real broken setup (temp HOME, exact bytes, env vars), the
real error there, then `awsmedic diagnose` in the same setup.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.scenarios.setup import KEYS_TEXT, Setup, cause, commands, evidence, texts

pytestmark = pytest.mark.slow


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


# -- s15: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE swapped ----------------------------


def _swapped_files(setup: Setup) -> tuple[Path, Path]:
    credentials = setup.write("proj/aws/credentials", f"[dev]\n{KEYS_TEXT}")
    config = setup.write("proj/aws/config", "[profile dev]\nregion = eu-west-1\n")
    return credentials, config


def test_swapped_file_variables_are_swapped_back_not_rewritten(setup: Setup) -> None:
    """s15: each variable names the other file. botocore reads them as their names say, so
    [profile dev] sits in what it reads as the credentials file. The fix is the two variables;
    rewriting both files' headers (the old two seds) would break every other tool."""
    credentials, config = _swapped_files(setup)
    setup.env["AWS_CONFIG_FILE"] = str(credentials)
    setup.env["AWS_SHARED_CREDENTIALS_FILE"] = str(config)
    error = setup.boto3_error("dev")
    assert "could not be found" in error
    result = setup.diagnose(f"$ aws sts get-caller-identity --profile dev\n{error}", "--offline")
    assert cause(result) == "profile-prefix-confusion"
    assert "the two variables are swapped" in evidence(result)
    first = commands(result)[0]
    assert first == (
        "export AWS_CONFIG_FILE=~/proj/aws/config"
        " AWS_SHARED_CREDENTIALS_FILE=~/proj/aws/credentials"
    )
    assert not any("sed " in command for command in commands(result))
    # the command fixes it: with the variables swapped back, boto3 finds the profile
    setup.env["AWS_CONFIG_FILE"] = str(config)
    setup.env["AWS_SHARED_CREDENTIALS_FILE"] = str(credentials)
    assert "could not be found" not in setup.boto3_error("dev")


def test_a_header_in_the_wrong_file_is_still_rewritten_when_nothing_is_swapped(
    setup: Setup,
) -> None:
    """The control: the variables name the right files, but [profile dev] was written into the
    credentials file. That is the header's fault, and its edit stays."""
    credentials = setup.write("proj/aws/credentials", f"[profile dev]\n{KEYS_TEXT}")
    config = setup.write("proj/aws/config", "[default]\nregion = eu-west-1\n")
    setup.env["AWS_CONFIG_FILE"] = str(config)
    setup.env["AWS_SHARED_CREDENTIALS_FILE"] = str(credentials)
    result = setup.diagnose(setup.boto3_error("dev"), "--offline")
    assert cause(result) == "profile-prefix-confusion"
    assert "swapped" not in str(result)
    assert any(command.startswith("sed -i.bak") for command in commands(result))


# -- s16 (check): old keys in the credentials file shadow new ones in the config file ---------

_REFUSAL = (
    b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
    b"<Code>InvalidClientTokenId</Code><Message>The security token included in the request is"
    b" invalid.</Message></Error><RequestId>5e1f0a4c-0000-4000-8000-000000000016</RequestId>"
    b"</ErrorResponse>"
)


class _Refusing(BaseHTTPRequestHandler):
    """An emulator's STS that knows no key: InvalidClientTokenId for every request."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(403)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(_REFUSAL)))
        self.end_headers()
        self.wfile.write(_REFUSAL)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def refusing_sts() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_check_with_the_emulator_confirmed_gives_the_shadowing_step(
    setup: Setup, refusing_sts: str
) -> None:
    """s16's check row: [dev] has old keys in ~/.aws/credentials and new ones in [profile dev]
    of ~/.aws/config; the endpoint is an emulator, and the user said so (emulator=yes). Without
    consent to test the config file's keys, check led with the endpoint step although its own
    header named the shadowing. The answer given in advance now counts: the shadowing leads."""
    other_key, other_secret = "AKIAQ3EGRWJK2ZX7KPZA", "b" * 40
    setup.write(".aws/credentials", f"[dev]\n{KEYS_TEXT}")
    setup.write(
        ".aws/config",
        "[profile dev]\nregion = eu-west-1\n"
        f"aws_access_key_id = {other_key}\naws_secret_access_key = {other_secret}\n",
    )
    setup.secrets.append(other_secret)
    setup.env.update(AWS_PROFILE="dev", AWS_ENDPOINT_URL=refusing_sts)
    setup.env.pop("AWS_DEFAULT_REGION")
    result = subprocess.run(
        [sys.executable, "-m", "awsmedic", "check", "--format", "json", "--answer", "emulator=yes"],
        env=setup.env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    for secret in setup.secrets:
        assert secret not in result.stdout + result.stderr
    report = json.loads(result.stdout)
    row = report["profiles"][0]
    assert row["state"] == "broken"
    assert row["cause"] == "credentials-file-shadows-config"
    assert "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS" not in row["first_step"]["text"]
