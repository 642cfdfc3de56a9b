"""Recognition on the first development corpus (the `d...` entries of tests/data/corpus/dev.jsonl,
../shared's corpus-dev.jsonl), text only.

Ranked as `make bench` ranks the split corpus (benchmarks/bench_recognition.py). Floors are
what the knowledge base reached when the matcher moved to words in order with slots (98
labelled texts: 64 first, 83 in the top three, 87 in the top five). Raise them when it
improves; never lower them to let a change in.

Lowered once, at the top three and five, by two texts each (issue 12, ranking): the priors now
follow how often each cause lies behind a family across the whole development part (450 texts,
tests/data/corpus/dev.jsonl), where emulator endpoints, opt-in regions and session limits are as
common behind a bare InvalidClientTokenId as bad keys. Bare messages of this first corpus
labelled with the old favourites (d001 and d002 key-typo, d094 stale-session-token, d048
env-overrides-profile, d096 profile-prefix-confusion) fall out of the top five; d003, d004 and
d116 come in, more are first (65), and the development part as a whole gains 30 texts in the
top five (tests/unit/test_recognition_floors.py holds those figures).

Lowered again at the first place, by one text (2026-12-05): refitted on the development part
grown to 543 labelled texts, the instance-metadata family's prior follows its texts, where no
credentials at all is the commonest cause behind a failed metadata call (d084, d085, d086 now
rank it first), and SignatureDoesNotMatch's prior favours a mismatched secret over stray
characters (d046); d019 comes in first. The top three and five hold.
"""

from __future__ import annotations

import pytest
from benchmarks.bench_recognition import first_entries, ranked

FLOORS = {1: 64, 3: 81, 5: 85}


@pytest.fixture(scope="module")
def results() -> list[tuple[dict[str, str], list[str] | None]]:
    entries = first_entries()
    labelled = [e for e in entries if e["cause"] not in ("unknown", "not-aws")]
    return list(zip(labelled, ranked(e["text"] for e in labelled), strict=True))


@pytest.mark.parametrize("k", sorted(FLOORS))
def test_recall_at_k_holds(results: list[tuple[dict[str, str], list[str] | None]], k: int) -> None:
    hits = [e["id"] for e, causes in results if causes and e["cause"] in causes[:k]]
    misses = {
        e["id"]: (e["cause"], (causes or [])[:k]) for e, causes in results if e["id"] not in hits
    }
    assert len(results) == 98
    assert len(hits) >= FLOORS[k], misses


def test_every_labelled_text_about_aws_gets_a_diagnosis_path(
    results: list[tuple[dict[str, str], list[str] | None]],
) -> None:
    """No dead end: at most the one text that is not AWS at all (d088, Alibaba Cloud's
    'AccessKeyId is inactive', labelled with a cause by mistake) goes unrecognised."""
    assert sum(causes is None for _, causes in results) <= 1
