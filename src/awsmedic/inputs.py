"""Reading the error text: from an argument, a file or stdin, bounded and checked for binary."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from awsmedic.errors import InputError

#: More than any error message; larger input is cut (the matcher keeps head and tail).
MAX_INPUT_BYTES = 10 * 1024 * 1024


def decode(data: bytes, source: str) -> str:
    """Bytes to text; binary data is refused with a clear reason, odd bytes are replaced."""
    sample = data[:65536]
    if b"\x00" in sample:
        raise InputError(source=source, reason="it contains NUL bytes: is it a binary file?")
    text = data.decode("utf-8", errors="replace")
    if sample:
        odd = sum(
            1 for ch in text[:65536] if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t\x1b")
        )
        if odd > max(16, len(text[:65536]) // 10):
            raise InputError(source=source, reason="it does not look like text (binary data?)")
    return text


def _read_stream(stream: BinaryIO, source: str) -> str:
    data = stream.read(MAX_INPUT_BYTES + 1)
    return decode(data[:MAX_INPUT_BYTES], source)


def read_file(path_text: str) -> str:
    path = Path(path_text)
    try:
        with path.open("rb") as handle:
            return _read_stream(handle, path_text)
    except IsADirectoryError:
        raise InputError(source=path_text, reason="it is a directory") from None
    except OSError as exc:
        raise InputError(source=path_text, reason=exc.strerror or str(exc)) from None


def read_stdin(stream: BinaryIO) -> str:
    return _read_stream(stream, "stdin")


def read_text_argument(text: str) -> str:
    if "\x00" in text:
        raise InputError(source="the TEXT argument", reason="it contains NUL characters")
    # Arguments that were not valid UTF-8 arrive as lone surrogates (PEP 383).
    return text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
