"""Scenarios: broken files, profiles and regions; boto3's real error; awsmedic names the cause.

Each test builds the setup for real (temp HOME, exact bytes, env vars), captures the error
boto3 raises there, runs `awsmedic diagnose` in the same setup and checks the cause, that the
evidence names the file, line and profile, and that no secret appears in any output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.setup import Setup, cause, commands, evidence, texts
from tests.unit.probes.helpers import KEY, SECRET

pytestmark = pytest.mark.slow

KEYS = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"


@pytest.fixture
def setup(home: Path) -> Setup:
    made = Setup.fresh(home)
    made.secrets += [KEY, SECRET]
    return made


# -- no-credentials -------------------------------------------------------------------------


def test_a_lone_secret_in_the_environment(setup: Setup) -> None:
    setup.env["AWS_SECRET_ACCESS_KEY"] = SECRET
    error = setup.boto3_error()
    assert "NoCredentialsError: Unable to locate credentials" in error
    result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "no-credentials"
    assert cause(result) == "no-credentials"
    assert "AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID" in evidence(result)


def test_a_default_section_written_with_a_capital(setup: Setup) -> None:
    setup.write(".aws/credentials", f"[Default]\n{KEYS}")
    result = setup.diagnose(setup.boto3_error())
    assert cause(result) == "no-credentials"
    assert "~/.aws/credentials line 1 [Default]" in evidence(result)


def test_export_lines_pasted_into_the_credentials_file(setup: Setup) -> None:
    setup.write(
        ".aws/credentials",
        f"[default]\nexport AWS_ACCESS_KEY_ID={KEY}\nexport AWS_SECRET_ACCESS_KEY={SECRET}\n",
    )
    result = setup.diagnose(setup.boto3_error())
    assert cause(result) == "config-file-syntax"
    assert "~/.aws/credentials line 2 [default]" in evidence(result)


# -- wrong-profile-selected: the keys are in a named profile, the command used `default` ------


def steps(result: dict[str, Any]) -> tuple[str, list[str]]:
    """The steps' text and every command of them."""
    shown = result["steps"]
    return "\n".join(s["text"] for s in shown), [c for s in shown for c in s["commands"]]


def test_keys_saved_under_a_named_profile_and_no_profile_selected(setup: Setup) -> None:
    """`aws configure --profile work` wrote the keys; nothing selects `work`. Offline: the
    profiles are read from the files, instance metadata is not asked."""
    setup.write(".aws/credentials", f"[work]\n{KEYS}")
    setup.write(".aws/config", "[profile work]\nregion = eu-west-1\n")
    error = setup.boto3_error()
    assert "NoCredentialsError: Unable to locate credentials" in error
    result = setup.diagnose(error, "--offline")
    assert result["matches"][0]["tree"] == "no-credentials"
    assert result["diagnosis"]["cause"] == "wrong-profile-selected"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "other profiles have credentials: work" in evidence(result)
    text, commands = steps(result)
    assert "these profiles have: `work`" in text
    assert "aws sts get-caller-identity --profile work" in commands
    assert "export AWS_PROFILE=work" in commands


def test_a_selected_profile_without_keys_and_two_that_have_some(setup: Setup) -> None:
    """AWS_PROFILE selects a profile that holds only a region: likely, and with two profiles
    that have keys awsmedic names both and does not pick one."""
    setup.write(".aws/credentials", f"[prod]\n{KEYS}[stage]\n{KEYS}")
    setup.write(".aws/config", "[profile dev]\nregion = eu-west-1\n")
    setup.env["AWS_PROFILE"] = "dev"
    result = setup.diagnose(setup.boto3_error(), "--offline")
    assert result["diagnosis"]["cause"] == "wrong-profile-selected"
    assert result["diagnosis"]["confidence"] == "likely"
    text, commands = steps(result)
    assert "these profiles have: `prod, stage`" in text
    assert all("--profile prod" not in c and "--profile stage" not in c for c in commands)


