"""A cause's steps made to fit this case: only what applies, most likely first, the user's own
values in place (quoted for the shell of each command), and the exact edits probes found.

Pure: everything it needs is in `Situation` (`core/situation.py`: what the walk learned) and
the cause itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from awsmedic.aws.valueshapes import refusal, shown
from awsmedic.core.situation import Situation, holds
from awsmedic.kb.commands import POSIX, POWERSHELL, code_ranges, spans
from awsmedic.kb.conditions import Atom, Condition, Not, Truth
from awsmedic.kb.model import Cause
from awsmedic.kb.placeholders import PLACEHOLDER_RE, PLACEHOLDERS, help_for, one_line
from awsmedic.kb.steps import Part, StepSource, join
from awsmedic.model import EVIDENCED, HOLDS, UNDECIDED, Edit, Step, StepEdit
from awsmedic.safety.shellquote import quote, quote_path

#: Values awsmedic itself composed as a command (hostenv's clock fix): put in as they are.
RAW_IN_COMMANDS = frozenset({"clock_fix"})
#: Values that steps write into code the user runs outside a shell (SQL, a JSON policy): held
#: to their shape there too, as in a command (a pasted `"x; DROP ROLE y"` is no user name).
SHAPED_IN_CODE = frozenset({"db_user", "db_host", "db_instance", "db_cluster", "db_resource_id"})
PATH_VALUES = frozenset(
    {
        "credentials_file",
        "config_file",
        "unreadable_file",
        "unreadable_file_aside",
        "unreadable_inner_file",
        "link_target",
        "colon_file",
    }
)
#: `aws` commands that read the shared files but sign nothing: `--profile` there only names
#: a section, so it stays even when the credentials come from environment variables.
_NOT_SIGNING = re.compile(r"^aws\s+(?:configure|login|logout|sso\s+(?:login|logout))\b")
_PROFILE_OPTION = re.compile(r"[ \t]+--profile(?:[ \t]+|=)(?:\{profile\}|\S+)")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_ASSIGNED = re.compile(r"=\s*$")
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|>|\||<!--)")
#: A code span that is a piece of a command rather than a whole one: an option (`--profile
#: {profile}`) or a variable assignment (`AWS_PROFILE={profile}-process`, PowerShell's
#: `$Env:{profile_variable} = ...`).
#: Case matters for the variable: `region={region}` is a line of ~/.aws/config, not a shell's.
_FRAGMENT = re.compile(r"`+ ?(?:--?[A-Za-z]|[A-Z][A-Z0-9_]*=|(?i:\$Env:))")


def _likely_first(items: Sequence[tuple[bool, Truth]]) -> list[int]:
    """Indexes in showing order: hidden ones out; in each run of conditional items, those
    known to apply before those that only may (unconditional items never move)."""
    order: list[int] = []
    run: list[tuple[int, Truth]] = []

    def flush() -> None:
        order.extend(i for i, truth in run if truth is True)
        order.extend(i for i, truth in run if truth is None)
        run.clear()

    for index, (conditional, truth) in enumerate(items):
        if truth is False:
            continue
        if conditional:
            run.append((index, truth))
        else:
            flush()
            order.append(index)
    flush()
    return order


def unwrap(markdown: str) -> str:
    """Markdown without hard wraps: paragraph and list-item lines joined, fences kept."""
    out: list[str] = []
    fence = ""
    joinable = False
    for line in markdown.split("\n"):
        if fence:
            out.append(line)
            if line.strip().startswith(fence):
                fence, joinable = "", False
            continue
        opened = _FENCE.match(line)
        if opened:
            fence = opened.group(1)[0] * len(opened.group(1))
            out.append(line)
            joinable = False
        elif not line.strip():
            out.append("")
            joinable = False
        elif joinable and not _BLOCK_START.match(line):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line.rstrip())
            joinable = True
    return "\n".join(out)


@dataclass
class _Filling:
    """Placeholder values for one step, and what stayed a placeholder (and why)."""

    values: Mapping[str, str]
    shell: str
    missing: dict[str, str] = field(default_factory=dict)  # name -> why it is not filled
    filled: set[str] = field(default_factory=set)  # names filled with a value

    def _value(self, name: str, shell: str | None, expression: bool = False) -> str:
        value = one_line(name, self.values.get(name, ""))
        if not value:
            self.missing.setdefault(name, "")
            return f"<{name}>"
        self.filled.add(name)
        called = refusal(name, value) if shell is not None or name in SHAPED_IN_CODE else None
        if called is not None:
            self.missing[name] = f"the value found, {_literal(shown(value))}, is not {called}"
            return f"<{name}>"
        if shell is None:  # prose: inside code spans, a backtick would end the span
            return value.replace("`", "'")
        if name in RAW_IN_COMMANDS:
            return value
        if name in PATH_VALUES:
            return quote_path(value, shell, expression=expression)
        return quote(value, shell, expression=expression)

    def text(self, text: str, shell: str) -> str:
        """A command filled in, every value quoted for `shell` (or refused)."""

        def replace(found: re.Match[str]) -> str:
            name = found.group(1)
            if name not in PLACEHOLDERS:
                return found.group(0)
            # PowerShell: on the right of `=` a value is an expression, not an argument.
            expression = bool(_ASSIGNED.search(text, 0, found.start()))
            return self._value(name, shell, expression)

        return PLACEHOLDER_RE.sub(replace, text)

    def prose(self, text: str, start: int, end: int, code: Sequence[tuple[int, int]]) -> str:
        """`text[start:end]`, Markdown that is not a command, filled in. `code`: where `text`
        is code (`code_ranges`). There a value is written as it is, on one line and without
        backticks, so it cannot end the span. Anywhere else it becomes a code span of its own:
        a value is data from this machine or the paste, and as Markdown a region such as
        `eu-west-1 [Open the console](https://evil.example)` would be a live link in an
        export; an unfilled `<region>` would be read as an HTML tag and vanish."""

        def replace(found: re.Match[str]) -> str:
            name = found.group(1)
            if name not in PLACEHOLDERS:
                return found.group(0)
            at = start + found.start()
            span = next(((s, e) for s, e in code if s <= at < e), None)
            if span is None:
                return _literal(self._value(name, None))
            if _FRAGMENT.match(text, span[0]):
                # An option or a variable to add to a command: the user types it into a
                # shell, so the value is quoted or refused as in a command (a profile named
                # `dev;touch /tmp/x` must not be written after `--profile` as it is).
                return self._value(name, self.shell)
            return self._value(name, None)

        return PLACEHOLDER_RE.sub(replace, text[start:end])


def _command(code: str, shell: str, situation: Situation, filling: _Filling) -> str:
    code = " ".join(code.split())
    env_keys = situation.fact("credential_source") == "env"
    if env_keys and code.startswith("aws ") and not _NOT_SIGNING.match(code):
        # `--profile` makes the CLI skip the environment keys that are the case here.
        code = _PROFILE_OPTION.sub("", code)
    if shell != POWERSHELL and situation.shell == POWERSHELL:
        shell = POWERSHELL  # `aws ...` typed into PowerShell on Windows
    return filling.text(code, shell)


def _fill(text: str, situation: Situation, filling: _Filling) -> tuple[str, list[str]]:
    """The step's Markdown filled in, and its commands."""
    out: list[str] = []
    commands: list[str] = []
    code = code_ranges(text)
    position = 0
    for span in spans(text):
        out.append(filling.prose(text, position, span.start, code))
        command = _command(span.code, span.shell, situation, filling)
        out.append(command)
        commands.append(command)
        position = span.end
    out.append(filling.prose(text, position, len(text), code))
    return "".join(out), list(dict.fromkeys(commands))


