"""/check end to end against the local AWS endpoint (moto, auth enforced): broken, fixed, checked.

Each test builds a real broken set-up, captures the error boto3 really raises in it, pastes that
into the REPL (driven through a pipe), follows the diagnosis to its end, then changes the files
the way the steps say (or not at all) and types /check.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import boto3
import pytest

from awsmedic.model import Concluded, Pasted
from tests.awsfixtures import Keys, MotoAws
from tests.repl.conftest import ENTER, Session, paste

pytestmark = pytest.mark.moto

Start = Callable[..., Session]


def write_keys(home: Path, keys: Keys, profile: str = "default") -> None:
    (home / ".aws" / "credentials").write_text(
        f"[{profile}]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )


def real_error(profile: str | None = None) -> str:
    """What boto3 says in this set-up (the test's environment points it at moto)."""
    try:
        boto3.Session(profile_name=profile).client("sts").get_caller_identity()
    except Exception as exc:
        return str(exc)
    raise AssertionError("the set-up is not broken")


def masked(keys: Keys) -> str:
    return "*" * 16 + keys.access_key_id[-4:]


def after(shown: str, marker: str) -> str:
    return shown.rsplit(marker, 1)[1]


@pytest.fixture
def deleted_key(aws: MotoAws, home: Path) -> tuple[MotoAws, Keys]:
    """Broken: ~/.aws/credentials holds a key that was deleted (rotated away)."""
    old = aws.create_user("alice")
    write_keys(home, old)
    aws.delete_key("alice", old)
    aws.enforce()
    return aws, old


def diagnose_deleted_key(start: Start) -> Session:
    error = real_error()
    assert "InvalidClientTokenId" in error
    session = start()
    # May I use another profile's keys? none here; then: what happened to the key? deleted.
    keys = paste(error) + ENTER + "2" + "1"
    assert session.run(keys + "/quit" + ENTER) == 0
    causes = [e.diagnosis.cause for e in session.events if isinstance(e, Concluded)]
    assert causes == ["key-deleted"], session.shown
    return session


def test_broken_fixed_checked(
    start: Start, home: Path, deleted_key: tuple[MotoAws, Keys], monkeypatch: pytest.MonkeyPatch
) -> None:
    aws, old = deleted_key
    session = diagnose_deleted_key(start)

    # The user follows the steps: a new key for alice, written where the old one was.
    aws.relax()
    new = aws.create_key("alice")
    aws.enforce()
    write_keys(home, new)

    assert session.run("/check" + ENTER + "/why" + ENTER + "/quit" + ENTER) == 0
    checked = after(session.shown, "› /check")
    assert "Fixed: AWS accepts the credentials now, as arn:aws:iam::123456789012:user/alice" in (
        " ".join(checked.split())
    )
    assert f"(key {masked(new)})" in " ".join(checked.split())
    assert "What changed:" in checked
    assert new.secret_access_key not in session.shown and new.access_key_id not in session.shown
    assert old.access_key_id not in session.shown
    # The check is part of the session: a second walk of the same paste, and /why follows it.
    assert len([e for e in session.events if isinstance(e, Pasted)]) == 2
    assert "works-in-failing-region" in after(session.shown, "› /why")


def test_checked_while_still_broken_says_what_is_wrong_and_the_next_step(
    start: Start, deleted_key: tuple[MotoAws, Keys]
) -> None:
    session = diagnose_deleted_key(start)
    assert session.run("/check" + ENTER + "/quit" + ENTER) == 0
    checked = " ".join(after(session.shown, "› /check").split())
    assert "Fixed" not in checked
    assert "AWS does not accept the credentials" in checked or "Still wrong" in checked
    assert "Next step:" in checked
    assert "Nothing the checks look at has changed." in checked, checked


def test_check_waits_for_the_end_of_the_case(
    start: Start, deleted_key: tuple[MotoAws, Keys]
) -> None:
    session = start()
    keys = paste(real_error()) + ENTER + "/check" + ENTER + "/quit" + ENTER
    assert session.run(keys) == 0
    assert "Finish the case first" in session.shown
    fresh = start()
    assert fresh.run("/check" + ENTER + "/quit" + ENTER) == 0
    assert "Nothing to check yet: paste an AWS error first." in fresh.shown


@pytest.mark.parametrize(
    ("identity", "same_cause", "still", "verdict"),
    [
        ("identity-ok", False, False, "fixed"),
        ("identity-ok", True, False, "retry"),
        ("identity-ok", False, True, "still"),
        ("rejected-invalid-client-token-id", False, False, "not-fixed"),
        (None, False, False, "unknown"),
    ],
)
def test_the_verdict_follows_the_identity_and_what_is_still_found(
    identity: str | None, same_cause: bool, still: bool, verdict: str
) -> None:
    from awsmedic.core.consult import Outcome
    from awsmedic.core.recheck import _verdict
    from awsmedic.model import Confidence, Diagnosis, Evidence, Recognition, Status, Unchecked
    from awsmedic.probes import not_checked

    old = Diagnosis("key-deleted", "Deleted", Confidence.LIKELY, (), "", ())
    outcome = Outcome(Recognition((), (), frozenset(), None, None))
    outcome.diagnosis = old if same_cause else None
    evidence = (
        Evidence("sts.identity", Status.OK, "works", (identity,))
        if identity
        else not_checked("sts.identity", Unchecked.OFFLINE)
    )
    found = (Evidence("creds.keys", Status.PROBLEM, "still", ("x",)),) if still else ()
    assert _verdict(old, outcome, evidence, found) == verdict
