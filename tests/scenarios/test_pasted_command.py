"""The probes check what the pasted command used: its profile and region (core.pastedcommand).

Each test builds a real setup (a temp HOME with several profiles, users and keys in moto with
auth enforced, behind the gateway of gateway.py), captures the error boto3 really raises for the
profile the command names, pastes it under the shell prompt and command line a user would copy
with it, and runs `awsmedic diagnose --format json --no-input` in the same environment.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.awsfixtures import Keys, MotoAws
from tests.scenarios.gateway import Gateway
from tests.scenarios.harness import (
    Result,
    admin,
    assert_no_secrets,
    china_user,
    diagnose,
    environment,
    real_error,
    section,
    write,
)

pytestmark = [pytest.mark.moto, pytest.mark.slow]

DEV_STS_CALL = "boto3.Session(profile_name='dev').client('sts').get_caller_identity()"


def masked(keys: Keys) -> str:
    return "*" * 16 + keys.access_key_id[-4:]


def live(command: str) -> str:
    """What a POSIX shell would still read as code: the text outside single quotes and
    backslash escapes (double-quoted text counts: `$(...)` runs there)."""
    out: list[str] = []
    quote = ""
    index = 0
    while index < len(command):
        char = command[index]
        if quote == "'":
            quote = "" if char == "'" else quote
        elif char == "\\":
            index += 1  # the next character is literal
        elif char == "'" and not quote:
            quote = "'"
        elif char == '"':
            quote = "" if quote else '"'
        else:
            out.append(char)
        index += 1
    return "".join(out)


def commands(result: Result) -> list[str]:
    return [command for step in result.json["steps"] for command in step["commands"]]


def test_the_pasted_profiles_china_region_is_found(
    aws: MotoAws, moto_server: str, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """`default` works in the standard partition; the command used `dev`, an AWS China key
    sent to us-east-1 by a leftover AWS_DEFAULT_REGION. Checking `default` finds nothing."""
    keys = aws.create_user("alice")
    china = china_user(moto_server, "wang")
    aws.enforce()
    write(home, "credentials", section("default", keys) + "\n" + section("dev", china))
    write(home, "config", "[default]\nregion = us-east-1\n\n[profile dev]\nregion = cn-north-1\n")
    env = environment()
    assert env["AWS_DEFAULT_REGION"] == "us-east-1"
    error = real_error(env, DEV_STS_CALL)
    result = diagnose(env, f"$ aws sts get-caller-identity --profile dev\n{error}", tmp_path)
    ranked = result.cause or result.json["candidates"][0]["cause"]
    assert ranked == "wrong-partition"
    chain = result.probe("creds.chain")["summary"]
    assert chain.startswith("profile 'dev' (--profile in the pasted command line)")
    assert masked(china) in chain
    assert "aws-cn" in " ".join(p["summary"] for p in result.json["probes"]) + result.evidence()
    assert_no_secrets(result, keys, china)


def test_the_pasted_profiles_key_is_the_one_sts_checks(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """`default` holds an administrator's working keys; the command used `dev`, whose key was
    deleted. The checks and the steps are about `dev`."""
    boss = admin(aws)
    gone = aws.create_user("carol")
    aws.delete_key("carol", gone)
    aws.enforce()
    write(home, "credentials", section("default", boss) + "\n" + section("dev", gone))
    env = environment()
    error = real_error(env, DEV_STS_CALL)
    assert "InvalidClientTokenId" in error
    paste = f"user@laptop:~/app$ aws sts get-caller-identity --profile dev\n{error}"
    result = diagnose(env, paste, tmp_path, "--answer", "consent:iam.key-status=yes")
    # AWS refuses the key it checked: carol's deleted one (the admin's, in `default`, works).
    assert result.probe("sts.identity")["status"] == "problem"
    chain = result.probe("creds.chain")["summary"]
    assert masked(gone) in chain and masked(boss) not in chain
    assert result.cause == "key-deleted"
    assert result.probe("iam.key-status")["findings"] == ["key-not-in-account"]
    # The new key goes into `dev`, and is tried as `dev` (the admin profile, `default`, only
    # looks the key up).
    assert {"aws configure --profile dev", "aws sts get-caller-identity --profile dev"} <= set(
        commands(result)
    )
    said = [step["text"] for step in result.json["steps"] if "failing command" in step["text"]]
    assert len(said) == 1  # once, on the first step that names the profile
    assert (
        "`dev`: the profile of the failing command (--profile in the pasted command line)"
        in (said[0])
    )
    assert_no_secrets(result, boss, gone)


def test_a_profile_the_paste_names_that_is_not_defined_here(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """The paste may come from another machine: the profile is named, and the checks stay on
    the profile this machine selects (they say so)."""
    keys = aws.create_user("dana")
    gone = aws.create_user("erin")
    aws.delete_key("erin", gone)
    aws.enforce()
    write(home, "credentials", section("default", keys) + "\n" + section("elsewhere", gone))
    env = environment()
    error = real_error(
        env, "boto3.Session(profile_name='elsewhere').client('sts').get_caller_identity()"
    ).replace("elsewhere", "ghost")
    result = diagnose(env, f"$ aws sts get-caller-identity --profile ghost\n{error}", tmp_path)
    chain = result.probe("creds.chain")
    assert chain["summary"].startswith("profile 'default' (default;")
    assert "names profile ghost, which the shared files here do not define" in chain["summary"]
    assert "paste-names-other-profile" in chain["findings"]
    assert "user/dana" in result.probe("sts.identity")["summary"]  # default's keys, checked
    assert_no_secrets(result, keys, gone)


def test_profile_not_found_in_the_paste_still_finds_its_cause(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("fay")
    aws.enforce()
    write(home, "credentials", section("default", keys))
    write(home, "config", "[profile staging]\nregion = eu-west-1\n")
    # botocore.exceptions.ProfileNotFound, as the AWS CLI prints it.
    paste = "$ aws s3 ls --profile stagin\n\nThe config profile (stagin) could not be found\n"
    result = diagnose(environment(), paste, tmp_path)
    assert result.cause == "profile-not-found"
    assert "stagin" in result.evidence()
    assert_no_secrets(result, keys)


def test_the_pasted_option_beats_aws_profile_in_awsmedics_environment(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """The AWS CLI's --profile wins over AWS_PROFILE: the command used `dev`, whatever
    AWS_PROFILE says in the shell awsmedic runs in. awsmedic's own --profile still wins."""
    prod = aws.create_user("gus")
    dev = aws.create_user("hal")
    aws.enforce()
    write(home, "credentials", section("prod", prod) + "\n" + section("dev", dev))
    env = environment(AWS_PROFILE="prod")
    paste = (
        "$ aws sts get-caller-identity --profile dev\n"
        "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation:"
        " The security token included in the request is invalid.\n"
    )
    result = diagnose(env, paste, tmp_path, "--offline")
    chain = result.probe("creds.chain")
    assert chain["summary"].startswith("profile 'dev' (--profile in the pasted command line)")
    assert masked(dev) in chain["summary"]
    result = diagnose(env, paste, tmp_path, "--offline", "--profile", "prod")
    assert result.probe("creds.chain")["summary"].startswith("profile 'prod' (--profile")
    assert_no_secrets(result, prod, dev)


