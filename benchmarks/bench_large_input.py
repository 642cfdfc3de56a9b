"""Large input: a 1 MB paste and a 10 MB credentials file, each handled in under a second;
`check --all` over many profiles, in time that grows with their number, not its square.

Both run `awsmedic diagnose --format json --no-input` as a user would, whole process included,
with every probe (no network is reachable or needed: the setups have no endpoint to call).

- The 1 MB paste is a --debug log ending in the error, read with --error-file and from a pipe.
- The credentials file holds 10 MB of profiles (about 75,000), shape of real keys.

Each must also say what it did not read: the paste's truncation note, the file's size note.

`awsmedic check --all --offline --format json` checks every profile of a config file of 400
profiles with keys (an SSO organisation's hundreds of accounts look like this), and of a chain
of 400 role profiles each the source_profile of the next. Each profile's check once parsed both
files anew: 400 profiles took 78 s, the chain 31 s with most profiles given up on as out of
time (audit finding F10). Every profile must be checked, none "out of time".
"""

from __future__ import annotations

import os
import random
import string
import subprocess
import tempfile
from pathlib import Path

from benchmarks.common import ROUNDS, Figure, Report, bench_bin, header, interleaved, median

ERROR = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)
MB = 1024 * 1024
#: Profiles of `check --all`, and the target for each set-up (seconds, whole process).
PROFILES = 400
CHECK_ALL_TARGET = 20.0


def debug_log(size: int) -> str:
    line = (
        "2024-05-01 10:00:{n:02d},123 - MainThread - botocore.hooks - DEBUG - Event "
        "before-call.sts.GetCallerIdentity: calling handler <function inject_api_version at 0x7f>\n"
    )
    lines, total, n = [], 0, 0
    while total < size - len(ERROR) - 1:
        lines.append(line.format(n=n % 60))
        total += len(lines[-1])
        n += 1
    return "".join(lines) + ERROR + "\n"


def credentials_file(size: int) -> str:
    rng = random.Random(9)  # noqa: S311 (made-up keys, not secrets)
    blocks, total, n = [], 0, 0
    while total < size:
        key = "AKIA" + "".join(rng.choices(string.ascii_uppercase + "234567", k=16))
        secret = "".join(rng.choices(string.ascii_letters + string.digits + "/+", k=40))
        blocks.append(
            f"[profile{n}]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n\n"
        )
        total += len(blocks[-1])
        n += 1
    return "".join(blocks)


def _access_key(rng: random.Random) -> tuple[str, str]:
    key = "AKIA" + "".join(rng.choices(string.ascii_uppercase + "234567", k=16))
    secret = "".join(rng.choices(string.ascii_letters + string.digits + "/+", k=40))
    return key, secret


def many_profiles(count: int) -> str:
    """A config file of `count` profiles with keys and a region."""
    rng = random.Random(11)  # noqa: S311 (made-up keys, not secrets)
    blocks = ["[default]\nregion = us-east-1\n\n"]
    for n in range(count):
        key, secret = _access_key(rng)
        blocks.append(
            f"[profile p{n}]\nregion = eu-west-1\naws_access_key_id = {key}\n"
            f"aws_secret_access_key = {secret}\n\n"
        )
    return "".join(blocks)


def role_chain(count: int) -> str:
    """A config file of `count` profiles: keys, then roles each taking the one before as its
    source_profile."""
    key, secret = _access_key(random.Random(12))  # noqa: S311 (made-up keys, not secrets)
    blocks = [
        "[default]\nregion = us-east-1\n\n",
        f"[profile c0]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n\n",
    ]
    for n in range(1, count):
        blocks.append(
            f"[profile c{n}]\nrole_arn = arn:aws:iam::123456789012:role/r{n}\n"
            f"source_profile = c{n - 1}\n\n"
        )
    return "".join(blocks)


