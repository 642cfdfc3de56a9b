"""The parsed knowledge base kept between runs: reading every tree's TOML and every cause's
front matter, and working out which literal each pattern needs, costs every start more than the
rest of awsmedic's own work; a diagnosis reads one JSON file instead.

Where: `$XDG_CACHE_HOME/awsmedic` (`~/.cache/awsmedic` by default), nowhere else; never with
`AWSMEDIC_NO_CACHE` set. What makes an entry valid (its key): the cache format, awsmedic's
version, Python's, the path, size and modification time (ns) of every file the loader reads
in every knowledge directory, and of the loader's own modules (an edited checkout). Any change
is a miss, and a miss loads the files as without a cache: a broken file is reported with its
file and line, and nothing is written until the files load without an error.

The file is input like any other (someone may have written it): JSON, never pickle; read only
when it is a regular file of this user that no one else may write, with a size limit; every
value checked for its type while the objects are built. Whatever fails (reading, parsing,
checking, writing, permissions) is a miss, never an error shown. Written atomically: a
temporary file in the same directory, then `os.replace`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from awsmedic.kb.model import (
    BUILTIN_SIGNALS,
    Cause,
    CauseNode,
    Hint,
    Knowledge,
    Lookalike,
    Node,
    Pattern,
    ProbeNode,
    QuestionNode,
    TextNode,
    Tool,
    Tree,
    builtin_signals,
)
from awsmedic.kb.phrases import Phrase, Slot, tree_phrases
from awsmedic.model import Confidence

#: Bump when what is stored changes meaning.
FORMAT = 2
NO_CACHE_VAR = "AWSMEDIC_NO_CACHE"
#: Far more than the shipped knowledge needs (about 300 KB); a bigger file is not ours.
MAX_CACHE_BYTES = 32 << 20
#: The files the loader reads in a knowledge directory.
_FOLDERS = (("trees", ".toml"), ("causes", ".md"))
_TOP_FILES = ("tools.toml", "signals.toml", "lookalikes.toml")

_log = logging.getLogger(__name__)


class _Invalid(ValueError):
    """A value in the cache file is not what was written there."""


def cache_dir(environ: Mapping[str, str]) -> Path | None:
    """`$XDG_CACHE_HOME/awsmedic`, else `~/.cache/awsmedic`; None when the cache is turned off
    (`AWSMEDIC_NO_CACHE` set to anything but empty or 0) or there is no home to put it in."""
    if environ.get(NO_CACHE_VAR, "").strip() not in ("", "0"):
        return None
    base = environ.get("XDG_CACHE_HOME", "")
    if base and os.path.isabs(base):  # the XDG spec: a relative path is to be ignored
        return Path(base) / "awsmedic"
    home = environ.get("HOME", "")
    return Path(home) / ".cache" / "awsmedic" if home and os.path.isabs(home) else None


# -- the key ----------------------------------------------------------------------------------


def _stat_entry(path: Path) -> list[object]:
    info = path.stat()
    return [str(path), info.st_size, info.st_mtime_ns]


def _dir_files(directory: Path) -> list[list[object]]:
    found: list[list[object]] = []
    for sub, suffix in _FOLDERS:
        folder = directory / sub
        if folder.is_dir():
            names = sorted(n for n in os.listdir(folder) if n.endswith(suffix))
            found.extend(_stat_entry(folder / name) for name in names)
    found.extend(_stat_entry(directory / n) for n in _TOP_FILES if (directory / n).is_file())
    return found


def key(dirs: tuple[Path, ...]) -> dict[str, Any] | None:
    """What a cache entry must have been written for; None when a directory cannot be listed
    (the loader then says what is wrong)."""
    from awsmedic import __version__

    code = Path(__file__).resolve().parent
    try:
        if not all(directory.is_dir() for directory in dirs):
            return None
        return {
            "format": FORMAT,
            "awsmedic": __version__,
            "python": list(sys.version_info[:3]),
            "code": [_stat_entry(code / n) for n in sorted(os.listdir(code)) if n.endswith(".py")],
            "dirs": [str(directory) for directory in dirs],
            "files": [_dir_files(directory) for directory in dirs],
        }
    except OSError:
        return None


def _file(directory: Path, dirs: tuple[Path, ...]) -> Path:
    """One file per list of knowledge directories (AWSMEDIC_KNOWLEDGE_PATH may differ)."""
    digest = hashlib.sha256("\0".join(str(d) for d in dirs).encode()).hexdigest()[:16]
    return directory / f"knowledge-{digest}.json"


# -- reading ----------------------------------------------------------------------------------


def _read_own_file(path: Path) -> bytes | None:
    """The file's bytes when it is a regular file of this user that no one else may write, and
    not larger than MAX_CACHE_BYTES; else None."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
        if not stat.S_ISREG(info.st_mode) or not mine or info.st_mode & 0o022:
            return None
        if info.st_size > MAX_CACHE_BYTES:
            return None
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read(MAX_CACHE_BYTES + 1)
    finally:
        os.close(fd)
    return data if len(data) <= MAX_CACHE_BYTES else None


