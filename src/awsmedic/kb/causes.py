"""Causes: `causes/<cause-id>.md`, TOML front matter between `+++` lines, then Markdown with a
`## Why` section and a `## Steps` ordered list.

Loading reads the front matter and checks that both sections are there (cheap, every start);
`body.parse_body` reads the Markdown itself, when a cause is shown or `kb check` asks for every
problem.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from awsmedic.kb.model import Cause
from awsmedic.kb.problems import Collector
from awsmedic.kb.reading import error_line, loads, read_text, strings

_HEADING = re.compile(r"^ {0,3}##\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _split_front_matter(
    text: str, path: Path, out: Collector
) -> tuple[dict[str, Any], str, int] | None:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "+++":
        out.add(path, "must start with TOML front matter between '+++' lines", 1)
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        out.add(path, "front matter is not closed with a '+++' line", 1)
        return None
    try:
        meta = loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        line = error_line(exc, "\n".join(lines[1:end]))
        out.add(path, f"front matter TOML syntax error: {exc}", line + 1 if line else 1)
        return None
    return meta, "\n".join(lines[end + 1 :]), end + 1


def load_cause(path: Path, out: Collector) -> Cause | None:
    text = read_text(path, out)
    if text is None:
        return None
    split = _split_front_matter(text, path, out)
    if split is None:
        return None
    meta, body, offset = split
    cause_id, title, refs = meta.get("id"), meta.get("title"), meta.get("refs", [])
    ok = True
    if cause_id != path.stem:
        out.add(path, f"id {cause_id!r} must equal the file name '{path.stem}'", 2)
        ok = False
    if not isinstance(title, str) or not title.strip():
        out.add(path, "front matter needs a 'title'", 2)
        ok = False
    if strings(refs) is None:
        out.add(path, "'refs' must be a list of URLs", 2)
        ok = False
    for key in sorted(set(meta) - {"id", "title", "refs"}):
        out.add(path, f"unknown front-matter key '{key}'", 2)
    headings = {match.group(1).lower() for match in _HEADING.finditer(body)}
    for name in ("why", "steps"):
        if name not in headings:
            out.add(path, f"needs a '## {name.capitalize()}' section")
            ok = False
    if not ok:
        return None
    return Cause(str(cause_id), str(title).strip(), tuple(refs), path, body, offset + 1)
