"""Each format parses as its readers parse it, and keeps the promises of the issue: Markdown with
the path as a list, HTML self-contained (no script, nothing fetched), JSON as data."""

from __future__ import annotations

import json
import re

import pytest

from awsmedic.core.transcript import Transcript
from awsmedic.model import Pasted, Probed
from awsmedic.output.export.story import cases
from awsmedic.output.exporting import render
from awsmedic.safety.redact import SecretBook
from tests.export.documents import knowledge_links, markdown_tokens, read_html
from tests.export.session import golden_session

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "section",
    "h1", "h2", "h3", "h4", "p", "dl", "dt", "dd", "ul", "ol", "li", "pre", "code", "em",
    "strong", "a", "time", "div", "span", "details", "summary", "figure", "svg", "g", "rect",
    "text", "line", "polygon",
}  # fmt: skip


@pytest.fixture(scope="module")
def session() -> Transcript:
    return golden_session().redacted(SecretBook())


def test_markdown_parses_with_the_paste_in_one_fence_and_the_path_as_a_list(
    session: Transcript,
) -> None:
    tokens = markdown_tokens(render(session, "markdown"))
    headings = [
        t.content for i, t in enumerate(tokens) if i and tokens[i - 1].type == "heading_open"
    ]
    assert headings[:4] == ["awsmedic transcript", "Case 1", "The error", "Path through the tree"]
    assert "Timeline" in headings and "No single cause" in headings
    pastes = [e.text for e in session.events if isinstance(e, Pasted)]
    fences = [t.content for t in tokens if t.type == "fence" and t.info == "text"]
    assert fences == [paste.rstrip("\n") + "\n" for paste in pastes]
    assert any(t.type == "table_open" for t in tokens)
    assert not [t for t in tokens if t.type.startswith("html")], "raw HTML in the Markdown"
    # "Path through the tree" is followed by an ordered list with one item per hop.
    first = cases(session.events)[0]
    heading = next(i for i, t in enumerate(tokens) if t.content == "Path through the tree")
    start = next(i for i in range(heading, len(tokens)) if tokens[i].type == "ordered_list_open")
    level = tokens[start].level
    items = 0
    for token in tokens[start + 1 :]:
        if token.type == "ordered_list_close" and token.level == level:
            break
        items += token.type == "list_item_open" and token.level == level + 1
    assert items == len(first.path) == 5


def test_markdown_links_are_only_the_knowledge_references(session: Transcript) -> None:
    tokens = markdown_tokens(render(session, "markdown"))
    hrefs = {t.attrGet("href") for t in tokens if t.type == "link_open"}
    assert hrefs and hrefs <= knowledge_links(session)


def test_html_parses_is_self_contained_and_has_no_script(session: Transcript) -> None:
    document = render(session, "html")
    page = read_html(document)
    assert page.problems == []
    assert page.doctype.lower() == "doctype html"
    used = {tag for tag, _ in page.tags}
    assert used <= ALLOWED_TAGS, used - ALLOWED_TAGS
    assert "script" not in used and "<script" not in document.lower()
    csp = [
        m["content"] for m in page.named("meta") if m.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in (csp[0] or "")
    for _, attrs in page.tags:
        assert "src" not in attrs
        assert not [name for name in attrs if name.startswith("on")]
    hrefs = {a["href"] for a in page.named("a")}
    assert hrefs and hrefs <= knowledge_links(session)
    css = "".join(page.styles)
    assert len(page.named("style")) == 1
    assert "url(" not in css and "@import" not in css


def test_html_draws_each_path_and_folds_each_probe(session: Transcript) -> None:
    page = read_html(render(session, "html"))
    found = cases(session.events)
    assert len(page.named("svg")) == len([c for c in found if c.path]) == 2
    boxes = [g for g in page.named("g") if (g.get("class") or "").startswith("hop ")]
    assert len(boxes) == sum(len(c.path) for c in found)
    probes = [e for e in session.events if isinstance(e, Probed)]
    assert len(page.named("details")) == len(probes)
    assert "print" in "".join(page.styles)


def test_html_shows_the_paste_verbatim(session: Transcript) -> None:
    page = read_html(render(session, "html"))
    text = "".join(page.text)
    for event in session.events:
        if isinstance(event, Pasted):
            assert event.text in text


def test_json_is_one_document_with_the_stable_ids(session: Transcript) -> None:
    doc = json.loads(render(session, "json"))
    events = doc["events"]
    assert doc["tool"]["botocore"] == "1.35.99" and doc["tool"]["platform"].startswith("Linux")
    assert events[1]["recognition"]["tree"] == "golden-token"
    assert {e["evidence"]["probe"] for e in events if e["type"] == "probed"} == {
        "creds.chain",
        "sts.identity",
        "cli.version",  # asked because the steps of expired-token differ by CLI version
    }
    assert [e["question"]["id"] for e in events if e["type"] == "asked"] == [
        "token-origin",
        "runs-where",
    ]
    assert [e["diagnosis"]["cause"] for e in events if e["type"] == "concluded"] == [
        "expired-token",
        "leftover-token",
    ]
    assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$", e["at"]) for e in events)
