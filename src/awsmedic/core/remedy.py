"""Turn a cause and the evidence into a Diagnosis, with the user's own values in the steps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from awsmedic.context import Context
from awsmedic.kb.model import Cause
from awsmedic.kb.placeholders import PLACEHOLDERS, fill
from awsmedic.model import Confidence, Diagnosis, Evidence, Fact

#: Facts whose value from the pasted error beats the one from this machine: the error tells
#: where the failing request went, the machine only what is configured now.
TEXT_FIRST = frozenset({"region", "operation", "service", "action", "resource", "principal"})


def context_facts(ctx: Context) -> dict[str, Fact]:
    """What every diagnosis knows without a probe: the shared files and the selected profile,
    the way botocore picks them. Probe facts (with their exact sources) replace these."""
    from awsmedic.aws.sharedfiles import locate, profile_selection

    facts = {}
    for kind in ("credentials", "config"):
        path, source = locate(ctx, kind)
        if path is not None:
            where = ("env", source) if source != "default" else ("default", "")
            facts[f"{kind}_file"] = Fact(ctx.tilde(path), *where)
    profile, source, _ = profile_selection(ctx)
    facts["profile"] = Fact(profile, source)
    return facts


def merge_facts(
    text_facts: Mapping[str, Fact],
    evidence: Iterable[Evidence],
    base: Mapping[str, Fact] | None = None,
) -> dict[str, Fact]:
    """Probe facts, over `base` (context facts); the pasted error's facts win where they name
    the failing request (TEXT_FIRST), over a mere default (the profile `default` when nothing
    selects one, where the error names the profile it failed with), and fill in what nothing
    else knows."""
    facts: dict[str, Fact] = dict(base or {})
    for item in evidence:
        facts.update(item.facts)
    for name, fact in text_facts.items():
        held = facts.get(name)
        if name in TEXT_FIRST or held is None or held.source == "default":
            facts[name] = fact
    return facts


def _code(value: str) -> str:
    # Values go inside code spans: a backtick in a value would end the span early.
    return value.replace("`", "'")


def placeholder_values(facts: Mapping[str, Fact]) -> dict[str, str]:
    values = {
        name: _code(fact.value)
        for name, fact in facts.items()
        if name in PLACEHOLDERS and fact.value
    }
    values.setdefault("profile", "default")
    return values


def diagnose(
    cause: Cause, confidence: Confidence, evidence_lines: Iterable[str], facts: Mapping[str, Fact]
) -> Diagnosis:
    values = placeholder_values(facts)
    return Diagnosis(
        cause=cause.id,
        title=cause.title,
        confidence=confidence,
        evidence=tuple(evidence_lines),
        why=fill(cause.why, values),
        steps=tuple(fill(step, values) for step in cause.steps),
        refs=cause.refs,
    )
