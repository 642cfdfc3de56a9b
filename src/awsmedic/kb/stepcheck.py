"""`kb check` for steps: every condition names what exists, and every command is safe to paste.

- Conditions: findings of some probe (or text signals), facts a probe or the context provides
  (or placeholders), the fixed vocabularies of `os:`, `host:` and `cli:`, tools of tools.toml,
  questions of the trees with one of their answers; `edit:` names a finding some probe
  reports an edit for.
- Commands: a placeholder is never inside quotes (it is quoted for the shell when filled), a
  command holds no hand-written `<value>` (use a placeholder, which is filled or explained),
  a command that only AWS CLI v2 has sits under a condition that is false with `cli:v1`, and
  no command prints a secret key or session token to the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from awsmedic.kb.commands import spans
from awsmedic.kb.conditions import (
    CLI_VALUES,
    HOST_VALUES,
    OS_VALUES,
    AllOf,
    Atom,
    Condition,
    atoms,
    excludes,
)
from awsmedic.kb.placeholders import PLACEHOLDER_RE, PLACEHOLDERS
from awsmedic.kb.steps import StepSource

#: Facts every diagnosis has without a probe (remedy.context_facts) or from the paste.
CONTEXT_FACTS = frozenset(
    {"profile", "credentials_file", "config_file", "os", "host_kind", "error_code"}
)
#: Commands AWS CLI version 1 does not have (aws/aws-cli develop vs v2: customizations/configure,
#: customizations/sso and customizations/login exist in v2 only).
V2_ONLY = re.compile(
    r"(?<![\w-])aws\s+(?:sso\s+(?:login|logout)|login|logout|configure\s+"
    r"(?:list-profiles|sso|sso-session|export-credentials|import|mfa-login))\b"
)
#: Commands whose output holds a secret key or token: fine only when the output goes into a
#: pipe or `$(...)`, never when it lands on the terminal.
SECRET_OUTPUT = re.compile(
    r"\baws\s+(?:sts\s+(?:get-session-token|assume-role(?:-with-[a-z-]+)?|get-federation-token)"
    r"|sso\s+get-role-credentials|configure\s+export-credentials|ecr\s+get-login-password"
    r"|iam\s+create-access-key|configure\s+get\s+(?:aws_secret_access_key|aws_session_token|"
    r"aws_security_token))\b"
)
_LITERAL = re.compile(r"<([a-z][a-z0-9_-]*)>")
_CLI_V1 = Atom("cli", "v1")


@dataclass(frozen=True)
class Vocabulary:
    """What conditions may name."""

    findings: frozenset[str]
    facts: frozenset[str]
    edits: frozenset[str]
    signals: frozenset[str]
    tools: frozenset[str]
    questions: Mapping[str, tuple[str, ...]]


def _atom_problem(atom: Atom, vocabulary: Vocabulary) -> str | None:
    kind, name = atom.kind, atom.name
    if kind == "finding" and name not in vocabulary.findings | vocabulary.signals:
        return f"unknown finding '{name}' (no probe reports it and it is no text signal)"
    if kind == "fact" and name not in vocabulary.facts | PLACEHOLDERS.keys():
        return f"unknown fact '{name}' (no probe provides it)"
    fixed = {"os": OS_VALUES, "host": HOST_VALUES, "cli": CLI_VALUES}.get(kind)
    if fixed is not None and name not in fixed:
        return f"'{atom}': {kind}: is one of {', '.join(sorted(fixed))}"
    if kind == "tool" and name not in vocabulary.tools:
        return f"unknown tool '{name}' (not in tools.toml)"
    if kind == "edit" and name not in vocabulary.edits:
        return f"'{atom}': no probe reports an edit for '{name}'"
    if kind == "answer":
        choices = vocabulary.questions.get(name)
        if choices is None:
            return f"unknown question '{name}'"
        if atom.value not in choices:
            return f"'{atom}': '{atom.value}' is not an answer of '{name}'"
    return None


def _in_quotes(code: str, index: int) -> bool:
    quote = ""
    escaped = False
    for char in code[:index]:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
    return bool(quote)


def _secret_to_terminal(code: str) -> bool:
    found = SECRET_OUTPUT.search(code)
    if found is None:
        return False
    before, after = code[: found.start()], code[found.end() :]
    captured = before.count("$(") > before.count(")")
    piped = "|" in after
    return not (captured or piped)


def command_problems(code: str) -> list[str]:
    problems: list[str] = []
    for found in PLACEHOLDER_RE.finditer(code):
        if found.group(1) in PLACEHOLDERS and _in_quotes(code, found.start()):
            problems.append(
                f"placeholder {found.group(0)} inside quotes in `{code}`: values are quoted for"
                " the shell when filled; write it bare"
            )
    for found in _LITERAL.finditer(code):
        problems.append(
            f"`{code}` holds <{found.group(1)}>: use a placeholder (filled from the evidence, or"
            " explained when nothing knows it)"
        )
    if _secret_to_terminal(code):
        problems.append(f"`{code}` prints a secret key or token to the terminal")
    return problems


def _conditions(step: StepSource) -> Iterable[tuple[Condition, int]]:
    if step.when is not None:
        yield step.when, step.line
    for part in step.parts:
        if part.when is not None:
            yield part.when, part.line
    for finding in step.edits:
        yield Atom("edit", finding), step.line


def step_problems(step: StepSource, vocabulary: Vocabulary) -> list[tuple[int, str]]:
    """(file line, message) for everything wrong in one step."""
    problems: list[tuple[int, str]] = []
    for when, line in _conditions(step):
        for atom in atoms(when):
            problem = _atom_problem(atom, vocabulary)
            if problem:
                problems.append((line, problem))
    for part in step.parts:
        whens = tuple(w for w in (step.when, part.when) if w is not None)
        effective: Condition | None = AllOf(whens) if whens else None
        for span in spans(part.text):
            code = " ".join(span.code.split())
            problems += [(part.line, message) for message in command_problems(code)]
            v1_excluded = effective is not None and excludes(effective, _CLI_V1)
            if V2_ONLY.search(code) and not v1_excluded:
                problems.append(
                    (
                        part.line,
                        f"`{code}` exists only in AWS CLI v2: put it under a condition such as"
                        " 'not cli:v1'",
                    )
                )
    return problems
