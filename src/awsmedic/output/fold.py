"""Long commands on narrow screens: broken between words, never inside one, and still runnable.

A command wider than the screen is split at spaces outside quotes, each line but the last ending
in the shell's line continuation (` \\` for POSIX shells, `` ` `` for PowerShell), the next
indented, the way the AWS CLI documentation prints long commands. Copied whole, it runs as one.
A single word longer than the screen stays whole: the terminal may wrap it, but nothing cuts it.
"""

from __future__ import annotations

import re

#: PowerShell commands: `$env:NAME = ...`, `Remove-Item ...`, `Set-Content ...`.
_POWERSHELL = re.compile(r"^(?:\$env:|[A-Z][a-z]+-[A-Z])")
CONTINUATION_INDENT = "  "


def words(command: str) -> list[str]:
    """The command split at spaces outside quotes (a quoted value with spaces is one word)."""
    found: list[str] = []
    current: list[str] = []
    quote = ""
    escaped = False
    for char in command:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\" and quote != "'":
            current.append(char)
            escaped = True
        elif quote:
            current.append(char)
            quote = "" if char == quote else quote
        elif char in "'\"":
            current.append(char)
            quote = char
        elif char.isspace():
            if current:
                found.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        found.append("".join(current))
    return found


def continuation(command: str) -> str:
    return " `" if _POWERSHELL.match(command) else " \\"


def fold(command: str, width: int) -> list[str]:
    """`command` as lines of at most `width` characters where words allow."""
    if len(command) <= width:
        return [command]
    mark = continuation(command)
    lines: list[str] = []
    line = ""
    for word in words(command):
        prefix = CONTINUATION_INDENT if lines else ""
        candidate = f"{line} {word}" if line else prefix + word
        if line and len(candidate) + len(mark) > width:
            lines.append(line + mark)
            line = CONTINUATION_INDENT + word
        else:
            line = candidate
    return [*lines, line] if line else lines
