"""`check` on set-ups of the fourth outside audit: the problem it finds and the one step it
shows for it."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from awsmedic.context import Context
from awsmedic.core.check import Checker, SetupReport
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Knowledge
from awsmedic.output.checkview import to_json
from awsmedic.safety.redact import SecretBook
from tests.awsfixtures import free_port
from tests.conftest import make_context
from tests.unit.probes.helpers import KEY, SECRET


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked(knowledge_dirs({}))


def checked(knowledge: Knowledge, ctx: Context) -> tuple[SetupReport, dict[str, Any]]:
    """`awsmedic check` for the profile in use: the report, and the first step its JSON shows."""
    book = SecretBook()
    report = Checker(ctx, knowledge, book).check(every=False)
    return report, to_json(report, book)["profiles"][0]["first_step"]


def _keys(home: Path, config: str) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    (home / ".aws" / "config").write_text(config)


def test_an_empty_default_region_variable_is_unset_not_set(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s21: `AWS_DEFAULT_REGION=""` hides `region = eu-west-1` of the profile; the step is to
    remove the variable, not to export a region into it."""
    _keys(home, "[default]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "")
    report, shown = checked(knowledge, make_context(offline=True))
    verdict = report.subjects[0]
    assert verdict.state == "broken"
    assert verdict.diagnosis is not None
    assert "unset AWS_DEFAULT_REGION" in shown["text"]
    assert "export AWS_DEFAULT_REGION" not in shown["text"]
    assert "eu-west-1" in shown["text"]


def test_an_empty_default_region_variable_without_a_profile_region(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no region in the profile, removing the variable leaves none: a region is set."""
    _keys(home, "[default]\n")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "")
    _, shown = checked(knowledge, make_context(offline=True))
    assert "unset AWS_DEFAULT_REGION" not in shown["text"]


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """No name resolves but loopback's, as on a machine without a network (`unshare -n`): no
    test looks up an AWS host name."""
    real = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> Any:
        if host in ("127.0.0.1", "localhost", "::1"):
            return real(host, *args, **kwargs)  # type: ignore[arg-type]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.usefixtures("no_dns")
def test_fips_endpoints_in_a_region_without_them_are_a_problem_found(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s24: `AWS_USE_FIPS_ENDPOINT=true` with eu-west-1 makes every call go to
    sts-fips.eu-west-1.amazonaws.com, which does not exist. That is a setting of this machine,
    as audit 3's dead endpoint override: broken, not "could not reach AWS"."""
    _keys(home, "[default]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_USE_FIPS_ENDPOINT", "true")
    report, shown = checked(knowledge, make_context(network_timeout=1.0))
    verdict = report.subjects[0]
    assert not report.ok
    assert verdict.state == "broken"
    assert verdict.diagnosis is not None
    assert verdict.diagnosis.cause == "endpoint-variant-unavailable"
    assert "AWS_USE_FIPS_ENDPOINT=true" in verdict.summary
    assert "unset AWS_USE_FIPS_ENDPOINT" in shown["text"]


def test_a_named_profile_without_a_region_is_not_told_about_amplify(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s02: [dev] only in ~/.aws/credentials, a region only in [default] of ~/.aws/config,
    AWS_PROFILE=dev. check has no paste, so no tool printed anything: the Amplify step
    (`tool:amplify-js`) is known not to apply, not undecided like the others, and the step shown
    is the one diagnose gives first, `aws configure set region … --profile dev`. (It was
    Amplify's, picked among undecided steps for naming `~/.aws`, which the evidence names.)"""
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n\n"
        f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\noutput = json\n")
    monkeypatch.setenv("AWS_PROFILE", "dev")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    # AWS knows the keys (asked in a default region): check goes on to the missing region.
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    arn = "arn:aws:iam::123456789012:user/u02"
    monkeypatch.setattr(
        Checker,
        "_online",
        lambda self, case, base: replace(base, state="works", summary=arn, identity=arn),
    )
    report, step = checked(knowledge, make_context())
    verdict = report.subjects[0]
    assert verdict.diagnosis is not None and verdict.diagnosis.cause == "no-region"
    shown = step["text"]
    assert "Amplify" not in shown
    assert "aws configure set region" in shown and "--profile dev" in shown
    assert not any("Amplify" in step.text for step in verdict.diagnosis.steps)


def test_an_output_format_the_cli_does_not_know_is_a_problem_found(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s25: AWS_DEFAULT_OUTPUT=yml stops every AWS CLI command; check said "Nothing is wrong"."""
    _keys(home, "[default]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_DEFAULT_OUTPUT", "yml")
    report, shown = checked(knowledge, make_context(offline=True))
    verdict = report.subjects[0]
    assert verdict.state == "broken"
    assert verdict.diagnosis is not None and verdict.diagnosis.cause == "setting-value-invalid"
    assert "unset AWS_DEFAULT_OUTPUT" in shown["text"]


def test_a_helper_printing_a_token_with_a_long_term_key_is_a_problem_found(
    home: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s06: with consent, check runs the helper (as diagnose does) and reads the shape of what
    it prints: an AKIA key with a SessionToken is refused by AWS, whatever the identity call
    says (here nothing answers: the helper's output decides before it is asked)."""
    script = home / "creds.sh"
    printed = (
        f'{{"Version": 1, "AccessKeyId": "{KEY}", "SecretAccessKey": "{SECRET}",'
        f' "SessionToken": "FwoGZXIvYXdzE{"Ab1Cd2" * 40}"}}'
    )
    script.write_text(f"#!/bin/sh\necho '{printed}'\n")
    script.chmod(0o755)
    (home / ".aws" / "config").write_text(
        f"[default]\ncredential_process = {script}\nregion = eu-west-1\n"
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    book = SecretBook()
    report = Checker(make_context(), knowledge, book, {"consent:creds.process": "yes"}).check(
        every=False
    )
    verdict = report.subjects[0]
    assert verdict.state == "broken"
    assert verdict.diagnosis is not None and verdict.diagnosis.cause == "stale-session-token"
    shown = to_json(report, book)["profiles"][0]["first_step"]
    assert "aws configure get credential_process --profile default" in shown["text"]
    assert KEY not in str(to_json(report, book))
