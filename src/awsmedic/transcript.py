"""The append-only event log of a session, its redacted view, and the exporters.

Exporters only ever see `Transcript.redacted(book)`: every string in every event has been
through the scrubber, so no exporter can leak a secret by forgetting to mask it.
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
from awsmedic.model import Event
from awsmedic.redact import SecretBook


@dataclass(frozen=True)
class Meta:
    tool_version: str = __version__
    python: str = field(default_factory=platform.python_version)
    platform: str = field(default_factory=platform.platform)
    botocore: str = ""
    started: datetime | None = None


def _scrub_value(value: Any, book: SecretBook) -> Any:
    if isinstance(value, enum.Enum):
        return value  # a StrEnum is a str: scrubbing would turn it into a plain one
    if isinstance(value, str):
        return book.scrub(value)
    if isinstance(value, tuple):
        return tuple(_scrub_value(item, book) for item in value)
    if isinstance(value, frozenset):
        return frozenset(_scrub_value(item, book) for item in value)
    if isinstance(value, list):
        return [_scrub_value(item, book) for item in value]
    if isinstance(value, Mapping):
        return {key: _scrub_value(item, book) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__name__ == "Secret":
            return value  # masks itself; never rendered raw
        changes = {
            f.name: _scrub_value(getattr(value, f.name), book)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    return value


class Transcript:
    def __init__(self, meta: Meta | None = None) -> None:
        self.meta = meta or Meta()
        self.events: list[Event] = []

    def append(self, event: Event) -> None:
        self.events.append(event)

    def extend(self, events: list[Event]) -> None:
        self.events.extend(events)

    def redacted(self, book: SecretBook) -> Transcript:
        copy = Transcript(self.meta)
        copy.events = [_scrub_value(event, book) for event in self.events]
        return copy


Exporter = Callable[[Transcript], str]


def exporters() -> dict[str, Exporter]:
    """Format name -> exporter; imported lazily, exporting is rare."""
    from awsmedic.export import json_export, markdown_export

    return {"markdown": markdown_export, "json": json_export}


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
    """Write via a temp file and rename, mode 0600, never over an existing file unless forced."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.exists() and not force:
        raise ExportError(path=str(path), reason="the file exists (use --force to overwrite)")
    try:
        fd, temp = tempfile.mkstemp(prefix=".awsmedic-", dir=directory)
    except OSError as exc:
        raise ExportError(path=str(path), reason=exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.chmod(temp, 0o600)
        if force:
            os.replace(temp, path)
        else:
            _place_exclusively(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ExportError(path=str(path), reason=exc.strerror or str(exc)) from None


def _place_exclusively(temp: str, path: Path) -> None:
    # link() fails if the target appeared meanwhile: no silent overwrite in a race. Some file
    # systems cannot hard-link; there the existence check above is the guard.
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:
        os.replace(temp, path)
        return
    os.unlink(temp)


def export(transcript: Transcript, book: SecretBook, path: Path, *, force: bool = False) -> str:
    fmt = format_for(path)
    content = exporters()[fmt](transcript.redacted(book))
    write_atomically(path, content, force=force)
    return fmt
