"""Writing a transcript to a file: the format its name asks for, redacted, atomically, 0600.

Exporters only ever see `Transcript.redacted(book)`: `render` refuses a raw log, so no exporter
can leak a secret by forgetting to mask it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from awsmedic.core.transcript import Transcript
from awsmedic.errors import ExportError
from awsmedic.safety.redact import IdentityMask, SecretBook

Exporter = Callable[[Transcript], str]


def exporters() -> dict[str, Exporter]:
    """Format name -> exporter; imported lazily, exporting is rare."""
    from awsmedic.output.export import EXPORTERS

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
    Bytes that were not UTF-8 in a value (lone surrogates) are written as U+FFFD.
    """
    from awsmedic.safety.safetext import well_formed

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
            handle.write(well_formed(content))
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
