"""aws.tfconfig: the literal settings of `provider "aws"` blocks, read bounded, never evaluated."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from awsmedic.aws.tfconfig import (
    MAX_BYTES,
    MAX_FILES,
    HclError,
    Reading,
    choose,
    parse,
    read_directory,
)

MAIN_TF = """\
terraform {
  required_providers { aws = { source = "hashicorp/aws" } }
}
provider "aws" {
  region  = "eu-west-1"
  profile = "dev"
}
data "aws_caller_identity" "me" {}
output "arn" { value = data.aws_caller_identity.me.arn }
"""

# The error `terraform plan` printed for MAIN_TF with dev's key deleted (aws provider 6.x).
ERROR = """\
Error: Retrieving AWS account details: validating provider credentials: retrieving caller \
identity from STS: operation error STS: GetCallerIdentity, https response error StatusCode: 403, \
RequestID: MKVAjklJJf0hWhbBnB4dNvuOD7gv3tvmm9EwYD2sre8IAYFq2qKM, api error InvalidClientTokenId: \
The security token included in the request is invalid.

  with provider["registry.terraform.io/hashicorp/aws"],
  on main.tf line 4, in provider "aws":
   4: provider "aws" {
"""


def literal(block_settings: dict[str, object], name: str) -> object:
    value = block_settings[name]
    return value.literal  # type: ignore[attr-defined]


def test_literal_values_are_read_with_their_lines() -> None:
    (block,) = parse(MAIN_TF)
    assert (block.file, block.line, block.end, block.alias) == ("main.tf", 4, 7, None)
    assert literal(block.settings, "profile") == "dev"
    assert literal(block.settings, "region") == "eu-west-1"
    assert block.settings["profile"].line == 6


def test_lists_nested_blocks_and_escapes_are_literals() -> None:
    text = (
        "provider aws {\n"
        '  shared_config_files      = ["~/.aws/tf-config", "/etc/aws/config",]\n'
        '  shared_credentials_files = [\n    "$HOME/creds"\n  ]\n'
        '  shared_credentials_file  = "old\\u0041"\n'
        '  assume_role {\n    role_arn = "arn:aws:iam::123456789012:role/deploy"  # why\n  }\n'
        '  default_tags { tags = { profile = "not-this" } }\n'
        "}\n"
    )
    (block,) = parse(text)
    assert literal(block.settings, "shared_config_files") == ("~/.aws/tf-config", "/etc/aws/config")
    assert literal(block.settings, "shared_credentials_files") == ("$HOME/creds",)
    assert literal(block.settings, "shared_credentials_file") == "oldA"
    assert literal(block.settings, "assume_role.role_arn") == (
        "arn:aws:iam::123456789012:role/deploy"
    )
    assert "profile" not in block.settings  # a tag named profile is not the provider's


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("var.aws_profile", "var.aws_profile"),
        ("local.env", "local.env"),
        ('"${var.env}-admin"', '"${var.env}-admin"'),
        ('"%{ if true }x%{ endif }"', '"%{ if true }x%{ endif }"'),
        ('lookup(var.profiles, "dev")', 'lookup(var.profiles, "dev")'),
        ('terraform.workspace == "prod" ? "prod" : "dev"', 'terraform.workspace == "prod" ?'),
        ("<<EOT\n  dev\n  EOT", "<<EOT"),
    ],
)
def test_expressions_are_not_literals(value: str, shown: str) -> None:
    (block,) = parse(f'provider "aws" {{\n  profile = {value}\n  region = "us-east-1"\n}}\n')
    profile = block.settings["profile"]
    assert profile.literal is None
    assert profile.expression.startswith(shown)
    assert literal(block.settings, "region") == "us-east-1"  # the next line is read as before


def test_an_escaped_interpolation_is_literal_text() -> None:
    (block,) = parse('provider "aws" {\n  profile = "$${dev}"\n}\n')
    assert literal(block.settings, "profile") == "${dev}"


def test_secrets_in_the_block_are_noted_never_kept() -> None:
    text = 'provider "aws" {\n  access_key = "AKIAEXAMPLE"\n  secret_key = "s3cr3t/value"\n}\n'
    (block,) = parse(text)
    assert set(block.settings) == {"access_key", "secret_key"}
    assert "s3cr3t" not in repr(block) and "AKIAEXAMPLE" not in repr(block)


def test_comments_and_other_blocks_are_skipped() -> None:
    text = (
        '# provider "aws" { profile = "commented" }\n'
        '/* provider "aws" {\n profile = "nope" } */\n'
        '// provider "aws" {}\n'
        'provider "google" {\n  project = "x"\n}\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = "provider \\"aws\\" {"\n}\n'
    )
    assert parse(text) == []


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('provider "aws" {\n  profile = "dev\n}\n', 2),  # a string never closed
        ('provider "aws" {\n  profile = "dev"\n', 1),  # a block never closed
        ('provider "aws" {\n  profile = ["dev"\n}\n', 3),  # a list closed by a }
        ("}\n", 1),
        ('provider "aws" {\n  profile "dev"\n}\n', 2),
        ('/* open\nprovider "aws" {}\n', 1),
        ('provider "aws" {\n  profile = "${var.x"\n}\n', 2),
        ('provider "aws" {\n  profile = "\\q"\n}\n', 2),
    ],
)
def test_broken_hcl_is_an_error_with_its_line(text: str, line: int) -> None:
    with pytest.raises(HclError) as raised:
        parse(text)
    assert raised.value.line == line


def test_a_directory_is_read_bounded_and_broken_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN_TF)
    (tmp_path / "broken.tf").write_text('provider "aws" {\n  profile = "x\n')
    (tmp_path / "huge.tf").write_bytes(b"#" * (MAX_BYTES + 1))
    (tmp_path / "latin1.tf").write_bytes(b"# caf\xe9\n")
    (tmp_path / "notes.txt").write_text('provider "aws" { profile = "txt" }\n')
    sub = tmp_path / "modules"
    sub.mkdir()
    (sub / "inner.tf").write_text('provider "aws" {\n  profile = "inner"\n}\n')
    os.mkfifo(tmp_path / "pipe.tf")  # never opened for a blocking read
    reading = read_directory(tmp_path)
    assert [(b.file, b.settings["profile"].literal) for b in reading.blocks] == [("main.tf", "dev")]
    why = dict(reading.unread)
    assert why["broken.tf"].startswith("not checked: it does not parse as HCL (line 2:")
    assert why["huge.tf"] == "not read: over 1 MB"
    assert why["latin1.tf"] == "not checked: not UTF-8 text"
    assert why["pipe.tf"].startswith("not read:")
    assert "notes.txt" not in why and "inner.tf" not in why


def test_at_most_max_files_are_read(tmp_path: Path) -> None:
    for index in range(MAX_FILES + 3):
        (tmp_path / f"f{index:03}.tf").write_text("")
    (tmp_path / "zz.tf").write_text('provider "aws" {\n  profile = "late"\n}\n')
    reading = read_directory(tmp_path)
    assert len(reading.files) == MAX_FILES and reading.blocks == ()
    assert dict(reading.unread)["zz.tf"] == f"not read: only the first {MAX_FILES} files are"


def test_a_missing_directory_reads_as_nothing(tmp_path: Path) -> None:
    assert read_directory(tmp_path / "gone") == Reading()


def test_override_files_merge_into_their_block(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN_TF)
    (tmp_path / "dev_override.tf").write_text('provider "aws" {\n  profile = "ops"\n}\n')
    (block,) = read_directory(tmp_path).blocks
    assert (block.file, block.line) == ("main.tf", 4)
    assert literal(block.settings, "profile") == "ops"
    assert literal(block.settings, "region") == "eu-west-1"


TWO_BLOCKS = (
    MAIN_TF + 'provider "aws" {\n  alias   = "ops"\n  profile = "ops"\n  region  = "us-east-1"\n}\n'
)


def test_the_error_s_file_and_line_choose_the_block(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TWO_BLOCKS)
    reading = read_directory(tmp_path)
    assert choose(reading, ERROR).block is reading.blocks[0]
    on_ops = ERROR.replace("main.tf line 4", "main.tf line 13")
    chosen = choose(reading, on_ops).block
    assert chosen is not None and chosen.alias == "ops"


def test_an_alias_in_the_error_chooses_its_block(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TWO_BLOCKS)
    reading = read_directory(tmp_path)
    text = 'Error: x\n\n  with provider["registry.terraform.io/hashicorp/aws"].ops,\n'
    chosen = choose(reading, text).block
    assert chosen is not None and chosen.alias == "ops"


def test_several_blocks_and_no_line_choose_none(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TWO_BLOCKS)
    reading = read_directory(tmp_path)
    choice = choose(reading, "operation error STS: GetCallerIdentity, api error Foo")
    assert choice.block is None and len(choice.candidates) == 2 and choice.named == ""


def test_a_line_in_another_directory_chooses_none(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN_TF)
    reading = read_directory(tmp_path)
    choice = choose(reading, ERROR.replace("on main.tf", "on modules/net/main.tf"))
    assert choice.block is None and choice.named == "modules/net/main.tf line 4"
    assert choose(reading, "no file named here").block is reading.blocks[0]  # the only one


def test_region_and_profile_literals_are_kept_in_any_block(tmp_path: Path) -> None:
    """The S3 backend's region (or a provider's) is found where it is written, with the blocks
    around it; no other attribute is kept (a backend's secret_key never is)."""
    (tmp_path / "main.tf").write_text(
        'terraform {\n  backend "s3" {\n    bucket     = "state"\n    region     = "eu-west1"\n'
        '    secret_key = "s3cr3t"\n  }\n}\nprovider "aws" {\n  profile = "staging"\n}\n'
    )
    reading = read_directory(tmp_path)
    (site,) = reading.literal("region", "eu-west1")
    assert (site.where, site.blocks) == ("main.tf line 4", ("terraform", "backend"))
    assert reading.literal("profile", "staging")[0].where == "main.tf line 9"
    assert {x.name for x in reading.literals} == {"region", "profile"}
