"""cli.version: which AWS CLI is installed here (`aws --version`), or that none is.

Steps differ by it: version 1 has no `aws sso login`, `aws login` or `aws configure
export-credentials`. Asked only when the steps of the cause found depend on it.

Where the installation names its version, it is read without running anything: the v2
installer puts the CLI in `<dir>/v2/<version>/` (`current` links there), Homebrew in
`Cellar/awscli/<version>/`, and pip (version 1, or version 2 built from source) leaves one
`awscli-<version>.dist-info` in the site-packages beside the `aws` script. Starting the CLI
takes a Python interpreter's start-up and all of its imports (0.3 s for the PyPI CLI), longer
than a whole diagnosis. Everywhere else (macOS's and Windows' installers name no version) the
command
runs with no AWS settings at all (both shared files pointed at the null device, no `AWS_*`
variables), so it reads no profile, loads no plugin from the config file and cannot block on
a broken one; it has no terminal and no input, a time limit, and its output is read only up to
a few kilobytes. No network: `--version` only prints.
"""

from __future__ import annotations

import contextlib
import glob
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


#: An installation directory named by its version: the v2 installer's (`/usr/local/aws-cli/v2/
#: 2.15.30/dist/aws`, wherever `-i` put it), Homebrew's (`Cellar/awscli/2.15.30_1/bin/aws`).
_INSTALLED_AS = re.compile(r"/(?:v2|Cellar/awscli(?:@\d+)?)/(\d+)\.(\d+)\.(\d+)[^/]*/")
#: pip's record of an installed `awscli` (the distribution's name, as a wheel or egg spells it).
_RECORD = re.compile(r"^awscli-(\d+)\.(\d+)\.(\d+)(?:-py[\d.]+)?\.(?:dist|egg)-info$")
_SHEBANG = re.compile(rb"^#!\s*(\S+)")


def installed_version(path: str) -> tuple[str, str] | None:
    """(the version, where it was read) of the CLI at `path`, read from its installation
    without running it; None when the installation does not name it for sure (then the CLI
    itself is asked)."""
    real = os.path.realpath(path).replace("\\", "/")
    found = _INSTALLED_AS.search(real)
    if found is not None:
        return ".".join(found.groups()), real
    if not os.path.isfile(real):  # a pipe named aws would block the read
        return None
    try:
        with open(real, "rb") as script:
            first = script.read(512).split(b"\n", 1)[0]
    except OSError:
        return None
    shebang = _SHEBANG.match(first)
    if shebang is None or b"python" not in shebang.group(1):
        return None
    interpreter = os.fsdecode(shebang.group(1))
    # The scripts' prefix (a venv, ~/.local) and the interpreter's (a distribution's /usr).
    prefixes = dict.fromkeys(
        os.path.dirname(os.path.dirname(where)) for where in (path, interpreter) if where
    )
    records = [
        record
        for prefix in prefixes
        for pattern in ("lib/python3*/site-packages", "lib/python3*/dist-packages")
        for record in glob.glob(os.path.join(glob.escape(prefix), pattern, "awscli-*-info"))
    ]
    versions = {
        ".".join(match.groups()): record
        for record in records
        if (match := _RECORD.match(os.path.basename(record))) is not None
    }
    # Two versions side by side (two Pythons, a broken upgrade): only the CLI can tell.
    return next(iter(versions.items())) if len(versions) == 1 else None


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
    "cli.installed",
    title="The AWS CLI installed here, as its files name it",
    findings=("cli-v1", "cli-v2", "cli-missing", "cli-unknown"),
    facts=("cli_version",),
)
def cli_installed(run: ProbeInput) -> Evidence:
    """cli.version without running the CLI: only what PATH and the installation's files say.
    For a walk that stops at an open question, whose best guess's steps differ by the CLI:
    looked up where it costs nothing, never at the price of starting the CLI."""
    found = _from_files("cli.installed", run)
    if isinstance(found, str):
        # Found, and nothing wrong with it: only its version is not known (cli-unknown picks
        # no step), and not worth starting it for a guess.
        summary = f"AWS CLI at {run.ctx.tilde(found)}: its files do not name its version"
        return Evidence("cli.installed", Status.OK, summary, ("cli-unknown",))
    return found


@probe(
    "cli.version",
    title="The AWS CLI installed here",
    findings=("cli-v1", "cli-v2", "cli-missing", "cli-unknown"),
    facts=("cli_version",),
)
def cli_version(run: ProbeInput) -> Evidence:
    """Run `aws --version` (no settings, no network, time-limited) for the CLI's major version."""
    ctx = run.ctx
    path = _from_files("cli.version", run)
    if not isinstance(path, str):
        return path
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
    version = ".".join(found.groups())
    return _found("cli.version", ctx.tilde(path), version, Fact(version, "aws --version", path))


def _from_files(probe_id: str, run: ProbeInput) -> Evidence | str:
    """The evidence PATH and the installation's files give (no CLI, or its version as they
    name it), else the path of the `aws` found, whose version only the CLI can tell."""
    ctx = run.ctx
    path = shutil.which("aws", path=ctx.env("PATH") or os.defpath)
    if path is None:
        return _missing(probe_id)
    named = installed_version(path)
    if named is None:
        return path
    version, where = named
    return _found(probe_id, ctx.tilde(path), version, Fact(version, "installed files", where))


def _missing(probe_id: str) -> Evidence:
    summary = "no `aws` command is on PATH: the AWS CLI is not installed (or not found)"
    # Not a check that passed: this probe runs only for steps that need the CLI.
    return Evidence(probe_id, Status.PROBLEM, summary, ("cli-missing",))


def _found(probe_id: str, shown: str, version: str, fact: Fact) -> Evidence:
    finding = {"1": "cli-v1", "2": "cli-v2"}.get(version.split(".")[0], "cli-unknown")
    summary = f"AWS CLI {version} ({shown})"
    return Evidence(probe_id, Status.OK, summary, (finding,), {"cli_version": fact})
