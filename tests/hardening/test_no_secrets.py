"""No secret ever appears: generated credentials, planted everywhere, never come out.

A hypothesis property test builds a machine full of secrets (secretworld.py: the environment,
both shared files, a credential_process, the SSO token cache, the pasted text, where known
secrets also come split, escaped, encoded, wrapped and cut, and unknown ones as `name=value`
under generated names), points every
AWS call at an endpoint that quotes the request's credentials back in its error message, and
runs every output awsmedic has: `diagnose` in text, Markdown and JSON with --debug logs, and
each export format. No secret, token or key id may appear in any of them, nor any run of 16
of its characters, in any disguise.

The property test runs awsmedic in-process (cli.main) to afford many examples; the REPL and
one whole `diagnose` run as subprocesses, as users run them.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from awsmedic.model import Secret, SecretKind
from awsmedic.output.exporting import exporters
from awsmedic.safety.logs import ScrubFilter
from awsmedic.safety.redact import SecretBook
from tests.hardening.inprocess import process_world, run_main
from tests.hardening.secretworld import SecretWorld, echo, leaked, paste, plant, worlds
from tests.hardening.servers import Stub, http_stub

SUFFIXES = {"markdown": ".md", "json": ".json", "html": ".html"}


@pytest.fixture(scope="module")
def echoing() -> Iterator[Stub]:
    with http_stub(403, echo) as stub:
        yield stub


def run(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    status, out, err = run_main(argv, env)
    return status, out + err


def outputs_of(world: SecretWorld, root: Path, endpoint: str) -> list[str]:
    env = plant(world, root / "home", endpoint)
    text = paste(world)
    seen: list[str] = []
    formats = ("text", "markdown", "json")
    kinds = sorted(exporters())
    for number, fmt in enumerate(formats):
        target = root / f"t{number}{SUFFIXES[kinds[number % len(kinds)]]}"
        debug = ["--debug"] if fmt == "json" else []
        argv = [*debug, "diagnose", "--no-input", "--format", fmt, "--export", str(target), text]
        status, output = run(argv, env)
        assert status == 0, output
        seen += [output, target.read_text()]
    return seen + outputs_of_run_and_check(text, root, env)


#: A command that fails printing the paste, as a tool would print its error.
_FAILS_WITH = "import sys; sys.stderr.write(open(sys.argv[1]).read()); sys.exit(255)"


def outputs_of_run_and_check(text: str, root: Path, env: dict[str, str]) -> list[str]:
    """`run --format github` (its annotations and the job summary) and `check --all`: what
    awsmedic itself says; the command's own output is the command's."""
    (root / "paste.txt").write_text(text)
    summary = root / "summary.md"
    argv = ["run", "--format", "github", "--", sys.executable, "-c", _FAILS_WITH]
    status, output = run(
        [*argv, str(root / "paste.txt")], {**env, "GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert status == 255, output
    assert output.startswith("::error"), output  # diagnosed: annotated and summarised
    seen = [output, summary.read_text()]
    status, output = run(["check", "--all", "--format", "json"], env)
    assert status in (0, 1), output
    return [*seen, output]


def assert_nothing_leaks(secrets: list[str], outputs: list[str]) -> None:
    """Not a secret, nor RUN of its characters, in any disguise (joined lines, undone
    escapes: a wrapped or escaped leak is still a leak)."""
    for output in outputs:
        for secret in secrets:
            assert not leaked(secret, output), f"a secret leaked: ...{secret[-6:]}"


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds)
def test_no_generated_secret_appears_in_any_output(world: SecretWorld, echoing: Stub) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        outputs = outputs_of(world, Path(scratch), echoing.url)
    assert_nothing_leaks(world.secrets(), outputs)


def test_botocore_debug_logs_are_scrubbed(echoing: Stub, tmp_path: Path) -> None:
    """With --debug, botocore's own DEBUG lines come out, scrubbed."""
    world = _fixed_world()
    env = plant(world, tmp_path / "home", echoing.url)
    status, output = run(["--debug", "diagnose", "--no-input", "--format", "json", "x"], env)
    assert status in (0, 1)
    assert_nothing_leaks(world.secrets(), [output])
    status, output = run(
        ["--debug", "diagnose", "--no-input", "--format", "json", paste(world)], env
    )
    assert "botocore" in output and "DEBUG" in output  # the logs really are on
    assert_nothing_leaks(world.secrets(), [output])


