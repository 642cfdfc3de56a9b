"""Reading the error text: from an argument, a file or stdin, bounded and checked for binary.

Input of any size is read in bounded memory and time: up to MAX_INPUT_BYTES whole, beyond that
its head and tail (the error is nearly always at the end) with the cut marked, so the matcher
reports the paste as truncated. A stream that never ends is read up to MAX_STREAM_BYTES.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import BinaryIO

from awsmedic.errors import InputError

log = logging.getLogger(__name__)

#: More than any error message; larger input keeps its head and tail.
MAX_INPUT_BYTES = 10 * 1024 * 1024
_HEAD_BYTES = 1024 * 1024
#: A pipe is read to its end, but no further than this (`yes | awsmedic diagnose`).
MAX_STREAM_BYTES = 256 * 1024 * 1024
_CHUNK = 1024 * 1024
_CUT = "\n…\n".encode()
_SAMPLE = 65536
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16 = (("utf-16-le", b"\xff\xfe", 1), ("utf-16-be", b"\xfe\xff", 0))


def _encoding(sample: bytes) -> tuple[str, int]:
    """The encoding and BOM length. Windows PowerShell 5 redirects output as UTF-16 LE.

    An error message is mostly ASCII, so in UTF-16 every other byte is NUL: that, not a BOM
    alone (invalid UTF-8 can start with the same bytes), tells UTF-16."""
    if sample.startswith(_UTF8_BOM):
        return "utf-8", len(_UTF8_BOM)
    for encoding, bom, high in _UTF16:
        bom_length = len(bom) if sample.startswith(bom) else 0
        units = sample[bom_length : bom_length + 4096]
        zeros, chars = units[high::2], units[1 - high :: 2]
        if len(units) < 8 or 0 in chars:
            continue
        if zeros.count(0) == len(zeros) or (bom_length and zeros.count(0) >= len(zeros) // 4):
            return encoding, bom_length
    return "utf-8", 0


def decode(data: bytes, source: str) -> str:
    """Bytes to text; binary data is refused with a clear reason, odd bytes are replaced."""
    encoding, bom = _encoding(data[:_SAMPLE])
    if encoding == "utf-8" and b"\x00" in data[:_SAMPLE]:
        raise InputError(source=source, reason="it contains NUL bytes: is it a binary file?")
    text = data[bom:].decode(encoding, errors="replace")
    sample = text[:_SAMPLE]
    if sample:
        odd = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t\x1b"))
        if odd > max(16, len(sample) // 10):
            raise InputError(source=source, reason="it does not look like text (binary data?)")
    return text


def _keep_head_and_tail(stream: BinaryIO, first: bytes, source: str) -> bytes:
    """The rest of a long stream, keeping only its tail; the head is already in `first`."""
    tail = bytearray(first[_HEAD_BYTES:])
    keep = MAX_INPUT_BYTES - _HEAD_BYTES
    total = len(first)
    while total < MAX_STREAM_BYTES:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        tail += chunk
        if len(tail) > 2 * keep:
            del tail[:-keep]
    else:
        log.warning("%s gave more than %d MB: read up to there", source, MAX_STREAM_BYTES >> 20)
    return first[:_HEAD_BYTES] + _CUT + bytes(tail[-keep:])


def _read_stream(stream: BinaryIO, source: str) -> str:
    first = stream.read(MAX_INPUT_BYTES + 1)
    if len(first) <= MAX_INPUT_BYTES:
        return decode(first, source)
    decode(first[:_SAMPLE], source)  # refuse binary data before reading any further
    if stream.seekable():
        stream.seek(-(MAX_INPUT_BYTES - _HEAD_BYTES), 2)
        return decode(first[:_HEAD_BYTES] + _CUT + stream.read(), source)
    return decode(_keep_head_and_tail(stream, first, source), source)


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
    try:
        return _read_stream(stream, "stdin")
    except OSError as exc:
        raise InputError(source="stdin", reason=exc.strerror or str(exc)) from None


def read_text_argument(text: str) -> str:
    if "\x00" in text:
        raise InputError(source="the TEXT argument", reason="it contains NUL characters")
    # Arguments that were not valid UTF-8 arrive as lone surrogates (PEP 383).
    return text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
