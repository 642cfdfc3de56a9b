"""The append-only event log of a session, its redacted view, and writing it to a file.

Exporters only ever see `Transcript.redacted(book)`: every string in every event has been
through the scrubber (and made printable), so no exporter can leak a secret by forgetting to
mask it, and `render` refuses a log that was not redacted.
"""

from __future__ import annotations

import dataclasses
import enum
import os
import platform
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from awsmedic import __version__
from awsmedic.errors import ExportError
from awsmedic.model import Event, Secret
from awsmedic.redact import IdentityMask, SecretBook
from awsmedic.safetext import printable


@dataclass(frozen=True)
class Meta:
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
            return self.map_text(lambda text: printable(book.scrub(text)), ("secrets",))
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


Exporter = Callable[[Transcript], str]


def exporters() -> dict[str, Exporter]:
    """Format name -> exporter; imported lazily, exporting is rare."""
    from awsmedic.export import EXPORTERS

    return dict(EXPORTERS)


def render(transcript: Transcript, fmt: str) -> str:
    """One format of a redacted view; a raw log is refused, so no exporter can see a secret."""
    if not transcript.is_redacted:
        raise ValueError("exporters only take a redacted transcript: call .redacted(book)")
    return exporters()[fmt](transcript)


FORMAT_BY_SUFFIX = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
}


def format_for(path: Path) -> str:
    fmt = FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(path=str(path), reason="use a .md, .json or .html file name")
    if fmt not in exporters():
        raise ExportError(path=str(path), reason=f"{fmt} export is not available yet")
    return fmt


def write_atomically(path: Path, content: str, *, force: bool = False) -> None:
    """Write via a temp file and rename, mode 0600, never over an existing file unless forced.

    The temp file is created 0600 by mkstemp in the target's directory (so the rename stays on
    one file system), flushed to disk, then moved into place: a reader sees the old file or
    the whole new one, never half of it, and a forced overwrite takes the temp file's mode.
    """
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(path=str(path), reason="it is a directory")
    if path.exists() and not force:
        raise ExportError(path=str(path), reason="the file exists (use --force to overwrite)")
    try:
        fd, temp = tempfile.mkstemp(prefix=".awsmedic-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ExportError(path=str(path), reason=exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        if force:
            os.replace(temp, path)
        else:
            _place_exclusively(temp, path)
    except FileExistsError:
        raise ExportError(
            path=str(path), reason="the file exists (use --force to overwrite)"
        ) from None
    except OSError as exc:
        raise ExportError(path=str(path), reason=exc.strerror or str(exc)) from None
    finally:
        Path(temp).unlink(missing_ok=True)


def _place_exclusively(temp: str, path: Path) -> None:
    # link() fails if the target appeared meanwhile: no silent overwrite in a race. Some file
    # systems cannot hard-link; there the existence check above is the guard.
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:
        os.replace(temp, path)


def export(
    transcript: Transcript,
    book: SecretBook,
    path: Path,
    *,
    force: bool = False,
    identity: IdentityMask | None = None,
) -> str:
    """Write the redacted transcript to `path` in the format its extension names.

    `identity` (see `IdentityMask.from_environment`) also masks account ids, ARNs, user names
    and home paths, for public posting. Returns the format name; raises ExportError.
    """
    fmt = format_for(path)
    write_atomically(path, render(transcript.redacted(book, identity), fmt), force=force)
    return fmt
