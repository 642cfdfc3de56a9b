"""The split of the development part into two halves (benchmarks/dev_halves.py)."""

from __future__ import annotations

from collections import defaultdict

from benchmarks.dev_halves import HALVES, half_of, halves


def test_the_halves_split_the_development_part_by_thread() -> None:
    parts = halves()
    ids = [row["id"] for rows in parts.values() for row in rows]
    assert len(ids) == len(set(ids))  # each text in one half
    assert set(parts) == set(HALVES) and all(len(rows) > 100 for rows in parts.values())
    # texts of one thread stay together: a fix made for one cannot pass as a fix for its twin
    where: dict[str, set[str]] = defaultdict(set)
    for half, rows in parts.items():
        for row in rows:
            where[row["source"] or row["id"]].add(half)
    assert all(len(found) == 1 for found in where.values())


def test_the_half_of_a_text_is_fixed_by_its_source() -> None:
    row = {"id": "x1", "source": "https://github.com/aws/aws-cli/issues/1"}
    assert half_of(row) == half_of({**row, "id": "x2"})
    assert half_of({"id": "y", "source": ""}) in HALVES
