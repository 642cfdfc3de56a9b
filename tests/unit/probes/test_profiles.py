"""config.profile: the selected profile, what selected it, and where it is (or nearly is)."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.aws.sharedfiles import profile_in_text
from awsmedic.model import Status
from tests.unit.probes.helpers import KEY, SECRET, probe

KEYS = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"


def files(home: Path, credentials: str = "", config: str = "") -> None:
    (home / ".aws" / "credentials").write_text(credentials)
    (home / ".aws" / "config").write_text(config)


def test_a_defined_profile_says_where(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files(home, f"[default]\n{KEYS}[dev]\n{KEYS}", "[profile dev]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_PROFILE", "dev")
    evidence = probe("config.profile")
    assert evidence.status is Status.OK
    assert {"profile-defined", "profile-kind-static"} <= set(evidence.findings)
    assert evidence.facts["profile"].source == "AWS_PROFILE"
    assert "~/.aws/config line 1 [profile dev]" in evidence.summary
    assert "~/.aws/credentials line 4 [dev]" in evidence.summary
    assert "dev (~/.aws/config line 1, ~/.aws/credentials line 4)" in evidence.details[-1]


def test_a_missing_profile_with_a_near_name(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files(home, f"[default]\n{KEYS}[production]\n{KEYS}")
    monkeypatch.setenv("AWS_PROFILE", "prodution")
    evidence = probe("config.profile")
    assert {"profile-missing", "profile-near-miss"} <= set(evidence.findings)
    assert "did you mean 'production'?" in evidence.summary
    assert "(profiles: default, production)" in evidence.summary


def test_a_profile_without_credentials_whose_keys_sit_under_another_header(home: Path) -> None:
    files(home, f"[Dev]\n{KEYS}", "[profile dev]\nregion = eu-west-1\n")
    evidence = probe("config.profile", profile="dev")
    assert {"profile-has-no-credentials", "profile-near-miss"} <= set(evidence.findings)
    assert "~/.aws/credentials line 1 [Dev] differs only in case" in evidence.summary
    files(home, f"[profile dev]\n{KEYS}", "[profile dev]\nregion = eu-west-1\n")
    evidence = probe("config.profile", profile="dev")
    assert "profile-written-with-prefix" in evidence.findings


def test_case_matters(home: Path) -> None:
    files(home, f"[Dev]\n{KEYS}")
    evidence = probe("config.profile", profile="dev")
    assert {"profile-missing", "profile-near-miss"} <= set(evidence.findings)
    assert evidence.facts["profile"].source == "--profile"


def test_prefix_in_the_credentials_file(home: Path) -> None:
    files(home, f"[profile dev]\n{KEYS}")
    evidence = probe("config.profile", "The config profile (dev) could not be found")
    assert {"profile-missing", "profile-written-with-prefix"} <= set(evidence.findings)
    assert "~/.aws/credentials line 1 has [profile dev]" in evidence.summary


def test_no_prefix_in_the_config_file(home: Path) -> None:
    files(
        home,
        "",
        "[default]\nregion = us-east-1\n[dev]\nrole_arn = arn:aws:iam::123456789012:role/x\n",
    )
    evidence = probe("config.profile", profile="dev")
    assert "profile-written-without-prefix" in evidence.findings
    assert "~/.aws/config line 3 has [dev]" in evidence.summary


def test_a_header_botocore_ignores(home: Path) -> None:
    files(home, "", "[profiledev]\nregion = us-east-1\n")
    assert "profile-bad-header" in probe("config.profile", profile="dev").findings


def test_a_trailing_space_in_the_selected_name(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files(home, f"[dev]\n{KEYS}")
    monkeypatch.setenv("AWS_PROFILE", "dev ")
    evidence = probe("config.profile")
    assert {"profile-missing", "profile-name-stray-characters"} <= set(evidence.findings)
    assert "trailing whitespace" in evidence.summary
    assert "the files define 'dev'" in evidence.summary


@pytest.mark.parametrize("value", ["dev;touch /tmp/pwned", "$(id)dev", "dev # mine", 'dev"'])
def test_a_defined_name_with_something_run_on_to_it_in_the_variable(
    home: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """Audit 3 s26: the variable holds the junk, the files are right: set the variable again,
    to the defined name it starts with (a prefix match only where a name cannot go on)."""
    files(home, f"[dev]\n{KEYS}[devops]\n{KEYS}")
    monkeypatch.setenv("AWS_PROFILE", value)
    evidence = probe("config.profile")
    assert {"profile-missing", "profile-env-stray-characters"} <= set(evidence.findings)
    assert evidence.facts["profile_variable"].value == "AWS_PROFILE"
    if value.startswith("dev"):
        assert evidence.facts["suggested_profile"].value == "dev"


def test_a_longer_name_is_not_taken_for_a_defined_prefix(home: Path) -> None:
    files(home, f"[dev]\n{KEYS}")
    evidence = probe("config.profile", profile="development-eu-west-1-admin")
    assert "profile-near-miss" not in evidence.findings
    assert "did you mean" not in evidence.summary


def test_spaces_inside_the_brackets(home: Path) -> None:
    files(home, f"[ dev ]\n{KEYS}")
    evidence = probe("config.profile", profile="dev")
    assert "profile-section-stray-characters" in evidence.findings


def test_an_empty_name(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files(home, f"[default]\n{KEYS}")
    monkeypatch.setenv("AWS_PROFILE", "")
    assert {"profile-missing", "profile-name-empty"} <= set(probe("config.profile").findings)


def test_an_implicit_default_that_does_not_exist(home: Path) -> None:
    files(home, f"[Default]\n{KEYS}")
    evidence = probe("config.profile")
    assert "profile-default-absent" in evidence.findings
    assert "profile-missing" not in evidence.findings


def test_botocore_reads_aws_default_profile_first(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files(home, f"[a]\n{KEYS}[b]\n{KEYS}")
    monkeypatch.setenv("AWS_PROFILE", "a")
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "b")
    evidence = probe("config.profile")
    assert evidence.facts["profile"].value == "b"
    assert "profile-env-conflict" in evidence.findings
    assert any("AWS CLI v2 uses AWS_PROFILE" in d for d in evidence.details)


def test_the_profile_in_the_error_beats_the_environment(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files(home, f"[default]\n{KEYS}")
    monkeypatch.setenv("AWS_PROFILE", "default")
    evidence = probe("config.profile", "aws s3 ls --profile staging")
    assert evidence.facts["profile"].value == "staging"
    assert evidence.facts["profile"].source == "the error text"


@pytest.mark.parametrize(
    ("kind", "settings"),
    [
        ("role", "role_arn = arn:aws:iam::123456789012:role/x\nsource_profile = default"),
        ("sso", "sso_session = corp\nsso_account_id = 123456789012\nsso_role_name = A"),
        ("process", "credential_process = /bin/helper"),
        ("login", "login_session = arn:aws:iam::123456789012:user/a"),
        (
            "web-identity",
            "web_identity_token_file = /t\nrole_arn = arn:aws:iam::123456789012:role/x",
        ),
        ("none", "region = us-east-1"),
    ],
)
def test_profile_kinds(home: Path, kind: str, settings: str) -> None:
    files(home, "", f"[profile dev]\n{settings}\n")
    assert f"profile-kind-{kind}" in probe("config.profile", profile="dev").findings


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "botocore.exceptions.ProfileNotFound: The config profile (dev ) could not be found",
            "dev ",
        ),
        ("$ aws s3 ls --profile=prod", "prod"),
        ("$ export AWS_PROFILE=foobar\n$ aws sts get-caller-identity", "foobar"),
        ('The source_profile "base" referenced in the profile "dev" does not exist.', "dev"),
        ('The source profile "base" must have credentials.', None),
        ("Unable to locate credentials", None),
        # Go v2 without the role: the profile asked for is missing
        ("operation error STS: GetCallerIdentity, failed to get shared config profile, ops", "ops"),
        # Go v2 and v1 name a role profile's *source* profile: not the one asked for
        (
            "failed to load assume role arn:aws:iam::123456789012:role/deploy, of profile base,"
            " failed to get shared config profile, base",
            None,
        ),
        (
            "failed to load assume role for arn:aws:iam::123456789012:role/deploy, source profile"
            " base has no shared credentials",
            None,
        ),
    ],
)
def test_profile_names_in_error_texts(text: str, name: str | None) -> None:
    assert profile_in_text(text) == name


def test_a_go_role_error_names_the_profile_by_its_role(home: Path) -> None:
    files(
        home,
        f"[default]\n{KEYS}",
        "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n"
        "[profile audit]\nrole_arn = arn:aws:iam::123456789012:role/audit\nsource_profile = base\n",
    )
    text = (
        "Error: failed to load assume role arn:aws:iam::123456789012:role/deploy, of profile base,"
        " failed to get shared config profile, base"
    )
    evidence = probe("config.profile", text)
    assert evidence.facts["profile"].value == "deploy"
    assert evidence.facts["profile"].source == "the error text"


def test_a_missing_profile_suggests_the_one_meant(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        "[production]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n"
    )
    (home / ".aws" / "config").write_text("[profile other]\nregion = us-east-1\n")
    assert (
        probe("config.profile", profile="prodution").facts["suggested_profile"].value
        == "production"
    )
    # No near name: the only profile that has credentials.
    assert probe("config.profile", profile="qa").facts["suggested_profile"].value == "production"
    assert "suggested_profile" not in probe("config.profile", profile="production").facts


def test_a_name_with_a_terminal_escape_is_shown_with_the_escape_visible(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A terminal shows nothing of an escape sequence: the name must show it as text, or the
    sentence names 'dev' as missing while listing 'dev' among the profiles."""
    files(home, f"[dev]\n{KEYS}")
    monkeypatch.setenv("AWS_PROFILE", "dev\x1b[31m")
    evidence = probe("config.profile")
    assert "profile-missing" in evidence.findings
    assert "profile 'dev\\x1b[31m' (AWS_PROFILE)" in evidence.summary
    assert "profile-name-stray-characters" in evidence.findings
    assert "the name has a control character U+001B" in evidence.summary
    assert "\x1b" not in evidence.summary


