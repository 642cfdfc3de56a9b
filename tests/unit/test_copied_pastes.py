"""A paste reaches awsmedic through a web page, a chat, a ticket's mail, a quoting reply or a
log collector, each of which changes it on the way: no-break spaces, invisible joiners, curly
quotes, HTML escapes, `> ` or a CI time stamp or a container's name on every line, a JSON log
record around it, line breaks shown as `\\n` (a log viewer, Python's repr), lines wrapped at
words to a narrow width (Terraform wraps its diagnostics to the terminal, mail clients to 72
columns). None of that may change what is recognised or how the causes rank.

The texts are the development corpus's own (tests/data/corpus/dev.jsonl), real pastes of real
threads; the changes are the ones those channels make.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from awsmedic.context import Context
from awsmedic.core.consult import Consultation
from awsmedic.core.pastes import JOINED_CHARS, prepare, reading, typeset
from awsmedic.core.transcript import Meta, Transcript
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.safety.redact import SecretBook

CORPUS = Path(__file__).parents[1] / "data" / "corpus" / "dev.jsonl"


# -- what the channels do ------------------------------------------------------------------------


def _lines(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))


def web_page(text: str) -> str:
    """Confluence, a chat: no-break spaces, curly quotes."""
    text = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", text).replace("'", "\u2019")
    return text.replace(" ", "\u00a0")


def invisible_joiners(text: str) -> str:
    """Zero-width spaces and soft hyphens where a renderer allowed a break in a long word."""
    return re.sub(r"([a-z]{4})([a-z]{4})", "\\1\u200b\\2", text).replace("ti", "t\u00adi")


def html_escaped(text: str) -> str:
    """A ticket's mail or a page that shows the text's markup."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def wrapped_at_words(text: str, width: int = 60) -> str:
    """Terraform's diagnostics in a narrow terminal, a mail client: long lines broken at blanks
    (a host id or a URL longer than the width is left whole, on a line of its own)."""
    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) or line
        for line in text.split("\n")
    )


CHANNELS: dict[str, Callable[[str], str]] = {
    "web page": web_page,
    "invisible joiners": invisible_joiners,
    "html escaped": html_escaped,
    "quoted reply": lambda text: _lines(text, "> "),
    "github actions": lambda text: _lines(text, "2024-03-01T10:11:12.1234567Z "),
    "docker compose": lambda text: _lines(text, "api-1  | "),
    "json log record": lambda text: json.dumps({"level": "error", "msg": "failed", "error": text}),
    "terraform box": lambda text: "\n".join(
        ["╷", *("│ " + line for line in text.split("\n")), "╵"]
    ),
    "windows line ends": lambda text: text.replace("\n", "\r\n"),
    "escaped line breaks": lambda text: text.replace("\n", "\\n").replace("\t", "\\t"),
    "wrapped at 60 columns": wrapped_at_words,
    "wrapped at 72 columns": lambda text: wrapped_at_words(text, 72),
}


# -- ranking as `diagnose --no-probes --no-input` does -------------------------------------------


@cache
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def ranked(text: str) -> tuple[str | None, list[str]]:
    ctx = Context.from_process(offline=True, probes_enabled=False)
    case = Consultation(ctx, knowledge(), SecretBook(), Transcript(Meta(botocore="")))
    best = case.recognise(text).best
    if best is None:
        return None, []
    outcome = case.run(lambda question: None)
    return best.tree, [candidate.cause for candidate in outcome.candidates]


def sample() -> list[dict[str, Any]]:
    """Every eighth labelled text of the development part (a fixed, spread sample)."""
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    labelled = [row for row in rows if row["cause"] not in ("unknown", "not-aws")]
    return labelled[::8]


@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_a_paste_ranks_alike_whatever_channel_it_came_through(channel: str) -> None:
    change = CHANNELS[channel]
    moved = []
    for row in sample():
        family, causes = ranked(row["text"])
        if family is None:
            continue
        other_family, other_causes = ranked(change(row["text"]))
        hit = row["cause"] in causes[:5]
        if other_family != family or hit != (row["cause"] in other_causes[:5]):
            moved.append((row["id"], family, other_family, causes[:5], other_causes[:5]))
    assert not moved, moved


# -- the pieces --------------------------------------------------------------------------------


def test_web_page_stand_ins_are_taken_back() -> None:
    text = (
        "The\u00a0config profile (dev) could\u2009not be found: \u201cdev\u201d doesn\u2019t exist"
    )
    assert typeset(text) == 'The config profile (dev) could not be found: "dev" doesn\'t exist'


def test_invisible_characters_inside_words_are_taken_out() -> None:
    assert typeset("The secu\u200brity to\u00adken is in\ufeffvalid") == (
        "The security token is invalid"
    )


def test_a_paste_escaped_throughout_is_unescaped() -> None:
    escaped = (
        "&lt;Error&gt;&lt;Code&gt;SignatureDoesNotMatch&lt;/Code&gt; &quot;x&quot; &#39;y&#x27;"
    )
    assert typeset(escaped) == "<Error><Code>SignatureDoesNotMatch</Code> \"x\" 'y'"


def test_a_paste_with_its_own_markup_keeps_its_escapes() -> None:
    """JSON, XML or a shell line that shows a `"` or `<` as it is wrote its `&quot;` itself."""
    for text in ('{"msg": "a &quot;b&quot;"}', "<Message>a &amp; b</Message>"):
        assert typeset(text) == text


def test_an_escape_never_becomes_a_control_character() -> None:
    cleaned = prepare("Access denied &#27;[31mred&#x1b;[0m &#127; &#1114112;")[0]
    assert "\x1b" not in cleaned and "\x7f" not in cleaned
    assert "&#27;" in cleaned


def test_reading_puts_the_message_lines_joined_first() -> None:
    cleaned = "> Missing Dependency: Using the login\n> credential provider requires\n\n> next"
    lines = ["Missing Dependency: Using the login", "credential provider requires", "", "next"]
    assert reading(cleaned, lines) == (
        "Missing Dependency: Using the login credential provider requires\nnext\n\n" + cleaned
    )


def test_reading_a_clean_line_is_the_line() -> None:
    assert reading("Unable to locate credentials") == "Unable to locate credentials"


def test_a_joined_run_is_bounded() -> None:
    line = "word " * 150
    joined = reading("\n".join([line] * 6)).split("\n\n")[0]
    assert all(len(run) < JOINED_CHARS for run in joined.split("\n"))
