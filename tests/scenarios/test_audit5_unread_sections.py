"""Scenarios from a fifth outside audit: sections the tools skip for their header, and SSO
profiles that lack a key.

botocore reads a config-file header as a profile or sso-session only when shlex splits its name
into two words (configloader.py `_parse_section`): `[profile my dev]` and a nameless
`[sso-session]` are dropped. The JavaScript SDK v3 reads `[<prefix> <name>]` only when the name
matches `[\\w-@+.%:/]+` (ASCII; @smithy/core .../shared-ini-file-loader/parseIni.js
prefixKeyRegex), so it also skips `[profile dév]`, which boto3 reads. The section is there: the
fix is its header, not "the profile is defined in neither file". Same recipe as
test_audit_setups4: a real set-up, the real error (boto3's, or what the JavaScript SDK v3
printed for it), `awsmedic diagnose` (or `check`) in the same set-up.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.setup import KEYS_TEXT, Setup, cause, commands, evidence, texts
from tests.unit.probes.helpers import KEY, SECRET, TOKEN

pytestmark = pytest.mark.slow

#: What the JavaScript SDK v3 (@aws-sdk/client-sts 3.x under Node 20) printed when the
#: profile's section was skipped (audit 5, s14 and s30).
JS_NO_REGION = """\
Error: Region is missing
    at default (/app/node_modules/@smithy/config-resolver/dist-cjs/index.js:117:11)
    at /app/node_modules/@aws-sdk/client-sts/dist-cjs/index.js:100:20"""


@pytest.fixture
def setup(home: Path) -> Setup:
    made = Setup.fresh(home)
    made.env.pop("AWS_DEFAULT_REGION", None)
    made.secrets += [KEY, SECRET, TOKEN]
    return made


def check(setup: Setup, *args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "awsmedic", "check", "--format", "json", "--offline", *args],
        env=setup.env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=setup.home.parent,
        stdin=subprocess.DEVNULL,
    )
    for secret in setup.secrets:
        assert secret not in result.stdout + result.stderr
    return dict(json.loads(result.stdout))


def edit_commands(result: dict[str, Any]) -> list[str]:
    return [c for c in commands(result) if c.startswith("sed -i.bak")]


# -- s14: `[profile my dev]` ---------------------------------------------------------------


def test_a_profile_header_with_a_space_is_named_and_renamed(setup: Setup) -> None:
    """s14: botocore drops `[profile my dev]` (three words), so AWS_PROFILE='my dev' is not
    found. It was 'defined in neither file (profiles: none)' and stray-characters with
    `export AWS_PROFILE=<suggested_profile>`; the header is the defect."""
    setup.write(".aws/config", f"[profile my dev]\nregion = eu-west-1\n{KEYS_TEXT}")
    setup.env["AWS_PROFILE"] = "my dev"
    error = setup.boto3_error()
    assert "The config profile (my dev) could not be found" in error
    result = setup.diagnose(error, "--offline")
    assert cause(result) == "profile-name-unreadable"
    said = evidence(result)
    assert "~/.aws/config line 1 [profile my dev] is ignored" in said
    assert "defined in neither" not in said
    assert edit_commands(result) == [
        "sed -i.bak '1s/^\\[profile my dev]$/[profile my-dev]/' ~/.aws/config"
    ]
    assert "export AWS_PROFILE=my-dev" in commands(result)
    assert "aws sts get-caller-identity --profile my-dev" in commands(result)
    assert "<suggested_profile>" not in json.dumps(result)
    # The renamed header is one botocore reads: the fix holds for boto3.
    (setup.home / ".aws/config").write_text(
        f"[profile my-dev]\nregion = eu-west-1\n{KEYS_TEXT}", encoding="utf-8"
    )
    setup.env["AWS_PROFILE"] = "my-dev"
    assert (
        "could not be found"
        not in subprocess.run(
            [sys.executable, "-c", "import boto3; boto3.Session().client('sts')"],
            env=setup.env,
            capture_output=True,
            text=True,
            timeout=60,
        ).stderr
    )


def test_the_javascript_sdk_missing_region_names_the_skipped_header(setup: Setup) -> None:
    """s14 with Node: the SDK skips the section too, so it finds no region; setting the region
    again (`aws configure set region … --profile 'my dev'`) writes into the same skipped
    section."""
    setup.write(".aws/config", f"[profile my dev]\nregion = eu-west-1\n{KEYS_TEXT}")
    setup.env["AWS_PROFILE"] = "my dev"
    result = setup.diagnose(JS_NO_REGION, "--offline")
    assert cause(result) == "profile-name-unreadable"
    assert "[profile my dev] is ignored" in evidence(result)
    assert edit_commands(result) == [
        "sed -i.bak '1s/^\\[profile my dev]$/[profile my-dev]/' ~/.aws/config"
    ]
    assert not [c for c in commands(result) if c.startswith("aws configure set region")]


def test_check_names_the_skipped_header_not_stray_characters(setup: Setup) -> None:
    """s14, `awsmedic check`: the profile is broken because of its header, and the step is
    the rename, not 'set AWS_PROFILE again'."""
    setup.write(".aws/config", f"[profile my dev]\nregion = eu-west-1\n{KEYS_TEXT}")
    setup.env["AWS_PROFILE"] = "my dev"
    result = check(setup)
    text = json.dumps(result)
    assert "profile-name-unreadable" in text
    assert "stray-characters:" not in text
    assert "AWS_PROFILE: whitespace inside the value" not in text


# -- s30: `[profile dév]` ------------------------------------------------------------------


def test_a_non_ascii_profile_name_is_skipped_by_the_javascript_sdk_only(setup: Setup) -> None:
    """s30: boto3 reads `[profile dév]`, the JavaScript SDK v3 does not. The Node error was
    100 % no-region with `aws configure set region eu-west-1 --profile <profile>` ('dév is not
    a profile name'); the header is what the SDK skips."""
    setup.write(".aws/config", f"[profile dév]\nregion = eu-west-1\n{KEYS_TEXT}")
    setup.env["AWS_PROFILE"] = "dév"
    result = setup.diagnose(JS_NO_REGION, "--offline")
    assert cause(result) == "profile-name-unreadable"
    said = evidence(result)
    assert "[profile dév] is skipped by the JavaScript SDK v3" in said
    assert "boto3 and the AWS CLI read it" in said
    assert edit_commands(result) == [
        "sed -i.bak '1s/^\\[profile dév]$/[profile dev]/' ~/.aws/config"
    ]
    assert "export AWS_PROFILE=dev" in commands(result)


def test_check_does_not_call_a_letter_of_a_readable_name_stray(setup: Setup) -> None:
    """s30, `awsmedic check` (botocore's view): `dév` is found as it is, so the é is no stray
    character and there is nothing to retype."""
    setup.write(".aws/config", f"[profile dév]\nregion = eu-west-1\n{KEYS_TEXT}")
    setup.env["AWS_PROFILE"] = "dév"
    result = check(setup)
    row = result["profiles"][0]
    assert (row["name"], row["cause"], row["state"]) == ("dév", None, "unchecked")
    assert result["ok"] is True
    hygiene = next(p for p in row["probes"] if p["id"] == "values.hygiene")
    assert hygiene["status"] == "ok"


def test_boto3_still_reads_the_non_ascii_profile(setup: Setup) -> None:
    """The fact the s30 steps rest on: botocore keeps `[profile dév]` (two words for shlex)."""
    setup.write(".aws/config", f"[profile dév]\nregion = eu-west-1\n{KEYS_TEXT}")
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import boto3; print(boto3.Session(profile_name='dév').get_credentials() is not None)",
        ],
        env=setup.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert found.stdout.strip() == "True", found.stderr


