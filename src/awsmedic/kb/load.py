"""Read knowledge directories into `Knowledge`, collecting every problem instead of stopping.

Each file is parsed on its own; a broken file is reported (with its line where the parser gives
one) and left out, so one mistake never hides the next. Cross-references between files (probe,
cause and finding ids) are checked afterwards by `kb/validate.py`.
"""

from __future__ import annotations

import functools
import re
import textwrap
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from awsmedic.kb.model import (
    Cause,
    CauseNode,
    Hint,
    Knowledge,
    Node,
    ProbeNode,
    Problem,
    QuestionNode,
    TextNode,
    Tool,
    Tree,
)
from awsmedic.model import Confidence

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MARKER = re.compile(r"^(\s*)\d+[.)]\s+")
_TOML_LINE = re.compile(r"at line (\d+)")


class _Collector:
    """Problems found while reading, each with its file."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(path, message, line))


def line_of(text: str, needle: str) -> int | None:
    """The 1-based line where `needle` first appears, to point at a node or key."""
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _read_text(path: Path, out: _Collector) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        out.add(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        out.add(path, f"cannot be read: {exc.strerror or exc}")
    return None


def _read_toml(path: Path, out: _Collector) -> tuple[dict[str, Any], str] | None:
    text = _read_text(path, out)
    if text is None:
        return None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        out.add(path, f"TOML syntax error: {exc}", _error_line(exc, text))
        return None


def _error_line(exc: tomllib.TOMLDecodeError, text: str) -> int | None:
    found = _TOML_LINE.search(str(exc))
    if found:
        return int(found.group(1))
    return text.rstrip().count("\n") + 1 if "end of document" in str(exc) else None


def _compile(
    pattern: object, path: Path, out: _Collector, line: int | None
) -> re.Pattern[str] | None:
    if not isinstance(pattern, str):
        out.add(path, f"pattern {pattern!r} is not a string", line)
        return None
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        out.add(path, f"bad regular expression {pattern!r}: {exc}", line)
        return None


def _strings(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _pairs(value: object) -> tuple[tuple[str, str], ...] | None:
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return tuple((str(k), v) for k, v in value.items())
    return None


# --------------------------------------------------------------------------------------------
# Trees


def _node(node_id: str, raw: object, path: Path, text: str, out: _Collector) -> Node | None:
    line = line_of(text, f"[nodes.{node_id}]")
    if not isinstance(raw, dict):
        out.add(path, f"node '{node_id}' must be a table", line)
        return None
    kind = raw.get("kind")
    known = {
        "probe": {"kind", "probe", "next"},
        "text": {"kind", "next"},
        "question": {"kind", "id", "text", "answers", "settled_by"},
        "cause": {"kind", "cause", "confidence"},
    }
    if kind not in known:
        out.add(
            path, f"node '{node_id}' has kind {kind!r}; use probe, text, question or cause", line
        )
        return None
    for key in sorted(set(raw) - known[kind]):
        out.add(path, f"node '{node_id}' has unknown key '{key}'", line)
    if kind in ("probe", "text"):
        nxt = _pairs(raw.get("next"))
        if not nxt:
            out.add(path, f"node '{node_id}' needs a 'next' table of finding = node", line)
            return None
        if kind == "text":
            return TextNode(node_id, nxt, line)
        if not isinstance(raw.get("probe"), str):
            out.add(path, f"node '{node_id}' needs 'probe', a probe id", line)
            return None
        return ProbeNode(node_id, raw["probe"], nxt, line)
    if kind == "question":
        answers = _pairs(raw.get("answers"))
        settled = _pairs(raw.get("settled_by", {}))
        qid, qtext = raw.get("id"), raw.get("text")
        if not isinstance(qid, str) or not ID_RE.match(qid):
            out.add(path, f"question node '{node_id}' needs an 'id' in kebab-case", line)
            return None
        if not isinstance(qtext, str) or not qtext.strip():
            out.add(path, f"question node '{node_id}' needs 'text'", line)
            return None
        if not answers or len(answers) < 2:
            out.add(path, f"question node '{node_id}' needs at least two 'answers'", line)
            return None
        if settled is None:
            out.add(
                path, f"question node '{node_id}': 'settled_by' must map findings to answers", line
            )
            return None
        return QuestionNode(node_id, qid, qtext.strip(), answers, settled, line)
    cause, confidence = raw.get("cause"), raw.get("confidence", "likely")
    if not isinstance(cause, str):
        out.add(path, f"cause node '{node_id}' needs 'cause', a cause id", line)
        return None
    try:
        return CauseNode(node_id, cause, Confidence(confidence), line)
    except ValueError:
        out.add(
            path, f"cause node '{node_id}': confidence must be confirmed, likely or possible", line
        )
        return None


_TREE_KEYS = {"id", "title", "codes", "phrases", "start", "nodes", "priors", "hints"}


def _hints(raw: object, path: Path, text: str, out: _Collector) -> tuple[Hint, ...]:
    hints: list[Hint] = []
    if not isinstance(raw, list):
        out.add(path, "'hints' must be an array of tables ([[hints]])", line_of(text, "hints"))
        return ()
    for item in raw:
        line = line_of(text, str(item.get("pattern"))) if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(item.get("boost"), dict):
            out.add(
                path, "each [[hints]] needs 'pattern' and 'boost = { cause-id = points }'", line
            )
            continue
        pattern = _compile(item.get("pattern"), path, out, line)
        if pattern is not None:
            boost = {str(k): int(v) for k, v in item["boost"].items() if isinstance(v, int)}
            hints.append(Hint(pattern, boost))
    return tuple(hints)


def load_tree(path: Path, out: _Collector) -> Tree | None:
    parsed = _read_toml(path, out)
    if parsed is None:
        return None
    data, text = parsed
    for key in sorted(set(data) - _TREE_KEYS):
        out.add(path, f"unknown key '{key}'", line_of(text, key))
    tree_id, title, start = data.get("id"), data.get("title"), data.get("start")
    codes, phrases = _strings(data.get("codes", [])), _strings(data.get("phrases", []))
    ok = True
    if tree_id != path.stem:
        out.add(path, f"id {tree_id!r} must equal the file name '{path.stem}'", line_of(text, "id"))
        ok = False
    if not isinstance(title, str) or not title.strip():
        out.add(path, "needs a 'title'")
        ok = False
    if codes is None or phrases is None or not (codes or phrases):
        out.add(path, "needs 'codes' and/or 'phrases', lists of strings that recognise the family")
        ok = False
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, dict) or not raw_nodes:
        out.add(path, "needs [nodes.<id>] tables")
        return None
    if not isinstance(start, str) or start not in raw_nodes:
        out.add(path, f"'start' {start!r} is not a node", line_of(text, "start"))
        ok = False
    nodes = {nid: _node(nid, raw, path, text, out) for nid, raw in raw_nodes.items()}
    priors = data.get("priors", {})
    if not isinstance(priors, dict) or not all(isinstance(v, int) for v in priors.values()):
        out.add(path, "'priors' must map cause ids to integer weights", line_of(text, "priors"))
        priors = {}
    hints = _hints(data.get("hints", []), path, text, out)
    if not ok or any(node is None for node in nodes.values()):
        return None
    return Tree(
        id=str(tree_id),
        title=str(title).strip(),
        codes=codes or (),
        phrases=phrases or (),
        start=str(start),
        nodes={nid: node for nid, node in nodes.items() if node is not None},
        path=path,
        priors=priors,
        hints=hints,
    )


# --------------------------------------------------------------------------------------------
# Causes


def _split_front_matter(
    text: str, path: Path, out: _Collector
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
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        line = _error_line(exc, "\n".join(lines[1:end]))
        out.add(path, f"front matter TOML syntax error: {exc}", line + 1 if line else 1)
        return None
    return meta, "\n".join(lines[end + 1 :]), end + 1


@functools.cache
def _block_parser() -> Any:
    """CommonMark, block structure only: headings and lists are all the loader reads, and inline
    parsing would be most of the cost of loading the knowledge base on every start."""
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


def _list_items(tokens: list[Any], lines: list[str], begin: int, end: int) -> list[str] | None:
    """The top-level items of the first ordered list in lines[begin:end], as Markdown source."""
    items: list[str] = []
    depth = 0
    found = False
    for token in _within(tokens, begin, end):
        if token.type == "ordered_list_open":
            depth += 1
            found = found or depth == 1
        elif token.type == "ordered_list_close":
            depth -= 1
            if depth == 0 and found:
                break
        elif token.type == "list_item_open" and depth == 1 and token.map:
            first, last = token.map
            source = lines[first : min(last, end)]
            marker = _MARKER.match(source[0])
            width = marker.end() if marker else 0
            source[0] = source[0][width:]
            rest = textwrap.dedent("\n".join(source[1:]))
            items.append((source[0] + ("\n" + rest if rest.strip() else "")).strip())
    return items if found else None


def load_cause(path: Path, out: _Collector) -> Cause | None:
    text = _read_text(path, out)
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
    if _strings(refs) is None:
        out.add(path, "'refs' must be a list of URLs", 2)
        ok = False
    for key in sorted(set(meta) - {"id", "title", "refs"}):
        out.add(path, f"unknown front-matter key '{key}'", 2)
    tokens = _block_parser().parse(body)
    sections = _sections(tokens, body)
    body_lines = body.split("\n")
    for name in ("why", "steps"):
        if name not in sections:
            out.add(path, f"needs a '## {name.capitalize()}' section")
            ok = False
    if not ok:
        return None
    why_begin, why_end = sections["why"]
    why = "\n".join(body_lines[why_begin:why_end]).strip()
    steps_begin, steps_end = sections["steps"]
    steps = _list_items(tokens, body_lines, steps_begin, steps_end)
    steps_line = offset + steps_begin
    if not why:
        out.add(path, "the '## Why' section is empty", offset + why_begin)
        return None
    if steps is None:
        out.add(path, "the '## Steps' section needs an ordered list (1. 2. 3.)", steps_line)
        return None
    if not steps or any(not step for step in steps):
        out.add(path, "the '## Steps' list has an empty step", steps_line)
        return None
    return Cause(str(cause_id), str(title).strip(), tuple(refs), why, tuple(steps), path)


# --------------------------------------------------------------------------------------------
# Tools and signals


def _load_tools(path: Path, out: _Collector) -> list[Tool]:
    parsed = _read_toml(path, out)
    if parsed is None:
        return []
    data, text = parsed
    tools: list[Tool] = []
    for raw in data.get("tools", []):
        line = line_of(text, f'"{raw.get("id")}"') if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            out.add(path, "each [[tools]] needs 'id', 'title' and 'patterns'", line)
            continue
        patterns = [_compile(p, path, out, line) for p in raw.get("patterns", [])]
        compiled = tuple(p for p in patterns if p is not None)
        tools.append(Tool(raw["id"], str(raw.get("title", raw["id"])), compiled))
    return tools


def _load_signals(path: Path, out: _Collector) -> dict[str, tuple[re.Pattern[str], ...]]:
    parsed = _read_toml(path, out)
    if parsed is None:
        return {}
    data, text = parsed
    signals: dict[str, tuple[re.Pattern[str], ...]] = {}
    for name, patterns in data.get("signals", {}).items():
        line = line_of(text, name)
        if not ID_RE.match(name) or _strings(patterns) is None:
            out.add(path, f"signal '{name}' must be kebab-case and map to a list of patterns", line)
            continue
        compiled = [_compile(p, path, out, line) for p in patterns]
        signals[name] = tuple(p for p in compiled if p is not None)
    return signals


# --------------------------------------------------------------------------------------------


def _files(directory: Path, sub: str, suffix: str, out: _Collector) -> Iterable[Path]:
    folder = directory / sub
    if not folder.is_dir():
        return []
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == suffix)
    except OSError as exc:
        out.add(folder, f"cannot be listed: {exc.strerror or exc}")
        return []


def _merge(target: dict[str, Any], items: Mapping[str, Any], kind: str, out: _Collector) -> None:
    for key, item in items.items():
        if key in target:
            out.add(item.path, f"{kind} id '{key}' is already defined in {target[key].path}")
        else:
            target[key] = item


def load(dirs: Iterable[Path]) -> tuple[Knowledge, list[Problem]]:
    """Load every knowledge directory in order; return what loaded and every problem."""
    out = _Collector()
    trees: dict[str, Tree] = {}
    causes: dict[str, Cause] = {}
    tools: list[Tool] = []
    signals: dict[str, tuple[re.Pattern[str], ...]] = {}
    dirs = tuple(dirs)
    for directory in dirs:
        if not directory.is_dir():
            out.add(directory, "is not a directory")
            continue
        loaded_trees = (load_tree(p, out) for p in _files(directory, "trees", ".toml", out))
        _merge(trees, {t.id: t for t in loaded_trees if t is not None}, "tree", out)
        loaded_causes = (load_cause(p, out) for p in _files(directory, "causes", ".md", out))
        _merge(causes, {c.id: c for c in loaded_causes if c is not None}, "cause", out)
        if (directory / "tools.toml").is_file():
            tools.extend(_load_tools(directory / "tools.toml", out))
        if (directory / "signals.toml").is_file():
            signals.update(_load_signals(directory / "signals.toml", out))
    knowledge = Knowledge(trees, causes, tuple(tools), signals, dirs)
    return knowledge, out.problems
