"""Parsers that read an exported document the way its readers would, for the assertions."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from markdown_it import MarkdownIt

from awsmedic.core.transcript import Transcript
from awsmedic.model import Concluded

VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "wbr", "source"}


class Page(HTMLParser):
    """Tags, attributes and text of an HTML page, with a check that tags nest properly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self.problems: list[str] = []
        self.doctype = ""
        self._open: list[str] = []
        self._in_style = False

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self._open.append(tag)
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self._open[-1:] or 'nothing'}")
            return
        self._open.pop()
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)

    def close(self) -> None:
        super().close()
        if self._open:
            self.problems.append(f"never closed: {self._open}")

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def read_html(document: str) -> Page:
    page = Page()
    page.feed(document)
    page.close()
    return page


def markdown_tokens(document: str, *, html: bool = True) -> list[Any]:
    """Tokens as a GitHub-like renderer sees them: tables on, raw HTML recognised."""
    md = MarkdownIt("commonmark", {"html": html}).enable("table")
    tokens: list[Any] = []

    def walk(items: list[Any]) -> None:
        for token in items:
            tokens.append(token)
            walk(token.children or [])

    walk(md.parse(document))
    return tokens


def knowledge_links(transcript: Transcript) -> set[str]:
    """The URLs the knowledge base put in the transcript: references and links in steps."""
    found: set[str] = set()
    for event in transcript.events:
        if isinstance(event, Concluded):
            d = event.diagnosis
            found |= set(d.refs)
            for text in (d.why, *(step.text for step in d.steps)):
                found |= set(re.findall(r"\]\((https?://[^)\s]+)\)", text))
                found |= set(re.findall(r"<(https?://[^>\s]+)>", text))
    return found
