"""Hostile files for every file setting botocore reads: the diagnosis ends in seconds, small.

Issue 17, items 6 and 7. Each setting that names a file botocore (or awsmedic) reads is pointed
at /dev/zero, /dev/urandom, a FIFO nobody writes to, and a file of 100 MB; so are a
credential_process that prints without end and an endpoint whose answer never ends. Each time
`awsmedic diagnose` runs as a subprocess, as a user runs it, and must finish within seconds with
a bounded peak RSS (the child's own VmHWM, which exec starts again). The child also runs under an address-space
limit, so that a regression fails here quickly instead of taking the machine's memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hardening.servers import blackhole, endless_body, http_stub, sts_error

pytestmark = pytest.mark.slow

ICTI = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)
#: A diagnosis of awsmedic (Python, botocore, rich) peaks near 100 MB; the attacks took GBs.
MAX_RSS_MB = 400
#: Seconds: start-up, probes that time out on the local endpoints, on a busy machine.
MAX_SECONDS = 40
#: The child's address space, so that a regression fails instead of swapping the machine.
ADDRESS_SPACE = 1024**3
#: Runs a module or a script under that limit (set in the child, before anything is imported).
LIMITED = (
    "import atexit, os, resource, runpy, sys\n"
    f"resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, {ADDRESS_SPACE}))\n"
    # The child's own peak: VmHWM starts again at exec. ru_maxrss does not: Linux keeps the
    # peak of the image exec replaced, the parent's copy (the test run itself, hundreds of MB
    # late in a full run) when the child was forked.
    "def _peak():\n"
    "    with open('/proc/self/status') as status, open(os.environ['HWM_FILE'], 'w') as out:\n"
    "        out.write(next(l for l in status if l.startswith('VmHWM:')).split()[1])\n"
    "if os.environ.get('HWM_FILE') and os.path.exists('/proc/self/status'):\n"
    "    atexit.register(_peak)\n"
    "kind, *rest = sys.argv[1:]\n"
    "if kind == '--script':\n"
    "    sys.argv = ['-c']\n"
    "    exec(compile(rest[0], '<test>', 'exec'), {'__name__': '__main__'})\n"
    "else:\n"
    "    sys.argv = [kind, *rest]\n"
    "    runpy.run_module(kind, run_name='__main__', alter_sys=True)\n"
)
KINDS = ("/dev/zero", "/dev/urandom", "fifo", "100 MB")


@dataclass
class Measured:
    status: int
    stdout: str
    stderr: str
    seconds: float
    rss_mb: float


def run_measured(
    args: list[str], env: dict[str, str], cwd: Path, *, script: str | None = None
) -> Measured:
    """Run awsmedic (or a Python `script`) under the address-space limit; its exit status,
    output, wall time and own peak RSS. Killed at 3x the allowed time, so a hang fails the test
    instead of holding the suite."""
    started = time.monotonic()
    what = ["--script", script] if script is not None else ["awsmedic", *args]
    peak_file = cwd / f".peak-{time.monotonic_ns()}"
    process = subprocess.Popen(
        [sys.executable, "-c", LIMITED, *what],
        env={**env, "HWM_FILE": str(peak_file)},
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    outputs: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda n=n, s=s: outputs.__setitem__(n, s.read()), daemon=True)
        for n, s in (("out", process.stdout), ("err", process.stderr))
    ]
    for reader in readers:
        reader.start()
    timer = threading.Timer(MAX_SECONDS * 3, process.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(10)
    # The child's own peak when it got to say it (it exits normally); else wait4's, which may
    # count the parent's (a child killed at the time limit fails on its time anyway).
    peak_kb = float(usage.ru_maxrss)  # KB on Linux
    if peak_file.exists():
        peak_kb = float(peak_file.read_text() or peak_kb)
        peak_file.unlink()
    return Measured(
        process.returncode,
        outputs.get("out", b"").decode("utf-8", "replace"),
        outputs.get("err", b"").decode("utf-8", "replace"),
        time.monotonic() - started,
        peak_kb / 1024,
    )


def hostile(kind: str, where: Path) -> Path:
    """A path of that kind: a device, a FIFO that nobody ever writes to, or a sparse 100 MB."""
    if kind.startswith("/dev/"):
        return Path(kind)
    path = where / kind.replace(" ", "-")
    if kind == "fifo":
        os.mkfifo(path)
    else:
        with path.open("wb") as handle:
            handle.truncate(100 * 1024 * 1024)
    return path


def base_env(home: Path, endpoint: str) -> dict[str, str]:
    (home / ".aws").mkdir(parents=True, exist_ok=True)
    passed = {name: os.environ[name] for name in ("PATH", "PYTHONPATH") if name in os.environ}
    return {
        **passed,
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DEFAULT_REGION": "us-east-1",
    }


def _keys(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIARZPUZDIKGB2VALC4\n"
        "aws_secret_access_key = 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\n"
    )


# Each setting: how to point it at `path` in a fresh home (edits the environment and files).
Setup = Callable[[dict[str, str], Path, Path], None]


def _env(var: str, keys: bool = True, **extra: str) -> Setup:
    def setup(env: dict[str, str], home: Path, path: Path) -> None:
        if keys:
            _keys(home)
        env[var] = str(path)
        env.update(extra)

    return setup


def _profile(key: str, **extra: str) -> Setup:
    def setup(env: dict[str, str], home: Path, path: Path) -> None:
        lines = [f"{key} = {path}", *(f"{k} = {v}" for k, v in extra.items())]
        (home / ".aws" / "config").write_text("[default]\n" + "\n".join(lines) + "\n")
        if key == "ca_bundle":
            _keys(home)

    return setup


ROLE = "arn:aws:iam::123456789012:role/ci"
SETTINGS: dict[str, Setup] = {
    "AWS_CONFIG_FILE": _env("AWS_CONFIG_FILE"),
    "AWS_SHARED_CREDENTIALS_FILE": _env("AWS_SHARED_CREDENTIALS_FILE", keys=False),
    "AWS_CA_BUNDLE": _env("AWS_CA_BUNDLE"),
    "ca_bundle": _profile("ca_bundle"),
    "AWS_WEB_IDENTITY_TOKEN_FILE": _env(
        "AWS_WEB_IDENTITY_TOKEN_FILE", keys=False, AWS_ROLE_ARN=ROLE
    ),
    "web_identity_token_file": _profile("web_identity_token_file", role_arn=ROLE),
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": _env(
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", keys=False
    ),
}


@pytest.fixture(scope="module")
def refusing() -> Iterator[str]:
    with http_stub(403, lambda r: sts_error("InvalidClientTokenId", "refused")) as stub:
        yield stub.url


def assert_bounded(result: Measured, what: str) -> None:
    assert result.seconds < MAX_SECONDS, f"{what}: {result.seconds:.0f} s"
    assert result.rss_mb < MAX_RSS_MB, f"{what}: peak RSS {result.rss_mb:.0f} MB"
    assert result.status in (0, 1), f"{what}: {result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


@pytest.mark.parametrize("setting", SETTINGS)
def test_every_file_setting_with_every_hostile_file(
    setting: str, refusing: str, tmp_path: Path
) -> None:
    """The four kinds run side by side (two CPUs; each is mostly waiting)."""
    runs: dict[str, tuple[Path, Measured]] = {}

    def one(kind: str) -> None:
        where = tmp_path / kind.replace("/", "_").replace(" ", "-")
        home = where / "home"
        home.mkdir(parents=True)
        # CA bundles are read on a TLS connection: that endpoint accepts and never answers.
        endpoint = hole.url.replace("http:", "https:") if "ca" in setting.lower() else refusing
        env = base_env(home, endpoint)
        if setting == "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE":
            env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = f"{refusing}/creds"
        path = hostile(kind, where)
        SETTINGS[setting](env, home, path)
        args = ["diagnose", "--no-input", "--format", "json", ICTI]
        runs[kind] = path, run_measured(args, env, where)

    with blackhole() as hole:
        threads = [threading.Thread(target=one, args=(kind,)) for kind in KINDS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(runs) == sorted(KINDS)
    for kind, (path, result) in runs.items():
        assert_bounded(result, f"{setting} = {kind}")
        json.loads(result.stdout)  # a whole answer
        # Said at the start, before any probe: the file, and what is wrong with it.
        assert f"awsmedic: note: {path}" in result.stderr or (
            f"names {path}, which" in result.stderr
        ), f"{setting} = {kind}: {result.stderr}"


FLOOD = "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n"
PROCESS_ERROR = (
    "botocore.exceptions.CredentialRetrievalError: Error when retrieving credentials from "
    "custom-process: Expecting value: line 1 column 1 (char 0)"
)


def _flooding_helper(home: Path) -> None:
    script = home / "flood.py"
    script.write_text(FLOOD)
    (home / ".aws" / "config").write_text(
        f"[default]\ncredential_process = {sys.executable} {script}\n"
    )


def test_a_credential_process_that_prints_forever(refusing: str, tmp_path: Path) -> None:
    """awsmedic's own run of the helper (creds.process, with consent)."""
    home = tmp_path / "home"
    env = base_env(home, refusing)
    _flooding_helper(home)
    args = ["diagnose", "--no-input", "--format", "json", "--answer"]
    result = run_measured([*args, "consent:creds.process=yes", PROCESS_ERROR], env, tmp_path)
    assert_bounded(result, "credential_process")
    process = next(p for p in json.loads(result.stdout)["probes"] if p["id"] == "creds.process")
    assert "more than 1 MB on stdout" in process["summary"]


