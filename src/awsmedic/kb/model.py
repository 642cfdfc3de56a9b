"""The knowledge base as typed, immutable objects (what `kb/load.py` builds from files)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from awsmedic.kb.steps import StepSource
from awsmedic.model import Confidence, Record

if TYPE_CHECKING:
    from awsmedic.kb.conditions import Atom
    from awsmedic.kb.phrases import Phrase

#: Keys of a probe node's `next` that match the probe's status rather than a finding.
STATUS_KEYS = frozenset({"ok", "problem", "skipped", "error"})
DEFAULT = "default"
DEFAULT_PRIOR = 10


@dataclass(frozen=True, repr=False, eq=False)
class Cause(Record):
    """One cause. Its Markdown body is parsed on first use: a diagnosis needs one cause's steps,
    and parsing all of them would cost every start (`kb check` parses them all)."""

    id: str
    title: str
    refs: tuple[str, ...]
    path: Path
    body: str = field(repr=False)
    body_line: int = 1  # the file line the body starts on, for problems
    #: What the Markdown parser made of the body before (`body.Outline`, kept by the knowledge
    #: cache): its steps are then read without the parser.
    outline: tuple[str, tuple[tuple[int, str], ...]] | None = field(
        default=None, repr=False, compare=False
    )

    @functools.cached_property
    def _parsed(self) -> tuple[str, tuple[StepSource, ...]]:
        from awsmedic.errors import KnowledgeError
        from awsmedic.kb.body import parse_body

        why, steps, problems = parse_body(self.body, self.body_line, self.path, self.outline)
        if problems:
            raise KnowledgeError(problems)
        return why, steps

    @property
    def why(self) -> str:
        return self._parsed[0]

    @property
    def steps(self) -> tuple[StepSource, ...]:
        return self._parsed[1]

    def condition_atoms(self) -> tuple[Atom, ...]:
        """Every atom of the steps' conditions, in the order written."""
        from awsmedic.kb.conditions import atoms

        return tuple(
            atom
            for step in self.steps
            for when in (step.when, *(part.when for part in step.parts))
            if when is not None
            for atom in atoms(when)
        )

    def condition_kinds(self) -> frozenset[str]:
        """The kinds of atoms the steps' conditions use (`cli`, `os`, `finding`, ...)."""
        return frozenset(atom.kind for atom in self.condition_atoms())


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ProbeNode(Record):
    """Runs a probe and branches on its findings or status (`next`: key, target)."""

    id: str
    probe: str
    next: tuple[tuple[str, str], ...]
    line: int | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TextNode(Record):
    """Branches on the text signals of the paste (`next`: signal, target)."""

    id: str
    next: tuple[tuple[str, str], ...]
    line: int | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class QuestionNode(Record):
    """Asks a question; a finding in `settled_by` answers it without asking."""

    id: str
    question: str  # the question id, for --answer
    text: str
    answers: tuple[tuple[str, str], ...]
    settled_by: tuple[tuple[str, str], ...] = ()
    line: int | None = None

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(answer for answer, _ in self.answers)

    def target(self, answer: str) -> str | None:
        return dict(self.answers).get(answer)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CauseNode(Record):
    """Concludes a cause with a confidence."""

    id: str
    cause: str
    confidence: Confidence
    line: int | None = None


Node = ProbeNode | TextNode | QuestionNode | CauseNode


def targets(node: Node) -> tuple[str, ...]:
    """The ids of the nodes a node can lead to."""
    if isinstance(node, ProbeNode | TextNode):
        return tuple(target for _, target in node.next)
    if isinstance(node, QuestionNode):
        return tuple(target for _, target in node.answers)
    return ()


@functools.lru_cache(maxsize=8)
def casefolded(text: str) -> str:
    """`text` casefolded, kept for the few texts being matched (each is searched many times).
    A case-insensitive `i` also matches the dotless `ı`, and `İ` casefolds to `i` and a
    combining dot: both become a plain `i`, so that the filter never turns down a match."""
    return text.casefold().replace("\u0131", "i").replace("i\u0307", "i")


#: Shorter literals filter too little to pay for the substring search.
_NEEDLE_MIN = 4


def required_literal(compiled: re.Pattern[str]) -> str | None:
    """The longest run of plain characters that every match of `compiled` contains, casefolded;
    None when there is none worth looking for. Only the top level of the pattern counts: what
    stands inside a group, a repeat or an alternative may be absent from a match."""
    return literal_of(compiled.pattern, compiled.flags)


