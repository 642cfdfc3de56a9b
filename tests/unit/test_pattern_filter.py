"""The literal filter in front of a knowledge pattern never changes what it finds: it only
spares the regular expression on texts that cannot match."""

from __future__ import annotations

import re

from benchmarks.bench_recognition import first_entries
from hypothesis import given, settings
from hypothesis import strategies as st

from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Pattern, required_literal


def _every_pattern() -> list[Pattern]:
    knowledge = load_checked(knowledge_dirs({}))
    found = [p for tool in knowledge.tools for p in tool.patterns]
    found += [p for patterns in knowledge.signals.values() for p in patterns]
    found += [p for lookalike in knowledge.lookalikes for p in lookalike.patterns]
    return [p for p in found if type(p) is Pattern]


PATTERNS = _every_pattern()
PASTES = [row["text"] for row in first_entries()]


def test_most_knowledge_patterns_have_a_literal_to_look_for() -> None:
    """Else the filter would be dead weight (and this file would test nothing)."""
    with_needle = [p for p in PATTERNS if required_literal(p.compile()) is not None]
    assert len(with_needle) > len(PATTERNS) // 2


def test_the_literal_is_one_every_match_contains() -> None:
    assert required_literal(re.compile(r"AWS_PROFILE=\S+", re.I)) == "aws_profile="
    assert required_literal(re.compile(r"(?:minio|ceph)\s+error", re.I)) == "error"
    assert required_literal(re.compile(r"terraform|pulumi", re.I)) is None  # either may be absent
    assert required_literal(re.compile(r"a(?:bcdef)?g", re.I)) is None  # optional
    assert required_literal(re.compile(r"straße", re.I)) is None  # casefolds longer


def test_real_pastes_find_what_the_bare_expression_finds() -> None:
    for text in PASTES:
        for pattern in PATTERNS:
            expected = re.search(pattern.source, text, re.IGNORECASE) is not None
            assert pattern.search(text) == expected, (pattern.source, text[:200])


# Characters a case-insensitive search treats specially: the Kelvin sign, the long s, the
# dotless and dotted i, the sharp s, and the letters of the literals themselves.
_TRICKY = st.sampled_from(["\u212a", "\u017f", "\u0131", "\u0130", "\u00df", "\u0307", "│"])


@settings(max_examples=200, deadline=None)
@given(
    pattern=st.sampled_from(PATTERNS),
    noise=st.lists(st.one_of(_TRICKY, st.characters()), max_size=6),
    data=st.data(),
)
def test_a_match_survives_any_change_of_case_and_unicode_lookalikes(
    pattern: Pattern, noise: list[str], data: st.DataObject
) -> None:
    """Take a real paste that matches, swap letters for their case-insensitive twins and add
    noise: the filter must agree with the bare expression on every variant."""
    matching = [text for text in PASTES if re.search(pattern.source, text, re.IGNORECASE)]
    text = data.draw(st.sampled_from(matching)) if matching else "".join(noise)
    twins = {"k": "\u212a", "s": "\u017f", "i": "\u0131", "I": "\u0130"}
    variant = "".join(
        twins[c] if c in twins and data.draw(st.booleans()) else c.swapcase() for c in text[:400]
    )
    variant = "".join(noise) + variant + "".join(noise)
    expected = re.search(pattern.source, variant, re.IGNORECASE) is not None
    assert pattern.search(variant) == expected, (pattern.source, variant[:200])
