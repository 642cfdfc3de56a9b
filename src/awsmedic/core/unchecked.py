"""What a walk could not check, and why: its own state, never evidence for a cause.

A probe that could not check (no network under --offline, AWS did not answer, the time budget
ran out, botocore could not build a client to say where requests go) returns evidence marked
`unchecked`. The walk goes on without it; the diagnosis lists
these once, as the contract's `offline` lines ("<what>: <why>"), and says in one line per
reason what was skipped ("AWS could not be reached from here: 3 checks skipped").
"""

from __future__ import annotations

from collections.abc import Iterable

from awsmedic.model import Evidence, Unchecked

#: What a headline says for each reason; `{n}` is the number of checks.
HEADLINE = {
    Unchecked.UNREACHABLE: "AWS could not be reached from here: {n} skipped",
    Unchecked.OFFLINE: "No network (--offline): {n} skipped",
    Unchecked.BUDGET: "Out of time (the diagnosis budget ran out): {n} not finished",
    Unchecked.BOTOCORE: "botocore could not build a client from this set-up: {n} skipped",
    Unchecked.CONSENT: "A credential_process helper would have run, without your consent:"
    " {n} skipped",
}
_PREFIX = "not checked: "


def title(probe_id: str) -> str:
    from awsmedic.probes import spec

    found = spec(probe_id)
    return found.title if found is not None else "a check"


def reason(evidence: Evidence) -> str:
    """Why the probe could not check, without the "not checked: " its summary starts with."""
    return evidence.summary.removeprefix(_PREFIX)


def offline_lines(evidence: Iterable[Evidence]) -> tuple[str, ...]:
    """One line per check that could not be made: what it is, and why (CONTRACT `offline`)."""
    lines = [f"{title(e.probe)}: {reason(e)}" for e in evidence if e.unchecked is not None]
    return tuple(dict.fromkeys(lines))


def parts(line: str) -> tuple[str, Unchecked | None, str]:
    """An `offline` line taken apart (lines are text in transcripts and the contract):
    what could not be checked, the reason, and what exactly failed."""
    from awsmedic.probes import UNCHECKED_WHY

    for kind, why in UNCHECKED_WHY.items():
        what, found, rest = line.partition(f": {why}")
        if found:
            detail = rest.strip()
            if detail.startswith("(") and detail.endswith(")"):
                detail = detail[1:-1]
            return what, kind, detail
    return line, None, ""


def kind_of(line: str) -> Unchecked | None:
    return parts(line)[1]


def headlines(lines: Iterable[str]) -> list[str]:
    """One line per reason: "AWS could not be reached from here: 3 checks skipped"."""
    counts: dict[Unchecked | None, int] = {}
    for line in lines:
        kind = kind_of(line)
        counts[kind] = counts.get(kind, 0) + 1
    out = []
    for kind, count in counts.items():
        checks = f"{count} check{'s' if count != 1 else ''}"
        template = HEADLINE.get(kind) if kind is not None else None
        out.append(template.format(n=checks) if template else f"Not checked: {checks}")
    return out
