"""Exports of a case that could not check everything: each format says what was not checked and
why, never as evidence; the stalled case carries the best candidate's steps; JSON reads back."""

from __future__ import annotations

import json
from pathlib import Path

from awsmedic.context import Context
from awsmedic.core.transcript import Transcript
from awsmedic.model import Probed, Stalled, Unchecked
from awsmedic.output.export.jsondoc import document
from awsmedic.output.export.jsonread import load
from awsmedic.output.exporting import export
from awsmedic.probes import not_checked
from awsmedic.safety.redact import SecretBook
from tests.export.session import (
    META,
    PASTE_CLI,
    FixedConsultation,
    chain_evidence,
    knowledge,
    ticking,
)
from tests.export.test_schema import errors

UNREACHED = 'EndpointConnectionError: Could not connect to the endpoint URL: "https://sts.x/"'


def unreached_session() -> Transcript:
    ctx = Context(environ={}, home=Path("/home/alice"), clock=ticking())
    transcript = Transcript(META)
    consultation = FixedConsultation(ctx, knowledge(), SecretBook(), transcript)
    consultation.evidence = {
        "creds.chain": chain_evidence(),
        "sts.identity": not_checked(
            "sts.identity", Unchecked.UNREACHABLE, UNREACHED, ("endpoint-unreachable",)
        ),
    }
    consultation.recognise(PASTE_CLI)
    consultation.run(lambda question: None)
    return transcript


def test_the_case_stalls_with_offline_and_a_guess() -> None:
    [stalled] = [e for e in unreached_session().events if isinstance(e, Stalled)]
    assert stalled.offline == (
        f"Caller identity (sts:GetCallerIdentity): AWS could not be reached from here ({UNREACHED})",
    )
    assert stalled.guess is not None and stalled.guess.cause == stalled.candidates[0].cause
    assert not any("EndpointConnectionError" in line for line in stalled.guess.evidence)


def test_every_format_says_what_was_not_checked(tmp_path: Path) -> None:
    transcript = unreached_session()
    for name in ("case.md", "case.html", "case.json"):
        export(transcript, SecretBook(), tmp_path / name, force=False)
    markdown = (tmp_path / "case.md").read_text()
    section = markdown.split("### Not checked", 1)[1].split("###", 1)[0]
    assert "Caller identity (sts:GetCallerIdentity): AWS could not be reached from here" in section
    assert "### Steps for the most likely: " in markdown
    evidence = markdown.split("### Evidence", 1)[1] if "### Evidence" in markdown else ""
    assert "EndpointConnectionError" not in evidence
    html = (tmp_path / "case.html").read_text()
    assert "Not checked</h" in html and "Steps for the most likely: " in html
    data = json.loads((tmp_path / "case.json").read_text())
    assert errors(data) == []
    [stalled] = [e for e in data["events"] if e["type"] == "stalled"]
    assert stalled["offline"] and stalled["guess"]["steps"]
    [probed] = [
        e
        for e in data["events"]
        if e["type"] == "probed" and e["evidence"]["probe"] == "sts.identity"
    ]
    assert probed["evidence"]["unchecked"] == "unreachable"


def test_the_json_export_reads_back_with_what_was_not_checked(tmp_path: Path) -> None:
    transcript = unreached_session().redacted(SecretBook())
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document(transcript)))
    read, skipped = load(path)
    assert skipped == [] and read.events == transcript.events
    probed = [e for e in read.events if isinstance(e, Probed)]
    assert probed[-1].evidence.unchecked is Unchecked.UNREACHABLE


def test_a_transcript_from_before_still_reads(tmp_path: Path) -> None:
    """Documents written before `unchecked`, `offline`, `guess` and `probe` existed."""
    data = document(unreached_session().redacted(SecretBook()))
    for event in data["events"]:
        event.pop("offline", None)
        event.pop("guess", None)
        event.pop("probe", None)
        if "evidence" in event:
            event["evidence"].pop("unchecked")
    assert errors(data) == []
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    read, _ = load(path)
    [stalled] = [e for e in read.events if isinstance(e, Stalled)]
    assert stalled.offline == () and stalled.guess is None
