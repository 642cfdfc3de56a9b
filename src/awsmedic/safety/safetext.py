"""Text that is safe to put on a terminal or in a document: no escape sequences."""

from __future__ import annotations

import re

# C0/C1 controls other than tab and newline: in a terminal they move the cursor, change colours or
# retitle the window (a saved transcript is `cat`ed and `show`n); in HTML and JSON they are noise.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text that is safe to show anywhere: no escape sequences, no control characters."""
    text = _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("\ufffd", text)
