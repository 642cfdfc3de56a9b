"""What is wrong with a configured value, described without showing the value.

Environment variables reach botocore verbatim; file values lose surrounding whitespace but keep
quotes, inline comments and invisible characters (causes.md section 5). Both end up sent to AWS
as a different string than the user meant.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0"}
# Terminal escape sequences, whole: CSI, OSC (up to BEL or ST), any other two-byte escape.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A character as Python's repr (and `visible`) writes it: `\x1b`, `\x07`, `\u200b`, `\t`.
_WRITTEN = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[abtnrfve\\])")
_NAMED = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v"}
_NAMED.update({"e": "\x1b", "\\": "\\"})


def without_escapes(value: str) -> str:
    """`value` without terminal escape sequences and control characters: what is left of it
    once a terminal has shown it, or a paste of it has been cleaned (`core.pastes`)."""
    return _CONTROLS.sub("", _ESCAPES.sub("", value))


def unwritten(text: str) -> str:
    """`text` with the characters written as escapes (`\x1b`, as Python's repr prints a value
    that holds them) turned back into those characters."""

    def char(found: re.Match[str]) -> str:
        code = found.group(1)
        return _NAMED[code] if len(code) == 1 else chr(int(code[1:], 16))

    return _WRITTEN.sub(char, text) if "\\" in text else text


def printed_as(printed: str, value: str) -> bool:
    """Whether an error that quotes `printed` names `value`: the same text, the text a
    terminal or a cleaned paste leaves of it, or its escapes as a repr writes them."""
    if printed == value:
        return True
    written = unwritten(printed)
    return written == value or (printed != "" and printed == without_escapes(value))


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
