"""`check --all` with many profiles: the shared files are parsed once per version, not once per
profile (audit finding F10: one botocore session per profile, each parsing both files again,
made the check take time growing with the square of the profile count, 80 s for 400), and the
answers are those the check gives without any kept parse.

No timings here (benchmarks/bench_large_input.py measures them): the tests count the parses.
"""

from __future__ import annotations

import configparser
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from awsmedic.aws import inifile, parsecache, sharedfiles
from awsmedic.core.check import Checker, SetupReport
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Knowledge
from awsmedic.model import Evidence
from awsmedic.output.checkview import show, to_json
from awsmedic.output.render import make_console
from awsmedic.safety.redact import SecretBook
from tests.conftest import make_context


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked(knowledge_dirs({}))


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    parsecache.clear()
    yield
    parsecache.clear()


KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _key_id(number: int) -> str:
    """A well-formed access key id (base-32 letters), different for each number."""
    digits = ""
    for _ in range(16):
        number, rest = divmod(number, 32)
        digits += KEY_CHARS[rest]
    return "AKIA" + digits[::-1]


def _keys(number: int) -> str:
    return (
        f"aws_access_key_id = {_key_id(number + 7)}\n"
        f"aws_secret_access_key = {'k' * 30}{number:010d}\n"
    )


def _flat(count: int) -> str:
    return "".join(f"[profile p{n}]\nregion = eu-west-1\n{_keys(n)}\n" for n in range(count))


def _chain(count: int) -> str:
    head = f"[profile c0]\n{_keys(0)}\n"
    return head + "".join(
        f"[profile c{n}]\nrole_arn = arn:aws:iam::123456789012:role/r{n}\n"
        f"source_profile = c{n - 1}\n\n"
        for n in range(1, count)
    )


#: Profiles of every kind, and set-ups that are wrong in different ways.
VARIED_CONFIG = (
    "[default]\nregion = us-east-1\n\n"
    f"[profile keys]\nregion = eu-west-1\n{_keys(1)}\n"
    "[profile half]\naws_access_key_id = AKIAQQQQQQQQQQQQQQQQ\n\n"
    "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = keys\n\n"
    "[profile deep]\nrole_arn = arn:aws:iam::123456789012:role/deep\nsource_profile = role\n\n"
    "[profile loop-a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = loop-b\n\n"
    "[profile loop-b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = loop-a\n\n"
    "[profile lost]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = nowhere\n\n"
    "[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
    "sso_account_id = 123456789012\nsso_role_name = Admin\n\n"
    "[profile helper]\ncredential_process = /bin/false\n\n"
    "[profile typo]\nregoin = eu-west-1\n\n"
    "[profile quoted]\nregion = 'eu-west-1'\n\n"
    "[profile s3ish]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n\n"
    "[noprefix]\nregion = eu-west-1\n"
)
VARIED_CREDENTIALS = (
    f"[keys]\n{_keys(2)}\n[cred-only]\n{_keys(3)}\n[profile wrong]\n{_keys(4)}\n"
    "[spaced]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE \naws_secret_access_key = x\n"
)


def _write(home: Path, config: str, credentials: str | None = None) -> None:
    (home / ".aws" / "config").write_text(config)
    if credentials is not None:
        (home / ".aws" / "credentials").write_text(credentials)


def _check_all(knowledge: Knowledge, profile: str | None = None) -> SetupReport:
    ctx = make_context(offline=True, profile=profile)
    return Checker(ctx, knowledge, SecretBook()).check(every=profile is None)


def _outputs(report: SetupReport) -> tuple[str, str]:
    """The JSON document and the text table, as `check` prints them."""
    book = SecretBook()
    document = json.dumps(to_json(report, book), indent=2, sort_keys=True)
    out = io.StringIO()
    show(report, make_console(out, no_color=True, width=120), book)
    return document, out.getvalue()


class _Parses:
    """How often configparser read the config file (botocore's parse) and `inifile` read its
    lines (awsmedic's)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, config: Path) -> None:
        self.botocore = 0
        self.awsmedic = 0
        read = configparser.RawConfigParser.read
        scan_lines = inifile._scan_lines

        def counting_read(parser: configparser.RawConfigParser, names: Any, **kw: Any) -> Any:
            paths = [names] if isinstance(names, str | os.PathLike) else list(names)
            self.botocore += sum(os.fspath(p) == str(config) for p in paths)
            return read(parser, names, **kw)

        def counting_scan(text: str, issues: list[inifile.Issue]) -> list[inifile.Section]:
            self.awsmedic += 1
            return scan_lines(text, issues)

        monkeypatch.setattr(configparser.RawConfigParser, "read", counting_read)
        monkeypatch.setattr(inifile, "_scan_lines", counting_scan)


@pytest.mark.parametrize("make", [_flat, _chain], ids=["flat", "chain"])
def test_the_files_are_parsed_once_whatever_the_number_of_profiles(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch, make: Callable[[int], str]
) -> None:
    counts = {}
    for count in (4, 24):
        parsecache.clear()
        _write(home, make(count))
        with monkeypatch.context() as spy:
            parses = _Parses(spy, home / ".aws" / "config")
            report = _check_all(knowledge)
        assert len(report.subjects) == count + 1  # the one in use (default) and every profile
        counts[count] = (parses.botocore, parses.awsmedic)
    # Without the kept parses: about 3 botocore parses and 10 line-level readings per profile.
    assert counts[24] == counts[4], counts
    botocore, awsmedic = counts[24]
    assert 1 <= botocore <= 3 and awsmedic == 1, counts


def _uncached(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every parse made anew, as before parses were kept."""
    monkeypatch.setattr(parsecache.ContentCache, "get", lambda self, key: None)
    monkeypatch.setattr(sharedfiles, "_same", lambda kept, new: False)