def test_the_scrub_filter_covers_arguments_tracebacks_and_broken_formats() -> None:
    secret = "Wx3!odd~secret^value-9"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ScrubFilter(SecretBook([Secret(secret, SecretKind.SECRET_KEY)])))
    log = logging.getLogger("test.scrub")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    try:
        log.debug("as an argument: %s", secret)
        log.debug("a broken format %s %s", secret)
        try:
            raise ValueError(f"in an exception: {secret}")
        except ValueError:
            log.exception("with a traceback")
    finally:
        log.removeHandler(handler)
    assert secret not in stream.getvalue()
    # The broken format loses its arguments (and the secret with them), not its line.
    assert stream.getvalue().count("<secret-key:redacted>") == 2
    assert "a broken format" in stream.getvalue()


# -- as users run it ------------------------------------------------------------------------


def _fixed_world() -> SecretWorld:
    """One world with odd and realistic values in every place, the environment selected."""
    from tests.hardening.secretworld import Creds

    def odd(tag: str) -> Creds:
        return Creds(f"9id-{tag}~Zq", f"9sec-{tag}!Wx~plain", f"9tok-{tag}^Long.token:value")

    realistic = Creds(
        "AKIAZQ3DRSTUVWXY2345", "wJalrXUtnFEMI/K7MDENGbPxRfiCYzEXAMPLEKEx", "IQoJ" + "b3Jp" * 80
    )
    return SecretWorld(
        env=realistic,
        file=odd("file"),
        config=odd("config"),
        process=odd("process"),
        sso_token="9sso~token:odd.value",
        pasted=Creds("AKIAZQ3DRSTUVWXY7777", "aB3/" * 10, "FwoG" + "ZXIv" * 40),
        profile="env",
        style='"{}"',
    )


