"""The one filter for text bound for a terminal or a document: nothing in it can act.

A paste, a config value, a file name or an endpoint's answer may carry escape sequences: OSC 52
writes the clipboard, OSC 8 makes a link say one thing and open another, CSI sequences clear
the screen or hide text, C1 controls do the same in 8 bits, and Unicode bidi controls reorder
what is shown (a command that reads one way and runs another). `printable` removes escape
sequences whole and replaces every other control and bidi character with U+FFFD, visibly.

Every string reaches a terminal through it: rich's output segment by segment
(`output.render.make_console`), and every plain write to stdout and stderr through
`TerminalStream`, which `cli.main` puts around both. Exports apply it to every string too.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any, TextIO, cast

from awsmedic.errors import OutputError

# ESC sequences, removed whole: CSI (parameters, intermediates, final byte); OSC, DCS, SOS, PM
# and APC strings up to BEL or ST (or the end, when unterminated); any other two-byte escape.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\|$)"
    r"|\x1b[ -~]"
)
# C0 controls but tab and newline, DEL, C1 controls (8-bit CSI, OSC, ST...), the Unicode
# bidi controls (embeddings, overrides, isolates and marks: Trojan Source), and lone
# surrogates: bytes that were not UTF-8 in a variable, an argument or a path (PEP 383), which
# no UTF-8 file or terminal can take.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SURROGATES = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def without_escapes(text: str) -> str:
    """`text` without its escape sequences, and nothing else changed: what the terminal filter
    will join, joined before secrets are looked for (`AKIA\x1b[0m…` is a key id once shown)."""
    return _ESCAPES.sub("", text) if "\x1b" in text else text


def printable(text: str) -> str:
    """Text that is safe to show anywhere: no escape sequence, no control or bidi character."""
    if not _UNSAFE.search(text):
        return text
    text = _ESCAPES.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub(REPLACEMENT, text)


def well_formed(text: str) -> str:
    """Text that can be written as UTF-8: each lone surrogate replaced with U+FFFD."""
    return _SURROGATES.sub(REPLACEMENT, text)


def is_printable(text: str) -> bool:
    return _UNSAFE.search(text) is None


class TerminalStream:
    """A text stream whose every write goes through `printable` (stdout and stderr).

    Whatever prints plain text (messages, notes, --format json|markdown, logs, prompts) gets
    the filter without having to remember it. rich writes its own colour codes, so it takes
    `unfiltered` and filters its segments itself. A write that fails (a full disk) raises
    OutputError, with the reason; a closed pipe stays a BrokenPipeError, for `cli.main` to
    ignore quietly.
    """

    def __init__(self, stream: TextIO) -> None:
        self.unfiltered = cast(TextIO, _Reporting(stream))

    def write(self, text: str) -> int:
        self.unfiltered.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.unfiltered.flush()

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.unfiltered, name)


class _Reporting:
    """The stream itself, with a failed write or flush raised as OutputError."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        with _output_errors():
            return self.stream.write(text)

    def flush(self) -> None:
        with _output_errors():
            self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextlib.contextmanager
def _output_errors() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(reason=exc.strerror or str(exc)) from None


def terminal_stream(stream: TextIO) -> TextIO:
    """`stream` behind the filter (once: a filtered stream is returned as it is)."""
    if isinstance(stream, TerminalStream):
        return cast(TextIO, stream)
    return cast(TextIO, TerminalStream(stream))


def unfiltered(stream: TextIO) -> TextIO:
    """The stream under the filter, for a writer that filters by itself (rich)."""
    return stream.unfiltered if isinstance(stream, TerminalStream) else stream
