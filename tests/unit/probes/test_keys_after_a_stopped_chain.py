"""When botocore's chain stops before any provider (a file it cannot parse, a provider that
raises), the probes that look at the keys did not look at anything: they say "not checked" and
report no finding, rather than "no static keys", which would read as evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.unit.probes.helpers import KEY, SECRET, probe


def unparseable(home: Path) -> None:
    # A byte-order mark before the first section header: botocore's parser finds no header.
    (home / ".aws" / "credentials").write_text(
        f"\ufeff[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("probe_id", ["creds.keys", "creds.secret", "iam.key-age"])
def test_an_unparseable_file_leaves_the_keys_unchecked(home: Path, probe_id: str) -> None:
    unparseable(home)
    evidence = probe(probe_id)
    assert evidence.status is Status.SKIPPED
    assert evidence.findings == ()
    assert evidence.summary.startswith("not checked: the credential chain stopped first")
    assert "ConfigParseError" in evidence.summary
    assert SECRET not in evidence.summary


@pytest.mark.parametrize("probe_id", ["creds.keys", "creds.secret"])
def test_a_key_id_without_its_secret_leaves_the_keys_unchecked(
    home: Path, monkeypatch: pytest.MonkeyPatch, probe_id: str
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    evidence = probe(probe_id)
    assert evidence.status is Status.SKIPPED and evidence.findings == ()
    assert "PartialCredentialsError" in evidence.summary


@pytest.mark.parametrize("probe_id", ["creds.keys", "creds.secret"])
def test_no_keys_anywhere_is_still_nothing_to_check(home: Path, probe_id: str) -> None:
    assert probe(probe_id).findings == ("no-static-keys",)
