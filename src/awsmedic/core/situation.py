"""What a diagnosis knows when it shows a cause's steps, and the truth of a condition's atoms
in it (`kb/conditions.py`): three-valued, unknown where nothing could tell."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from awsmedic.kb.commands import POWERSHELL
from awsmedic.kb.conditions import Atom, Condition, Truth, evaluate
from awsmedic.model import Edit, Evidence, Fact, Record, Status
from awsmedic.safety.shellquote import POSIX

#: `Situation.tool` where no tool printed anything: `awsmedic check` looks at the set-up itself,
#: so a step for one tool's error (`tool:amplify-js`) is known not to apply, not merely unknown.
NO_TOOL = "(no tool)"


@dataclass(frozen=True, repr=False, eq=False)
class Situation(Record):
    """What a diagnosis knows when it shows the steps."""

    facts: Mapping[str, Fact] = field(default_factory=dict)
    present: frozenset[str] = frozenset()  # findings reported, and the paste's text signals
    decided: frozenset[str] = frozenset()  # findings a probe that ran could have reported
    signals: frozenset[str] = frozenset()  # every text signal the knowledge defines
    tool: str | None = None
    cli: str | None = None  # v1, v2, none; None when not known
    edits: tuple[Edit, ...] = ()
    answers: Mapping[str, str] = field(default_factory=dict)

    def fact(self, name: str) -> str:
        found = self.facts.get(name)
        return found.value if found is not None else ""

    @property
    def os(self) -> str:
        return self.fact("os")

    @property
    def shell(self) -> str:
        """The shell of a command that runs in any shell (`aws ...`): the user's own."""
        return POWERSHELL if self.os == "windows" else POSIX

    def truth(self, atom: Atom) -> Truth:
        kind, name = atom.kind, atom.name
        if kind == "finding":
            if name in self.present:
                return True
            return False if name in self.decided or name in self.signals else None
        if kind == "code":
            return f"code:{name}" in self.present
        if kind == "fact":
            value = self.fact(name)
            if not atom.value:
                return bool(value)
            return (value == atom.value) if value else None
        if kind == "edit":
            return any(edit.finding == name for edit in self.edits)
        if kind == "answer":
            answer = self.answers.get(name)
            return None if answer is None else answer == atom.value
        if kind == "tool" and self.tool == NO_TOOL:
            return False
        known = {
            "os": self.os,
            "host": self.fact("host_kind"),
            "tool": self.tool,
            "cli": self.cli,
        }[kind]
        return (known == name) if known else None


#: The probe that tells the installed AWS CLI's major version, and what its findings mean.
CLI_FINDINGS = {"cli-v1": "v1", "cli-v2": "v2", "cli-missing": "none"}
#: Findings of a skipped probe that say what it looks at is not there (no static keys, no role,
#: no helper): none of its other findings can hold, so a step conditioned on one (the access key
#: "looks swapped") is not shown as if it might apply.
NOTHING_TO_CHECK = frozenset(
    {"no-static-keys", "not-role-profile", "no-long-term-key", "not-process-profile"}
)
#: Findings every diagnosis decides without a probe (remedy.context_findings).
CONTEXT_FINDINGS = frozenset(
    {"credentials-file-missing", "config-file-missing", "endpoint-from-env"}
)


def situation_for(
    evidence: Iterable[Evidence],
    facts: Mapping[str, Fact],
    *,
    signals: frozenset[str] = frozenset(),
    all_signals: frozenset[str] = frozenset(),
    tool: str | None = None,
    answers: Mapping[str, str] | None = None,
    context: bool = True,
) -> Situation:
    """The Situation of a set of probe results: what they found, what they could have found
    (the findings their probes declare), the installed CLI and the edits they know."""
    from awsmedic.probes import spec

    results = list(evidence)
    decided: set[str] = set(CONTEXT_FINDINGS) if context else set()
    for result in results:
        found = spec(result.probe)
        if found is not None and (
            result.status in (Status.OK, Status.PROBLEM) or NOTHING_TO_CHECK & set(result.findings)
        ):
            decided.update(found.findings)
    if _no_helper(results):
        decided.update(HELPER_KEY_FINDINGS)
    if tool not in _equals_only_readers():
        # creds.chain reports `name: value` lines only for a tool that reads `=` alone: for
        # any other tool (or none recognised) that finding cannot hold, run or not.
        decided.add(COLON_FINDING)
    present = {f for result in results for f in result.findings} | signals
    cli = next((CLI_FINDINGS[f] for f in present if f in CLI_FINDINGS), None)
    return Situation(
        facts=facts,
        present=frozenset(present),
        decided=frozenset(decided),
        signals=all_signals,
        tool=tool,
        cli=cli,
        edits=tuple(edit for result in results for edit in result.edits),
        answers=dict(answers or {}),
    )


#: creds.chain's finding of `name: value` lines the failing tool does not read.
COLON_FINDING = "colon-lines-unread"


def _equals_only_readers() -> frozenset[str]:
    from awsmedic.aws.sharedfiles import EQUALS_ONLY

    return frozenset(EQUALS_ONLY)


#: What creds.process says of the key and token a helper prints, which steps of other causes
#: ask about (named here so that settling them imports no probe module).
HELPER_KEY_FINDINGS = ("process-token-with-long-term-key", "process-temporary-key-without-token")


def _no_helper(results: list[Evidence]) -> bool:
    """Whether what ran shows that no credential_process helper supplied the credentials
    (static keys were found, or botocore's chain was won by another provider): the helper's
    findings are then settled, none of them holds, though it never ran."""
    for result in results:
        if result.status not in (Status.OK, Status.PROBLEM):
            continue
        if result.probe == "creds.keys":
            return True
        if result.probe == "creds.chain" and "process-profile" not in result.findings:
            return True
    return False


def holds(when: Condition | None, situation: Situation) -> Truth:
    """A step's or part's condition in this situation (no condition: it applies)."""
    return True if when is None else evaluate(when, situation.truth)