#: A credentials file configparser rejects: botocore fails where it reads it.
BROKEN_CREDENTIALS = VARIED_CREDENTIALS + "this line is no key\n"


@pytest.mark.parametrize(
    "credentials", [VARIED_CREDENTIALS, BROKEN_CREDENTIALS], ids=["parses", "broken"]
)
def test_check_all_says_what_it_said_without_kept_parses(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch, credentials: str
) -> None:
    _write(home, VARIED_CONFIG, credentials)
    kept = _outputs(_check_all(knowledge))
    with monkeypatch.context() as patched:
        _uncached(patched)
        anew = _outputs(_check_all(knowledge))
    assert kept == anew
    if credentials == BROKEN_CREDENTIALS:
        assert "file-parse-error" in kept[0]
        return
    document = json.loads(kept[0])
    names = {profile["name"] for profile in document["profiles"]}
    assert {"keys", "role", "deep", "loop-a", "sso", "helper", "cred-only", "wrong"} <= names
    states = {profile["state"] for profile in document["profiles"]}
    assert {"broken", "unchecked"} <= states  # varied answers, not one repeated


def _timeless(probes: tuple[Evidence, ...]) -> list[Evidence]:
    return [replace(evidence, elapsed_ms=0) for evidence in probes]


def test_each_profile_is_checked_in_all_as_it_is_alone(home: Path, knowledge: Knowledge) -> None:
    """A profile's row of `check --all` is what `check --profile NAME` finds (the kept parses
    of one profile's check serve the next)."""
    _write(home, VARIED_CONFIG, VARIED_CREDENTIALS)
    every = _check_all(knowledge)
    rows = {verdict.subject.label: verdict for verdict in every.subjects[1:]}
    compared = 0
    for name, row in rows.items():
        if row.kind == "none":
            continue  # alone, the profile in use with no credentials is a problem of its own
        alone = _check_all(knowledge, profile=name).subjects[0]
        seen = (row.kind, row.state, row.summary, row.diagnosis, row.region, row.needs)
        assert seen == (
            alone.kind,
            alone.state,
            alone.summary,
            alone.diagnosis,
            alone.region,
            alone.needs,
        ), name
        assert _timeless(row.probes) == _timeless(alone.probes), name
        compared += 1
    assert compared >= 10


def test_a_file_changed_between_two_checks_is_read_again(home: Path, knowledge: Knowledge) -> None:
    """Same path, same size, same modification time: only the bytes differ, and they count."""
    config = home / ".aws" / "config"
    _write(home, f"[profile p]\nregion = eu-west-1\n{_keys(1)}")
    first = _check_all(knowledge, profile="p").subjects[0]
    stamp = config.stat().st_mtime_ns
    _write(home, f"[profile p]\nregion = eu-west-9\n{_keys(1)}")
    os.utime(config, ns=(stamp, stamp))
    second = _check_all(knowledge, profile="p").subjects[0]
    assert (first.region, second.region) == ("eu-west-1", "eu-west-9")

    broken = _key_id(8)[:-1] + "0"  # a digit no key id has: the same size, a typo now
    _write(home, f"[profile p]\nregion = eu-west-9\n{_keys(1)}".replace(_key_id(8), broken))
    os.utime(config, ns=(stamp, stamp))
    third = _check_all(knowledge, profile="p").subjects[0]
    assert (second.state, third.state) == ("unchecked", "broken")
    assert third.diagnosis is not None and third.diagnosis.cause == "key-typo"


def test_kept_parses_follow_the_bytes(tmp_path: Path) -> None:
    """Each kept parse (botocore's and awsmedic's) is of the bytes the file has now."""
    path = tmp_path / "config"
    path.write_text("[profile a]\nregion = eu-west-1\n")
    stamp = path.stat().st_mtime_ns
    assert inifile.scan(path) is inifile.scan(path)  # unchanged: the same reading
    assert parsecache.load_config(str(path))["profiles"]["a"]["region"] == "eu-west-1"
    path.write_text("[profile b]\nregion = eu-west-2\n")
    os.utime(path, ns=(stamp, stamp))
    assert [s.name for s in inifile.scan(path).sections] == ["profile b"]
    assert parsecache.load_config(str(path))["profiles"] == {"b": {"region": "eu-west-2"}}
    path.unlink()
    assert not inifile.scan(path).exists
    from botocore.exceptions import ConfigNotFound

    with pytest.raises(ConfigNotFound):
        parsecache.load_config(str(path))


def test_a_session_writes_only_to_its_own_copy(home: Path) -> None:
    """botocore adds the environment's values to the selected profile's `s3` section: that
    goes to the session's own copy, never to what the next session is given."""
    import botocore.session

    _write(home, "[profile a]\ns3 =\n  addressing_style = path\n[profile b]\nregion = x\n")
    first = botocore.session.Session(profile="a")
    parsecache.share_full_config(first)  # computes and keeps it
    second = botocore.session.Session(profile="a")
    parsecache.share_full_config(second)  # given the kept one
    assert second._config == first.full_config
    second._config["profiles"]["a"]["s3"]["written"] = "by botocore"
    third = botocore.session.Session(profile="a")
    parsecache.share_full_config(third)
    assert "written" not in third._config["profiles"]["a"]["s3"]
    assert third._config["profiles"]["b"] is second._config["profiles"]["b"]  # the rest shared