def read(directory: Path, dirs: tuple[Path, ...], wanted: dict[str, Any]) -> Knowledge | None:
    """The cached knowledge for `dirs` when its key is `wanted`; None on any miss or failure."""
    path = _file(directory, dirs)
    try:
        data = _read_own_file(path)
        if data is None:
            return None
        document = json.loads(data)
        if not isinstance(document, dict) or document.get("key") != wanted:
            _log.debug("knowledge cache: %s is out of date", path)
            return None
        return decode(document.get("knowledge"), dirs)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a miss, whatever it is: the files are read instead
        _log.debug("knowledge cache: %s not used (%s)", path, type(exc).__name__)
        return None


# -- writing ----------------------------------------------------------------------------------


def write(directory: Path, dirs: tuple[Path, ...], wanted: dict[str, Any], kb: Knowledge) -> None:
    """Keep `kb` for the next run, atomically; any failure only means no cache."""
    import tempfile  # only a miss writes

    temp: str | None = None
    try:
        document = json.dumps({"key": wanted, "knowledge": encode(kb)}, separators=(",", ":"))
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".knowledge-", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8") as stream:  # mkstemp: mode 0600
            stream.write(document)
        os.replace(temp, _file(directory, dirs))
        temp = None
    except Exception as exc:  # a read-only home, a full disk: the next run reads the files
        _log.debug("knowledge cache: not written to %s (%s)", directory, type(exc).__name__)
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


# -- objects <-> JSON -------------------------------------------------------------------------


def _pattern(pattern: Pattern) -> list[object]:
    return [pattern.source, pattern.literal]


def _node(node: Node) -> list[object]:
    if isinstance(node, ProbeNode):
        return ["probe", node.id, node.probe, node.next, node.line]
    if isinstance(node, TextNode):
        return ["text", node.id, node.next, node.line]
    if isinstance(node, QuestionNode):
        return [
            "question",
            node.id,
            node.question,
            node.text,
            node.answers,
            node.settled_by,
            node.line,
        ]
    return ["cause", node.id, node.cause, node.confidence.value, node.line]


def _hint(hint: Hint) -> list[object]:
    pattern = _pattern(hint.pattern) if hint.pattern is not None else None
    return [pattern, dict(hint.boost), hint.signal, hint.finding, hint.answer, hint.line]


def _phrase(phrase: Phrase) -> list[object]:
    slots = [[slot.name, slot.after, slot.before, slot.behind] for slot in phrase.slots]
    return [phrase.text, phrase.words, phrase.segment, slots, phrase.negated]


def _tree(tree: Tree) -> dict[str, object]:
    return {
        "id": tree.id,
        "title": tree.title,
        "codes": tree.codes,
        "phrases": tree.phrases,
        "start": tree.start,
        "nodes": [_node(node) for node in tree.nodes.values()],
        "path": str(tree.path),
        "priors": dict(tree.priors),
        "hints": [_hint(hint) for hint in tree.hints],
        "about": [_pattern(p) for p in tree.about],
        "compiled": [_phrase(p) for p in tree_phrases(tree.id, tree.phrases)],
    }


