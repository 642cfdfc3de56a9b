"""The REPL's history file: commands and answers only, unless the user asks for more.

Pasted error text can hold access keys, secrets or tokens, so it stays in memory (Up recalls it
in this session) and never reaches the file, unless `AWSMEDIC_HISTORY_PASTES=1` is set; even
then it is scrubbed before it is written. The file lives in the XDG state directory
(`$XDG_STATE_HOME/awsmedic/history`, by default `~/.local/state/awsmedic/history`), mode 0600
in a directory of mode 0700, whatever modes they had before.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from awsmedic.context import Context

log = logging.getLogger(__name__)

PASTES_ENV = "AWSMEDIC_HISTORY_PASTES"
_TRUE = {"1", "true", "yes", "on"}


def history_path(ctx: Context) -> Path | None:
    state = ctx.env("XDG_STATE_HOME")
    if state and Path(state).is_absolute():
        return Path(state) / "awsmedic" / "history"
    if ctx.home is None:
        return None
    return ctx.home / ".local" / "state" / "awsmedic" / "history"


def pastes_wanted(ctx: Context) -> bool:
    return (ctx.env(PASTES_ENV) or "").strip().lower() in _TRUE


def _prepare(path: Path) -> None:
    """Create the directory (0700) and the file (0600) before prompt_toolkit appends to it, or
    make existing ones so: an older or copied history may have kept looser modes. The file is
    never opened through a symbolic link (one planted there could point at anyone's file)."""
    directory = path.parent
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not directory.is_symlink():  # a linked directory is the user's own arrangement
        _private(os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)), 0o700)
    flags = os.O_CREAT | os.O_APPEND | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    _private(os.open(path, flags, 0o600), 0o600)


def _private(fd: int, mode: int) -> None:
    try:
        if hasattr(os, "fchmod") and stat.S_IMODE(os.fstat(fd).st_mode) != mode:
            os.fchmod(fd, mode)
    finally:
        os.close(fd)


def make_history(ctx: Context, keep: Callable[[str], bool], scrub: Callable[[str], str]) -> Any:
    """A history that writes only what `keep` allows, scrubbed; in memory if no file works."""
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    class ReplHistory(FileHistory):
        def store_string(self, string: str) -> None:
            if not keep(string):
                return
            try:
                super().store_string(scrub(string))
            except OSError as exc:  # a full disk loses history, not the session
                log.debug("history not written: %s", exc)

    path = history_path(ctx)
    if path is None:
        return InMemoryHistory()
    try:
        _prepare(path)
    except OSError as exc:
        log.debug("no history file at %s: %s", path, exc)
        return InMemoryHistory()
    return ReplHistory(str(path))
