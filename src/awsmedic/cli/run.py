"""`awsmedic run [options] -- CMD [ARGS...]`: run a command; diagnose it when it fails.

The command runs as it is (`child`), and awsmedic exits with its exit status. When it fails and
what it printed holds an error awsmedic recognises, the diagnosis follows on stderr, made as the
command saw the world (`aws.cmdline`): its environment prefixes, and its tool's profile, region
and endpoint options. In a terminal, awsmedic then offers to run it again, to say whether the
fix worked: verify, do not hope.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator, Mapping

from awsmedic.aws.cmdline import CommandLine
from awsmedic.context import Context
from awsmedic.errors import UsageError
from awsmedic.safety.redact import SecretBook
from awsmedic.safety.safetext import printable

#: A command line quoted in a sentence is cut here (the JSON keeps it whole).
_SHOWN = 160
_YES = ("y", "yes")


def command_words(args: argparse.Namespace) -> list[str]:
    words = list(args.cmd)
    if words[:1] == ["--"]:
        words = words[1:]
    if not words:
        raise UsageError(message="give the command to run: awsmedic run [options] -- CMD [ARGS...]")
    return words


def run(ctx: Context, book: SecretBook, args: argparse.Namespace) -> int:

    from awsmedic.aws import cmdline
    from awsmedic.cli.child import run_command
    from awsmedic.cli.commands import check_options
    from awsmedic.safety.capture import Capture

    words = command_words(args)
    check_options(ctx, args)  # a bad --export or --answer is a usage error before anything runs
    line = cmdline.read(words)
    environ = line.environment(ctx.environ)
    finished = run_command(line.argv, environ, Capture())
    if finished.status == 0 or finished.signalled:  # Ctrl-C is no error to diagnose
        return finished.status
    text = finished.capture.text()
    if not text.strip() or not _diagnose(ctx, book, args, line, text, finished.status):
        return finished.status
    return _offer_again(ctx, book, args, line, environ, finished.status)


def shown(line: CommandLine) -> str:
    """The command for a sentence: one line, inside a code span, not too long."""
    text = " ".join(line.display().split()).replace("`", "'")
    return f"`{text[: _SHOWN - 1]}…`" if len(text) > _SHOWN else f"`{text}`"


@contextlib.contextmanager
def process_environment(environ: Mapping[str, str]) -> Iterator[None]:
    """botocore reads the process environment: make it the command's while we diagnose."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def diagnosis_context(ctx: Context, line: CommandLine) -> Context:
    """The world as the command saw it; awsmedic's own --profile and --region still win.
    Call it inside `process_environment`; the report goes to our stderr. Evidence says where
    a setting came from as for a pasted command line (core.pastedcommand)."""
    from awsmedic.core.pastedcommand import source

    given = {"profile": ctx.profile, "region": ctx.region}
    sources = {
        name: source(line.via.get(name, ""), "in the command line")
        if given[name] is None and line.settings.get(name)
        else f"--{name}"
        for name in given
    }
    return Context.from_process(
        profile=ctx.profile or line.profile,
        region=ctx.region or line.region,
        profile_source=sources["profile"],
        region_source=sources["region"],
        offline=ctx.offline,
        probes_enabled=ctx.probes_enabled,
        debug=ctx.debug,
        verify_ssl=line.verify_ssl,
        stdin=ctx.stdin,
        stdout=ctx.stderr,
        stderr=ctx.stderr,
    )


def _diagnose(
    ctx: Context,
    book: SecretBook,
    args: argparse.Namespace,
    line: CommandLine,
    text: str,
    status: int,
) -> bool:
    """Diagnose the failure on stderr; False (and nothing said) when the output holds no error
    awsmedic recognises."""
    from pathlib import Path

    from awsmedic.cli.commands import consult, mask_identity, report
    from awsmedic.safety.secretscan import known_secrets

    with process_environment(line.diagnosis_environment(ctx.environ)):
        seen = diagnosis_context(ctx, line)
        book.add(known_secrets(seen))  # what the command's own prefixes and options hold
        if args.redact_identity:
            mask_identity(seen, book)
        outcome, transcript = consult(seen, book, args, text)
    if outcome.recognition.best is None:
        return False
    failed = f"{shown(line)} exited with status {status}"
    if args.format == "text":
        print(f"\nawsmedic: {book.scrub(printable(failed))}; what went wrong:", file=ctx.stderr)
    if args.export is not None:
        from awsmedic.output.exporting import export

        export(transcript, book, Path(args.export), force=args.force)
    extra = {"run": {"command": line.display(), "exit_status": status}}
    report(seen, book, args, outcome, extra=extra, failed=failed)
    return True


def _offer_again(
    ctx: Context,
    book: SecretBook,
    args: argparse.Namespace,
    line: CommandLine,
    environ: Mapping[str, str],
    status: int,
) -> int:
    """In a terminal: after the steps, run the command again on request and say whether it
    works now. The exit status is that of the last run."""
    from awsmedic.cli.child import run_command
    from awsmedic.cli.commands import may_prompt
    from awsmedic.safety.capture import Capture

    if args.format != "text" or not may_prompt(ctx, args) or not ctx.stderr.isatty():
        return status
    command = book.scrub(printable(shown(line)))
    while True:
        print(
            f"\nRun {command} again to check the fix? It runs with the environment it had"
            " (a fix made with export or unset needs a new `awsmedic run`). [y/N] ",
            end="",
            file=ctx.stderr,
            flush=True,
        )
        if ctx.stdin.readline().strip().lower() not in _YES:
            return status
        capture = Capture()
        status = run_command(line.argv, environ, capture).status
        if status == 0:
            print(f"\nawsmedic: ✓ {command} works now.", file=ctx.stderr)
            return 0
        print(
            f"\nawsmedic: ✗ {command} still fails{_now(ctx, capture.text())}"
            f" (exit status {status}).",
            file=ctx.stderr,
        )


def _now(ctx: Context, text: str) -> str:
    """What the error is now, when awsmedic recognises it."""
    from awsmedic.core.match import Matcher
    from awsmedic.kb import load_for

    best = Matcher(load_for(ctx.environ)).recognise(text).best if text else None
    return f": {best.title}" if best is not None else ""