def test_sso_settings_without_account_and_role_are_named(home: Path) -> None:
    """botocore reads a profile as IAM Identity Center only with sso_account_id or
    sso_role_name: a start URL alone gives no credentials, and the probe says why."""
    files(
        home,
        "",
        "[profile analytics]\nsso_start_url = https://x.awsapps.com/start\n"
        "sso_region = us-east-1\n",
    )
    evidence = probe("config.profile", profile="analytics")
    assert {"profile-kind-none", "profile-sso-incomplete"} <= set(evidence.findings)
    assert "neither sso_account_id nor sso_role_name" in evidence.summary
    files(home, "", "[profile analytics]\nregion = us-east-1\n")
    assert "profile-sso-incomplete" not in probe("config.profile", profile="analytics").findings


def test_a_missing_profile_named_by_a_terraform_provider(home: Path, tmp_path: Path) -> None:
    """Terraform prints only the name: the provider block's line says where it is written, and
    no profile variable is set (the steps then leave out echo/unset)."""
    files(home, f"[default]\n{KEYS}")
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region  = "eu-west-1"\n  profile = "staging"\n}\n'
    )
    evidence = probe(
        "config.profile", "Error: failed to get shared config profile, staging", cwd=tmp_path
    )
    assert {"profile-missing", "profile-in-terraform"} <= set(evidence.findings)
    assert "profile-var-set" not in evidence.findings
    assert evidence.facts["terraform_setting"].value == "main.tf line 3"