def test_a_hostile_profile_name_never_reaches_a_command(setup: Setup) -> None:
    name = "x;touch pwned;#"
    setup.write(".aws/credentials", f"[{name}]\n{KEYS}")
    result = setup.diagnose(setup.boto3_error(), "--offline")
    assert result["diagnosis"]["cause"] == "wrong-profile-selected"
    text, commands = steps(result)
    # Named, as one quoted shell word, in the text; refused as a profile name in commands.
    assert "'x;touch pwned;#'" in text
    assert not any("pwned" in command for command in commands)
    assert not (setup.home.parent / "pwned").exists()


# -- credentials-file-location ---------------------------------------------------------------


def test_an_override_pointing_at_a_file_that_is_gone(setup: Setup) -> None:
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    setup.env["AWS_SHARED_CREDENTIALS_FILE"] = str(setup.home / "old-laptop" / "credentials")
    result = setup.diagnose(setup.boto3_error())
    assert result["diagnosis"]["cause"] == "credentials-file-location"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "~/old-laptop/credentials (AWS_SHARED_CREDENTIALS_FILE): does not exist" in evidence(
        result
    )


def test_the_legacy_credential_file_variable(setup: Setup) -> None:
    """AWS_CREDENTIAL_FILE is not AWS_SHARED_CREDENTIALS_FILE; a missing one stops the chain."""
    setup.env["AWS_CREDENTIAL_FILE"] = str(setup.home / "work" / "credentials")
    error = setup.boto3_error()
    assert "ConfigNotFound" in error
    result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "config-parse-error"
    assert result["diagnosis"]["cause"] == "credentials-file-location"
    assert "AWS_CREDENTIAL_FILE" in evidence(result)


# -- config-file-syntax ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "data", "where"),
    [
        (
            ".aws/credentials",
            b"\xef\xbb\xbf[default]\n" + KEYS.encode(),
            "~/.aws/credentials line 1",
        ),
        (".aws/config", "[default]\nregion = eu-west-1\n".encode("utf-16"), "~/.aws/config line 1"),
        (
            ".aws/config",
            b"[default]\nregion = eu-west-1\noutput = json\nregion = us-east-1\n",
            "~/.aws/config line 4",
        ),
        (".aws/credentials", f"{KEYS}[default]\n".encode(), "~/.aws/credentials line 1"),
    ],
    ids=["bom", "utf16", "duplicate-key", "no-header"],
)
def test_files_botocore_cannot_parse(setup: Setup, relative: str, data: bytes, where: str) -> None:
    setup.write(relative, data)
    error = setup.boto3_error()
    assert "ConfigParseError: Unable to parse config file" in error
    result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "config-parse-error"
    assert result["diagnosis"]["cause"] == "config-file-syntax"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert where in evidence(result)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            f"[default]\naws_access_key_id = {KEY}\n  aws_secret_access_key = {SECRET}\n",
            "'aws_secret_access_key' is indented",
        ),
        (
            f"[default]\naws_access_key_id = {KEY}\naws_secret_key = {SECRET}\n",
            "did you mean 'aws_secret_access_key'",
        ),
    ],
    ids=["indented-secret", "misspelt-secret"],
)
def test_half_a_key_pair_in_the_file(setup: Setup, text: str, says: str) -> None:
    setup.write(".aws/credentials", text)
    error = setup.boto3_error()
    assert "PartialCredentialsError" in error
    result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "partial-credentials"
    assert result["diagnosis"]["cause"] == "config-file-syntax"
    assert "~/.aws/credentials line" in evidence(result)
    assert "[default]" in evidence(result) and says in evidence(result)


# -- source-profile-broken -------------------------------------------------------------------


