"""Run a command as a shell would, pass its output through, and keep a bounded copy of it.

The command gets our environment, working directory and standard input. Its stdout and stderr
go where ours go, unchanged and as they come: through a pseudo-terminal when ours is a terminal
(so the command still sees one, and keeps its colours, pager and progress bars), through a pipe
otherwise. Everything that passes is also added to a `Capture` for the diagnosis.

Exit statuses follow the shell: the command's own; 128+N when a signal N ended it; 127 when it
cannot be found, 126 when it cannot be executed. While it runs we act like a shell with a
foreground job: Ctrl-C and friends reach it straight from the terminal, and a SIGINT, SIGTERM
or SIGHUP sent to awsmedic alone is passed on to it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import ClassVar

from awsmedic.errors import AwsMedicError
from awsmedic.safety.capture import Capture

_CHUNK = 65536
#: After the command ended, output from processes it left behind is read this long at most.
_LINGER_SECONDS = 0.5


class NotFound(AwsMedicError):
    fmt = "{program}: command not found"
    exit_status: ClassVar[int] = 127


class NotExecutable(AwsMedicError):
    fmt = "{program}: cannot execute: {reason}"
    exit_status: ClassVar[int] = 126


@dataclass(frozen=True)
class Finished:
    status: int  # as a shell reports it
    capture: Capture
    signalled: bool = False  # a signal ended it (Ctrl-C, a closed pipe): not an AWS failure


def status_of(returncode: int) -> int:
    """A shell's exit status for a child's return code (a signal N gives 128+N)."""
    return 128 - returncode if returncode < 0 else returncode


@dataclass
class _Stream:
    """One output stream of the command: where we read it, and our fd it goes to."""

    source: int  # pty master or pipe read end
    target: int  # 1 or 2
    child_end: int  # the pty slave or pipe write end the child gets
    pty: bool


def _open_stream(target: int) -> _Stream:
    if os.isatty(target) and sys.platform != "win32":  # Windows has no pseudo-terminals
        import pty
        import termios

        master, slave = pty.openpty()
        _copy_size(target, master)
        # No output processing on the pseudo-terminal (no \n -> \r\n): the bytes the command
        # writes reach our terminal as they are, and its own driver does what it always does.
        attrs = termios.tcgetattr(slave)
        attrs[1] &= ~termios.OPOST
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
        return _Stream(master, target, slave, pty=True)
    read_end, write_end = os.pipe()
    return _Stream(read_end, target, write_end, pty=False)


def _copy_size(terminal: int, master: int) -> None:
    import fcntl
    import termios

    with contextlib.suppress(OSError):
        size = fcntl.ioctl(terminal, termios.TIOCGWINSZ, b"\0" * 8)
        fcntl.ioctl(master, termios.TIOCSWINSZ, size)


def _same_terminal() -> bool:
    """Whether our stdout and stderr are one terminal: then the command gets one
    pseudo-terminal for both, so what it writes to each keeps its exact order."""
    try:
        return os.isatty(1) and os.isatty(2) and os.fstat(1).st_rdev == os.fstat(2).st_rdev
    except OSError:
        return False


def _open_streams() -> tuple[list[_Stream], tuple[int, int]]:
    """Our side of the command's output streams, and the fds it gets as stdout and stderr."""
    if _same_terminal():
        shared = _open_stream(1)
        return [shared], (shared.child_end, shared.child_end)
    out, err = _open_stream(1), _open_stream(2)
    return [out, err], (out.child_end, err.child_end)


def _write_all(fd: int, data: bytes) -> bool:
    """Write everything; False when the reader went away (EPIPE)."""
    import select

    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except BrokenPipeError:
            return False
        except BlockingIOError:  # a non-blocking stdout someone handed us: wait for room
            select.select([], [fd], [])
            continue
        view = view[written:]
    return True


def _foreground(fd: int = 0) -> bool:
    """Whether we are the terminal's foreground job: then the terminal signals the command
    itself (Ctrl-C), and a SIGINT we get came from there too."""
    try:
        return os.isatty(fd) and os.tcgetpgrp(fd) == os.getpgrp()
    except (OSError, AttributeError):  # no job control here (Windows)
        return False