#: A parenthesis of prose, without another inside it (`(here `{region}`)`).
_ASIDE = re.compile(r"[ \t]?\(((?:[^()\n]|\n(?![ \t]*\n))*)\)")


def fill_prose(markdown: str, values: Mapping[str, str]) -> str:
    """Markdown without commands to quote (a cause's Why) filled in as steps are: values in a
    code span as they are, values elsewhere as code spans of their own. An aside in parentheses
    that names a value nothing here tells is left out: the Why explains, and `<region>` in it
    would tell the reader nothing (a step says where to find such a value)."""

    code = code_ranges(markdown)

    def aside(found: re.Match[str]) -> str:
        if any(start <= found.end(1) < end for start, end in code):
            return found.group(0)  # a quoted message or command: kept as it is
        names = PLACEHOLDER_RE.findall(found.group(1))
        unknown = [n for n in names if n in PLACEHOLDERS and not one_line(n, values.get(n, ""))]
        return "" if unknown else found.group(0)

    markdown = _ASIDE.sub(aside, markdown)
    return _Filling(values, POSIX).prose(markdown, 0, len(markdown), code_ranges(markdown))


def _explained(filling: _Filling) -> str:
    notes = []
    for name, why in filling.missing.items():
        if why:
            notes.append(
                f"`<{name}>`: {why}, so it is not put in the command; use {help_for(name)}."
            )
        else:
            notes.append(f"`<{name}>`: {help_for(name)} (nothing here tells it).")
    return " ".join(notes)


