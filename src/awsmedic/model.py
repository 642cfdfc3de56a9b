"""The data that crosses module boundaries: frozen, typed, and safe to print.

Nothing here imports botocore or does I/O, so every other module can use it cheaply.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Record:
    """Equality, hash and repr for the frozen dataclasses a diagnosis imports, written once.

    They behave as the methods `dataclass` writes: equal when of the same class with equal
    compared fields, the hash of those fields, `Name(field=value, ...)` without the fields
    marked `repr=False`. `dataclass` compiles those three for every class on its own, and on
    Python 3.11 that was about 15 ms of every start for some 80 classes. A class declares
    `@dataclass(frozen=True, repr=False, eq=False)` (frozen still writes `__setattr__`) and
    derives from Record; a method of its own (Secret's masked repr) still wins.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = _names(self.__class__, "compare")
        return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in _names(self.__class__, "hash")))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = (f"{n}={getattr(self, n)!r}" for n in _names(self.__class__, "repr"))
        return f"{self.__class__.__qualname__}({', '.join(shown)})"


_NAMES: dict[tuple[type, str], tuple[str, ...]] = {}


def _names(cls: type, role: str) -> tuple[str, ...]:
    """The fields of `cls` that take part in its equality, hash or repr, as dataclass says."""
    names = _NAMES.get((cls, role))
    if names is None:
        every: tuple[Any, ...] = dataclasses.fields(cls)
        if role == "compare":
            names = tuple(f.name for f in every if f.compare)
        elif role == "hash":
            names = tuple(f.name for f in every if (f.compare if f.hash is None else f.hash))
        else:
            names = tuple(f.name for f in every if f.repr)
        _NAMES[(cls, role)] = names
    return names


class Status(enum.StrEnum):
    """How a probe ended."""

    OK = "ok"
    PROBLEM = "problem"
    SKIPPED = "skipped"
    ERROR = "error"


class Unchecked(enum.StrEnum):
    """Why a probe could not check anything: not a finding, and never evidence for a cause."""

    OFFLINE = "offline"  # --offline: the network was not to be used
    UNREACHABLE = "unreachable"  # AWS did not answer: no connection, a timeout, a proxy or TLS
    BUDGET = "budget"  # the diagnosis' time budget ran out before the probe finished
    #: botocore could not build a client from this set-up (a file it cannot parse, a region or
    #: an endpoint URL it refuses, a service it does not know): it names no endpoint to check.
    BOTOCORE = "botocore"
    #: The check needs a credential_process helper run, and the user has not agreed to one
    #: (`consent:creds.process`): botocore would have started the program to sign it.
    CONSENT = "consent"


class Confidence(enum.StrEnum):
    CONFIRMED = "confirmed"
    LIKELY = "likely"
    POSSIBLE = "possible"


class SecretKind(enum.StrEnum):
    ACCESS_KEY_ID = "access-key-id"
    SECRET_KEY = "secret-key"  # noqa: S105 (a label, not a secret)
    SESSION_TOKEN = "session-token"  # noqa: S105
    OTHER = "secret"


MASK_PREFIX = "*" * 16


def mask_key_id(value: str) -> str:
    """Show an access key id the way the AWS CLI's `configure list` does: its last 4 characters."""
    return MASK_PREFIX + value[-4:] if len(value) > 4 else MASK_PREFIX


#: What a URL's password is shown as: `https://user:****@host` (an endpoint override, a proxy).
URL_PASSWORD_MASK = "****"  # noqa: S105 (what is shown in its place)


def url_password(url: str) -> str:
    """The password in a URL's user information (`user:password@host`), with or without a
    scheme (a proxy variable, an endpoint botocore refuses); "" when it has none."""
    rest = url.split("://", 1)[1] if "://" in url else url.lstrip("/")
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    userinfo, at, _ = authority.rpartition("@")
    _, colon, password = userinfo.partition(":")
    return password if at and colon else ""


