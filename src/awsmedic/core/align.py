"""Aligning a phrase's words, in order, with a paste's words; slots take any text.

A phrase scores the share of its words found in order in one place of the paste (0-100). Between
two found words, the paste may hold as many words as the phrase skipped there (a word written
differently), plus a few more at a small cost (`INSERTION_COST`, at most `MAX_INSERTIONS`). Where
the phrase has a slot, the paste may hold anything, over any number of lines (messages are
wrapped): the score never depends on how long a profile name, an ARN or a path is. Only a blank
line bounds a slot, so that the words of one message are not taken from another paragraph.

This is a chaining dynamic programme over the paste positions of the phrase's words (found
through `Tokens.where`), not a scan of the paste: its cost grows with how often the phrase's
words occur, which the matcher's index keeps small. rapidfuzz's scorers were the first choice
(they compare token sequences too), but a free gap at a slot is not something their alignments
can express: `partial_ratio` scores one window as long as the phrase, so a long slot value
pushes the phrase's last words out of it.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, replace

from awsmedic.kb.phrases import NEGATED, STOPWORDS, Phrase, Slot, word_of
from awsmedic.model import Record

#: How far before a word of the paste (in characters) the negation a phrase has before that
#: word must stand: "not found", "could not be found", "doesn't exist", "No region".
NEGATION_REACH = 24
INSERTION_COST = 0.5
MAX_INSERTIONS = 3
#: Slot values longer than this are cut (they end up in facts, steps and transcripts).
MAX_SLOT_VALUE = 512

_TOKEN = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True, repr=False, eq=False)
class Tokens(Record):
    """A paste's meaningful words in order, with where each stands in `text`."""

    text: str
    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    lines: tuple[int, ...]
    paragraphs: tuple[int, ...]  # blank lines separate paragraphs
    where: dict[str, list[int]]  # word -> its positions, ascending
    line_starts: tuple[int, ...]

    @classmethod
    def of(cls, lines: list[str]) -> Tokens:
        text = "\n".join(lines)
        words: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        numbers: list[int] = []
        paragraphs: list[int] = []
        paragraph = 0
        where: dict[str, list[int]] = {}
        line_starts: list[int] = []
        offset = 0
        for number, line in enumerate(lines):
            line_starts.append(offset)
            if not line.strip():
                paragraph += 1
            for found in _TOKEN.finditer(line):
                word = word_of(found.group(0))
                if word is None:
                    continue
                where.setdefault(word, []).append(len(words))
                words.append(word)
                starts.append(offset + found.start())
                ends.append(offset + found.end())
                numbers.append(number)
                paragraphs.append(paragraph)
            offset += len(line) + 1
        return cls(
            text,
            tuple(words),
            tuple(starts),
            tuple(ends),
            tuple(numbers),
            tuple(paragraphs),
            where,
            tuple(line_starts),
        )

    def line_bounds(self, position: int) -> tuple[int, int]:
        """Start and end offsets of the line that holds word `position`."""
        start = self.line_starts[self.lines[position]]
        end = self.text.find("\n", start)
        return start, len(self.text) if end < 0 else end


@dataclass(frozen=True, repr=False, eq=False)
class Alignment(Record):
    """A phrase's words found in order in the paste, and its score."""

    phrase: Phrase
    score: float  # 0-100
    found: tuple[tuple[int, int], ...]  # (word index in the phrase, position in the paste)


def align(phrase: Phrase, tokens: Tokens) -> Alignment | None:
    """The best in-order placement of the phrase's words in the paste, or None if no word
    of it occurs."""
    occurrences = sorted(
        (position, index)
        for index, word in enumerate(phrase.words)
        for position in tokens.where.get(word, ())
    )
    if not occurrences:
        return None
    chains = _Chains(phrase, tokens)
    for position, index in occurrences:
        chains.extend(position, index)
    top = max(range(len(chains.scores)), key=chains.scores.__getitem__)
    found: list[tuple[int, int]] = []
    match = top
    while match >= 0:
        found.append((occurrences[match][1], occurrences[match][0]))
        match = chains.back[match]
    score = 100.0 * chains.scores[top] / len(phrase.words)
    return Alignment(phrase, score, tuple(reversed(found)))


