"""How a diagnosis reads: a one-line summary at the end, no internal ids, piped text as wide as
COLUMNS and without trailing spaces, code without a background box, long commands broken only
between words (and still runnable), steps with the candidates after /skip."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from awsmedic.core.remedy import diagnose
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.model import Confidence, Fact
from awsmedic.output.fold import fold, words
from awsmedic.output.render import COMMAND_INDENT, Printer, make_console
from awsmedic.safety.redact import SecretBook
from tests.repl.conftest import ENTER, Session, paste

STALE = "FwoGZXIvYXdzE" + "Zz9Yy8Xx7Ww6" * 30
KEY = "AKIARZPUZDIKGB2VALC4"
SECRET = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eDEy"
INVALID_TOKEN = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)
CAUSE_IDS = re.compile(r"\[[a-z]+(?:-[a-z]+)+(?:, \w+)?\]")


def knowledge_ids() -> set[str]:
    knowledge = load_checked(knowledge_dirs({}))
    ids = set(knowledge.causes) | set(knowledge.trees) | set(knowledge.signals)
    return {i for i in ids if "-" in i}


@pytest.fixture
def stale_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", STALE)


def run_diagnose(
    *args: str, columns: str | None = None, text: str = INVALID_TOKEN
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run(
        [sys.executable, "-m", "awsmedic", "diagnose", "--no-input", "--offline", *args, text],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.slow
@pytest.mark.usefixtures("stale_token")
@pytest.mark.parametrize(("columns", "width"), [("72", 72), (None, 120), ("200", 200)])
def test_piped_text_honours_columns_and_leaves_no_trailing_spaces(
    columns: str | None, width: int
) -> None:
    result = run_diagnose(columns=columns)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(line == line.rstrip() for line in lines)
    for line in lines:
        assert len(line) <= width or " " not in line.strip(), line
    if width < 120:
        assert max(len(line) for line in lines) > width - 15  # used, not just respected


@pytest.mark.slow
@pytest.mark.usefixtures("stale_token")
def test_the_diagnosis_ends_with_a_one_line_summary() -> None:
    result = run_diagnose(columns="200")
    last = result.stdout.rstrip("\n").splitlines()[-1]
    assert last == (
        "In short: A leftover session token is sent with keys it does not belong to (confirmed);"
        " first: unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN"
    )


@pytest.mark.slow
@pytest.mark.usefixtures("stale_token")
def test_no_internal_ids_in_the_text() -> None:
    out = run_diagnose(columns="200").stdout
    assert not CAUSE_IDS.search(out)
    leaked = {i for i in knowledge_ids() if re.search(rf"(?<![\w./-]){re.escape(i)}(?![\w-])", out)}
    assert leaked == set()


def test_the_evidence_quotes_the_paste_not_a_signal_name(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`config-source-profile` (a signal of the knowledge base) appeared as evidence."""
    (home / ".aws" / "config").write_text(
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "dev")
    text = (
        'botocore.exceptions.InvalidConfigError: The source_profile "base" referenced in '
        'the profile "dev" does not exist.'
    )
    report = json.loads(run_diagnose("--format", "json", text=text).stdout)
    evidence = report["diagnosis"]["evidence"]
    assert "the error text says “source_profile”" in evidence
    assert not any("config-source-profile" in line for line in evidence)


def test_inline_code_has_no_background_box() -> None:
    screen = io.StringIO()
    console = make_console(screen, no_color=False, width=80, force_terminal=True)
    Printer(console, SecretBook())._markdown(
        "Run `aws sts get-caller-identity` now.\n\n```sh\naws configure\n```"
    )
    shown = screen.getvalue()
    assert "aws sts get-caller-identity" in shown
    # No background colour at all: SGR 40-49, 100-107 or 48;... (rich's default is black).
    for codes in re.findall(r"\x1b\[([\d;]*)m", shown):
        parts = codes.split(";")
        assert not any(p in {str(n) for n in (*range(40, 50), *range(100, 108))} for p in parts), (
            codes
        )
        assert "48" not in parts, codes


@pytest.mark.parametrize(
    "command",
    [
        "aws iam list-access-keys --user-name alice-with-a-long-name --profile admin-profile-name",
        'aws configure set aws_access_key_id "a value with spaces inside" --profile dev',
        "Remove-Item Env:AWS_SESSION_TOKEN; Remove-Item Env:AWS_SECURITY_TOKEN; Remove-Item Env:X",
    ],
)
@pytest.mark.parametrize("width", [24, 40, 60])
def test_long_commands_break_between_words_and_still_run(command: str, width: int) -> None:
    lines = fold(command, width)
    for line in lines:
        assert len(line) <= width or len(words(line)) <= 2, line
    mark = " `" if command.startswith("Remove-Item") else " \\"
    assert all(line.endswith(mark) for line in lines[:-1])
    joined = " ".join(line.removesuffix(mark).strip() for line in lines)
    assert words(joined) == words(command)  # no word cut, none lost
    if mark == " \\":  # a POSIX shell reads the folded lines as the one command
        assert shlex.split("\n".join(lines).replace("\\\n", " ")) == shlex.split(command)


def test_a_long_command_in_a_step_is_folded_not_cut(home: Path) -> None:
    knowledge = load_checked(knowledge_dirs({}))
    facts = {"profile": Fact("a-rather-long-profile-name-for-testing")}
    diagnosis = diagnose(knowledge.causes["key-deleted"], Confidence.LIKELY, [], facts)
    screen = io.StringIO()
    Printer(make_console(screen, no_color=True, width=50), SecretBook()).diagnosis(diagnosis)
    copy_lines = [
        line for line in screen.getvalue().splitlines() if line.startswith(COMMAND_INDENT)
    ]
    assert copy_lines
    for line in copy_lines:
        assert len(line) <= 50 or len(words(line)) <= 2, line


def test_after_skip_the_candidates_come_with_the_steps_of_the_best(
    start: Callable[..., Session], home: Path
) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    session = start(offline=True)
    keys = paste(INVALID_TOKEN) + ENTER
    assert session.run(keys + "/skip" + ENTER + "/quit" + ENTER) == 0
    shown = session.shown.split("› /skip", 1)[1]
    assert "Most likely:" in shown
    best = shown.split("Most likely:\n", 1)[1].splitlines()[0].split("%", 1)[1].strip()
    assert f"Steps for the most likely, {best}:" in " ".join(shown.split())
    assert re.search(r"^ 1 ", shown, re.MULTILINE)  # a numbered step
    assert "In short: no single cause; most likely:" in " ".join(shown.split())