def mask_url_password(url: str) -> str:
    """The URL as shown: its password (if any) written `****`, its user and host as they are."""
    password = url_password(url)
    if not password:
        return url
    return url.replace(f":{password}@", f":{URL_PASSWORD_MASK}@", 1)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Secret(Record):
    """A credential value that must never be shown.

    Its repr and str are masked, so it can sit in any structure that might get logged; the raw
    value is only reachable through `reveal()`, for botocore calls and for scrubbing output.
    """

    _value: str = field(repr=False)
    kind: SecretKind = SecretKind.OTHER

    def reveal(self) -> str:
        return self._value

    def masked(self) -> str:
        if self.kind is SecretKind.ACCESS_KEY_ID:
            return mask_key_id(self._value)
        return f"<{self.kind.value}:redacted>"

    def __str__(self) -> str:
        return self.masked()

    def __repr__(self) -> str:
        return f"Secret({self.masked()!r})"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Fact(Record):
    """One value a probe learned, and where it came from (like `aws configure list`)."""

    value: str
    source: str = ""
    location: str = ""

    def describe(self) -> str:
        where = ", ".join(part for part in (self.source, self.location) if part)
        return f"{self.value} ({where})" if where else self.value


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Choice(Record):
    """Another value that would also fix an edited line (a choice, best first), and why."""

    after: str
    why: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Edit(Record):
    """One line of a file that a probe knows how to fix: the exact line, and what it should be.

    `before` and `after` are the whole line as shown; on a line that holds a credential value
    they show the value masked, and the command that applies the edit replaces only the line's
    start, its indentation and key (`head_before` -> `head_after`, matched when the separator
    follows), so the value is never written into a command.
    """

    file: str  # as the user writes it: `~/.aws/config`
    line: int  # 1-based
    before: str
    after: str
    finding: str  # the finding this edit fixes
    reason: str  # the evidence: what is wrong with the line
    crlf: bool = False  # the file has Windows line endings (the command keeps them)
    head_before: str = ""  # a credential line: only this start (up to the key) is replaced
    head_after: str = ""
    why: str = ""  # why this `after` (the best of several choices)
    choices: tuple[Choice, ...] = ()  # the other values that would work, best first
    # A new line put before `line`, which itself stays (`after` is then both lines): the
    # section header a file that starts with keys lacks.
    inserted: str = ""


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Evidence(Record):
    """What one probe found. Findings are the kebab-case codes that trees branch on."""

    probe: str
    status: Status
    summary: str
    findings: tuple[str, ...] = ()
    facts: Mapping[str, Fact] = field(default_factory=dict)
    details: tuple[str, ...] = ()
    secrets: tuple[Secret, ...] = field(default=(), repr=False)
    elapsed_ms: int = 0
    #: Lines this probe knows how to fix, each tied to one of its findings.
    edits: tuple[Edit, ...] = ()
    #: Set when the probe could not check (no network, a timeout, out of time): the summary
    #: then says what stopped it, and the evidence decides nothing.
    unchecked: Unchecked | None = None

    def has(self, finding: str) -> bool:
        return finding in self.findings


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TreeMatch(Record):
    """One family the paste matched, with its score (0-100) and how it matched."""

    tree: str
    title: str
    score: int
    #: "code" for an exact error-code hit, "phrase" for a phrase's words, "topic" for a
    #: fallback tree taken because the text is about its subject, "near" for a family that
    #: came close without matching (`Recognition.closest`).
    how: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Recognition(Record):
    """What the matcher made of a paste."""

    matches: tuple[TreeMatch, ...]
    codes: tuple[str, ...]
    signals: frozenset[str]
    tool: str | None
    tool_title: str | None
    facts: Mapping[str, Fact] = field(default_factory=dict)
    truncated: bool = False
    #: Families that came closest, when none matched and a fallback tree was taken.
    closest: tuple[TreeMatch, ...] = ()
    #: What the text looks like instead, when it is not about AWS (MinIO, another cloud, ...).
    lookalike: str | None = None
    #: Families other than the best whose causes the candidates include too, each with its
    #: weight (0-1) next to the best family's 1 (core.match ranks them).
    rivals: tuple[tuple[str, float], ...] = ()
    #: What the failing command's pasted command line set: `profile`, `region`, `endpoint_url`,
    #: each with the option or variable that set it as its location (`--profile`, `AWS_PROFILE`).
    command: Mapping[str, Fact] = field(default_factory=dict)

    @property
    def best(self) -> TreeMatch | None:
        return self.matches[0] if self.matches else None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Question(Record):
    """A question a tree asks when no probe can tell; `id` is what `--answer` names."""

    id: str
    text: str
    choices: tuple[str, ...]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Candidate(Record):
    """A cause still consistent with everything known, with its share of the weight (%)."""

    cause: str
    title: str
    score: int


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StepEdit(Record):
    """The edit a step carries, as the contract shows it (file, line, before, after)."""

    file: str
    line: int
    before: str
    after: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Step(Record):
    """One remediation step: Markdown text (not hard-wrapped), the commands it shows (each
    runnable as printed, values quoted for its shell), and the exact edit it applies, if any.
    `unsure` holds the commands shown only under a condition awsmedic could not decide (a tool
    it did not recognise, a probe that did not run): shown, but not offered as the first thing
    to run. `condition` says how the step's own condition stood: EVIDENCED (it holds because of
    a finding the evidence has: a step for this very case), HOLDS (it holds, by what is known
    to be absent, the OS or the CLI), UNDECIDED (it may apply: shown after those that do), or
    "" (it has none, or it is not known: a step read from a transcript)."""

    text: str
    commands: tuple[str, ...] = ()
    edit: StepEdit | None = None
    # How the steps were chosen, not what they say: a transcript read back does not keep them,
    # so they take no part in equality.
    unsure: tuple[str, ...] = field(default=(), compare=False)
    condition: str = field(default="", compare=False)