class _Chains:
    """The chaining programme: for each occurrence of a phrase word (in paste order), the best
    chain of found words ending on it (`scores`) and the occurrence before it (`back`)."""

    def __init__(self, phrase: Phrase, tokens: Tokens) -> None:
        count = len(phrase.words)
        segment = phrase.segment
        self.tokens = tokens
        #: Words before this one's segment: a slot lies between them and it.
        self.first_of_segment = [segment.index(segment[i]) for i in range(count)]
        self.reach = count + MAX_INSERTIONS + 1
        # Per word of the phrase, chains ending on it, best first, for slot gaps (a monotonic
        # queue: only chains from the same paragraph can continue over a slot).
        self.by_word: list[deque[tuple[int, float, int]]] = [deque() for _ in range(count)]
        self.recent: deque[tuple[int, int, float, int]] = deque()  # (position, word, score, id)
        self.pending: list[tuple[int, int, float, int]] = []
        self.scores: list[float] = []
        self.back: list[int] = []
        self.negated = phrase.negated or (False,) * count
        self.positions: list[int] = []  # the paste position of each chain end

    def extend(self, position: int, index: int) -> None:
        if self.pending and self.pending[0][0] != position:
            self._publish()
        while self.recent and self.recent[0][0] < position - self.reach:
            self.recent.popleft()
        # On a tie the first wins: a chain of its own over a longer one, a word before a slot
        # over a nearby one.
        best, previous = 1.0, -1
        for score, match in (self._over_slot(position, index), self._nearby(position, index)):
            if score > best:
                best, previous = score, match
        if self.negated[index] and not self._negation_before(position, previous):
            # The phrase says "not" here and the paste does not: the word is not found.
            best -= 1.0
        self.pending.append((position, index, best, len(self.scores)))
        self.scores.append(best)
        self.back.append(previous)
        self.positions.append(position)

    def _negation_before(self, position: int, previous: int) -> bool:
        """Whether a negation stands shortly before paste word `position` (after the chain's
        word before it, if any; a wrapped line may come between)."""
        tokens = self.tokens
        start = tokens.starts[position]
        floor = start - NEGATION_REACH
        if previous >= 0:
            floor = max(floor, tokens.ends[self.positions[previous]])
        return NEGATED.search(tokens.text, floor, start) is not None

    def _over_slot(self, position: int, index: int) -> tuple[float, int]:
        """The best chain ending on a word before a slot that lies before `index`: any
        distance, within the paragraph."""
        paragraph = self.tokens.paragraphs[position]
        best: tuple[float, int] = (0.0, -1)
        for word in range(self.first_of_segment[index]):
            queue = self.by_word[word]
            while queue and queue[0][0] < paragraph:
                queue.popleft()
            if queue and queue[0][1] + 1.0 > best[0]:
                best = (queue[0][1] + 1.0, queue[0][2])
        return best

    def _nearby(self, position: int, index: int) -> tuple[float, int]:
        """The best chain ending on a word of the same segment: as many paste words between
        as phrase words skipped, and a few more at a cost."""
        best: tuple[float, int] = (0.0, -1)
        for at, word, score, match in self.recent:
            if not self.first_of_segment[index] <= word < index or at >= position:
                continue
            extra = (position - at - 1) - (index - word - 1)
            if extra > MAX_INSERTIONS:
                continue
            candidate = score + 1.0 - INSERTION_COST * max(0, extra)
            if candidate > best[0]:
                best = (candidate, match)
        return best

    def _publish(self) -> None:
        """Make the chains ending at one paste position available to later positions (never
        to the same one: a word of the paste stands for one word of the phrase)."""
        for item in self.pending:
            position, index, score, match = item
            self.recent.append(item)
            queue = self.by_word[index]
            # A later chain that is better outlives an earlier one in every window; of equal
            # ones the earlier stays first: a slot's value may hold the phrase's words (a
            # `user/` in an ARN after `User:`), the words around it come first and last.
            while queue and queue[-1][1] < score:
                queue.pop()
            queue.append((self.tokens.paragraphs[position], score, match))
        self.pending.clear()


@dataclass(frozen=True, repr=False, eq=False)
class SlotValue(Record):
    """What one slot stood for: its text, where it stands in `Tokens.text`, and whether both of
    its ends are known (words found on both sides, or a closing mark found behind it)."""

    slot: Slot
    value: str
    start: int
    end: int
    delimited: bool