def test_a_missing_profile_named_by_the_kubeconfig(home: Path, tmp_path: Path) -> None:
    files(home, f"[eks]\n{KEYS}")
    (home / ".kube").mkdir()
    (home / ".kube" / "config").write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: prod\n"
        "contexts:\n- context: {cluster: prod, user: prod}\n  name: prod\n"
        "users:\n- name: prod\n  user:\n    exec:\n"
        "      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n"
        '      args: ["eks", "get-token", "--cluster-name", "prod"]\n'
        "      env:\n      - {name: AWS_PROFILE, value: eks-admin}\n"
    )
    text = (
        "The config profile (eks-admin) could not be found\nE1 memcache.go:265] couldn't get"
        ' current server API group list: Get "https://x": getting credentials: exec:'
        " executable aws failed with exit code 255"
    )
    evidence = probe("config.profile", text, cwd=tmp_path)
    assert {"profile-missing", "profile-in-kubeconfig"} <= set(evidence.findings)
    assert evidence.facts["cluster"].value == "prod"
    assert evidence.facts["suggested_profile"].value == "eks"


def test_a_profile_variable_that_is_set_is_said(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files(home, f"[default]\n{KEYS}")
    monkeypatch.setenv("AWS_PROFILE", "nope")
    assert "profile-var-set" in probe("config.profile").findings


def test_a_line_ending_in_the_profile_variable_is_named(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a `\r` says the variable came from a file with Windows line endings (the .env step);
    other junk run on to the name does not."""
    files(home, f"[dev]\n{KEYS}")
    monkeypatch.setenv("AWS_PROFILE", "dev\r")
    assert "profile-env-line-ending" in probe("config.profile").findings
    monkeypatch.setenv("AWS_PROFILE", "dev;touch /tmp/x")
    findings = probe("config.profile").findings
    assert "profile-env-stray-characters" in findings
    assert "profile-env-line-ending" not in findings