#: `Step.condition`: the step's condition holds for a finding present, holds, or could not
#: be decided.
EVIDENCED, HOLDS, UNDECIDED = "evidenced", "holds", "undecided"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Diagnosis(Record):
    """The named cause with its confidence, the evidence lines, why, and the steps."""

    cause: str
    title: str
    confidence: Confidence
    evidence: tuple[str, ...]
    why: str
    steps: tuple[Step, ...]
    refs: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Events: everything that happens in a session, in order. The transcript is a list of these.


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Event(Record):
    """Something that happened in a session, stamped with when."""

    at: datetime


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Pasted(Event):
    """The error text the user gave (`truncated`: cut to the matching limit)."""

    text: str
    truncated: bool = False


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Matched(Event):
    """What the matcher made of the paste."""

    recognition: Recognition


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Probed(Event):
    """A probe ran at a probe node, with its evidence."""

    node: str
    evidence: Evidence


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Branched(Event):
    """A probe or text node chose its way: which finding or signal decided it."""

    node: str
    on: str
    to: str
    #: The probe whose result chose the way (empty for a text node). A probe that already ran
    #: for an earlier node decides this one without a new `Probed` event.
    probe: str = ""


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Asked(Event):
    """A question node asked its question."""

    node: str
    question: Question


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Answered(Event):
    """A question got its answer: from the user, `--answer`, or settled by a finding."""

    node: str
    question: str
    answer: str
    how: str = "user"  # "user", "--answer", or "settled:<finding>"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Concluded(Event):
    """The walk reached a cause: the diagnosis and the remaining candidates."""

    node: str
    diagnosis: Diagnosis
    candidates: tuple[Candidate, ...]
    #: What the walk could not check, and why (one line per check; CONTRACT.md `offline`).
    offline: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Stalled(Event):
    """The walk stopped before a cause: candidates are what is still consistent."""

    node: str
    reason: str
    candidates: tuple[Candidate, ...]
    offline: tuple[str, ...] = ()
    #: The most likely candidate as a diagnosis of possible confidence, so that its steps can
    #: be shown beside the candidates.
    guess: Diagnosis | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class WentBack(Event):
    """The user went back to a question (/back)."""

    to_node: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Restarted(Event):
    """The user started the case again (/restart)."""