def test_a_go_error_about_a_missing_source_profile_pasted_from_ci(setup: Setup) -> None:
    """Terraform (Go v2) names the role and the *source* profile; the profile that failed is the
    one with that role (audit-2 s39: awsmedic took the source profile for it)."""
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    setup.write(
        ".aws/config",
        "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n",
    )
    error = (
        "╷\n│ Error: failed to load assume role arn:aws:iam::123456789012:role/deploy, of profile"
        " base, failed to get shared config profile, base\n│\n│   with"
        ' provider["registry.terraform.io/hashicorp/aws"],\n╵'
    )
    result = setup.diagnose(error)
    assert (cause(result), result["diagnosis"]["confidence"]) == (
        "source-profile-broken",
        "confirmed",
    )
    assert "role profile 'deploy'" in evidence(result)
    assert not any("--profile base" in command for command in commands(result))
    assert any("source_profile = default" in command for command in commands(result))


# -- stray-characters ------------------------------------------------------------------------


def test_a_profile_name_with_a_trailing_space(setup: Setup) -> None:
    setup.write(".aws/credentials", f"[dev]\n{KEYS}")
    setup.env["AWS_PROFILE"] = "dev "
    error = setup.boto3_error()
    assert "The config profile (dev ) could not be found" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "stray-characters"
    assert "trailing whitespace" in evidence(result)


def test_a_profile_variable_from_a_windows_env_file(setup: Setup) -> None:
    setup.write(".aws/credentials", f"[dev]\n{KEYS}[devops]\n{KEYS}")
    setup.env["AWS_PROFILE"] = "dev\r"  # `export $(cat .env)` of a file saved on Windows
    error = setup.boto3_error()
    assert "The config profile (dev" in error  # the \r reads back as a line break
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "stray-characters"
    assert commands(result)[0] == "export AWS_PROFILE=dev"
    # The variable is the fault: no step sends the user to the files or the region.
    assert not any("aws configure" in command for command in commands(result))
    assert "region" not in texts(result)


@pytest.mark.parametrize(
    ("error", "reads_default"),
    [
        # JavaScript v3's region provider (@smithy/config-resolver), as Node prints it
        (
            "Error: Region is missing\n    at default (file:///app/node_modules/@smithy/"
            "config-resolver/dist-cjs/index.js:117:11)",
            False,
        ),
        # botocore reads AWS_DEFAULT_REGION: a region set there is no answer for its error
        ("botocore.exceptions.NoRegionError: You must specify a region.", True),
    ],
)
def test_a_region_only_in_aws_default_region(setup: Setup, error: str, reads_default: bool) -> None:
    setup.env["AWS_DEFAULT_REGION"] = "eu-west-1"
    result = setup.diagnose(error)
    assert cause(result) == "no-region"
    found = commands(result)
    if reads_default:
        assert "export AWS_REGION=eu-west-1" not in found
        assert result["questions"][0]["id"] == "same-environment"
    else:
        assert result["diagnosis"]["confidence"] == "confirmed"
        assert found[0] == "export AWS_REGION=eu-west-1"
        assert "export AWS_DEFAULT_REGION=eu-west-1" not in found


def test_a_region_with_a_trailing_space(setup: Setup) -> None:
    setup.env["AWS_DEFAULT_REGION"] = "eu-west-1 "
    error = setup.boto3_error()
    assert "InvalidRegionError" in error
    result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "invalid-region"
    assert result["diagnosis"]["cause"] == "stray-characters"


def test_spaces_inside_the_default_header(setup: Setup) -> None:
    setup.write(".aws/credentials", f"[ default ]\n{KEYS}")
    result = setup.diagnose(setup.boto3_error())
    assert result["diagnosis"]["cause"] == "stray-characters"
    assert "~/.aws/credentials line 1 [ default ]" in evidence(result)


# -- profile-prefix-confusion and profile-not-found ------------------------------------------


def test_profile_prefix_in_the_credentials_file(setup: Setup) -> None:
    setup.write(".aws/credentials", f"[default]\n{KEYS}\n[profile dev]\n{KEYS}")
    setup.env["AWS_PROFILE"] = "dev"
    error = setup.boto3_error()
    assert "ProfileNotFound" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "profile-prefix-confusion"
    assert "~/.aws/credentials line 5 has [profile dev]" in evidence(result)


