"""Diagnosis cost: a full `awsmedic diagnose` against the one AWS call that failed.

Two broken setups, built for real against a moto server on 127.0.0.1 with auth enforced: a
leftover AWS_SESSION_TOKEN beside a real user's long-term keys (awsmedic concludes from local
evidence) and a deleted key in ~/.aws/credentials (only STS's answer tells, so the diagnosis
waits for the network probe). In each setup we time, interleaved round after round:

- `awsmedic diagnose --format json --no-input TEXT` (every probe, network ones included),
- `aws sts get-caller-identity` (the AWS CLI from PyPI, in this bench environment),
- a minimal script: import boto3, call GetCallerIdentity once.

Targets, in each setup: the diagnosis costs no more than the CLI call (ratio <= 1.0) and no
more than 1.3x the script.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import (
    CPU,
    ROOT,
    Figure,
    Report,
    bench_bin,
    header,
    interleaved,
    median,
    paired_ratio,
    time_command,
)

STALE_TOKEN = base64.b64encode(b"an old session token from yesterday's assume-role " * 6).decode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def moto_server() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [bench_bin("moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1).close()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("benchmarks: the moto server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _base_env(url: str, home: Path) -> dict[str, str]:
    (home / ".aws").mkdir(parents=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "AWS_ENDPOINT_URL": url,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def stale_token_setup(aws: Any, home: Path) -> dict[str, str]:
    """A real user's long-term keys in the environment, and a leftover session token beside them.
    awsmedic concludes from local evidence; STS's answer is not needed."""
    keys = aws.create_user("stale")
    env = _base_env(aws.url, home)
    env.update(
        AWS_ACCESS_KEY_ID=keys.access_key_id,
        AWS_SECRET_ACCESS_KEY=keys.secret_access_key,
        AWS_SESSION_TOKEN=STALE_TOKEN,
    )
    return env


def deleted_key_setup(aws: Any, home: Path) -> dict[str, str]:
    """A deleted key in ~/.aws/credentials: only STS's answer tells, so the walk waits for it."""
    keys = aws.create_user("deleted")
    aws.delete_key("deleted", keys)
    env = _base_env(aws.url, home)
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )
    return env


#: name -> (build the setup, the cause awsmedic must find, or None when it must stay open)
SETUPS: dict[str, tuple[Callable[[Any, Path], dict[str, str]], str]] = {
    "stale-session-token": (stale_token_setup, "stale-session-token"),
    "key-deleted": (deleted_key_setup, "key-deleted"),
}


def _expect(*needles: str) -> Callable[[str], None]:
    def check(output: str) -> None:
        for needle in needles:
            if needle not in output:
                raise SystemExit(f"benchmarks: expected {needle!r} in:\n{output[:2000]}")

    return check


def _compare(report: Report, name: str, env: dict[str, str], cause: str, cwd: Path) -> None:
    aws = [bench_bin("aws"), "sts", "get-caller-identity"]
    cli = subprocess.run(aws, env=env, capture_output=True, text=True, timeout=120, check=False)
    error = cli.stderr.strip().splitlines()[-1]
    if "InvalidClientTokenId" not in error:
        raise SystemExit(f"benchmarks: the setup is not broken as expected: {cli.stderr}")
    awsmedic = [bench_bin("awsmedic"), "diagnose", "--format", "json", "--no-input", error]
    result = subprocess.run(awsmedic, env=env, capture_output=True, text=True, timeout=120)
    outcome = json.loads(result.stdout)
    probes = {p["id"]: p["status"] for p in outcome["probes"]}
    found = outcome["candidates"][0]["cause"] if outcome["candidates"] else None
    if found != cause:
        raise SystemExit(f"benchmarks: {name}: expected {cause}, got {found} with {probes}")
    script = [sys.executable, str(ROOT / "benchmarks" / "gci.py")]
    CPU.clear()
    samples = interleaved(
        {
            "awsmedic": lambda: time_command(awsmedic, env, cwd, check=_expect(cause)),
            "aws-cli": lambda: time_command(aws, env, cwd, check=_expect("InvalidClientToken")),
            "boto3-script": lambda: time_command(
                script, env, cwd, check=_expect("InvalidClientToken")
            ),
        }
    )
    for command, values in samples.items():
        report.add(Figure(f"{name}: median wall time, {command}", median(values), "s"))
    cpu = {
        "awsmedic": CPU[" ".join(awsmedic[:2])][1:],
        "aws-cli": CPU[" ".join(aws[:2])][1:],
        "boto3-script": CPU[" ".join(script[:2])][1:],
    }
    for command, values in cpu.items():
        report.add(Figure(f"{name}: median CPU time, {command}", median(values), "s"))
    for other, target in (("aws-cli", 1.0), ("boto3-script", 1.3)):
        report.add(
            Figure(
                f"{name}: awsmedic diagnose / {other}",
                paired_ratio(samples, "awsmedic", other),
                "x",
                target,
                "median of per-round ratios",
            )
        )
    for other in ("aws-cli", "boto3-script"):
        report.add(
            Figure(
                f"{name}: CPU time, awsmedic / {other}",
                paired_ratio(cpu, "awsmedic", other),
                "x",
                note="median of per-round ratios; hardly moves with load",
            )
        )
    report.details[name] = {
        "cpu_s": cpu,
        "error_text": error,
        "probes_reported": probes,
        "cause": found,
        "samples_s": samples,
    }


def run() -> Report:
    report = Report("diagnose")
    header("Diagnosis cost: awsmedic diagnose (all probes) vs the one failing call (moto)")
    sys.path.insert(0, str(ROOT))
    from tests.awsfixtures import MotoAws

    with tempfile.TemporaryDirectory() as scratch, moto_server() as url:
        aws = MotoAws(url)
        aws.open()
        envs = {name: build(aws, Path(scratch) / name) for name, (build, _) in SETUPS.items()}
        aws.enforce()
        for name, (_, cause) in SETUPS.items():
            _compare(report, name, envs[name], cause, Path(scratch))
    report.details["aws_cli"] = subprocess.run(
        [bench_bin("aws"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return report
