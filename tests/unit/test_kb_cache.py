"""The knowledge cache (`kb/cache.py`): what it gives back is what the files say, it never
hides a broken file, and whatever is wrong with it is a miss, never an error."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from awsmedic.core.match import Matcher
from awsmedic.errors import KnowledgeError
from awsmedic.kb import cache, load_checked, load_for, shipped_dir
from awsmedic.kb.load import load
from awsmedic.kb.model import Knowledge
from awsmedic.kb.phrases import tree_phrases
from tests.kbfiles import CAUSE

ICTI = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)
PASTES = [
    ICTI,
    'Unable to locate credentials. You can configure credentials by running "aws configure".',
    "The config profile (dev-admin-with-a-long-name) could not be found",
    "$ terraform plan\nError: configuring Terraform AWS Provider: no valid credential sources"
    " for Terraform AWS Provider found.",
    "An error occurred (SignatureDoesNotMatch) when calling the ListBuckets operation: The"
    " request signature we calculated does not match the signature you provided.",
    "Error: The specified bucket does not exist (Service: S3, Status Code: 404) minio",
    "something entirely unrelated to the cloud",
]

ORG_TREE = """\
    id = "org-family"
    title = "An organisation's own family"
    codes = ["OrgOnlyError"]
    start = "a"

    [nodes.a]
    kind = "cause"
    cause = "org-cause"
    confidence = "likely"
    """


def _fresh() -> Knowledge:
    knowledge, problems = load([shipped_dir()])
    assert [p for p in problems if not p.warning] == []
    return knowledge


def _org(root: Path) -> Path:
    (root / "trees").mkdir(parents=True)
    (root / "causes").mkdir()
    (root / "trees" / "org-family.toml").write_text(textwrap.dedent(ORG_TREE))
    (root / "causes" / "org-cause.md").write_text(CAUSE.format(id="org-cause"))
    return root


def _files(directory: Path) -> list[Path]:
    return sorted(directory.iterdir()) if directory.is_dir() else []


def test_what_the_cache_gives_back_is_what_the_files_say(tmp_path: Path) -> None:
    fresh = _fresh()
    dirs = (shipped_dir(),)
    kept = cache.decode(json.loads(json.dumps(cache.encode(fresh))), dirs)
    assert cache.encode(kept) == cache.encode(fresh)
    assert list(kept.trees) == list(fresh.trees)
    assert list(kept.signals) == list(fresh.signals)  # the built-in signal included
    for cause_id, cause in fresh.causes.items():  # the steps, read without the Markdown parser
        assert kept.causes[cause_id].outline is not None, cause_id
        assert (kept.causes[cause_id].why, kept.causes[cause_id].steps) == (
            cause.why,
            cause.steps,
        )
    for tree_id, tree in fresh.trees.items():  # the phrases as the matcher compiles them
        assert tree.compiled is None
        assert kept.trees[tree_id].compiled == tree_phrases(tree_id, tree.phrases)
    for paste in PASTES:  # the same recognition, literal filters included
        assert Matcher(kept).recognise(paste) == Matcher(fresh).recognise(paste), paste


def test_a_second_load_reads_the_cache_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "cache" / "awsmedic"
    first = load_checked([shipped_dir()], where)
    [written] = _files(where)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(where.stat().st_mode) == 0o700

    def no_files(*args: object, **kwargs: object) -> None:
        raise AssertionError("the knowledge files were read again")

    monkeypatch.setattr("awsmedic.kb.load.load", no_files)
    second = load_checked([shipped_dir()], where)
    assert cache.encode(second) == cache.encode(first)
    assert _files(where) == [written]  # no temporary file left behind


def test_a_file_broken_after_caching_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    where = tmp_path / "cache"
    org = _org(tmp_path / "org")
    dirs = [shipped_dir(), org]
    assert "org-family" in load_checked(dirs, where).trees
    tree = org / "trees" / "org-family.toml"
    tree.write_text(tree.read_text().replace('codes = ["OrgOnlyError"]', 'codes = ["OrgOnlyError"'))
    with pytest.raises(KnowledgeError) as raised:
        load_checked(dirs, where)
    [problem] = raised.value.problems
    assert problem.path == tree and problem.line and "TOML syntax error" in problem.message
    with pytest.raises(KnowledgeError) as uncached:
        load_checked(dirs)
    assert raised.value.problems == uncached.value.problems
    with pytest.raises(KnowledgeError):  # and again: a broken base is never cached
        load_checked(dirs, where)


def test_a_new_or_removed_file_is_a_miss(tmp_path: Path) -> None:
    where = tmp_path / "cache"
    org = _org(tmp_path / "org")
    dirs = [shipped_dir(), org]
    load_checked(dirs, where)
    (org / "causes" / "org-second.md").write_text(CAUSE.format(id="org-second"))
    assert "org-second" in load_checked(dirs, where).causes
    (org / "causes" / "org-second.md").unlink()
    assert "org-second" not in load_checked(dirs, where).causes


def test_another_knowledge_path_has_its_own_entry(tmp_path: Path) -> None:
    where = tmp_path / "cache"
    load_checked([shipped_dir()], where)
    with_org = load_checked([shipped_dir(), _org(tmp_path / "org")], where)
    assert "org-family" in with_org.trees
    assert "org-family" not in load_checked([shipped_dir()], where).trees
    assert len(_files(where)) == 2


def _entry(where: Path) -> Path:
    load_checked([shipped_dir()], where)
    [entry] = _files(where)
    return entry


@pytest.mark.parametrize(
    "spoil",
    [
        lambda path: path.write_bytes(b"\x00\xff not json"),
        lambda path: path.write_text("[]"),
        lambda path: path.write_text('{"key": null}'),
        lambda path: path.write_text(
            json.dumps({**json.loads(path.read_text()), "knowledge": {"trees": "x"}})
        ),
        lambda path: path.write_text(
            json.dumps(_retyped(json.loads(path.read_text()))),
        ),
        lambda path: path.write_text("[" * 100_000 + "]" * 100_000),
        lambda path: path.chmod(0o666),
        lambda path: path.chmod(0o000),
    ],
    ids=[
        "garbage",
        "not-an-object",
        "no-key",
        "wrong-shape",
        "wrong-type",
        "deeply-nested",
        "others-may-write",
        "unreadable",
    ],
)
def test_a_spoilt_cache_is_a_miss_never_an_error(
    tmp_path: Path, spoil: object, capsys: pytest.CaptureFixture[str]
) -> None:
    where = tmp_path / "cache"
    entry = _entry(where)
    spoil(entry)  # type: ignore[operator]
    knowledge = load_checked([shipped_dir()], where)
    assert cache.encode(knowledge) == cache.encode(_fresh())
    assert capsys.readouterr() == ("", "")


def _retyped(document: dict[str, object]) -> dict[str, object]:
    """The same entry with one node's line turned into a string."""
    knowledge = document["knowledge"]
    assert isinstance(knowledge, dict)
    knowledge["trees"][0]["nodes"][0][-1] = "12"
    return document