def literal_of(source: str, flags: int = re.IGNORECASE) -> str | None:
    """`required_literal` of `source` compiled with `flags`, read from the parse alone: a third
    of what compiling costs, so that a pattern whose literal is not in a paste is never
    compiled."""
    items = _parsed(source, flags)
    return None if items is None else _longest_run(items)


def literals_of(source: str, flags: int = re.IGNORECASE) -> tuple[str, ...] | None:
    """Casefolded literals one of which every match of `source` contains, or None: its
    `literal_of`, or, where the pattern or a group every match goes through is a choice
    (`a|b`, `\\b(?:a|b)c`), a literal of each alternative; whichever has the longest shortest
    literal. Read from the parse alone, like `literal_of`."""
    items = _parsed(source, flags)
    return None if items is None else _needles(items)


def _needles(items: list[tuple[Any, Any]]) -> tuple[str, ...] | None:
    from re import _constants  # type: ignore[attr-defined]

    found: list[tuple[str, ...]] = []
    single = _longest_run(items)
    if single is not None:
        found.append((single,))
    for opcode, argument in items:
        inner = None
        if opcode is _constants.SUBPATTERN:  # (group, add flags, remove flags, content)
            inner = _needles(list(argument[-1]))
        elif opcode is _constants.BRANCH:  # (None, [alternative, ...])
            inner = _choice(argument[1])
        if inner is not None:
            found.append(inner)
    return max(found, key=lambda needles: min(map(len, needles))) if found else None


def _choice(alternatives: list[Any]) -> tuple[str, ...] | None:
    """A literal of each alternative; None when one has none."""
    found: list[str] = []
    for alternative in alternatives:
        needles = _needles(list(alternative))
        if needles is None:
            return None
        found.extend(needles)
    return tuple(dict.fromkeys(found))


def _parsed(source: str, flags: int) -> list[tuple[Any, Any]] | None:
    """The top level of `source`'s parse: (opcode, argument) pairs; None when it does not
    parse (a filter is an optimisation: without one, search all)."""
    from re import _parser  # type: ignore[attr-defined]

    try:
        return list(_parser.parse(source, flags))
    except Exception:
        return None


def _longest_run(items: list[tuple[Any, Any]]) -> str | None:
    """The longest run of plain characters among `items`, casefolded; None when it is too short
    to be worth looking for or would not be found casefolded."""
    from re import _constants  # type: ignore[attr-defined]

    best, run = "", ""
    for opcode, argument in items:
        if opcode is _constants.LITERAL:
            run += chr(argument)
            best = max(best, run, key=len)
        else:
            run = ""
    # casefold() may change a run's length (German sharp s): then it is no literal to look for.
    folded = best.casefold()
    if len(best) < _NEEDLE_MIN or len(folded) != len(best) or not folded.isascii():
        return None
    return folded