def _check_all(argv: list[str], env: dict[str, str], profiles: int) -> float:
    """One `check --all` run; every profile must have been checked (none out of time)."""
    import json
    import time

    started = time.perf_counter()
    result = subprocess.run(
        argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600
    )
    elapsed = time.perf_counter() - started
    rows = json.loads(result.stdout)["profiles"] if result.stdout.startswith("{") else []
    late = [row["name"] for row in rows if "out of time" in (row.get("summary") or "")]
    if result.returncode not in (0, 1) or len(rows) != profiles + 1 or late:
        raise SystemExit(
            f"benchmarks: check --all gave {result.returncode}, {len(rows)} rows"
            f" ({len(late)} out of time):\n{result.stderr[-2000:]}"
        )
    return elapsed


def _run(argv: list[str], env: dict[str, str], stdin: Path | None, needle: str) -> float:
    import time

    with stdin.open("rb") if stdin else open(os.devnull, "rb") as source:
        started = time.perf_counter()
        result = subprocess.run(
            argv, env=env, stdin=source, capture_output=True, text=True, timeout=120
        )
        elapsed = time.perf_counter() - started
    if result.returncode != 0 or needle not in result.stderr or '"matches"' not in result.stdout:
        raise SystemExit(f"benchmarks: {argv[:3]} gave {result.returncode}:\n{result.stderr}")
    return elapsed


def run() -> Report:
    report = Report("large_input")
    header("Large input: a 1 MB paste and a 10 MB credentials file")
    awsmedic = bench_bin("awsmedic")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        paste = root / "paste.log"
        paste.write_text(debug_log(MB))
        big_home = root / "big-home"
        (big_home / ".aws").mkdir(parents=True)
        (big_home / ".aws" / "credentials").write_text(credentials_file(10 * MB))
        (root / "home" / ".aws").mkdir(parents=True)
        base = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
        base["AWS_EC2_METADATA_DISABLED"] = "true"
        env = {**base, "HOME": str(root / "home")}
        big_env = {**base, "HOME": str(big_home), "AWS_PROFILE": "profile5"}
        diagnose = [awsmedic, "diagnose", "--format", "json", "--no-input"]
        samples = interleaved(
            {
                "1 MB paste, --error-file": lambda: _run(
                    [*diagnose, "--error-file", str(paste)], env, None, "very long"
                ),
                "1 MB paste, piped": lambda: _run(diagnose, env, paste, "very long"),
                "10 MB credentials file": lambda: _run(
                    [*diagnose, ERROR], big_env, None, "10.0 MB"
                ),
                "baseline: short paste, small files": lambda: _run(
                    [*diagnose, ERROR], env, None, ""
                ),
            },
            rounds=max(3, ROUNDS // 2),
        )
    baseline = samples.pop("baseline: short paste, small files")
    report.add(
        Figure("median wall time: the same diagnosis of a short paste", median(baseline), "s")
    )
    for name, values in samples.items():
        report.add(Figure(f"median wall time: {name}", median(values), "s", 1.0))
        extra = median([a - b for a, b in zip(values, baseline, strict=True)])
        report.add(Figure("  of which the size costs (paired, median)", extra, "s"))
    samples["baseline"] = baseline
    report.details["samples_s"] = samples
    _many_profiles(report, awsmedic)
    return report


def _many_profiles(report: Report, awsmedic: str) -> None:
    header(f"check --all: {PROFILES} profiles, and a chain of {PROFILES} role profiles")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        base = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
        base["AWS_EC2_METADATA_DISABLED"] = "true"
        envs = {}
        for name, text in (("flat", many_profiles(PROFILES)), ("chain", role_chain(PROFILES))):
            (root / name / ".aws").mkdir(parents=True)
            (root / name / ".aws" / "config").write_text(text)
            envs[name] = {**base, "HOME": str(root / name)}
        argv = [awsmedic, "check", "--all", "--offline", "--format", "json"]
        samples = interleaved(
            {
                f"check --all, {PROFILES} profiles": lambda: _check_all(
                    argv, envs["flat"], PROFILES
                ),
                f"check --all, a {PROFILES}-deep source_profile chain": lambda: _check_all(
                    argv, envs["chain"], PROFILES
                ),
            },
            rounds=max(2, ROUNDS // 4),
        )
    for name, values in samples.items():
        report.add(Figure(f"median wall time: {name}", median(values), "s", CHECK_ALL_TARGET))
    report.details["check_all_samples_s"] = samples
