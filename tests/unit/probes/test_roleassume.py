"""role.settings: role profiles as botocore reads them, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.probes.helpers import KEY, SECRET, probe

SOURCE = f"[base]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"


def _setup(home: Path, monkeypatch: pytest.MonkeyPatch, config: str, profile: str = "app") -> None:
    (home / ".aws" / "credentials").write_text(SOURCE)
    (home / ".aws" / "config").write_text(config)
    monkeypatch.setenv("AWS_PROFILE", profile)


def test_a_profile_without_a_role(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(SOURCE.replace("[base]", "[default]"))
    evidence = probe("role.settings")
    assert evidence.findings == ("no-role-profile",)
    assert evidence.status.value == "ok"


@pytest.mark.parametrize(
    ("arn", "finding", "words"),
    [
        ("arn:aws:iam::123456789012:user/alice", "role-arn-not-role", "an IAM user"),
        (
            "arn:aws:sts::123456789012:assumed-role/Admin/me",
            "role-arn-not-role",
            "arn:aws:iam::123456789012:role/Admin",
        ),
        ("arn:aws:iam::12345678901:role/Admin", "role-arn-malformed", "12-digit"),
        ("arn:aws:iam:123456789012:role/Admin", "role-arn-malformed", "not of the form"),
    ],
)
def test_a_role_arn_that_cannot_name_a_role(
    home: Path, monkeypatch: pytest.MonkeyPatch, arn: str, finding: str, words: str
) -> None:
    _setup(home, monkeypatch, f"[profile app]\nrole_arn = {arn}\nsource_profile = base\n")
    evidence = probe("role.settings")
    assert finding in evidence.findings
    assert words in evidence.summary
    assert evidence.facts["role_arn"].value == arn


@pytest.mark.parametrize(
    ("value", "role_name"),
    [("deploy-role", "deploy-role"), ("ci+deploy@team", "ci+deploy@team"), ("arn:aws:iam", None)],
)
def test_a_role_s_name_where_its_arn_belongs_names_the_role(
    home: Path, monkeypatch: pytest.MonkeyPatch, value: str, role_name: str | None
) -> None:
    """IAM can give the ARN of a role named by its name; a cut ARN names no role."""
    _setup(home, monkeypatch, f"[profile app]\nrole_arn = {value}\nsource_profile = base\n")
    evidence = probe("role.settings")
    assert "role-arn-malformed" in evidence.findings
    found = evidence.facts.get("role_name")
    assert (found.value if found else None) == role_name


def test_a_well_formed_role_with_a_path(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arn = "arn:aws-us-gov:iam::123456789012:role/teams/deploy"
    _setup(
        home,
        monkeypatch,
        f"[profile app]\nrole_arn = {arn}\nsource_profile = base\nexternal_id = xyz\n",
    )
    evidence = probe("role.settings")
    assert set(evidence.findings) == {"external-id-set", "source-long-term-keys"}
    assert evidence.status.value == "ok"
    assert "external_id" in evidence.summary and "xyz" not in evidence.summary
    assert evidence.facts["source_profile"].value == "base"


def test_an_mfa_serial_that_is_the_user_not_the_device(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(
        home,
        monkeypatch,
        "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = base\n"
        "mfa_serial = arn:aws:iam::123456789012:user/alice\n",
    )
    evidence = probe("role.settings")
    assert {"mfa-serial-set", "mfa-serial-not-device"} <= set(evidence.findings)
    assert evidence.facts["mfa_serial"].value.endswith(":user/alice")


@pytest.mark.parametrize("serial", ["arn:aws:iam::123456789012:mfa/alice-phone", "GAHT12345678"])
def test_good_mfa_serials(home: Path, monkeypatch: pytest.MonkeyPatch, serial: str) -> None:
    _setup(
        home,
        monkeypatch,
        f"[profile app]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = base\nmfa_serial = {serial}\n",
    )
    assert probe("role.settings").findings == ("source-long-term-keys", "mfa-serial-set")


def test_role_chaining_caps_the_duration_at_one_hour(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(
        home,
        monkeypatch,
        "[profile hop]\nrole_arn = arn:aws:iam::123456789012:role/Hop\nsource_profile = base\n"
        "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/App\nsource_profile = hop\n"
        "duration_seconds = 7200\n",
    )
    evidence = probe("role.settings")
    assert {"role-chaining", "duration-set", "duration-over-hour"} <= set(evidence.findings)
    assert any("role chaining allows at most 3600" in line for line in evidence.details)


def test_an_iam_users_keys_as_the_source_are_no_role_session(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The source profile holds an IAM user's keys (AKIA): no chaining, and the one-hour limit
    of a role session does not apply (the step that asks whether it does is not shown)."""
    _setup(
        home,
        monkeypatch,
        "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/App\nsource_profile = base\n"
        "duration_seconds = 7200\n",
    )
    findings = probe("role.settings").findings
    assert "source-long-term-keys" in findings
    assert not {"role-chaining", "source-temporary-keys"} & set(findings)


