"""safety.capture: what a wrapped command prints, kept like a paste: bounded, head and tail."""

from __future__ import annotations

from awsmedic.safety.capture import Capture


def test_small_output_is_kept_whole() -> None:
    capture = Capture()
    for chunk in (b"one\n", b"two\n"):
        capture.add(chunk)
    assert (capture.data(), capture.truncated, capture.text()) == (
        b"one\ntwo\n",
        False,
        "one\ntwo\n",
    )


def test_long_output_keeps_its_head_and_tail_with_the_cut_marked() -> None:
    capture = Capture(limit=100, head=10)
    for number in range(1000):
        capture.add(b"%04d\n" % number)
    data = capture.data()
    assert capture.truncated and capture.total == 5000
    assert data.startswith(b"0000\n0001\n")
    assert data.endswith(b"0999\n")
    assert "…".encode() in data
    assert len(data) <= 100 + 5


def test_memory_stays_bounded() -> None:
    capture = Capture(limit=1000, head=100)
    for _ in range(10_000):
        capture.add(b"x" * 100)
    assert len(capture._tail) <= 2 * 900 + 100


def test_binary_output_is_no_text() -> None:
    capture = Capture()
    capture.add(bytes(range(256)) * 10)
    assert capture.text() == ""
