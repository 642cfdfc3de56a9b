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


def test_machine_text_that_is_not_a_command_wraps_in_place() -> None:
    """What an edit found is a code span too (nothing in it may read as Markdown), but it is not
    a command: at a width that breaks it, it wraps with the sentence rather than being printed
    below as "the command below" (audit 3 s27: the region's evidence stood where a command
    would)."""
    found = "region 'eu-west-1\\x07' (config-file, ~/.aws/config line 2 [default]) has a control character U+0007"
    step = Step(f"Run `{SHORT}`.\n\nFound: `{found}`", (SHORT,))
    shown = printed(60, step)
    assert "below" not in shown
    assert "Found: region 'eu-west-1\\x07'" in " ".join(shown.split())
    assert shown.count(SHORT) == 1


def test_a_step_that_lists_no_commands_still_lifts_a_long_span() -> None:
    """A step read back without its command list (an older transcript): every span may be one."""
    shown = " ".join(printed(60, Step(f"Check who you are: `{LONG}`.")).split())
    assert "Check who you are: the command below." in shown
