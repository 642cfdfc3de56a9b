"""creds.chain and config.profile read the profile a paste names in any SDK's words.

The chain is walked for the profile this machine selects; a paste that names another one is
told apart ("the error names profile qa; to check that one, run awsmedic with --profile qa"),
and a paste that names any profile is not "nothing selects a profile". Both used to look only at
command lines and a few botocore messages, so JavaScript v2's "Profile qa not found" counted as
nothing selected, and the summary said tools fall back to `default`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.probes.helpers import KEY, SECRET, probe_on_paste

KEYS = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
JS_V2 = "Error [CredentialsProviderError]: Profile {} not found"
GO_ROLE = (
    "SharedConfigAssumeRoleError: failed to load assume role"
    " arn:aws:iam::123456789012:role/deploy, of profile base,"
    " failed to get shared config profile, base"
)


def write(home: Path, name: str, text: str) -> None:
    (home / ".aws" / name).write_text(text)


def test_a_profile_named_only_in_an_sdk_message_is_a_selection(home: Path) -> None:
    write(home, "credentials", f"[work]\n{KEYS}")
    evidence = probe_on_paste("creds.chain", JS_V2.format("qa"))
    assert "other-profiles-have-credentials" in evidence.findings
    assert "credentials-only-in-named-profiles" not in evidence.findings
    assert not any("nothing selects a profile" in line for line in evidence.details)


def test_the_profile_an_sdk_message_names_is_told_apart_from_the_one_walked(
    home: Path,
) -> None:
    write(home, "credentials", f"[default]\n{KEYS}")
    evidence = probe_on_paste("creds.chain", JS_V2.format("qa"))
    assert "paste-names-other-profile" in evidence.findings
    assert any(
        "the error names profile qa; to check that one, run awsmedic with --profile qa" in line
        for line in evidence.details
    )


def test_the_profile_walked_is_not_named_as_another(home: Path) -> None:
    write(home, "credentials", f"[default]\n{KEYS}[qa]\n{KEYS}")
    evidence = probe_on_paste("creds.chain", JS_V2.format("qa"), profile="qa")
    assert "paste-names-other-profile" not in evidence.findings


def test_a_variable_with_a_line_end_is_the_profile_its_message_prints(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`AWS_PROFILE=dev\\r` prints as `dev` and a line break: the same profile, not another."""
    write(home, "credentials", f"[dev]\n{KEYS}")
    monkeypatch.setenv("AWS_PROFILE", "dev\r")
    evidence = probe_on_paste("creds.chain", "The config profile (dev\r) could not be found")
    assert "paste-names-other-profile" not in evidence.findings


def test_a_go_role_error_names_the_source_profile_not_the_one_asked_for(home: Path) -> None:
    write(home, "credentials", f"[default]\n{KEYS}")
    evidence = probe_on_paste("creds.chain", GO_ROLE)
    assert "paste-names-other-profile" not in evidence.findings
    assert not any("profile base" in line for line in evidence.details)


def test_default_asked_for_in_an_sdk_message_is_a_missing_profile(home: Path) -> None:
    """`[Default]` only: with nothing selected that is "no [default] profile"; a paste that
    asks for `default` by name is a profile that was asked for and is not there."""
    write(home, "credentials", f"[Default]\n{KEYS}")
    unasked = probe_on_paste("config.profile", "Unable to locate credentials")
    asked = probe_on_paste("config.profile", JS_V2.format("default"))
    assert "profile-default-absent" in unasked.findings
    assert "profile-default-absent" not in asked.findings
    assert "profile-missing" in asked.findings


def test_a_command_line_s_name_is_compared_as_written(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--profile dev` on the command line is not the `dev\\r` of the variable here: only a
    message's printed name is read as the terminal showed it."""
    write(home, "credentials", f"[dev]\n{KEYS}")
    monkeypatch.setenv("AWS_PROFILE", "dev\r")
    evidence = probe_on_paste(
        "creds.chain", "$ aws s3 ls --profile dev\nUnable to locate credentials"
    )
    assert "paste-names-other-profile" in evidence.findings
