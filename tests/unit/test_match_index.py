"""The phrase index (prefix filtering) finds exactly what scoring every phrase would find."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, utils

from awsmedic.core.match import (
    _WORD,
    PHRASE_CUTOFF,
    WORD_SHARE,
    Matcher,
    _words,
    index_words,
    needed,
    normalise,
    prepare,
)
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge

SHIPPED = load_checked([shipped_dir()])
TEMPLATE = next(iter(SHIPPED.trees.values()))
# A small vocabulary, so phrases and pastes share words often; "the" and "is" are stopwords.
VOCABULARY = [
    "the",
    "is",
    "security",
    "token",
    "request",
    "invalid",
    "access",
    "key",
    "credentials",
    "expired",
    "signature",
    "region",
    "profile",
    "denied",
    "locate",
    "unable",
]
phrases = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=9).map(" ".join)


def brute_force(knowledge: Knowledge, paste: str) -> dict[str, int]:
    """Score every phrase the paste has enough words of; no index."""
    text = normalise(prepare(paste)[0])
    paste_words = _words(text)
    scores: dict[str, int] = {}
    for tree in knowledge.trees.values():
        for phrase in tree.phrases:
            words = _words(phrase)
            if not words:  # stopwords only: nothing to recognise it by (never indexed)
                continue
            if len(words & paste_words) < WORD_SHARE * len(words):
                continue
            plain = " ".join(_WORD.findall(phrase.lower()))
            score = int(fuzz.partial_ratio(plain, text[-20_000:], processor=utils.default_process))
            if score >= PHRASE_CUTOFF and score > scores.get(tree.id, 0):
                scores[tree.id] = score
    return scores


def knowledge_of(trees: list[list[str]]) -> Knowledge:
    built = {
        f"t{n}": replace(TEMPLATE, id=f"t{n}", codes=(), phrases=tuple(p), path=Path(f"t{n}.toml"))
        for n, p in enumerate(trees)
    }
    return replace(SHIPPED, trees=built)


@settings(max_examples=300, deadline=None)
@given(
    trees=st.lists(st.lists(phrases, min_size=1, max_size=4), min_size=1, max_size=12),
    paste=st.lists(st.sampled_from(VOCABULARY), max_size=30).map(" ".join),
)
def test_the_index_finds_what_scoring_every_phrase_finds(
    trees: list[list[str]], paste: str
) -> None:
    knowledge = knowledge_of(trees)
    assert Matcher(knowledge)._phrase_scores(normalise(prepare(paste)[0])) == brute_force(
        knowledge, paste
    )


def test_real_phrases_are_filed_under_rare_words_only() -> None:
    words = frozenset({"security", "token", "included", "request", "invalid"})
    frequency = Counter({"request": 50, "invalid": 40, "token": 30, "security": 2, "included": 1})
    # 5 words, 3 needed: a paste with 3 of them has one of any 3; the 3 rarest are filed.
    assert needed(5) == 3
    assert index_words(words, frequency) == ["included", "security", "token"]


def test_shipped_phrases_are_still_recognised_word_for_word() -> None:
    matcher = Matcher(SHIPPED)
    for tree in SHIPPED.trees.values():
        for phrase in tree.phrases:
            assert matcher.recognise(phrase).best is not None, phrase
