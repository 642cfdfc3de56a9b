"""Recognition measured on a corpus of real pasted texts: recall@1/3/5 and rejected controls.

Each corpus entry (one JSON object a line, tests/data/corpus-*.jsonl) holds a real error text
and the cause its thread confirmed. Ranking is text only, as `awsmedic diagnose --no-probes
--no-input` does it: the tree the paste is recognised as, walked until its first probe, and the
causes left ranked by priors and hints (a conclusion the text alone reaches comes first).

- recall@k: the share of entries labelled with a cause of the knowledge base whose cause is
  among the first k. An entry that is not recognised at all counts as a miss.
- controls: entries labelled `not-aws` (MinIO, other clouds, GitHub tokens, ...); the share
  recognised as nothing (exit status 1).
- Entries labelled `unknown` (the thread does not tell) or with a cause the knowledge base does
  not have yet (a GAP) count in neither; they are reported as counts.

By family and by tool: the family is the entry's `family` field where it has one, else the tree
whose `codes` list its `error_code` (a new tree's codes grow this map with no code change), else
"(no known code)". Adding phrases, trees, causes or corpus entries changes the figures with no
change here: this module reads only the knowledge base and the corpus.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from awsmedic.context import Context
from awsmedic.core.consult import Consultation
from awsmedic.core.match import Matcher
from awsmedic.core.transcript import Meta, Transcript
from awsmedic.kb.model import Knowledge
from awsmedic.safety.redact import SecretBook

KS = (1, 3, 5)
CONTROL = "not-aws"
UNKNOWN = "unknown"


def load(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


@dataclass(frozen=True)
class Ranked:
    """What text-only ranking made of one entry."""

    entry: dict[str, str]
    tree: str | None  # None: not recognised (exit status 1)
    causes: tuple[str, ...]
    lookalike: str | None = None


def rank(knowledge: Knowledge, matcher: Matcher, text: str) -> Ranked:
    ctx = Context(environ={}, home=None, probes_enabled=False)
    transcript = Transcript(Meta(botocore="", started=datetime.now(UTC)))
    consultation = Consultation(ctx, knowledge, SecretBook(), transcript, matcher=matcher)
    recognition = consultation.recognise(text)
    if recognition.best is None:
        return Ranked({}, None, (), recognition.lookalike)
    outcome = consultation.run(lambda question: None)
    causes = [c.cause for c in outcome.candidates]
    if outcome.diagnosis is not None:
        causes = [outcome.diagnosis.cause, *(c for c in causes if c != outcome.diagnosis.cause)]
    return Ranked({}, recognition.best.tree, tuple(causes))


@dataclass
class Tally:
    """recall@k over the labelled entries of one group."""

    labelled: int = 0
    hits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(KS, 0))

    def add(self, cause: str, causes: tuple[str, ...]) -> None:
        self.labelled += 1
        for k in KS:
            self.hits[k] += cause in causes[:k]

    def recall(self, k: int) -> float:
        return self.hits[k] / self.labelled if self.labelled else 0.0


@dataclass
class Result:
    overall: Tally = field(default_factory=Tally)
    by_family: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_tool: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    controls: int = 0
    controls_rejected: int = 0
    unknown: int = 0
    gaps: int = 0
    unrecognised: int = 0
    misses: list[Ranked] = field(default_factory=list)
    controls_accepted: list[Ranked] = field(default_factory=list)

    @property
    def rejection(self) -> float:
        return self.controls_rejected / self.controls if self.controls else 1.0


def family_of(knowledge: Knowledge, entry: dict[str, str]) -> str:
    if entry.get("family"):
        return entry["family"]
    code = entry.get("error_code", "")
    return next(
        (tree.id for tree in knowledge.trees.values() if code and code in tree.codes),
        "(no known code)",
    )


def evaluate(knowledge: Knowledge, entries: Iterable[dict[str, str]]) -> Result:
    matcher = Matcher(knowledge)
    result = Result()
    for entry in entries:
        ranked = rank(knowledge, matcher, entry["text"])
        ranked = Ranked(entry, ranked.tree, ranked.causes, ranked.lookalike)
        cause = entry["cause"]
        if cause == CONTROL:
            result.controls += 1
            if ranked.tree is None:
                result.controls_rejected += 1
            else:
                result.controls_accepted.append(ranked)
            continue
        if cause == UNKNOWN:
            result.unknown += 1
            continue
        if cause not in knowledge.causes:
            result.gaps += 1
            continue
        result.unrecognised += ranked.tree is None
        for tally in (
            result.overall,
            result.by_family[family_of(knowledge, entry)],
            result.by_tool[entry.get("tool") or "other"],
        ):
            tally.add(cause, ranked.causes)
        if cause not in ranked.causes[:3]:
            result.misses.append(ranked)
    return result


def summary(result: Result) -> str:
    o = result.overall
    return (
        f"{o.labelled} labelled: recall@1 {o.recall(1):.1%}, @3 {o.recall(3):.1%}, "
        f"@5 {o.recall(5):.1%}; {result.unrecognised} not recognised; controls rejected "
        f"{result.controls_rejected}/{result.controls}; {result.unknown} unknown, "
        f"{result.gaps} with a cause the knowledge base lacks"
    )