def slots_found(alignment: Alignment, tokens: Tokens) -> list[SlotValue]:
    """The slots of an alignment whose neighbouring words were found, with their values."""
    at = dict(alignment.found)
    found: list[SlotValue] = []
    count = len(alignment.phrase.words)
    for slot in alignment.phrase.slots:
        left, right = at.get(slot.after - 1), at.get(slot.after)
        if left is not None and right is not None:
            start, end = tokens.ends[left], tokens.starts[right]
        elif left is not None and slot.after == count:
            start, end = tokens.ends[left], tokens.line_bounds(left)[1]
        elif right is not None and slot.after == 0:
            start, end = tokens.line_bounds(right)[0], tokens.starts[right]
        else:
            continue
        cut = _cut(tokens.text[start:end], slot, count)
        if cut is not None:
            value, offset, closed = cut
            delimited = closed or (left is not None and right is not None)
            found.append(
                SlotValue(slot, value, start + offset, start + offset + len(value), delimited)
            )
    return found


def slot_values(alignment: Alignment, tokens: Tokens) -> dict[str, str]:
    """The text each named slot stood for, where the words around it were found."""
    values: dict[str, str] = {}
    for found in slots_found(alignment, tokens):
        value = found.value
        if found.slot.name in NAME_SLOTS and not _enclosed(alignment, tokens, found.slot):
            value = _name_of(value)
        if found.slot.name and value.strip():
            values.setdefault(found.slot.name, value[:MAX_SLOT_VALUE])
    return values


def _name_of(value: str) -> str:
    """A name slot's value without the words around it that carry no meaning (`profile foo is
    not found`: the value runs to `not`, the name is `foo`)."""
    parts = value.split()
    while len(parts) > 1 and parts[-1].lower() in STOPWORDS:
        parts.pop()
    while len(parts) > 1 and parts[0].lower() in STOPWORDS:
        parts.pop(0)
    return " ".join(parts) if len(parts) != len(value.split()) else value


def _literal(text: str, *, tail: bool = False) -> str:
    """A regular expression for the literal text beside a slot: its punctuation as written,
    any spacing, its words if the paste has them. Behind a slot (`tail`), other words may
    follow too, up to the next word that was found: the stop words a paste words differently
    (`does not`, `doesn't`)."""
    parts = []
    for piece in re.findall(r"[A-Za-z0-9]+|\s+|[^A-Za-z0-9\s]", text):
        if piece.isspace():
            parts.append(r"\s*")
        elif piece[0].isalnum():
            parts.append(rf"(?:{re.escape(piece)}\b)?")
        else:
            parts.append(re.escape(piece))
    if tail:
        parts.append(r"[\w'\s]*")
    return "".join(parts)


def _cut(raw: str, slot: Slot, words: int) -> tuple[str, int, bool] | None:
    """(the value, where it starts in `raw`, whether a closing mark behind it was found)."""
    if len(raw) > 2 * MAX_SLOT_VALUE:  # bounded work: such a value is cut short anyway
        stripped = raw.strip()
        return stripped, raw.find(stripped), False
    before = _literal(slot.before) if slot.after > 0 else ""
    closing = slot.behind.strip()
    if slot.after == words:  # the last part of a phrase: its value runs to the end of the line
        rest = rf"{_literal(closing)}(?:\s.*)?" if closing else r"\s*"
        pattern = rf"\s*{before}(?P<value>.*?){rest}"
    else:
        # Other words behind the slot only where punctuation ends the value: a value is never
        # cut at a word of its own.
        tail = re.search(r"[^\w\s]", slot.behind) is not None
        pattern = rf"\s*{before}(?P<value>.*?){_literal(slot.behind, tail=tail)}"
    found = re.fullmatch(pattern, raw, re.IGNORECASE | re.DOTALL)
    if found is not None:
        # Blank between its marks (`The config profile ( ) could not be found`): no value, not
        # the words around it.
        if not found.group("value").strip():
            return None
        return found.group("value"), found.start("value"), bool(closing)
    stripped = raw.strip().strip("\"'`()[]<>{}:,;").strip()
    return (stripped, raw.find(stripped), False) if stripped else None


