"""Start-up: `awsmedic --version`, and the REPL's first prompt in a real pseudo-terminal.

The REPL runs in a pty, as in a terminal; the clock stops when prompt_toolkit has drawn its
first prompt. prompt_toolkit turns bracketed paste on at the start of its first render and
flushes the whole screen in one write, so `ESC [ ? 2004 h` arriving is the moment the prompt is
on screen and accepts input (the visible text is kept in the results to check it). Cursor
position requests are answered as a terminal would. `python -c pass` runs interleaved as the
floor: what the interpreter alone costs under the same load.

Targets: --version under 0.15 s, the first prompt under 0.4 s. Then `python -X importtime`
names the modules that cost the most on each path.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from benchmarks.common import (
    Figure,
    Report,
    bench_bin,
    header,
    interleaved,
    median,
    time_command,
)

READY = b"\x1b[?2004h"
CURSOR_REQUEST = b"\x1b[6n"
_ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r")


def _env(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "TERM": "xterm-256color",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def visible(screen: bytes) -> str:
    return _ANSI.sub(b"", screen).decode("utf-8", errors="replace")


def time_to_prompt(
    argv: list[str], env: dict[str, str], cwd: Path, *, stderr: int | None = None
) -> tuple[float, bytes]:
    """Seconds from spawning the REPL in a pty until its first prompt is drawn."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave if stderr is None else stderr,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    os.close(slave)
    screen = b""
    elapsed = None
    try:
        while elapsed is None:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                raise SystemExit(f"benchmarks: no prompt after 30 s:\n{visible(screen)}")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the REPL exited
                raise SystemExit(f"benchmarks: the REPL exited:\n{visible(screen)}") from None
            screen += chunk
            if CURSOR_REQUEST in chunk:
                os.write(master, b"\x1b[1;1R")
            if READY in screen:
                elapsed = time.perf_counter() - started
        os.write(master, b"\x04")  # Ctrl-D: quit
        process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    return elapsed, screen


def importtime(argv: list[str], env: dict[str, str], cwd: Path, *, repl: bool) -> list[dict]:  # type: ignore[type-arg]
    """The modules with the highest self import time on a path, from `python -X importtime`."""
    with tempfile.TemporaryFile() as log:
        command = [sys.executable, "-X", "importtime", "-m", "awsmedic", *argv]
        if repl:
            time_to_prompt(command, env, cwd, stderr=log.fileno())
        else:
            subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log)
        log.seek(0)
        lines = log.read().decode(errors="replace").splitlines()
    rows = []
    for line in lines:
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        rows.append(
            {
                "module": parts[2].strip(),
                "self_ms": int(parts[0]) / 1000,
                "cumulative_ms": int(parts[1]) / 1000,
                "top_level": not parts[2].startswith("  "),
            }
        )
    return sorted(rows, key=lambda row: -row["self_ms"])


def _offenders(report: Report, label: str, rows: list[dict]) -> None:  # type: ignore[type-arg]
    total = sum(row["self_ms"] for row in rows)
    top = rows[:12]
    print(f"  importtime offenders, {label} (self ms; {total:.0f} ms in {len(rows)} modules):")
    for row in top:
        print(f"      {row['self_ms']:6.1f}  {row['module']}")
    report.details[f"importtime_{label}"] = {"total_self_ms": total, "top": top}


def run() -> Report:
    report = Report("startup")
    header("Start-up: awsmedic --version and the REPL's first prompt (pty)")
    awsmedic = bench_bin("awsmedic")
    with tempfile.TemporaryDirectory() as scratch:
        cwd = Path(scratch)
        (cwd / ".aws").mkdir()
        env = _env(cwd)
        screens: list[bytes] = []

        def repl() -> float:
            elapsed, screen = time_to_prompt([awsmedic], env, cwd)
            screens.append(screen)
            return elapsed

        samples = interleaved(
            {
                "python -c pass": lambda: time_command(
                    [sys.executable, "-c", "pass"], env, cwd, check=None
                ),
                "awsmedic --version": lambda: time_command(
                    [awsmedic, "--version"], env, cwd, check=lambda out: None
                ),
                "REPL first prompt": repl,
            }
        )
        floor = median(samples["python -c pass"])
        report.add(Figure("median: python -c pass (the interpreter's floor)", floor, "s"))
        report.add(
            Figure("median: awsmedic --version", median(samples["awsmedic --version"]), "s", 0.15)
        )
        report.add(
            Figure("median: REPL first prompt", median(samples["REPL first prompt"]), "s", 0.4)
        )
        screen = visible(screens[-1]).strip().splitlines()
        report.details["samples_s"] = samples
        report.details["repl_screen_at_prompt"] = screen[-5:]
        _offenders(report, "--version", importtime(["--version"], env, cwd, repl=False))
        _offenders(report, "REPL to first prompt", importtime([], env, cwd, repl=True))
    return report
