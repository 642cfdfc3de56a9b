"""`kb check` for steps: every condition names what exists, and every command is safe to paste.

- Conditions: findings of some probe (or text signals), facts a probe or the context provides
  (or placeholders), the fixed vocabularies of `os:`, `host:` and `cli:`, tools of tools.toml,
  questions of the trees with one of their answers; `edit:` names a finding some probe
  reports an edit for.
- Commands: a placeholder is never inside quotes (it is quoted for the shell when filled), a
  command holds no hand-written `<value>` (use a placeholder, which is filled or explained),
  a command that only AWS CLI v2 has sits under a condition that is false with `cli:v1` (or
  in a step that first links the version 2 installer), and
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
#: A step that has AWS CLI v1 users install version 2 first (its installer's page) may show
#: what to run with it: with version 1 installed, that command is the next thing to do.
_INSTALLS_V2 = "https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"


def installs_v2_first(text: str, command: str) -> bool:
    """The step links the version 2 installer before it shows `command`."""
    link, shown = text.find(_INSTALLS_V2), text.find(command)
    return link >= 0 and (shown < 0 or link < shown)


#: Commands whose output holds a secret key, token or password (the same list as
#: tests/unit/test_cause_commands.py, which checks the cause files on its own).
SECRET_OUTPUT = re.compile(
    r"aws\s+sts\s+(?:assume-role(?:-with-saml|-with-web-identity)?|get-session-token"
    r"|get-federation-token)\b"
    r"|aws\s+sso\s+get-role-credentials\b"
    r"|aws\s+configure\s+export-credentials\b"
    r"|aws\s+configure\s+get\s+(?:aws_secret_access_key|aws_session_token|aws_security_token)\b"
    r"|aws\s+iam\s+create-access-key\b"
    r"|aws\s+ecr(?:-public)?\s+get-login-password\b"
    r"|aws\s+rds\s+generate-db-auth-token\b"
    r"|aws\s+(?:ecr|codeartifact)\s+get-authorization-token\b"
    r"|\bprintenv\s+AWS_(?:SECRET|SESSION|SECURITY)"
    r"|\becho\s+\"?\$\{?AWS_(?:SECRET|SESSION|SECURITY)"
)
#: What may take such output out of sight: into the environment or another program.
_CONSUMERS = re.compile(
    r"\|\s*(?:Invoke-Expression|iex)\b|--password-stdin|\|\s*\{\s*read\b|\|\s*while\s+read\b",
    re.IGNORECASE,
)
_QUERY = re.compile(r"--query\s+(\"[^\"]*\"|'[^']*'|\S+)")
_SECRET_FIELD = re.compile(r"Secret|Token|Password|^[\"']?Credentials[\"']?$", re.IGNORECASE)
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
    """Whether `code[index]` is inside quotes; `$(...)` starts a fresh quoting context even
    inside double quotes, as the shell parses it."""
    stack = [""]  # the open quote of each nesting level
    escaped = False
    text = code[:index]
    for at, char in enumerate(text):
        quote = stack[-1]
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote != "'" and text.startswith("$(", at):
            stack.append("(")
        elif quote == "(" and char == ")":
            stack.pop()
        elif quote in ("", "(") and char in "'\"":
            stack.append(char)
        elif char == quote and quote in "'\"":
            stack.pop()
    return stack[-1] in ("'", '"')


def _secret_to_terminal(code: str) -> bool:
    """Whether a secret-printing part of `code` prints to the terminal: not captured by
    `$(...)` or `< <(...)`, not consumed by a pipe that hides it, not narrowed by `--query` to
    fields without secrets, and not a `credential_process` value shown as text."""
    for found in SECRET_OUTPUT.finditer(code):
        before, after = code[: found.start()], code[found.end() :]
        if re.search(r"(?:\$|<)\(\s*$", before) or re.search(r"credential_process\s*=\s*$", before):
            continue
        own = re.split(r"\s(?:&&|;|\|\|)\s", after, maxsplit=1)[0]
        if _CONSUMERS.search(own):
            continue
        query = _QUERY.search(own)
        if query and not _SECRET_FIELD.search(query.group(1).strip("\"'")):
            continue
        return True
    return False


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
            v1_excluded = v1_excluded or installs_v2_first(step.text, span.code)
            if V2_ONLY.search(code) and not v1_excluded:
                problems.append(
                    (
                        part.line,
                        f"`{code}` exists only in AWS CLI v2: put it under a condition such as"
                        " 'not cli:v1'",
                    )
                )
    return problems