#: Slots whose value is a name: a profile, an SSO session, a role, an account, a bucket, an
#: identity (not a region: a region with blanks in it, `us east 1`, is itself the error). Such
#: a value never holds a blank (botocore reads `[profile a b]` as no profile at all), so where
#: the paste does not enclose it in the quotes or brackets the phrase has around it, a
#: placement that needs blanks in it has put the phrase's words in the wrong place: "Profile
#: {profile} not found" is no match for "instance profile metadata server (... 404 Not
#: Found)", nor "Identity '{identity_id}' not found." for "get identity: ... no EC2 IMDS role
#: found".
NAME_SLOTS = frozenset(
    {
        "profile",
        "source_profile",
        "sso_session",
        "role_name",
        "role_arn",
        "account_id",
        "account",
        "bucket",
        "identity_id",
        "identity_pool_id",
        "mfa_serial",
        "db_user",
        "action",
    }
)
_ENCLOSING = {"(": ")", "[": "]", "{": "}", "'": "'", '"': '"', "`": "`", "<": ">"}


def _name_shaped(value: str) -> bool:
    """Whether a value is one run without blanks, once the words that carry no meaning are
    left out (`profile foo is not found`: the value runs to `not`)."""
    return sum(1 for part in value.split() if part.lower() not in STOPWORDS) <= 1


def _enclosed(alignment: Alignment, tokens: Tokens, slot: Slot) -> bool:
    """Whether the paste, between the words found around a slot, has the marks the phrase
    encloses it in: the literal before the slot first (`(`, `'`), its closing mark after it.
    Read on the paste, not on the value: a very long value is cut crudely."""
    opener = slot.before.rstrip()[-1:]
    closer = _ENCLOSING.get(opener)
    at = dict(alignment.found)
    left, right = at.get(slot.after - 1), at.get(slot.after)
    if closer is None or left is None or right is None:
        return False
    span = tokens.text[tokens.ends[left] : tokens.starts[right]]
    lead = "".join(slot.before.split())
    begin = len(span) - len(span.lstrip())
    head = "".join(span[begin : begin + 2 * len(slot.before) + 2].split())
    return head.startswith(lead) and span.rfind(closer) > begin


def _bad_names(alignment: Alignment, tokens: Tokens) -> list[Slot]:
    """The name slots, between words found on both sides, whose values are no names."""
    at = dict(alignment.found)
    bad = []
    for found in slots_found(alignment, tokens):
        slot = found.slot
        inside = at.get(slot.after - 1) is not None and at.get(slot.after) is not None
        if slot.name not in NAME_SLOTS or not inside:
            continue
        if not _name_shaped(found.value) and not _enclosed(alignment, tokens, slot):
            bad.append(slot)
    return bad


def _closer(alignment: Alignment, tokens: Tokens, slot: Slot) -> Alignment | None:
    """The alignment with the word before `slot` taken from a later place, nearer the word
    after it, where that makes the slot's value a name: the chain takes the first of equal
    places, and a log that names the profile twice ("Profile deploy has a role ARN ...
    Profile deploy has an invalid source profile base") has the right one second. Only a word
    that starts its part of the phrase moves: no word before it must stay close to it."""
    phrase = alignment.phrase
    left = slot.after - 1
    if left > 0 and phrase.segment[left] == phrase.segment[left - 1]:
        return None
    at = dict(alignment.found)
    start, end = at[left], at[slot.after]
    floor = max((position for index, position in at.items() if index < left), default=-1)
    for place in reversed(tokens.where.get(phrase.words[left], ())):
        if not start < place < end or place <= floor:
            continue
        if tokens.paragraphs[place] != tokens.paragraphs[end]:
            break
        trial = replace(
            alignment,
            found=tuple((i, place if i == left else p) for i, p in alignment.found),
        )
        if slot not in _bad_names(trial, tokens):
            return trial
    return None


def shaped(alignment: Alignment, tokens: Tokens) -> Alignment:
    """The alignment, one word's worth lower for each name slot whose value holds a blank
    where the paste does not enclose it (`NAME_SLOTS`): between words found on both sides.
    Where a later place of the word before the slot gives it a name, that place is taken."""
    phrase = alignment.phrase
    if not any(slot.name in NAME_SLOTS for slot in phrase.slots):
        return alignment
    wrong = 0
    for slot in _bad_names(alignment, tokens):
        moved = _closer(alignment, tokens, slot)
        if moved is not None:
            alignment = moved
        else:
            wrong += 1
    if not wrong:
        return alignment
    return replace(alignment, score=alignment.score - wrong * 100.0 / len(phrase.words))
