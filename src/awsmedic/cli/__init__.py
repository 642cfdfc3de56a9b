"""Command line: argument parsing, exit statuses, and the only place errors are caught.

The commands themselves (`diagnose`, `show`, `kb`, the REPL entry) are in `commands`. This
package is the top: it may import every other one, and none imports it.

`main()` turns every AwsMedicError into a scrubbed one-line message and its exit status, and
every unexpected exception into a short apology (with --debug, the scrubbed traceback), so a
user never sees a raw traceback and no error message can leak a secret.
"""

from __future__ import annotations

import argparse
import enum
import gc
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from awsmedic import __version__
from awsmedic.cli.options import add_answer_option, add_diagnose_options
from awsmedic.context import Context
from awsmedic.errors import AwsMedicError, OutputError, UsageError
from awsmedic.safety.redact import SecretBook


class ExitStatus(enum.IntEnum):
    OK = 0
    NO_MATCH = 1
    ERROR = 2


#: Commands that do one bounded piece of work; the process ends with them.
ONE_SHOT = frozenset({"diagnose", "check", "show", "kb"})


def _no_more_collections() -> None:
    """Python's cyclic garbage collector off for the rest of a process that ends with its
    command.

    `diagnose` allocates some 100,000 objects, most of which live until the process ends
    (awsmedic's and botocore's modules and data, the knowledge base), and almost no garbage in
    cycles: the collector's 150-odd passes over them, and its full pass at exit, cost about 8%
    of the command's CPU time and free about a thousand objects. Reference counting still
    frees everything else at once. Not in the REPL, nor for `run`, whose command may run for
    hours; nor when main() is called with arguments (tests, which go on after it)."""
    gc.disable()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message=f"{self.prog}: {message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="awsmedic",
        description="Diagnose AWS credential and authentication errors. Run without a command "
        "to start the interactive assistant, then paste the error.",
    )
    parser.add_argument("--version", action="version", version=f"awsmedic {__version__}")
    parser.add_argument(
        "--profile", help="diagnose as if --profile NAME had been given to the failing command"
    )
    parser.add_argument("--region", help="likewise for --region")
    parser.add_argument("--offline", action="store_true", help="run no probe that uses the network")
    parser.add_argument("--debug", action="store_true", help="show scrubbed debug logs on stderr")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    diagnose = commands.add_parser(
        "diagnose",
        help="diagnose one error, non-interactively unless asked",
        description="Diagnose one pasted error and print the cause and the steps.",
    )
    diagnose.add_argument(
        "text",
        nargs="?",
        metavar="TEXT",
        help="the error text (or use --error-file, or pipe it in)",
    )
    diagnose.add_argument(
        "--error-file", metavar="PATH", help="read the error text from PATH ('-' for stdin)"
    )
    add_diagnose_options(diagnose)

    run = commands.add_parser(
        "run",
        help="run a command; if it fails with an error awsmedic knows, diagnose it",
        description="Run CMD with this environment, terminal and directory; its output passes "
        "through and awsmedic exits with its exit status. When it fails with an AWS credential "
        "or authentication error, the diagnosis follows on stderr, made as CMD saw the world "
        "(its --profile, --region, --endpoint-url, AWS_PROFILE=... prefixes).",
        usage="awsmedic run [options] -- CMD [ARGS...]",
    )
    add_diagnose_options(run)
    run.add_argument("cmd", nargs=argparse.REMAINDER, metavar="-- CMD [ARGS...]")

    setup = commands.add_parser(
        "check",
        help="check the credential set-up itself, without an error",
        description="Which credentials win here and what they shadow; each profile's kind and "
        "whether it works (or why not); the clock; the region. Exit status 0 when nothing is "
        "wrong, 1 when something is. Read-only: a role is assumed, a credential_process run, "
        "only with consent (--answer consent:role.assume=yes, consent:creds.process=yes).",
    )
    scope = setup.add_mutually_exclusive_group()
    scope.add_argument("--profile", dest="d_profile", metavar="NAME", help="check this profile")
    scope.add_argument("--all", action="store_true", help="check every profile of both files")
    setup.add_argument("--offline", dest="d_offline", action="store_true", help="use no network")
    setup.add_argument("--format", choices=("text", "json"), default="text")
    add_answer_option(setup)

    show = commands.add_parser(
        "show",
        help="print a saved transcript (.json) in the terminal",
        description="Print a transcript saved with --export FILE.json or /export FILE.json.",
    )
    show.add_argument("transcript", metavar="TRANSCRIPT.json", help="the saved JSON transcript")
    show.add_argument(
        "--redact-identity",
        action="store_true",
        help="also mask account ids, ARNs, user names and home paths",
    )

    kb = commands.add_parser(
        "kb",
        help="check or list the knowledge base",
        description="Check or list the knowledge base.",
    )
    kb_commands = kb.add_subparsers(
        dest="kb_command", metavar="KB_COMMAND", parser_class=_Parser, required=True
    )
    check = kb_commands.add_parser(
        "check",
        help="validate the knowledge base (the shipped one, or DIR)",
        description="Validate knowledge files and report every problem with its file and line.",
    )
    check.add_argument(
        "dir", nargs="?", metavar="DIR", help="a knowledge directory to check with the shipped one"
    )
    listing = kb_commands.add_parser(
        "list",
        help="list every tree, cause and probe",
        description="List every tree, cause and probe.",
    )
    listing.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def program(args: argparse.Namespace, ctx: Context, book: SecretBook) -> int:
    if args.command == "kb":
        from awsmedic.cli.commands import kb_check, kb_list

        return kb_check(ctx, args.dir) if args.kb_command == "check" else kb_list(ctx, args.format)
    if args.command == "diagnose":
        from awsmedic.cli.commands import diagnose

        return diagnose(ctx, book, args)
    if args.command == "run":
        from awsmedic.cli.run import run

        return run(ctx, book, args)
    if args.command == "check":
        from awsmedic.cli.check import check

        return check(ctx, book, args)
    if args.command == "show":
        from awsmedic.cli.commands import show

        return show(ctx, book, args)
    from awsmedic.cli.commands import interactive

    return interactive(ctx, book)


