"""Python's bare "invalid literal for int()" is an AWS setting's error when a whole-number
setting here holds the value it quotes (audit 3, s22): the AWS CLI v1 prints nothing else for
`AWS_MAX_ATTEMPTS=abc`. The text alone (no such setting here, or --no-probes) stays a look-alike.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from awsmedic.core.consult import Consultation
from awsmedic.core.match import Matcher
from awsmedic.core.transcript import Transcript
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.safety.redact import SecretBook
from tests.conftest import make_context

CLI_V1 = "invalid literal for int() with base 10: 'abc'"
BOTO3 = "builtins.ValueError: invalid literal for int() with base 10: 'abc'"


@functools.cache
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def consult(text: str, **ctx: object) -> Consultation:
    consultation = Consultation(
        make_context(**ctx), knowledge(), SecretBook(), Transcript(), matcher=Matcher(knowledge())
    )
    consultation.recognise(text)
    return consultation


def tree_of(consultation: Consultation) -> str | None:
    assert consultation.outcome is not None
    best = consultation.outcome.recognition.best
    return best.tree if best is not None else None


@pytest.mark.parametrize("text", [CLI_V1, BOTO3], ids=["cli-v1", "boto3"])
def test_the_quoted_value_of_a_variable_here_makes_it_that_settings_error(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "abc")
    consultation = consult(text)
    assert tree_of(consultation) == "invalid-config"
    outcome = consultation.run(lambda question: None)
    assert outcome.diagnosis is not None
    assert outcome.diagnosis.cause == "setting-value-invalid"


def test_a_profile_setting_counts_as_the_variable_does(home: Path) -> None:
    (home / ".aws").mkdir(exist_ok=True)
    (home / ".aws" / "config").write_text("[profile dev]\nmetadata_service_timeout = 0.5\n")
    text = "ValueError: invalid literal for int() with base 10: '0.5'"
    assert tree_of(consult(text, profile="dev")) == "invalid-config"
    assert tree_of(consult(text)) is None  # [default] sets nothing: any program's number


def test_offline_is_still_local_evidence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "abc")
    assert tree_of(consult(CLI_V1, offline=True)) == "invalid-config"


def test_without_the_setting_or_probes_the_text_alone_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for text in (CLI_V1, BOTO3):
        consultation = consult(text)
        assert tree_of(consultation) is None
        assert consultation.outcome is not None
        assert consultation.outcome.recognition.lookalike is not None
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "7")  # a good number, another value quoted
    assert tree_of(consult(CLI_V1)) is None
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "abc")
    assert tree_of(consult(CLI_V1, probes_enabled=False)) is None
