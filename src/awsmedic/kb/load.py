"""Read knowledge directories into `Knowledge`, collecting every problem instead of stopping.

Each file is parsed on its own (`trees.py`, `causes.py`); a broken file is reported with its
line where the parser gives one and left out, so one mistake never hides the next.
Cross-references between files (probe, cause and finding ids) are checked by `validate.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from awsmedic.kb.causes import load_cause
from awsmedic.kb.model import (
    BUILTIN_SIGNALS,
    Cause,
    Knowledge,
    Lookalike,
    Pattern,
    Tool,
    Tree,
    builtin_signals,
)
from awsmedic.kb.problems import Collector, Problem
from awsmedic.kb.reading import ID_RE, compile_pattern, line_of, read_toml, strings
from awsmedic.kb.trees import load_tree


def _load_tools(path: Path, out: Collector) -> list[Tool]:
    parsed = read_toml(path, out)
    if parsed is None:
        return []
    data, text = parsed
    tools: list[Tool] = []
    for raw in data.get("tools", []):
        line = line_of(text, f'"{raw.get("id")}"') if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            out.add(path, "each [[tools]] needs 'id', 'title' and 'patterns'", line)
            continue
        patterns = [compile_pattern(p, path, out, line) for p in raw.get("patterns", [])]
        compiled = tuple(p for p in patterns if p is not None)
        commands = strings(raw.get("commands", []))
        if commands is None:
            out.add(path, f"tool '{raw['id']}': 'commands' must be a list of command names", line)
        wraps = strings(raw.get("wraps", []))
        if wraps is None:
            out.add(path, f"tool '{raw['id']}': 'wraps' must be a list of tool ids", line)
        title = str(raw.get("title", raw["id"]))
        tools.append(
            Tool(
                raw["id"],
                title,
                compiled,
                tuple(c.lower() for c in commands or ()),
                tuple(wraps or ()),
            )
        )
    return tools


def _check_wraps(tools: list[tuple[Path, Tool]], out: Collector) -> None:
    """Every tool a `wraps` list names exists (in any knowledge directory)."""
    known = {tool.id for _, tool in tools}
    for path, tool in tools:
        for wrapped in tool.wraps:
            if wrapped not in known:
                line = line_of(path.read_text(encoding="utf-8"), f'"{wrapped}"')
                out.add(path, f"tool '{tool.id}' wraps '{wrapped}', which is no tool", line)


def _load_lookalikes(path: Path, out: Collector) -> list[Lookalike]:
    """lookalikes.toml: texts that are not about AWS authentication, though they read so."""
    parsed = read_toml(path, out)
    if parsed is None:
        return []
    data, text = parsed
    found: list[Lookalike] = []
    for raw in data.get("lookalikes", []):
        line = line_of(text, f'"{raw.get("id")}"') if isinstance(raw, dict) else None
        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("id"), str)
            or not ID_RE.match(raw["id"])
            or not isinstance(raw.get("title"), str)
            or not strings(raw.get("patterns"))
            or strings(raw.get("unless", [])) is None
        ):
            out.add(
                path,
                "each [[lookalikes]] needs a kebab-case 'id', a 'title' and 'patterns' (and may"
                " have 'unless'), patterns being lists of strings",
                line,
            )
            continue
        for key in sorted(set(raw) - {"id", "title", "patterns", "unless"}):
            out.add(path, f"lookalike '{raw['id']}' has unknown key '{key}'", line)
        patterns = [compile_pattern(p, path, out, line) for p in raw["patterns"]]
        unless = [compile_pattern(p, path, out, line) for p in raw.get("unless", [])]
        found.append(
            Lookalike(
                raw["id"],
                raw["title"],
                tuple(p for p in patterns if p is not None),
                tuple(p for p in unless if p is not None),
            )
        )
    return found


def _load_signals(path: Path, out: Collector) -> dict[str, tuple[Pattern, ...]]:
    parsed = read_toml(path, out)
    if parsed is None:
        return {}
    data, text = parsed
    signals: dict[str, tuple[Pattern, ...]] = {}
    for name, patterns in data.get("signals", {}).items():
        line = line_of(text, name)
        if not ID_RE.match(name) or strings(patterns) is None:
            out.add(path, f"signal '{name}' must be kebab-case and map to a list of patterns", line)
            continue
        if name in BUILTIN_SIGNALS:
            out.add(path, f"signal '{name}' is built in (from botocore's data): remove it", line)
            continue
        compiled = [compile_pattern(p, path, out, line) for p in patterns]
        signals[name] = tuple(p for p in compiled if p is not None)
    return signals


# --------------------------------------------------------------------------------------------


def _files(directory: Path, sub: str, suffix: str, out: Collector) -> Iterable[Path]:
    folder = directory / sub
    if not folder.is_dir():
        return []
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == suffix)
    except OSError as exc:
        out.add(folder, f"cannot be listed: {exc.strerror or exc}")
        return []


def _merge(target: dict[str, Any], items: Mapping[str, Any], kind: str, out: Collector) -> None:
    for key, item in items.items():
        if key in target:
            out.add(item.path, f"{kind} id '{key}' is already defined in {target[key].path}")
        else:
            target[key] = item


def load(dirs: Iterable[Path], *, strict: bool = False) -> tuple[Knowledge, list[Problem]]:
    """Load every knowledge directory in order; return what loaded and every problem."""
    out = Collector(strict=strict)
    trees: dict[str, Tree] = {}
    causes: dict[str, Cause] = {}
    tools: list[tuple[Path, Tool]] = []
    signals = builtin_signals()
    lookalikes: list[Lookalike] = []
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
            path = directory / "tools.toml"
            tools.extend((path, tool) for tool in _load_tools(path, out))
        if (directory / "signals.toml").is_file():
            signals.update(_load_signals(directory / "signals.toml", out))
        if (directory / "lookalikes.toml").is_file():
            lookalikes.extend(_load_lookalikes(directory / "lookalikes.toml", out))
    _check_wraps(tools, out)
    loaded = tuple(tool for _, tool in tools)
    knowledge = Knowledge(trees, causes, loaded, signals, dirs, tuple(lookalikes))
    return knowledge, out.problems
