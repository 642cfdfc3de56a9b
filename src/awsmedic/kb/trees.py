"""Decision trees: `trees/<tree-id>.toml` into `Tree` objects, every problem reported."""

from __future__ import annotations

from pathlib import Path

from awsmedic.kb.model import (
    CauseNode,
    Hint,
    Node,
    ProbeNode,
    QuestionNode,
    TextNode,
    Tree,
)
from awsmedic.kb.problems import Collector
from awsmedic.kb.reading import (
    ID_RE,
    compile_pattern,
    line_of,
    pairs,
    read_toml,
    strings,
)
from awsmedic.model import Confidence


def _node(node_id: str, raw: object, path: Path, text: str, out: Collector) -> Node | None:
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
        nxt = pairs(raw.get("next"))
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
        answers = pairs(raw.get("answers"))
        settled = pairs(raw.get("settled_by", {}))
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


def _hints(raw: object, path: Path, text: str, out: Collector) -> tuple[Hint, ...]:
    hints: list[Hint] = []
    if not isinstance(raw, list):
        out.add(path, "'hints' must be an array of tables ([[hints]])", line_of(text, "hints"))
        return ()
    for item in raw:
        what = item.get("pattern", item.get("signal")) if isinstance(item, dict) else None
        line = line_of(text, str(what)) if what is not None else None
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("boost"), dict)
            or ("pattern" in item) == ("signal" in item)
        ):
            out.add(
                path,
                "each [[hints]] needs 'pattern' (or 'signal', a text signal's name) and"
                " 'boost = { cause-id = points }'",
                line,
            )
            continue
        boost = {str(k): int(v) for k, v in item["boost"].items() if isinstance(v, int)}
        if "signal" in item:
            if isinstance(item["signal"], str):
                hints.append(Hint(None, boost, item["signal"]))
            else:
                out.add(path, f"hint signal {item['signal']!r} is not a string", line)
            continue
        pattern = compile_pattern(item.get("pattern"), path, out, line)
        if pattern is not None:
            hints.append(Hint(pattern, boost))
    return tuple(hints)


def load_tree(path: Path, out: Collector) -> Tree | None:
    parsed = read_toml(path, out)
    if parsed is None:
        return None
    data, text = parsed
    for key in sorted(set(data) - _TREE_KEYS):
        out.add(path, f"unknown key '{key}'", line_of(text, key))
    tree_id, title, start = data.get("id"), data.get("title"), data.get("start")
    codes, phrases = strings(data.get("codes", [])), strings(data.get("phrases", []))
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
