"""Each command of a step is printed once: where it fits, in the text; where the width would
break it, named by a pointer and printed whole below, broken only between words."""

from __future__ import annotations

import io
import shlex

import pytest

from awsmedic.model import Step
from awsmedic.output.render import Printer, make_console
from awsmedic.safety.redact import SecretBook

LONG = "aws sts get-caller-identity --profile my-very-long-profile-name-for-production"
SHORT = "aws configure list"
STEP = Step(f"Check who you are: `{LONG}`, and compare with `{SHORT}`.", (LONG, SHORT))


def printed(width: int, *steps: Step) -> str:
    out = io.StringIO()
    console = make_console(out, no_color=True, width=width, force_terminal=False)
    Printer(console, SecretBook()).steps(steps)
    return out.getvalue()


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


@pytest.mark.parametrize("width", [40, 60, 120, 200])
def test_every_command_once_and_whole(width: int) -> None:
    shown = printed(width, STEP)
    lines = _lines(shown)
    for command in (LONG, SHORT):
        whole = [line for line in lines if command in line]
        if whole:
            assert len(whole) == 1, shown  # in the text, and not again below
        else:  # folded below with continuations: joined, it is the command itself
            head = " ".join(command.split()[:2])
            start = next(i for i, line in enumerate(lines) if line.startswith(head))
            joined = []
            for line in lines[start:]:
                joined.append(line.removesuffix("\\").strip())
                if not line.endswith("\\"):
                    break
            assert shlex.split(" ".join(joined)) == shlex.split(command), shown
    assert "command below" in " ".join(lines) or LONG in " ".join(lines)


def test_a_command_the_width_would_break_is_pointed_at_and_printed_below() -> None:
    shown = printed(60, STEP)
    assert "Check who you are: the command below, and compare with" in " ".join(shown.split())
    assert LONG.split()[0] in shown.splitlines()[-2] or "get-caller-identity" in shown
    assert shown.count("get-caller-identity") == 1


def test_wide_enough_nothing_moves() -> None:
    shown = printed(200, STEP)
    assert "below" not in shown
    assert shown.count(LONG) == 1 and shown.count(SHORT) == 1


def test_two_long_commands_get_ordinals() -> None:
    other = LONG.replace("production", "staging")
    step = Step(f"Try `{LONG}` then `{other}`.", (LONG, other))
    shown = " ".join(printed(50, step).split())
    assert "Try the first command below then the second command below." in shown


def test_an_unfilled_placeholder_in_prose_shows_on_the_terminal() -> None:
    """Audit F11: rich's Markdown took a bare `<region>` for an HTML tag and dropped it."""
    from awsmedic.core.situation import Situation
    from awsmedic.core.steps import build_steps
    from awsmedic.kb.steps import parse_step

    source, _ = parse_step("A short-term key for {region} is the safer choice.", 1)
    (step,) = build_steps([source], Situation(), {"profile": "default"})
    shown = " ".join(printed(120, step).split())
    assert "A short-term key for <region> is the safer choice." in shown
