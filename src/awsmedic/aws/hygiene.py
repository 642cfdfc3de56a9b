"""What is wrong with a configured value, described without showing the value.

Environment variables reach botocore verbatim; file values lose surrounding whitespace but keep
quotes, inline comments and invisible characters (causes.md section 5). Both end up sent to AWS
as a different string than the user meant.
"""

from __future__ import annotations

import unicodedata

_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0"}


def visible(value: str) -> str:
    """`value` with every character a terminal would not show (controls, bidi and zero-width
    characters, spaces other than the plain one) written as its Python escape (`\\x1b`), so a
    sentence about a name shows what the name holds; the rest unchanged."""
    if value.isprintable():
        return value
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in value
    )


def _control(char: str) -> bool:
    """A C0 or C1 control other than the line breaks and tabs reported on their own."""
    return unicodedata.category(char) == "Cc" and char not in "\t\n\r"


def _char_name(char: str) -> str:
    return unicodedata.name(char, "unnamed").lower()


def value_problems(value: str, *, from_file: bool = False) -> list[str]:
    """Short descriptions of stray characters in `value`; empty when clean."""
    problems: list[str] = []
    if not from_file:
        if value != value.rstrip():
            problems.append(
                "trailing whitespace"
                + (" (a carriage return: CRLF line ending?)" if value.endswith("\r") else "")
            )
        if value != value.lstrip():
            problems.append("leading whitespace")
    core = value.strip()
    if len(core) >= 2 and core[0] == core[-1] and core[0] in "\"'":
        problems.append("surrounding quotes, which are sent as part of the value")
    elif core and (core[0] in "\"'" or core[-1] in "\"'"):
        problems.append("a stray quote character")
    if "\n" in core or "\r" in core:
        problems.append("a line break inside the value")
    if from_file and (" #" in core or " ;" in core):
        problems.append("an inline comment, which the file format keeps as part of the value")
    if core.startswith("$") or "${" in core or "{{" in core:
        problems.append("an unexpanded variable or template")
    for char in sorted({c for c in core if not c.isascii() or c in _INVISIBLE or _control(c)}):
        if _control(char):  # an escape sequence's ESC, a backspace: nothing a terminal shows
            problems.append(f"a control character U+{ord(char):04X}")
        else:
            problems.append(
                f"an invisible or non-ASCII character U+{ord(char):04X} ({_char_name(char)})"
            )
    if ("\t" in core or " " in core) and not any("inline comment" in p for p in problems):
        problems.append("whitespace inside the value")
    return problems