@pytest.mark.slow
def test_diagnose_as_a_subprocess_leaks_nothing(echoing: Stub, tmp_path: Path) -> None:
    world = _fixed_world()
    env = {**plant(world, tmp_path / "home", echoing.url), "PATH": os.environ.get("PATH", "")}
    outputs = []
    for fmt, export in (("text", "t.md"), ("json", "t.json")):
        result = subprocess.run(
            [
                *(sys.executable, "-m", "awsmedic", "--debug", "diagnose", "--no-input"),
                *("--format", fmt, "--export", str(tmp_path / export), paste(world)),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, result.stderr
        outputs += [result.stdout, result.stderr, (tmp_path / export).read_text()]
    assert_nothing_leaks(world.secrets(), outputs)


@pytest.mark.slow
def test_debug_logs_never_show_a_request_signature(echoing: Stub, tmp_path: Path) -> None:
    """botocore.auth logs the SigV4 signature on the line after `Signature:` (issue 17, 12):
    with it, that request can be replayed for minutes."""
    home = tmp_path / "keys-home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIARZPUZDIKGB2VALC4\n"
        "aws_secret_access_key = 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\n"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL": echoing.url,
        "AWS_DEFAULT_REGION": "us-east-1",
        # botocore's own SigV4 signer is the one that logs the signature (awscrt's does not).
        "BOTO_DISABLE_CRT": "true",
    }
    icti = (
        "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity "
        "operation: The security token included in the request is invalid."
    )
    result = subprocess.run(
        [sys.executable, "-m", "awsmedic", "--debug", "diagnose", "--no-input", icti],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "botocore.auth DEBUG: Signature:" in result.stderr  # the line is there...
    assert re.search(r"Signature\s*[:=]\s*[0-9a-f]{64}", result.stderr) is None  # ...masked


@pytest.mark.slow
def test_the_repl_leaks_nothing(echoing: Stub, tmp_path: Path) -> None:
    """The REPL in a real pseudo-terminal: paste, skip the questions, export, quit."""
    from tests.hardening.pty_driver import Terminal

    world = _fixed_world()
    env = {**plant(world, tmp_path / "home", echoing.url), "PATH": os.environ.get("PATH", "")}
    env["TERM"] = "xterm-256color"
    target = tmp_path / "session.md"
    with Terminal([sys.executable, "-m", "awsmedic", "--debug"], env, tmp_path) as terminal:
        terminal.wait_for_prompt()
        terminal.paste(paste(world))
        for _ in range(4):  # skip any question; an empty line at the prompt does nothing
            terminal.type("\r")
        terminal.type(f"/export {target}\r")
        terminal.settle()
        terminal.type("/quit\r")
        screen = terminal.finish()
    assert "Recognised" in screen
    assert target.exists(), screen[-2000:]
    assert_nothing_leaks(world.secrets(), [target.read_text()])
    # prompt_toolkit echoes what the user pastes in its input area, as any terminal would;
    # everything else on screen (probes, evidence, steps, logs) must hold no secret at all.
    pasted = paste(world)
    assert_nothing_leaks([s for s in world.secrets() if s not in pasted], [screen])


@pytest.mark.parametrize("profile", ["proc", "sso"])
def test_credentials_botocore_resolves_itself_are_scrubbed(
    profile: str, echoing: Stub, tmp_path: Path
) -> None:
    """credential_process output and SSO credentials never pass through a probe's hands; an
    endpoint that quotes them back must still not get them out."""
    from dataclasses import replace

    from awsmedic.context import Context
    from awsmedic.probes import ProbeInput, registry, run_probe
    from awsmedic.probes.world import AwsWorld
    from awsmedic.safety.secretscan import known_secrets

    world = replace(_fixed_world(), profile=profile)
    env = plant(world, tmp_path / "home", echoing.url)
    with process_world(env):
        ctx = Context.from_process()
        book = SecretBook(known_secrets(ctx))
        consented = AwsWorld(ctx, book, lambda: True)  # the helper runs only with consent
        evidence = run_probe(registry()["sts.identity"], ProbeInput(ctx, consented))
    quoted = {"proc": "Authorization=", "sso": "x-amz-sso_bearer_token="}[profile]
    assert quoted in evidence.summary  # the endpoint did quote the credentials back
    shown = book.scrub(evidence.summary + " " + " ".join(evidence.details))
    assert_nothing_leaks(world.secrets(), [shown])


def test_warnings_and_thread_failures_go_through_the_scrubber(home: Path) -> None:
    import warnings

    from awsmedic.safety.logs import configure_logging
    from tests.conftest import make_context

    secret = "9odd~secret^in-a-thread"
    book = SecretBook([Secret(secret, SecretKind.SECRET_KEY)])
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, threading.excepthook)
    err = io.StringIO()
    logging.captureWarnings(False)  # an earlier in-process run left it on, under pytest's own
    try:
        with contextlib.redirect_stderr(err):
            configure_logging(make_context(debug=True), book)
            warnings.warn(f"a library warns about {secret}", UserWarning, stacklevel=1)

            def fail() -> None:
                raise RuntimeError(f"a thread failed with {secret}")

            worker = threading.Thread(target=fail)
            worker.start()
            worker.join()
    finally:
        root.handlers[:], threading.excepthook = saved[0], saved[2]
        root.setLevel(saved[1])
        logging.captureWarnings(False)
    output = err.getvalue()
    assert "a library warns about" in output and "a thread failed with" in output
    assert secret not in output
