"""creds.process: run credential_process once, bounded, and judge its output by its shape."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from awsmedic.model import Status
from awsmedic.probes import process
from tests.unit.probes.helpers import KEY, SECRET, TOKEN, probe

TEMPORARY_KEY = "ASIA" + KEY[4:]
GOOD = {
    "Version": 1,
    "AccessKeyId": TEMPORARY_KEY,
    "SecretAccessKey": SECRET,
    "SessionToken": TOKEN,
    "Expiration": "2099-01-01T00:00:00Z",
}


def helper(home: Path, body: str) -> str:
    """A credential_process helper script; returns the command line for the config."""
    path = home / "helper.py"
    path.write_text("import json, sys, time\n" + body + "\n")
    return f"{sys.executable} {path}"


def profile(home: Path, command: str, name: str = "dev") -> None:
    (home / ".aws" / "config").write_text(f"[profile {name}]\ncredential_process = {command}\n")


def run(home: Path, body: str) -> object:
    profile(home, helper(home, body))
    return probe("creds.process", profile="dev")


def test_not_configured(home: Path) -> None:
    assert probe("creds.process").findings == ("not-process-profile",)


def test_valid_output_is_described_not_shown(home: Path) -> None:
    evidence = run(home, f"print(json.dumps({GOOD!r}))")
    assert evidence.status is Status.OK  # type: ignore[attr-defined]
    assert evidence.findings == ("process-ok",)  # type: ignore[attr-defined]
    text = evidence.summary + "".join(evidence.details)  # type: ignore[attr-defined]
    for value in (TEMPORARY_KEY, SECRET, TOKEN):
        assert value not in text
    secrets = {s.reveal() for s in evidence.secrets}  # type: ignore[attr-defined]
    assert {TEMPORARY_KEY, SECRET, TOKEN} <= secrets
    assert (
        "keys: AccessKeyId, Expiration, SecretAccessKey, SessionToken, Version" in evidence.summary
    )  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("key", "token", "finding", "says"),
    [
        (KEY, TOKEN, "process-token-with-long-term-key", "long-term AKIA key together with"),
        (TEMPORARY_KEY, None, "process-temporary-key-without-token", "without the SessionToken"),
        (TEMPORARY_KEY, "", "process-temporary-key-without-token", "without the SessionToken"),
    ],
)
def test_a_key_and_token_that_cannot_go_together(
    home: Path, key: str, token: str | None, finding: str, says: str
) -> None:
    """botocore sends what the helper prints as it is (credentials.py ProcessProvider): a
    long-term key with a token, or a temporary key without one, is refused by AWS."""
    printed = {"Version": 1, "AccessKeyId": key, "SecretAccessKey": SECRET}
    if token is not None:
        printed["SessionToken"] = token
    evidence = run(home, f"print(json.dumps({printed!r}))")
    assert evidence.status is Status.PROBLEM  # type: ignore[attr-defined]
    assert evidence.findings == (finding,)  # type: ignore[attr-defined]
    assert says in evidence.summary  # type: ignore[attr-defined]
    for value in (key, SECRET, TOKEN):
        assert value not in evidence.summary + "".join(evidence.details)  # type: ignore[attr-defined]


def test_a_long_term_key_alone_is_fine(home: Path) -> None:
    printed = {"Version": 1, "AccessKeyId": KEY, "SecretAccessKey": SECRET}
    evidence = run(home, f"print(json.dumps({printed!r}))")
    assert evidence.findings == ("process-ok",)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "finding", "says"),
    [
        (
            "print('sso session expired', file=sys.stderr); sys.exit(2)",
            "process-exit-nonzero",
            "status 2: sso session expired",
        ),
        ("sys.exit(1)", "process-exit-nonzero", "printed nothing on stderr"),
        ("print('Enter your password:')", "process-stdout-not-json", "not JSON"),
        ("print('export AWS_ACCESS_KEY_ID=x')", "process-stdout-not-json", "env format"),
        ("pass", "process-stdout-empty", "nothing on stdout"),
        ("print(json.dumps({'Version': 2}))", "process-bad-version", "Version 2"),
        (
            "print(json.dumps({'Version': 1, 'AccessKeyId': 'x'}))",
            "process-missing-keys",
            "lacks SecretAccessKey",
        ),
        (
            f"print(json.dumps({{**{GOOD!r}, 'Expiration': '2001-01-01T00:00:00Z'}}))",
            "process-expired",
            "expired at 2001-01-01",
        ),
        (
            f"print(json.dumps({{**{GOOD!r}, 'Expiration': 'soon'}}))",
            "process-bad-expiration",
            "not an ISO 8601 time",
        ),
    ],
)
def test_broken_helpers(home: Path, body: str, finding: str, says: str) -> None:
    evidence = run(home, body)
    assert evidence.findings[0] == finding  # type: ignore[attr-defined]
    assert says in evidence.summary  # type: ignore[attr-defined]
    assert "~/.aws/config line 2 [profile dev]" in evidence.summary  # type: ignore[attr-defined]


def test_stdin_is_closed_so_a_prompt_cannot_wait(home: Path) -> None:
    evidence = run(
        home, "line = sys.stdin.readline(); print('got', repr(line), file=sys.stderr); sys.exit(3)"
    )
    assert "got ''" in evidence.summary  # type: ignore[attr-defined]


def test_a_hanging_helper_is_stopped(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(process, "PROCESS_TIMEOUT_SECONDS", 0.5)
    evidence = run(home, "time.sleep(30)")
    assert evidence.findings == ("process-timeout",)  # type: ignore[attr-defined]
    assert evidence.elapsed_ms < 5000  # type: ignore[attr-defined]


def test_a_missing_program_and_shell_syntax(home: Path) -> None:
    profile(home, "~/bin/vault-helper --json | jq .")
    evidence = probe("creds.process", profile="dev")
    assert evidence.findings == ("process-command-not-found", "process-shell-syntax")
    assert "no shell runs it" in "".join(evidence.details)


def test_a_role_profile_runs_its_source_profiles_helper(home: Path) -> None:
    command = helper(home, "sys.exit(4)")
    (home / ".aws" / "config").write_text(
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n"
        f"[profile base]\ncredential_process = {command}\n"
    )
    evidence = probe("creds.process", profile="dev")
    assert evidence.findings == ("process-exit-nonzero",)
    assert "profile 'base'" in evidence.summary


def test_it_is_never_prefetched() -> None:
    from awsmedic.probes import registry

    assert registry()["creds.process"].prefetch is False


def test_the_last_stderr_line_is_scrubbed_like_a_paste(home: Path) -> None:
    """Issue 17, item 12: the helper's own password or token, never seen by any probe, was
    shown verbatim in the evidence."""
    password, token = "Hunter2-Corp!x9", "ghp_Zx8Qw7Er6Ty5Ui4Op3As2Df1Gh0Jk9Lz"
    said = f"login failed for alice (password={password}, GITHUB_TOKEN={token})"
    evidence = run(home, f"print({said!r}, file=sys.stderr); sys.exit(1)")
    assert evidence.findings == ("process-exit-nonzero",)  # type: ignore[attr-defined]
    assert "login failed for alice" in evidence.summary  # type: ignore[attr-defined]
    for value in (password, token):
        assert value not in evidence.summary  # type: ignore[attr-defined]


# -- botocore's own runs of the helper: only with consent:creds.process -----------------------


def helped_profiles(home: Path) -> Path:
    """`p2` runs a helper that leaves a marker; `r` is a role whose source profile is `p2`."""
    marker = home / "HELPER_RAN"
    command = helper(
        home,
        f"open({str(marker)!r}, 'a').write('ran\\n')\n"
        f"print(json.dumps({{'Version': 1, 'AccessKeyId': {KEY!r}, 'SecretAccessKey': {SECRET!r}}}))",
    )
    (home / ".aws" / "config").write_text(
        f"[profile p2]\ncredential_process = {command}\nregion = us-east-1\n"
        "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = p2\n"
        "region = us-east-1\n"
    )
    return marker


@pytest.mark.parametrize("name", ["p2", "r"])
def test_a_signed_probe_without_consent_is_not_checked_and_runs_no_helper(
    home: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from awsmedic.model import Unchecked

    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing may be sent anyway
    marker = helped_profiles(home)
    evidence = probe("sts.identity", profile=name)
    assert not marker.exists()
    assert evidence.status is Status.SKIPPED
    assert evidence.unchecked is Unchecked.CONSENT
    assert evidence.findings == ()  # never evidence about the credentials
    assert evidence.summary.startswith(
        "not checked: running the credential_process helper needs your consent (profile 'p2';"
    )
    assert "--answer consent:creds.process=yes" in evidence.summary


@pytest.mark.parametrize("name", ["p2", "r"])
def test_a_late_yes_lets_botocore_run_the_helper_in_the_same_world(home: Path, name: str) -> None:
    """The consent is asked when botocore would start the helper (a walk may get the yes late);
    a refused role resolution leaves no state behind that breaks the next try."""
    from awsmedic.probes.world import AwsWorld
    from awsmedic.safety.guard import HelperNeedsConsent
    from awsmedic.safety.redact import SecretBook
    from tests.conftest import make_context

    marker = helped_profiles(home)
    consent: list[bool] = []
    world = AwsWorld(make_context(profile=name), SecretBook(), lambda: bool(consent))
    with pytest.raises(HelperNeedsConsent):
        world.client("sts", "us-east-1")
    assert not marker.exists()
    consent.append(True)
    client = world.client("sts", "us-east-1")
    assert marker.exists()
    if name == "p2":
        assert client._request_signer._credentials.access_key == KEY


@pytest.mark.parametrize(
    ("first_line", "interpreter"),
    [
        ("#!/usr/bin/env awsmedic-no-python2", "awsmedic-no-python2"),
        ("#!/usr/bin/env -S awsmedic-no-python2 -u", "awsmedic-no-python2"),
        ("#!/opt/awsmedic-nowhere/bin/python", "/opt/awsmedic-nowhere/bin/python"),
    ],
)
def test_a_helper_script_whose_interpreter_is_not_installed(
    home: Path, first_line: str, interpreter: str
) -> None:
    """Audit 4 s05: the script exists and is executable, but its `#!` line names an
    interpreter this machine does not have (env exits 127; an absolute one fails the exec)."""
    script = home / "bin" / "aws-creds"
    script.parent.mkdir()
    script.write_text(f'{first_line}\nprint("{{}}")\n')
    script.chmod(0o755)
    profile(home, f"{script} --account dev")
    evidence = probe("creds.process-program", profile="dev")
    assert evidence.findings == ("process-program-found", "process-interpreter-missing")
    assert evidence.status is Status.PROBLEM
    assert evidence.facts["interpreter"].value == interpreter


def test_a_helper_script_whose_interpreter_is_installed(home: Path) -> None:
    script = home / "aws-creds"
    script.write_text("#!/usr/bin/env sh\necho '{}'\n")
    script.chmod(0o755)
    profile(home, str(script))
    evidence = probe("creds.process-program", profile="dev")
    assert evidence.findings == ("process-program-found",)


def test_the_paste_names_the_missing_interpreter_when_the_script_is_elsewhere(home: Path) -> None:
    """GNU env's message in the paste names the interpreter the failing machine lacked."""
    profile(home, "/bin/true")
    text = (
        "Error when retrieving credentials from custom-process: /usr/bin/env: \u2018python2\u2019:"
        " No such file or directory"
    )
    evidence = probe("creds.process-program", text, profile="dev")
    assert "process-interpreter-missing" in evidence.findings
    assert evidence.facts["interpreter"].value == "python2"


def test_the_findings_steps_settle_without_the_helper_are_its_own() -> None:
    """core.situation settles these without importing this module: they must stay real."""
    from awsmedic.core.situation import HELPER_KEY_FINDINGS
    from awsmedic.probes import spec

    found = spec("creds.process")
    assert found is not None
    assert set(HELPER_KEY_FINDINGS) <= set(found.findings)