def _edit_text(edit: Edit, shell: str) -> tuple[str, str]:
    from awsmedic.core.editing import apply_command, backup_name, diff

    command = apply_command(edit, shell)
    info = "powershell" if shell == POWERSHELL else "sh"
    lines = [
        diff(edit),
        f"To make this edit (a copy of the file is kept as `{backup_name(edit)}`):",
        f"```{info}\n{command}\n```",
    ]
    if edit.why:
        lines.append("Chosen because " + _literal(edit.why) + ".")
    if edit.choices:
        others = ", ".join(f"{_literal(c.after)} ({c.why})" for c in edit.choices)
        lines.append(f"Other values that would also work, best first: {others}.")
    where = f"{edit.file} line {edit.line}"
    found = edit.reason if where in edit.reason else f"{where}: {edit.reason}"
    lines.append("Found: " + _literal(found))
    return "\n\n".join(lines), command


def _literal(text: str) -> str:
    """Machine text in a code span nothing in it can end."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _parts(source: StepSource, situation: Situation) -> list[Part]:
    truths = [(p.when is not None, holds(p.when, situation)) for p in source.parts]
    order = _likely_first(truths)
    if source.parts and 0 in order:  # the lead stays first
        order.remove(0)
        order.insert(0, 0)
    return [source.parts[i] for i in order]


def _one(
    source: StepSource,
    situation: Situation,
    values: Mapping[str, str],
    edit: Edit | None,
    said: set[str] | None = None,
    unsure_step: bool = False,
    condition: str = "",
) -> Step:
    """One step; `said` holds the values whose origin an earlier step explained already;
    `unsure_step`: the step's own condition could not be decided."""
    filling = _Filling(values, situation.shell)
    parts = _parts(source, situation)
    text, commands = _fill(unwrap(join(parts)), situation, filling)
    if unsure_step:
        unsure = list(commands)
    else:
        sure_parts = [p for p in parts if p.when is None or holds(p.when, situation) is True]
        sure = set(_fill(unwrap(join(sure_parts)), situation, _Filling(values, situation.shell))[1])
        unsure = [c for c in commands if c not in sure]
    step_edit = None
    if edit is not None:
        block, command = _edit_text(edit, situation.shell)
        text = f"{text}\n\n{block}" if text.strip() else block
        commands.insert(0, command)
        step_edit = StepEdit(edit.file, edit.line, edit.before, edit.after)
    note = " ".join(
        part for part in (_explained(filling), _origin(filling, situation, said)) if part
    )
    if note:
        text = f"{text}\n\n{note}"
    return Step(text.strip(), tuple(commands), step_edit, tuple(unsure), condition)


