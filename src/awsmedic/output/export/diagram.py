"""The path through a tree as a small inline SVG: one box per node, an arrow per branch, the
finding or answer that chose it on the arrow. No script, no external reference, no ids (several
diagrams can sit in one page); every text is escaped, and long ones are cut with the full text
in a <title> (a tooltip).
"""

from __future__ import annotations

from html import escape

from awsmedic.output.export.story import Hop

WIDTH = 640
BOX_X, BOX_W, BOX_H = 16, 608, 44
GAP = 34
TOP = 8
MAX_CHARS = 78

KIND_LABEL = {
    "text": "ERROR TEXT",
    "probe": "PROBE",
    "question": "QUESTION",
    "cause": "CAUSE",
    "stop": "STOPPED",
}


def _cut(text: str, limit: int = MAX_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def headline(hop: Hop) -> str:
    """The one line a box shows: the stable id first, then what it is."""
    if hop.kind == "probe":
        return f"{hop.ref} · {hop.status}: {hop.label}"
    if hop.kind == "question":
        return hop.label if hop.label != hop.ref else f"{hop.ref} (not asked)"
    if hop.kind == "cause":
        return f"{hop.ref} · {hop.status}: {hop.label}"
    if hop.kind == "stop":
        return f"no single cause: {hop.label}"
    return "the pasted error text"


def _box(hop: Hop, y: int) -> list[str]:
    line = headline(hop)
    classes = f"hop hop-{hop.kind}" + (f" st-{hop.status}" if hop.kind == "probe" else "")
    return [
        f'<g class="{escape(classes)}">',
        f"<title>{escape(line)}</title>",
        f'<rect x="{BOX_X}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6"/>',
        f'<text class="kind" x="{BOX_X + 12}" y="{y + 16}">'
        f"{KIND_LABEL.get(hop.kind, hop.kind.upper())} · {escape(_cut(hop.node, 40))}</text>",
        f'<text class="label" x="{BOX_X + 12}" y="{y + 34}">{escape(_cut(line))}</text>',
        "</g>",
    ]


def edge_label(hop: Hop) -> str:
    """What led out of a node: its finding, signal or answer, or why nothing did."""
    if hop.via:
        return hop.via
    if hop.kind == "question":
        return "(unanswered)"
    if hop.kind == "probe":
        return f"({hop.status}: no branch)"
    return ""


def _edge(label: str, y: int) -> list[str]:
    x = BOX_X + 40
    tip = y + GAP
    return [
        '<g class="edge">',
        f'<line x1="{x}" y1="{y}" x2="{x}" y2="{tip - 6}"/>',
        f'<polygon points="{x - 5},{tip - 8} {x + 5},{tip - 8} {x},{tip - 1}"/>',
        f'<text x="{x + 14}" y="{y + GAP // 2 + 4}">{escape(_cut(label, 60))}</text>',
        "</g>",
    ]


def path_svg(path: list[Hop], title: str) -> str:
    """The diagram for one case's path; `title` names it for screen readers."""
    height = TOP * 2 + len(path) * BOX_H + max(0, len(path) - 1) * GAP
    out = [
        f'<svg class="diagram" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    y = TOP
    for index, hop in enumerate(path):
        out += _box(hop, y)
        y += BOX_H
        if index < len(path) - 1:
            out += _edge(edge_label(hop), y)
            y += GAP
    out.append("</svg>")
    return "\n".join(out)
