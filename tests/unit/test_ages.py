"""Ages in words with a date: "379 days ago (2025-11-20)", never "9104 h 24 min ago"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from awsmedic.aws.ages import ago

NOW = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(hours=9104, minutes=24), "379 days ago (2025-11-20)"),
        (timedelta(days=1, hours=2), "1 day ago (2026-12-03)"),
        (timedelta(hours=3, minutes=5), "3 h 5 min ago (13:25 UTC)"),
        (timedelta(hours=2), "2 h ago (14:30 UTC)"),
        (timedelta(minutes=12), "12 min ago (16:18 UTC)"),
        (timedelta(seconds=90), "90 seconds ago (16:28 UTC)"),
        (timedelta(seconds=20), "just now"),
        (-timedelta(hours=3, minutes=5), "in 3 h 5 min (19:35 UTC)"),
        (-timedelta(days=30), "in 30 days (2027-01-03)"),
    ],
)
def test_ages_read_at_a_glance(delta: timedelta, words: str) -> None:
    assert ago(NOW - delta, NOW) == words


def test_undated_where_the_sentence_has_the_date() -> None:
    assert ago(NOW + timedelta(hours=4), NOW, dated=False) == "in 4 h"


def test_sso_and_login_ages_are_in_days_with_the_date(home: object) -> None:
    from awsmedic.probes.sso import SsoConfig, token_state

    config = SsoConfig.__new__(SsoConfig)
    object.__setattr__(config, "session", None)
    expired = (NOW - timedelta(hours=9104, minutes=24)).strftime("%Y-%m-%dT%H:%M:%SZ")
    _, sentence = token_state({"accessToken": "a", "expiresAt": expired}, config, NOW)
    assert sentence.startswith("the cached token expired 379 days ago (2025-11-20)")
