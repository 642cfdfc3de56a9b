"""Which other families a paste may belong to, and how much each weighs (Recognition.rivals).

A small knowledge base: three families with a code and a phrase each (gamma's phrase is made of
words alpha's has too) and a fallback tree about AWS credentials.
"""

from __future__ import annotations

import math

import pytest

from awsmedic.core.match import (
    PHRASE_CUTOFF,
    PHRASE_SCALE,
    RIVAL_SPREAD,
    SUBSUMED,
    WHOLE_PHRASE,
    Matcher,
)
from tests.kbfiles import write_knowledge

FAMILY = """\
id = "{id}"
title = "Family {id}"
codes = ["{code}"]
phrases = ["{phrase}"]
start = "c"

[nodes.c]
kind = "cause"
cause = "{cause}"
confidence = "likely"
"""
FALLBACK = """\
id = "fallback"
title = "About AWS credentials"
about = ['\\bAWS\\b', 'credential|token']
start = "c"

[nodes.c]
kind = "cause"
cause = "a"
confidence = "possible"
"""
FAMILIES = [
    ("alpha", "AlphaError", "a", "The widget credentials were refused by the gateway"),
    ("beta", "BetaError", "b", "The session token has expired at the gateway"),
    ("gamma", "GammaError", "c", "Widget credentials refused"),
]


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    root = tmp_path_factory.mktemp("kb")
    trees = {
        tree: FAMILY.format(id=tree, code=code, cause=cause, phrase=phrase)
        for tree, code, cause, phrase in FAMILIES
    }
    knowledge, problems = write_knowledge(root, "abc", {**trees, "fallback": FALLBACK})
    assert [p for p in problems if not p.warning] == []
    return Matcher(knowledge)


def rivals(matcher: Matcher, text: str) -> dict[str, float]:
    return dict(matcher.recognise(text).rivals)


def test_two_codes_in_one_paste_weigh_nearly_alike(matcher: Matcher) -> None:
    recognition = matcher.recognise("AlphaError, then BetaError")
    first, second = recognition.matches
    assert (first.tree, second.tree) == ("alpha", "beta")
    expected = math.exp(-(first.score - second.score) / RIVAL_SPREAD)
    assert rivals(matcher, "AlphaError, then BetaError") == {"beta": pytest.approx(expected, 0.01)}
    assert expected > 0.8


def test_a_phrase_under_a_code_hit_weighs_less(matcher: Matcher) -> None:
    text = "AlphaError: The session token has, we are told, expired at the gateway"
    recognition = matcher.recognise(text)
    best, phrase = recognition.matches
    assert (best.how, phrase.how) == ("code", "phrase")
    weight = rivals(matcher, text)["beta"]
    assert weight == pytest.approx(math.exp(-(best.score - phrase.score) / RIVAL_SPREAD), 0.01)
    assert weight < rivals(matcher, "AlphaError, then BetaError")["beta"]


def test_a_whole_message_beside_a_bare_code_weighs_nearly_as_much(matcher: Matcher) -> None:
    """The code may be a wrapper's name for the message: every word of beta's phrase, under a
    code of alpha that no phrase of alpha's backs, keeps WHOLE_PHRASE of a weight."""
    whole = "AlphaError: The session token has expired at the gateway"
    recognition = matcher.recognise(whole)
    best, phrase = recognition.matches
    assert (best.tree, best.how, phrase.tree, phrase.how) == ("alpha", "code", "beta", "phrase")
    assert math.exp(-(best.score - phrase.score) / RIVAL_SPREAD) < WHOLE_PHRASE
    assert rivals(matcher, whole) == {"beta": pytest.approx(WHOLE_PHRASE)}
    # Words in between: not the message word for word, the code's distance decides as before.
    torn = "AlphaError: The session token has, we are told, expired at the gateway"
    assert rivals(matcher, torn)["beta"] < 0.5
    # The code's own family backed by its phrase: the code is no wrapper's name.
    backed = "AlphaError: The widget credentials were refused by the gateway. " + whole
    assert rivals(matcher, backed)["beta"] < WHOLE_PHRASE


def test_a_phrase_inside_the_best_phrase_explains_nothing_more(matcher: Matcher) -> None:
    """gamma's words are all words alpha's phrase found: it keeps only SUBSUMED of a weight
    that its equal score would make 1."""
    text = "The widget credentials were refused by the gateway"
    recognition = matcher.recognise(text)
    assert [m.tree for m in recognition.matches] == ["alpha", "gamma"]
    assert recognition.matches[0].score == recognition.matches[1].score
    assert rivals(matcher, text) == {"gamma": pytest.approx(SUBSUMED)}


def test_the_same_phrase_elsewhere_in_the_paste_keeps_its_weight(matcher: Matcher) -> None:
    text = "Widget credentials refused\n\nThe widget credentials were refused by the gateway"
    assert rivals(matcher, text)["gamma"] > SUBSUMED


def test_under_a_fallback_the_closest_families_weigh_by_how_near_they_came(
    matcher: Matcher,
) -> None:
    text = "AWS said: the session token expired"
    recognition = matcher.recognise(text)
    assert recognition.best is not None and recognition.best.how == "topic"
    (near,) = recognition.closest
    distance = PHRASE_CUTOFF * PHRASE_SCALE - near.score * PHRASE_SCALE
    assert rivals(matcher, text) == {
        "beta": pytest.approx(math.exp(-distance / RIVAL_SPREAD), 0.01)
    }
    # Fewer of its words: farther from a match, lighter.
    fewer = rivals(matcher, "AWS said: bad session token")
    assert 0 < fewer["beta"] < rivals(matcher, text)["beta"]


def test_nothing_close_means_no_rival(matcher: Matcher) -> None:
    assert rivals(matcher, "AWS credential trouble with a printer") == {}
    assert rivals(matcher, "AlphaError") == {}


def test_families_near_on_the_same_words_share_one_weight(matcher: Matcher) -> None:
    """Two families whose phrases found the same words of the paste are one near miss, not two:
    "Access Denied" half of both a denial's phrase and a Kafka refusal's must not lend the
    Kafka family's causes as much weight as the denial's."""
    text = "AWS said: widget credentials broken"
    recognition = matcher.recognise(text)
    assert recognition.best is not None and recognition.best.how == "topic"
    near = {match.tree: match.score for match in recognition.closest}
    assert set(near) == {"alpha", "gamma"}  # both found "widget credentials" and nothing else

    def alone(tree: str) -> float:
        distance = PHRASE_CUTOFF * PHRASE_SCALE - near[tree] * PHRASE_SCALE
        return math.exp(-distance / RIVAL_SPREAD)

    assert rivals(matcher, text) == {
        "gamma": pytest.approx(alone("gamma") / 2, 0.01),
        "alpha": pytest.approx(alone("alpha") / 2, 0.01),
    }
