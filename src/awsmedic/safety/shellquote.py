"""Quoting a value for the shell a printed command is for, so that pasting it runs that command
and nothing else, whatever the value holds.

POSIX shells get `shlex.quote`; PowerShell gets its single-quoted string, where only `'` (and
the typographic single quotes) are special, doubled. A PowerShell value is left bare only when
it holds nothing PowerShell reads specially and is an argument: on the right of `$Env:X = ...`
a bare word would run as a command, so there it is always quoted. A home-relative path keeps
its `~/` outside the quotes so the shell still expands it (PowerShell: `$HOME`).
"""

from __future__ import annotations

import re
import shlex

POSIX, POWERSHELL = "posix", "powershell"

_SINGLE_QUOTES = re.compile("['\u2018\u2019\u201a\u201b]")
# What PowerShell reads literally in an argument: no `$`, `@`, quotes, backtick, braces,
# parentheses, `;`, `,`, `&`, `|`, `<`, `>`, `#`, spaces, and no leading `-`.
_POWERSHELL_BARE = re.compile(r"^[A-Za-z0-9_./:=+][A-Za-z0-9_./:=+-]*$")


def quote(value: str, shell: str, *, expression: bool = False) -> str:
    """`value` as one word of a command for `shell`; `expression`: a PowerShell value on the
    right of an assignment, where only a quoted string is a string."""
    if shell == POWERSHELL:
        if not expression and _POWERSHELL_BARE.match(value):
            return value
        # PowerShell also ends a single-quoted string at the typographic quotes.
        return "'" + _SINGLE_QUOTES.sub(lambda found: found.group(0) * 2, value) + "'"
    return shlex.quote(value)


def quote_path(path: str, shell: str, *, expression: bool = False) -> str:
    """A file path as one word; `~/...` stays home-relative."""
    if path.startswith("~/"):
        rest = path[2:]
        if shell == POWERSHELL:
            return f"(Join-Path $HOME {quote(rest, shell, expression=True)})"
        return "~/" + shlex.quote(rest) if rest else "~"
    return quote(path, shell, expression=expression)
