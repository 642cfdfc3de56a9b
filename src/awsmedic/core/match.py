"""From pasted text to ranked trees: normalise, pull out error codes, then fuzzy-match phrases.

An exact error-code hit always outranks a fuzzy one. A phrase is only scored when the paste has
enough of its words (WORD_SHARE), and the index finds those phrases without looking at the
others: each phrase is filed under its rarest words only, as many as guarantee that a paste with
enough of its words has one of them (prefix filtering). Common words ("request", "credentials")
then lead to no phrase at all, and matching cost grows with what the paste could match, not with
the size of the knowledge base.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from awsmedic.kb.model import Knowledge, QuestionNode, TextNode, Tree
from awsmedic.model import Fact, Recognition, TreeMatch

#: Pastes longer than this keep their head and tail: the error is nearly always at the end.
#: Every text signal, tool and hint pattern scans what is kept, so this bounds the cost of a
#: paste (a 1 MB log is read in well under a second); 64,000 characters is a long CI log.
MAX_PASTE_CHARS = 64_000
_HEAD_CHARS = 16_000
TRUNCATED_NOTE = (
    f"the error text is very long: only its first {_HEAD_CHARS:,} and last "
    f"{MAX_PASTE_CHARS - _HEAD_CHARS:,} characters were read"
)
#: rapidfuzz partial_ratio (0-100) a phrase needs to count as recognised. Tuned on the corpus:
#: real variants of a message score 85+, unrelated text stays under 70.
PHRASE_CUTOFF = 82
#: A phrase is only scored when the paste has this share of its words.
WORD_SHARE = 0.6
_FUZZY_WINDOW_CHARS = 20_000

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UUID = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
)
_TIMESTAMP = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_ARN = re.compile(r"\barn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(?:\d{12})?:[^\s\"',)]+")
_ACCOUNT = re.compile(r"(?<![\d-])\d{12}(?![\d-])")
_PREFIXES = re.compile(r"(?m)^(?:##\[(?:error|warning)\]|[│╷╵|]\s?|Error:\s+(?=Error:))")
_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b|\b[A-Z]{2,}[a-z][A-Za-z0-9]*\b")
_OPERATION = (
    re.compile(r"when calling the (\w+) operation"),
    re.compile(r"operation error (\w+): (\w+)"),
)
_REGION = re.compile(r"\b(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|eusc)-[a-z]+-\d{1,2}[a-z]?\b")
_STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "is",
        "was",
        "be",
        "for",
        "and",
        "or",
        "with",
        "on",
        "by",
        "this",
        "that",
        "it",
        "not",
        "your",
        "you",
    ],
)


def bound(text: str) -> tuple[str, bool]:
    """A paste cut to its head and tail when very long; the flag says whether it was cut."""
    if len(text) <= MAX_PASTE_CHARS:
        return text, False
    return text[:_HEAD_CHARS] + "\n…\n" + text[-(MAX_PASTE_CHARS - _HEAD_CHARS) :], True


def prepare(text: str) -> tuple[str, bool]:
    """Bound and clean a paste; the flag says whether something was cut."""
    text, truncated = bound(text)
    text = _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text), truncated


def normalise(text: str) -> str:
    """Strip what varies between two pastes of the same error (ids, times, accounts, wrapping)."""
    text = _PREFIXES.sub("", text)
    text = _UUID.sub("<id>", text)
    text = _TIMESTAMP.sub("<time>", text)
    text = _ARN.sub("<arn>", text)
    text = _ACCOUNT.sub("<account>", text)
    text = text.replace("\\n", "\n").replace('\\"', '"')
    return re.sub(r"[ \t]+", " ", text)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS}


def needed(count: int) -> int:
    """How many of a phrase's `count` words a paste must have for the phrase to be scored."""
    return next(shared for shared in range(count + 1) if shared >= WORD_SHARE * count)


def index_words(words: frozenset[str], frequency: Counter[str]) -> list[str]:
    """The words to file a phrase under: a paste with `needed` of the phrase's n words has at
    least one of any n - needed + 1 of them, so the rarest that many find every candidate."""
    rarest = sorted(words, key=lambda word: (frequency[word], word))
    return rarest[: len(words) - needed(len(words)) + 1]


@dataclass(frozen=True)
class _Phrase:
    tree: str
    text: str
    words: frozenset[str]


def signals_used(tree: Tree) -> set[str]:
    """Names a tree's text nodes, questions and hints look up among the text signals."""
    used = {hint.signal for hint in tree.hints if hint.signal is not None}
    for node in tree.nodes.values():
        if isinstance(node, TextNode):
            used.update(key for key, _ in node.next)
        elif isinstance(node, QuestionNode):
            used.update(finding for finding, _ in node.settled_by)
    return used


