"""The prompt's keys, through a pipe: pastes, Enter, Esc-Enter, number keys, Ctrl-C."""

from __future__ import annotations

import threading
import time

import pytest
from prompt_toolkit.input import PipeInput
from prompt_toolkit.output import DummyOutput

from awsmedic.repl.app import build_session
from awsmedic.repl.buffer import clean_paste, continues
from tests.conftest import make_context
from tests.repl.conftest import CTRL_C, ENTER, ESC_ENTER, paste

TERRAFORM = (
    "\x1b[31m╷\x1b[0m\n"
    "\x1b[31m│\x1b[0m \x1b[1m\x1b[31mError: \x1b[0m\x1b[1mvalidating provider credentials: retrieving"
    " caller identity from STS: operation error STS: GetCallerIdentity, https response error"
    " StatusCode: 403, RequestID: 1c7d2f9e, api error InvalidClientTokenId: The security token"
    " included in the request is invalid.\x1b[0m\n"
    "\x1b[31m│\x1b[0m\n"
    '\x1b[31m│\x1b[0m \x1b[0m  with provider["registry.terraform.io/hashicorp/aws"],\n'
    '\x1b[31m│\x1b[0m \x1b[0m\ton main.tf line 1, in provider "aws":\n'
    "\x1b[31m╵\x1b[0m\n"
)


def prompt_once(pipe: PipeInput, keys: str, choices: tuple[str, ...] = ()) -> str:
    session = build_session(make_context(), pipe, DummyOutput(), choices=lambda: choices)
    pipe.send_text(keys)
    return str(session.prompt("› "))


def test_a_bracketed_multi_line_paste_is_one_submission(pipe: PipeInput) -> None:
    text = prompt_once(pipe, paste(TERRAFORM) + ENTER)
    lines = text.split("\n")
    assert lines[0] == "╷"
    assert lines[1].startswith("│ Error: validating provider credentials")
    assert "\x1b" not in text and "\r" not in text and "\t" not in text
    assert "│   on main.tf line 1" in text  # the tab became spaces, to the next tab stop
    assert len(lines) == 6


def test_enter_submits_a_typed_line(pipe: PipeInput) -> None:
    assert prompt_once(pipe, "/why" + ENTER + "/back" + ENTER) == "/why"


def test_esc_enter_adds_a_line(pipe: PipeInput) -> None:
    assert prompt_once(pipe, "first" + ESC_ENTER + "second" + ENTER) == "first\nsecond"


def test_a_trailing_backslash_continues(pipe: PipeInput) -> None:
    assert prompt_once(pipe, "one \\" + ENTER + "two" + ENTER) == "one \\\ntwo"


def test_a_huge_paste_is_one_submission(pipe: PipeInput) -> None:
    body = "\n".join(f"at com.amazonaws.Client.invoke(Client.java:{n})" for n in range(5000))
    session = build_session(make_context(), pipe, DummyOutput())
    # 250 kB is more than a pipe holds: the terminal side writes while the prompt reads.
    sender = threading.Thread(target=pipe.send_text, args=(paste(body) + ENTER,))
    began = time.monotonic()
    sender.start()
    text = str(session.prompt("› "))
    sender.join()
    assert text.count("\n") == 4999
    assert time.monotonic() - began < 10


def test_number_keys_pick_a_choice(pipe: PipeInput) -> None:
    assert prompt_once(pipe, "2", ("yes", "no", "not sure")) == "no"


def test_number_keys_type_when_no_question_is_open(pipe: PipeInput) -> None:
    assert prompt_once(pipe, "2" + ENTER) == "2"


def test_number_keys_out_of_range_type(pipe: PipeInput) -> None:
    assert prompt_once(pipe, "7" + ENTER, ("yes", "no")) == "7"


def test_ctrl_c_clears_the_line_then_interrupts(pipe: PipeInput) -> None:
    assert prompt_once(pipe, "half typed" + CTRL_C + "/help" + ENTER) == "/help"
    with pytest.raises(KeyboardInterrupt):
        prompt_once(pipe, CTRL_C)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\r\nb\r\n", "a\nb"),
        ("a\rb", "a\nb"),
        ("\x1b[1;31mred\x1b[0m", "red"),
        ("\x1b]8;;https://x\x07link\x1b]8;;\x07", "link"),
        ("\tat X\t", "    at X"),
        ("bell\x07 and nul\x00", "bell and nul"),
        ("\n\n  body  \n\n", "  body"),
    ],
)
def test_clean_paste(raw: str, clean: str) -> None:
    assert clean_paste(raw) == clean


def test_continues() -> None:
    assert continues("aws sts \\")
    assert not continues("C:\\Users\\me\\.aws\\credentials")
    assert not continues("")
