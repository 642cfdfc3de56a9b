"""A bounded copy of what a wrapped command prints (`awsmedic run`), read like a paste.

The output passes through to the terminal whole; the copy kept for the diagnosis is bounded the
way `inputs` bounds a paste: up to MAX_INPUT_BYTES whole, beyond that its head and its tail
(the error is nearly always at the end) with the cut marked, in memory that never grows past
about twice the bound, however long the command runs.
"""

from __future__ import annotations

from awsmedic.errors import InputError
from awsmedic.safety import inputs

# The same bounds and cut mark as a paste read from a pipe.
_HEAD = inputs._HEAD_BYTES
_CUT = inputs._CUT


class Capture:
    def __init__(self, limit: int = inputs.MAX_INPUT_BYTES, head: int = _HEAD) -> None:
        self._limit = limit
        self._head_size = head
        self._head = bytearray()
        self._tail = bytearray()
        self.total = 0

    def add(self, data: bytes) -> None:
        self.total += len(data)
        room = self._head_size - len(self._head)
        if room > 0:
            self._head += data[:room]
            data = data[room:]
        self._tail += data
        keep = self._limit - self._head_size
        if len(self._tail) > 2 * keep:  # trim now and then, not on every chunk
            del self._tail[:-keep]

    @property
    def truncated(self) -> bool:
        return self.total > self._limit

    def data(self) -> bytes:
        if not self.truncated:
            return bytes(self._head + self._tail)
        keep = self._limit - self._head_size
        return bytes(self._head) + _CUT + bytes(self._tail[-keep:])

    def text(self) -> str:
        """The output as text; "" when it is not text (a binary download to stdout)."""
        try:
            return inputs.decode(self.data(), "the command's output")
        except InputError:
            return ""
