"""Conditions on steps: `<!-- if: env-keys-set and not os:windows -->` in a cause file.

A condition is a small boolean expression over what a diagnosis knows:

    condition := term ("or" term)*
    term      := factor ("and" factor)*
    factor    := "not" factor | "(" condition ")" | atom
    atom      := finding                 a finding code of a probe, or a text signal
               | code:ErrorCode          the error code is in the paste
               | fact:name[=value]       a fact is known (and has this value)
               | os:linux|macos|windows  the operating system awsmedic runs on
               | host:wsl|docker-desktop|container|vm|linux|macos|windows
               | tool:tool-id            the tool that printed the error (knowledge/tools.toml)
               | cli:v1|v2|none          the AWS CLI installed here (`aws --version`)
               | edit:finding            a probe knows the exact edit for this finding
               | answer:question=value   the answer to a question of the tree

Evaluation is three-valued: what the diagnosis could not find out (a probe that did not run,
a tool it did not recognise) is unknown, and a step whose condition is unknown is shown, after
the steps whose condition is known to hold. Only a condition known to be false hides a step.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from awsmedic.model import Record

#: The values of the kinds whose vocabulary is fixed here.
OS_VALUES = frozenset({"linux", "macos", "windows"})
HOST_VALUES = frozenset({"wsl", "docker-desktop", "container", "vm", "linux", "macos", "windows"})
CLI_VALUES = frozenset({"v1", "v2", "none"})
KINDS = frozenset({"code", "fact", "os", "host", "tool", "cli", "edit", "answer"})
#: Kinds with one value at a time: `os:linux` holding means `os:windows` does not.
SINGLE_VALUED = frozenset({"os", "host", "tool", "cli"})

_TOKEN = re.compile(r"\(|\)|[^\s()]+")
_FINDING = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")

#: True, False, or None for unknown.
Truth = bool | None


class ConditionError(ValueError):
    """A condition that does not parse; the message says where."""


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Atom(Record):
    """One condition: a finding, or `kind:name` (`os:linux`, `fact:region`)."""

    kind: str  # "finding", or one of KINDS
    name: str
    value: str = ""

    def __str__(self) -> str:
        if self.kind == "finding":
            return self.name
        return f"{self.kind}:{self.name}" + (f"={self.value}" if self.value else "")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Not(Record):
    """Holds when its operand does not."""

    operand: Condition


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AllOf(Record):
    """Holds when every operand does."""

    operands: tuple[Condition, ...]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AnyOf(Record):
    """Holds when one operand does."""

    operands: tuple[Condition, ...]


Condition = Atom | Not | AllOf | AnyOf


def _atom(token: str) -> Atom:
    kind, sep, rest = token.partition(":")
    if not sep:
        if not _FINDING.match(token):
            raise ConditionError(f"'{token}' is not a finding code (kebab-case)")
        return Atom("finding", token)
    if kind not in KINDS:
        raise ConditionError(f"unknown kind '{kind}:' in '{token}'")
    name, eq, value = rest.partition("=")
    if not name or not _NAME.match(name) or (eq and not _NAME.match(value)):
        raise ConditionError(f"'{token}' is not {kind}:name" + ("=value" if eq else ""))
    if kind == "answer" and not eq:
        raise ConditionError(f"'{token}' needs a value: answer:question=value")
    if eq and kind not in ("fact", "answer"):
        raise ConditionError(f"'{token}': only fact: and answer: take '=value'")
    return Atom(kind, name, value)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _TOKEN.findall(text)
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise ConditionError("the condition ends too early")
        self.at += 1
        return token

    def condition(self) -> Condition:
        terms = [self.term()]
        while self.peek() == "or":
            self.take()
            terms.append(self.term())
        return terms[0] if len(terms) == 1 else AnyOf(tuple(terms))

    def term(self) -> Condition:
        factors = [self.factor()]
        while self.peek() == "and":
            self.take()
            factors.append(self.factor())
        return factors[0] if len(factors) == 1 else AllOf(tuple(factors))

    def factor(self) -> Condition:
        token = self.take()
        if token == "not":  # noqa: S105 (a keyword, not a password)
            return Not(self.factor())
        if token == "(":  # noqa: S105
            inner = self.condition()
            if self.peek() != ")":
                raise ConditionError("a '(' is not closed")
            self.take()
            return inner
        if token in (")", "and", "or"):
            raise ConditionError(f"'{token}' where a finding or a kind:value was expected")
        return _atom(token)


def parse(text: str) -> Condition:
    """The condition written in `text`; ConditionError when it does not parse."""
    parser = _Parser(text)
    if parser.peek() is None:
        raise ConditionError("the condition is empty")
    found = parser.condition()
    if parser.peek() is not None:
        raise ConditionError(f"unexpected '{parser.peek()}'")
    return found


def atoms(condition: Condition) -> Iterator[Atom]:
    """Every atom, in the order written (for validation)."""
    if isinstance(condition, Atom):
        yield condition
    elif isinstance(condition, Not):
        yield from atoms(condition.operand)
    else:
        for operand in condition.operands:
            yield from atoms(operand)


def evaluate(condition: Condition, atom_truth: Callable[[Atom], Truth]) -> Truth:
    """Kleene's three-valued logic: unknown stays unknown unless the other side decides."""
    if isinstance(condition, Atom):
        return atom_truth(condition)
    if isinstance(condition, Not):
        inner = evaluate(condition.operand, atom_truth)
        return None if inner is None else not inner
    values = [evaluate(operand, atom_truth) for operand in condition.operands]
    decisive = isinstance(condition, AnyOf)  # True decides an "or", False decides an "and"
    if decisive in values:
        return decisive
    return None if None in values else not decisive


def excludes(condition: Condition, atom: Atom) -> bool:
    """Whether the condition is false whenever `atom` holds, whatever else is true (for
    `kb check`: a command only AWS CLI v2 has must sit under a condition false with `cli:v1`)."""

    def truth(candidate: Atom) -> Truth:
        if candidate == atom:
            return True
        if candidate.kind == atom.kind in SINGLE_VALUED and candidate.name != atom.name:
            return False
        return None

    return evaluate(condition, truth) is False
