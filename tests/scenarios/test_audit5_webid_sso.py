"""Scenarios from a fifth outside audit: a web identity token that has expired (s08), a web
identity token file written as a relative path (s31), and an SSO token cache this user cannot
reach (s13, a root-owned ~/.aws/sso/cache after an earlier `sudo aws sso login`).

Same recipe as test_audit_setups4: a real broken setup (temp HOME, exact bytes, env vars), the
real error there (boto3's, or STS's own answer), then `awsmedic diagnose` in the same setup. The
SSO cache needs a user that root's permissions do not override, so s13 is checked in process
with the denial the kernel gives that user (os.access and the read), and the cause it leads to.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from awsmedic.core.check import Checker
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.model import Status
from awsmedic.safety.redact import SecretBook
from tests.conftest import make_context
from tests.scenarios.setup import Setup, cause, commands, evidence, texts
from tests.unit.probes.helpers import probe

pytestmark = pytest.mark.slow

ROLE = "arn:aws:iam::123456789012:role/deploy"
#: What STS answers (and boto3 prints) for an OIDC token past its `exp` claim (audit 5 s08).
STS_EXPIRED = (
    "botocore.errorfactory.ExpiredTokenException: An error occurred (ExpiredTokenException)"
    " when calling the AssumeRoleWithWebIdentity operation: Token expired: current date/time"
    " 1765035600 must be before the expiration date/time1700000000"
)


def jwt(**claims: object) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    body = {
        "iss": "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        "sub": "system:serviceaccount:default:app",
        "aud": "sts.amazonaws.com",
        "exp": 1_700_000_000,
        **claims,
    }
    return f"{part({'alg': 'RS256'})}.{part(body)}.c2lnbmF0dXJl"


@pytest.fixture
def setup(home: Path) -> Setup:
    return Setup.fresh(home)


# -- s08: the web identity token itself has expired ----------------------------------------


def test_an_expired_web_identity_token_is_named_and_the_trust_policy_left_alone(
    setup: Setup,
) -> None:
    """s08: a token copied out of a pod, past its exp. diagnose ran no token check and led
    with the role's trust policy ("<role_arn>: nothing here tells it", though AWS_ROLE_ARN is
    set). Now the walk reads the token (its exp claim), confirms it, and the first step is the
    token: point the variable at the live one; no trust-policy or id-token step."""
    token = jwt()
    path = setup.write("token", token)
    setup.write(".aws/config", "[default]\nregion = eu-west-1\n")
    setup.env.update(AWS_ROLE_ARN=ROLE, AWS_WEB_IDENTITY_TOKEN_FILE=str(path))
    setup.secrets.append(token)
    result = setup.diagnose(STS_EXPIRED, "--offline")
    assert cause(result) == "web-identity-failure"
    assert result["diagnosis"]["confidence"] == "confirmed"
    assert "it expired at 2023-11-14 22:13 UTC" in evidence(result)
    first = result["steps"][0]["text"]
    assert first.startswith("The web identity token itself has expired")
    assert commands(result)[0] == 'ls -l "$AWS_WEB_IDENTITY_TOKEN_FILE"'
    said = texts(result)
    assert "trust policy of" not in said and "id-token: write" not in said
    assert not [c for c in commands(result) if c.startswith(("aws iam get-role", "kubectl"))]


def test_check_names_the_expired_token_first(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """s08's `awsmedic check`: it found the expiry, and its one step was the trust policy."""
    path = home / "token"
    path.write_text(jwt())
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_ROLE_ARN", ROLE)
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(path))
    knowledge = load_checked(knowledge_dirs({}))
    report = Checker(make_context(offline=True), knowledge, SecretBook(), {}).check(every=False)
    verdict = report.subjects[0]
    assert verdict.diagnosis is not None
    assert verdict.diagnosis.cause == "web-identity-failure"
    assert verdict.diagnosis.steps[0].text.startswith("The web identity token itself has expired")


# -- s31: web_identity_token_file = token.jwt -------------------------------------------------

RELATIVE = (
    f"[profile ci]\nregion = eu-west-1\nrole_arn = {ROLE}\nweb_identity_token_file = token.jwt\n"
)


def test_a_relative_token_path_is_named_and_made_absolute(setup: Setup) -> None:
    """s31: botocore opens web_identity_token_file as written, from the working directory
    (utils.FileWebIdentityTokenLoader). awsmedic said only that the file does not exist; now it
    says the path is relative and gives the absolute-path fix, with no EKS or GitHub step."""
    setup.write("ci/token.jwt", jwt(exp=4_000_000_000))
    setup.write(".aws/config", RELATIVE)
    error = setup.boto3_error("ci")
    assert "No such file or directory: 'token.jwt'" in error
    result = setup.diagnose(error, "--offline", "--profile", "ci")
    assert cause(result) == "web-identity-failure"
    assert "token.jwt is a relative path" in evidence(result)
    assert commands(result)[0] == (
        "aws configure set web_identity_token_file <token_file_path> --profile ci"
    )
    assert "kubectl" not in str(commands(result)) and "id-token" not in texts(result)