@contextlib.contextmanager
def _signals(child: list[subprocess.Popen[bytes]], streams: list[_Stream]) -> Iterator[None]:
    """Pass signals on to the command, as a shell with a foreground job does.

    Handlers are Python functions, never SIG_IGN: a signal ignored at exec stays ignored in
    the command, while a handler is reset to the default there."""
    terminal_signals = _foreground()

    def forward(signum: int, frame: FrameType | None) -> None:
        if signum in (signal.SIGINT, getattr(signal, "SIGQUIT", None)) and terminal_signals:
            return  # the terminal sent it to the command as well
        if child:
            with contextlib.suppress(ProcessLookupError):
                child[0].send_signal(signum)

    def resize(signum: int, frame: FrameType | None) -> None:
        for stream in streams:
            if stream.pty:
                _copy_size(stream.target, stream.source)

    # Not every platform has every signal (Windows: no SIGHUP, SIGQUIT, SIGWINCH).
    wanted = [getattr(signal, name, None) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")]
    saved = {signum: signal.signal(signum, forward) for signum in wanted if signum is not None}
    winch = getattr(signal, "SIGWINCH", None)
    if winch is not None:
        saved[winch] = signal.signal(winch, resize)
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def _start(
    argv: Sequence[str], env: Mapping[str, str], fds: tuple[int, int]
) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(list(argv), env=dict(env), stdout=fds[0], stderr=fds[1])
    except FileNotFoundError:
        raise NotFound(program=argv[0]) from None
    except PermissionError:
        reason = "is a directory" if os.path.isdir(argv[0]) else "permission denied"
        raise NotExecutable(program=argv[0], reason=reason) from None
    except OSError as exc:  # a directory, a script without #!, a binary for another machine
        raise NotExecutable(program=argv[0], reason=exc.strerror or str(exc)) from None


def _pump(streams: list[_Stream], capture: Capture, process: subprocess.Popen[bytes]) -> None:
    """Copy the command's output to ours until it ends, keeping a copy."""
    selector = selectors.DefaultSelector()
    for item in streams:
        selector.register(item.source, selectors.EVENT_READ, item)
    ended = False
    while selector.get_map():
        # Once the command ended, what it started may still hold our pipe open: read on while
        # output comes, and stop after a quiet moment rather than wait for it.
        ended = ended or process.poll() is not None
        ready = selector.select(timeout=_LINGER_SECONDS if ended else 0.25)
        if ended and not ready:
            break
        for key, _ in ready:
            stream: _Stream = key.data
            try:
                data = os.read(stream.source, _CHUNK)
            except OSError as exc:  # EIO: the pseudo-terminal's last writer closed it
                if exc.errno not in (errno.EIO, errno.EBADF):
                    raise
                data = b""
            if not data:
                selector.unregister(stream.source)
                continue
            capture.add(data)
            if not _write_all(stream.target, data):
                # Our reader went away (`| head`): let the command meet a closed pipe too.
                selector.unregister(stream.source)
                os.close(stream.source)
                stream.source = -1
    selector.close()


def run_command(argv: Sequence[str], env: Mapping[str, str], capture: Capture) -> Finished:
    """Run `argv` with `env`; its output passes through to our stdout and stderr."""
    if not argv:
        raise NotFound(program="''")
    for handle in (sys.stdout, sys.stderr):
        handle.flush()
    streams, fds = _open_streams()
    child: list[subprocess.Popen[bytes]] = []
    try:
        with _signals(child, streams):
            child.append(_start(argv, env, fds))
            for stream in streams:  # the command holds its ends now; EOF comes when it ends
                os.close(stream.child_end)
                stream.child_end = -1
            _pump(streams, capture, child[0])
            returncode = child[0].wait()
    finally:
        for stream in streams:
            for fd in (stream.source, stream.child_end):
                if fd >= 0:
                    with contextlib.suppress(OSError):
                        os.close(fd)
    return Finished(status_of(returncode), capture, signalled=returncode < 0)
