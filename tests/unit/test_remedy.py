"""Filling steps: facts from probes, from the paste, and what every case knows anyway."""

from __future__ import annotations

import pytest

from awsmedic.core.remedy import context_facts, merge_facts
from awsmedic.model import Evidence, Fact, Status
from tests.conftest import make_context


def test_context_facts_follow_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE")
    monkeypatch.setenv("AWS_PROFILE", "dev")
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "ops")  # botocore reads this one first
    facts = context_facts(make_context())
    assert facts["credentials_file"].value == "~/.aws/credentials"
    assert facts["config_file"].source == "env"
    assert (facts["profile"].value, facts["profile"].source) == ("ops", "AWS_DEFAULT_PROFILE")
    assert context_facts(make_context(profile="x"))["profile"].value == "x"


def test_probe_facts_beat_context_and_the_paste_names_the_failing_region() -> None:
    base = {"profile": Fact("default", "default"), "region": Fact("us-west-2", "env")}
    probed = Evidence("p", Status.OK, "s", facts={"profile": Fact("dev", "AWS_PROFILE")})
    text = {"region": Fact("eu-south-1", "pasted error"), "profile": Fact("other", "pasted")}
    facts = merge_facts(text, [probed], base)
    assert facts["profile"].value == "dev"
    assert facts["region"].value == "eu-south-1"


def test_an_empty_profile_name_is_not_told_as_default() -> None:
    """AWS_PROFILE="" makes botocore look for a profile called '': the Why must not say it looked
    for `default` (fy32: "The config profile () could not be found"), and no command gets
    `--profile default` from it."""
    from awsmedic.core.remedy import diagnose, placeholder_values
    from awsmedic.kb import load_checked, shipped_dir
    from awsmedic.model import Confidence

    empty = {"profile": Fact("", "AWS_PROFILE")}
    assert "profile" not in placeholder_values(empty)
    assert placeholder_values({})["profile"] == "default"  # nothing selects one: default
    cause = load_checked([shipped_dir()]).causes["profile-not-found"]
    told = diagnose(cause, Confidence.CONFIRMED, (), empty)
    assert "the profile `''`" in told.why and "`default`" not in told.why
    assert not any("--profile default" in c for step in told.steps for c in step.commands)
