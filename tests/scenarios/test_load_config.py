"""A profile written only in ~/.aws/config, read by a tool on the Go SDK v1 or the JavaScript
SDK v2: those SDKs read the config file only when AWS_SDK_LOAD_CONFIG is on (Go v1
aws/session/env_config.go loadEnvConfig, strconv.ParseBool; JavaScript v2 lib/node_loader.js,
any non-empty value). botocore reads both files, so awsmedic finds the credentials that the tool
did not: the fix is the variable, not "did it run in this same shell?".
"""

from __future__ import annotations

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
