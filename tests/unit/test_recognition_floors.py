"""Text-only recognition floors on the development part of the corpus (never the validation part).

Every labelled text of tests/data/corpus/dev.jsonl is diagnosed as `awsmedic diagnose
--no-probes --no-input` would (benchmarks.bench_recognition.measure). MEASURED holds the counts
reached when candidate ranking drew on rival families and on text hints beyond a family's walk
(issue 12): overall, and for every labelled cause with five texts or more, so that a change that
helps one family at another's expense shows where. The floors sit a little under them (SLACK):
a phrase added for one tool may move a text or two of another family, and that alone should not
fail; a real loss does. Raise them when it improves; a floor lowered to let a change in must say
why in its commit.

Re-measured on 2026-12-05 after the development part grew by 174 fresh texts (450 -> 543
labelled) and the families, ranking and look-alike work of that day; wrong-partition (6 texts,
3 in the top five) and a few others entered BY_CAUSE with the growth.
"""

from __future__ import annotations

from typing import Any

import pytest
from benchmarks.bench_recognition import measure

#: Labelled texts whose cause is among the first k candidates (of 543), as measured.
MEASURED = {1: 400, 3: 490, 5: 509}
#: The overall floors: about one text in a hundred under what was measured.
OVERALL = {k: reached - 5 for k, reached in MEASURED.items()}
#: Per cause, one text under what was measured may be lost (first, or among the first five).
SLACK = 1
#: cause: (texts, first, among the first five), as measured.
BY_CAUSE = {
    "no-credentials": (69, 62, 69),
    "iam-permission-denied": (31, 29, 30),
    "web-identity-failure": (30, 26, 29),
    "expired-temporary-credentials": (23, 20, 21),
    "no-region": (23, 23, 23),
    "ecr-auth-token": (20, 19, 20),
    "clock-skew": (17, 16, 17),
    "assume-role-denied": (17, 17, 17),
    "sso-session-expired": (16, 16, 16),
    "s3-region-mismatch": (14, 14, 14),
    "missing-session-token": (13, 12, 12),
    "invalid-region": (13, 6, 12),
    "container-credentials-failure": (13, 5, 11),
    "profile-not-found": (12, 10, 12),
    "imds-unreachable": (12, 2, 12),
    "mfa-required": (12, 9, 11),
    "tls-or-proxy": (11, 7, 10),
    "config-file-syntax": (10, 6, 10),
    "credentials-file-location": (10, 0, 9),
    "eks-unauthorized": (10, 8, 9),
    "wrong-profile-selected": (9, 0, 8),
    "network-unreachable": (9, 8, 9),
    "endpoint-override": (8, 3, 8),
    "session-token-api-restriction": (8, 5, 8),
    "eks-exec-api-version": (8, 8, 8),
    "stray-characters": (7, 1, 7),
    "credential-process-failure": (7, 3, 4),
    "instance-profile-missing": (7, 4, 6),
    "missing-authentication-token": (7, 7, 7),
    "sts-global-token-opt-in-region": (6, 1, 6),
    "wrong-partition": (6, 0, 3),
    "account-not-activated": (6, 5, 5),
    "tool-too-old-for-config": (6, 2, 5),
    "secret-mismatch": (5, 4, 4),
    "new-key-propagation-delay": (5, 2, 4),
    "source-profile-broken": (5, 4, 5),
    "sso-misconfigured": (5, 2, 3),
    "role-duration-exceeded": (5, 5, 5),
}


@pytest.fixture(scope="module")
def dev() -> dict[str, Any]:
    return measure("dev")


def hits(share: float, texts: int) -> int:
    return round(texts * share / 100)


@pytest.mark.parametrize("k", sorted(OVERALL))
def test_overall_recall_holds(dev: dict[str, Any], k: int) -> None:
    assert dev["labelled"] >= 543
    assert hits(dev["recall"][k], dev["labelled"]) >= OVERALL[k], dev["missed_top5"]


@pytest.mark.parametrize("cause", sorted(BY_CAUSE))
def test_each_cause_holds(dev: dict[str, Any], cause: str) -> None:
    texts, first, top5 = BY_CAUSE[cause]
    group = dev["by_cause"][cause]
    assert group["n"] >= texts, "the corpus lost texts of this cause"
    found = (hits(group["r@1"], group["n"]), hits(group["r@5"], group["n"]))
    floors = (first - SLACK, top5 - SLACK)
    assert found[0] >= floors[0] and found[1] >= floors[1], f"{cause}: first, top 5 = {found}"
