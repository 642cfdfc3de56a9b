"""Settings a tool's older AWS SDK does not read, while botocore does: so awsmedic finds the
credentials or the token that the tool did not, and the fix is the tool's, not a new sign-in.

- A profile written only in ~/.aws/config, read by a tool on the Go SDK v1 or the JavaScript SDK
  v2: those SDKs read the config file only when AWS_SDK_LOAD_CONFIG is on (Go v1
  aws/session/env_config.go loadEnvConfig, strconv.ParseBool; JavaScript v2 lib/node_loader.js,
  any non-empty value).
- A profile with sso_session, whose token `aws sso login` caches under the SHA-1 of the session's
  name, read by a tool that looks it up under the SHA-1 of the start URL (an SDK from before
  sso-session support; botocore utils.py SSOTokenLoader._generate_cache_key).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.scenarios.setup import KEYS_TEXT, Setup, cause, commands, evidence, texts

pytestmark = pytest.mark.slow

#: What the AWS SDK for Go v1 prints when its chain found nothing (aws/credentials/chain_provider.go
#: ErrNoValidProvidersFoundInChain), as a Go tool passes it on.
GO_V1 = (
    "NoCredentialProviders: no valid providers in chain. Deprecated.\n"
    "\tFor verbose messaging see aws.Config.CredentialsChainVerboseErrors"
)
#: The JavaScript SDK v2's CredentialsError (lib/node_loader.js, lib/credentials/chain.js).
JS_V2 = "CredentialsError: Missing credentials in config, if using AWS_CONFIG_FILE, set AWS_SDK_LOAD_CONFIG=1"


def profile_in_config_only(setup: Setup) -> None:
    setup.write(".aws/config", f"[profile dev]\nregion = eu-west-1\n{KEYS_TEXT}")
    setup.env["AWS_PROFILE"] = "dev"


@pytest.mark.parametrize("text", [GO_V1, JS_V2], ids=["go-sdk-v1", "js-sdk-v2"])
def test_a_profile_only_in_the_config_file_needs_aws_sdk_load_config(
    setup: Setup, text: str
) -> None:
    profile_in_config_only(setup)
    result = setup.diagnose(text, "--offline")
    assert cause(result) == "tool-too-old-for-config"
    assert result["diagnosis"]["confidence"] == "likely"
    assert "only with AWS_SDK_LOAD_CONFIG=1 (not set here)" in evidence(result)
    assert "aws_access_key_id, ~/.aws/config line 3 [profile dev]" in evidence(result)
    assert commands(result)[0] == "export AWS_SDK_LOAD_CONFIG=1"
    assert "profile `dev` gets its credentials there alone (`aws_access_key_id`)" in texts(result)
    # The steps that write a new profile into the config file would not help such a tool.
    assert not any("credential_process" in command for command in commands(result))
    assert result["questions"] == []


def test_with_the_variable_on_or_keys_in_the_credentials_file_it_asks_as_before(
    setup: Setup,
) -> None:
    profile_in_config_only(setup)
    setup.env["AWS_SDK_LOAD_CONFIG"] = "true"
    on = setup.diagnose(GO_V1, "--offline")
    assert [q["id"] for q in on["questions"]] == ["same-environment"]

    # "0" turns it off for the Go SDK v1 (strconv.ParseBool) but on for the JavaScript SDK v2.
    setup.env["AWS_SDK_LOAD_CONFIG"] = "0"
    assert cause(setup.diagnose(GO_V1, "--offline")) == "tool-too-old-for-config"
    js = setup.diagnose(JS_V2, "--offline")
    assert [q["id"] for q in js["questions"]] == ["same-environment"]

    del setup.env["AWS_SDK_LOAD_CONFIG"]
    setup.write(".aws/credentials", f"[dev]\n{KEYS_TEXT}")
    both = setup.diagnose(GO_V1, "--offline")
    assert [q["id"] for q in both["questions"]] == ["same-environment"]


def test_other_tools_read_the_config_file_and_are_asked_as_before(setup: Setup) -> None:
    profile_in_config_only(setup)
    boto3 = setup.diagnose("botocore.exceptions.NoCredentialsError: Unable to locate credentials")
    assert [q["id"] for q in boto3["questions"]] == ["same-environment"]


SSO_CONFIG = """\
[profile aws-sbx]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Admin
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
"""


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 (botocore's cache key)


def _signed_in(setup: Setup) -> None:
    """A token that `aws sso login --sso-session corp` cached four hours ago is still valid."""
    setup.write(".aws/config", SSO_CONFIG)
    expires = (datetime.now(UTC) + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M:%SZ")
    token = {"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1",
             "accessToken": "aoa" + "x" * 60, "expiresAt": expires}  # fmt: skip
    setup.write(f".aws/sso/cache/{_sha1('corp')}.json", json.dumps(token))


def _packer_error(setup: Setup, digest: str) -> str:
    """What Packer (its Go SDK v1) printed (hashicorp/packer-plugin-amazon issue 350's shape)."""
    return (
        " $ AWS_PROFILE=aws-sbx packer build aws-debian.pkr.hcl\n"
        "Error: SSOProviderInvalidToken: the SSO session has expired or is invalid\n"
        f"caused by: open {setup.home}/.aws/sso/cache/{digest}.json: no such file or directory\n"
    )


def test_a_tool_that_looks_the_token_up_by_the_start_url_predates_sso_session(
    setup: Setup,
) -> None:
    """It was sso-session-expired first, with `aws sso login`, which changes nothing here."""
    _signed_in(setup)
    url_digest = _sha1("https://corp.awsapps.com/start")
    result = setup.diagnose(_packer_error(setup, url_digest), "--offline")
    assert cause(result) == "tool-too-old-for-config"
    assert f"the failing tool looked for {url_digest}.json" in evidence(result)
    # Signing in again with this profile changes nothing (a legacy profile made for the tool
    # is another matter: the steps may offer one).
    signs_in = ("aws sso login --profile aws-sbx", "aws sso login --sso-session corp")
    assert not any(command.startswith(signs_in) for command in commands(result))
    # Not a Python tool: no pip command for it.
    assert not any("pip install" in command for command in commands(result))


def test_a_tool_that_looks_the_token_up_by_the_session_is_not_that(setup: Setup) -> None:
    _signed_in(setup)
    result = setup.diagnose(_packer_error(setup, _sha1("corp")), "--offline")
    assert cause(result) != "tool-too-old-for-config"
    assert "the failing tool looked for" not in evidence(result)


#: `aws configure sso` with a session name that has a blank writes the header quoted (awscli
#: customizations/configure get_section_header, shlex.quote); botocore reads it.
SPACED_SESSION = (
    "[profile dev]\nsso_session = my sso\nsso_account_id = 123456789012\n"
    "sso_role_name = ReadOnly\nregion = eu-west-1\n\n"
    "[sso-session 'my sso']\nsso_start_url = https://my-sso-portal.awsapps.com/start\n"
    "sso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n"
)
#: The Go SDK v2's error, as Pulumi's AWS provider passes it on (pulumi/pulumi-aws#6338), and
#: the JavaScript SDK v3's (aws/aws-sdk-js-v3#7225), for that profile.
GO_V2_SESSION = (
    "error: pulumi:providers:aws resource 'default_7_26_0' has a problem: unable to validate AWS"
    " credentials.\nDetails: loading configuration: failed to find SSO session section, my sso"
)
JS_V3_SESSION = "TypeError: Cannot read properties of undefined (reading 'sso_region')"


@pytest.mark.parametrize("text", [GO_V2_SESSION, JS_V3_SESSION], ids=["go-sdk-v2", "js-sdk-v3"])
def test_an_sso_session_named_with_a_blank_is_renamed(setup: Setup, text: str) -> None:
    setup.write(".aws/config", SPACED_SESSION)
    setup.env["AWS_PROFILE"] = "dev"
    result = setup.diagnose(text, "--offline")
    assert cause(result) == "profile-name-unreadable"
    assert "sso-session 'my sso' has a blank in its name" in evidence(result)
    assert "aws sso login --sso-session my-sso" in commands(result)
    assert "[sso-session my-sso]" in texts(result) and "sso_session = my-sso" in texts(result)


def test_the_aws_cli_reads_a_quoted_session_name(setup: Setup) -> None:
    """botocore shlex-splits the header: for the AWS CLI's own error the blank is no cause."""
    setup.write(".aws/config", SPACED_SESSION)
    setup.env["AWS_PROFILE"] = "dev"
    result = setup.diagnose(
        "Unable to locate credentials. You can configure credentials by running"
        ' "aws configure".\n$ aws s3 ls',
        "--offline",
    )
    assert cause(result) != "profile-name-unreadable"


def test_the_new_session_name_needs_no_quoting(setup: Setup) -> None:
    """The name it suggests keeps letters, digits and `_.-` of the old one: nothing in it reaches
    a shell, and every SDK reads it."""
    setup.write(".aws/config", SPACED_SESSION.replace("my sso", "my sso;$(id)"))
    setup.env["AWS_PROFILE"] = "dev"
    result = setup.diagnose(GO_V2_SESSION, "--offline")
    assert cause(result) == "profile-name-unreadable"
    assert "aws sso login --sso-session my-sso-id" in commands(result)
