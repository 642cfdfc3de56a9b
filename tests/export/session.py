"""A fixed session for the golden transcripts: the real matcher, engine and Consultation over a
small test knowledge base (tests/golden/knowledge), with fixed probe evidence, a ticking clock
and pinned versions. It walks a tree, answers, goes /back, answers again, concludes, /restarts,
and stalls on an unanswered question in a second case: every kind of event.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from awsmedic.context import Context
from awsmedic.core.consult import Consultation
from awsmedic.core.transcript import Meta, Transcript
from awsmedic.kb.load import load
from awsmedic.kb.model import Knowledge
from awsmedic.kb.validate import validate
from awsmedic.model import Evidence, Fact, Question, Status
from awsmedic.safety.redact import SecretBook

KNOWLEDGE = Path(__file__).resolve().parents[1] / "golden" / "knowledge"
STARTED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
META = Meta(
    tool_version="1.2.3",
    python="3.12.1",
    platform="Linux-6.1.0-18-amd64-x86_64-with-glibc2.36",
    botocore="1.35.99",
    started=STARTED,
)
#: The probes of the test trees and the findings they may report.
CATALOGUE = {
    "creds.chain": ("env-credentials", "no-credentials"),
    "sts.identity": ("identity-ok", "rejected-invalid-client-token-id"),
    "cli.version": ("cli-v1", "cli-v2", "cli-missing", "cli-unknown"),
}
CLI_V2 = Evidence(
    "cli.version",
    Status.OK,
    "AWS CLI 2.31.0 (/usr/local/bin/aws)",
    ("cli-v2",),
    {"cli_version": Fact("2.31.0", "aws --version", "/usr/local/bin/aws")},
    elapsed_ms=180,
)

PASTE_CLI = (
    "$ aws sts get-caller-identity --profile dev\n"
    "\x1b[31m\n"
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid.\x1b[0m\n"
)
PASTE_BOTO3 = """\
Traceback (most recent call last):
  File "/srv/app/report.py", line 12, in <module>
    s3.list_objects_v2(Bucket="reports")
  File "/srv/app/.venv/lib/python3.12/site-packages/botocore/client.py", line 569, in _api_call
    return self._make_api_call(operation_name, kwargs)
botocore.exceptions.NoCredentialsError: Unable to locate credentials
"""


def chain_evidence(**changes: object) -> Evidence:
    evidence = Evidence(
        "creds.chain",
        Status.PROBLEM,
        "environment variables win over profile 'dev' (AWS_PROFILE): key ****************ALC4 "
        "with a session token",
        ("env-credentials",),
        {
            "profile": Fact("dev", "env", "AWS_PROFILE"),
            "credentials_file": Fact("~/.aws/credentials"),
            "credential_source": Fact("env", "AWS_ACCESS_KEY_ID"),
        },
        ("env: found", "shared-credentials-file: shadowed (profile dev)"),
        elapsed_ms=14,
    )
    return Evidence(**{**{f: getattr(evidence, f) for f in Evidence.__slots__}, **changes})  # type: ignore[arg-type]


STS_REJECTED = Evidence(
    "sts.identity",
    Status.PROBLEM,
    "AWS refused the credentials: InvalidClientTokenId: The security token included in the "
    "request is invalid.",
    ("rejected-invalid-client-token-id",),
    {
        "sts_endpoint": Fact("https://sts.eu-west-1.amazonaws.com", "botocore"),
        "region": Fact("eu-west-1", "botocore"),
    },
    ("endpoint: https://sts.eu-west-1.amazonaws.com", "region: eu-west-1"),
    elapsed_ms=212,
)
NO_CREDENTIALS = Evidence(
    "creds.chain",
    Status.PROBLEM,
    "no provider in the chain found credentials",
    ("no-credentials",),
    {"profile": Fact("default", "default")},
    ("env: absent", "shared-credentials-file: absent (~/.aws/credentials does not exist)"),
    elapsed_ms=9,
)


def ticking(start: datetime = STARTED) -> Callable[[], datetime]:
    """A clock that moves one second each time it is read: stable, ordered time stamps."""
    ticks: Iterator[int] = iter(range(1_000_000))
    return lambda: start + timedelta(seconds=next(ticks))


def knowledge() -> Knowledge:
    loaded, problems = load([KNOWLEDGE])
    problems += validate(loaded, CATALOGUE)
    assert problems == [], problems
    return loaded


class FixedConsultation(Consultation):
    """The real Consultation, with each probe's evidence given instead of run."""

    evidence: Mapping[str, Evidence] = {}

    def _evidence(self, probe_id: str) -> Evidence:
        # The installed CLI is asked only when a cause's steps differ by it: version 2 here.
        evidence = self.evidence.get(probe_id) or {"cli.version": CLI_V2}[probe_id]
        self.book.add(evidence.secrets)  # as run_probe does
        return evidence


def scripted(*answers: str | None) -> Callable[[Question], str | None]:
    replies = iter(answers)
    return lambda question: next(replies)


def golden_session(
    evidence: Mapping[str, Evidence] | None = None,
    pastes: tuple[str, str] = (PASTE_CLI, PASTE_BOTO3),
    book: SecretBook | None = None,
    home: Path = Path("/home/alice"),
) -> Transcript:
    """The fixed session; `evidence` and `pastes` let safety tests plant things in it."""
    ctx = Context(environ={}, home=home, clock=ticking())
    transcript = Transcript(META)
    consultation = FixedConsultation(
        ctx, knowledge(), book if book is not None else SecretBook(), transcript
    )
    consultation.evidence = dict(
        evidence or {"creds.chain": chain_evidence(), "sts.identity": STS_REJECTED}
    )
    consultation.recognise(pastes[0])
    consultation.run(scripted("aws sso login or a role, just now"))
    consultation.back(scripted("an old export or a .env file"))
    consultation.restart()
    consultation.evidence = {"creds.chain": NO_CREDENTIALS}
    consultation.recognise(pastes[1])
    consultation.run(scripted(None))
    return transcript


def run_awsmedic(
    *args: str, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m awsmedic ARGS` in the (clean_env) process environment, never a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "awsmedic", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(env if env is not None else os.environ),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result
