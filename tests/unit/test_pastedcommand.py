"""core.pastedcommand: the probes' context takes the pasted command's profile and region."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.core.pastedcommand import adopt
from awsmedic.model import Fact, Recognition
from tests.conftest import make_context


def pasted(**settings: tuple[str, str]) -> Recognition:
    command = {
        name: Fact(value, "pasted command line", via) for name, (value, via) in settings.items()
    }
    return Recognition((), (), frozenset(), None, None, command=command)


def test_an_option_selects_the_profile_as_the_option_does(home: Path) -> None:
    (home / ".aws" / "config").write_text("[profile dev]\nregion = cn-north-1\n")
    adoption = adopt(make_context(), pasted(profile=("dev", "--profile")))
    ctx = adoption.ctx
    assert (ctx.profile, ctx.profile_source, ctx.profile_explicit) == (
        "dev",
        "--profile in the pasted command line",
        True,
    )
    assert adoption.taken["profile"].value == "dev" and adoption.not_here is None


def test_a_variable_selects_it_as_the_variable_does(home: Path) -> None:
    (home / ".aws" / "credentials").write_text("[dev]\naws_access_key_id = x\n")
    ctx = adopt(make_context(), pasted(profile=("dev", "AWS_PROFILE"))).ctx
    assert (ctx.profile, ctx.profile_explicit) == ("dev", False)
    assert ctx.profile_source == "AWS_PROFILE in the pasted command line"


def test_a_profile_not_defined_here_is_named_not_taken(home: Path) -> None:
    (home / ".aws" / "config").write_text("[dev]\nregion = eu-west-1\n")  # not a profile
    adoption = adopt(make_context(), pasted(profile=("dev", "--profile")))
    assert adoption.ctx.profile is None and adoption.not_here == "dev" and not adoption.taken


def test_awsmedics_own_options_win_and_the_region_is_taken_alone(home: Path) -> None:
    (home / ".aws" / "config").write_text("[profile dev]\n")
    recognition = pasted(profile=("dev", "--profile"), region=("eu-west-3", "AWS_REGION"))
    ctx = adopt(make_context(profile="prod"), recognition).ctx
    assert (ctx.profile, ctx.profile_source) == ("prod", "--profile")
    assert (ctx.region, ctx.region_source) == ("eu-west-3", "AWS_REGION in the pasted command line")
    ctx = adopt(make_context(region="us-west-2"), recognition).ctx
    assert (ctx.profile, ctx.region, ctx.region_source) == ("dev", "us-west-2", "--region")


def test_nothing_pasted_changes_nothing(home: Path) -> None:
    ctx = make_context()
    adoption = adopt(ctx, pasted())
    assert adoption.ctx is ctx and adoption.taken == {} and adoption.not_here is None


def recognised(tool: str | None, **settings: tuple[str, str]) -> Recognition:
    command = {
        name: Fact(value, "pasted command line", via) for name, (value, via) in settings.items()
    }
    return Recognition((), (), frozenset(), tool, None, command=command)


def test_a_pasted_aws_profile_does_not_mask_a_default_profile_for_botocore(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Audit 4 s29: `export AWS_PROFILE=prod` in the paste, a stale AWS_DEFAULT_PROFILE=old in
    the shell. botocore reads AWS_DEFAULT_PROFILE first (configprovider.py), so boto3 used `old`:
    that is the profile probed, and the pasted AWS_PROFILE stands beside it, as in the shell."""
    from awsmedic.aws.sharedfiles import profile_selection

    (home / ".aws" / "credentials").write_text("[prod]\n\n[old]\n")
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "old")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    adoption = adopt(make_context(), recognised("boto3", profile=("prod", "AWS_PROFILE")))
    ctx = adoption.ctx
    assert ctx.profile is None and "profile" not in adoption.taken
    assert profile_selection(ctx) == ("old", "AWS_DEFAULT_PROFILE", False)
    assert ctx.env("AWS_PROFILE") == "prod"  # the failing command's environment had it
    assert ctx.setting_notes == (
        "AWS_PROFILE=prod in the pasted command line does not select the profile: boto3,"
        " botocore and AWS CLI v1 read AWS_DEFAULT_PROFILE first, and AWS_DEFAULT_PROFILE=old"
        " is set in awsmedic's environment (the shell's, if the command ran in it)",
    )
    # Not for a tool that reads AWS_PROFILE only, nor without the other variable.
    adoption = adopt(make_context(), recognised("js-sdk-v3", profile=("prod", "AWS_PROFILE")))
    assert adoption.ctx.profile == "prod" and adoption.ctx.setting_notes == ()
    # Nor for the AWS CLI, whose version the paste does not tell: v2 reads AWS_PROFILE first.
    adoption = adopt(make_context(), recognised("aws-cli", profile=("prod", "AWS_PROFILE")))
    assert adoption.ctx.profile == "prod" and adoption.ctx.setting_notes == ()
    monkeypatch.delenv("AWS_DEFAULT_PROFILE")
    adoption = adopt(make_context(), recognised("boto3", profile=("prod", "AWS_PROFILE")))
    assert adoption.ctx.profile == "prod"


def test_the_javascript_sdk_reads_no_default_profile_variable(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Audit 4 s32: the JavaScript SDK v3 reads AWS_PROFILE only (@smithy getProfileName): with
    AWS_DEFAULT_PROFILE=dev alone it uses `default`, pasted or exported."""
    from awsmedic.aws.sharedfiles import profile_selection

    (home / ".aws" / "credentials").write_text("[dev]\n")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "dev")
    ctx = adopt(make_context(), recognised("js-sdk-v3")).ctx
    assert profile_selection(ctx) == ("default", "default", False)
    assert profile_selection(adopt(make_context(), recognised("boto3")).ctx)[0] == "dev"
    monkeypatch.delenv("AWS_DEFAULT_PROFILE")
    adoption = adopt(
        make_context(), recognised("js-sdk-v3", profile=("dev", "AWS_DEFAULT_PROFILE"))
    )
    assert adoption.ctx.profile is None and profile_selection(adoption.ctx)[0] == "default"
    assert adoption.ctx.setting_notes == (
        "AWS_DEFAULT_PROFILE=dev in the pasted command line is not read by the JavaScript SDK"
        " v3, which reads AWS_PROFILE only",
    )
