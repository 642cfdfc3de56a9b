"""The one step `check` prints for a cause (audit 2: s04, s05, s07), and the chain's summary of
a role whose source profiles loop (s01).

`check` shows one step: it is chosen from the steps as the diagnosis built them (those whose
condition the evidence shows first, those without one next, one whose condition could not be
decided only when nothing else is there; one whose condition is false is never built), so a
step for a finding nobody reported ("the program's path has a space") is never the one shown.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from awsmedic.core.check import Checker, Verdict
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Knowledge
from awsmedic.model import EVIDENCED, HOLDS, UNDECIDED, Confidence, Diagnosis, Step
from awsmedic.output.checkview import to_json
from awsmedic.output.github import first_step, start_step
from awsmedic.safety.redact import SecretBook
from tests.awsfixtures import free_port
from tests.conftest import make_context
from tests.unit.probes.helpers import KEY, SECRET

CONSENT = {"consent:creds.process": "yes"}


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked(knowledge_dirs({}))


@pytest.fixture
def offline_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS at a closed loopback port: the clock probe asks nothing outside this machine."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")


def _helper(home: Path, printed: str) -> None:
    """A credential_process helper (the path has no space) that prints `printed`."""
    script = home / "bin" / "helper.py"
    script.parent.mkdir()
    script.write_text(f"import sys\nsys.stdout.write({printed!r})\n")
    config = f"[profile vault]\ncredential_process = {sys.executable} {script}\n"
    (home / ".aws" / "config").write_text(config + "region = eu-central-1\n")


def _vault(knowledge: Knowledge) -> tuple[Verdict, str]:
    ctx = make_context(profile="vault")
    book = SecretBook()
    report = Checker(ctx, knowledge, book, CONSENT).check(every=False)
    verdict = report.subjects[0]
    assert verdict.diagnosis is not None
    shown = to_json(report, book)["profiles"][0]["first_step"]["text"]
    return verdict, shown


def _creds(**fields: object) -> str:
    return json.dumps({"AccessKeyId": KEY, "SecretAccessKey": SECRET, **fields})


@pytest.mark.usefixtures("offline_aws")
@pytest.mark.parametrize(
    ("printed", "finding", "step"),
    [
        (
            "Fetching credentials from vault...\n" + _creds(Version=1),
            "process-stdout-not-json",
            "Make it print only the JSON there and write every message to standard error",
        ),
        (_creds(Version=2), "process-bad-version", 'make the helper emit `"Version": 1`'),
        (
            _creds(Version=1, SessionToken="t" * 40, Expiration="2024-01-01T00:00:00Z"),
            "process-expired",
            "it hands out stale cached credentials",
        ),
    ],
    ids=["log-line-before-json", "version-2", "expired"],
)
def test_the_step_for_what_the_helper_did(
    home: Path, knowledge: Knowledge, printed: str, finding: str, step: str
) -> None:
    _helper(home, printed)
    verdict, shown = _vault(knowledge)
    assert verdict.state == "broken"
    assert verdict.diagnosis is not None
    assert verdict.diagnosis.cause == "credential-process-failure"
    ran = next(e for e in verdict.probes if e.probe == "creds.process")
    assert finding in ran.findings
    assert step in shown
    assert "has a space" not in shown  # process-path-unquoted: nobody reported it
    assert first_step(verdict.diagnosis) in _cause_line(verdict.diagnosis)


def _cause_line(diagnosis: Diagnosis) -> str:
    from awsmedic.output.checkview import _cause_text

    return _cause_text(diagnosis)


def _diagnosis(*steps: Step) -> Diagnosis:
    return Diagnosis("c", "t", Confidence.CONFIRMED, ("found in `~/.aws/config`",), "", steps)


def test_a_step_that_only_may_apply_is_never_shown_before_one_that_does() -> None:
    undecided = Step("Quote the path in `~/.aws/config`.", condition=UNDECIDED)
    plain = Step("Show it: `aws configure get credential_process`", ("aws configure get x",))
    found = Step("Print only the JSON on standard output.", condition=EVIDENCED)
    generic = Step(
        "Check: `aws sts get-caller-identity`", ("aws sts get-caller-identity",), condition=HOLDS
    )
    # a step there for a finding the evidence has comes first
    assert start_step(_diagnosis(plain, undecided, generic, found)) is found
    # one that holds only by what is absent is one of the steps known to apply, no more
    assert start_step(_diagnosis(undecided, generic, plain)) is generic
    assert start_step(_diagnosis(undecided, plain)) is plain
    assert start_step(_diagnosis(undecided)) is undecided  # nothing known applies
    # a transcript's steps (no condition kept) are chosen as before: the file the evidence names
    named = Step("Edit `~/.aws/config`.")
    assert start_step(_diagnosis(plain, named)) is named


def test_a_source_profile_loop_is_said_to_be_one(home: Path, knowledge: Knowledge) -> None:
    """s01: dev -> ops -> dev. No profile in the loop gives keys: the summary says so, and
    never that 'dev' signs with its keys."""
    (home / ".aws" / "config").write_text(
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = ops\n\n"
        "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = dev\n"
    )
    report = Checker(make_context(profile="dev", offline=True), knowledge, SecretBook()).check(
        every=False
    )
    summary = report.chain.summary
    assert "source_profile references loop (dev -> ops -> dev)" in summary
    assert "with the keys of source profile" not in summary
    verdict = report.subjects[0]
    assert verdict.diagnosis is not None and verdict.diagnosis.cause == "source-profile-broken"


def test_a_missing_source_profile_gives_no_keys(home: Path, knowledge: Knowledge) -> None:
    (home / ".aws" / "config").write_text(
        "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
        "source_profile = base\n"
    )
    report = Checker(make_context(profile="deploy", offline=True), knowledge, SecretBook()).check(
        every=False
    )
    assert "its source profile 'base' gives no keys to sign AssumeRole" in report.chain.summary
    assert "with the keys of source profile" not in report.chain.summary


@pytest.mark.usefixtures("offline_aws")
@pytest.mark.parametrize(
    ("layout", "step"),
    [
        ("space", "put the path in double quotes"),
        ("interpreter", "asks for `awsmedic-no-python2`"),
    ],
)
def test_the_step_for_a_helper_that_cannot_start(
    home: Path, knowledge: Knowledge, layout: str, step: str
) -> None:
    """Audit 4 s04 and s05: check runs the lookup diagnose's walk makes first
    (creds.process-program), so its step is the fix it finds, not "write the full path" for a
    path that holds an unquoted space, nor a step about the helper's JSON for a script whose
    #! interpreter is not installed."""
    folder = home / ("My Tools" if layout == "space" else "bin")
    folder.mkdir()
    script = folder / "aws-creds.sh"
    first = "#!/bin/sh" if layout == "space" else "#!/usr/bin/env awsmedic-no-python2"
    script.write_text(f"{first}\necho '{{}}'\n")
    script.chmod(0o755)
    config = f"[profile vault]\ncredential_process = {script}\nregion = eu-central-1\n"
    (home / ".aws" / "config").write_text(config)
    verdict, shown = _vault(knowledge)
    assert verdict.state == "broken"
    assert verdict.diagnosis is not None
    assert verdict.diagnosis.cause == "credential-process-failure"
    assert step in shown
