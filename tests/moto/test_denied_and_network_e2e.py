"""`awsmedic diagnose` on refused actions and unreachable endpoints, each a real broken setup.

Every case builds the setup (users, policies and roles in moto with auth enforced, ~/.aws files,
environment variables, servers on 127.0.0.1), captures the error boto3 really raises there,
runs awsmedic as a subprocess in the same setup, and checks the cause and that no secret shows.

Where moto does not word its answers like AWS, `aws_wording_gateway` (tests/nethelpers.py) sits
in front of it: moto refuses with `User: <arn> is not authorized to perform: <action>`, AWS adds
`on resource: <arn>` and the reason (`with an explicit deny in an identity-based policy`). The
intercepting proxy stands in for a TLS-inspecting corporate proxy: it answers CONNECT itself and
never connects to the AWS host name it was asked for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.awsfixtures import Keys, MotoAws
from tests.nethelpers import (
    aws_wording_gateway,
    closed_port,
    intercepting_proxy,
    make_pki,
    sts_error,
    tls_server,
)

pytestmark = pytest.mark.moto

ACCOUNT = "123456789012"
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
ASSUME_ANY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}],
}

_CALL = """
import json, sys, boto3
service, operation, params, profile = json.loads(sys.argv[1])
try:
    client = boto3.Session(profile_name=profile).client(service)
    answer = getattr(client, operation)(**params)
except Exception as e:
    print(f"{type(e).__module__}.{type(e).__name__}: {e}")
else:
    print("no error: " + json.dumps(answer.get("Arn", "")))
