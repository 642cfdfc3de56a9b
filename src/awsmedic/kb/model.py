"""The knowledge base as typed, immutable objects (what `kb/load.py` builds from files)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from awsmedic.model import Confidence

#: Keys of a probe node's `next` that match the probe's status rather than a finding.
STATUS_KEYS = frozenset({"ok", "problem", "skipped", "error"})
DEFAULT = "default"
DEFAULT_PRIOR = 10


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a knowledge file."""

    path: Path
    message: str
    line: int | None = None
    #: A warning (an unused cause, say) is reported by `kb check` but does not stop loading.
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        label = "warning: " if self.warning else ""
        return f"{where}: {label}{self.message}"


@dataclass(frozen=True, slots=True)
class Cause:
    id: str
    title: str
    refs: tuple[str, ...]
    why: str
    steps: tuple[str, ...]
    path: Path


@dataclass(frozen=True, slots=True)
class ProbeNode:
    id: str
    probe: str
    next: tuple[tuple[str, str], ...]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class TextNode:
    id: str
    next: tuple[tuple[str, str], ...]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class QuestionNode:
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


@dataclass(frozen=True, slots=True)
class CauseNode:
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


@dataclass(frozen=True, slots=True)
class Hint:
    pattern: re.Pattern[str]
    boost: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Tree:
    id: str
    title: str
    codes: tuple[str, ...]
    phrases: tuple[str, ...]
    start: str
    nodes: Mapping[str, Node]
    path: Path
    priors: Mapping[str, int] = field(default_factory=dict)
    hints: tuple[Hint, ...] = ()

    def probes(self) -> tuple[str, ...]:
        return tuple(n.probe for n in self.nodes.values() if isinstance(n, ProbeNode))

    def causes(self) -> tuple[str, ...]:
        return tuple(
            dict.fromkeys(n.cause for n in self.nodes.values() if isinstance(n, CauseNode))
        )

    def questions(self) -> tuple[QuestionNode, ...]:
        return tuple(n for n in self.nodes.values() if isinstance(n, QuestionNode))


@dataclass(frozen=True, slots=True)
class Tool:
    id: str
    title: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Knowledge:
    trees: Mapping[str, Tree]
    causes: Mapping[str, Cause]
    tools: tuple[Tool, ...]
    signals: Mapping[str, tuple[re.Pattern[str], ...]]
    dirs: tuple[Path, ...]