#: Values the steps use that the pasted command line chose: their origin is said once, on the
#: first step that uses them (the user may not have noticed that the paste chose them).
_ORIGIN_SAID = ("profile",)


def _origin(filling: _Filling, situation: Situation, said: set[str] | None) -> str:
    from awsmedic.aws.tfconfig import provider_location

    notes = []
    for name in _ORIGIN_SAID:
        fact = situation.facts.get(name)
        if fact is None or name not in filling.filled:
            continue
        block = provider_location(fact.source)
        if block is None and "pasted command line" not in fact.source:
            continue
        if said is not None:
            if name in said:
                continue
            said.add(name)
        where = (
            fact.source if fact.location in ("", fact.source) else f"{fact.source}, {fact.location}"
        )
        whose = "failing command" if block is None else "Terraform provider"
        notes.append(
            f"{_literal(one_line(name, fact.value))}: the {name} of the {whose} ({block or where})."
        )
    return " ".join(notes)


def _edits_for(source: StepSource, situation: Situation) -> list[Edit]:
    found: dict[tuple[str, int], Edit] = {}
    for finding in source.edits:
        for edit in situation.edits:
            if edit.finding == finding:
                found.setdefault((edit.file, edit.line), edit)
    return list(found.values())


def build(cause: Cause, situation: Situation, values: Mapping[str, str]) -> tuple[Step, ...]:
    """The steps of `cause` for this situation, in the order to try them."""
    return build_steps(cause.steps, situation, values)


def build_steps(
    sources: Iterable[StepSource], situation: Situation, values: Mapping[str, str]
) -> tuple[Step, ...]:
    sources = tuple(sources)
    truths: list[tuple[bool, Truth]] = []
    for source in sources:
        truth = holds(source.when, situation)
        if source.edits and truth is not False:
            truth = bool(_edits_for(source, situation))
        truths.append((source.when is not None or bool(source.edits), truth))
    steps: list[Step] = []
    said: set[str] = set()
    for index in _likely_first(truths):
        source = sources[index]
        conditional, truth = truths[index]
        condition = _condition(source, situation, truth) if conditional else ""
        if source.edits:
            steps += [
                _one(source, situation, values, e, said, condition=EVIDENCED)
                for e in _edits_for(source, situation)
            ]
        else:
            unsure = truth is None
            steps.append(_one(source, situation, values, None, said, unsure, condition))
    return tuple(steps)


#: Atoms that stand for evidence: a finding or text signal, the error's code, an exact edit.
_EVIDENCE_ATOMS = frozenset({"finding", "code", "edit"})


def _condition(source: StepSource, situation: Situation, truth: Truth) -> str:
    """How a conditional step's condition stood (`Step.condition`)."""
    if truth is None:
        return UNDECIDED
    if source.when is not None and any(
        atom.kind in _EVIDENCE_ATOMS and situation.truth(atom) is True
        for atom in _positive_atoms(source.when)
    ):
        return EVIDENCED
    return HOLDS


def _positive_atoms(condition: Condition) -> Iterator[Atom]:
    """The atoms of a condition that are not under a `not`: those whose truth makes it hold."""
    if isinstance(condition, Atom):
        yield condition
    elif not isinstance(condition, Not):
        for operand in condition.operands:
            yield from _positive_atoms(operand)


def placeholders_in(commands: Iterable[str]) -> set[str]:
    """The `<name>` placeholders still in commands (for tests and checks)."""
    return {
        name
        for command in commands
        for name in re.findall(r"<([a-z][a-z0-9_]*)>", command)
        if name in PLACEHOLDERS
    }
