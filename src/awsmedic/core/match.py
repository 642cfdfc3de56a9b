"""From pasted text to ranked trees: clean the paste, pull out error codes, align phrases.

An exact error-code hit always outranks a phrase. A phrase counts when enough of its words are
found in order in one place of the paste (`core/align.py`); its slots take any value, which
becomes a text fact. Before that, `core/pastes.py` takes off what surrounds the message (log
and CI prefixes, JSON and logfmt wrapping) and reads the pasted command lines.

The index finds the phrases a paste could match without looking at the others: each phrase is
filed under its rarest words only, as many as guarantee that a paste with enough of its words
has one of them (prefix filtering). Common words ("request", "credentials") then lead to no
phrase at all, and matching cost grows with what the paste could match, not with the size of
the knowledge base.

When nothing matches, a text that names a look-alike (MinIO, another cloud, a GitHub token) is
said to be one; a text that is about AWS credentials, signing, regions or access starts a
fallback tree (`about` in its file) and lists the families that came closest.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping

from awsmedic.core.align import Alignment, Tokens, align, shaped, slot_values, slots_found
from awsmedic.core.pastes import (
    MAX_PASTE_CHARS,
    TRUNCATED_NOTE,
    bound,
    clean,
    command_lines,
    message_lines,
    prepare,
    reading,
)
from awsmedic.kb.model import Knowledge, QuestionNode, TextNode, Tree
from awsmedic.kb.phrases import (
    MESSAGE_WORDS,
    PROVIDER_SLOTS,
    Phrase,
    phrase_forms,
    tree_phrases,
    word_of,
)
from awsmedic.model import Fact, Recognition, TreeMatch

__all__ = [
    "MAX_PASTE_CHARS",
    "MESSAGE_WORDS",
    "TRUNCATED_NOTE",
    "Matcher",
    "bound",
    "normalise",
    "phrase_forms",
    "prepare",
    "signals_used",
]

#: Share (0-100) of a phrase's words, found in order, that recognises its family. Real variants
#: of a message keep 4 of 5 words; shorter phrases need all of theirs.
PHRASE_CUTOFF = 80
#: Families scoring this much without matching are shown as the closest, for a fallback tree.
NEAR_CUTOFF = 50
#: How many closest families to show.
CLOSEST = 3
#: The score of a fallback tree taken for its subject: below every phrase hit.
TOPIC_SCORE = 40
#: Phrase scores are scaled by this, so that they stay below every exact code hit.
PHRASE_SCALE = 0.85
#: How fast a rival family's weight in the candidates falls with its score's distance below
#: the best match's (points of `TreeMatch.score`; the weight is e^(-distance / RIVAL_SPREAD)).
RIVAL_SPREAD = 10.0
#: Rivals lighter than this add nothing worth showing.
RIVAL_FLOOR = 0.02
#: The least share of its weight a rival keeps when every word it matched is one the best
#: family's phrase matched too: it explains nothing more of the paste ("Request has expired"
#: inside "The security token included in the request is expired").
SUBSUMED = 0.2
#: The least weight of a family whose phrase the paste has word for word, when the best family
#: was named by its code alone (none of its phrases matched): the code may be a wrapper's name
#: for the message (Amplify's `NoCredentials: Credentials should not be empty.`, a Cognito
#: identity pool's), and a whole message says more than a code word.
WHOLE_PHRASE = 0.8

_EXPLICIT = re.compile(
    r"\(([A-Z][A-Za-z0-9]+)\)|api error ([A-Z]\w+)|Error Code: (\w+)|<Code>(\w+)</Code>"
)
_EXCEPTION = re.compile(r"\b\w+(?:Error|Exception)\b")
#: What SDKs add to an error code to name the exception class they raise for it: Java v1 and
#: v2, .NET and JavaScript v3 name a modelled error `{Code}Exception` (STS's `ExpiredToken`
#: is `com.amazonaws.services.securitytoken.model.ExpiredTokenException`, `IDPRejectedClaim`
#: is Java v2's `IdpRejectedClaimException`), wrappers append `Error` (`InvalidAccessKeyIdError`).
CLASS_SUFFIXES = ("Exception", "Error")
_CAMEL = re.compile(r"\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b|\b[A-Z]{2,}[a-z][A-Za-z0-9]*\b")
_OPERATION = (
    re.compile(r"when calling the (\w+) operation"),
    re.compile(r"operation error (\w+): (\w+)"),
)
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_REGION = re.compile(r"\b(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|eusc)-[a-z]+-\d{1,2}[a-z]?\b")
#: A class of the Java platform itself (`java.nio.file.AccessDeniedException`, which Hadoop's
#: S3A throws for every 401 and 403 and the JDK for an unreadable local file): its name is no
#: AWS error code, whatever it ends with.
_JDK_PACKAGE = re.compile(r"(?<![\w.])javax?\.(?:[a-z_][a-z0-9_]*\.)+$")


def normalise(text: str) -> str:
    """A prepared paste as the matcher reads it: the message lines without their prefixes and
    wrapping, request ids and time stamps blanked."""
    return "\n".join(message_lines(text))


def needed(count: int, share: float) -> int:
    """How many of a phrase's `count` words a paste must have for it to reach `share`."""
    return next(shared for shared in range(count + 1) if shared >= share * count)


