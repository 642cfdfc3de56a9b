"""A profile the tool did not find, though it is defined here: the tool's SDK may not read where
it is defined (the JavaScript SDK v2 reads the config file only with AWS_SDK_LOAD_CONFIG), or may
not know its kind (an SSO profile, for the Java SDK v1 in aws-msk-iam-auth and the Redshift JDBC
driver)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsmedic.cli import main

JS_V2 = (
    "Error: Profile dev not found\n"
    "    at SharedIniFileCredentials.load"
    " (/app/node_modules/aws-sdk/lib/credentials/shared_ini_file_credentials.js:112:20)"
)
KEYS = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMIK7MDENG\n"


def _cause(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    main(["diagnose", "--offline", "--no-input", "--format", "json", *args])
    return str(json.loads(capsys.readouterr().out)["diagnosis"]["cause"])


def test_keys_only_in_the_config_file_are_unread_by_the_javascript_sdk_v2(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    (home / ".aws" / "config").write_text("[profile dev]\n" + KEYS)
    assert _cause(capsys, "--profile", "dev", JS_V2) == "tool-too-old-for-config"


def test_with_aws_sdk_load_config_the_question_stays(
    capsys: pytest.CaptureFixture[str], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SDK reads the config file then: no reason of its own, so the walk asks whether the
    command ran here (and --no-input leaves that open)."""
    monkeypatch.setenv("AWS_SDK_LOAD_CONFIG", "1")
    (home / ".aws" / "config").write_text("[profile dev]\n" + KEYS)
    main(["diagnose", "--offline", "--no-input", "--profile", "dev", "--format", "json", JS_V2])
    output = json.loads(capsys.readouterr().out)
    assert output["diagnosis"] is None
    assert [q["id"] for q in output["questions"]] == ["same-environment"]


def test_an_sso_profile_some_tool_did_not_find_suspects_the_tool(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Text only: a profile-not-found paste that shows an SSO profile ranks the tool's SDK
    second, after the profile itself (the Redshift JDBC driver's thread)."""
    text = (
        "Unable to use an SSO IAM profile to generate temporary credentials - No AWS profile"
        " named my_sso_profile\n[profile my_sso_profile]\nsso_start_url = <redacted>\n"
        "sso_region = eu-west-1\n"
    )
    main(["diagnose", "--no-probes", "--no-input", "--format", "json", text])
    causes = [c["cause"] for c in json.loads(capsys.readouterr().out)["candidates"]]
    assert causes[:2] == ["profile-not-found", "tool-too-old-for-config"]
