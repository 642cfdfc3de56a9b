"""Running one case's probes: prefetched in parallel, awaited one at a time, abandonable.

Local probes run when the walk needs them; network probes start together as soon as the walk
needs the first of them, so their waits overlap; the walk then waits for each result in turn.
The budget counts only the time spent waiting, not the time a user takes to answer a question.
"""

from __future__ import annotations

import concurrent.futures as futures
import time
from collections.abc import Callable, Iterable
from typing import Any

from awsmedic.core.workers import DaemonPool
from awsmedic.model import Evidence, Question, Status, Unchecked
from awsmedic.probes import PREFETCHED, ProbeInput, ProbeSpec, not_checked, run_probe, spec

#: Probes running at once: enough for a tree's probes, few enough to stay polite.
POOL_SIZE = 4
#: Question ids of consent questions: `consent:<probe-id>`.
CONSENT_PREFIX = "consent:"
CONSENT_CHOICES = ("yes", "no")


class Cancelled(Exception):
    """The user cancelled the running step (Ctrl-C): waiting probes were abandoned."""


def consent_question(spec: ProbeSpec) -> Question:
    """Ask before running a probe that must not run unasked (`Consent`: it uses another
    identity, say). The probe's docstring says what it checks."""
    doc = (spec.function.__doc__ or "").strip().splitlines()
    why = f" {doc[0].strip()}" if doc else ""
    return Question(
        CONSENT_PREFIX + spec.id,
        f"May I run the check '{spec.title}'?{why} It only reads, changes nothing.",
        CONSENT_CHOICES,
    )


class ProbeRunner:
    def __init__(
        self,
        probe_input: ProbeInput,
        on_start: Callable[[ProbeSpec], None],
    ) -> None:
        self._input = probe_input
        self._on_start = on_start
        self._pool: DaemonPool | None = None
        self._futures: dict[str, futures.Future[Evidence]] = {}
        self._waited = 0.0

    def _submit(self, spec: ProbeSpec) -> futures.Future[Evidence]:
        def record(future: futures.Future[Evidence]) -> None:
            self._futures[spec.id] = future

        if self._pool is None:  # the first probe, or the first after an abandon (Ctrl-C)
            self._pool = DaemonPool(POOL_SIZE)
        return self._pool.submit(run_probe, spec, self._input, before_start=record)

    def _prefetch(self, ahead: Iterable[str]) -> None:
        """Start the network probes the walk may still need, each on its own thread: they wait
        on the network, so they overlap. Only once the walk needs its first network probe: a
        case settled by local checks alone sends nothing. Local probes run when needed: they
        are CPU work, which threads do not speed up (one interpreter lock)."""
        for probe_id in ahead:
            if probe_id not in PREFETCHED or probe_id in self._futures:
                continue
            found = spec(probe_id)
            if found is not None and found.prefetch and found.network:
                self._submit(found)

    def evidence(
        self, probe_id: str, abort: futures.Future[None], ahead: Iterable[str] = ()
    ) -> Evidence:
        """The probe's result; raises Cancelled as soon as `abort` is set (Ctrl-C). `ahead`:
        the probes the walk may need after this one."""
        found = spec(probe_id)
        if found is None:
            return Evidence(probe_id, Status.ERROR, f"unknown probe {probe_id}")
        self._on_start(found)
        future = self._futures.get(probe_id) or self._submit(found)
        if found.network:
            self._prefetch(ahead)
        budget = self._input.ctx.budget
        began = time.monotonic()
        either: list[futures.Future[Any]] = [future, abort]
        futures.wait(either, max(0.0, budget - self._waited), futures.FIRST_COMPLETED)
        self._waited += time.monotonic() - began
        if abort.done():
            raise Cancelled(probe_id)
        if not future.done():
            detail = f"the {budget:.0f} s diagnosis budget ran out"
            return not_checked(probe_id, Unchecked.BUDGET, detail)
        return future.result()

    def forget(self, why: Unchecked) -> None:
        """Drop finished results that could not check for this reason, so the walk runs
        them again when it needs them (the user has since said yes)."""
        self._futures = {
            pid: f
            for pid, f in self._futures.items()
            if not (f.done() and not f.cancelled() and f.result().unchecked is why)
        }

    def running(self) -> tuple[str, ...]:
        """Ids of the probes running right now (for a status line)."""
        return tuple(pid for pid, future in list(self._futures.items()) if future.running())

    def finished(self) -> dict[str, Evidence]:
        """Every probe result so far, prefetched ones the walk has not used included."""
        return {
            pid: future.result()
            for pid, future in list(self._futures.items())
            if future.done() and not future.cancelled()
        }

    def abandon(self) -> None:
        """Stop watching running probes (their daemon threads end on their own, bounded by
        timeouts) and drop queued ones; finished results are kept for a later retry."""
        if self._pool is not None:
            self._pool.abandon()
            self._pool = None
        self._futures = {
            pid: f for pid, f in self._futures.items() if f.done() and not f.cancelled()
        }
