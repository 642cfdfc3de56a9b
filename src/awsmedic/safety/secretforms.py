"""Known secrets in the forms they take on their way through logs, JSON and terminals.

A secret is rarely quoted back exactly as it was configured: a terminal or a log wraps it over
two lines (or every 76 columns, as base64 tools do), JSON writes `/` as `\\/` or `\\u002f`, a
URL writes it `%2F`, and a log cuts a long token to its first characters. So the text is read
the way a person would take the secret out of it (line breaks and their indentation dropped,
those escapes undone), and any run of MIN_RUN or more characters of a known secret found there
is replaced, in the original text, with everything it spans.

Placeholders and words are not indexed (the caller's `accept`): a known value that is words,
or an unexpanded `$AWS_SECRET_ACCESS_KEY`, is replaced where it appears whole but must not eat
the variable's name out of every step.

Cost: the secrets are indexed by their characters at every multiple of RUN // 2 (a run of RUN
characters always holds one such block whole), and only the long unbroken stretches of the
text are looked up, block by block.
"""

from __future__ import annotations

import bisect
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field

MIN_RUN = 16
_BLOCK = MIN_RUN // 2
COMMON = 8

# What lies between the characters of a secret once it left its file: a line break with the
# indentation after it (and a backslash continuation before it), or an escape of one character.
_NOISE = re.compile(r"\\?\r?\n[ \t]*|\r[ \t]*|\\/|\\u00(?:2[bBfF]|3[dD])|%(?:2[bBfF]|3[dD])")
_DECODED = {"\\/": "/", "2b": "+", "2f": "/", "3d": "="}
# What a token of base64, base64url or URL encoding is made of.
_TOKEN_CHARS = frozenset(string.ascii_letters + string.digits + "+/_-%")
# Unbroken stretches of text long enough to hold a run.
_STRETCH = re.compile(r"\S{" + str(MIN_RUN) + ",}")


def _decode(piece: str) -> str:
    if piece.startswith(("\\\n", "\n", "\r", "\\\r")):
        return ""
    return _DECODED.get(piece, "") or _DECODED[piece[-2:].lower()]


@dataclass
class Unwrapped:
    """`text` as read through the noise, with a map back to where each character came from."""

    text: str
    # Per piece of `text`: where it starts in `text`, where in the original, and the original
    # length of a decoded character (0 for a stretch copied as it was).
    starts: list[int] = field(default_factory=list)
    origins: list[int] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of text[start:end]."""
        return self._origin(start)[0], self._origin(end - 1)[1]

    def _origin(self, index: int) -> tuple[int, int]:
        if not self.starts:
            return index, index + 1
        piece = bisect.bisect_right(self.starts, index) - 1
        offset = index - self.starts[piece]
        origin, width = self.origins[piece], self.widths[piece]
        if width:
            return origin, origin + width
        return origin + offset, origin + offset + 1


def _whole_token(text: str, origin: int, until: int) -> tuple[int, int]:
    """The span grown to the whole credential-like token it sits in: a run of a known secret
    inside a longer token is part of some secret (another form of it, or a secret that holds
    it), and a part left on either side would be shown, or hide the rest from the patterns."""
    while origin > 0 and text[origin - 1] in _TOKEN_CHARS:
        origin -= 1
    while until < len(text) and text[until] in _TOKEN_CHARS:
        until += 1
    while until < len(text) and text[until] == "=":  # base64 padding
        until += 1
    return origin, until


def unwrap(text: str) -> Unwrapped:
    if _NOISE.search(text) is None:
        return Unwrapped(text)
    out: list[str] = []
    result = Unwrapped("")
    length = done = 0
    for found in _NOISE.finditer(text):
        literal = text[done : found.start()]
        if literal:
            result.starts.append(length)
            result.origins.append(done)
            result.widths.append(0)
            out.append(literal)
            length += len(literal)
        decoded = _decode(found.group(0))
        if decoded:
            result.starts.append(length)
            result.origins.append(found.start())
            result.widths.append(found.end() - found.start())
            out.append(decoded)
            length += 1
        done = found.end()
    if done < len(text):
        result.starts.append(length)
        result.origins.append(done)
        result.widths.append(0)
        out.append(text[done:])
    result.text = "".join(out)
    return result


class RunIndex:
    """Known secrets by their blocks; `replace` masks every run of MIN_RUN of them in a text.

    `accept` says which values are indexed at all (credential-shaped ones, see the module's
    note). A block that more than COMMON secrets share (the start every STS session token has,
    say) tells nothing about which secret is there, and is not looked up.
    """

    def __init__(self, accept: Callable[[str], bool]) -> None:
        self._accept = accept
        self._secrets: list[tuple[str, str]] = []  # (the secret as read, its replacement)
        self._blocks: dict[str, list[tuple[int, int]]] = {}  # block -> (secret, offset)
        self._known: set[str] = set()
        self._sharing: dict[str, int] = {}  # block -> how many secrets have it

    def __len__(self) -> int:
        return len(self._secrets)

    def add(self, value: str, replacement: str) -> None:
        value = unwrap(value.strip().strip("\"'")).text
        if len(value) < MIN_RUN or value in self._known or not self._accept(value):
            return
        self._known.add(value)
        number = len(self._secrets)
        self._secrets.append((value, replacement))
        for offset in range(0, len(value) - _BLOCK + 1, _BLOCK):
            block = value[offset : offset + _BLOCK]
            hits = self._blocks.setdefault(block, [])
            if not hits or hits[-1][0] != number:  # one more secret has it
                self._sharing[block] = self._sharing.get(block, 0) + 1
            hits.append((number, offset))

    def _runs(self, text: str, start: int, end: int) -> list[tuple[int, int, int]]:
        """(start, end, secret) of every run in text[start:end] (an unbroken stretch)."""
        found = []
        blocks, secrets, sharing = self._blocks, self._secrets, self._sharing
        position = start
        while position <= end - _BLOCK:
            block = text[position : position + _BLOCK]
            hits = blocks.get(block) or ()
            best: tuple[int, int, int] | None = None
            for number, offset in hits if hits and sharing[block] <= COMMON else ():
                value = secrets[number][0]
                left = 0
                while left < offset and position - left > start:
                    if text[position - left - 1] != value[offset - left - 1]:
                        break
                    left += 1
                right = offset + _BLOCK
                stop = position + _BLOCK
                while right < len(value) and stop < end and text[stop] == value[right]:
                    right, stop = right + 1, stop + 1
                if stop - (position - left) >= MIN_RUN and (
                    best is None or stop - (position - left) > best[1] - best[0]
                ):
                    best = (position - left, stop, number)
            if best is not None:
                found.append(best)
                position = best[1]
            else:
                position += 1
        return found

    def replace(self, text: str) -> str:
        if not self._secrets or len(text) < MIN_RUN:
            return text
        read = unwrap(text)
        spans: list[tuple[int, int, str]] = []
        for stretch in _STRETCH.finditer(read.text):
            for start, end, number in self._runs(read.text, stretch.start(), stretch.end()):
                origin, until = _whole_token(text, *read.span(start, end))
                spans.append((origin, until, self._secrets[number][1]))
        if not spans:
            return text
        out: list[str] = []
        done = 0
        for origin, until, replacement in sorted(spans):
            if origin < done:  # overlapping runs of two secrets: the first one covers it
                origin = done
                if origin >= until:
                    continue
            out += (text[done:origin], replacement)
            done = until
        out.append(text[done:])
        return "".join(out)
