"""config.number-settings: whole-number settings botocore reads with int(), and where they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.unit.probes.helpers import probe

ERROR = "ValueError: invalid literal for int() with base 10: '0.5'"


def test_a_fraction_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "0.5")
    evidence = probe("config.number-settings", ERROR)
    assert evidence.status is Status.PROBLEM
    assert evidence.findings == ("setting-not-integer", "setting-metadata-timeout-not-integer")
    assert evidence.summary.startswith("AWS_METADATA_SERVICE_TIMEOUT='0.5' in the environment")


def test_a_value_in_the_profile_with_its_line(home: Path) -> None:
    (home / ".aws" / "config").write_text("[default]\nregion = us-east-1\nmax_attempts = 2.5\n")
    evidence = probe("config.number-settings")
    assert evidence.findings == ("setting-not-integer", "setting-max-attempts-not-integer")
    assert "max_attempts = '2.5' in ~/.aws/config line 3 [default]" in evidence.summary


def test_the_variable_wins_over_the_profile(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    (home / ".aws" / "config").write_text("[default]\nmetadata_service_num_attempts = 1s\n")
    monkeypatch.setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3")
    evidence = probe("config.number-settings")
    assert evidence.findings == ("number-settings-ok",)


def test_the_quoted_value_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "three")
    monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "0.5")
    evidence = probe("config.number-settings", ERROR)
    assert evidence.details[0].startswith("AWS_METADATA_SERVICE_TIMEOUT='0.5'")
    assert len(evidence.details) == 2


def test_whole_numbers_and_unset_are_fine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", " 5 ")  # int() strips the spaces too
    evidence = probe("config.number-settings")
    assert evidence.status is Status.OK
    assert evidence.findings == ("number-settings-ok",)


def test_each_refused_setting_is_named_for_the_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """audit 3 s22: the steps of AWS_MAX_ATTEMPTS are not those of the metadata timeout."""
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "abc")
    monkeypatch.setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "1s")
    evidence = probe("config.number-settings")
    assert evidence.findings == (
        "setting-not-integer",
        "setting-metadata-attempts-not-integer",
        "setting-max-attempts-not-integer",
    )
