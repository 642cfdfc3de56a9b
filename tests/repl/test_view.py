"""What the REPL shows: widths, plain text, copyable commands, the toolbar, the history file."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from awsmedic.core.remedy import diagnose
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.model import Confidence, Fact
from awsmedic.output.render import COMMAND_INDENT, commands_in, make_console
from awsmedic.repl.app import repl_console
from awsmedic.repl.history import history_path
from awsmedic.repl.toolbar import Toolbar, mask_account
from awsmedic.repl.view import ReplPrinter
from awsmedic.safety.redact import SecretBook
from tests.conftest import make_context
from tests.repl.conftest import ENTER, Session, paste

FACTS = {
    "profile": Fact("dev", "env", "AWS_PROFILE"),
    "credentials_file": Fact("~/.aws/credentials"),
    "config_file": Fact("~/.aws/config"),
    "region": Fact("eu-west-1"),
}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def render_diagnosis(console_file: io.StringIO, width: int, no_color: bool = True) -> str:
    knowledge = load_checked(knowledge_dirs({}))
    cause = knowledge.causes["stale-session-token"]
    diagnosis = diagnose(cause, Confidence.CONFIRMED, ["a line of evidence " * 6], FACTS)
    console = make_console(console_file, no_color=no_color, width=width, force_terminal=True)
    ReplPrinter(console, SecretBook()).diagnosis(diagnosis)
    return console_file.getvalue()


@pytest.mark.parametrize("width", [60, 200])
def test_a_diagnosis_fits_the_terminal(width: int) -> None:
    shown = render_diagnosis(io.StringIO(), width)
    commands = commands_in("\n".join(knowledge_steps()))
    for line in shown.splitlines():
        if line.startswith(COMMAND_INDENT) and line.strip() in commands:
            continue  # a command line is never wrapped by us: the terminal wraps it softly
        assert len(line.rstrip()) <= width, line
    # Each command once, whole on one line (or folded between words with `\`): copyable.
    steps = shown.split("In short:")[0]  # the summary repeats the first command, on purpose
    lines = [" ".join(line.split()) for line in steps.splitlines()]
    assert sum("unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN" in line for line in lines) == 1
    assert "[dev] in ~/.aws/credentials" in " ".join(shown.split())


def knowledge_steps() -> tuple[str, ...]:
    cause = load_checked(knowledge_dirs({})).causes["stale-session-token"]
    return tuple(step.text for step in cause.steps)


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_color_and_dumb_terminals_get_plain_text(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TERM", env.get("TERM", "xterm-256color"))
    ctx = make_context(stdout=Terminal())
    console = repl_console(ctx)
    printer = ReplPrinter(console, SecretBook())
    printer.say("bold words", "bold red")
    printer.command("aws sts get-caller-identity")
    assert ctx.stdout.getvalue() == "bold words\n     aws sts get-caller-identity\n"  # type: ignore[attr-defined]


def test_colour_when_allowed() -> None:
    assert "\x1b[" in render_diagnosis(io.StringIO(), 100, no_color=False)


def test_commands_in_steps() -> None:
    step = (
        "Remove them: bash `unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN`; PowerShell "
        "`Remove-Item Env:AWS_SESSION_TOKEN`. Then edit `[profile dev]` in `~/.aws/config`: "
        "`region = us-east-1`. Check: `aws sts get-caller-identity\n   --profile dev`, and "
        '`$env:AWS_PROFILE = "dev"` in PowerShell.'
    )
    assert commands_in(step) == [
        "unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN",
        "Remove-Item Env:AWS_SESSION_TOKEN",
        "aws sts get-caller-identity --profile dev",
        '$env:AWS_PROFILE = "dev"',  # a PowerShell command too (its value needs quoting)
    ]


def test_a_long_paste_echoes_as_one_line(start: Callable[..., Session]) -> None:
    session = start(width=60, offline=True)
    body = "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation"
    assert session.run(paste(body + "\n" * 2 + "more\n" * 30) + ENTER + "\x04") == 0
    first = session.shown.splitlines()[0]
    assert first.startswith("› An error occurred (Invalid")
    assert first.endswith("…  (+31 more lines)") and len(first) <= 60


def test_toolbar_before_and_after_the_probes(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "dev")
    (home / ".aws" / "config").write_text("[profile dev]\nregion = eu-central-1\n")
    toolbar = Toolbar(make_context())
    assert toolbar.line(200) == " profile dev · region eu-central-1"
    toolbar.learn(
        {
            "profile": Fact("dev"),
            "access_key_id": Fact("****************ABCD"),
            "region": Fact("eu-west-1"),
        }
    )
    assert toolbar.line(200) == " profile dev · region eu-west-1 · key ****************ABCD"
    toolbar.learn({"arn": Fact("arn:aws:iam::123456789012:user/erin")})
    assert (
        toolbar.line(200) == " profile dev · region eu-west-1 · arn:aws:iam::********9012:user/erin"
    )
    narrow = toolbar.line(40)
    assert len(narrow) <= 39 and narrow.endswith("…")
    toolbar.forget()
    assert "erin" not in toolbar.line(200)


def test_toolbar_follows_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "dev")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    assert Toolbar(make_context(profile="prod", region="ap-south-1")).line(100) == (
        " profile prod · region ap-south-1"
    )
    assert Toolbar(make_context(offline=True)).line(100) == (
        " profile dev · region us-west-2 · offline"
    )


def test_mask_account() -> None:
    assert mask_account("arn:aws:sts::123456789012:assumed-role/x/y") == (
        "arn:aws:sts::********9012:assumed-role/x/y"
    )


def test_history_keeps_commands_and_answers_but_not_pastes(
    start: Callable[..., Session], home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIARZPUZDIKGB2VALC4\n"
        "aws_secret_access_key = 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\n"
    )
    pasted = "Unable to locate credentials (AKIARZPUZDIKGB2VALC4)"
    session = start(offline=True)
    assert session.run(paste(pasted) + ENTER + "2" + "/why" + ENTER + "/quit" + ENTER) == 0
    path = tmp_path / "state" / "awsmedic" / "history"
    assert history_path(session.repl.ctx) == path
    saved = path.read_text()
    assert "+no\n" in saved and "+/why\n" in saved and "+/quit\n" in saved
    assert "Unable to locate" not in saved
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700

    monkeypatch.setenv("AWSMEDIC_HISTORY_PASTES", "1")
    session = start(offline=True)
    assert session.run(paste(pasted) + ENTER + "\x04") == 0
    saved = path.read_text()
    assert "+Unable to locate credentials (****************ALC4)" in saved  # scrubbed
    assert "AKIARZPUZDIKGB2VALC4" not in saved


def test_an_existing_history_with_loose_modes_is_made_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17, item 10: an older or copied history kept its 0644 (and its directory 0755)."""
    from awsmedic.repl.history import make_history

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = tmp_path / "state" / "awsmedic" / "history"
    path.parent.mkdir(parents=True, mode=0o755)
    path.parent.chmod(0o755)
    path.write_text("\n# 2024-01-01\n+/help\n")
    path.chmod(0o644)
    history = make_history(make_context(), lambda line: True, lambda line: line)
    assert type(history).__name__ != "InMemoryHistory"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert "+/help" in path.read_text()  # kept, only its modes changed


def test_a_history_that_is_a_symlink_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Making it private must not chmod whatever a planted link points at."""
    from awsmedic.repl.history import make_history

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("someone else's file\n")
    elsewhere.chmod(0o644)
    path = tmp_path / "state" / "awsmedic" / "history"
    path.parent.mkdir(parents=True)
    path.symlink_to(elsewhere)
    history = make_history(make_context(), lambda line: True, lambda line: line)
    assert type(history).__name__ == "InMemoryHistory"
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644


def test_history_under_home_without_xdg(home: Path) -> None:
    assert history_path(make_context()) == home / ".local" / "state" / "awsmedic" / "history"


def test_scrubbing_keeps_every_cause_s_markdown_intact() -> None:
    """Knowledge text is scrubbed before it is shown; code spans must survive that whole."""
    for cause in load_checked(knowledge_dirs({})).causes.values():
        for text in (cause.why, *(step.text for step in cause.steps)):
            assert SecretBook().scrub(text).count("`") == text.count("`"), cause.id
