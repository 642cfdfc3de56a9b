"""The literal filter in front of a knowledge pattern never changes what it finds: it only
spares the regular expression on texts that cannot match."""

from __future__ import annotations

import re

from benchmarks.bench_recognition import first_entries
from hypothesis import given, settings
from hypothesis import strategies as st

from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Pattern, literals_of, required_literal


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


def test_a_choice_needs_one_literal_of_each_alternative() -> None:
    assert literals_of(r"terraform|Pulumi") == ("terraform", "pulumi")
    assert literals_of(r"\bsteampipe\b|pq: rpc error") == ("steampipe", "pq: rpc error")
    assert literals_of(r"terraform|\d+") is None  # a match of the second needs no letter
    assert literals_of(r"(?:minio|ceph)\s+error") == ("error",)  # the run every match has
    assert literals_of(r"a(?:bcdef|ghijk)?g") is None  # inside an optional group
    assert literals_of(r"\b(?:abcd|efgh)\b") == ("abcd", "efgh")  # a group every match has
    assert literals_of(r"(?-i:Abcd|Efgh)") == ("abcd", "efgh")
    assert literals_of(r"xyz(?:abcd|efgh)") == ("abcd", "efgh")  # longer than "xyz"
    assert literals_of(r"(?:abcd|ef)?xyzw") == ("xyzw",)  # an optional group counts not
    assert literals_of(r"straße|strasse") == ("stra",)  # the prefix both share
    assert literals_of(r"straße|xyzzy") is None  # the first casefolds longer


def test_most_choices_without_one_literal_have_one_per_alternative() -> None:
    """Else every paste would be searched with them (a tool's or signal's list of names)."""
    choices = [p for p in PATTERNS if required_literal(p.compile()) is None and "|" in p.source]
    assert sum(literals_of(p.source) is not None for p in choices) > len(choices) // 2


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
