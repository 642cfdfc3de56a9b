"""Turn a cause and the evidence into a Diagnosis, with the user's own values in the steps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from awsmedic.kb.model import Cause
from awsmedic.model import Confidence, Diagnosis, Evidence, Fact
from awsmedic.placeholders import PLACEHOLDERS, fill

#: Facts whose value from the pasted error beats the one from this machine: the error tells
#: where the failing request went, the machine only what is configured now.
TEXT_FIRST = frozenset({"region", "operation", "service", "action", "resource", "principal"})


def merge_facts(text_facts: Mapping[str, Fact], evidence: Iterable[Evidence]) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    for item in evidence:
        facts.update(item.facts)
    for name, fact in text_facts.items():
        if name in TEXT_FIRST or name not in facts:
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
