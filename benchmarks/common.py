"""What every benchmark shares: interleaved timing, robust statistics, targets and results.

The machine these run on is shared and noisy, so no figure comes from a single run: commands
that are compared run interleaved, round after round, in one process tree (each round in a
rotated order), and we report medians and the median of the per-round ratios. A burst of load
then hits both sides of a ratio alike.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
#: Rounds per comparison; BENCH_ROUNDS overrides (more rounds, steadier medians).
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))


@dataclass(frozen=True)
class Figure:
    """One measured figure, with its target when it has one."""

    name: str
    value: float
    unit: str
    target: float | None = None  # the figure passes when value <= target (>= with at_least)
    note: str = ""
    at_least: bool = False  # a floor (recall), not a ceiling (time)

    @property
    def passed(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.at_least else self.value <= self.target

    def line(self) -> str:
        value = f"{self.value:.3f} {self.unit}".strip()
        if self.target is None:
            verdict, goal = "info", ""
        else:
            verdict = "PASS" if self.passed else "FAIL"
            sign = ">=" if self.at_least else "<="
            goal = f"(target {sign} {self.target:g} {self.unit})".replace(" )", ")")
        note = f"  [{self.note}]" if self.note else ""
        return f"  {verdict:<4}  {self.name:<58} {value:>14}  {goal}{note}"


@dataclass
class Report:
    benchmark: str
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, object] = field(default_factory=dict)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(figure.line(), flush=True)
        return figure

    def save(self) -> Path:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{self.benchmark}.json"
        document = {
            "benchmark": self.benchmark,
            "measured": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": machine(),
            "rounds": ROUNDS,
            "figures": [{**asdict(f), "passed": f.passed} for f in self.figures],
            "details": self.details,
        }
        path.write_text(json.dumps(document, indent=2) + "\n")
        return path


def machine() -> dict[str, object]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_1m": round(load[0], 2),
    }


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: p99 of 100 samples is the 99th)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.4999)))
    return ordered[rank - 1]


#: CPU seconds (user + system) of each command timed, by argv[0] and argv[1]: unlike wall
#: time, it hardly moves with the machine's load, so it tells cost apart from waiting.
CPU: dict[str, list[float]] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_command(
    argv: Sequence[str], env: Mapping[str, str], cwd: Path, *, check: Callable[[str], None] | None
) -> float:
    cpu = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run(
        list(argv),
        env=dict(env),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.perf_counter() - started
    CPU.setdefault(" ".join(argv[:2]), []).append(_children_cpu() - cpu)
    if check is not None:
        check(result.stdout + result.stderr)
    return elapsed


Timer = Callable[[], float]


def interleaved(timers: Mapping[str, Timer], rounds: int = ROUNDS) -> dict[str, list[float]]:
    """Run each timer once per round, rotating the order; one warm-up round is discarded."""
    names = list(timers)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_no in range(rounds + 1):
        shift = round_no % len(names)
        for name in names[shift:] + names[:shift]:
            elapsed = timers[name]()
            if round_no > 0:
                samples[name].append(elapsed)
    return samples


def paired_ratio(samples: Mapping[str, list[float]], top: str, bottom: str) -> float:
    """Median of the per-round ratios: each round's two runs saw the same machine load."""
    return median([a / b for a, b in zip(samples[top], samples[bottom], strict=True)])


def header(title: str) -> None:
    print(f"\n== {title}", flush=True)


def bench_bin(name: str) -> str:
    """A console script of the bench environment (the one running this)."""
    candidate = Path(sys.executable).parent / name
    if not candidate.exists():
        raise SystemExit(f"benchmarks: {candidate} is missing; run `make bench` to set it up")
    return str(candidate)
