"""The line handler and the command parser, without a terminal."""

from __future__ import annotations

import pytest

from awsmedic.model import Question
from awsmedic.repl.commands import COMMANDS, Command, help_text, parse
from awsmedic.repl.handler import Choose, Nothing, Paste, Run, Say, handle_line, pick

KEY_HISTORY = Question(
    "key-history",
    "AWS does not know this access key. What happened to it recently?",
    (
        "deleted or rotated",
        "deactivated (Inactive)",
        "created in the last few minutes",
        "nothing that I know of",
    ),
)
YES_NO = Question("same-environment", "Same shell?", ("yes", "no", "not sure"))
ERROR = "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("/why", Command("/why"), id="why"),
        pytest.param(
            "  /export  ~/case one.md ", Command("/export", ("~/case", "one.md")), id="words"
        ),
        pytest.param(
            '/export "my case.md"', Command("/export", ("my case.md",)), id="double-quotes"
        ),
        pytest.param(
            "/export 'unbalanced.md", Command("/export", ("'unbalanced.md",)), id="bad-quote"
        ),
        pytest.param("/EXIT", Command("/quit"), id="alias-any-case"),
        pytest.param("/q", Command("/quit"), id="short-quit"),
        pytest.param("/undo", Command("/back"), id="undo-alias"),
        pytest.param("/nope", Command("/nope"), id="unknown-still-a-command"),
        pytest.param("/usr/local/bin/aws: error: argument", None, id="a-path-is-error-text"),
        pytest.param("/why\n/back", None, id="multi-line-is-text"),
        pytest.param(ERROR, None, id="error-text"),
    ],
)
def test_parse(line: str, expected: Command | None) -> None:
    assert parse(line) == expected


def test_every_command_has_help() -> None:
    text = help_text()
    for name in ("/why", "/back", "/restart", "/probes", "/export", "/help", "/quit"):
        assert name in COMMANDS
        assert name in text


@pytest.mark.parametrize(
    ("line", "question", "expected"),
    [
        pytest.param("", None, Nothing(), id="empty"),
        pytest.param("   \n  ", KEY_HISTORY, Nothing(), id="blank"),
        pytest.param(ERROR, None, Paste(ERROR), id="paste"),
        pytest.param(f"  {ERROR}\n\n", None, Paste(ERROR), id="paste-stripped"),
        pytest.param("/why", None, Run(Command("/why")), id="command"),
        pytest.param("/why", KEY_HISTORY, Run(Command("/why")), id="command-at-question"),
        pytest.param("2", KEY_HISTORY, Choose("deactivated (Inactive)"), id="number"),
        pytest.param("DELETED OR ROTATED", KEY_HISTORY, Choose("deleted or rotated"), id="words"),
        pytest.param(
            "created", KEY_HISTORY, Choose("created in the last few minutes"), id="prefix"
        ),
        pytest.param("inactive", KEY_HISTORY, Choose("deactivated (Inactive)"), id="inside"),
        pytest.param("y", YES_NO, Choose("yes"), id="y"),
        pytest.param("not", YES_NO, Choose("not sure"), id="not-prefix"),
        pytest.param("/skip", KEY_HISTORY, Choose(None), id="skip"),
        pytest.param(ERROR, KEY_HISTORY, Paste(ERROR), id="new-error-at-question"),
    ],
)
def test_handle_line(line: str, question: Question | None, expected: object) -> None:
    assert handle_line(line, question) == expected


def test_a_wrong_answer_says_how_to_answer() -> None:
    action = handle_line("7", KEY_HISTORY)
    assert isinstance(action, Say)
    assert "1 to 4" in action.message
    assert isinstance(handle_line("n", YES_NO), Say)  # "no" or "not sure": ambiguous


def test_unknown_command_and_skip_without_question() -> None:
    unknown = handle_line("/frobnicate")
    assert isinstance(unknown, Say) and "/help" in unknown.message
    assert isinstance(handle_line("/skip"), Say)


def test_short_text_is_error_text_when_no_question_is_open() -> None:
    assert handle_line("hello") == Paste("hello")


@pytest.mark.parametrize(
    ("reply", "expected"),
    [("1", "yes"), ("3", "not sure"), ("0", None), ("4", None), ("Yes.", "yes"), ("maybe", None)],
)
def test_pick(reply: str, expected: str | None) -> None:
    assert pick(YES_NO.choices, reply) == expected
