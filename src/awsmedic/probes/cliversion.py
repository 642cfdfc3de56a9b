"""cli.version: which AWS CLI is installed here (`aws --version`), or that none is.

Steps differ by it: version 1 has no `aws sso login`, `aws login` or `aws configure
export-credentials`. Asked only when the steps of the cause found depend on it. The command
runs with no AWS settings at all (both shared files pointed at the null device, no `AWS_*`
variables), so it reads no profile, loads no plugin from the config file and cannot block on
a broken one; it has no terminal and no input, a time limit, and its output is read only up to
a few kilobytes. No network: `--version` only prints.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import threading

from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe

TIMEOUT_SECONDS = 5.0
MAX_OUTPUT = 4096
_VERSION = re.compile(r"\baws-cli/(\d+)\.(\d+)\.(\d+)")
#: Variables the CLI needs to start (finding its Python, its home, Windows' own).
_KEEP = ("PATH", "HOME", "USERPROFILE", "SYSTEMROOT", "SystemRoot", "TEMP", "TMP", "LANG")


def _environment(environ: dict[str, str]) -> dict[str, str]:
    env = {name: environ[name] for name in _KEEP if name in environ}
    env["AWS_CONFIG_FILE"] = os.devnull
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    env["AWS_PAGER"] = ""
    return env


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:
        pass


def run_bounded(argv: list[str], env: dict[str, str]) -> tuple[bytes, bool]:
    """(the first MAX_OUTPUT bytes of stdout and stderr, whether it finished in time)."""
    process = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    box: list[bytes] = []
    assert process.stdout is not None
    stdout = process.stdout
    reader = threading.Thread(target=lambda: box.append(stdout.read(MAX_OUTPUT)), daemon=True)
    reader.start()
    reader.join(TIMEOUT_SECONDS)
    finished = not reader.is_alive()
    try:
        process.wait(timeout=0.5 if finished else 0)
    except subprocess.TimeoutExpired:
        finished = False
    if process.poll() is None:
        _kill(process)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=1)
    stdout.close()
    return (box[0] if box else b""), finished


@probe(
    "cli.version",
    title="The AWS CLI installed here",
    findings=("cli-v1", "cli-v2", "cli-missing", "cli-unknown"),
    facts=("cli_version",),
)
def cli_version(run: ProbeInput) -> Evidence:
    """Run `aws --version` (no settings, no network, time-limited) for the CLI's major version."""
    ctx = run.ctx
    path = shutil.which("aws", path=ctx.env("PATH") or os.defpath)
    if path is None:
        summary = "no `aws` command is on PATH: the AWS CLI is not installed (or not found)"
        # Not a check that passed: this probe runs only for steps that need the CLI.
        return Evidence("cli.version", Status.PROBLEM, summary, ("cli-missing",))
    try:
        output, finished = run_bounded([path, "--version"], _environment(dict(ctx.environ)))
    except OSError as exc:
        summary = f"`{path} --version` could not run: {exc.strerror or exc}"
        return Evidence("cli.version", Status.ERROR, summary, ("cli-unknown",))
    text = output.decode("utf-8", errors="replace")
    found = _VERSION.search(text)
    if found is None:
        why = "did not answer in time" if not finished else "printed no aws-cli/ version"
        return Evidence("cli.version", Status.ERROR, f"`aws --version` {why}", ("cli-unknown",))
    major, version = found.group(1), ".".join(found.groups())
    finding = {"1": "cli-v1", "2": "cli-v2"}.get(major, "cli-unknown")
    facts = {"cli_version": Fact(version, "aws --version", path)}
    summary = f"AWS CLI {version} ({ctx.tilde(path)})"
    return Evidence("cli.version", Status.OK, summary, (finding,), facts)
