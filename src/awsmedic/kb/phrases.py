"""The phrase format: the fixed words of an error message, in order, and slots for its variable
parts (`The config profile ({profile}) could not be found`).

A phrase and a paste are read the same way (`words`): lower-case runs of letters and digits,
contractions opened, words that carry no meaning for recognition dropped (articles,
prepositions, auxiliaries, negations), and each word cut to a crude stem so that `expired`,
`expires` and `expire` agree. Matching then aligns a phrase's words in order with the paste's
(`core/align.py`); a slot lets any text of any length stand between the words around it, and
what stood there becomes a text fact named after the slot (`{profile}`, `{region}`, `{role_arn}`,
`{path}`; `{}` for a part that is not worth keeping).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from awsmedic.model import Record

#: A slot: `{name}` (a snake_case fact name, as the placeholders of steps) or `{}`.
SLOT_RE = re.compile(r"\{([a-z][a-z0-9_]*)?\}")
#: Slots whose value is the error a credential provider met on its own request for
#: credentials (the container endpoint's answer, the message under "Error when retrieving
#: credentials from container-role: "): an error code in it is that endpoint's, not the failing
#: call's, and names no family (a container agent's `{"code": "AccessDeniedException"}` for a
#: rejected token is no IAM denial). Codes are always left out of slots closed by a mark; these
#: keep them out up to the end of the line too.
PROVIDER_SLOTS = frozenset({"provider_error"})
_WORD = re.compile(r"[A-Za-z0-9]+")

#: Words that tell no error from another. Negations are among them: "could not be found" and
#: "cannot find" name the same family, and no message is told from another by its "not" alone.
_STOP_TEXT = """
    a an the of to in into on onto at by for from with without as about and or nor but if
    is are was were be been being am do does did done has have had having
    can could will would shall should may might must
    not no t s ll ve re d
    it its this that these those there here their they them he she his her you your yours
    we our us i me my please"""
STOPWORDS = frozenset(_STOP_TEXT.split())
#: Negations, as a message writes them. They are stop words (above), but a phrase that has one
#: before a word only finds that word where the paste has one close before it too:
#: `Profile {profile} not found` is no match for "profile ... was found" (`core/align.py`).
NEGATION = re.compile(r"\b(?:not|no|cannot|never|nor|without)\b|n['’]t\b", re.IGNORECASE)
#: What stands for such a negation in a paste: the negations, and the words SDKs write for
#: them ("could not find" is "unable to find", "failed to find"; "no region" is "missing
#: region").
NEGATED = re.compile(NEGATION.pattern + r"|\b(?:unable|fail(?:ed|s)?|missing)\b", re.IGNORECASE)
#: Contractions as the tokeniser sees them (`doesn't` -> `doesn`, `t`).
_CONTRACTED = {
    "doesn": "does",
    "don": "do",
    "didn": "did",
    "isn": "is",
    "aren": "are",
    "wasn": "was",
    "weren": "were",
    "couldn": "could",
    "cannot": "can",
    "shouldn": "should",
    "wouldn": "would",
    "won": "will",
    "hasn": "has",
    "haven": "have",
    "hadn": "had",
}


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A crude stem of a lower-case word: plural and tense endings off (`credentials` ->
    `credential`, `expired`/`expires`/`expire` -> `expir`). Both sides use it, so it only has
    to be consistent, not right."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) >= 6:
        word = word[:-3]
    elif word.endswith("ed") and len(word) >= 5:
        word = word[:-2]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=65_536)
def word_of(token: str) -> str | None:
    """The stem a raw token stands for, or None when it is a stop word."""
    lower = token.lower()
    lower = _CONTRACTED.get(lower, lower)
    if lower in STOPWORDS:
        return None
    return stem(lower)


def words(text: str) -> list[str]:
    """The meaningful words of `text`, stemmed, in order."""
    found = (word_of(token) for token in _WORD.findall(text))
    return [word for word in found if word is not None]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Slot(Record):
    """A variable part of a phrase. `after` words of the phrase come before it; `before` and
    `behind` are the literal text between it and those words (`" ("` and `") "`), used to cut
    the value out of the paste."""

    name: str  # "" for an anonymous slot
    after: int
    before: str
    behind: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Phrase(Record):
    """A phrase of a tree, compiled: its words and where its slots sit among them."""

    tree: str
    text: str
    words: tuple[str, ...]
    #: For each word, how many slots come before it: a slot lies between words i and j
    #: (i < j) exactly when `segment[i] < segment[j]`.
    segment: tuple[int, ...]
    slots: tuple[Slot, ...]
    #: For each word, whether a negation stands before it in the phrase (since the word before
    #: it, over any slot between).
    negated: tuple[bool, ...] = ()

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self.words)


def compile_phrase(tree: str, text: str) -> Phrase:
    """Split a phrase into its words and slots (`problems` says what is wrong with one)."""
    words_: list[str] = []
    segment: list[int] = []
    slots: list[Slot] = []
    literal_start = 0  # where the literal text since the last word or slot begins
    word_end = 0  # where the last word ends
    negated: list[bool] = []
    pending: tuple[str, int, str] | None = None  # a slot waiting for the literal behind it
    for piece in re.finditer(r"\{[a-z][a-z0-9_]*\}|\{\}|[A-Za-z0-9]+", text):
        token = piece.group(0)
        if token.startswith("{"):
            if pending is not None:  # two slots with no word between: `problems` says so
                slots.append(Slot(pending[0], pending[1], pending[2], ""))
            before = text[literal_start : piece.start()]
            pending = (token[1:-1], len(words_), before)
            literal_start = piece.end()
            continue
        word = word_of(token)
        if word is None:
            continue
        if pending is not None:
            slots.append(
                Slot(pending[0], pending[1], pending[2], text[literal_start : piece.start()])
            )
            pending = None
        words_.append(word)
        segment.append(len(slots))
        negated.append(NEGATION.search(text, word_end, piece.start()) is not None)
        literal_start = word_end = piece.end()
    if pending is not None:
        slots.append(Slot(pending[0], pending[1], pending[2], text[literal_start:]))
    return Phrase(tree, text, tuple(words_), tuple(segment), tuple(slots), tuple(negated))


#: A phrase written as Go v1 prints an error, `Code: message` (awserr.Error's String()).
_CODE_PREFIX = re.compile(r"^[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*: (?=\S)")
#: The fewest words the message of a `Code: message` phrase needs to stand as a phrase of its
#: own: a short message ("send request failed") says too little without its code.
MESSAGE_WORDS = 4


def phrase_forms(text: str) -> list[str]:
    """A tree's phrase and the other forms it is pasted in. A phrase written `Code: message`
    (Go v1's awserr) also stands for the message alone: the other SDKs and the tools that
    wrap them print the same message without the code, or with it elsewhere (`code:
    'ConfigError'`, `(Service: ...; Error Code: ...)`); the code itself is found as a code."""
    prefix = _CODE_PREFIX.match(text)
    if prefix is None:
        return [text]
    message = text[prefix.end() :]
    return [text, message] if len(compile_phrase("", message).words) >= MESSAGE_WORDS else [text]


def tree_phrases(tree: str, texts: Iterable[str]) -> tuple[Phrase, ...]:
    """Every form of a tree's phrases, compiled (what the matcher indexes)."""
    return tuple(compile_phrase(tree, form) for text in texts for form in phrase_forms(text))


#: The fewest words a phrase may have: one or two words are found in unrelated text.
MIN_WORDS = 2


def problems(text: str) -> list[str]:
    """What is wrong with a phrase as written in a tree (empty when it is fine)."""
    found: list[str] = []
    for brace in re.finditer(r"\{[^{}]*\}", text):
        if not SLOT_RE.fullmatch(brace.group(0)):
            found.append(
                f"phrase {text!r}: {brace.group(0)} is not a slot; write {{name}} in snake_case"
                " or {} for an unnamed part"
            )
    phrase = compile_phrase("", text)
    if len(phrase.words) < MIN_WORDS:
        found.append(
            f"phrase {text!r} has {len(phrase.words)} meaningful word(s); it needs at least"
            f" {MIN_WORDS} (words such as 'the', 'not' or 'in' do not count)"
        )
    positions = [slot.after for slot in phrase.slots]
    if len(set(positions)) != len(positions):
        found.append(f"phrase {text!r}: two slots with no word between them cannot be told apart")
    glued = re.search(r"[A-Za-z0-9]\{[a-z0-9_]*\}|\{[a-z0-9_]*\}[A-Za-z0-9]", text)
    if glued:
        found.append(
            f"phrase {text!r}: a slot touches a word ({glued.group(0)}); put a space or a"
            " punctuation mark between them"
        )
    return found