def test_a_relative_token_path_found_at_home_is_filled_in(setup: Setup) -> None:
    """The same with the token next to the home directory: the command holds its full path."""
    token = setup.write("token.jwt", jwt(exp=4_000_000_000))
    setup.write(".aws/config", RELATIVE)
    result = setup.diagnose(setup.boto3_error("ci"), "--offline", "--profile", "ci")
    assert commands(result)[0] == (
        f"aws configure set web_identity_token_file {token} --profile ci"
    )


def test_a_relative_token_variable_gets_an_export(setup: Setup) -> None:
    """AWS_WEB_IDENTITY_TOKEN_FILE=token.jwt: the fix is the variable, not the profile."""
    token = setup.write("token.jwt", jwt(exp=4_000_000_000))
    setup.write(".aws/config", "[default]\nregion = eu-west-1\n")
    setup.env.update(AWS_ROLE_ARN=ROLE, AWS_WEB_IDENTITY_TOKEN_FILE="token.jwt")
    error = "FileNotFoundError: [Errno 2] No such file or directory: 'token.jwt'"
    result = setup.diagnose(error, "--offline")
    assert commands(result)[0] == f"export AWS_WEB_IDENTITY_TOKEN_FILE={token}"


def test_a_relative_token_path_that_works_here_is_still_named(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from the token's folder the relative path works (botocore reads it from there): the
    token is read and fine, and the path is named as relative, with its full path."""
    (home / "ci").mkdir()
    (home / "ci" / "token.jwt").write_text(jwt(exp=4_000_000_000))
    (home / ".aws" / "config").write_text(RELATIVE)
    evidence = probe("creds.web-identity", profile="ci", cwd=home / "ci")
    assert evidence.findings == ("web-identity-token-ok", "web-identity-token-file-relative")
    assert evidence.status is Status.OK
    assert evidence.facts["token_file_path"].value == str(home / "ci" / "token.jwt")


# -- s13: ~/.aws/sso/cache belongs to root ----------------------------------------------------

SSO = (
    "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n"
    "region = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
    "sso_region = eu-west-1\n"
)


def _sso_cache(home: Path) -> Path:
    (home / ".aws" / "config").write_text(SSO)
    valid = (datetime.now(UTC) + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%SZ")
    token = home / ".aws" / "sso" / "cache" / (hashlib.sha1(b"corp").hexdigest() + ".json")  # noqa: S324
    token.parent.mkdir(parents=True)
    token.write_text(json.dumps({"accessToken": "aoaAAAAAGfake", "expiresAt": valid}))
    return token


def _deny(monkeypatch: pytest.MonkeyPatch, blocked: Path, *, other_owner: bool) -> None:
    """What a user that does not own `blocked` (mode 700/600) meets: no search or read there,
    and the token file refused (root, running the tests, would be let in)."""
    from awsmedic.probes import sso

    access = os.access
    monkeypatch.setattr(os, "access", lambda p, m: Path(p) != blocked and access(p, m))
    owner = blocked.stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1 if other_owner else owner)
    monkeypatch.setattr(sso, "read_token", lambda path: (None, "unreadable (Permission denied)"))


@pytest.mark.parametrize("where", ["folder", "file"])
def test_an_sso_cache_owned_by_another_user_is_not_an_expired_sign_in(
    home: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """s13: botocore says "Token for corp does not exist" (JSONFileCache.__contains__ is
    os.path.isfile, false in a folder it cannot search). awsmedic said the sign-in had expired
    and gave `aws sso login`, which cannot write there either. Now: the cache belongs to
    another user, take it back with chown; the token is not called expired."""
    token = _sso_cache(home)
    _deny(monkeypatch, token.parent if where == "folder" else token, other_owner=True)
    evidence = probe("sso.token", profile="dev")
    assert evidence.findings == ("sso-cache-owned-by-other-user",)
    assert evidence.status is Status.PROBLEM
    assert "not by this user" in evidence.summary and "expired" not in evidence.summary
    assert "file_owner" in evidence.facts
    knowledge = load_checked(knowledge_dirs({}))
    report = Checker(make_context(offline=True, profile="dev"), knowledge, SecretBook(), {}).check(
        every=False
    )
    diagnosis = report.subjects[0].diagnosis
    assert diagnosis is not None and diagnosis.cause == "sso-cache-unreadable"
    assert diagnosis.steps[0].commands[0] == 'sudo chown -R "$USER" ~/.aws/sso'
    assert "aws sso login" not in " ".join(c for s in diagnosis.steps for c in s.commands)


def test_an_sso_cache_of_this_user_with_no_access_gets_chmod(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _sso_cache(home)
    _deny(monkeypatch, token.parent, other_owner=False)
    evidence = probe("sso.token", profile="dev")
    assert evidence.findings == ("sso-cache-not-accessible",)
    assert "its mode shuts this user out" in evidence.summary
