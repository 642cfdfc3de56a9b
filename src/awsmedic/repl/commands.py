"""REPL slash commands: parsing and help text. Handlers live on the REPL object."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

COMMANDS = {
    "/export": "/export PATH   write the transcript (.md or .json), redacted",
    "/restart": "/restart       forget this case and start again",
    "/help": "/help          show this help",
    "/quit": "/quit          leave (Ctrl-D works too)",
}


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple[str, ...]


def parse(line: str) -> Command | None:
    """A slash command, or None when the line is not one (it is then error text)."""
    stripped = line.strip()
    if not stripped.startswith("/") or "\n" in stripped:
        return None
    try:
        parts = shlex.split(stripped)
    except ValueError:
        parts = stripped.split()
    name = parts[0].lower()
    if name in ("/exit", "/q"):
        name = "/quit"
    return Command(name, tuple(parts[1:]))


def help_text() -> str:
    lines = ["Paste an AWS error message and press Enter (Esc-Enter adds a line).", ""]
    lines += list(COMMANDS.values())
    return "\n".join(lines)