def test_an_sso_source_is_chaining_too(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _setup(
        home,
        monkeypatch,
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
        "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/App\nsource_profile = sso\n",
    )
    assert "role-chaining" in probe("role.settings").findings


def test_instance_role_credentials_are_chaining(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(
        home,
        monkeypatch,
        "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/App\n"
        "credential_source = Ec2InstanceMetadata\nduration_seconds = 43200\n",
    )
    evidence = probe("role.settings")
    assert {"role-chaining", "duration-over-hour"} <= set(evidence.findings)


@pytest.mark.parametrize(
    ("value", "finding"), [("600", "duration-invalid"), ("1h", "duration-invalid"), ("3600", None)]
)
def test_duration_values(
    home: Path, monkeypatch: pytest.MonkeyPatch, value: str, finding: str | None
) -> None:
    _setup(
        home,
        monkeypatch,
        f"[profile app]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = base\nduration_seconds = {value}\n",
    )
    findings = probe("role.settings").findings
    assert "duration-set" in findings
    assert (
        (finding in findings)
        if finding
        else not ({"duration-invalid", "duration-over-hour"} & set(findings))
    )


def test_what_the_error_text_adds(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _setup(
        home,
        monkeypatch,
        "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = base\n",
    )
    tagged = probe(
        "role.settings",
        "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:TagSession on "
        "resource: arn:aws:iam::123456789012:role/B",
    )
    assert {"session-tags-refused", "role-differs-from-error"} <= set(tagged.findings)
    wrong_device = probe(
        "role.settings",
        "AccessDenied: MultiFactorAuthentication failed, unable to validate MFA code.",
    )
    assert "mfa-serial-rejected" in wrong_device.findings
    assert (
        "mfa-code-rejected"
        in probe(
            "role.settings", "MultiFactorAuthentication failed with invalid MFA one time pass code."
        ).findings
    )


def test_broken_files_are_no_crash(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / ".aws" / "config").write_text("[profile app\nrole_arn = x\n")
    for probe_id in ("role.settings", "identity.compare", "net.route", "denial.message"):
        evidence = probe(
            probe_id,
            "AccessDenied: User: arn:aws:iam::1:user/x is not authorized to perform: s3:GetObject",
        )
        assert evidence.status.value != "error", (probe_id, evidence.summary)


TF_ERROR = """\
Error: "assume_role.0.role_arn" (deploy) is an invalid ARN: arn: invalid prefix

  with provider["registry.terraform.io/hashicorp/aws"],
  on main.tf line 7, in provider "aws":
   7:     role_arn = "deploy"
"""
MAIN_TF = """\
terraform {
  required_providers { aws = { source = "hashicorp/aws" } }
}
provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn = "deploy"
  }
}
"""


@pytest.mark.parametrize("with_files", [True, False])
def test_a_terraform_assume_role_block_with_a_role_name(
    home: Path, tmp_path: Path, with_files: bool
) -> None:
    """Audit 4 s30: Terraform's provider refuses `assume_role { role_arn = "deploy" }` before
    any request. The value, and the file and line it is written on, come from the .tf files
    of the working directory, else from the source excerpt Terraform printed."""
    from tests.unit.probes.helpers import probe_on_paste

    (home / ".aws" / "credentials").write_text(SOURCE.replace("[base]", "[default]"))
    work = tmp_path / "tf"
    work.mkdir()
    if with_files:
        (work / "main.tf").write_text(MAIN_TF)
    evidence = probe_on_paste("role.settings", TF_ERROR, cwd=work)
    assert "role-arn-in-terraform" in evidence.findings
    assert evidence.facts["terraform_setting"].value == "main.tf line 7"
    assert evidence.facts["role_name"].value == "deploy"
    assert evidence.summary.startswith("main.tf line 7: Terraform's assume_role role_arn 'deploy'")


def test_a_terraform_role_arn_that_is_an_arn_is_not_reported(home: Path, tmp_path: Path) -> None:
    from tests.unit.probes.helpers import probe_on_paste

    (home / ".aws" / "credentials").write_text(SOURCE.replace("[base]", "[default]"))
    (tmp_path / "main.tf").write_text(
        MAIN_TF.replace('"deploy"', '"arn:aws:iam::123456789012:role/deploy"')
    )
    text = TF_ERROR.replace('"deploy"', '"arn:aws:iam::123456789012:role/deploy"')
    evidence = probe_on_paste("role.settings", text, cwd=tmp_path)
    assert "role-arn-in-terraform" not in evidence.findings
