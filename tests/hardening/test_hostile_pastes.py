"""Pastes shaped to make regular expressions backtrack: each is read in bounded time.

Matching reads every line for prefixes, JSON and logfmt wrapping, prompts and command lines,
and runs the knowledge base's patterns (tools, look-alikes, signals, hints). A pattern with two
runs of blanks in a row, or one that crosses lines, costs quadratic time on a long run of
spaces or of short lines: tens of seconds for 64,000 characters. Each shape here is the full
text-only diagnosis (recognition, walk, ranking) of the largest paste that is matched whole.
The bound is generous (the machine is shared: these take well under a second when idle); one
quadratic pattern alone takes longer.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import cache

import pytest

from awsmedic.context import Context
from awsmedic.core.consult import Consultation
from awsmedic.core.match import MAX_PASTE_CHARS, Matcher
from awsmedic.core.transcript import Meta, Transcript
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.safety.redact import SecretBook

N = MAX_PASTE_CHARS
SHAPES = {
    "spaces": " " * N,
    "tabs": "\t" * N,
    "blank lines with spaces": " \n" * (N // 2),
    "empty lines": "\n" * N,
    "prompt then spaces": "u@h:" + " " * N,
    "virtualenv then spaces": "(v)" + " " * N,
    "assignments": "a=" * (N // 2),
    "profile options": "aws " + "--profile " * (N // 10),
    "quote marks": ">\n" * (N // 2),
    "box lines": "│ \n" * (N // 3),
    "deep JSON": "[" * (N // 2) + "]" * (N // 2),
    "open JSON": '{"a":' * (N // 5),
    "escaped quotes in logfmt": 'level=error msg="' + '\\"' * (N // 2),
    "a slot of spaces": "The config profile (" + " " * N + ") could not be found",
    "a slot of commas": "Partial credentials found in " + "x," * (N // 2) + " missing: y",
    "base64 host id": "host_id: " + "A/" * (N // 2),
    "frames": "\tat Amazon.x\n" * (N // 13),
    "log levels": "ERROR " * (N // 6),
    "MinIO client prefixes": "mc: " * (N // 4),
    "S3 error elements": "<Error><Resource />" * (N // 18),
    "request ids": "request id: x-, host id: " * (N // 24),
    "Ceph log prefixes": "req 1 1.1s " * (N // 11),
    # (recognised, so that the Roles Anywhere facts are read from the whole paste)
    "signing helper continuations": "aws_signing_helper"
    + " \\\n" * (N // 3)
    + "\nAccessDeniedException: Untrusted Signing Certificate",
    "signing helper options": "aws_signing_helper "
    + "--certificate " * (N // 14)
    + "\nAccessDeniedException: Untrusted Signing Certificate",
}


@cache
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_a_hostile_paste_is_diagnosed_in_bounded_time(name: str) -> None:
    ctx = Context(environ={}, home=None, probes_enabled=False)
    consultation = Consultation(
        ctx,
        knowledge(),
        SecretBook(),
        Transcript(Meta(botocore="", started=datetime.now(UTC))),
        matcher=Matcher(knowledge()),
    )
    started = time.monotonic()
    if consultation.recognise(SHAPES[name]).best is not None:
        consultation.run(lambda question: None)
    assert time.monotonic() - started < 5
