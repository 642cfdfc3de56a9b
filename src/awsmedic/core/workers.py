"""A small pool of daemon threads for probes, so an abandoned probe never holds anything up.

`concurrent.futures.ThreadPoolExecutor` joins its workers when the interpreter exits, so one
probe stuck in a slow `credential_process` or a dead proxy would keep awsmedic from quitting
after the user pressed Ctrl-C. Here every job runs on its own daemon thread (at most `size` at
once); `abandon()` cancels the jobs that have not started and stops waiting for the others.
"""

from __future__ import annotations

import concurrent.futures as futures
import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

THREAD_PREFIX = "awsmedic-probe"


class DaemonPool:
    def __init__(self, size: int = 4) -> None:
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._queued: list[futures.Future[object]] = []
        self._abandoned = False

    def submit(
        self,
        function: Callable[..., T],
        *args: object,
        before_start: Callable[[futures.Future[T]], None] | None = None,
    ) -> futures.Future[T]:
        """Run `function(*args)` on a daemon thread; `before_start` sees the future first (so a
        caller can record it before the job can possibly be running)."""
        future: futures.Future[T] = futures.Future()
        if before_start is not None:
            before_start(future)
        with self._lock:
            if self._abandoned:
                future.cancel()
                return future
            self._queued.append(future)  # type: ignore[arg-type]
        thread = threading.Thread(
            target=self._work, args=(future, function, args), name=THREAD_PREFIX, daemon=True
        )
        thread.start()
        return future

    def _work(
        self, future: futures.Future[T], function: Callable[..., T], args: tuple[object, ...]
    ) -> None:
        with self._slots:
            with self._lock:
                if future in self._queued:
                    self._queued.remove(future)  # type: ignore[arg-type]
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(function(*args))
            except BaseException as exc:  # handed to whoever waits on the future
                future.set_exception(exc)

    def abandon(self) -> None:
        """Cancel the jobs not started yet; running ones finish on their own, unwatched."""
        with self._lock:
            self._abandoned = True
            queued, self._queued = self._queued, []
        for future in queued:
            future.cancel()


class Deadline:
    """A moment by which every wait must end: `check`'s whole budget, say.

    Work still running then goes on unwatched on its daemon thread; whoever waited says it
    ran out of time."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self._at - time.monotonic())

    def within(self, function: Callable[..., T], *args: object) -> T:
        """`function(*args)` on a daemon thread, awaited until the deadline at most. Raises
        TimeoutError when it has not finished by then (or the deadline has passed: then it
        does not start)."""
        left = self.left()
        if left <= 0:
            raise TimeoutError(f"the {self.seconds:g} s deadline has passed")
        return DaemonPool(1).submit(function, *args).result(timeout=left)
