"""`python -m benchmarks [NAME ...]`: run the benchmarks (all by default), print and save them.

Exits 1 when a figure misses its target, so `make bench` shows it; the JSON results are in
benchmarks/results/ either way.
"""

from __future__ import annotations

import importlib
import sys

from benchmarks.common import RESULTS, ROUNDS, machine

BENCHMARKS = ("diagnose", "startup", "match", "recognition", "large_input")


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}", file=sys.stderr)
        return 2
    info = machine()
    print(
        f"awsmedic benchmarks: {info['cpus']} CPUs, load average {info['load_average_1m']}, "
        f"{ROUNDS} rounds per comparison (BENCH_ROUNDS to change)"
    )
    reports = [importlib.import_module(f"benchmarks.bench_{name}").run() for name in names]
    failed = []
    print("\n== Summary")
    for report in reports:
        report.save()
        for figure in report.figures:
            if figure.target is not None:
                print(figure.line())
                if not figure.passed:
                    failed.append(figure.name)
    print(f"\n{len(failed)} target(s) missed; results in {RESULTS}/")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