def test_no_profile_prefix_in_the_config_file(setup: Setup) -> None:
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    setup.write(
        ".aws/config",
        "[default]\nregion = eu-west-1\n\n[deploy]\nrole_arn = arn:aws:iam::123456789012:role/d\n"
        "source_profile = default\n",
    )
    result = setup.diagnose(setup.boto3_error("deploy"), "--profile", "deploy")
    assert result["diagnosis"]["cause"] == "profile-prefix-confusion"
    assert "~/.aws/config line 4 has [deploy]" in evidence(result)


def test_keys_under_a_header_that_differs_in_case(setup: Setup) -> None:
    setup.write(".aws/config", "[profile dev]\nregion = eu-west-1\n")
    setup.write(".aws/credentials", f"[Dev]\n{KEYS}")
    setup.env["AWS_PROFILE"] = "dev"
    error = setup.boto3_error()
    assert "Unable to locate credentials" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "profile-not-found"
    assert "~/.aws/credentials line 1 [Dev] differs only in case" in evidence(result)


def test_a_typo_in_the_profile_name(setup: Setup) -> None:
    setup.write(".aws/credentials", f"[default]\n{KEYS}[production]\n{KEYS}")
    setup.env["AWS_PROFILE"] = "prodution"
    result = setup.diagnose(setup.boto3_error())
    assert result["diagnosis"]["cause"] == "profile-not-found"
    assert "profile 'prodution' (AWS_PROFILE)" in evidence(result)
    assert "did you mean 'production'?" in evidence(result)


# -- no-region and invalid-region ------------------------------------------------------------


def test_a_named_profile_does_not_inherit_the_default_region(setup: Setup) -> None:
    del setup.env["AWS_DEFAULT_REGION"]
    setup.write(".aws/credentials", f"[dev]\n{KEYS}")
    setup.write(".aws/config", "[default]\nregion = eu-west-1\n[profile dev]\noutput = json\n")
    setup.env["AWS_PROFILE"] = "dev"
    error = setup.boto3_error()
    assert "NoRegionError" in error
    result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "no-region"
    assert result["diagnosis"]["cause"] == "no-region"
    assert "[default] has one (~/.aws/config line 2 [default])" in evidence(result)


def test_aws_region_alone_is_not_enough_for_boto3(setup: Setup) -> None:
    del setup.env["AWS_DEFAULT_REGION"]
    setup.env["AWS_REGION"] = "eu-west-1"
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    result = setup.diagnose(setup.boto3_error())
    assert result["diagnosis"]["cause"] == "no-region"
    assert "AWS_REGION is set" in evidence(result)


def test_an_empty_region_line(setup: Setup) -> None:
    # No endpoint override here: botocore must build the endpoint from the (empty) region, and
    # fails doing so, before any request is sent.
    del setup.env["AWS_DEFAULT_REGION"], setup.env["AWS_ENDPOINT_URL"]
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    setup.write(".aws/config", "[default]\nregion =\n")
    error = setup.boto3_error()
    assert "Invalid endpoint: https://sts..amazonaws.com" in error
    result = setup.diagnose(error)
    assert result["matches"][0]["tree"] == "no-region"
    assert result["diagnosis"]["cause"] == "no-region"


def test_a_region_with_an_underscore(setup: Setup) -> None:
    del setup.env["AWS_DEFAULT_REGION"]
    setup.write(".aws/credentials", f"[default]\n{KEYS}")
    setup.write(".aws/config", "[default]\nregion = us_east_1\n")
    error = setup.boto3_error()
    assert "InvalidRegionError" in error
    result = setup.diagnose(error)
    assert result["diagnosis"]["cause"] == "invalid-region"
    assert "~/.aws/config line 2 [default]" in evidence(result)
    assert "did you mean 'us-east-1'?" in evidence(result)
