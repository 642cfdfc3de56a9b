"""Bad input of every kind: a clear message and the contract's exit status, never a traceback.

Each case runs `awsmedic` as a user would (a subprocess, in the temp HOME of `clean_env`).
Exit statuses are CONTRACT.md's: 0 it ran (diagnosis or candidates), 1 no known error in the
text, 2 bad usage or input that cannot be read.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

ICTI = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)
DIAGNOSE = ("diagnose", "--offline", "--no-input", "--format", "json")


def awsmedic(
    *args: str | bytes,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "awsmedic", *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        env=os.environ.copy() if env is None else env,
    )
    out = subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8", errors="replace"),
        result.stderr.decode("utf-8", errors="replace"),
    )
    assert "Traceback" not in out.stderr + out.stdout, out.stderr
    assert "internal error" not in out.stderr, out.stderr
    return out


def recognised(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    assert data["matches"][0]["tree"] == "invalid-client-token-id"
    return data


# -- the pasted text --------------------------------------------------------------------------


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    result = awsmedic(*DIAGNOSE, "--error-file", sys.executable)
    assert result.returncode == 2
    assert "binary" in result.stderr


def test_binary_bytes_without_nul_are_refused() -> None:
    rng = random.Random(4)
    noise = bytes(
        rng.choice([*range(1, 9), *range(14, 32), *range(0x80, 0x100)]) for _ in range(4000)
    )
    result = awsmedic(*DIAGNOSE, stdin=noise)
    assert result.returncode == 2
    assert "does not look like text" in result.stderr


def test_nul_bytes_in_a_paste_are_refused_with_the_reason() -> None:
    result = awsmedic(*DIAGNOSE, stdin=ICTI.encode() + b"\x00\x00 trailing")
    assert result.returncode == 2
    assert "NUL" in result.stderr and "stdin" in result.stderr


def test_invalid_utf8_in_a_paste_is_read_around() -> None:
    recognised(awsmedic(*DIAGNOSE, stdin=b"\xff\xfe\xc3(" + ICTI.encode() + b"\xe2\x82"))


def test_invalid_utf8_in_the_text_argument_is_read_around() -> None:
    recognised(awsmedic(*DIAGNOSE, b"\xff\xc3(" + ICTI.encode()))


def test_utf16_from_a_powershell_redirect_is_read(tmp_path: Path) -> None:
    path = tmp_path / "err.txt"
    path.write_bytes(("\ufeff" + ICTI + "\r\n").encode("utf-16-le"))
    recognised(awsmedic(*DIAGNOSE, "--error-file", str(path)))


def test_a_hundred_thousand_lines_are_read_and_the_cut_is_said(tmp_path: Path) -> None:
    path = tmp_path / "ci.log"
    path.write_text("".join(f"step {n}: still building\n" for n in range(100_000)) + ICTI)
    started = time.monotonic()
    as_json = awsmedic(*DIAGNOSE, "--error-file", str(path))
    assert time.monotonic() - started < 20
    recognised(as_json)
    assert "very long" in as_json.stderr
    as_text = awsmedic("diagnose", "--offline", "--no-input", "--error-file", str(path))
    assert as_text.returncode == 0 and "very long" in as_text.stdout


def test_input_beyond_the_read_limit_keeps_its_end(tmp_path: Path) -> None:
    from awsmedic.safety.inputs import MAX_INPUT_BYTES

    path = tmp_path / "huge.log"
    with path.open("w") as handle:
        line = "x" * 99 + "\n"
        handle.write(line * (MAX_INPUT_BYTES // 100 + 20_000))
        handle.write(ICTI + "\n")
    recognised(awsmedic(*DIAGNOSE, "--error-file", str(path)))
    recognised(awsmedic(*DIAGNOSE, stdin=path.read_bytes()))


def test_an_empty_paste_has_nothing_to_diagnose(tmp_path: Path) -> None:
    """Issue 17, item 11: it was told it "does not look like an AWS error"."""
    (tmp_path / "empty").write_bytes(b"")
    result = awsmedic(
        "diagnose", "--offline", "--no-input", "--error-file", str(tmp_path / "empty")
    )
    assert result.returncode == 2
    assert "nothing to diagnose" in result.stderr and result.stdout == ""


# -- the shared files -------------------------------------------------------------------------


def test_a_credentials_file_that_is_a_directory(home: Path) -> None:
    credentials = home / ".aws" / "credentials"
    credentials.mkdir()
    result = awsmedic(*DIAGNOSE, ICTI)
    recognised(result)
    assert "~/.aws/credentials is a directory" in result.stderr


def test_shared_files_in_a_symlink_loop(home: Path) -> None:
    (home / ".aws" / "credentials").symlink_to(home / ".aws" / "config")
    (home / ".aws" / "config").symlink_to(home / ".aws" / "credentials")
    result = awsmedic(*DIAGNOSE, ICTI)
    recognised(result)
    assert "~/.aws/credentials is a loop of symbolic links" in result.stderr
    assert "~/.aws/config is a loop of symbolic links" in result.stderr


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="runs as root, for whom chmod 000 does not stop reading",
)
def test_an_unreadable_credentials_file(home: Path) -> None:
    credentials = home / ".aws" / "credentials"
    credentials.write_text("[default]\naws_access_key_id = AKIARZPUZDIKGB2VALC4\n")
    credentials.chmod(0)
    try:
        result = awsmedic(*DIAGNOSE, ICTI)
    finally:
        credentials.chmod(0o600)
    recognised(result)
    assert "permission denied" in result.stderr


def test_an_unreadable_file_is_named_even_when_root_could_read_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a non-root user sees, simulated in-process (CI runs as root)."""
    from awsmedic.safety.secretscan import file_notes
    from tests.conftest import make_context

    credentials = home / ".aws" / "credentials"
    credentials.write_text("[default]\n")
    real_open = Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == credentials:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    assert file_notes(make_context()) == [
        "~/.aws/credentials cannot be read by this user (permission denied): "
        "botocore skips it as if it did not exist"
    ]


