"""config.role: a role profile's source of credentials, checked as botocore checks it."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.unit.probes.helpers import KEY, SECRET, probe

ROLE = "role_arn = arn:aws:iam::123456789012:role/deploy"


def config(home: Path, text: str) -> None:
    (home / ".aws" / "config").write_text(text)


def test_not_a_role_profile(home: Path) -> None:
    assert probe("config.role").findings == ("not-role-profile",)


def test_a_working_chain(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[base]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    config(home, f"[profile dev]\n{ROLE}\nsource_profile = base\n")
    evidence = probe("config.role", profile="dev")
    assert evidence.status is Status.OK
    assert evidence.findings == ("role-config-ok",)
    assert evidence.facts["source_profile"].value == "base"
    assert evidence.facts["role_arn"].location == "~/.aws/config line 2 [profile dev]"


@pytest.mark.parametrize(
    ("text", "finding", "says"),
    [
        (f"[profile dev]\n{ROLE}\n", "role-no-source", "neither source_profile nor"),
        (
            f"[profile dev]\n{ROLE}\nsource_profile = base\ncredential_source = Environment\n",
            "role-both-sources",
            "sets both",
        ),
        (
            f"[profile dev]\n{ROLE}\nsource_profile = bsae\n[profile base]\nregion = x\n",
            "role-source-profile-missing",
            "source_profile = bsae (~/.aws/config line 3",
        ),
        (
            f"[profile dev]\n{ROLE}\nsource_profile = base\n[profile base]\nregion = x\n",
            "role-source-no-credentials",
            "source profile 'base'",
        ),
        (
            f"[profile dev]\n{ROLE}\nsource_profile = base\n"
            f"[profile base]\n{ROLE}\nsource_profile = dev\n",
            "role-source-loop",
            "dev -> base -> dev",
        ),
        (f"[profile dev]\n{ROLE}\nsource_profile = dev\n", "role-source-loop", "dev -> dev"),
        (
            f"[profile dev]\n{ROLE}\ncredential_source = Ec2Instance\n",
            "role-credential-source-invalid",
            "is not one of Environment",
        ),
        (
            f"[profile dev]\n{ROLE}\ncredential_source = Environment\n",
            "role-credential-source-empty",
            "are not both set",
        ),
        (
            f"[profile dev]\nrole_arn = arn:aws:iam::1234:role/x\nsource_profile = dev\n"
            f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n",
            "role-arn-malformed",
            "12 digits",
        ),
    ],
)
def test_broken_sources(home: Path, text: str, finding: str, says: str) -> None:
    config(home, text)
    evidence = probe("config.role", profile="dev")
    assert finding in evidence.findings
    assert says in evidence.summary
    assert evidence.status is Status.PROBLEM


def test_a_missing_source_whose_keys_sit_under_the_prefix(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[profile base]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    config(home, f"[profile dev]\n{ROLE}\nsource_profile = base\n")
    evidence = probe("config.role", profile="dev")
    assert "role-source-profile-missing" in evidence.findings
    assert "~/.aws/credentials line 1 has [profile base]" in evidence.summary


def test_a_loop_is_broken_where_it_closes(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    config(
        home,
        f"[profile dev]\n{ROLE}\nsource_profile = ops\n[profile ops]\n{ROLE}\nsource_profile = dev\n",
    )
    evidence = probe("config.role", profile="dev")
    assert "role-source-loop" in evidence.findings
    (edit,) = evidence.edits
    assert edit.finding == "role-source-loop"
    assert (edit.line, edit.before, edit.after) == (
        6,
        "source_profile = dev",
        "source_profile = default",
    )


def test_a_self_reference_with_keys_is_allowed(home: Path) -> None:
    config(
        home,
        f"[profile dev]\n{ROLE}\nsource_profile = dev\n"
        f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n",
    )
    assert probe("config.role", profile="dev").findings == ("role-config-ok",)


def test_a_chain_through_an_sso_profile(home: Path) -> None:
    config(
        home,
        f"[profile dev]\n{ROLE}\nsource_profile = sso\n"
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = A\n",
    )
    evidence = probe("config.role", profile="dev")
    assert evidence.findings == ("role-config-ok",)
    assert "(sso)" in evidence.summary


def test_it_agrees_with_botocore(home: Path) -> None:
    """The same broken files make botocore raise; our finding names the same problem."""
    import botocore.session
    from botocore.exceptions import InvalidConfigError

    config(home, f"[profile dev]\n{ROLE}\nsource_profile = base\n")
    with pytest.raises(InvalidConfigError, match='source_profile "base"'):
        botocore.session.Session(profile="dev").get_credentials()
    assert "role-source-profile-missing" in probe("config.role", profile="dev").findings


def test_a_missing_source_gets_the_profiles_that_can_work_best_first(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[ops]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
        f"[prod]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
        f"[half]\naws_access_key_id = {KEY}\n"
    )
    config(
        home,
        "[default]\nregion = us-east-1\n\n"
        f"[profile deploy]\n{ROLE}\nsource_profile = prod-keys\n\n"
        "[profile sso-dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = R\n\n"
        f"[profile loop]\n{ROLE}\nsource_profile = deploy\n",
    )
    evidence = probe("config.role", profile="deploy")
    assert evidence.findings == ("role-source-profile-missing",)
    (edit,) = evidence.edits
    assert (edit.file, edit.line) == ("~/.aws/config", 6)
    assert (edit.before, edit.after) == ("source_profile = prod-keys", "source_profile = prod")
    assert edit.why == "'prod' has access keys"  # nearest name that works, then other keys
    # Never the role itself, a profile that leads back to it, or one with half a key pair.
    assert [c.after for c in edit.choices] == ["source_profile = ops", "source_profile = sso-dev"]


def test_a_source_without_credentials_gets_one_that_has_them(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[keys]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    config(
        home,
        f"[profile empty]\nregion = us-east-1\n[profile dev]\n{ROLE}\nsource_profile = empty\n",
    )
    evidence = probe("config.role", profile="dev")
    assert evidence.findings == ("role-source-no-credentials",)
    assert [(e.line, e.after) for e in evidence.edits] == [(5, "source_profile = keys")]


def test_no_edit_when_nothing_could_serve(home: Path) -> None:
    config(home, f"[profile dev]\n{ROLE}\nsource_profile = gone\n")
    evidence = probe("config.role", profile="dev")
    assert evidence.findings == ("role-source-profile-missing",) and evidence.edits == ()


def test_a_credential_source_in_the_wrong_case(home: Path) -> None:
    config(home, f"[profile dev]\n{ROLE}\ncredential_source = ec2instancemetadata\n")
    evidence = probe("config.role", profile="dev")
    assert evidence.findings == ("role-credential-source-invalid",)
    assert [(e.line, e.after) for e in evidence.edits] == [
        (3, "credential_source = Ec2InstanceMetadata")
    ]


IMDS_ROLE = f"[profile dev]\n{ROLE}\ncredential_source = Ec2InstanceMetadata\n"


def test_instance_metadata_turned_off_leaves_the_role_without_a_source(home: Path) -> None:
    """audit 3 s16b: botocore's InstanceMetadataFetcher reads AWS_EC2_METADATA_DISABLED and then
    never asks, so `credential_source = Ec2InstanceMetadata` has nothing to give (the test
    environment turns it off, as conftest does for every test)."""
    config(home, IMDS_ROLE)
    evidence = probe("config.role", profile="dev")
    assert evidence.status is Status.PROBLEM
    assert evidence.findings == (
        "role-credential-source-empty",
        "role-uses-credential-source",
        "role-credential-source-imds",
        "role-credential-source-imds-disabled",
    )
    assert "AWS_EC2_METADATA_DISABLED=true" in evidence.summary


def test_instance_metadata_as_the_source_where_it_may_answer(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings that are right: whether instance metadata answers is for imds.role to ask."""
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    config(home, IMDS_ROLE)
    evidence = probe("config.role", profile="dev")
    assert evidence.status is Status.OK
    assert evidence.findings == (
        "role-config-ok",
        "role-uses-credential-source",
        "role-credential-source-imds",
    )