def _context(args: argparse.Namespace, **streams: TextIO) -> Context:
    profile = getattr(args, "d_profile", None) or args.profile
    region = getattr(args, "d_region", None) or args.region
    offline = args.offline or getattr(args, "d_offline", False)
    no_probes = getattr(args, "no_probes", False)
    return Context.from_process(
        profile=profile,
        region=region,
        offline=offline or no_probes,
        probes_enabled=not no_probes,
        debug=args.debug,
        **streams,
    )


def _say(stream: TextIO, message: str) -> None:
    """A last message on stderr, unless stderr itself cannot be written."""
    try:
        print(message, file=stream, flush=True)
    except (OSError, OutputError):
        _discard_output(sys.stderr)


def _discard_output(stream: TextIO) -> None:
    """Point a stream that failed (a closed pipe, a full disk) at the null device, so that
    Python's own flush at exit has nowhere to fail (its "Exception ignored" message)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no file descriptor: a test's StringIO
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """The program: argv None reads this process's command line (the console script,
    `python -m awsmedic`), and the process exits with the status returned."""
    from awsmedic.safety.safetext import terminal_stream

    book = SecretBook()
    # Every plain write goes through the terminal filter; rich filters what it renders itself.
    stdout, stderr = terminal_stream(sys.stdout), terminal_stream(sys.stderr)
    try:
        args = build_parser().parse_args(argv)
        if argv is None and args.command in ONE_SHOT:
            _no_more_collections()
        ctx = _context(args, stdout=stdout, stderr=stderr)
        from awsmedic.safety.logs import configure_logging
        from awsmedic.safety.secretscan import file_notes, known_secrets

        book.add(known_secrets(ctx))
        configure_logging(ctx, book)
        for note in file_notes(ctx):
            print(f"awsmedic: note: {book.scrub(note)}", file=ctx.stderr)
        status = program(args, ctx, book)
        stdout.flush()  # a failed write shows here, not as Python's "Exception ignored" at exit
        return status
    except AwsMedicError as exc:
        if isinstance(exc, OutputError):
            _discard_output(sys.stdout)
        _say(stderr, f"awsmedic: {book.scrub(str(exc))}")
        return exc.exit_status
    except KeyboardInterrupt:
        _say(stderr, "\nawsmedic: interrupted")
        return 130
    except BrokenPipeError:  # the reader went away (`| head -1`): nothing to say, nor to write
        _discard_output(sys.stdout)
        return ExitStatus.OK
    except Exception as exc:  # the last line of defence: never a raw traceback, never a secret
        if "--debug" in (argv if argv is not None else sys.argv):
            import traceback

            print(book.scrub(traceback.format_exc()), file=stderr)
        print(
            f"awsmedic: internal error: {book.scrub(f'{type(exc).__name__}: {exc}')}"
            " (run with --debug for details, and please report it)",
            file=stderr,
        )
        return ExitStatus.ERROR
