"""Every cause of the InvalidClientTokenId family, each from a broken setup built for real.

Each test builds the setup (a temp HOME with exact file bytes, environment variables, users and
keys in moto with auth enforced), captures the error boto3 really raises there, then runs
`awsmedic diagnose --format json --no-input` in the same setup and checks the cause it names and
that no secret appears in its output or its export.

All requests go through the gateway of gateway.py, a small server on 127.0.0.1 in front of moto
that answers as AWS does where moto does not: Inactive keys, keys seconds after creation,
opt-in regions (and account:GetRegionOptStatus), version 1 session tokens in opt-in regions,
GetSessionToken credentials without MFA calling IAM, and a foreign S3-compatible store.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from tests.awsfixtures import Keys, MotoAws
from tests.scenarios.gateway import Gateway, session_token_credentials
from tests.scenarios.harness import (
    admin,
    assert_no_secrets,
    china_user,
    diagnose,
    environment,
    real_error,
    section,
    typo,
    write,
)

pytestmark = [pytest.mark.moto, pytest.mark.slow]

OLD_TOKEN = base64.b64encode(b"the session token of yesterday's assume-role call " * 8).decode()
TREE = "invalid-client-token-id"
#: Looking the key up through another profile (iam.key-status) needs consent (issue 17).
KEY_STATUS_YES = ("--answer", "consent:iam.key-status=yes")
INTENDED_YES = ("--answer", "consent:sts.intended-identity=yes")


def test_key_typo(aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path) -> None:
    keys = aws.create_user("alice")
    aws.enforce()
    typed = Keys(typo(keys.access_key_id), keys.secret_access_key)
    write(home, "credentials", section("default", typed))
    env = environment()
    result = diagnose(env, real_error(env), tmp_path)
    assert result.json["matches"][0]["tree"] == TREE
    assert (result.cause, result.confidence) == ("key-typo", "confirmed")
    assert "'0'" in result.evidence()
    assert_no_secrets(result, keys, typed)


def test_stray_characters_quotes_in_the_file(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("alice")
    aws.enforce()
    write(
        home,
        "credentials",
        f'[default]\naws_access_key_id = "{keys.access_key_id}"\n'
        f"aws_secret_access_key = {keys.secret_access_key}\n",
    )
    env = environment()
    result = diagnose(env, real_error(env), tmp_path)
    assert (result.cause, result.confidence) == ("stray-characters", "confirmed")
    assert "~/.aws/credentials:2 [default] aws_access_key_id: surrounding quotes" in (
        result.evidence()
    )
    assert_no_secrets(result, keys)


def test_placeholder_credentials_in_the_environment(
    aws: MotoAws, gateway: Gateway, tmp_path: Path
) -> None:
    aws.enforce()
    env = environment(
        AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    result = diagnose(env, real_error(env), tmp_path)
    assert (result.cause, result.confidence) == ("placeholder-credentials", "confirmed")


def test_key_deleted(aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path) -> None:
    keys = aws.create_user("bob")
    boss = admin(aws)
    aws.delete_key("bob", keys)
    aws.enforce()
    write(home, "credentials", section("default", keys) + section("admin", boss))
    env = environment()
    result = diagnose(env, real_error(env), tmp_path, *KEY_STATUS_YES)
    assert result.cause == "key-deleted"
    assert result.probe("iam.key-status")["findings"] == ["key-not-in-account"]
    assert_no_secrets(result, keys, boss)


def test_another_profile_is_used_only_with_consent(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """Issue 17 item 8: without `--answer consent:iam.key-status=yes`, `diagnose` neither signs
    with the admin profile's keys nor assumes a role profile's role; it says what a yes does."""
    keys = aws.create_user("bob")
    boss = admin(aws)
    aws.delete_key("bob", keys)
    aws.enforce()
    role = "arn:aws:iam::123456789012:role/break-glass"
    write(home, "credentials", section("default", keys) + section("admin", boss))
    write(home, "config", f"[profile oncall]\nrole_arn = {role}\nsource_profile = admin\n")
    env = environment()
    result = diagnose(env, real_error(env), tmp_path)
    status = result.probe("iam.key-status")
    assert status["status"] == "skipped"
    assert "--answer consent:iam.key-status=yes" in status["summary"]
    signed_with = {key for _, _, key in gateway.seen}
    assert keys.access_key_id in signed_with  # the failing keys were checked, as always
    assert boss.access_key_id not in signed_with  # the admin's keys were not used, nor its role
    assert "consent:iam.key-status" in [q["id"] for q in result.json["questions"]]
    assert_no_secrets(result, keys, boss)


def test_key_inactive(aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path) -> None:
    keys = aws.create_user("carol")
    boss = admin(aws)
    aws._client("iam").update_access_key(
        UserName="carol", AccessKeyId=keys.access_key_id, Status="Inactive"
    )
    aws.enforce()
    write(home, "credentials", section("default", keys) + section("admin", boss))
    env = environment()
    result = diagnose(env, real_error(env), tmp_path, *KEY_STATUS_YES)
    assert (result.cause, result.confidence) == ("key-inactive", "confirmed")
    assert "IAM user carol is Inactive" in result.evidence()
    assert "--user-name carol" in "\n".join(s["text"] for s in result.json["steps"])
    assert_no_secrets(result, keys, boss)


def test_new_key_propagation_delay(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    from datetime import timedelta

    gateway.rules.propagation = timedelta(minutes=5)
    boss = admin(aws)
    keys = aws.create_user("dave")  # created a moment ago: not known everywhere yet
    aws.enforce()
    write(home, "credentials", section("default", keys) + section("admin", boss))
    env = environment()
    result = diagnose(env, real_error(env), tmp_path, *KEY_STATUS_YES)
    assert result.cause == "new-key-propagation-delay"
    assert re.search(r"created (just now|\d+ (seconds|min) ago)", result.evidence())
    assert_no_secrets(result, keys, boss)


def test_stale_session_token_left_in_the_profile(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("erin")
    aws.enforce()
    # `aws configure` wrote new long-term keys but left the old token line in place.
    write(home, "credentials", section("default", keys, f"aws_session_token = {OLD_TOKEN}\n"))
    env = environment()
    result = diagnose(env, real_error(env), tmp_path)
    assert (result.cause, result.confidence) == ("stale-session-token", "confirmed")
    assert "aws_session_token" in result.evidence()
    assert OLD_TOKEN not in result.output
    assert_no_secrets(result, keys)


def test_stale_security_token_shadows_a_fresh_session_token(
    aws: MotoAws, gateway: Gateway, tmp_path: Path
) -> None:
    fresh = aws.assume_role_keys()
    aws.enforce()
    env = environment(
        AWS_ACCESS_KEY_ID=fresh.access_key_id,
        AWS_SECRET_ACCESS_KEY=fresh.secret_access_key,
        AWS_SESSION_TOKEN=fresh.session_token or "",
        AWS_SECURITY_TOKEN=OLD_TOKEN,
    )
    result = diagnose(env, real_error(env), tmp_path)
    assert (result.cause, result.confidence) == ("stale-session-token", "confirmed")
    assert "AWS_SECURITY_TOKEN is sent" in result.evidence()
    assert_no_secrets(result, fresh)


def test_missing_session_token_in_the_profile(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    temporary = aws.assume_role_keys()
    aws.enforce()
    write(
        home,
        "credentials",
        section("default", Keys(temporary.access_key_id, temporary.secret_access_key)),
    )
    env = environment()
    result = diagnose(env, real_error(env), tmp_path)
    assert (result.cause, result.confidence) == ("missing-session-token", "confirmed")
    assert_no_secrets(result, temporary)


def test_session_token_api_restriction(aws: MotoAws, gateway: Gateway, tmp_path: Path) -> None:
    user = aws.create_user("frank")
    aws.enforce()
    session = session_token_credentials(gateway.rules, user)  # GetSessionToken, no MFA
    env = environment(
        AWS_ACCESS_KEY_ID=session.access_key_id,
        AWS_SECRET_ACCESS_KEY=session.secret_access_key,
        AWS_SESSION_TOKEN=session.session_token or "",
    )
    error = real_error(env, "boto3.client('iam').list_users()")
    assert "ListUsers" in error
    result = diagnose(env, error, tmp_path)
    assert (result.cause, result.confidence) == ("session-token-api-restriction", "confirmed")
    assert "arn:aws:iam::123456789012:user/frank" in result.evidence()
    assert_no_secrets(result, user, session)


def test_env_keys_override_the_profile_chosen_with_aws_profile(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    good = aws.create_user("grace")
    old = aws.create_user("grace-old")
    aws.delete_key("grace-old", old)
    aws.enforce()
    write(home, "credentials", section("dev", good))
    env = environment(
        AWS_PROFILE="dev",
        AWS_ACCESS_KEY_ID=old.access_key_id,
        AWS_SECRET_ACCESS_KEY=old.secret_access_key,
    )
    result = diagnose(env, real_error(env), tmp_path, *INTENDED_YES)
    assert (result.cause, result.confidence) == ("env-overrides-profile", "confirmed")
    assert_no_secrets(result, good, old)


def test_env_keys_override_the_default_profile(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    good = aws.create_user("heidi")
    old = aws.create_user("heidi-old")
    aws.delete_key("heidi-old", old)
    aws.enforce()
    write(home, "credentials", section("default", good))
    env = environment(  # exported in ~/.bashrc a year ago
        AWS_ACCESS_KEY_ID=old.access_key_id, AWS_SECRET_ACCESS_KEY=old.secret_access_key
    )
    result = diagnose(env, real_error(env), tmp_path, *INTENDED_YES)
    assert (result.cause, result.confidence) == ("env-overrides-profile", "confirmed")
    assert result.probe("sts.intended-identity")["findings"] == ["intended-works"]
    assert_no_secrets(result, good, old)


def old_keys_hiding_new_ones(aws: MotoAws, home: Path, user: str) -> tuple[Keys, Keys]:
    """(new, old): [default] in ~/.aws/config holds a working key, and [default] in
    ~/.aws/credentials a deleted one, which botocore sends."""
    new = aws.create_user(user)
    old = aws.create_user(f"{user}-old")
    aws.delete_key(f"{user}-old", old)
    aws.enforce()
    write(home, "credentials", section("default", old))
    write(home, "config", section("default", new, "region = eu-west-1\n"))
    return new, old


def test_old_keys_in_the_credentials_file_hide_new_keys_in_the_config_file(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    new, old = old_keys_hiding_new_ones(aws, home, "ines")
    env = environment()
    error = real_error(env)
    consented = diagnose(env, error, tmp_path, *INTENDED_YES)
    assert (consented.cause, consented.confidence) == (
        "credentials-file-shadows-config",
        "confirmed",
    )
    assert consented.probe("sts.intended-identity")["findings"] == ["intended-works"]
    assert "in the config file" in consented.evidence()
    # Without consent the config file's keys are not tried: the shadowing still leads.
    plain = diagnose(env, error, tmp_path)
    assert plain.json["candidates"][0]["cause"] == "credentials-file-shadows-config"
    assert (
        "shadowing other keys in ~/.aws/config [default]" in plain.probe("creds.chain")["summary"]
    )
    assert_no_secrets(consented, new, old)
    assert_no_secrets(plain, new, old)


def test_the_general_check_names_keys_the_credentials_file_hides(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """A text no family knows, about AWS keys (audit 5 s28: a reply typed into the REPL after
    the diagnosis), starts the general check. AWS refuses the key sent, and the chain found
    the config file's keys hidden by the credentials file's: that is the likely cause, not a
    question about what happened to the key."""
    new, old = old_keys_hiding_new_ones(aws, home, "ines-reply")
    env = environment()
    text = (
        "There are no keys in ~/.aws/credentials, I only use the config file. The keys in"
        " ~/.aws/config are new and work."
    )
    result = diagnose(env, text, tmp_path)
    assert result.json["matches"][0]["tree"] == "aws-auth-check"
    assert (result.cause, result.confidence) == ("credentials-file-shadows-config", "likely")
    assert result.json["questions"] == []
    assert_no_secrets(result, new, old)


def test_the_same_keys_in_both_files_hide_nothing(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    old = aws.create_user("ines-twice")
    aws.delete_key("ines-twice", old)
    aws.enforce()
    write(home, "credentials", section("default", old))
    write(home, "config", section("default", old))
    env = environment()
    result = diagnose(env, real_error(env), tmp_path, *INTENDED_YES)
    assert "credentials-file-shadows-config-keys" not in result.probe("creds.chain")["findings"]
    assert result.cause != "credentials-file-shadows-config"


def test_wrong_profile_selected(aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path) -> None:
    new = aws.create_user("ivan")
    old = aws.create_user("ivan-old")
    aws.delete_key("ivan-old", old)
    aws.enforce()
    write(home, "credentials", section("old", old) + section("new", new))
    env = environment(AWS_DEFAULT_PROFILE="old", AWS_PROFILE="new")  # boto3 takes the first
    result = diagnose(env, real_error(env), tmp_path, *INTENDED_YES)
    assert result.cause == "wrong-profile-selected"
    assert "profile 'old' (AWS_DEFAULT_PROFILE, while AWS_PROFILE=new)" in result.evidence()
    assert "the keys of profile 'new' (AWS_PROFILE)" in result.evidence()
    assert_no_secrets(result, new, old)


def test_opt_in_region_disabled(aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path) -> None:
    keys = aws.create_user("judy")
    aws.enforce()
    write(home, "credentials", section("default", keys))
    write(home, "config", "[default]\nregion = me-south-1\n")
    env = environment()
    env.pop("AWS_DEFAULT_REGION")
    result = diagnose(env, real_error(env), tmp_path)
    assert (result.cause, result.confidence) == ("opt-in-region-disabled", "confirmed")
    assert "me-south-1" in "\n".join(s["text"] for s in result.json["steps"])
    assert_no_secrets(result, keys)


def test_opt_in_region_offline_asks_and_takes_an_answer(
    aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("judy")
    aws.enforce()
    write(home, "credentials", section("default", keys))
    env = environment(AWS_DEFAULT_REGION="me-south-1")
    error = real_error(env)
    asked = diagnose(env, error, tmp_path, "--offline")
    assert asked.cause is None
    assert asked.json["questions"][-1]["id"] == "region-enabled"
    ranked = [c["cause"] for c in asked.json["candidates"]]
    assert "opt-in-region-disabled" in ranked
    # A long-term key rules out a session token from the global STS endpoint.
    assert "sts-global-token-opt-in-region" not in ranked
    answered = diagnose(
        env, error, tmp_path, "--offline", "--answer", "region-enabled=no, or not sure"
    )
    assert (answered.cause, answered.confidence) == ("opt-in-region-disabled", "likely")


def test_sts_global_token_in_an_opt_in_region(
    aws: MotoAws, gateway: Gateway, tmp_path: Path
) -> None:
    temporary = aws.assume_role_keys()
    aws.enforce()
    gateway.rules.enabled_regions.add("ap-east-1")
    gateway.rules.global_tokens.add(temporary.session_token or "")  # minted by sts.amazonaws.com
    env = environment(
        AWS_ACCESS_KEY_ID=temporary.access_key_id,
        AWS_SECRET_ACCESS_KEY=temporary.secret_access_key,
        AWS_SESSION_TOKEN=temporary.session_token or "",
        AWS_DEFAULT_REGION="ap-east-1",
    )
    result = diagnose(env, real_error(env), tmp_path)
    assert result.cause == "sts-global-token-opt-in-region"
    assert "the region is enabled for this account" in result.evidence()
    assert_no_secrets(result, temporary)


def test_wrong_partition(
    aws: MotoAws, moto_server: str, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    keys = china_user(moto_server, "wang")  # an AWS China (aws-cn) account's key
    aws.enforce()
    write(home, "credentials", section("default", keys))
    write(home, "config", "[default]\nregion = cn-north-1\n")
    # A leftover AWS_DEFAULT_REGION sends the China keys to us-east-1, the standard partition.
    env = environment()
    assert env["AWS_DEFAULT_REGION"] == "us-east-1"
    result = diagnose(env, real_error(env), tmp_path)
    assert (result.cause, result.confidence) == ("wrong-partition", "likely")
    assert "aws-cn" in result.evidence()
    assert_no_secrets(result, keys)


def test_wrong_partition_known_only_to_the_user(
    aws: MotoAws, moto_server: str, gateway: Gateway, home: Path, tmp_path: Path
) -> None:
    """Nothing on this machine names China: the user says so, and is never asked to send the
    key to China's endpoints to find out."""
    keys = china_user(moto_server, "wang")
    aws.enforce()
    write(home, "credentials", section("default", keys))
    env = environment()
    answer = "key-history=it is a key of AWS China or GovCloud"
    result = diagnose(env, real_error(env), tmp_path, "--offline", "--answer", answer)
    assert (result.cause, result.confidence) == ("wrong-partition", "likely")
    assert_no_secrets(result, keys)


