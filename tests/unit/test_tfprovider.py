"""probes.tfprovider through core.pastedcommand.adopt: a Terraform provider block's profile and
region are the failing command's, with the provider's precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.core.pastedcommand import adopt
from awsmedic.model import Fact, Recognition
from tests.conftest import make_context
from tests.unit.test_tfconfig import ERROR, MAIN_TF, TWO_BLOCKS

DEV = "[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLF\naws_secret_access_key = x\n"
ORIGIN = "the Terraform provider block at main.tf line 4"


def recognised(tool: str | None = "terraform", **settings: tuple[str, str]) -> Recognition:
    command = {
        name: Fact(value, "pasted command line", via) for name, (value, via) in settings.items()
    }
    return Recognition((), (), frozenset(), tool, None, command=command)


@pytest.fixture
def project(home: Path, tmp_path: Path) -> Path:
    """A Terraform directory whose provider names `dev`, defined in ~/.aws/credentials."""
    (home / ".aws" / "credentials").write_text(DEV + "[prod]\naws_access_key_id = y\n")
    directory = tmp_path / "tf"
    directory.mkdir()
    (directory / "main.tf").write_text(MAIN_TF)
    return directory


def test_the_provider_s_profile_and_region_are_taken_as_an_option_is(project: Path) -> None:
    adoption = adopt(make_context(cwd=project), recognised(), ERROR)
    ctx = adoption.ctx
    assert (ctx.profile, ctx.profile_source, ctx.profile_explicit) == ("dev", ORIGIN, True)
    assert (ctx.region, ctx.region_source) == ("eu-west-1", ORIGIN)
    assert adoption.taken["profile"] == Fact("dev", ORIGIN)
    assert ctx.setting_notes == ()


def test_it_wins_over_the_pasted_aws_profile_as_in_terraform(project: Path) -> None:
    recognition = recognised(profile=("prod", "AWS_PROFILE"), region=("us-west-2", "AWS_REGION"))
    ctx = adopt(make_context(cwd=project), recognition, ERROR).ctx
    assert (ctx.profile, ctx.region) == ("dev", "eu-west-1")
    (note,) = ctx.setting_notes
    assert note.startswith(
        "profile prod (AWS_PROFILE in the pasted command line) is not what Terraform used:"
    )


def test_it_wins_over_a_prefix_awsmedic_run_read(project: Path) -> None:
    """`awsmedic run -- AWS_PROFILE=prod terraform plan`: the prefix is the variable's."""
    given = make_context(cwd=project, profile="prod", profile_source="AWS_PROFILE in the command")
    ctx = adopt(given, recognised(), ERROR).ctx
    assert (ctx.profile, ctx.profile_source) == ("dev", ORIGIN)
    assert ctx.setting_notes[0].startswith("profile prod (AWS_PROFILE in the command) is not")


def test_awsmedic_s_own_options_still_win(project: Path) -> None:
    ctx = adopt(make_context(cwd=project, profile="prod"), recognised(), ERROR).ctx
    assert (ctx.profile, ctx.profile_source, ctx.region) == ("prod", "--profile", "eu-west-1")


@pytest.mark.parametrize("tool", ["terraform", "go-sdk-v2", None])
def test_read_for_terraform_the_sdk_it_wraps_and_unknown_tools(project: Path, tool: str) -> None:
    assert adopt(make_context(cwd=project), recognised(tool), "").ctx.profile == "dev"


def test_not_read_for_another_tool_or_without_a_directory(project: Path) -> None:
    assert adopt(make_context(cwd=project), recognised("aws-cli"), ERROR).ctx.profile is None
    assert adopt(make_context(cwd=None), recognised(), ERROR).ctx.profile is None


