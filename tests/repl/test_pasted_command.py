"""A paste in the REPL is checked as the pasted command ran (core.pastedcommand), and the
toolbar shows that command's profile and region, not the REPL's own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.repl.conftest import ENTER, Session, paste

KEYS = (
    "[default]\naws_access_key_id = AKIARZPUZDIKGB2VALC4\n"
    "aws_secret_access_key = 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\n"
    "[dev]\naws_access_key_id = AKIAY7HQ2WPLMN4RT3KC\n"
    "aws_secret_access_key = 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\n"
)
ERROR = (
    "An error occurred (InvalidAccessKeyId) when calling the ListBuckets operation: The AWS"
    " Access Key Id you provided does not exist in our records."
)


def test_a_pasted_command_line_sets_the_profile_and_region_of_the_case(
    start: Callable[..., Session], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / ".aws" / "credentials").write_text(KEYS)
    (home / ".aws" / "config").write_text(
        "[default]\nregion = us-east-1\n[profile dev]\nregion = cn-north-1\n"
    )
    session = start(offline=True)
    toolbar = session.repl.session.bottom_toolbar
    assert "profile default · region us-east-1" in toolbar()
    text = f"me@laptop:~$ aws s3 ls --profile dev\n{ERROR}"
    assert session.run(paste(text) + ENTER + "/why" + ENTER + "/quit" + ENTER) == 0
    assert "profile 'dev' (--profile in the pasted command line)" in session.shown
    assert "cn-north-1 is in partition aws-cn" in session.shown
    assert "profile dev · region cn-north-1 · key ****************T3KC" in toolbar()
