"""Drive a program in a real pseudo-terminal, as a user at a terminal would."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
from pathlib import Path
from types import TracebackType

#: prompt_toolkit turns bracketed paste on when it draws a prompt and accepts input.
PROMPT_READY = b"\x1b[?2004h"
_CURSOR_REQUEST = b"\x1b[6n"
_ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r")


class Terminal:
    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        self._master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, start_new_session=True
        )
        os.close(slave)
        self.screen = b""

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self._master)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self._master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self._master, 65536)
        except OSError:  # the program ended
            return False
        if _CURSOR_REQUEST in chunk:
            os.write(self._master, b"\x1b[1;1R")
        self.screen += chunk
        return bool(chunk)

    def wait_for_prompt(self, timeout: float = 30) -> None:
        seen = self.screen.count(PROMPT_READY)
        deadline = time.monotonic() + timeout
        while self.screen.count(PROMPT_READY) <= seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"no prompt after {timeout} s:\n{self.text()[-2000:]}")
            self._read(0.2)

    def settle(self, quiet: float = 1.0, timeout: float = 60) -> None:
        """Read until the program has said nothing for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read(quiet):
            pass

    def type(self, keys: str) -> None:
        os.write(self._master, keys.encode())
        self.settle(quiet=0.5)

    def paste(self, text: str) -> None:
        """A bracketed paste, as terminals send one; then Enter."""
        os.write(self._master, b"\x1b[200~" + text.replace("\n", "\r").encode() + b"\x1b[201~")
        os.write(self._master, b"\r")
        self.settle()

    def finish(self, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.2)
        while self._read(0.1):
            pass
        return self.text()

    def text(self) -> str:
        return _ANSI.sub(b"", self.screen).decode("utf-8", errors="replace")
