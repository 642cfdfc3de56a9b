"""config.output: the AWS CLI's output format, from the variable or the profile (audit 4 s25)."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.unit.probes.helpers import probe


def test_an_output_format_the_cli_does_not_know(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_OUTPUT", "yml")
    evidence = probe("config.output")
    assert evidence.status is Status.PROBLEM
    assert evidence.findings == ("output-format-unknown",)
    assert "'yml' (AWS_DEFAULT_OUTPUT in the environment)" in evidence.summary


def test_the_profile_s_output_when_no_variable_is_set(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_OUTPUT", raising=False)
    (home / ".aws" / "config").write_text("[default]\noutput = jsno\n")
    evidence = probe("config.output")
    assert evidence.findings == ("output-format-unknown",)
    assert "'jsno' (~/.aws/config line 2 [default])" in evidence.summary
    # the variable wins over the profile, and every format of either CLI version is fine
    for known in ("json", "text", "table", "yaml", "yaml-stream"):
        monkeypatch.setenv("AWS_DEFAULT_OUTPUT", known)
        assert probe("config.output").findings == ("output-format-ok",)
    monkeypatch.delenv("AWS_DEFAULT_OUTPUT")
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    assert probe("config.output").findings == ("output-format-ok",)