def test_a_pasted_aws_profile_prefix_leaves_environment_keys_winning(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """`AWS_PROFILE=dev aws ...` selects dev as the variable does: keys in the environment still
    win over it (an option would make the AWS CLI ignore them)."""
    env_keys = aws.create_user("ivy")
    dev = aws.create_user("jay")
    aws.enforce()
    write(home, "credentials", section("dev", dev))
    env = environment(
        AWS_ACCESS_KEY_ID=env_keys.access_key_id, AWS_SECRET_ACCESS_KEY=env_keys.secret_access_key
    )
    paste = (
        "$ AWS_PROFILE=dev aws s3 ls\n"
        "An error occurred (AccessDenied) when calling the ListBuckets operation: Access Denied\n"
    )
    result = diagnose(env, paste, tmp_path, "--offline")
    chain = result.probe("creds.chain")
    assert chain["summary"].startswith("profile 'dev' (AWS_PROFILE in the pasted command line)")
    assert "env-shadows-profile" in chain["findings"]
    assert masked(env_keys) in chain["summary"]
    paste = paste.replace("AWS_PROFILE=dev aws s3 ls", "aws s3 ls --profile dev")
    chain = diagnose(env, paste, tmp_path, "--offline").probe("creds.chain")
    assert "profile-flag-drops-env-keys" in chain["findings"]
    assert masked(dev) in chain["summary"]
    assert_no_secrets(result, env_keys, dev)


def test_a_pasted_region_is_the_region_the_probes_read(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("kay")
    aws.enforce()
    write(home, "credentials", section("default", keys))
    paste = (
        "$ aws sts get-caller-identity --region cn-northwest-1\n"
        "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation:"
        " The security token included in the request is invalid.\n"
    )
    result = diagnose(environment(), paste, tmp_path, "--offline")
    region = result.probe("region.partition")["summary"]
    assert region.startswith("cn-northwest-1 (--region in the pasted command line)")
    assert_no_secrets(result, keys)


HOSTILE = [
    "$(touch /tmp/pwned)",
    "dev'; touch /tmp/pwned; '",
    '"; touch /tmp/pwned #',
    "`touch /tmp/pwned`",
    "dev\x1b]0;pwned\x07",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_profile_names_in_the_paste_never_reach_a_command_unquoted(
    name: str, aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("lou")
    aws.enforce()
    write(home, "credentials", section("default", keys))
    plain = name.replace("\x1b]0;pwned\x07", "")
    write(home, "config", f"[profile {plain}]\nregion = eu-west-1\n")
    for line in (
        f"$ aws s3 ls --profile {shlex.quote(name)}",
        f'$ aws s3 ls --profile "{name}"',
        f"$ AWS_PROFILE={shlex.quote(name)} aws s3 ls",
    ):
        paste = (
            f"{line}\nAn error occurred (InvalidAccessKeyId) when calling the ListBuckets"
            " operation: The AWS Access Key Id you provided does not exist in our records.\n"
        )
        result = diagnose(environment(), paste, tmp_path, "--offline")
        assert "\x1b" not in result.output
        for command in commands(result):
            # Outside single quotes, nothing of the name is left to run.
            assert "pwned" not in live(command), command
        assert_no_secrets(result, keys)