# -- s12: a nameless `[sso-session]` -------------------------------------------------------

SSO_PROFILE = "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\n"
SSO_PROFILE += "sso_role_name = Admin\nregion = eu-west-1\n\n"


def test_a_nameless_sso_session_header_is_named_with_its_edit(setup: Setup) -> None:
    """s12: `[sso-session]` holds the start URL and region, the profile says sso_session =
    corp. botocore drops the header; the start URL on line 8 was shown as
    '<sso_start_url> (nothing here tells it)'."""
    setup.write(
        ".aws/config",
        SSO_PROFILE + "[sso-session]\nsso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = eu-west-1\n",
    )
    setup.env["AWS_PROFILE"] = "dev"
    error = setup.boto3_error()
    assert 'The specified sso-session does not exist: "corp"' in error
    result = setup.diagnose(error, "--offline")
    assert cause(result) == "sso-misconfigured"
    assert "~/.aws/config line 7 [sso-session] has no name, so botocore ignores it" in evidence(
        result
    )
    assert edit_commands(result) == [
        "sed -i.bak '7s/^\\[sso-session]$/[sso-session corp]/' ~/.aws/config"
    ]
    shown = texts(result) + json.dumps(result["steps"])
    assert "https://corp.awsapps.com/start" in shown
    assert "<sso_start_url>" not in shown
    assert "<region>" not in shown


# -- s09 / s10 / s11: an SSO profile that lacks a key ---------------------------------------


def test_an_sso_session_without_its_region_says_which_key_to_add(setup: Setup) -> None:
    """s09: the first step names the missing key and its section's line; the shape keeps the
    values already there (account, role, region) instead of placeholders."""
    setup.write(
        ".aws/config",
        SSO_PROFILE + "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
        "sso_registration_scopes = sso:account:access\n",
    )
    setup.env["AWS_PROFILE"] = "dev"
    error = setup.boto3_error()
    assert "sso_region" in error
    result = setup.diagnose(error, "--offline")
    assert cause(result) == "sso-misconfigured"
    first = result["steps"][0]["text"]
    assert "Add the missing `sso_region` to `[sso-session corp]` (line `7`" in first
    shown = texts(result)
    for value in ("123456789012", "Admin", "region = eu-west-1"):
        assert value in shown
    assert "<12-digit-account-id>" not in shown
    assert "<permission-set-name>" not in shown
    assert "<region>" not in shown


def test_a_legacy_sso_profile_without_its_account_keeps_the_legacy_form(setup: Setup) -> None:
    """s11: a legacy profile that lacks sso_account_id was shown an sso-session shape with
    `<sso_session>` (nothing here tells it); the step is the one missing line."""
    setup.write(
        ".aws/config",
        "[profile dev]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"
        "sso_role_name = Admin\nregion = eu-west-1\n",
    )
    setup.env["AWS_PROFILE"] = "dev"
    error = setup.boto3_error()
    assert "sso_account_id" in error
    result = setup.diagnose(error, "--offline")
    assert cause(result) == "sso-misconfigured"
    assert "Add the missing `sso_account_id` to `[profile dev]` (line `1`" in texts(result)
    shown = texts(result)
    assert "<sso_session>" not in shown
    assert "sso_start_url = https://corp.awsapps.com/start" in shown
