"""/why shows the branch the walk took, with the finding or answer that chose it, and tells the
same path as an export of the session."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hardening.test_bounded import ICTI, KEY, SECRET
from tests.nethelpers import closed_port
from tests.repl.conftest import ENTER, Session, paste
from tests.unit.probes.test_sso import SESSION, cache

Start = Callable[..., Session]
SSO_EXPIRED = (
    "Error when retrieving token from sso: Token has expired and refresh failed\n"
    "The SSO session associated with this profile has expired or is otherwise invalid. "
    "To refresh this SSO session run aws sso login with the corresponding profile."
)


def why_lines(shown: str) -> list[str]:
    """The numbered path lines of the last /why, joined where the console wrapped them."""
    block = shown.rsplit("Path through the decision tree for", 1)[1]
    block = block.split("\nEvidence:")[0].split("\nStill possible:")[0]
    lines: list[str] = []
    for raw in block.splitlines()[1:]:
        if re.match(r"^\s+\d+\.", raw):
            lines.append(raw.strip())
        elif lines and raw.startswith("     "):
            lines[-1] += " " + raw.strip()
    return lines


def exported_branches(path: Path) -> list[tuple[str, str]]:
    """(node, the finding, signal or answer that led on) of the exported case's path, in order
    (an answer to a consent question, then the probe's own branch)."""
    events = json.loads(path.read_text())["events"]
    branches: list[tuple[str, str]] = []
    for event in events:
        if event["type"] == "branched":
            branches.append((event["node"], event["on"]))
        elif event["type"] == "answered":
            branches.append((event["node"], event["answer"]))
    return branches


def test_why_shows_the_branch_taken_not_the_first_that_leads_there(
    start: Start, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every branch of the identity check leads to the same node: /why said `identity-ok` for an
    endpoint it could not reach. It says what happened, and agrees with the export."""
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port()}")
    exported = tmp_path / "case.json"
    session = start()
    keys = paste(ICTI) + ENTER + "/skip" + ENTER + "/why" + ENTER + f"/export {exported}" + ENTER
    assert session.run(keys + "/quit" + ENTER) == 0
    lines = why_lines(session.shown)
    identity = [line for line in lines if "Caller identity" in line]
    assert identity and identity[0].endswith("→ skipped"), identity
    assert "not checked: AWS could not be reached from here" in identity[0]
    assert not any("→ identity-ok" in line for line in lines)
    branches = exported_branches(exported)
    ways = [line.rsplit(" → ", 1)[1].split(" (")[0] for line in lines if " → " in line]
    assert [on for _, on in branches] == ways[: len(branches)]
    assert len(branches) == len(lines) - 1  # the last line waits for an answer


def test_why_names_the_finding_that_chose_among_branches_to_one_node(
    start: Start, home: Path, tmp_path: Path
) -> None:
    """sso-token-missing and sso-registration-expired both lead to `expired`: /why says which."""
    (home / ".aws" / "config").write_text(SESSION)
    cache(
        home,
        "corp",
        {
            "accessToken": "aoaAAAAAGZ" + "x" * 300,
            "expiresAt": "2025-11-20T10:00:00Z",
            "refreshToken": "r" * 40,
            "clientId": "c" * 20,
            "clientSecret": "s" * 40,
            "registrationExpiresAt": "2025-12-01T00:00:00Z",
        },
    )
    exported = tmp_path / "case.json"
    session = start(offline=True, profile="dev")
    keys = paste(SSO_EXPIRED) + ENTER + "/why" + ENTER + f"/export {exported}" + ENTER
    assert session.run(keys + "/quit" + ENTER) == 0
    lines = why_lines(session.shown)
    token = [line for line in lines if "→ sso-" in line]
    assert token and token[0].endswith("→ sso-registration-expired"), lines
    ways = [line.rsplit(" → ", 1)[1].split(" (")[0] for line in lines if " → " in line]
    assert [on for _, on in exported_branches(exported)] == ways
    assert lines[-1].startswith(f"{len(lines)}. cause: ")
    assert "sso-session-expired" not in lines[-1]  # the cause's title, not its id