@pytest.mark.parametrize("where", ["credentials", "config", "sso/cache/corp.json"])
def test_a_fifo_where_a_file_should_be_is_skipped_and_named(home: Path, where: str) -> None:
    """Issue 17, item 7: opening a FIFO waits for a writer, so every command hung."""
    path = home / ".aws" / where
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    result = awsmedic(*DIAGNOSE, ICTI, timeout=45)
    recognised(result)
    if "/" not in where:  # a shared file: said at the start
        assert (
            f"~/.aws/{where} is a FIFO (named pipe), not a regular file: botocore skips it"
            in result.stderr
        )


def test_show_on_a_fifo_says_so(tmp_path: Path) -> None:
    fifo = tmp_path / "case.json"
    os.mkfifo(fifo)
    result = awsmedic("show", str(fifo), timeout=45)
    assert result.returncode == 2
    assert "a FIFO (named pipe), not a regular file" in result.stderr


def test_empty_shared_files(home: Path) -> None:
    (home / ".aws" / "credentials").write_bytes(b"")
    (home / ".aws" / "config").write_bytes(b"")
    result = awsmedic(*DIAGNOSE, ICTI)
    chain = next(p for p in recognised(result)["probes"] if p["id"] == "creds.chain")
    assert chain["findings"] == ["no-credentials"]
    assert "note" not in result.stderr


def test_a_credentials_file_of_ten_megabytes(home: Path) -> None:
    block = "[p{n}]\naws_access_key_id = AKIA{n:016d}\naws_secret_access_key = s{n:039d}\n"
    text = "".join(block.format(n=n) for n in range(92_000))
    (home / ".aws" / "credentials").write_text(text)
    started = time.monotonic()
    result = awsmedic(*DIAGNOSE, ICTI)
    assert time.monotonic() - started < 20
    recognised(result)
    assert "~/.aws/credentials is 10." in result.stderr
    assert "s" + "0" * 30 not in result.stdout + result.stderr


def test_a_config_botocore_cannot_build_a_client_from_is_said_not_guessed(
    home: Path, tmp_path: Path
) -> None:
    """botocore refuses the set-up, quoting the value in its message (here a secret, pasted on
    the wrong line): the endpoint is "not checked", with botocore's reason, redacted; no host is
    made up in its place, and the transcript says so in every form."""
    from tests.export.test_schema import errors

    secret = "hunter2-correct-horse-battery"  # not shaped like a key: only the scan knows it
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = AKIARZPUZDIKGB2VALC4\naws_secret_access_key = {secret}\n"
    )
    (home / ".aws" / "config").write_text(
        f"[default]\nregion = us-east-1\nsts_regional_endpoints = {secret}\n"
    )
    exported = tmp_path / "case.json"
    paste = "botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL"
    result = awsmedic(*DIAGNOSE, "--export", str(exported), paste)
    assert result.returncode == 0, result.stderr
    assert secret not in result.stdout + result.stderr + exported.read_text()
    report = json.loads(result.stdout)
    [route] = [p for p in report["probes"] if p["id"] == "net.route"]
    assert route["status"] == "skipped"
    assert route["summary"].startswith(
        "not checked: botocore could not build a client (InvalidSTSRegionalEndpointsConfigError: "
    )
    assert "amazonaws.com" not in json.dumps(route)
    assert report["offline"] == [
        f"Endpoint, proxy and CA bundle in use: {route['summary'].removeprefix('not checked: ')}"
    ]
    document = json.loads(exported.read_text())
    assert errors(document) == []
    [probed] = [
        e
        for e in document["events"]
        if e["type"] == "probed" and e["evidence"]["probe"] == "net.route"
    ]
    assert probed["evidence"]["unchecked"] == "botocore"