def index_words(counts: Mapping[str, int], frequency: Counter[str], share: float) -> list[str]:
    """The words to file a phrase under (`counts`: each word and how often the phrase has it).

    A paste reaches `share` only with `needed` of the phrase's words; so once the rarest words
    filed leave fewer than that many behind, any such paste has one of them."""
    rarest = sorted(counts, key=lambda word: (frequency[word], word))
    least = needed(sum(counts.values()), share)
    left = sum(counts.values())
    filed: list[str] = []
    for word in rarest:
        if left < least:
            break
        filed.append(word)
        left -= counts[word]
    return filed


def exception_names(codes: Iterable[str]) -> dict[str, str]:
    """Lower-case exception class names and the known error code each stands for: the code
    itself when it already ends like a class, and every code with a suffix an SDK adds
    (`CLASS_SUFFIXES`). Compared without case: Java v2 writes acronyms as words (`Idp`,
    `Sso`). A code that is itself a class name wins over another code plus a suffix."""
    names: dict[str, str] = {}
    known = sorted(codes)
    for code in known:
        if code.endswith(CLASS_SUFFIXES):
            names[code.lower()] = code
    for code in known:
        for suffix in CLASS_SUFFIXES:
            if not code.endswith(suffix):
                names.setdefault((code + suffix).lower(), code)
    return names


def signals_used(tree: Tree) -> set[str]:
    """Names a tree's text nodes, questions and hints look up among the text signals."""
    used = {hint.signal for hint in tree.hints if hint.signal is not None}
    for node in tree.nodes.values():
        if isinstance(node, TextNode):
            used.update(key for key, _ in node.next)
        elif isinstance(node, QuestionNode):
            used.update(finding for finding, _ in node.settled_by)
    used.update(hint.finding for hint in tree.hints if hint.finding is not None)
    return used


class _Index:
    """Phrases filed under their rarest words, for one share of words."""

    def __init__(self, phrases: list[Phrase], frequency: Counter[str], share: float) -> None:
        self.share = share
        self._by_word: dict[str, list[tuple[Phrase, Counter[str]]]] = defaultdict(list)
        for phrase in phrases:
            counts = Counter(phrase.words)
            for word in index_words(counts, frequency, share):
                self._by_word[word].append((phrase, counts))

    def words(self) -> Iterable[str]:
        """Every word a phrase is filed under."""
        return self._by_word.keys()

    def candidates(self, present: Iterable[str]) -> Iterable[Phrase]:
        """Phrases with at least `share` of their words among `present`, each once."""
        present = set(present)
        seen: set[int] = set()
        for word in present:
            for phrase, counts in self._by_word.get(word, ()):
                if id(phrase) in seen:
                    continue
                seen.add(id(phrase))
                found = sum(n for w, n in counts.items() if w in present)
                if found >= self.share * len(phrase.words):
                    yield phrase


