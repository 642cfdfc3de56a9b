"""`awsmedic run` as a process: exit statuses like a shell's, output passed through unchanged,
a terminal where there is one, and the offer to run the command again (only there).

No AWS endpoint: the failing commands print a real AWS CLI error themselves, and awsmedic
diagnoses offline. tests/moto/test_run_e2e.py runs boto3 and the AWS CLI against moto.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hardening.pty_driver import Terminal

pytestmark = pytest.mark.slow

AWSMEDIC = [sys.executable, "-m", "awsmedic"]
#: What AWS CLI v2 prints for a key AWS does not know.
CLI_ERROR = (
    "\nAn error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation:"
    " The security token included in the request is invalid.\n"
)
#: Fails with CLI_ERROR (exit status 254, as AWS CLI v2) until the file `fixed` exists.
FAILS_UNTIL_FIXED = (
    "import os, sys\n"
    "if os.path.exists('fixed'):\n"
    '    print(\'{"Arn": "arn:aws:iam::123456789012:user/alice"}\')\n'
    "    sys.exit(0)\n"
    f"sys.stderr.write({CLI_ERROR!r})\n"
    "sys.exit(254)\n"
)


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*AWSMEDIC, "run", *args],
        capture_output=True,
        timeout=120,
        cwd=cwd,
        env=env if env is not None else dict(os.environ),
        stdin=subprocess.DEVNULL,
    )


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_success_passes_through_byte_for_byte(tmp_path: Path) -> None:
    code = (
        "import sys; sys.stdout.buffer.write(b'out \\x00\\xff\\r\\n'); sys.stderr.write('err\\n')"
    )
    result = run("--", *python(code), cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == b"out \x00\xff\r\n"
    assert result.stderr == b"err\n"


@pytest.mark.parametrize("status", [1, 3, 254, 255])
def test_an_unrecognised_failure_keeps_its_status_and_says_nothing(
    tmp_path: Path, status: int
) -> None:
    result = run(
        "--",
        *python(f"import sys; print('boom', file=sys.stderr); sys.exit({status})"),
        cwd=tmp_path,
    )
    assert (result.returncode, result.stdout, result.stderr) == (status, b"", b"boom\n")


def test_a_signal_gives_128_plus_its_number_and_no_diagnosis(tmp_path: Path) -> None:
    code = (
        f"import os, signal, sys; sys.stderr.write({CLI_ERROR!r}); sys.stderr.flush();"
        " signal.signal(signal.SIGINT, signal.SIG_DFL); os.kill(os.getpid(), signal.SIGINT)"
    )
    result = run("--offline", "--", *python(code), cwd=tmp_path)
    assert result.returncode == 128 + 2
    assert result.stderr.decode() == CLI_ERROR  # interrupted: nothing to diagnose
    assert run("--", "sh", "-c", "kill -TERM $$", cwd=tmp_path).returncode == 128 + 15


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_sent_to_awsmedic_reaches_the_command(tmp_path: Path, signum: int) -> None:
    """Not in a terminal (CI cancelling a job): awsmedic passes the signal on and ends with
    the command's status."""
    code = (
        "import signal, sys, time; signal.signal(signal.SIGINT, signal.SIG_DFL);"
        " print('ready', flush=True); time.sleep(60)"
    )
    with subprocess.Popen(
        [*AWSMEDIC, "run", "--", *python(code)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline() == b"ready\n"  # the command is running
        process.send_signal(signum)
        assert process.wait(timeout=30) == 128 + signum


def test_a_command_that_cannot_be_found_or_run(tmp_path: Path) -> None:
    missing = run("--", "no-such-command-awsmedic", cwd=tmp_path)
    assert missing.returncode == 127
    assert b"no-such-command-awsmedic: command not found" in missing.stderr
    script = tmp_path / "deploy.sh"
    script.write_text("#!/bin/sh\necho hi\n")
    script.chmod(0o644)
    denied = run("--", str(script), cwd=tmp_path)
    assert denied.returncode == 126
    assert b"cannot execute: permission denied" in denied.stderr
    directory = run("--", str(tmp_path), cwd=tmp_path)
    assert directory.returncode == 126
    assert b"is a directory" in directory.stderr


def test_no_command_is_bad_usage(tmp_path: Path) -> None:
    result = run("--offline", cwd=tmp_path)
    assert result.returncode == 2
    assert b"awsmedic run [options] -- CMD" in result.stderr


#: Long-term keys with a leftover session token: settled offline (stale-session-token).
STALE = {
    "AWS_ACCESS_KEY_ID": "AKIAJ7MGCRIPPLEEKEYQ",
    "AWS_SECRET_ACCESS_KEY": "0123456789012345678901234567890123456789",
    "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjEOj//////////wEaCXVzLWVhc3QtMSJHMEUCIQD" * 4,
}


def test_a_recognised_failure_is_diagnosed_after_the_output(tmp_path: Path) -> None:
    env = {**os.environ, **STALE}
    export = tmp_path / "case.md"
    result = run(
        "--offline",
        "--export",
        str(export),
        "--",
        *python(FAILS_UNTIL_FIXED),
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 254
    assert "`stale-session-token`" in export.read_text()
    assert env["AWS_SESSION_TOKEN"] not in export.read_text()
    assert result.stdout == b""
    said = result.stderr.decode()
    assert said.startswith(CLI_ERROR)
    assert "exited with status 254" in said
    # The cause by its title: user text names no internal id (issue 13).
    assert "Cause: A leftover session token is sent with keys it does not belong to" in said
    assert "again to check the fix" not in said  # no terminal: no offer
    assert env["AWS_SESSION_TOKEN"] not in said


def test_the_command_sees_pipes_when_we_have_pipes(tmp_path: Path) -> None:
    code = "import sys; print(sys.stdout.isatty(), sys.stderr.isatty())"
    assert run("--", *python(code), cwd=tmp_path).stdout == b"False False\n"


class Screen(Terminal):
    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.settle(quiet=0.2, timeout=5)
                if text in self.text():
                    return
                raise AssertionError(f"never saw {text!r}:\n{self.text()[-3000:]}")
            self._read(0.2)


def _terminal_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    return {**env, **STALE, "TERM": "xterm-256color"}


def test_in_a_terminal_the_command_gets_one_and_keeps_its_colours(tmp_path: Path) -> None:
    code = (
        "import sys; print(sys.stdout.isatty(), sys.stderr.isatty());"
        " print('\\x1b[31mred\\x1b[0m'); sys.stdout.flush()"
    )
    argv = [*AWSMEDIC, "run", "--", *python(code)]
    with Screen(argv, _terminal_env(), tmp_path) as screen:
        screen.finish()
        assert screen.process.returncode == 0
        assert b"True True" in screen.screen
        assert b"\x1b[31mred\x1b[0m" in screen.screen  # the command's colours, untouched


def test_in_a_terminal_it_offers_to_run_the_command_again(tmp_path: Path) -> None:
    argv = [*AWSMEDIC, "run", "--offline", "--", *python(FAILS_UNTIL_FIXED)]
    with Screen(argv, _terminal_env(), tmp_path) as screen:
        screen.wait_for("again to check the fix?")
        assert "A leftover session token is sent with keys" in screen.text()
        os.write(screen._master, b"y\r")
        screen.wait_for("still fails: AWS did not recognise the credentials")
        screen.wait_for("again to check the fix?")
        (tmp_path / "fixed").touch()
        os.write(screen._master, b"y\r")
        screen.wait_for("works now")
        screen.finish()
        assert screen.process.returncode == 0  # the status of the last run
        assert "user/alice" in screen.text()


def test_in_ci_nobody_is_asked(tmp_path: Path) -> None:
    argv = [*AWSMEDIC, "run", "--offline", "--", *python(FAILS_UNTIL_FIXED)]
    with Screen(argv, {**_terminal_env(), "CI": "true"}, tmp_path) as screen:
        screen.finish()
        assert screen.process.returncode == 254
        assert "exited with status 254" in screen.text()
        assert "again to check the fix" not in screen.text()
