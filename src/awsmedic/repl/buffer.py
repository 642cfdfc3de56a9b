"""The input buffer: what a paste becomes when it lands, and when Enter sends the buffer."""

from __future__ import annotations

import re
from typing import Any

# CSI (colours, cursor moves), OSC (titles, links) and two-character escapes.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
# Control characters other than tab and newline (after CRs became newlines).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
TAB_SIZE = 4


def clean_paste(data: str) -> str:
    """A pasted text as the user meant it: CRLF and CR line ends become newlines, ANSI colour
    codes and other control characters go, tabs become spaces, and blank lines around it go."""
    text = data.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", _ANSI.sub("", text))
    lines = [line.expandtabs(TAB_SIZE).rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def continues(text: str) -> bool:
    """True when the text asks for another line, as a shell does: it ends in a backslash."""
    return text.rstrip(" ").endswith("\\")


def submit_filter() -> Any:
    """The named Condition for Enter: it sends the buffer unless the text continues.

    A paste never goes through Enter (bracketed paste inserts it whole), so Enter always means
    "send" except after a trailing backslash, where it adds a line as a shell would.
    """
    from prompt_toolkit.application import get_app
    from prompt_toolkit.filters import Condition

    @Condition
    def enter_submits() -> bool:
        return not continues(get_app().current_buffer.text)

    return enter_submits