def test_run_outside_the_terraform_directory_it_says_so(project: Path, tmp_path: Path) -> None:
    """Audit 5 s25: a Terraform error read where there are no .tf files. The block it names
    may set a profile or region of its own: the check says it could not read it, and where
    to run instead, rather than go on as if the environment's were Terraform's."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ctx = adopt(make_context(cwd=elsewhere), recognised(), ERROR).ctx
    assert ctx.profile is None
    (note,) = ctx.setting_notes
    assert "names a Terraform provider block ('main.tf line 4')" in note
    assert "has no main.tf" in note and "where terraform ran" in note
    # Only where the paste names a block and the directory has no Terraform files at all.
    assert adopt(make_context(cwd=elsewhere), recognised(), "").ctx.setting_notes == ()
    assert adopt(make_context(cwd=project), recognised(), ERROR).ctx.setting_notes == ()
    (elsewhere / "other.tf").write_text('resource "null_resource" "x" {}\n')
    assert adopt(make_context(cwd=elsewhere), recognised(), ERROR).ctx.setting_notes != ()
    (elsewhere / "main.tf").write_text('module "m" {\n  source = "./m"\n}\n')
    assert adopt(make_context(cwd=elsewhere), recognised(), ERROR).ctx.setting_notes == ()


def test_an_expression_is_named_not_guessed(project: Path) -> None:
    (project / "main.tf").write_text(MAIN_TF.replace('"dev"', "var.aws_profile"))
    recognition = recognised(profile=("prod", "AWS_PROFILE"))
    ctx = adopt(make_context(cwd=project), recognition, ERROR).ctx
    # the pasted variable is all there is to go on; the note says what may override it
    assert (ctx.profile, ctx.profile_source) == ("prod", "AWS_PROFILE in the pasted command line")
    (note,) = ctx.setting_notes
    assert note == (
        f"{ORIGIN} sets profile by an expression (var.aws_profile), which awsmedic does not"
        " evaluate"
    )


def test_a_profile_not_defined_here_is_named_not_taken(project: Path) -> None:
    (project / "main.tf").write_text(MAIN_TF.replace('"dev"', '"ghost"'))
    ctx = adopt(make_context(cwd=project), recognised(), ERROR).ctx
    assert ctx.profile is None and ctx.region == "eu-west-1"
    assert (
        "names profile ghost, which the shared files here do not define" in (ctx.setting_notes[0])
    )


def test_other_shared_files_keep_the_profile_unchecked(project: Path, home: Path) -> None:
    other = 'profile = "dev"\n  shared_credentials_files = ["~/elsewhere/creds"]'
    (project / "main.tf").write_text(MAIN_TF.replace('profile = "dev"', other))
    (home / "elsewhere").mkdir()
    (home / "elsewhere" / "creds").write_text("[dev]\n")
    ctx = adopt(make_context(cwd=project), recognised(), ERROR).ctx
    assert ctx.profile is None
    (note,) = ctx.setting_notes
    assert "reads the credentials file ~/elsewhere/creds (shared_credentials_files, line 7)" in note
    assert f"AWS_SHARED_CREDENTIALS_FILE={home}/elsewhere/creds" in note


def test_a_listed_file_that_does_not_exist_is_named_and_the_profile_checked(
    project: Path,
) -> None:
    """The Go SDK reads a listed file that is missing as empty, without falling back to
    ~/.aws (audit 5 s25): the profile is still the block's, and the note says what Terraform
    reads instead of "not checked"."""
    typo = 'profile = "dev"\n  shared_credentials_files = ["~/.aws/credential"]'
    (project / "main.tf").write_text(MAIN_TF.replace('profile = "dev"', typo))
    ctx = adopt(make_context(cwd=project), recognised(), ERROR).ctx
    assert ctx.profile == "dev"
    (note,) = ctx.setting_notes
    assert "shared_credentials_files (main.tf line 7) lists ~/.aws/credential" in note
    assert "which does not exist" in note
    assert "not checked" not in note


def test_the_files_awsmedic_reads_anyway_are_no_obstacle(project: Path) -> None:
    same = 'profile = "dev"\n  shared_credentials_files = ["$HOME/.aws/credentials"]'
    (project / "main.tf").write_text(MAIN_TF.replace('profile = "dev"', same))
    assert adopt(make_context(cwd=project), recognised(), ERROR).ctx.profile == "dev"


def test_keys_in_the_block_win_over_any_profile(project: Path) -> None:
    keys = 'profile = "dev"\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n  secret_key = "s3cr3t"'
    (project / "main.tf").write_text(MAIN_TF.replace('profile = "dev"', keys))
    ctx = adopt(make_context(cwd=project), recognised(), ERROR).ctx
    assert ctx.profile is None
    assert "sets access_key/secret_key itself" in ctx.setting_notes[0]
    assert "s3cr3t" not in repr(ctx.setting_notes)


def test_several_blocks_and_no_line_pick_none(project: Path) -> None:
    (project / "main.tf").write_text(TWO_BLOCKS)
    ctx = adopt(make_context(cwd=project), recognised(), "api error InvalidClientTokenId").ctx
    assert (ctx.profile, ctx.region) == (None, None)
    (note,) = ctx.setting_notes
    assert '2 provider "aws" blocks (main.tf line 4: profile dev; main.tf line 10, alias ops:' in (
        note
    )
    assert "does not say which one failed" in note
    # with the error's line, its block is taken
    ops = adopt(make_context(cwd=project), recognised(), ERROR.replace("line 4,", "line 11,"))
    assert (ops.ctx.profile, ops.ctx.region) == (None, "us-east-1")  # `ops` is not defined here


def test_a_hostile_profile_name_is_refused_and_shown_harmless(project: Path) -> None:
    (project / "main.tf").write_text(MAIN_TF.replace('"dev"', '"dev\\u001b]52;c;aGk=\\u0007"'))
    ctx = adopt(make_context(cwd=project), recognised(), ERROR).ctx
    assert ctx.profile is None
    (note,) = ctx.setting_notes
    assert "not a profile name" in note and "\x1b" not in note and "\x07" not in note


def test_broken_hcl_is_not_checked_and_says_so(project: Path) -> None:
    (project / "main.tf").write_text('provider "aws" {\n  profile = "dev\n}\n')
    ctx = adopt(make_context(cwd=project), recognised(), ERROR).ctx
    assert ctx.profile is None
    assert ctx.setting_notes == (
        "Terraform file main.tf not checked: it does not parse as HCL (line 2: a quoted string"
        " is never closed on its line)",
    )


def test_the_role_the_provider_assumes_is_said(project: Path) -> None:
    role = (
        'profile = "dev"\n  assume_role {\n    role_arn = "arn:aws:iam::123456789012:role/ci"\n  }'
    )
    (project / "main.tf").write_text(MAIN_TF.replace('profile = "dev"', role))
    ctx = adopt(make_context(cwd=project), recognised(), ERROR).ctx
    assert ctx.profile == "dev"
    assert ctx.setting_notes == (
        "Terraform then assumes role arn:aws:iam::123456789012:role/ci (assume_role, main.tf"
        " line 8) with these credentials",
    )