def test_home_unset() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "AWS_CONFIG_FILE")}
    env.pop("AWS_SHARED_CREDENTIALS_FILE", None)
    for args in (DIAGNOSE, ("diagnose", "--no-input", "--format", "text")):
        assert awsmedic(*args, ICTI, env=env).returncode == 0


def test_home_that_does_not_exist(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path / "nowhere")}
    env.pop("AWS_CONFIG_FILE")
    env.pop("AWS_SHARED_CREDENTIALS_FILE")
    recognised(awsmedic(*DIAGNOSE, ICTI, env=env))


# -- the knowledge base -----------------------------------------------------------------------


def _broken_knowledge(root: Path) -> Path:
    kb = root / "org-kb"
    (kb / "trees").mkdir(parents=True)
    (kb / "causes").mkdir()
    (kb / "trees" / "binary.toml").write_bytes(b"\xff\xfe\x00\x01")
    (kb / "trees" / "syntax.toml").write_text("id = [unclosed\n")
    (kb / "causes" / "a-directory.md").mkdir()
    (kb / "causes" / "no-front-matter.md").write_text("## Why\n\nbecause\n")
    (kb / "trees" / "loop.toml").symlink_to(kb / "trees" / "loop.toml")
    return kb


@pytest.mark.parametrize(
    "args", [(*DIAGNOSE, ICTI), ("kb", "list"), ("kb", "list", "--format", "json")]
)
def test_a_knowledge_directory_with_broken_files_names_every_one(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    kb = _broken_knowledge(tmp_path)
    result = awsmedic(*args, env={**os.environ, "AWSMEDIC_KNOWLEDGE_PATH": str(kb)})
    assert result.returncode == 2
    for name in ("binary.toml", "syntax.toml", "a-directory.md", "no-front-matter.md", "loop.toml"):
        assert name in result.stderr
    assert result.stdout == ""


def test_kb_check_reports_a_broken_directory_with_status_1(tmp_path: Path) -> None:
    result = awsmedic("kb", "check", str(_broken_knowledge(tmp_path)))
    assert result.returncode == 1
    assert "binary.toml" in result.stdout and "problem(s)" in result.stderr


@pytest.mark.parametrize("where", ["missing", "a-file"])
def test_a_knowledge_path_that_is_not_a_directory(tmp_path: Path, where: str) -> None:
    path = tmp_path / where
    if where == "a-file":
        path.write_text("x")
    result = awsmedic(*DIAGNOSE, ICTI, env={**os.environ, "AWSMEDIC_KNOWLEDGE_PATH": str(path)})
    assert result.returncode == 2
    assert f"{path}: is not a directory" in result.stderr


@pytest.mark.parametrize("how", ["diagnose", "kb check"])
def test_a_knowledge_file_nested_too_deep_is_named_not_an_internal_error(
    tmp_path: Path, how: str
) -> None:
    """200,000 arrays deep exhaust tomllib's recursion (audit F9)."""
    kb = tmp_path / "org-kb"
    (kb / "trees").mkdir(parents=True)
    (kb / "causes").mkdir()
    (kb / "trees" / "deep.toml").write_text("x = " + "[" * 200_000 + "]" * 200_000 + "\n")
    if how == "kb check":
        result = awsmedic("kb", "check", str(kb))
        report = result.stdout
    else:
        env = {**os.environ, "AWSMEDIC_KNOWLEDGE_PATH": str(kb)}
        result = awsmedic(*DIAGNOSE, ICTI, env=env)
        report = result.stderr
    assert result.returncode == (1 if how == "kb check" else 2), result.stderr
    assert "internal error" not in result.stderr and "RecursionError" not in result.stderr
    assert f"{kb / 'trees' / 'deep.toml'}:1: TOML syntax error: arrays or inline tables" in report
