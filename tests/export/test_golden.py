"""Golden transcripts: the fixed session (session.py) in each format, compared byte for byte.

After a deliberate change to an exporter, run `pytest tests/export --update-golden` and review
the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from awsmedic.output.export.jsondoc import document
from awsmedic.output.export.jsonread import parse
from awsmedic.output.exporting import render
from awsmedic.safety.redact import SecretBook
from tests.export.session import golden_session

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
FORMATS = {"markdown": "session.md", "json": "session.json", "html": "session.html"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_matches_its_golden_file(fmt: str, update_golden: bool) -> None:
    produced = render(golden_session().redacted(SecretBook()), fmt)
    golden = GOLDEN / FORMATS[fmt]
    if update_golden:
        golden.write_text(produced, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    if produced != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                produced.splitlines(keepends=True),
                str(golden),
                "produced",
            )
        )
        pytest.fail(f"{golden.name} differs (rerun with --update-golden and review):\n{diff}")


def test_the_session_has_every_kind_of_event() -> None:
    kinds = {type(event).__name__ for event in golden_session().events}
    assert kinds == {
        "Pasted",
        "Matched",
        "Branched",
        "Probed",
        "Asked",
        "Answered",
        "Concluded",
        "WentBack",
        "Restarted",
        "Stalled",
    }


def test_the_session_is_reproducible() -> None:
    """Clock and versions are pinned: two runs give the same documents."""
    first = render(golden_session().redacted(SecretBook()), "json")
    assert render(golden_session().redacted(SecretBook()), "json") == first


def test_json_reads_back_to_the_same_events() -> None:
    redacted = golden_session().redacted(SecretBook())
    again, skipped = parse(document(redacted))
    assert skipped == []
    assert again.events == redacted.events
    assert again.meta == redacted.meta


def test_exporters_refuse_a_log_that_was_not_redacted() -> None:
    with pytest.raises(ValueError, match="redacted"):
        render(golden_session(), "markdown")