class Pattern:
    """A case-insensitive regular expression from a knowledge file, compiled on first use: a
    diagnosis evaluates only the patterns of the trees it matched. A pattern that does not
    compile never matches (`kb check` reports it with its file and line)."""

    __slots__ = ("_compiled", "_needles", "_scanned", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None
        self._needles: tuple[str, ...] | None = None
        self._scanned = False  # whether `_needles` have been worked out

    @classmethod
    def with_literals(cls, source: str, needles: tuple[str, ...] | None) -> Pattern:
        """A pattern whose `literals_of` are already known (the knowledge cache keeps them)."""
        pattern = cls(source)
        pattern._needles, pattern._scanned = needles, True
        return pattern

    @property
    def literals(self) -> tuple[str, ...] | None:
        """Casefolded literals one of which every match contains (`literals_of`), or None."""
        if not self._scanned:
            self._needles, self._scanned = literals_of(self.source), True
        return self._needles

    def may_occur_in(self, text: str) -> bool:
        """False when `text` lacks every literal a match needs: no need to search it."""
        needles = self.literals
        if needles is None:
            return True
        folded = casefolded(text)
        if len(needles) == 1:  # most patterns: no generator for one substring search
            return needles[0] in folded
        return any(map(folded.__contains__, needles))

    def compile(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source, re.IGNORECASE)
        return self._compiled

    def search(self, text: str) -> bool:
        """Whether the pattern occurs in `text`. Most patterns (tool wrappers, signals) are
        searched in every paste and match few: the literals one of which every match must
        contain are looked for first, in the casefolded text, which costs a fraction of the
        regular expression (and spares compiling it)."""
        if not self.may_occur_in(text):
            return False
        try:
            compiled = self.compile()
        except re.error:
            return False
        return compiled.search(text) is not None

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"


class BuiltPattern(Pattern):
    """A pattern built on first use by a function: a list that belongs to botocore's data (the
    opt-in regions) is read from there, never copied into a knowledge file."""

    __slots__ = ("_build",)

    def __init__(self, label: str, build: Callable[[], str]) -> None:
        super().__init__(label)
        self._build = build
        self._scanned = True  # no literal filter: the label is not the expression

    def compile(self) -> re.Pattern[str]:
        if self._compiled is None:
            self.source = self._build()
            self._compiled = re.compile(self.source, re.IGNORECASE)
        return self._compiled


#: Text signals whose patterns come from botocore's data, not from a knowledge file.
BUILTIN_SIGNALS = frozenset({"opt-in-region"})


def builtin_signals() -> dict[str, tuple[Pattern, ...]]:
    from awsmedic.aws import regions

    return {"opt-in-region": (BuiltPattern("<opt-in regions>", regions.opt_in_pattern),)}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Hint(Record):
    """Points for causes when something is known. Exactly one of: a `pattern` over the pasted
    text, a text `signal` (by name), a `finding` (of a probe, or a text signal), an `answer`
    (`question-id`, `answer`)."""

    pattern: Pattern | None
    boost: Mapping[str, int]
    signal: str | None = None
    finding: str | None = None
    answer: tuple[str, str] | None = None
    line: int | None = None

    def applies(
        self, text: str, known: frozenset[str], answers: Mapping[str, str] | None = None
    ) -> bool:
        """Whether it applies, given the text, what is known (text signals and findings) and
        the answers given so far."""
        if self.pattern is not None:
            return self.pattern.search(text)
        if self.signal is not None:
            return self.signal in known
        if self.finding is not None:
            return self.finding in known
        if self.answer is not None:
            return (answers or {}).get(self.answer[0]) == self.answer[1]
        return False


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Tree(Record):
    """One error family: how it is recognised (codes, phrases) and its decision nodes."""

    id: str
    title: str
    codes: tuple[str, ...]
    phrases: tuple[str, ...]
    start: str
    nodes: Mapping[str, Node]
    path: Path
    priors: Mapping[str, int] = field(default_factory=dict)
    hints: tuple[Hint, ...] = ()
    #: A fallback tree (no codes, no phrases): taken when no family matches and every one of
    #: these patterns is found in the paste (it is about this tree's subject).
    about: tuple[Pattern, ...] = ()
    #: The phrases compiled (`phrases.tree_phrases`), when the knowledge cache kept them; else
    #: the matcher compiles them.
    compiled: tuple[Phrase, ...] | None = field(default=None, compare=False, repr=False)

    def probes(self) -> tuple[str, ...]:
        return tuple(n.probe for n in self.nodes.values() if isinstance(n, ProbeNode))

    def causes(self) -> tuple[str, ...]:
        return tuple(
            dict.fromkeys(n.cause for n in self.nodes.values() if isinstance(n, CauseNode))
        )

    def questions(self) -> tuple[QuestionNode, ...]:
        return tuple(n for n in self.nodes.values() if isinstance(n, QuestionNode))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Tool(Record):
    """A tool or SDK whose wrapper lines a paste may show, and the commands that run it."""

    id: str
    title: str
    patterns: tuple[Pattern, ...]
    #: Command names that run this tool on a pasted command line (`aws`, `terraform`).
    commands: tuple[str, ...] = ()
    #: Tools whose errors this one prints inside its own lines (Terraform: the Go SDK's).
    wraps: tuple[str, ...] = ()


@dataclass(frozen=True, repr=False, eq=False)
class Lookalike(Record):
    """Text that reads like an AWS authentication error but comes from something else (MinIO,
    another cloud, a GitHub token): found by `patterns`, unless one of `unless` is found."""

    id: str
    title: str  # completes "That looks like ..."
    patterns: tuple[Pattern, ...]
    unless: tuple[Pattern, ...] = ()

    def found_in(self, text: str) -> bool:
        # Only the patterns whose literals are in the paste are searched (`Pattern.search`):
        # one alternation of all of them would be scanned whenever any literal is present
        # ("request id: " is in most pastes), and a long case-insensitive alternation costs more
        # than the few searches left.
        found = any(pattern.search(text) for pattern in self.patterns)
        return found and not any(p.search(text) for p in self.unless)


@dataclass(frozen=True, repr=False, eq=False)
class Knowledge(Record):
    """Every tree, cause, tool, text signal and look-alike, and where they were read."""

    trees: Mapping[str, Tree]
    causes: Mapping[str, Cause]
    tools: tuple[Tool, ...]
    signals: Mapping[str, tuple[Pattern, ...]]
    dirs: tuple[Path, ...]
    lookalikes: tuple[Lookalike, ...] = ()
