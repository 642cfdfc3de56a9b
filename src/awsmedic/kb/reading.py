"""What every knowledge file reader shares: problems with their file and line, reading text
and TOML without ever raising, and small type checks of parsed values."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from awsmedic.kb.model import Pattern
from awsmedic.kb.problems import Collector

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOML_LINE = re.compile(r"at line (\d+)")


def line_of(text: str, needle: str) -> int | None:
    """The 1-based line where `needle` first appears, to point at a node or key."""
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


#: Far more than any knowledge file; a bigger one is not one.
MAX_FILE_BYTES = 1 << 20


def read_text(path: Path, out: Collector) -> str | None:
    from awsmedic.aws import bounded

    try:
        read = bounded.read_file(path, MAX_FILE_BYTES)
        if read.cut:
            out.add(path, f"cannot be read: larger than {MAX_FILE_BYTES >> 20} MB")
            return None
        # As open() in text mode reads it: universal newlines.
        return read.data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        out.add(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        out.add(path, f"cannot be read: {exc.strerror or exc}")
    return None


def read_toml(path: Path, out: Collector) -> tuple[dict[str, Any], str] | None:
    text = read_text(path, out)
    if text is None:
        return None
    try:
        return loads(text), text
    except tomllib.TOMLDecodeError as exc:
        out.add(path, f"TOML syntax error: {exc}", error_line(exc, text))
        return None


def loads(text: str) -> dict[str, Any]:
    """tomllib.loads, with nesting too deep for it (it recurses once per array or inline
    table: 200,000 `[` exhaust Python's stack) raised as a TOMLDecodeError at its line."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        line = _deepest_line(text)
        raise tomllib.TOMLDecodeError(
            f"arrays or inline tables nested too deeply to read (at line {line})"
        ) from None


def _deepest_line(text: str) -> int:
    """The line where arrays and inline tables are nested deepest (strings and comments
    skipped, roughly: this only points at the problem)."""
    depth = deepest = 0
    line = found = 1
    quote = ""
    escaped = comment = False
    for char in text:
        if char == "\n":
            line, comment = line + 1, False
        elif comment:
            continue
        elif quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            comment = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, found = depth, line
        elif char in "]}":
            depth -= 1
    return found


def error_line(exc: tomllib.TOMLDecodeError, text: str) -> int | None:
    found = _TOML_LINE.search(str(exc))
    if found:
        return int(found.group(1))
    return text.rstrip().count("\n") + 1 if "end of document" in str(exc) else None


def compile_pattern(
    pattern: object, path: Path, out: Collector, line: int | None
) -> Pattern | None:
    if not isinstance(pattern, str):
        out.add(path, f"pattern {pattern!r} is not a string", line)
        return None
    found = Pattern(pattern)
    if out.strict:
        try:
            found.compile()
        except re.error as exc:
            out.add(path, f"bad regular expression {pattern!r}: {exc}", line)
            return None
    return found


def strings(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def pairs(value: object) -> tuple[tuple[str, str], ...] | None:
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return tuple((str(k), v) for k, v in value.items())
    return None
