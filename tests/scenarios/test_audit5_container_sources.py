"""Scenarios from a fifth outside audit: container credentials variables and a role's
`credential_source = Environment`, where the cause was right and the steps were not.

- s07: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` left in a shell outside ECS: nothing answers at
  169.254.170.2. The first step was "set a task role", which ECS has already done wherever it
  sets that variable; now it is to unset the variable (the ECS steps stay for an endpoint that
  answers).
- s05: `AWS_CONTAINER_CREDENTIALS_FULL_URI` answered by another service (200 and a web page):
  the only step was a check; now it is to correct or unset the variable.
- s32 / s01-node: the JavaScript SDK v3 printed the error, and was told botocore's rule and a
  python3 check; now the SDK's own rule (@aws-sdk/credential-provider-http checkUrl) and no
  boto3 one-liner.
- s01: a role profile with `credential_source = Environment` and neither key exported: the only
  fix step rewrote the profile; now exporting both keys comes first.

Same recipe as test_audit_setups4: a real broken setup, the real error there (boto3's, or the
text the tool printed for the same setup), then `awsmedic diagnose` in the same setup. Nothing
leaves 127.0.0.1: where 169.254.170.2 is asked, the test stands in for a machine without a
network (`unshare -n` in the audit) and refuses the connection itself.
"""

from __future__ import annotations

import errno
import json
import socket
from pathlib import Path
from typing import Any

import pytest

from awsmedic.cli import main
from tests.fakeendpoint import Reply, serving
from tests.scenarios.setup import Setup, commands, evidence, texts
from tests.unit.probes.helpers import KEY, SECRET

pytestmark = pytest.mark.slow

#: What the JavaScript SDK v3 (@aws-sdk/client-sts 3.x under Node 20) printed for s32 and s01.
JS_NO_CREDENTIALS = "CredentialsProviderError: Could not load credentials from any providers"
RELATIVE_URI = "/v2/credentials/3c5e6f1a-7b8d-4e2f-9a10-b2c3d4e5f607"
#: boto3 1.44 in s07, run without a network.
ECS_UNREACHABLE = (
    "botocore.exceptions.CredentialRetrievalError: Error when retrieving credentials from"
    " container-role: Error retrieving metadata: Received error when attempting to retrieve"
    " container metadata: Could not connect to the endpoint URL:"
    f' "http://169.254.170.2{RELATIVE_URI}"'
)
DEPLOY_ROLE = "arn:aws:iam::123456789012:role/deploy"


# -- s07: the ECS variable outside ECS ---------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every connection off loopback fails as without a network (`unshare -n`), and is noted."""
    tried: list[object] = []
    real = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host in ("127.0.0.1", "::1", "localhost"):
            return real(self, address)
        tried.append(address)
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    monkeypatch.setattr(socket.socket, "connect", connect)
    return tried


