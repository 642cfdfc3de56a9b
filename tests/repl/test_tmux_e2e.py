"""The installed `awsmedic` in a real terminal (tmux): paste, answer, export, quit.

The setup is broken for real: a temp HOME whose credentials file holds a key that was deleted
from the (moto) account behind AWS_ENDPOINT_URL. The error pasted is the one boto3 raises there,
with the `env | grep AWS` lines a hurried user pastes along with it. The screen is read with
`tmux capture-pane`, the only test that looks at screen bytes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.awsfixtures import Keys, MotoAws

pytestmark = [pytest.mark.moto, pytest.mark.slow]

TMUX = shutil.which("tmux")
AWSMEDIC = Path(sys.executable).with_name("awsmedic")


class Terminal:
    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-S", str(self.socket), "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout

    def screen(self) -> str:
        """Everything shown so far, scrollback included, wrapped lines joined."""
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "repl")

    def wait_for(self, text: str, timeout: float = 90) -> str:
        """Wait until `text` is on the screen, however the terminal's width wrapped it. The
        deadline is generous: it only matters when the text never comes (a busy machine)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if " ".join(text.split()) in " ".join(screen.split()):
                return screen
            time.sleep(0.1)
        pytest.fail(
            f"{text!r} never appeared in {timeout:.0f} s; the screen held:\n{self.screen()}"
        )

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "repl", *keys)

    def paste(self, text: str, path: Path) -> None:
        """Paste as a terminal does: bracketed, newlines sent as carriage returns."""
        path.write_text(text)
        self.tmux("load-buffer", "-b", "error", str(path))
        self.tmux("paste-buffer", "-p", "-d", "-b", "error", "-t", "repl")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    if TMUX is None:
        pytest.skip("tmux is not installed (Debian package tmux, see tests/system-packages.txt)")
    if not AWSMEDIC.exists():
        pytest.skip(f"the awsmedic script is not installed beside {sys.executable}")
    socket = tmp_path / "tmux.sock"
    term = Terminal(socket)

    def start(command: str, width: int = 100, cwd: Path = tmp_path) -> Terminal:
        # A fresh tmux server inherits this test's environment (temp HOME, AWS_ENDPOINT_URL).
        shell = f"cd {cwd} && {command}; echo '[exit '$?']'; sleep 60"
        term.tmux("new-session", "-d", "-s", "repl", "-x", str(width), "-y", "40", shell)
        return term

    yield start
    # Under load the server may take a while to go; a slow teardown is not the test's failure.
    with contextlib.suppress(subprocess.TimeoutExpired):
        subprocess.run([TMUX, "-S", str(socket), "kill-server"], capture_output=True, timeout=20)


def real_error() -> str:
    code = (
        "import boto3\n"
        "try:\n    boto3.client('sts').get_caller_identity()\n"
        "except Exception as e:\n    print(f'{type(e).__module__}.{type(e).__name__}: {e}')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "InvalidClientTokenId" in done.stdout, done.stdout + done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("width", [60, 200])
def test_paste_answer_export_quit_in_a_real_terminal(
    terminal: Callable[..., Terminal], aws: MotoAws, home: Path, tmp_path: Path, width: int
) -> None:
    keys: Keys = aws.create_user("erin")
    aws.delete_key("erin", keys)
    aws.enforce()
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )
    (home / ".aws" / "config").write_text("[default]\nregion = us-east-1\n")
    error = real_error()
    work = tmp_path / "work"
    work.mkdir()
    os.environ.pop("TMUX", None)

    term = terminal(str(AWSMEDIC), cwd=work, width=width)
    term.wait_for("paste an AWS error here")
    term.wait_for(" profile default · region us-east-1")  # the toolbar, before any probe
    term.paste(
        f"$ python deploy.py\n{error}\n$ env | grep AWS\nAWS_ACCESS_KEY_ID={keys.access_key_id}\n",
        tmp_path / "paste.txt",
    )
    term.keys("Enter")
    # Looking the key up with another profile's keys needs consent: decline (2).
    term.wait_for("May I run the check")
    term.keys("2")
    term.wait_for("What happened to it recently?")
    mask = f"****************{keys.access_key_id[-4:]}"
    if width >= 80:
        term.wait_for(f" profile default · region us-east-1 · key {mask}")  # learnt by the probes
    term.keys("1")
    term.wait_for("Cause: ")
    term.keys("/export", "Enter")
    term.wait_for("Saved the transcript")
    term.keys("/quit", "Enter")
    screen = term.wait_for("[exit 0]")
    said = " ".join(screen.split())
    # Each of these is on the screen by now; wait_for says what the screen held if one is not.
    term.wait_for("Recognised: AWS did not recognise the credentials")
    term.wait_for("✗ Caller identity (sts:GetCallerIdentity): AWS refused the credentials")
    term.wait_for("Cause: The access key or its IAM user was deleted (likely)")
    term.wait_for("In short: The access key or its IAM user was deleted (likely); first:")
    assert mask in screen  # the key id masked, never whole
    assert keys.access_key_id not in screen
    assert keys.secret_access_key not in screen
    [exported] = work.glob("awsmedic-key-deleted-*.md")
    assert f"Saved the transcript (markdown, secrets redacted) to {exported.name}" in said
    text = exported.read_text()
    assert "key-deleted" in text and "InvalidClientTokenId" in text
    assert keys.access_key_id not in text and keys.secret_access_key not in text