class Matcher:
    """Indexes a knowledge base once; `recognise` is then cheap per paste."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._by_code: dict[str, list[str]] = defaultdict(list)
        phrases: list[Phrase] = []
        for tree in knowledge.trees.values():
            for code in tree.codes:
                self._by_code[code].append(tree.id)
            # Compiled when the knowledge base was read (or kept by its cache).
            compiled = tree.compiled
            if compiled is None:
                compiled = tree_phrases(tree.id, tree.phrases)
            phrases.extend(compiled)
        phrases = [phrase for phrase in phrases if phrase.words]
        self._order = {id(phrase): number for number, phrase in enumerate(phrases)}
        frequency = Counter(word for phrase in phrases for word in phrase.words)
        self._index = _Index(phrases, frequency, PHRASE_CUTOFF / 100)
        self._phrases, self._frequency = phrases, frequency
        self._exception_names = exception_names(self._by_code)
        self._bounded: tuple[str, tuple[str, bool]] | None = None
        self._fallbacks = [knowledge.trees[t] for t in sorted(knowledge.trees)]
        self._fallbacks = [tree for tree in self._fallbacks if tree.about]
        self._commands = {
            command: tool.id for tool in reversed(knowledge.tools) for command in tool.commands
        }
        # The text signals each tree branches on: only those of the matched trees are looked
        # for in a paste, so their patterns are compiled only when a tree could use them.
        self._tree_signals = {
            tree.id: frozenset(signals_used(tree) & set(knowledge.signals))
            for tree in knowledge.trees.values()
        }

    @functools.cached_property
    def _near(self) -> _Index:
        """The index for the closest families: only a paste that no family matches needs it."""
        return _Index(self._phrases, self._frequency, NEAR_CUTOFF / 100)

    def codes_in(self, text: str, values: Iterable[tuple[int, int]] = ()) -> list[str]:
        """Known error codes in order of appearance (explicit `(Code)` forms first); none from
        inside `values`, the spans of slot values (a profile may be named `AccessDenied`)."""
        inside = sorted(values)

        def kept(found: re.Match[str], group: int = 0) -> bool:
            start = found.start(group)
            if _JDK_PACKAGE.search(text, max(0, start - 80), start):
                return False
            # a Java nested class (Spring's `HttpClientErrorException$BadRequest`, any HTTP
            # client's status class) or a shell variable: no error code an AWS service sent
            if start and text[start - 1] == "$":
                return False
            return not any(begin <= start < end for begin, end in inside)

        ordered: list[str] = []
        for found in _EXPLICIT.finditer(text):
            group = next(n for n in range(1, 5) if found.group(n))
            if kept(found, group):
                ordered.append(found.group(group))
        ordered.extend(found.group(0) for found in _CAMEL.finditer(text) if kept(found))
        # Exception names as people retype them ("incompleteSignatureException"): these are
        # compared without case; a bare word ("forbidden") never is.
        for found in _EXCEPTION.finditer(text):
            if kept(found):
                name = found.group(0)
                ordered.append(self._exception_names.get(name.lower(), name))
        return [code for code in dict.fromkeys(ordered) if code in self._by_code]

    def _aligned(self, tokens: Tokens, index: _Index) -> dict[str, Alignment]:
        """Each tree's best phrase alignment among the phrases `index` offers."""
        best: dict[str, Alignment] = {}
        for phrase in index.candidates(tokens.where):
            found = align(phrase, tokens)
            if found is None:
                continue
            found = shaped(found, tokens)
            held = best.get(phrase.tree)
            # Of two phrases that score alike, the longer says more (and has the slots); then
            # the first in the tree, so that every run picks the same one.
            if held is None or self._rank_key(found) > self._rank_key(held):
                best[phrase.tree] = found
        return best

    def _rank_key(self, alignment: Alignment) -> tuple[float, int, int]:
        return (alignment.score, len(alignment.found), -self._order[id(alignment.phrase)])

    def _tool(self, text: str) -> tuple[str | None, str | None]:
        """The tool whose wrapper lines the paste shows most; but a tool that prints that one's
        errors inside its own (`wraps`: Terraform, the Go SDK's) wins when it shows at all."""
        hits = {
            tool.id: sum(1 for pattern in tool.patterns if pattern.search(text))
            for tool in self.knowledge.tools
        }
        found = [tool for tool in self.knowledge.tools if hits[tool.id]]
        if not found:
            return None, None
        best = max(found, key=lambda tool: hits[tool.id])  # the first listed on a tie
        seen = {best.id}
        while True:
            outer = [t for t in found if best.id in t.wraps and t.id not in seen]
            if not outer:
                return best.id, best.title
            best = max(outer, key=lambda tool: hits[tool.id])
            seen.add(best.id)

    def _tool_title(self, tool_id: str) -> str | None:
        return next((tool.title for tool in self.knowledge.tools if tool.id == tool_id), None)

    def _signals(self, text: str, codes: Iterable[str], trees: Iterable[str]) -> frozenset[str]:
        found = {f"code:{code}" for code in codes}
        wanted = set().union(*(self._tree_signals[tree] for tree in trees))
        for name in sorted(wanted):
            if any(pattern.search(text) for pattern in self.knowledge.signals[name]):
                found.add(name)
        return frozenset(found)

    def _ranked(self, codes: list[str], aligned: dict[str, Alignment]) -> list[TreeMatch]:
        trees = self.knowledge.trees
        scores = {tree: round(a.score) for tree, a in aligned.items() if a.score >= PHRASE_CUTOFF}
        matches: dict[str, TreeMatch] = {}
        for rank, code in enumerate(codes):
            for tree_id in self._by_code[code]:
                if tree_id not in matches:
                    bonus = scores.get(tree_id, 0) // 20
                    score = max(90, 100 - 2 * rank - (5 - bonus))
                    matches[tree_id] = TreeMatch(
                        tree_id, trees[tree_id].title, min(score, 100), "code"
                    )
        # Of two phrases that score alike, the one with more words found explains more of the
        # paste ("`sso_region` was missing" is a longer message than "region is missing");
        # then the tree id, so that equal scores always come out in the same order.
        ordered = sorted(
            scores.items(), key=lambda item: (-item[1], -len(aligned[item[0]].found), item[0])
        )
        for tree_id, score in ordered:
            if tree_id not in matches:
                # Phrase hits stay below every exact code hit.
                scaled = int(score * PHRASE_SCALE)
                matches[tree_id] = TreeMatch(tree_id, trees[tree_id].title, scaled, "phrase")
        return sorted(matches.values(), key=lambda m: -m.score)

    def _rivals(
        self,
        matches: list[TreeMatch],
        closest: list[TreeMatch],
        aligned: dict[str, Alignment],
        near_aligned: dict[str, Alignment],
    ) -> tuple[tuple[str, float], ...]:
        """The families other than the best whose causes the candidates should include, each
        with its weight (0-1) next to the best family's 1.

        A family matched below the best weighs e^(-d / RIVAL_SPREAD), d the distance of its
        score to the best's: two exact codes in one paste weigh alike, a phrase 15 points under
        a code hit a fifth. A phrase that found only words the best family's phrase found too
        explains nothing more of the paste and keeps at least SUBSUMED of its weight, as
        much more as the share of its words found elsewhere. Under a fallback tree the families
        that came closest are the only hint of what the text is about: each weighs by the
        distance of its score (on the phrase scale) to what a match needs, so a family two
        words short of matching weighs more than one that shares half its words by chance."""
        if not matches:
            return ()
        best = matches[0]
        held = aligned.get(best.tree)
        taken = {position for _, position in held.found} if held is not None else set()
        found: list[tuple[str, float]] = []
        code_alone = best.how == "code" and (held is None or held.score < PHRASE_CUTOFF)
        for match in matches[1:]:
            weight = math.exp(-(best.score - match.score) / RIVAL_SPREAD)
            own = aligned.get(match.tree)
            if own is not None and taken and match.how == "phrase":
                elsewhere = sum(1 for _, position in own.found if position not in taken)
                weight *= max(SUBSUMED, elsewhere / len(own.found))
            if own is not None and code_alone and match.how == "phrase" and own.score >= 100:
                weight = max(weight, WHOLE_PHRASE)
            found.append((match.tree, weight))
        if best.how == "topic":
            needs = PHRASE_CUTOFF * PHRASE_SCALE
            words = {n.tree: {p for _, p in near_aligned[n.tree].found} for n in closest}
            for near in closest:
                distance = max(0.0, needs - near.score * PHRASE_SCALE)
                weight = math.exp(-distance / RIVAL_SPREAD)
                # The same near miss counted more than once: families whose phrases found the
                # same words of the paste ("Access Denied", half of both a denial's phrase and a
                # Kafka refusal's) share one family's weight.
                alike = sum(1 for other in words.values() if other == words[near.tree])
                if words[near.tree]:
                    weight /= alike
                found.append((near.tree, weight))
        return tuple((tree, round(weight, 3)) for tree, weight in found if weight >= RIVAL_FLOOR)

    def _fallback(
        self, text: str, tokens: Tokens
    ) -> tuple[list[TreeMatch], list[TreeMatch], dict[str, Alignment]]:
        """A fallback tree whose subject the text is about, the families closest to it, and
        how their phrases aligned."""
        tree = next(
            (tree for tree in self._fallbacks if all(p.search(text) for p in tree.about)), None
        )
        if tree is None:
            return [], [], {}
        near = self._aligned(tokens, self._near)
        closest = sorted(
            (
                TreeMatch(tree_id, self.knowledge.trees[tree_id].title, round(a.score), "near")
                for tree_id, a in near.items()
                if a.score >= NEAR_CUTOFF
            ),
            key=lambda m: (-m.score, m.tree),
        )
        return [TreeMatch(tree.id, tree.title, TOPIC_SCORE, "topic")], closest[:CLOSEST], near

    @functools.cached_property
    def _vocabulary(self) -> tuple[frozenset[str], frozenset[str]]:
        """The words a match can start from, and every word a match can use, as the tokeniser
        reads them: the words the index files phrases under and every phrase word; the known
        error codes and exception names in both. A number alone starts nothing here (every
        log line has numbers; three phrases of IMDS and container addresses are filed only
        under theirs, and are found in the middle of a long paste only beside another)."""
        codes = {word_of(name) for name in (*self._by_code, *self._exception_names)}
        anchors = {word for word in (*codes, *self._index.words()) if word and not word.isdigit()}
        words = {word for word in (*codes, *self._frequency) if word}
        return frozenset(anchors), frozenset(words)

    def may_hold_error(self, lines: list[str]) -> list[int]:
        """Which of `lines` (the middle of a very long paste) may hold an error this matcher
        knows: a known error code on the line, or enough of a phrase's words on it and the
        lines next to it. Cheap on a large log: only lines with a word the index files a phrase
        under (or a code) are looked at, and lines with the same words (a build step repeated
        with other numbers) are judged once."""
        anchors, vocabulary = self._vocabulary
        tokens = set(_TOKEN.findall("\n".join(lines)))
        starts = {token for token in tokens if word_of(token) in anchors}
        if not starts:
            return []
        used = {token for token in tokens if word_of(token) in vocabulary}
        present = [used.intersection(_TOKEN.findall(line)) for line in lines]
        judged: dict[tuple[frozenset[str], frozenset[str]], bool] = {}
        found: list[int] = []
        for number, line in enumerate(lines):
            if starts.isdisjoint(present[number]):
                continue
            around = present[max(0, number - 1) : number + 2]
            key = (frozenset(present[number]), frozenset().union(*around))
            hit = judged.get(key)
            if hit is None:
                window = (word_of(token) for token in key[1])
                hit = bool(self.codes_in(line)) or any(
                    True for _ in self._index.candidates(w for w in window if w)
                )
                judged[key] = hit
            if hit:
                found.append(number)
        return found

    def bound(self, raw: str) -> tuple[str, bool]:
        """`raw` as the matcher reads it: a very long paste keeps its head, its tail, and the
        lines between them that may hold an error (`may_hold_error`)."""
        last = self._bounded
        if last is not None and last[0] is raw:
            return last[1]
        result = bound(raw, self.may_hold_error)
        self._bounded = (raw, result) if result[1] else None
        return result

    def recognise(self, raw: str, waived: Callable[[str, str], bool] | None = None) -> Recognition:
        """What `raw` is: the ranked families, codes, signals, tool and text facts. `waived`
        (look-alike id, text) says where the set-up here contradicts a look-alike found in the
        text (`core.waivers`): the text is then matched as any other."""
        bounded, truncated = self.bound(raw)
        cleaned = clean(bounded)
        lines = message_lines(cleaned)
        read = reading(cleaned, lines)
        command = command_lines(lines, self._commands)
        tool, tool_title = self._tool(cleaned)
        if command.tool is not None:  # the pasted command line says it outright
            tool, tool_title = command.tool, self._tool_title(command.tool)
        lookalike = next(
            (
                k
                for k in self.knowledge.lookalikes
                if k.found_in(read) and not (waived is not None and waived(k.id, read))
            ),
            None,
        )
        if lookalike is not None:
            return Recognition(
                (), (), frozenset(), tool, tool_title, {}, truncated, (), lookalike.title
            )
        tokens = Tokens.of(lines)
        text = tokens.text
        aligned = self._aligned(tokens, self._index)
        values = [
            (found.start, found.end)
            for alignment in aligned.values()
            if alignment.score >= PHRASE_CUTOFF
            for found in slots_found(alignment, tokens)
            if found.delimited or (found.slot.name in PROVIDER_SLOTS and alignment.score >= 100)
        ]
        codes = self.codes_in(text, values)
        matches = self._ranked(codes, aligned)
        closest: list[TreeMatch] = []
        near: dict[str, Alignment] = {}
        if not matches:
            matches, closest, near = self._fallback(read, tokens)
        facts: dict[str, Fact] = {}
        pasted = {
            name: Fact(value, "pasted command line", command.via.get(name, ""))
            for name, value in command.facts.items()
        }
        # The slots of the best family's phrase, then what the pasted command line says, then
        # the other families' slots: a lesser family's slot may have run over the command line
        # (`Profile {profile} not found` over `--profile prod ...\nPartial credentials found`).
        for number, match in enumerate(matches):
            if number == 1:
                for name, fact in pasted.items():
                    facts.setdefault(name, fact)
            alignment = aligned.get(match.tree)
            if alignment is not None and alignment.score >= PHRASE_CUTOFF:
                for name, value in slot_values(alignment, tokens).items():
                    facts.setdefault(name, Fact(value, "pasted error"))
        for name, fact in pasted.items():
            facts.setdefault(name, fact)
        for name, fact in _text_facts(text, codes).items():
            facts.setdefault(name, fact)
        return Recognition(
            matches=tuple(matches),
            codes=tuple(codes),
            signals=self._signals(read, codes, (m.tree for m in (*matches, *closest))),
            tool=tool,
            tool_title=tool_title,
            facts=facts,
            truncated=truncated,
            closest=tuple(closest),
            rivals=self._rivals(matches, closest, aligned, near),
            command=pasted,
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