def test_a_cache_entry_that_is_a_symlink_is_not_followed(tmp_path: Path) -> None:
    where = tmp_path / "cache"
    entry = _entry(where)
    elsewhere = tmp_path / "elsewhere.json"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert cache.read(where, (shipped_dir(),), cache.key((shipped_dir(),)) or {}) is None


def test_an_unwritable_cache_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    knowledge = load_checked([shipped_dir()], blocked / "awsmedic")
    assert "invalid-client-token-id" in knowledge.trees
    assert blocked.read_text() == "not a directory"


def test_where_the_cache_lives_and_how_to_turn_it_off(tmp_path: Path) -> None:
    home = str(tmp_path)
    assert cache.cache_dir({"HOME": home}) == tmp_path / ".cache" / "awsmedic"
    xdg = str(tmp_path / "xdg")
    assert cache.cache_dir({"HOME": home, "XDG_CACHE_HOME": xdg}) == tmp_path / "xdg" / "awsmedic"
    assert cache.cache_dir({"HOME": home, "XDG_CACHE_HOME": "relative"}) == (
        tmp_path / ".cache" / "awsmedic"
    )
    assert cache.cache_dir({"HOME": home, "AWSMEDIC_NO_CACHE": "1"}) is None
    assert cache.cache_dir({"HOME": home, "AWSMEDIC_NO_CACHE": "0"}) is not None
    assert cache.cache_dir({}) is None
    load_for({"HOME": home, "AWSMEDIC_NO_CACHE": "1"})
    assert not (tmp_path / ".cache").exists()
    load_for({"HOME": home})
    assert len(_files(tmp_path / ".cache" / "awsmedic")) == 1


def test_a_diagnosis_with_a_cache_says_what_one_without_says(home: Path) -> None:
    """A fresh process each time: the first writes the cache, the second reads it; the output
    is the same as with AWSMEDIC_NO_CACHE, and nothing but the cache is written in HOME."""
    env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    argv = [sys.executable, "-m", "awsmedic", "diagnose", "--no-probes", "--format", "json"]
    argv += ["--no-input", ICTI]
    before = {p for p in home.rglob("*")}
    runs = []
    for extra in ({}, {}, {"AWSMEDIC_NO_CACHE": "1"}):
        done = subprocess.run(
            argv, env={**env, **extra}, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0 and done.stderr == "", done.stderr
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1] == runs[2]
    added = {p for p in home.rglob("*")} - before
    kept = home / ".cache" / "awsmedic"
    assert added and all(p == home / ".cache" or p == kept or p.parent == kept for p in added)
