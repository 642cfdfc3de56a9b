"""A very long paste: the error is found wherever it is, and every output says what was not read.

A CI log of 12,000 build lines with the AWS CLI's one error line between them and 330 KB of
other output after it (audit 3, s28c) is longer than the head and tail the matcher reads whole;
the lines of the middle that may hold an error are kept with the lines around them.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

from awsmedic.core.match import MAX_PASTE_CHARS, Matcher
from awsmedic.core.pastes import MIDDLE_CHARS, TRUNCATED_NOTE, bound
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.output.render import Printer, make_console
from awsmedic.safety.redact import SecretBook

MB = 1024 * 1024
ERROR = "$ aws s3 ls --profile staging\nThe config profile (staging) could not be found\n\n"


@functools.cache
def matcher() -> Matcher:
    return Matcher(load_checked([shipped_dir()]))


def build_log(lines: int = 12_000) -> str:
    return "".join(
        f"2024-06-01T10:{n % 60:02d}:00Z [build] step {n}: compiling module_{n} ... ok\n"
        for n in range(lines)
    )


def ci_log_with_error_inside() -> str:
    log = build_log()
    return log + ERROR + "x" * (MB - len(log))


def test_an_error_in_the_middle_of_a_large_log_is_found() -> None:
    text = ci_log_with_error_inside()
    assert text.index("could not be found") > 100_000 and len(text) - text.index(ERROR) > 200_000
    recognition = matcher().recognise(text)
    assert recognition.truncated
    assert recognition.best is not None and recognition.best.tree == "profile-not-found"
    assert recognition.facts["profile"].value == "staging"
    kept, truncated = matcher().bound(text)
    assert truncated and "$ aws s3 ls --profile staging" in kept  # the line above it too


def test_a_large_log_without_an_error_keeps_its_head_and_tail_only() -> None:
    text = build_log(20_000)
    kept, truncated = matcher().bound(text)
    assert truncated
    assert kept == bound(text)[0]
    assert len(kept) <= MAX_PASTE_CHARS + 10


def test_an_error_repeated_through_the_middle_is_kept_once_and_bounded() -> None:
    """A retried command's error on every tenth line: its shape is kept once, and however
    many lines may hold an error, the middle kept stays within its budget."""
    retried = "".join(
        f"attempt {n}: An error occurred (AccessDenied) when calling the ListBuckets operation\n"
        if n % 10 == 0
        else f"step {n} ok\n"
        for n in range(40_000)
    )
    kept, _ = matcher().bound(retried)
    assert len(kept) <= MAX_PASTE_CHARS + MIDDLE_CHARS + 100
    middle = kept[16_000 : len(kept) - (MAX_PASTE_CHARS - 16_000)]
    assert middle.count("(AccessDenied)") == 1
    distinct = "".join(
        f"{n}: An error occurred (AccessDenied{'x' * (n % 97)}) when calling it\n"
        for n in range(30_000)
    )
    assert len(matcher().bound(distinct)[0]) <= MAX_PASTE_CHARS + MIDDLE_CHARS + 100


def test_one_huge_line_is_looked_at_in_pieces() -> None:
    text = "x" * 200_000 + " The config profile (staging) could not be found " + "y" * 200_000
    recognition = matcher().recognise(text)
    assert recognition.best is not None and recognition.best.tree == "profile-not-found"


def test_scanning_the_middle_of_a_megabyte_is_cheap() -> None:
    """Well under the one second `make bench BENCH=large_input` allows the whole process (the
    figure here is generous for a loaded test machine)."""
    text = ci_log_with_error_inside()
    matcher().recognise("warm up")
    started = time.perf_counter()
    matcher().bound(text + " ")  # a new string: not the one bound last
    assert time.perf_counter() - started < 0.5


def test_the_text_output_says_what_was_not_read_when_nothing_matched() -> None:
    out = StringIO()
    printer = Printer(make_console(out, no_color=True, width=200), SecretBook())
    printer.no_match(None, truncated=True)
    shown = out.getvalue()
    assert "only its first 16,000 and last 48,000 characters were read whole" in shown
    assert "Paste the whole error message" not in shown
    assert "the lines around it" in shown


def _diagnose(tmp_path: Path, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    paste = tmp_path / "paste.log"
    paste.write_text(text)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": os.pathsep.join(sys.path),
        "AWS_EC2_METADATA_DISABLED": "true",
        "LANG": "C.UTF-8",
    }
    argv = ["diagnose", "--no-input", "--no-probes", *args, "--error-file", str(paste)]
    return subprocess.run(
        [sys.executable, "-m", "awsmedic", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_every_format_says_the_paste_was_cut(tmp_path: Path) -> None:
    """Text says it on stdout, found or not; the other formats on stderr (and Markdown in its
    report too)."""
    found = _diagnose(tmp_path, ci_log_with_error_inside())
    assert found.returncode == 0
    assert "profile could not be found" in found.stdout
    assert "were read whole" in " ".join(found.stdout.split())
    nothing = _diagnose(tmp_path, build_log(20_000))
    assert nothing.returncode == 1
    assert "were read whole" in " ".join(nothing.stdout.split())
    for fmt in ("json", "markdown", "github"):
        result = _diagnose(tmp_path, ci_log_with_error_inside(), "--format", fmt)
        assert result.returncode == 0, result.stderr
        assert f"awsmedic: note: {TRUNCATED_NOTE}" in result.stderr
    markdown = _diagnose(tmp_path, ci_log_with_error_inside(), "--format", "markdown")
    assert TRUNCATED_NOTE in markdown.stdout
