"""Writing a transcript: atomically (temp file + rename), 0600, never over a file unless forced,
and the format follows the extension."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from awsmedic.errors import ExportError
from awsmedic.output.exporting import export, format_for, write_atomically
from awsmedic.safety.redact import IdentityMask, SecretBook
from tests.export.session import STS_REJECTED, chain_evidence, golden_session


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.startswith(".awsmedic-")]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("t.md", "markdown"), ("t.markdown", "markdown"), ("T.JSON", "json"), ("t.html", "html"), ("t.htm", "html")],
)  # fmt: skip
def test_the_extension_picks_the_format(tmp_path: Path, name: str, fmt: str) -> None:
    assert export(golden_session(), SecretBook(), tmp_path / name) == fmt
    assert format_for(tmp_path / name) == fmt
    assert mode(tmp_path / name) == 0o600


def test_an_unknown_extension_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.md, \.json or \.html"):
        export(golden_session(), SecretBook(), tmp_path / "t.txt")
    assert not (tmp_path / "t.txt").exists() and leftovers(tmp_path) == []


def test_files_are_0600_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        write_atomically(tmp_path / "t.md", "x")
    finally:
        os.umask(old)
    assert mode(tmp_path / "t.md") == 0o600


def test_an_existing_file_is_never_overwritten_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "t.md"
    target.write_text("keep me")
    with pytest.raises(ExportError, match="exists"):
        write_atomically(target, "new")
    assert target.read_text() == "keep me"
    assert leftovers(tmp_path) == []


def test_a_forced_overwrite_replaces_the_file_and_keeps_0600(tmp_path: Path) -> None:
    target = tmp_path / "t.md"
    target.write_text("old")
    target.chmod(0o644)
    inode = target.stat().st_ino
    write_atomically(target, "new", force=True)
    assert target.read_text() == "new"
    assert mode(target) == 0o600
    assert target.stat().st_ino != inode  # renamed over, not rewritten in place
    assert leftovers(tmp_path) == []


def test_a_forced_overwrite_replaces_a_symlink_not_its_target(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("not mine")
    link = tmp_path / "t.md"
    link.symlink_to(elsewhere)
    write_atomically(link, "new", force=True)
    assert elsewhere.read_text() == "not mine"
    assert not link.is_symlink() and link.read_text() == "new"


def test_a_file_that_appears_during_the_write_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "t.md"
    real_chmod = os.chmod

    def racing_chmod(path: str, mode: int) -> None:
        real_chmod(path, mode)
        target.write_text("written by someone else meanwhile")

    monkeypatch.setattr(os, "chmod", racing_chmod)
    with pytest.raises(ExportError, match="exists"):
        write_atomically(target, "mine")
    assert target.read_text() == "written by someone else meanwhile"
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(ExportError, match="No space left"):
        write_atomically(tmp_path / "t.md", "x")
    assert not (tmp_path / "t.md").exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("where", "reason"),
    [("missing-dir/t.md", "No such file"), ("a-dir", "directory")],
)
def test_unwritable_targets_give_a_clear_error(tmp_path: Path, where: str, reason: str) -> None:
    (tmp_path / "a-dir").mkdir()
    with pytest.raises(ExportError, match=reason):
        write_atomically(tmp_path / where, "x", force=True)


def test_export_can_mask_identity_for_public_posting(tmp_path: Path) -> None:
    """The REPL's /export and `diagnose --redact-identity` both come down to this call."""
    who = "arn:aws:iam::123456789012:user/alice-admin"
    chain = chain_evidence(details=(f"identity {who}", "file /home/alice/.aws/credentials"))
    session = golden_session({"creds.chain": chain, "sts.identity": STS_REJECTED})
    export(session, SecretBook(), tmp_path / "private.md")
    mask = IdentityMask.from_environment("/home/alice", {"USER": "alice"})
    export(session, SecretBook(), tmp_path / "public.md", identity=mask)
    private, public = (tmp_path / "private.md").read_text(), (tmp_path / "public.md").read_text()
    for value in ("123456789012", "alice", "/home/alice"):
        assert value in private and value not in public
    assert "arn:aws:iam::<account-id>:user/<name>" in public and "~/.aws/credentials" in public
    assert "account ids, ARNs, user names and home paths masked" in public