"""


def boto3_call(
    env: dict[str, str], service: str, operation: str, profile: str | None = None
) -> str:
    """What boto3 prints for one call in this setup (the error, or 'no error: <arn>')."""
    result = subprocess.run(
        [sys.executable, "-c", _CALL, json.dumps([service, operation, {}, profile])],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip() or result.stderr.strip()


def real_error(env: dict[str, str], service: str, operation: str) -> str:
    error = boto3_call(env, service, operation)
    assert not error.startswith("no error"), "the broken setup is not broken"
    return error


def diagnose(
    env: dict[str, str], text: str, tmp_path: Path, secrets: list[str], *args: str
) -> dict[str, Any]:
    """Run diagnose (JSON on stdout, a Markdown and a JSON export); no secret may show anywhere."""
    outputs: list[str] = []
    result: dict[str, Any] = {}
    for export in ("t.md", "t.json"):
        done = subprocess.run(
            [sys.executable, "-m", "awsmedic", "diagnose", "--format", "json", "--no-input",
             "--export", str(tmp_path / export), *args, text],
            env=env, capture_output=True, text=True, timeout=90, cwd=tmp_path,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        result = json.loads(done.stdout)
        outputs += [done.stdout, done.stderr, (tmp_path / export).read_text()]
        (tmp_path / export).unlink()
    for secret in secrets:
        for output in outputs:
            assert secret not in output
    return result


def _section(name: str, keys: Keys) -> str:
    return f"[{name}]\naws_access_key_id = {keys.access_key_id}\naws_secret_access_key = {keys.secret_access_key}\n"


def _secrets(*keys: Keys) -> list[str]:
    return [value for k in keys for value in (k.access_key_id, k.secret_access_key)]


def _env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _steps(result: dict[str, Any]) -> str:
    return "\n".join(step["text"] for step in result["steps"])


# --- refused actions ---------------------------------------------------------------------------


def test_a_user_without_the_permission_for_iam(aws: MotoAws, home: Path, tmp_path: Path) -> None:
    bob = aws.create_user("bob")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("default", bob))
    env = _env()
    assert boto3_call(env, "sts", "get_caller_identity").endswith(':user/bob"')
    error = real_error(env, "iam", "list_users")
    assert "(AccessDenied)" in error and "iam:ListUsers" in error
    result = diagnose(env, error, tmp_path, _secrets(bob))
    assert result["matches"][0]["tree"] == "access-denied"
    assert result["diagnosis"]["cause"] == "iam-permission-denied"
    statement = _steps(result)
    assert '"Action": "iam:ListUsers"' in statement and '"Effect": "Allow"' in statement
    answered = {q["id"]: q["answer"] for q in result["questions"]}
    assert answered["intended-identity"] == "yes"  # settled: bob is the only identity here
    # The statement is only shown: bob's policies are untouched.
    aws.control("/moto-api/reset-auth", b"inf")  # look, keep state
    assert aws._client("iam").list_user_policies(UserName="bob")["PolicyNames"] == []


def test_a_user_without_the_permission_for_s3(aws: MotoAws, home: Path, tmp_path: Path) -> None:
    bob = aws.create_user("bob")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("default", bob))
    env = _env()
    error = real_error(env, "s3", "list_buckets")
    assert "Access Denied" in error and "ListBuckets" in error
    result = diagnose(env, error, tmp_path, _secrets(bob))
    assert result["diagnosis"]["cause"] == "iam-permission-denied"
    assert '"Action": "s3:ListAllMyBuckets"' in _steps(result)
    assert '"Resource": "*"' in _steps(result)


def test_an_explicit_deny(aws: MotoAws, home: Path, tmp_path: Path) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:List*", "Resource": "*"},
        ],
    }
    carol = aws.create_user("carol", policy=policy)
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("default", carol))
    with aws_wording_gateway(aws.url, frozenset({"carol"})) as gateway:
        env = _env(AWS_ENDPOINT_URL=gateway)
        error = real_error(env, "iam", "list_users")
        assert "with an explicit deny in an identity-based policy" in error
        result = diagnose(env, error, tmp_path, _secrets(carol))
    assert result["diagnosis"]["cause"] == "explicit-deny-guardrail"
    assert result["diagnosis"]["confidence"] == "confirmed"
    denial = next(p for p in result["probes"] if p["id"] == "denial.message")
    assert "explicit-deny-identity" in denial["findings"]
    assert any("identity-based policy" in line for line in result["diagnosis"]["evidence"])


def test_the_wrong_profile_is_selected(aws: MotoAws, home: Path, tmp_path: Path) -> None:
    dev, admin = aws.create_user("dev"), aws.create_user("admin", policy=ALLOW_ALL)
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("dev", dev) + _section("admin", admin))
    env = _env(AWS_PROFILE="admin", AWS_DEFAULT_PROFILE="dev")
    assert "user/admin" in boto3_call(env, "sts", "get_caller_identity", profile="admin")
    assert "no error" in boto3_call(env, "iam", "list_users", profile="admin")
    error = real_error(env, "iam", "list_users")  # boto3 reads AWS_DEFAULT_PROFILE first
    assert "user/dev" in error
    result = diagnose(env, error, tmp_path, _secrets(dev, admin))
    assert result["diagnosis"]["cause"] == "wrong-profile-selected"
    assert any("AWS_DEFAULT_PROFILE=dev" in line for line in result["diagnosis"]["evidence"])


def test_environment_keys_win_over_the_chosen_profile(
    aws: MotoAws, home: Path, tmp_path: Path
) -> None:
    dev, admin = aws.create_user("dev"), aws.create_user("admin", policy=ALLOW_ALL)
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("admin", admin))
    env = _env(
        AWS_PROFILE="admin",
        AWS_ACCESS_KEY_ID=dev.access_key_id,
        AWS_SECRET_ACCESS_KEY=dev.secret_access_key,
    )
    error = real_error(env, "iam", "list_users")
    result = diagnose(env, error, tmp_path, _secrets(dev, admin))
    assert result["diagnosis"]["cause"] == "env-overrides-profile"


def test_a_role_whose_trust_policy_refuses_the_caller(
    aws: MotoAws, home: Path, tmp_path: Path
) -> None:
    alice = aws.create_user("alice", policy=ASSUME_ANY)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = aws._client("iam").create_role(
        RoleName="deployer", AssumeRolePolicyDocument=json.dumps(trust)
    )
    role_arn = role["Role"]["Arn"]
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("base", alice))
    (home / ".aws" / "config").write_text(
        f"[profile deploy]\nrole_arn = {role_arn}\nsource_profile = base\n"
    )
    with aws_wording_gateway(aws.url) as gateway:
        env = _env(AWS_ENDPOINT_URL=gateway, AWS_PROFILE="deploy")
        error = real_error(env, "sts", "get_caller_identity")
        assert "AssumeRole operation" in error and f"on resource: {role_arn}" in error
        open_question = diagnose(env, error, tmp_path, _secrets(alice))
        result = diagnose(env, error, tmp_path, _secrets(alice), "--answer", "role-needs-mfa=no")
    assert open_question["diagnosis"] is None
    assert open_question["candidates"][0]["cause"] == "assume-role-denied"
    assert result["diagnosis"]["cause"] == "assume-role-denied"
    steps = _steps(result)
    assert f'"AWS": "arn:aws:iam::{ACCOUNT}:user/alice"' in steps  # the trust statement to ask for
    assert f'"Resource": "{role_arn}"' in steps  # and alice's own permission, least privilege
    assert "aws sts get-caller-identity --profile base" in steps
    assert "aws configure get role_arn --profile deploy" in steps
    identity = next(p for p in result["probes"] if p["id"] == "identity.compare")
    assert "source-identity-ok" in identity["findings"]


def _role_profile(aws: MotoAws, home: Path, extra: str = "") -> tuple[Keys, str]:
    """alice, allowed to assume `deployer`, which trusts her; profile `deploy` uses it."""
    alice = aws.create_user("alice", policy=ASSUME_ANY)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = aws._client("iam").create_role(
        RoleName="deployer", AssumeRolePolicyDocument=json.dumps(trust)
    )
    role_arn = str(role["Role"]["Arn"])
    (home / ".aws" / "credentials").write_text(_section("base", alice))
    (home / ".aws" / "config").write_text(
        f"[profile deploy]\nrole_arn = {role_arn}\nsource_profile = base\n{extra}"
    )
    return alice, role_arn


def test_a_session_longer_than_the_role_allows(aws: MotoAws, home: Path, tmp_path: Path) -> None:
    """moto does not check DurationSeconds; the gateway answers as STS does for a role whose
    MaxSessionDuration is the default hour."""
    alice, _ = _role_profile(aws, home, "duration_seconds = 43200\n")
    aws.enforce()

    def max_session(params: dict[str, str], headers: dict[str, str]) -> tuple[int, str] | None:
        if (
            params.get("Action") == "AssumeRole"
            and int(params.get("DurationSeconds", "3600")) > 3600
        ):
            message = (
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
            )
            return 400, sts_error("ValidationError", message)
        return None

    with aws_wording_gateway(aws.url, answer=max_session) as gateway:
        env = _env(AWS_ENDPOINT_URL=gateway, AWS_PROFILE="deploy")
        error = real_error(env, "sts", "get_caller_identity")
        assert "(ValidationError) when calling the AssumeRole operation" in error
        result = diagnose(env, error, tmp_path, _secrets(alice))
    assert result["matches"][0]["tree"] == "role-session-duration"
    assert result["diagnosis"]["cause"] == "role-duration-exceeded"
    assert "aws configure get duration_seconds --profile deploy" in _steps(result)
    settings = next(p for p in result["probes"] if p["id"] == "role.settings")
    assert "duration-over-hour" in settings["findings"]


def test_sts_deactivated_in_the_region_of_the_call(
    aws: MotoAws, home: Path, tmp_path: Path
) -> None:
    """moto has no per-region STS switch; the gateway answers AssumeRole signed for eu-west-3 the
    way STS does when an administrator deactivated that region's endpoint."""
    alice, _ = _role_profile(aws, home, "region = eu-west-3\n")
    aws.enforce()

    def deactivated(params: dict[str, str], headers: dict[str, str]) -> tuple[int, str] | None:
        scope = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        if params.get("Action") == "AssumeRole" and "/eu-west-3/sts/" in scope:
            message = (
                f"STS is not activated in this region for account:{ACCOUNT}. Your account "
                "administrator can activate STS in this region using the IAM Console."
            )
            return 403, sts_error("RegionDisabledException", message)
        return None

    with aws_wording_gateway(aws.url, answer=deactivated) as gateway:
        env = _env(AWS_ENDPOINT_URL=gateway, AWS_PROFILE="deploy", AWS_DEFAULT_REGION=None)
        error = real_error(env, "sts", "get_caller_identity")
        assert "RegionDisabledException" in error
        result = diagnose(env, error, tmp_path, _secrets(alice))
    assert result["matches"][0]["tree"] == "sts-region-disabled"
    assert result["diagnosis"]["cause"] == "sts-regional-endpoint-deactivated"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "activate the endpoint for `eu-west-3`" in _steps(result)


