"""Recognition on the corpus of real texts: recall@1/3/5 and rejected controls, text only.

Every `tests/data/corpus-*.jsonl` is measured (see benchmarks/recall.py for what counts). The
targets of issue 12 (recall@5 >= 90%, recall@1 >= 65%, every non-AWS control rejected) apply to
a validation part, `corpus-validation.jsonl`, once it exists: the development part is what the
knowledge base is tuned on, so its figures are shown for information only.
"""

from __future__ import annotations

from pathlib import Path

from awsmedic.kb import knowledge_dirs, load_checked
from benchmarks.common import ROOT, Figure, Report, header
from benchmarks.recall import KS, Result, evaluate, load, summary

CORPORA = ROOT / "tests" / "data"
VALIDATION = "corpus-validation"
#: recall@k must be at least these (on the validation part); controls all rejected.
TARGETS = {1: 0.65, 5: 0.90}
#: Groups this small say little: per family and per tool, only larger ones are printed.
MIN_GROUP = 5


def _report_file(report: Report, name: str, result: Result) -> None:
    validating = name == VALIDATION
    for k in KS:
        report.add(
            Figure(
                f"{name}: recall@{k}",
                result.overall.recall(k),
                "",
                TARGETS.get(k) if validating else None,
                f"of {result.overall.labelled} labelled texts",
                at_least=True,
            )
        )
    report.add(
        Figure(
            f"{name}: non-AWS controls accepted",
            result.controls - result.controls_rejected,
            "",
            0 if validating else None,
            f"{result.controls_rejected}/{result.controls} rejected",
        )
    )
    for title, groups in (("family", result.by_family), ("tool", result.by_tool)):
        print(f"  {name} by {title} (recall@1/@3/@5, groups of {MIN_GROUP}+):")
        for group, tally in sorted(groups.items(), key=lambda item: -item[1].labelled):
            if tally.labelled >= MIN_GROUP:
                rates = "/".join(f"{tally.recall(k):.0%}" for k in KS)
                print(f"    {group:<32} {tally.labelled:>4}  {rates}")
    report.details[name] = {
        "summary": summary(result),
        "recall": {k: result.overall.recall(k) for k in KS},
        "by_family": {
            g: {k: t.recall(k) for k in KS} | {"n": t.labelled} for g, t in result.by_family.items()
        },
        "by_tool": {
            g: {k: t.recall(k) for k in KS} | {"n": t.labelled} for g, t in result.by_tool.items()
        },
        "controls": [result.controls_rejected, result.controls],
        "misses": [r.entry["id"] for r in result.misses],
    }


def run() -> Report:
    report = Report("recall")
    header("Recognition: recall@1/3/5 on the corpus of real texts (text only)")
    knowledge = load_checked(knowledge_dirs({}))
    for path in sorted(CORPORA.glob("corpus-*.jsonl")):
        name = Path(path).stem
        result = evaluate(knowledge, load(path))
        print(f"  {name}: {summary(result)}")
        _report_file(report, name, result)
    return report
