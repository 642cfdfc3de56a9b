"""The REPL filters what it shows for the terminal, its toolbar too (issue 17, item 3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.hardening.test_terminal import HOSTILE, ICTI, assert_safe
from tests.repl.conftest import ENTER, Session, paste


def test_the_repl_and_its_toolbar_are_filtered(
    start: Callable[..., Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", f"dev{HOSTILE}")
    session = start(offline=True)
    assert session.run(paste(f"{HOSTILE}\n{ICTI}") + ENTER + "/why" + ENTER + "/quit" + ENTER) == 0
    assert "Recognised" in session.shown
    assert_safe(session.shown)
    toolbar = session.repl.session.bottom_toolbar()
    assert "dev" in toolbar
    assert_safe(toolbar)
