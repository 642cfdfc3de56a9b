"""The append-only event log of a session and its redacted view.

Exporters only ever see `Transcript.redacted(book)`: every string in every event has been
through the scrubber (and made printable), so no exporter can leak a secret by forgetting to
mask it, and `render` refuses a log that was not redacted.
"""

from __future__ import annotations

import dataclasses
import enum
import platform
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from awsmedic import __version__
from awsmedic.context import Context
from awsmedic.model import Event, Record, Secret
from awsmedic.safety.redact import IdentityMask, SecretBook
from awsmedic.safety.safetext import printable


@dataclass(frozen=True, repr=False, eq=False)
class Meta(Record):
    """What a transcript records of where it was made."""

    tool_version: str = __version__
    python: str = field(default_factory=platform.python_version)
    platform: str = field(default_factory=platform.platform)
    botocore: str = ""
    started: datetime | None = None


def _map_text(value: Any, fn: Callable[[str], str]) -> Any:
    """`value` with `fn` applied to every string inside it; raw secrets are dropped."""
    if isinstance(value, enum.Enum):
        return value  # a StrEnum is a str: mapping would turn it into a plain one
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, tuple):
        return tuple(_map_text(item, fn) for item in value if not isinstance(item, Secret))
    if isinstance(value, frozenset):
        return frozenset(_map_text(item, fn) for item in value)
    if isinstance(value, list):
        return [_map_text(item, fn) for item in value]
    if isinstance(value, Mapping):
        return {_map_text(key, fn): _map_text(item, fn) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type | Secret):
        changes = {
            f.name: _map_text(getattr(value, f.name), fn)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    return value


def _texts(value: Any) -> list[str]:
    found: list[str] = []

    def collect(text: str) -> str:
        found.append(text)
        return text

    _map_text(value, collect)
    return found


class Transcript:
    """The events of a session, in order. `redaction` is empty for the live log; a redacted view
    names what was masked ("secrets", "identity"): only those reach an exporter."""

    def __init__(self, meta: Meta | None = None, redaction: tuple[str, ...] = ()) -> None:
        self.meta = meta or Meta()
        self.events: list[Event] = []
        self.redaction = redaction

    def append(self, event: Event) -> None:
        self.events.append(event)

    def extend(self, events: list[Event]) -> None:
        self.events.extend(events)

    def map_text(self, fn: Callable[[str], str], redaction: tuple[str, ...]) -> Transcript:
        copy = Transcript(_map_text(self.meta, fn), redaction)
        copy.events = [_map_text(event, fn) for event in self.events]
        return copy

    def redacted(self, book: SecretBook, identity: IdentityMask | None = None) -> Transcript:
        """Every string scrubbed (and with `identity`, or the book's, who and where masked)."""
        identity = identity if identity is not None else book.identity
        if identity is None:
            return self.map_text(book.shown, ("secrets",))
        known = identity.learning(self.texts())
        return self.map_text(
            lambda text: printable(known.mask(book.scrub(text))), ("secrets", "identity")
        )

    def texts(self) -> list[str]:
        """Every string in the log (for learning what to mask), raw: never show these."""
        return _texts([self.meta, *self.events])

    @property
    def is_redacted(self) -> bool:
        return "secrets" in self.redaction


def new_transcript(ctx: Context) -> Transcript:
    """The live log of a new session, with the versions a ticket needs."""
    return Transcript(Meta(botocore=_botocore_version(), started=ctx.now()))


def _botocore_version() -> str:
    # botocore's own attribute: importlib.metadata costs ~50 ms of start-up, this ~5 ms.
    try:
        import botocore
    except ImportError:
        return ""
    return str(botocore.__version__)
