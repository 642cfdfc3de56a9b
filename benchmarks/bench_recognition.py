"""Recognition on real texts: is the labelled cause among the first candidates, text only?

Every entry of tests/data/corpus/ is diagnosed as `awsmedic diagnose --no-probes --no-input`
would (the same Consultation, knowledge loaded once, no probe run). For entries whose cause is
labelled, recall@k is the share whose cause is among the first k candidates; a text that is not
recognised at all counts as a miss. Controls (cause `not-aws`) must be turned away (exit 1).
The targets apply to the validation part, which nothing in the knowledge base was tuned on; the
development part is reported beside it, so that a gap between the two shows over-fitting.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from benchmarks.common import ROOT, Figure, Report, header

if TYPE_CHECKING:
    from awsmedic.kb.model import Knowledge

CORPUS = ROOT / "tests" / "data" / "corpus"
KS = (1, 3, 5)
#: Issue 12: on the validation part, recall@5 >= 90 % and recall@1 >= 65 %, every control out.
TARGETS = {1: 65.0, 5: 90.0}
UNLABELLED = {"unknown", "not-aws"}
#: The family of a text no family recognised (`diagnose` exits 1).
NOT_RECOGNISED = "(not recognised)"


def entries(part: str) -> list[dict[str, str]]:
    path = CORPUS / f"{part}.jsonl"
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def first_entries() -> list[dict[str, str]]:
    """The development part's first entries (ids `d...`): ../shared's corpus-dev.jsonl, the texts
    the earlier ranking tests and the matching benchmark were written against."""
    return [row for row in entries("dev") if row["id"].startswith("d")]


def load_knowledge() -> Knowledge:
    """The shipped knowledge base (benchmarks.fit_priors swaps in one with other priors)."""
    from awsmedic.kb import knowledge_dirs, load_checked

    return load_checked(knowledge_dirs({}))


def ranked(texts: Iterable[str]) -> list[list[str] | None]:
    """Each text's candidate causes, best first; None when it is not recognised (exit 1)."""
    return [causes for _, causes in recognised(texts)]


def recognised(texts: Iterable[str]) -> list[tuple[str, list[str] | None]]:
    """Each text's family (the tree its consultation walks; NOT_RECOGNISED when none) and its
    candidate causes, best first (None when it is not recognised)."""
    from awsmedic.context import Context
    from awsmedic.core.consult import Consultation
    from awsmedic.core.transcript import new_transcript
    from awsmedic.safety.redact import SecretBook

    ctx = Context.from_process(offline=True, probes_enabled=False)
    knowledge = load_knowledge()
    results: list[tuple[str, list[str] | None]] = []
    for text in texts:
        case = Consultation(ctx, knowledge, SecretBook(), new_transcript(ctx))
        best = case.recognise(text).best
        if best is None:
            results.append((NOT_RECOGNISED, None))
            continue
        outcome = case.run(lambda question: None)
        results.append((best.tree, [candidate.cause for candidate in outcome.candidates]))
    return results


def _recall(hits: list[int], k: int) -> float:
    return 100.0 * sum(1 for rank in hits if 0 < rank <= k) / len(hits) if hits else 0.0


def _group(ranks: list[int]) -> dict[str, float]:
    return {"n": len(ranks), **{f"r@{k}": _recall(ranks, k) for k in KS}}


def measure(part: str) -> dict[str, Any]:
    return measure_rows(entries(part))


def measure_rows(rows: list[dict[str, str]]) -> dict[str, Any]:
    """The figures of `measure` over any list of corpus rows (a half of dev, say)."""
    answers = recognised(row["text"] for row in rows)
    ranks: list[int] = []
    by_cause: dict[str, list[int]] = defaultdict(list)
    by_tool: dict[str, list[int]] = defaultdict(list)
    by_family: dict[str, list[int]] = defaultdict(list)
    controls_by_family: dict[str, int] = defaultdict(int)
    controls_in: list[str] = []
    missed: list[str] = []
    unknown_recognised = 0
    for row, (family, causes) in zip(rows, answers, strict=True):
        if row["cause"] == "not-aws":
            if causes is not None:
                controls_in.append(row["id"])
                controls_by_family[family] += 1
            continue
        if row["cause"] == "unknown":
            unknown_recognised += causes is not None
            continue
        rank = causes.index(row["cause"]) + 1 if causes and row["cause"] in causes else 0
        ranks.append(rank)
        by_cause[row["cause"]].append(rank)
        by_tool[row["tool"]].append(rank)
        by_family[family].append(rank)
        if not 0 < rank <= 5:
            missed.append(row["id"])
    controls = sum(1 for row in rows if row["cause"] == "not-aws")
    unknown = sum(1 for row in rows if row["cause"] == "unknown")
    return {
        "labelled": len(ranks),
        "recall": {k: _recall(ranks, k) for k in KS},
        "controls": controls,
        "controls_accepted": controls_in,
        "unknown": unknown,
        "unknown_recognised": unknown_recognised,
        "by_cause": {cause: _group(group) for cause, group in by_cause.items()},
        "by_tool": {tool: _group(group) for tool, group in by_tool.items()},
        # By the family the text was recognised as: how often its ranking holds the thread's
        # cause, and how many controls each family let in (the texts no family took, together).
        "by_family": {
            family: {**_group(by_family[family]), "controls_accepted": controls_by_family[family]}
            for family in sorted(by_family.keys() | controls_by_family.keys())
        },
        "missed_top5": missed,
    }


def _table(title: str, groups: dict[str, dict[str, float]], least: int) -> None:
    print(f"  {title} (groups of {least} or more, worst recall@5 first):")
    big = [
        (name, group)
        for name, group in groups.items()
        if group["n"] >= least or group.get("controls_accepted", 0) > 0
    ]
    for name, group in sorted(big, key=lambda item: item[1]["r@5"]):
        recalls = "  ".join(f"r@{k} {group[f'r@{k}']:5.1f}" for k in KS)
        let_in = group.get("controls_accepted")
        controls = f"  controls let in {let_in:g}" if let_in is not None else ""
        print(f"    {name:<38} n={group['n']:>3}  {recalls}{controls}")


def run() -> Report:
    report = Report("recognition")
    header("Recognition: the labelled cause among the first candidates, text only (--no-probes)")
    for part in ("validation", "dev"):
        found = measure(part)
        report.details[part] = found
        validation = part == "validation"
        for k in KS:
            target = TARGETS.get(k) if validation else None
            report.add(
                Figure(
                    f"{part}: recall@{k} ({found['labelled']} labelled texts)",
                    found["recall"][k],
                    "%",
                    target,
                    at_least=True,
                )
            )
        rejected = found["controls"] - len(found["controls_accepted"])
        report.add(
            Figure(
                f"{part}: controls turned away ({found['controls']} non-AWS texts)",
                100.0 * rejected / found["controls"] if found["controls"] else 100.0,
                "%",
                100.0 if validation else None,
                note=f"accepted: {' '.join(found['controls_accepted'][:12])}"
                if found["controls_accepted"]
                else "",
                at_least=True,
            )
        )
        report.add(
            Figure(
                f"{part}: unlabelled texts recognised ({found['unknown']} texts)",
                100.0 * found["unknown_recognised"] / found["unknown"] if found["unknown"] else 0.0,
                "%",
            )
        )
        _table(f"{part} by family recognised", found["by_family"], 5)
        _table(f"{part} by cause", found["by_cause"], 5)
        _table(f"{part} by tool", found["by_tool"], 5)
    return report


def main() -> None:  # `python -m benchmarks.bench_recognition`
    run().save()


if __name__ == "__main__":
    main()