def diagnosed(capsys: pytest.CaptureFixture[str], text: str) -> dict[str, Any]:
    """`awsmedic diagnose --format json --no-input` in this process (so that the socket guard
    holds for its probes)."""
    capsys.readouterr()
    assert main(["diagnose", "--format", "json", "--no-input", text]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_the_ecs_variable_where_nothing_answers_is_removed(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    no_network: list[object],
) -> None:
    """s07: ECS sets the relative URI only in a task that has a task role, and its agent answers
    at 169.254.170.2; here nothing does. The first step unsets the variable (only the one that
    is set: a FULL_URI of aws-vault's server would still work) and checks with a profile; the
    task-role step and the in-container boto3 check stay out."""
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", RELATIVE_URI)
    result = diagnosed(capsys, ECS_UNREACHABLE)
    assert result["diagnosis"]["cause"] == "container-credentials-failure"
    assert ("169.254.170.2", 80) in no_network  # the probe asked, and nothing answered
    assert "no answer" in evidence(result)
    steps = texts(result)
    assert steps.startswith("Nothing answers at `169.254.170.2`")
    assert "only in the containers of a task that has a task role" in steps
    assert commands(result)[0] == "unset AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
    assert "aws sts get-caller-identity --profile default" in commands(result)
    assert not any("describe-task-definition" in c for c in commands(result))
    assert "Set a task role" not in steps
    assert "python3" not in steps
    assert not any("FULL_URI" in c for c in commands(result))


def test_the_ecs_steps_stay_where_the_endpoint_answers(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    no_network: list[object],
) -> None:
    """Where 169.254.170.2 answers (here a refusal of the task's credentials), this is an ECS
    task: the task-role step is still shown, and the "not an ECS task" step is not."""
    from awsmedic.probes import container

    def answered(url: str, token: str | None, timeout: float) -> tuple[int, bytes, str]:
        return 400, b'{"code":"InvalidIdInRequest"}', ""

    monkeypatch.setattr(container, "_get", answered)
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", RELATIVE_URI)
    text = (
        "botocore.exceptions.CredentialRetrievalError: Error when retrieving credentials from"
        " container-role: Error retrieving metadata: Received non 200 response 400 from"
        ' container metadata: {"code":"InvalidIdInRequest"}'
    )
    result = diagnosed(capsys, text)
    assert result["diagnosis"]["cause"] == "container-credentials-failure"
    assert any("describe-task-definition" in c for c in commands(result))
    assert "Nothing answers at" not in texts(result)
    assert "unset AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" not in commands(result)


# -- s05: the full URI answered by another service ---------------------------------------------

PAGE = "<!doctype html><html><head><title>Dev server</title></head><body>hello</body></html>"


def test_a_full_uri_that_answers_a_web_page_is_corrected_or_removed(setup: Setup) -> None:
    """s05: 200 and an HTML page at the full URI (another service on that port): botocore says
    "Unable to parse JSON". The first step says the URL points at the wrong port or path, and
    removes it; the check comes after."""
    setup.write(".aws/config", "[default]\nregion = eu-west-1\n")
    with serving({("GET", "/creds"): Reply(200, PAGE, {"Content-Type": "text/html"})}) as web:
        setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = web.url + "/creds"
        error = setup.boto3_error()
        assert "Unable to parse JSON returned from container metadata services" in error
        result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "container-credentials-failure"
    assert "it answered 200 with a web page, not JSON" in evidence(result)
    first = result["steps"][0]["text"]
    assert "`AWS_CONTAINER_CREDENTIALS_FULL_URI` answers, but not with credentials" in first
    assert "wrong port" in first
    assert commands(result)[0] == "unset AWS_CONTAINER_CREDENTIALS_FULL_URI"


# -- s32 / s01-node: the JavaScript SDK's own rule -------------------------------------------


def test_the_javascript_sdk_is_told_its_own_rule_for_the_full_uri(setup: Setup) -> None:
    """s32: a plain-HTTP full URI to 10.0.0.5 (refused before any request). The Node program's
    error hides the SDK's "URL not accepted"; the evidence names the JavaScript SDK v3 and the
    addresses it accepts, the step its provider, and no step offers a boto3 one-liner."""
    setup.write(".aws/config", "[default]\nregion = eu-west-1\n")
    setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://10.0.0.5:8080/creds"
    result = setup.diagnose(JS_NO_CREDENTIALS)
    assert result["diagnosis"]["cause"] == "container-credentials-failure"
    said = evidence(result)
    assert "the JavaScript SDK v3 refuses plain HTTP to '10.0.0.5'" in said
    assert "[::1], localhost, 169.254.170.2, 169.254.170.23, [fd00:ec2::23]" in said
    assert "botocore refuses" not in said
    steps = texts(result)
    assert "`@aws-sdk/credential-provider-http`" in steps
    assert "URL not accepted" in steps
    assert "python3" not in steps and "boto3" not in steps
    assert "aws sts get-caller-identity" in commands(result)


def test_boto3_is_still_told_botocores_rule(setup: Setup) -> None:
    """The same set-up, with boto3's own error (its traceback: the last line alone is a plain
    ValueError that names no tool): botocore's words and its check stay."""
    setup.write(".aws/config", "[default]\nregion = eu-west-1\n")
    setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://10.0.0.5:8080/creds"
    error = setup.boto3_error(traceback=True)
    assert "Unsupported host '10.0.0.5'" in error
    result = setup.diagnose(error)
    assert "botocore refuses plain HTTP to '10.0.0.5'" in evidence(result)
    assert "credential-provider-http" not in texts(result)
    assert any(c.startswith("python3 -c") for c in commands(result))


# -- s01: credential_source = Environment without the keys -----------------------------------

ROLE_CONFIG = (
    f"[profile deploy]\nregion = eu-west-1\nrole_arn = {DEPLOY_ROLE}\n"
    "credential_source = Environment\n"
)


def test_credential_source_environment_without_keys_asks_to_export_them(setup: Setup) -> None:
    """s01: the CI step that exports the keys did not run. The first step says that
    `credential_source = Environment` reads only the two variables and to export them where the
    command runs, and (for botocore) to name the profile with --profile, since with the keys
    exported AWS_PROFILE alone makes botocore use them directly; rewriting the profile to a
    source_profile comes after."""
    setup.write(".aws/config", ROLE_CONFIG)
    setup.env["AWS_PROFILE"] = "deploy"
    error = setup.boto3_error()
    assert "No credentials found in credential_source referenced in profile deploy" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "source-profile-broken"
    steps = [step["text"] for step in result["steps"]]
    assert steps[0].startswith("`credential_source = Environment`")
    assert "Export both in the step that runs this command" in steps[0]
    assert "`--profile deploy`" in steps[0]
    assert "`source_profile = " in steps[1]


def test_credential_source_environment_for_the_javascript_sdk(setup: Setup) -> None:
    """s01-node: the same set-up, with the Node program's error. The SDK v3 prefers AWS_PROFILE
    over exported keys, so the --profile advice is botocore's only; and the explanation names
    the SDK's own final message, not botocore's alone."""
    setup.write(".aws/config", ROLE_CONFIG)
    setup.env["AWS_PROFILE"] = "deploy"
    result = setup.diagnose(JS_NO_CREDENTIALS)
    assert result["diagnosis"]["cause"] == "source-profile-broken"
    first = result["steps"][0]["text"]
    assert first.startswith("`credential_source = Environment`")
    assert "--profile" not in first
    why = " ".join((setup.home.parent / "transcript.md").read_text().split())
    assert 'the JavaScript SDK v3 with "Could not load credentials from any providers"' in why
    assert "botocore otherwise stops" not in why


def test_credential_source_environment_with_the_keys_exported_is_not_this(
    setup: Setup,
) -> None:
    """With both keys exported the source is there: the export step is not shown for another
    failure of the same profile (here the role cannot be assumed at a closed endpoint)."""
    setup.write(".aws/config", ROLE_CONFIG)
    setup.env.update(AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET)
    result = setup.diagnose(
        "botocore.exceptions.CredentialRetrievalError: Error when retrieving credentials from"
        " Environment: No credentials found in credential_source referenced in profile deploy",
        "--profile",
        "deploy",
        "--offline",
    )
    assert "Export both in the step" not in texts(result)
