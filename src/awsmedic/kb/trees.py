"""Decision trees: `trees/<tree-id>.toml` into `Tree` objects, every problem reported."""

from __future__ import annotations

from pathlib import Path

from awsmedic.kb.model import (
    CauseNode,
    Hint,
    Node,
    Pattern,
    ProbeNode,
    QuestionNode,
    TextNode,
    Tree,
)
from awsmedic.kb.phrases import problems as phrase_problems
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


_TREE_KEYS = {"id", "title", "codes", "phrases", "start", "nodes", "priors", "hints", "about"}
_HINT_KINDS = ("pattern", "signal", "finding", "answer")


def _hint(item: object, path: Path, text: str, out: Collector) -> Hint | None:
    """One [[hints]] table: `boost` and exactly one of `pattern`, `finding`, `answer`."""
    if not isinstance(item, dict):
        out.add(path, "each [[hints]] must be a table", line_of(text, "[[hints]]"))
        return None
    kinds = [kind for kind in _HINT_KINDS if kind in item]
    line = line_of(text, str(item[kinds[0]])) if kinds else line_of(text, "[[hints]]")
    boost = item.get("boost")
    if len(kinds) != 1 or not isinstance(boost, dict):
        out.add(
            path,
            "each [[hints]] needs 'boost = { cause-id = points }' and one of 'pattern' (text),"
            " 'signal' (a text signal's name), 'finding' (a finding or text signal) or 'answer'"
            " ('question-id=answer')",
            line,
        )
        return None
    for key in sorted(set(item) - {"boost", *_HINT_KINDS}):
        out.add(path, f"[[hints]] has unknown key '{key}'", line)
    points = {str(k): v for k, v in boost.items() if isinstance(v, int)}
    if len(points) != len(boost):
        out.add(path, "[[hints]] 'boost' must map cause ids to integer points", line)
    kind, value = kinds[0], item[kinds[0]]
    if kind == "pattern":
        pattern = compile_pattern(value, path, out, line)
        return None if pattern is None else Hint(pattern, points, line=line)
    if not isinstance(value, str) or not value:
        out.add(path, f"[[hints]] '{kind}' must be a non-empty string", line)
        return None
    if kind == "signal":
        return Hint(None, points, signal=value, line=line)
    if kind == "finding":
        return Hint(None, points, finding=value, line=line)
    question, sep, answer = value.partition("=")
    if not sep or not question or not answer:
        out.add(path, f"[[hints]] answer {value!r} must be written 'question-id=answer'", line)
        return None
    return Hint(None, points, answer=(question.strip(), answer.strip()), line=line)


def _hints(raw: object, path: Path, text: str, out: Collector) -> tuple[Hint, ...]:
    if not isinstance(raw, list):
        out.add(path, "'hints' must be an array of tables ([[hints]])", line_of(text, "hints"))
        return ()
    hints = (_hint(item, path, text, out) for item in raw)
    return tuple(hint for hint in hints if hint is not None)


def _phrases(raw: object, path: Path, text: str, out: Collector) -> tuple[str, ...] | None:
    phrases = strings(raw)
    if phrases is not None and out.strict:  # `kb check`: a diagnosis need not pay for it
        for phrase in phrases:
            for problem in phrase_problems(phrase):
                out.add(path, problem, line_of(text, phrase))
    return phrases


def _about(raw: object, path: Path, text: str, out: Collector) -> tuple[Pattern, ...]:
    patterns = strings(raw)
    if patterns is None:
        out.add(path, "'about' must be a list of patterns", line_of(text, "about"))
        return ()
    compiled = (compile_pattern(p, path, out, line_of(text, p)) for p in patterns)
    return tuple(p for p in compiled if p is not None)


def load_tree(path: Path, out: Collector) -> Tree | None:
    parsed = read_toml(path, out)
    if parsed is None:
        return None
    data, text = parsed
    for key in sorted(set(data) - _TREE_KEYS):
        out.add(path, f"unknown key '{key}'", line_of(text, key))
    tree_id, title, start = data.get("id"), data.get("title"), data.get("start")
    codes = strings(data.get("codes", []))
    phrases = _phrases(data.get("phrases", []), path, text, out)
    about = _about(data.get("about", []), path, text, out)
    ok = True
    if tree_id != path.stem:
        out.add(path, f"id {tree_id!r} must equal the file name '{path.stem}'", line_of(text, "id"))
        ok = False
    if not isinstance(title, str) or not title.strip():
        out.add(path, "needs a 'title'")
        ok = False
    if codes is None or phrases is None or not (codes or phrases or about):
        out.add(
            path,
            "needs 'codes' and/or 'phrases', lists of strings that recognise the family"
            " (or, for a fallback tree, 'about': patterns its subject is found by)",
        )
        ok = False
    elif about and (codes or phrases):
        out.add(
            path, "a fallback tree ('about') has no 'codes' or 'phrases'", line_of(text, "about")
        )
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
        about=about,
    )