def test_botocore_runs_a_flooding_helper_bounded_too(refusing: str, tmp_path: Path) -> None:
    """botocore's own ProcessProvider, in a session awsmedic guarded (consent given: without it
    botocore runs no helper at all, tests/hardening/test_check_read_only.py)."""
    home = tmp_path / "home"
    env = base_env(home, refusing)
    _flooding_helper(home)
    script = (
        "from awsmedic.context import Context\n"
        "from awsmedic.probes.world import AwsWorld\n"
        "from awsmedic.safety.redact import SecretBook\n"
        "ctx = Context.from_process()\n"
        "try:\n"
        "    AwsWorld(ctx, SecretBook(), lambda: True).session().get_credentials()\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    result = run_measured([], env, tmp_path, script=script)
    assert_bounded(result, "botocore's credential_process")
    assert "CredentialRetrievalError" in result.stdout
    assert "awsmedic stopped it: it printed more than 1 MB on stdout" in result.stdout


def test_an_answer_that_never_ends(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with endless_body() as url:
        env = base_env(home, url)
        _keys(home)
        result = run_measured(["diagnose", "--no-input", "--format", "json", ICTI], env, tmp_path)
    assert_bounded(result, "endless body")
    identity = next(p for p in json.loads(result.stdout)["probes"] if p["id"] == "sts.identity")
    assert "stopped reading" in identity["summary"]