class Matcher:
    """Indexes a knowledge base once; `recognise` is then cheap per paste."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._by_code: dict[str, list[str]] = defaultdict(list)
        self._by_word: dict[str, list[_Phrase]] = defaultdict(list)
        entries: list[_Phrase] = []
        for tree in knowledge.trees.values():
            for code in tree.codes:
                self._by_code[code].append(tree.id)
            for phrase in tree.phrases:
                words = frozenset(_words(phrase))
                entries.append(_Phrase(tree.id, " ".join(_WORD.findall(phrase.lower())), words))
        frequency = Counter(word for entry in entries for word in entry.words)
        for entry in entries:
            for word in index_words(entry.words, frequency):
                self._by_word[word].append(entry)
        # The text signals each tree branches on: only those of the matched trees are looked
        # for in a paste, so their patterns are compiled only when a tree could use them.
        self._tree_signals = {
            tree.id: frozenset(signals_used(tree) & set(knowledge.signals))
            for tree in knowledge.trees.values()
        }

    def codes_in(self, text: str) -> list[str]:
        """Known error codes in order of appearance (explicit `(Code)` forms first)."""
        ordered: list[str] = []
        explicit = re.findall(
            r"\(([A-Z][A-Za-z0-9]+)\)|api error ([A-Z]\w+)|Error Code: (\w+)|<Code>(\w+)</Code>",
            text,
        )
        for groups in explicit:
            ordered.extend(g for g in groups if g)
        ordered.extend(_CAMEL.findall(text))
        ordered.extend(re.findall(r"\b\w+(?:Error|Exception)\b", text))
        return [code for code in dict.fromkeys(ordered) if code in self._by_code]

    def _phrase_scores(self, text: str) -> dict[str, int]:
        from rapidfuzz import fuzz, utils

        paste_words = _words(text)
        seen: set[_Phrase] = set()
        scores: dict[str, int] = {}
        window = text if len(text) <= _FUZZY_WINDOW_CHARS else text[-_FUZZY_WINDOW_CHARS:]
        processed: str | None = None
        for word in paste_words:
            for phrase in self._by_word.get(word, ()):
                if phrase in seen:
                    continue
                seen.add(phrase)
                if len(phrase.words & paste_words) < WORD_SHARE * len(phrase.words):
                    continue
                if processed is None:  # once per paste, not once per phrase
                    processed = utils.default_process(window)
                # Phrase texts are already processed (lower-case words, single spaces). Scores
                # under the cutoff, or not above the tree's best so far, would be dropped: the
                # cutoff lets rapidfuzz stop early on them.
                cutoff = max(PHRASE_CUTOFF, scores.get(phrase.tree, 0) + 1)
                score = int(fuzz.partial_ratio(phrase.text, processed, score_cutoff=cutoff))
                if score >= cutoff:
                    scores[phrase.tree] = score
        return scores

    def _tool(self, text: str) -> tuple[str | None, str | None]:
        best: tuple[int, str | None, str | None] = (0, None, None)
        for tool in self.knowledge.tools:
            hits = sum(1 for pattern in tool.patterns if pattern.search(text))
            if hits > best[0]:
                best = (hits, tool.id, tool.title)
        return best[1], best[2]

    def _signals(self, text: str, codes: Iterable[str], trees: Iterable[str]) -> frozenset[str]:
        found = {f"code:{code}" for code in codes}
        wanted = set().union(*(self._tree_signals[tree] for tree in trees))
        for name in sorted(wanted):
            if any(pattern.search(text) for pattern in self.knowledge.signals[name]):
                found.add(name)
        return frozenset(found)

    def recognise(self, raw: str) -> Recognition:
        cleaned, truncated = prepare(raw)
        text = normalise(cleaned)
        codes = self.codes_in(cleaned)
        phrase_scores = self._phrase_scores(text)
        matches: dict[str, TreeMatch] = {}
        for rank, code in enumerate(codes):
            for tree_id in self._by_code[code]:
                if tree_id not in matches:
                    bonus = phrase_scores.get(tree_id, 0) // 20
                    score = max(90, 100 - 2 * rank - (5 - bonus))
                    matches[tree_id] = TreeMatch(
                        tree_id, self.knowledge.trees[tree_id].title, min(score, 100), "code"
                    )
        # Ties are broken by tree id: the phrase index is built from sets, so without it equal
        # scores would come out in a different order from one run to the next.
        for tree_id, score in sorted(phrase_scores.items(), key=lambda item: (-item[1], item[0])):
            if tree_id not in matches:
                # Fuzzy hits stay below every exact code hit.
                scaled = int(score * 0.85)
                matches[tree_id] = TreeMatch(
                    tree_id, self.knowledge.trees[tree_id].title, scaled, "phrase"
                )
        ranked = tuple(sorted(matches.values(), key=lambda m: -m.score))
        tool, tool_title = self._tool(cleaned)
        return Recognition(
            matches=ranked,
            codes=tuple(codes),
            signals=self._signals(cleaned, codes, (m.tree for m in ranked)),
            tool=tool,
            tool_title=tool_title,
            facts=_text_facts(cleaned, codes),
            truncated=truncated,
        )


def _text_facts(text: str, codes: list[str]) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    if codes:
        facts["error_code"] = Fact(codes[0], "pasted error")
    for pattern in _OPERATION:
        found = pattern.search(text)
        if found:
            groups = found.groups()
            facts["operation"] = Fact(groups[-1], "pasted error")
            if len(groups) == 2:
                facts["service"] = Fact(groups[0].lower(), "pasted error")
            break
    region = _REGION.search(text)
    if region:
        facts["region"] = Fact(region.group(0), "pasted error")
    return facts
