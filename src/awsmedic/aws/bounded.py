"""Reading this machine's files and a helper's output: bounded, regular files only, never stuck.

What awsmedic reads may be hostile or broken: a setting naming /dev/zero or /dev/urandom (read
to the end, they never end), a FIFO where a file should be (opening one waits for a writer,
forever), a file of 100 MB, a credential_process that prints without end. So every read here
has a byte limit and says when it cut, and only regular files are read: anything else is
skipped, and the error says what it was. A FIFO is opened without waiting (O_NONBLOCK), then
checked, so not even the open can block.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, NamedTuple

MB = 1 << 20
#: Token files, caches, a helper's output: real ones are a few KB.
SMALL_FILE_BYTES = 1 * MB
#: A credential_process helper: awsmedic diagnoses, it does not wait on a browser login.
HELPER_TIMEOUT_SECONDS = 5.0
_CHUNK = 64 * 1024


class NotRegularFile(OSError):
    """The path exists but is not a regular file (a FIFO, a device, a socket, a directory)."""


class Read(NamedTuple):
    data: bytes
    cut: bool  # there was more than the limit: `data` is its first `limit` bytes
    late: bool = False  # the time limit passed before the end: `data` is what came until then

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_regular(path: Path | str, mode: int) -> NotRegularFile:
    if stat.S_ISDIR(mode):
        return NotRegularFile(0, "it is a directory", str(path))
    return NotRegularFile(0, f"it is {kind_of(mode)}, not a regular file", str(path))


def read_file(path: Path | str, limit: int) -> Read:
    """At most `limit` bytes of a regular file. Raises NotRegularFile for anything else and
    OSError when it cannot be opened; never blocks."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(path, info.st_mode)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return Read(data[:limit], len(data) > limit)


def file_problem(path: Path | str, limit: int) -> str | None:
    """Why a file must not be read whole (by botocore, say): not a regular file, or bigger than
    `limit`; None when it is fine or absent (absence is for the probes to explain)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return f"is {kind_of(info.st_mode)}, not a regular file"
    if info.st_size > limit:
        return f"is {info.st_size / MB:.1f} MB (more than {limit / MB:g} MB)"
    return None


def read_stream(stream: IO[bytes], limit: int, seconds: float | None = None) -> Read:
    """At most `limit` bytes of a pipe or a response, for at most about `seconds` (None: no
    time limit); the rest is left unread.

    A socket's timeout holds for each read, and restarts with every byte: an endpoint that
    sends one byte a second never trips it. So with `seconds`, each read takes what has come
    (`read1`, where the stream has it) and the time is checked between reads: the whole read
    ends at most one socket timeout past `seconds`."""
    chunks: list[bytes] = []
    size = 0
    read = getattr(stream, "read1", stream.read) if seconds is not None else stream.read
    ends = time.monotonic() + seconds if seconds is not None else None
    while size <= limit:
        if ends is not None and time.monotonic() >= ends:
            return Read(b"".join(chunks)[:limit], False, late=True)
        chunk = read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    data = b"".join(chunks)
    return Read(data[:limit], len(data) > limit)


class Ran(NamedTuple):
    status: int | None  # None: stopped at the timeout
    out: Read
    err: Read


def _drain(pipe: IO[bytes], limit: int, into: list[Read], over: threading.Event) -> None:
    try:
        read = read_stream(pipe, limit)
    except (OSError, ValueError):  # closed under us: a grandchild kept the pipe open
        read = Read(b"", False)
    into.append(read)
    if read.cut:
        over.set()


def run(
    argv: Sequence[str], env: Mapping[str, str], *, timeout: float, limit: int = SMALL_FILE_BYTES
) -> Ran:
    """Run a helper program the way botocore would (no shell), stdin closed, in its own session
    (it cannot prompt on our terminal); stop it at `timeout`, or as soon as stdout or stderr
    passes `limit` bytes. Raises OSError when it cannot be started."""
    process = subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env),
        start_new_session=True,
    )
    assert process.stdout is not None and process.stderr is not None
    stop = threading.Event()
    outs: list[Read] = []
    errs: list[Read] = []
    readers = [
        threading.Thread(target=_drain, args=(process.stdout, limit, outs, stop), daemon=True),
        threading.Thread(target=_drain, args=(process.stderr, limit, errs, stop), daemon=True),
    ]
    for reader in readers:
        reader.start()

    def wait() -> None:
        process.wait()
        stop.set()

    threading.Thread(target=wait, daemon=True).start()
    stop.wait(timeout)
    finished = process.poll() is not None and not ((outs and outs[0].cut) or (errs and errs[0].cut))
    if not finished:
        _kill(process)
    for reader in readers:
        reader.join(2)
    for pipe in (process.stdout, process.stderr):
        pipe.close()
    out = outs[0] if outs else Read(b"", False)
    err = errs[0] if errs else Read(b"", False)
    status = process.returncode if finished else None
    if status is None and (out.cut or err.cut):
        status = -signal.SIGKILL if hasattr(signal, "SIGKILL") else 1
    return Ran(status, out, err)


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError):  # it may have ended on its own meanwhile
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover (Windows)
            process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):  # one that survives SIGKILL
        process.wait(2)