def test_endpoint_override_for_one_service(
    aws: MotoAws, gateway: Gateway, moto_server: str, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("kim")
    aws.enforce()
    write(home, "credentials", section("default", keys))
    # A leftover override sends S3 to an S3-compatible store that does not know AWS keys.
    with Gateway(moto_server) as store:
        store.rules.foreign = True
        env = environment(AWS_ENDPOINT_URL_S3=store.url)
        error = real_error(env, "boto3.client('s3').list_buckets()")
        assert "InvalidAccessKeyId" in error
        result = diagnose(env, error, tmp_path)
    assert (result.cause, result.confidence) == ("endpoint-override", "likely")
    assert "AWS_ENDPOINT_URL_S3" in result.evidence()
    assert_no_secrets(result, keys)


def test_source_profile_broken(aws: MotoAws, gateway: Gateway, home: Path, tmp_path: Path) -> None:
    base = aws.create_user("leo")
    role = aws._client("iam").create_role(
        RoleName="Admin",
        AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        '"Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}',
    )["Role"]["Arn"]
    aws.delete_key("leo", base)
    aws.enforce()
    write(home, "config", f"[profile admin]\nrole_arn = {role}\nsource_profile = base\n")
    write(home, "credentials", section("base", base))
    env = environment(AWS_PROFILE="admin")
    error = real_error(env)
    assert "AssumeRole" in error
    result = diagnose(env, error, tmp_path)
    assert (result.cause, result.confidence) == ("source-profile-broken", "confirmed")
    assert "with the keys of source profile 'base' (~/.aws/credentials [base]" in result.evidence()
    assert_no_secrets(result, base)