# --- unreachable endpoints ---------------------------------------------------------------------


def test_an_endpoint_override_nobody_listens_on(aws: MotoAws, home: Path, tmp_path: Path) -> None:
    bob = aws.create_user("bob")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("default", bob))
    stale = f"http://127.0.0.1:{closed_port()}"
    env = _env(AWS_ENDPOINT_URL_STS=stale)  # AWS_ENDPOINT_URL (moto) still serves other services
    error = real_error(env, "sts", "get_caller_identity")
    assert "EndpointConnectionError" in error and stale in error
    result = diagnose(env, error, tmp_path, _secrets(bob))
    assert result["matches"][0]["tree"] == "connection-failed"
    assert result["diagnosis"]["cause"] == "endpoint-override"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert any("AWS_ENDPOINT_URL_STS" in line for line in result["diagnosis"]["evidence"])


def test_a_proxy_that_is_down(aws: MotoAws, home: Path, tmp_path: Path) -> None:
    bob = aws.create_user("bob")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("default", bob))
    password = "pr0xy-Passw0rd-1"
    env = _env(HTTP_PROXY=f"http://me:{password}@127.0.0.1:{closed_port()}")  # moto is http://
    error = real_error(env, "sts", "get_caller_identity")
    assert "ProxyConnectionError" in error or "proxy" in error.lower()
    result = diagnose(env, error, tmp_path, [*_secrets(bob), password])
    assert result["matches"][0]["tree"] == "ssl-or-proxy"
    assert result["diagnosis"]["cause"] == "tls-or-proxy"
    assert result["diagnosis"]["confidence"] == "confirmed"
    connect = next(p for p in result["probes"] if p["id"] == "net.connect")
    assert connect["findings"] == ["proxy-unreachable"]


