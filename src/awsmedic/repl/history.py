"""The REPL's history file: commands and answers only, unless the user asks for more.

Pasted error text can hold access keys, secrets or tokens, so it stays in memory (Up recalls it
in this session) and never reaches the file, unless `AWSMEDIC_HISTORY_PASTES=1` is set; even
then it is scrubbed before it is written. The file lives in the XDG state directory
(`$XDG_STATE_HOME/awsmedic/history`, by default `~/.local/state/awsmedic/history`), mode 0600.
"""

from __future__ import annotations

import logging
import os
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
    """Create the directory (0700) and the file (0600) before prompt_toolkit appends to it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600))


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