def _body(cause: Cause) -> tuple[str, int, Path]:
    return cause.body, cause.body_line, cause.path


def encode(kb: Knowledge) -> dict[str, object]:
    """`kb` as JSON values (the built-in signals are left out: they are built on use)."""
    from awsmedic.kb.body import outline_of

    return {
        "trees": [_tree(tree) for tree in kb.trees.values()],
        "causes": [
            [c.id, c.title, c.refs, str(c.path), c.body, c.body_line, outline_of(*_body(c))]
            for c in kb.causes.values()
        ],
        "tools": [
            [t.id, t.title, [_pattern(p) for p in t.patterns], t.commands, t.wraps]
            for t in kb.tools
        ],
        "signals": {
            name: [_pattern(p) for p in patterns]
            for name, patterns in kb.signals.items()
            if name not in BUILTIN_SIGNALS
        },
        "lookalikes": [
            [k.id, k.title, [_pattern(p) for p in k.patterns], [_pattern(p) for p in k.unless]]
            for k in kb.lookalikes
        ],
    }


# JSON gives exactly str, int, bool, list and dict: exact type checks are strict and cheap
# (`type(True) is int` is false, so no bool passes for an int).


def _str(value: object) -> str:
    if type(value) is str:
        return value
    raise _Invalid(repr(value)[:40])


def _opt_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _line(value: object) -> int | None:
    if value is None or type(value) is int:
        return value
    raise _Invalid(repr(value)[:40])


def _int(value: object) -> int:
    if type(value) is int:
        return value
    raise _Invalid(repr(value)[:40])


def _list(value: object, size: int | None = None) -> list[Any]:
    if type(value) is not list or (size is not None and len(value) != size):
        raise _Invalid(repr(value)[:40])
    return value


def _strs(value: object) -> tuple[str, ...]:
    if type(value) is list and all(type(item) is str for item in value):
        return tuple(value)
    raise _Invalid(repr(value)[:40])


def _ints(value: object) -> tuple[int, ...]:
    if type(value) is list and all(type(item) is int for item in value):
        return tuple(value)
    raise _Invalid(repr(value)[:40])


def _bools(value: object) -> tuple[bool, ...]:
    if type(value) is list and all(type(item) is bool for item in value):
        return tuple(value)
    raise _Invalid(repr(value)[:40])


def _is_pair(item: object) -> bool:
    return type(item) is list and len(item) == 2 and type(item[0]) is str and type(item[1]) is str


def _pairs(value: object) -> tuple[tuple[str, str], ...]:
    if type(value) is list and all(_is_pair(item) for item in value):
        return tuple((a, b) for a, b in value)
    raise _Invalid(repr(value)[:40])


def _points(value: object) -> dict[str, int]:
    if type(value) is dict and all(type(v) is int for v in value.values()):
        return dict(value)  # JSON object keys are always strings
    raise _Invalid(repr(value)[:40])


def _decode_pattern(value: object) -> Pattern:
    source, literal = _list(value, 2)
    return Pattern.with_literal(_str(source), _opt_str(literal))


def _decode_node(value: object) -> Node:
    item = _list(value)
    kind = item[0] if item else None
    if kind == "probe":
        _, nid, probe, nxt, line = _list(item, 5)
        return ProbeNode(_str(nid), _str(probe), _pairs(nxt), _line(line))
    if kind == "text":
        _, nid, nxt, line = _list(item, 4)
        return TextNode(_str(nid), _pairs(nxt), _line(line))
    if kind == "question":
        _, nid, question, text, answers, settled, line = _list(item, 7)
        return QuestionNode(
            _str(nid), _str(question), _str(text), _pairs(answers), _pairs(settled), _line(line)
        )
    if kind == "cause":
        _, nid, cause, confidence, line = _list(item, 5)
        return CauseNode(_str(nid), _str(cause), Confidence(_str(confidence)), _line(line))
    raise _Invalid(repr(kind)[:40])