def test_tls_interception_by_a_proxy_with_its_own_ca(
    aws: MotoAws, home: Path, tmp_path: Path
) -> None:
    bob = aws.create_user("bob")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("default", bob))
    pki = make_pki(tmp_path, ["sts.us-east-1.amazonaws.com"])
    with intercepting_proxy(pki, upstream=aws.url.removeprefix("http://")) as port:
        env = _env(AWS_ENDPOINT_URL=None, HTTPS_PROXY=f"http://127.0.0.1:{port}")
        error = real_error(env, "sts", "get_caller_identity")
        assert "SSL validation failed for https://sts.us-east-1.amazonaws.com/" in error
        result = diagnose(env, error, tmp_path, _secrets(bob))
        # The fix the steps give works: trust the proxy's CA through AWS_CA_BUNDLE.
        fixed = boto3_call({**env, "AWS_CA_BUNDLE": str(pki.ca)}, "sts", "get_caller_identity")
    assert result["matches"][0]["tree"] == "ssl-or-proxy"
    assert result["diagnosis"]["cause"] == "tls-or-proxy"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert any("Example Corp TLS Inspection CA" in line for line in result["diagnosis"]["evidence"])
    assert "AWS_CA_BUNDLE" in _steps(result)
    assert fixed == f'no error: "arn:aws:iam::{ACCOUNT}:user/bob"'


def test_a_tls_endpoint_with_a_self_signed_certificate(
    aws: MotoAws, home: Path, tmp_path: Path
) -> None:
    """A TLS server on 127.0.0.1 with its own CA, in front of moto, stands in for an HTTPS
    endpoint whose certificate the default CA list does not trust."""
    bob = aws.create_user("bob")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(_section("default", bob))
    pki = make_pki(tmp_path, ["localhost", "127.0.0.1"], ca_name="Storage Team Private CA")
    with tls_server(pki, upstream=aws.url.removeprefix("http://")) as port:
        env = _env(AWS_ENDPOINT_URL=f"https://localhost:{port}")
        error = real_error(env, "sts", "get_caller_identity")
        assert "SSL validation failed" in error and "CERTIFICATE_VERIFY_FAILED" in error
        result = diagnose(env, error, tmp_path, _secrets(bob))
        fixed = boto3_call({**env, "AWS_CA_BUNDLE": str(pki.ca)}, "sts", "get_caller_identity")
    assert result["diagnosis"]["cause"] == "tls-or-proxy"
    connect = next(p for p in result["probes"] if p["id"] == "net.connect")
    assert "tls-untrusted" in connect["findings"] and "tls-intercepted" not in connect["findings"]
    assert "Storage Team Private CA" in connect["summary"]
    assert fixed == f'no error: "arn:aws:iam::{ACCOUNT}:user/bob"'
