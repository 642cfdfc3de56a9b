"""The HTML transcript in a real browser: headless Chromium (Debian's `chromium`) renders it to a
PNG, loads nothing from the network, and reports no error on the page's console."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from awsmedic.output.exporting import render
from awsmedic.safety.redact import SecretBook
from tests.export.session import golden_session
from tests.export.test_safety import injected

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="headless Chromium is not installed (Debian package `chromium`, listed in "
        "tests/system-packages.txt)",
    ),
]


def screenshot(page: Path, tmp_path: Path) -> tuple[bytes, str]:
    png = tmp_path / "page.png"
    assert CHROMIUM is not None
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            # Anything the page tried to fetch from a host would fail here, and show in the log.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--log-level=0",
            "--window-size=1000,1400",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return png.read_bytes(), result.stderr


def page_errors(log: str) -> list[str]:
    """Console messages and blocked loads from the page (not Chromium's own D-Bus chatter)."""
    markers = ("CONSOLE", "Refused to", "Uncaught", "ERR_NAME_NOT_RESOLVED", "net::ERR")
    return [line for line in log.splitlines() if any(marker in line for marker in markers)]


def check_png(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_golden_transcript_renders_without_errors(tmp_path: Path) -> None:
    page = tmp_path / "transcript.html"
    page.write_text(render(golden_session().redacted(SecretBook()), "html"), encoding="utf-8")
    data, log = screenshot(page, tmp_path)
    assert check_png(data) == (1000, 1400)
    assert len(data) > 20_000, "an almost empty screenshot: the page did not render"
    assert page_errors(log) == []


def test_an_injected_paste_runs_nothing_and_fetches_nothing(tmp_path: Path) -> None:
    redacted, _ = injected()
    page = tmp_path / "injected.html"
    page.write_text(render(redacted, "html"), encoding="utf-8")
    data, log = screenshot(page, tmp_path)
    check_png(data)
    assert page_errors(log) == []


def test_the_error_check_sees_a_page_that_fetches_or_scripts(tmp_path: Path) -> None:
    """Control: the same check on a page that breaks the rules does report it."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        'content="default-src \'none\'"></head><body><img src="https://example.com/x.png">'
        '<script>console.error("boom")</script></body></html>'
    )
    _, log = screenshot(page, tmp_path)
    assert len(page_errors(log)) >= 2