def _decode_hint(value: object) -> Hint:
    pattern, boost, signal, finding, answer, line = _list(value, 6)
    return Hint(
        None if pattern is None else _decode_pattern(pattern),
        _points(boost),
        signal=_opt_str(signal),
        finding=_opt_str(finding),
        answer=None if answer is None else _pairs([answer])[0],
        line=_line(line),
    )


def _decode_tree(value: object) -> Tree:
    if not isinstance(value, dict):
        raise _Invalid("tree")
    nodes = [_decode_node(node) for node in _list(value["nodes"])]
    tree_id = _str(value["id"])
    return Tree(
        id=tree_id,
        title=_str(value["title"]),
        codes=_strs(value["codes"]),
        phrases=_strs(value["phrases"]),
        start=_str(value["start"]),
        nodes={node.id: node for node in nodes},
        path=Path(_str(value["path"])),
        priors=_points(value["priors"]),
        hints=tuple(_decode_hint(hint) for hint in _list(value["hints"])),
        about=tuple(_decode_pattern(p) for p in _list(value["about"])),
        compiled=tuple(_decode_phrase(tree_id, p) for p in _list(value["compiled"])),
    )


def _decode_phrase(tree: str, value: object) -> Phrase:
    text, words, segment, slots, negated = _list(value, 5)
    return Phrase(
        tree,
        _str(text),
        _strs(words),
        _ints(segment),
        tuple(_decode_slot(slot) for slot in _list(slots)),
        _bools(negated),
    )


def _decode_slot(value: object) -> Slot:
    name, after, before, behind = _list(value, 4)
    return Slot(_str(name), _int(after), _str(before), _str(behind))


def _decode_outline(value: object) -> tuple[str, tuple[tuple[int, str], ...]] | None:
    if value is None:
        return None
    why, items = _list(value, 2)
    steps = tuple((_int(line), _str(text)) for line, text in (_list(i, 2) for i in _list(items)))
    return _str(why), steps


def decode(value: object, dirs: tuple[Path, ...]) -> Knowledge:
    """The objects `encode` was given, every value checked; raises on anything else."""

    if not isinstance(value, dict):
        raise _Invalid("knowledge")
    trees = [_decode_tree(tree) for tree in _list(value["trees"])]
    causes = []
    for raw in _list(value["causes"]):
        cid, title, refs, path, body, body_line, outline = _list(raw, 7)
        causes.append(
            Cause(
                _str(cid),
                _str(title),
                _strs(refs),
                Path(_str(path)),
                _str(body),
                _int(body_line),
                _decode_outline(outline),
            )
        )
    tools = []
    for raw in _list(value["tools"]):
        tid, title, patterns, commands, wraps = _list(raw, 5)
        tools.append(
            Tool(
                _str(tid),
                _str(title),
                tuple(_decode_pattern(p) for p in _list(patterns)),
                _strs(commands),
                _strs(wraps),
            )
        )
    signals = builtin_signals()
    raw_signals = value["signals"]
    if not isinstance(raw_signals, dict):
        raise _Invalid("signals")
    for name, patterns in raw_signals.items():
        signals[_str(name)] = tuple(_decode_pattern(p) for p in _list(patterns))
    lookalikes = []
    for raw in _list(value["lookalikes"]):
        lid, title, patterns, unless = _list(raw, 4)
        lookalikes.append(
            Lookalike(
                _str(lid),
                _str(title),
                tuple(_decode_pattern(p) for p in _list(patterns)),
                tuple(_decode_pattern(p) for p in _list(unless)),
            )
        )
    return Knowledge(
        {tree.id: tree for tree in trees},
        {cause.id: cause for cause in causes},
        tuple(tools),
        signals,
        dirs,
        tuple(lookalikes),
    )
