"""A cause's step as written: its parts, the condition of each, and the edits it carries.

A step is one item of the `## Steps` list. Its Markdown falls into parts: the lead paragraph,
then each further paragraph, each nested list item and each fenced block (a fence stays with
the paragraph it follows when no blank line separates them). A part, or the whole step when
the comment opens the step, is governed by an HTML comment at its start:

    1. <!-- if: not os:windows --> Remove the token: `unset AWS_SESSION_TOKEN`
       - <!-- if: tool:terraform --> Terraform reads the same variables.
    2. <!-- edit: config-section-without-prefix --> Fix the section header.

`if:` takes a condition (`kb/conditions.py`); `edit:` names findings whose exact edits
(file, line, before, after) a probe may report: the step is shown once per such edit, with
the diff and one command that applies it, and is left out when no probe knows one.
Renderers of Markdown do not show HTML comments, so cause files read as plain steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from awsmedic.kb.conditions import Condition, ConditionError, parse
from awsmedic.model import Record

_DIRECTIVE = re.compile(r"^(\s*(?:[-*+]|\d+[.)])?\s*)<!--(.*?)-->[ \t]*", re.DOTALL)
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
DIRECTIVE_KEYS = ("if", "edit")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Part(Record):
    """A piece of a step: its Markdown (directive removed) and its condition."""

    text: str
    when: Condition | None = None
    line: int = 0  # the file line it starts on
    gap: bool = False  # a blank line separates it from the part before


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StepSource(Record):
    """One step of a cause as written: its parts, its condition, the edits it carries."""

    parts: tuple[Part, ...]
    when: Condition | None = None
    edits: tuple[str, ...] = ()  # findings whose edits this step carries
    line: int = 0

    @property
    def text(self) -> str:
        """The step's Markdown with every part, as written (directives removed)."""
        return join(self.parts)


def join(parts: tuple[Part, ...] | list[Part]) -> str:
    out = ""
    for index, part in enumerate(parts):
        if index:
            out += "\n\n" if part.gap else "\n"
        out += part.text
    return out


def _directive(text: str) -> tuple[dict[str, str], str, str] | None:
    """(settings, the text with the comment removed, an error) for a line that opens with one."""
    found = _DIRECTIVE.match(text)
    if found is None:
        return None
    settings: dict[str, str] = {}
    error = ""
    for item in found.group(2).split(";"):
        key, sep, value = item.partition(":")
        key = key.strip()
        if not item.strip():
            continue
        if not sep or key not in DIRECTIVE_KEYS:
            error = (
                f"a step comment holds 'if: <condition>' or 'edit: <finding>', not {item.strip()!r}"
            )
            continue
        settings[key] = value.strip()
    rest = found.group(1) + text[found.end() :]
    return settings, rest, error


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _chunks(lines: list[str]) -> list[tuple[int, list[str], bool]]:
    """(index of the first line, its lines, after a blank line) of each part.

    A part that is a nested list item keeps every line indented deeper than its marker, blank
    lines included, as Markdown does: a fence or a deeper list under an item is the item's."""
    chunks: list[tuple[int, list[str], bool]] = []
    current: list[str] = []
    start, gap, fence, blanks = 0, False, "", 0
    item: int | None = None  # the marker's indentation when the current part is a list item

    def keep(line: str) -> None:
        nonlocal fence
        current.append(line)
        opened = _FENCE.match(line)
        if opened:
            fence = opened.group(1)[0] * len(opened.group(1))

    for index, line in enumerate(lines):
        if fence:
            current.append(line)
            if line.strip().startswith(fence):
                fence = ""
            continue
        if not line.strip():
            blanks += 1 if current else 0
            gap = gap or not current
            continue
        if current and item is not None and _indent(line) > item:
            current.extend([""] * blanks)
            blanks = 0
            keep(line)
            continue
        if current and (blanks or _ITEM.match(line) or _DIRECTIVE.match(line.lstrip())):
            chunks.append((start, current, gap))
            current, gap = [], bool(blanks)
        blanks = 0
        if not current:
            start = index
            item = _indent(line) if _ITEM.match(line) else None
        keep(line)
    if current:
        chunks.append((start, current, gap))
    return chunks


def _condition(text: str, line: int, problems: list[tuple[int, str]]) -> Condition | None:
    try:
        return parse(text)
    except ConditionError as exc:
        problems.append((line, f"condition {text!r}: {exc}"))
        return None


def parse_step(source: str, line: int) -> tuple[StepSource, list[tuple[int, str]]]:
    """A step's Markdown (`line`: where it starts in the file) -> its parts, and problems as
    (line, message)."""
    problems: list[tuple[int, str]] = []
    parts: list[Part] = []
    when: Condition | None = None
    edits: tuple[str, ...] = ()
    for offset, chunk, gap in _chunks(source.split("\n")):
        at = line + offset
        first = chunk[0]
        found = _directive(first)
        part_when: Condition | None = None
        if found is not None:
            settings, first, error = found
            if error:
                problems.append((at, error))
            if not parts:  # the step's own comment
                if "if" in settings:
                    when = _condition(settings["if"], at, problems)
                edits = tuple(f.strip() for f in settings.get("edit", "").split(",") if f.strip())
            else:
                if "edit" in settings:
                    problems.append((at, "'edit:' belongs at the start of the step"))
                if "if" in settings:
                    part_when = _condition(settings["if"], at, problems)
        text = "\n".join([first, *chunk[1:]] if first.strip() else chunk[1:])
        if "<!--" in text:
            problems.append((at, "a step comment must open its step or one of its parts"))
        parts.append(Part(text, part_when, at, gap and bool(parts)))
    return StepSource(tuple(parts), when, edits, line), problems
