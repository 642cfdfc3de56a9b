"""How long ago (or how soon) something happened, in words a person reads at a glance.

"9104 h 24 min ago" makes the reader do arithmetic; "379 days ago (2025-11-20)" does not, and
the date lets them match it with what they remember (a rotation, a sign-in).
"""

from __future__ import annotations

from datetime import UTC, datetime

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def span(seconds: float) -> str:
    """A positive length of time: "45 seconds", "12 min", "3 h 5 min", "379 days"."""
    total = int(abs(seconds))
    if total < 2 * MINUTE:
        return f"{total} second{'s' if total != 1 else ''}"
    if total < HOUR:
        return f"{total // MINUTE} min"
    if total < DAY:
        hours, rest = divmod(total, HOUR)
        minutes = rest // MINUTE
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days = total // DAY
    return f"{days} day{'s' if days != 1 else ''}"


def ago(then: datetime, now: datetime, *, dated: bool = True) -> str:
    """`then` relative to `now`: "379 days ago (2025-11-20)", "in 3 h 5 min (14:05 UTC)".
    The date (a day or more away) or the time of day (UTC) follows unless `dated` is off
    (where the sentence already shows it)."""
    seconds = (now - then).total_seconds()
    if abs(seconds) < MINUTE:
        return "just now"
    words = f"{span(seconds)} ago" if seconds > 0 else f"in {span(seconds)}"
    if not dated:
        return words
    utc = then.astimezone(UTC) if then.tzinfo is not None else then
    stamp = f"{utc:%Y-%m-%d}" if abs(seconds) >= DAY else f"{utc:%H:%M} UTC"
    return f"{words} ({stamp})"
