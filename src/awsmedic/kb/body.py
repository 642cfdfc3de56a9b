"""A cause's Markdown body read with markdown-it: its Why text and its ordered list of steps."""

from __future__ import annotations

import functools
import re
import textwrap
from pathlib import Path
from typing import Any

from awsmedic.kb.problems import Problem
from awsmedic.kb.steps import StepSource, parse_step

_MARKER = re.compile(r"^(\s*)\d+[.)]\s+")


@functools.cache
def _block_parser() -> Any:
    """CommonMark, block structure only: headings and lists are all this reads."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").disable("inline")


def _sections(tokens: list[Any], body: str) -> dict[str, tuple[int, int]]:
    """Level-2 headings and the line range each one covers."""
    heads: list[tuple[str, int]] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2" and token.map:
            heads.append((tokens[i + 1].content.strip().lower(), token.map[1]))
    total = body.count("\n") + 1
    spans: dict[str, tuple[int, int]] = {}
    for index, (name, begin) in enumerate(heads):
        end = heads[index + 1][1] - 1 if index + 1 < len(heads) else total
        spans[name] = (begin, end)
    return spans


def _within(tokens: list[Any], begin: int, end: int) -> list[Any]:
    """The tokens of the blocks that start on lines [begin, end)."""
    starts = [i for i, token in enumerate(tokens) if token.map and token.map[0] >= begin]
    stops = [i for i, token in enumerate(tokens) if token.map and token.map[0] >= end]
    first = starts[0] if starts else len(tokens)
    return tokens[first : stops[0] if stops else len(tokens)]


def _list_items(
    tokens: list[Any], lines: list[str], begin: int, end: int
) -> tuple[list[tuple[int, str]] | None, int | None]:
    """The top-level items of the first ordered list in lines[begin:end], as (line index,
    Markdown source), and the line (counted from 1) of the first block after that list ends,
    if any: a step's code block indented less than its number and '. ' ends the list, and what
    follows it (that block, the later steps) belongs to no step."""
    items: list[tuple[int, str]] = []
    depth = 0
    found = closed = False
    for token in _within(tokens, begin, end):
        if closed:
            if token.level == 0 and token.map:
                return items, int(token.map[0]) + 1
        # Nested lists of either kind are part of their step, not steps of their own.
        elif token.type in ("ordered_list_open", "bullet_list_open"):
            depth += 1
            found = found or (depth == 1 and token.type == "ordered_list_open")
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            depth -= 1
            closed = depth == 0 and found
        elif token.type == "list_item_open" and depth == 1 and found and token.map:
            first, last = token.map
            source = lines[first : min(last, end)]
            marker = _MARKER.match(source[0])
            width = marker.end() if marker else 0
            source[0] = source[0][width:]
            rest = textwrap.dedent("\n".join(source[1:]))
            items.append((first, (source[0] + ("\n" + rest if rest.strip() else "")).strip()))
    return (items if found else None), None


#: What the Markdown parser makes of a body: the Why text and each step's (line index, source).
Outline = tuple[str, tuple[tuple[int, str], ...]]


def _outline(body: str, path: Path) -> tuple[str, list[tuple[int, str]] | None, list[Problem]]:
    """The Markdown stage: the Why text, the step items (None without an ordered list) and
    what is wrong with the sections (lines relative to the body)."""
    tokens = _block_parser().parse(body)
    sections = _sections(tokens, body)
    lines = body.split("\n")
    problems: list[Problem] = []
    if "why" not in sections or "steps" not in sections:
        return "", None, [Problem(path, "needs '## Why' and '## Steps' sections")]
    why_begin, why_end = sections["why"]
    why = "\n".join(lines[why_begin:why_end]).strip()
    steps_begin, steps_end = sections["steps"]
    steps, stray = _list_items(tokens, lines, steps_begin, steps_end)
    if not why:
        problems.append(Problem(path, "the '## Why' section is empty", why_begin))
    if steps is None:
        message = "the '## Steps' section needs an ordered list (1. 2. 3.)"
        problems.append(Problem(path, message, steps_begin))
    elif not steps or any(not step for _, step in steps):
        problems.append(Problem(path, "the '## Steps' list has an empty step", steps_begin))
    if steps and stray is not None:
        message = (
            "this block is outside the steps' list, so no step shows it (and no later step"
            " either): indent a step's lines by the width of its number and '. ' (4 spaces"
            " under '10. ')"
        )
        problems.append(Problem(path, message, stray))
    return why, steps, problems


def parse_body(
    body: str, body_line: int, path: Path, outline: Outline | None = None
) -> tuple[str, tuple[StepSource, ...], list[Problem]]:
    """The Why text, the steps, and what is wrong with them (each problem with its line).

    `body_line` is the file line the body starts on, so problems point into the file.
    `outline`, when given, is what the Markdown stage made of this body before (the knowledge
    cache keeps it for bodies without problems): the Markdown parser is then not needed."""
    if outline is not None:
        why, steps, problems = outline[0], list(outline[1]), []
    else:
        why, found, relative = _outline(body, path)
        offset = body_line - 1
        problems = [
            Problem(p.path, p.message, None if p.line is None else offset + p.line)
            for p in relative
        ]
        steps = found or []
    parsed: list[StepSource] = []
    for index, text in steps:
        step, errors = parse_step(text, body_line + index)
        parsed.append(step)
        problems += [Problem(path, message, line) for line, message in errors]
    return why, tuple(parsed), problems


def outline_of(body: str, body_line: int, path: Path) -> Outline | None:
    """What the Markdown stage makes of a body, when the body has no problem at all (a body
    with one is parsed again whenever it is used, so that its problem is always reported)."""
    why, steps, problems = _outline(body, path)
    if problems or steps is None:
        return None
    for index, text in steps:
        if parse_step(text, body_line + index)[1]:
            return None
    return why, tuple(steps)
