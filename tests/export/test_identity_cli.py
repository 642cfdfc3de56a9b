"""`--redact-identity` end to end: diagnose's output and export, and show, for public posting."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.aws.keyids import decode_account
from tests.export.session import run_awsmedic

KEY = "AKIARZPUZDIKGB2VALC4"
ERROR = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid. "
    "User: arn:aws:iam::210987654321:user/carol.builder"
)

pytestmark = pytest.mark.slow


@pytest.fixture
def keyed_home(home: Path) -> Path:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\n"
        "aws_secret_access_key = Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eDEy\n"
    )
    return home


def test_identity_is_in_a_plain_export_and_masked_with_the_option(
    keyed_home: Path, tmp_path: Path
) -> None:
    account = decode_account(KEY)
    assert account is not None
    plain = run_awsmedic(
        "diagnose", "--offline", "--no-input", "--export", "plain.md", ERROR, cwd=tmp_path
    )
    public = run_awsmedic(
        "diagnose", "--offline", "--no-input", "--redact-identity", "--format", "json",
        "--export", "public.md", ERROR, cwd=tmp_path,
    )  # fmt: skip
    assert plain.returncode == public.returncode == 0, public.stderr
    exported = (tmp_path / "plain.md").read_text()
    for value in (account, "210987654321", "carol.builder"):
        assert value in exported  # control: without the option they are there
    masked = (tmp_path / "public.md").read_text()
    for output in (masked, public.stdout, public.stderr):
        for value in (account, "210987654321", "carol.builder", str(keyed_home)):
            assert value not in output
    assert "arn:aws:iam::<account-id>:user/<name>" in masked

    shown = run_awsmedic("show", "--redact-identity", str(tmp_path / "public.md"))
    assert shown.returncode == 2  # a Markdown file is not a JSON transcript
    assert "it is a Markdown export; show reads the .json export" in shown.stderr
    run_awsmedic("diagnose", "--offline", "--no-input", "--export", "t.json", ERROR, cwd=tmp_path)
    shown = run_awsmedic("show", "--redact-identity", str(tmp_path / "t.json"))
    assert shown.returncode == 0, shown.stderr
    assert account not in shown.stdout and "210987654321" not in shown.stdout
    assert "<account-id>" in shown.stdout
