"""The phrase index (prefix filtering) finds exactly what scoring every phrase would find."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from awsmedic.core.align import Tokens, align
from awsmedic.core.match import (
    NEAR_CUTOFF,
    PHRASE_CUTOFF,
    Matcher,
    index_words,
    message_lines,
    needed,
    prepare,
)
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.kb.phrases import compile_phrase

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


def tokens_of(paste: str) -> Tokens:
    return Tokens.of(message_lines(prepare(paste)[0]))


def brute_force(knowledge: Knowledge, paste: str, cutoff: int) -> dict[str, float]:
    """Align every phrase with the paste; no index."""
    tokens = tokens_of(paste)
    scores: dict[str, float] = {}
    for tree in knowledge.trees.values():
        for text in tree.phrases:
            found = align(compile_phrase(tree.id, text), tokens)
            if found is not None and found.score >= cutoff:
                scores[tree.id] = max(scores.get(tree.id, 0.0), found.score)
    return scores


def indexed(matcher: Matcher, paste: str, near: bool) -> dict[str, float]:
    index = matcher._near if near else matcher._index
    cutoff = NEAR_CUTOFF if near else PHRASE_CUTOFF
    found = matcher._aligned(tokens_of(paste), index)
    return {tree: a.score for tree, a in found.items() if a.score >= cutoff}


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
    matcher = Matcher(knowledge)
    for near, cutoff in ((False, PHRASE_CUTOFF), (True, NEAR_CUTOFF)):
        assert indexed(matcher, paste, near) == brute_force(knowledge, paste, cutoff)


def test_real_phrases_are_filed_under_rare_words_only() -> None:
    words = Counter({"security": 1, "token": 1, "included": 1, "request": 1, "invalid": 1})
    frequency = Counter({"request": 50, "invalid": 40, "token": 30, "security": 2, "included": 1})
    # 5 words, 4 needed for the cutoff: a paste with 4 of them has one of any 2, the 2 rarest;
    # for the closest families (half the words), 3 needed and the 3 rarest filed.
    assert needed(5, PHRASE_CUTOFF / 100) == 4
    assert index_words(words, frequency, PHRASE_CUTOFF / 100) == ["included", "security"]
    assert needed(5, NEAR_CUTOFF / 100) == 3
    assert index_words(words, frequency, NEAR_CUTOFF / 100) == ["included", "security", "token"]


#: Phrases any program prints, AWS's only with an AWS tool in the paste (lookalikes.toml keeps
#: them out alone): recognised below that command line.
CONTEXT_ONLY = {"invalid literal for int() with base 10: {value}": "$ aws sts get-caller-identity"}


def test_shipped_phrases_are_still_recognised_word_for_word() -> None:
    matcher = Matcher(SHIPPED)
    for tree in SHIPPED.trees.values():
        for phrase in tree.phrases:
            context = CONTEXT_ONLY.get(phrase)
            if context is not None:
                assert matcher.recognise(phrase).best is None, phrase
                phrase = f"{context}\n{phrase}"
            assert matcher.recognise(phrase).best is not None, phrase
