"""core.pastedcommand: the probes' context takes the pasted command's profile and region."""

from __future__ import annotations

from pathlib import Path

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
