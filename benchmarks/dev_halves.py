"""Recall on two halves of the development part, to see whether a change generalises.

The development part is split once, by the sha256 of each text's `source` thread (so texts of
one thread stay in one half): look at the misses of half A, change a mechanism, and check that
half B, which the change was not made for, moves too. Only the development part is read; the
validation part stays with the lead engineer.

    .venv/bin/python -m benchmarks.dev_halves            # recall of each half and of all of dev
    .venv/bin/python -m benchmarks.dev_halves --misses A # and the ids half A misses at @5
"""

from __future__ import annotations

import argparse
import hashlib
import json
from typing import Any

from benchmarks.bench_recognition import entries, measure_rows

HALVES = ("A", "B")


def half_of(row: dict[str, str]) -> str:
    """`A` or `B`, fixed by the thread the text came from (its id when it has no source)."""
    key = row.get("source") or row["id"]
    return HALVES[hashlib.sha256(key.encode("utf-8")).digest()[0] & 1]


def halves() -> dict[str, list[dict[str, str]]]:
    rows = entries("dev")
    return {half: [row for row in rows if half_of(row) == half] for half in HALVES}


def _summary(found: dict[str, Any]) -> dict[str, Any]:
    return {
        "labelled": found["labelled"],
        "recall": {k: round(v, 1) for k, v in found["recall"].items()},
        "controls": found["controls"],
        "controls_accepted": found["controls_accepted"],
    }


def measure_halves() -> dict[str, dict[str, Any]]:
    parts = halves()
    found = {half: measure_rows(rows) for half, rows in parts.items()}
    found["all"] = measure_rows(parts["A"] + parts["B"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", choices=HALVES, help="also list this half's misses at @5")
    args = parser.parse_args()
    found = measure_halves()
    print(json.dumps({name: _summary(result) for name, result in found.items()}, indent=1))
    if args.misses:
        print(" ".join(found[args.misses]["missed_top5"]))


if __name__ == "__main__":
    main()
