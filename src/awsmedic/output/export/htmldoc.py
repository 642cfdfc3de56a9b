"""One self-contained HTML page: inline CSS, no script, nothing fetched (a Content-Security-Policy
says so to the browser too), the path drawn as an inline SVG, probe details in <details>, and
print-friendly styles.

Knowledge-base Markdown (why, steps) goes through markdown-it's "js-default" preset (raw HTML
off, unsafe link schemes refused) with images off, so nothing loads. Everything else is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from awsmedic.core.pastes import TRUNCATED_NOTE
from awsmedic.core.transcript import Transcript
from awsmedic.model import (
    Answered,
    Asked,
    Branched,
    Concluded,
    Event,
    Matched,
    Pasted,
    Probed,
    Restarted,
    Stalled,
    WentBack,
)
from awsmedic.output.export.diagram import path_svg
from awsmedic.output.export.story import (
    Case,
    answer_origin,
    cases,
    line_count,
    recognised_how,
    redaction_note,
)
from awsmedic.output.export.style import CSS

#: What the page may load: its own inline style sheet, nothing else (no script, image or font).
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
STATUS_MARK = {"ok": "✓", "problem": "✗", "skipped": "–", "error": "!"}


def _markdown() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default").disable("image")

    def link_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        tokens[idx].attrSet("rel", "noopener noreferrer")
        return str(self.renderToken(tokens, idx, options, env))

    md.add_render_rule("link_open", link_open)
    return md


def code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def _time(event: Event) -> str:
    return f'<time datetime="{escape(event.at.isoformat())}">{event.at:%H:%M:%S}</time>'


def _status(status: str) -> str:
    mark = STATUS_MARK.get(status, "?")
    return f'<span class="badge st-{escape(status)}">{mark} {escape(status)}</span>'


def _head(transcript: Transcript, title: str) -> list[str]:
    meta = transcript.meta
    started = meta.started.isoformat(timespec="seconds") if meta.started else "unknown"
    rows = [
        ("Started", started),
        ("awsmedic", meta.tool_version),
        ("botocore", meta.botocore or "unknown"),
        ("Python", meta.python),
        ("Platform", meta.platform),
        ("Redacted", redaction_note(transcript.redaction)),
    ]
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        "<h1>awsmedic transcript</h1>",
        '<dl class="meta">',
        *(f"<dt>{name}</dt><dd>{escape(value)}</dd>" for name, value in rows),
        "</dl>",
        "</header>",
    ]


def _recognition(case: Case) -> list[str]:
    if case.matched is None:
        return []
    recognition = case.matched.recognition
    best = recognition.best
    if best is None:
        if recognition.lookalike is not None:
            return [f"<p>Not diagnosed: it looks like {escape(recognition.lookalike)}.</p>"]
        return ["<p>Not recognised as an AWS error awsmedic knows.</p>"]
    how = escape(recognised_how(best))
    tool = f", printed by {escape(recognition.tool_title)}" if recognition.tool_title else ""
    lines = [
        f"<p>Recognised by {how} as <strong>{escape(best.title)}</strong> "
        f"(tree {code(best.tree)}{tool}).</p>"
    ]
    if recognition.closest:
        closest = ", ".join(f"{code(m.tree)} {m.score}%" for m in recognition.closest)
        lines.append(f"<p>Closest known errors: {closest}.</p>")
    return lines


def _outcome(case: Case, h: int, md: Any) -> list[str]:
    if case.concluded is not None:
        d = case.concluded.diagnosis
        out = [
            f"<h{h}>Cause: {escape(d.title)}</h{h}>",
            f'<div class="verdict"><p>{code(d.cause)} · confidence '
            f"<strong>{escape(d.confidence.value)}</strong></p>",
            md.render(d.why),
            "</div>",
        ]
        if d.evidence:
            out += [f"<h{h + 1}>Evidence</h{h + 1}>", _list("ul", [code(e) for e in d.evidence])]
        out += _not_checked(case.concluded.offline, h)
        out += [f"<h{h + 1}>Steps</h{h + 1}>", '<ol class="steps">']
        out += [f"<li>{md.render(step.text)}</li>" for step in d.steps] + ["</ol>"]
        if d.refs:
            links = [
                f'<a href="{escape(ref)}" rel="noopener noreferrer">{escape(ref)}</a>'
                for ref in d.refs
            ]
            out += [f"<h{h + 1}>References</h{h + 1}>", _list("ul", links)]
        return out
    if case.stalled is not None:
        out = [
            f"<h{h}>No single cause</h{h}>",
            f'<div class="verdict stalled"><p>Stopped: {escape(case.stalled.reason)}</p>',
        ]
        if case.stalled.candidates:
            out.append("<p>Still possible, most likely first:</p>")
            out.append(
                _list(
                    "ol",
                    [
                        f"{code(c.cause)} {escape(c.title)} ({c.score}%)"
                        for c in case.stalled.candidates
                    ],
                )
            )
        out += ["</div>", *_not_checked(case.stalled.offline, h)]
        guess = case.stalled.guess
        if guess is not None:
            out += [f"<h{h + 1}>Steps for the most likely: {escape(guess.title)}</h{h + 1}>"]
            out += ['<ol class="steps">']
            out += [f"<li>{md.render(step.text)}</li>" for step in guess.steps] + ["</ol>"]
        return out
    return []


def _not_checked(offline: tuple[str, ...], h: int) -> list[str]:
    """What could not be checked, and why: its own section, never evidence."""
    if not offline:
        return []
    return [f"<h{h + 1}>Not checked</h{h + 1}>", _list("ul", [code(line) for line in offline])]


def _list(tag: str, items: Sequence[str]) -> str:
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def _probe(event: Probed) -> str:
    e = event.evidence
    rows = [("node", code(event.node)), ("took", f"{e.elapsed_ms} ms")]
    if e.findings:
        rows.append(("findings", " ".join(code(f) for f in e.findings)))
    rows += [(name, code(fact.describe())) for name, fact in e.facts.items()]
    rows += [("detail", escape(line)) for line in e.details]
    body = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f"<details><summary>Probe {code(e.probe)} {_status(e.status.value)} "
        f"{escape(e.summary)}</summary><dl>{body}</dl></details>"
    )


def _entry(event: Event) -> str:
    if isinstance(event, Probed):
        return _probe(event)
    if isinstance(event, Pasted):
        return f"Pasted the error ({line_count(event.text)})"
    if isinstance(event, Matched):
        ranked = ", ".join(f"{code(m.tree)} {m.score}%" for m in event.recognition.matches)
        return f"Matched: {ranked or 'nothing'}"
    if isinstance(event, Branched):
        return f"{code(event.node)} → {code(event.to)} on {code(event.on)}"
    if isinstance(event, Asked):
        return f"Asked {code(event.question.id)}: “{escape(event.question.text)}”"
    if isinstance(event, Answered):
        who = escape(answer_origin(event.how))
        return f"Answer to {code(event.question)}: {code(event.answer)} ({who})"
    if isinstance(event, WentBack):
        return f"Went back to {code(event.to_node)} (/back)"
    if isinstance(event, Concluded):
        d = event.diagnosis
        return f"Concluded {code(d.cause)} ({escape(d.confidence.value)})"
    if isinstance(event, Stalled):
        return f"Stopped at {code(event.node)}: {escape(event.reason)}"
    if isinstance(event, Restarted):
        return "Restarted (/restart)"
    return escape(type(event).__name__)


def _case(case: Case, many: bool, md: Any) -> list[str]:
    h = 3 if many else 2
    out = [f'<section class="case" id="case-{case.number}">']
    if many:
        out.append(f"<h2>Case {case.number}</h2>")
    if case.pasted is not None:
        out += [
            f"<h{h}>The error</h{h}>",
            f'<pre class="paste"><code>{escape(case.pasted.text)}</code></pre>',
        ]
        if case.pasted.truncated:
            out.append(f"<p><em>Very long: {escape(TRUNCATED_NOTE)}.</em></p>")
    out += _recognition(case)
    if case.path:
        title = f"Path through the tree, case {case.number}"
        out += [f"<h{h}>Path through the tree</h{h}>", '<figure class="path">']
        out += [path_svg(case.path, title), "</figure>"]
    out += _outcome(case, h, md)
    out += [f"<h{h}>Timeline</h{h}>", '<ol class="timeline">']
    out += [f"<li>{_time(event)}<div>{_entry(event)}</div></li>" for event in case.events]
    return [*out, "</ol>", "</section>"]


def html_export(transcript: Transcript) -> str:
    found = cases(transcript.events)
    last = found[-1]
    verdict = (
        last.concluded.diagnosis.title
        if last.concluded
        else "no single cause"
        if last.stalled
        else "not diagnosed"
    )
    out = _head(transcript, f"awsmedic transcript: {verdict}")
    md = _markdown()
    for case in found:
        out += _case(case, len(found) > 1, md)
    out += [
        f"<footer>Written by awsmedic. Before this page was made: "
        f"{escape(redaction_note(transcript.redaction))}.</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"
