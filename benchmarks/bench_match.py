"""Matching: time per paste over the development corpus, and how it grows with the knowledge base.

In one process: the shipped knowledge base, then generated ones of 100, 1,000 and 10,000 trees
(the shipped trees plus generated ones). Each paste of the first development corpus
(`bench_recognition.first_entries`, the `d...` entries of tests/data/corpus/dev.jsonl) is matched
several times; a paste's time is the median of its runs, and we report the median and p99 over
the pastes. Growth is the log-log slope of the median, from 100 to 10,000 trees and from 1,000
to 10,000: 1.0 is linear (every tree rescanned per paste), below 1.0 is sub-linear.

Generated trees look like real ones: a few error codes, and phrases of 5 to 12 words drawn from
a Zipf distribution over a vocabulary that starts with the words of real AWS errors (the corpus
and the shipped phrases, most frequent first) and continues with made-up words. So common words
("the", "request", "credentials") occur in thousands of phrases, as they would in a large
knowledge base, and rare words in a few.
"""

from __future__ import annotations

import math
import random
import re
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from awsmedic.core.match import Matcher
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Knowledge, Tree
from benchmarks.bench_recognition import first_entries
from benchmarks.common import Figure, Report, header, median, percentile

SIZES = (100, 1_000, 10_000)
VOCABULARY = 20_000
_WORD = re.compile(r"[a-z][a-z0-9]+")


def corpus() -> list[str]:
    return [row["text"] for row in first_entries()]


def per_paste(matcher: Matcher, pastes: list[str], runs: int) -> list[float]:
    """Each paste's median time in seconds over `runs` runs (rounds interleave the pastes)."""
    for text in pastes:
        matcher.recognise(text)  # warm-up: lazy imports, regex caches
    times: list[list[float]] = [[] for _ in pastes]
    for _ in range(runs):
        for index, text in enumerate(pastes):
            started = time.perf_counter()
            matcher.recognise(text)
            times[index].append(time.perf_counter() - started)
    return [median(values) for values in times]


def vocabulary(knowledge: Knowledge, pastes: list[str]) -> list[str]:
    counts: Counter[str] = Counter()
    for text in pastes + [p for tree in knowledge.trees.values() for p in tree.phrases]:
        counts.update(_WORD.findall(text.lower()))
    real = [word for word, _ in counts.most_common()]
    return real + [f"zq{index}x" for index in range(VOCABULARY - len(real))]


def generated(knowledge: Knowledge, size: int, words: list[str], seed: int = 7) -> Knowledge:
    """The shipped trees plus generated ones, `size` trees in all."""
    rng = random.Random(seed)  # noqa: S311 (test data, not a secret)
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    template = next(iter(knowledge.trees.values()))
    trees = dict(knowledge.trees)
    for number in range(size - len(trees)):
        phrases = tuple(
            " ".join(rng.choices(words, weights, k=rng.randint(5, 12)))
            for _ in range(rng.randint(3, 6))
        )
        tree_id = f"generated-{number}"
        trees[tree_id] = replace(
            template,
            id=tree_id,
            title=f"Generated tree {number}",
            codes=tuple(f"Generated{number}Code{c}Exception" for c in range(rng.randint(1, 3))),
            phrases=phrases,
            path=Path(f"<generated>/{tree_id}.toml"),
        )
    return replace(knowledge, trees=trees)


def _growth(report: Report, knowledge: Knowledge, pastes: list[str]) -> None:
    words = vocabulary(knowledge, pastes)
    medians: dict[int, float] = {}
    for size in SIZES:
        kb = generated(knowledge, size, words)
        started = time.perf_counter()
        matcher = Matcher(kb)
        built = time.perf_counter() - started
        times = per_paste(matcher, pastes, runs=5)
        medians[size] = median(times)
        report.add(Figure(f"{size:>6} trees: median per paste", medians[size] * 1000, "ms"))
        report.add(Figure(f"{size:>6} trees: p99 per paste", percentile(times, 99) * 1000, "ms"))
        report.add(Figure(f"{size:>6} trees: building the index", built * 1000, "ms"))
        _check_trees(size, kb)
    # Over the whole range and over the last decade alone: a fixed per-paste cost can hide
    # linear growth over the first, not over the second.
    for first, last in ((SIZES[0], SIZES[-1]), (SIZES[-2], SIZES[-1])):
        slope = math.log(medians[last] / medians[first]) / math.log(last / first)
        report.add(
            Figure(
                f"growth exponent, {first} -> {last} trees (1 = linear)",
                slope,
                "",
                0.99,
                f"{medians[last] / medians[first]:.1f}x the time for {last // first}x the trees",
            )
        )
    report.details["growth_median_s"] = medians


def _check_trees(size: int, kb: Knowledge) -> None:
    if len(kb.trees) != size or not all(isinstance(t, Tree) for t in kb.trees.values()):
        raise SystemExit(f"benchmarks: generated {len(kb.trees)} trees, wanted {size}")


def run() -> Report:
    report = Report("match")
    header("Matching: time per paste (dev corpus) and growth with the knowledge base")
    knowledge = load_checked(knowledge_dirs({}))
    pastes = corpus()
    times = per_paste(Matcher(knowledge), pastes, runs=21)
    size = len(knowledge.trees)
    report.add(Figure(f"today ({size} trees): median per paste", median(times) * 1000, "ms", 2.0))
    report.add(
        Figure(f"today ({size} trees): p99 per paste", percentile(times, 99) * 1000, "ms", 2.0)
    )
    report.details.update(pastes=len(pastes), trees_today=size, per_paste_s=times)
    _growth(report, knowledge, pastes)
    return report
