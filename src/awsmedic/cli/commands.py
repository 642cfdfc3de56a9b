"""The commands behind the command line: diagnose, kb check, kb list, and the REPL entry."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from awsmedic.context import Context
from awsmedic.errors import UsageError
from awsmedic.kb import check, knowledge_dirs, load_for, shipped_dir
from awsmedic.model import Question
from awsmedic.safety.redact import SecretBook
from awsmedic.safety.safetext import printable

if TYPE_CHECKING:
    from rich.console import Console

    from awsmedic.core.consult import Outcome
    from awsmedic.core.transcript import Transcript

OK, NO_MATCH, ERROR = 0, 1, 2


def _error_text(ctx: Context, args: argparse.Namespace) -> str:
    from awsmedic.safety import inputs

    if args.text is not None and args.error_file is not None:
        raise UsageError(message="give the error as TEXT or with --error-file, not both")
    if args.text is not None:
        return inputs.read_text_argument(args.text)
    if args.error_file not in (None, "-"):
        return inputs.read_file(args.error_file)
    if args.error_file == "-" or not ctx.stdin.isatty():
        return inputs.read_stdin(ctx.stdin.buffer)
    raise UsageError(
        message="give the error text: awsmedic diagnose 'TEXT', --error-file PATH, or pipe it in"
    )


def _prompt_answerer(ctx: Context, enabled: bool):  # type: ignore[no-untyped-def]
    """Ask on the terminal (stderr, so stdout stays clean for --format json)."""

    def answer(question: Question) -> str | None:
        if not enabled:
            return None
        print(f"\n{question.text}", file=ctx.stderr)
        for number, choice in enumerate(question.choices, 1):
            print(f"  {number}. {choice}", file=ctx.stderr)
        while True:
            print("Answer (number or text, empty to skip): ", end="", file=ctx.stderr, flush=True)
            line = ctx.stdin.readline()
            if not line.strip():
                return None
            reply = line.strip()
            if reply.isdigit() and 1 <= int(reply) <= len(question.choices):
                return question.choices[int(reply) - 1]
            if reply in question.choices:
                return reply

    return answer


def check_options(ctx: Context, args: argparse.Namespace) -> None:
    """Usage errors found before any work: an --export without a usable name, an --answer to
    no question or with a value that is not a choice (never ignored without a word)."""
    if args.export is not None:
        from awsmedic.output.exporting import format_for  # only then: it costs every start

        if not args.export.strip():
            raise UsageError(message="--export needs a file name (.md, .json or .html)")
        format_for(Path(args.export))
    if args.answer:
        from awsmedic.core.presets import checked

        checked(load_for(ctx.environ), args.answer)


def diagnose(ctx: Context, book: SecretBook, args: argparse.Namespace) -> int:
    check_options(ctx, args)
    if getattr(args, "redact_identity", False):
        mask_identity(ctx, book)
    text = _error_text(ctx, args)
    if not printable(text).strip():  # empty, blank, or nothing but escape sequences
        raise UsageError(message="nothing to diagnose: the error text is empty")
    outcome, transcript = consult(ctx, book, args, text)
    if args.export is not None:  # first: stdout may be a pipe that closes early (`| head -1`)
        _export(transcript, book, args)
    report(ctx, book, args, outcome)
    return OK if outcome.recognition.best else NO_MATCH


def may_prompt(ctx: Context, args: argparse.Namespace) -> bool:
    """Whether a person can answer here: not with --no-input, text from a pipe, or in CI."""
    return not args.no_input and ctx.stdin.isatty() and not ctx.in_ci


def consult(
    ctx: Context, book: SecretBook, args: argparse.Namespace, text: str
) -> tuple[Outcome, Transcript]:
    """Recognise `text` and walk its tree, asking on the terminal only where `may_prompt`."""
    from awsmedic.core.consult import Consultation, Outcome
    from awsmedic.core.presets import checked
    from awsmedic.core.transcript import new_transcript

    knowledge = load_for(ctx.environ)
    preset = checked(knowledge, args.answer)
    transcript = new_transcript(ctx)
    consultation = Consultation(ctx, knowledge, book, transcript)
    recognition = consultation.recognise(text, preset=preset)
    if recognition.truncated and args.format != "text":  # the text output says it itself
        from awsmedic.core.pastes import TRUNCATED_NOTE

        print(f"awsmedic: note: {TRUNCATED_NOTE}", file=ctx.stderr)
    outcome = (
        consultation.run(_prompt_answerer(ctx, may_prompt(ctx, args)))
        if recognition.best
        else Outcome(recognition)
    )
    if book.identity is not None:  # names inside the ARNs the probes saw are masked everywhere
        book.identity = book.identity.learning(transcript.texts())
    return outcome, transcript


def report(
    ctx: Context,
    book: SecretBook,
    args: argparse.Namespace,
    outcome: Outcome,
    *,
    extra: Mapping[str, object] | None = None,
    failed: str = "",
) -> None:
    """The outcome on ctx.stdout in the chosen format. `extra` adds keys to the JSON object
    (`run` adds the command); `failed` is a sentence of Markdown that says what failed."""
    from awsmedic.output.report import scrubbed, to_contract

    if args.format == "json":
        document = {**to_contract(outcome), **(extra or {})}
        print(json.dumps(scrubbed(document, book), indent=2, ensure_ascii=False), file=ctx.stdout)
    elif args.format == "markdown":
        print(_markdown(outcome, failed, book), file=ctx.stdout)
    elif args.format == "github":
        _report_github(ctx, book, outcome, failed)
    else:
        _print_text(ctx, book, outcome)


def _markdown(outcome: Outcome, failed: str, book: SecretBook) -> str:
    """The Markdown report, built from strings already scrubbed and filtered."""
    from awsmedic.output.report import to_markdown

    body = to_markdown(outcome, book.shown)
    failed = book.shown(failed)
    if not failed:
        return body
    title, _, rest = body.partition("\n")  # under the document's heading
    return f"{title}\n\n{failed}.\n{rest}" if title.startswith("# ") else f"{failed}.\n\n{body}"


def _report_github(ctx: Context, book: SecretBook, outcome: Outcome, failed: str) -> None:
    from awsmedic.output.github import append_summary, workflow_annotations

    problem = append_summary(ctx.environ, _markdown(outcome, failed, book))
    if problem:
        print(f"awsmedic: warning: {book.scrub(problem)}", file=ctx.stderr)
    summarised = bool(ctx.env("GITHUB_STEP_SUMMARY")) and problem is None
    for line in workflow_annotations(outcome, book, failed=failed or None, summary=summarised):
        print(line, file=ctx.stdout)


def _export(transcript: Transcript, book: SecretBook, args: argparse.Namespace) -> None:
    from awsmedic.output.exporting import export

    export(transcript, book, Path(args.export), force=args.force)


def mask_identity(ctx: Context, book: SecretBook) -> None:
    """--redact-identity: from here on every scrub also masks who and where."""
    from awsmedic.safety.redact import IdentityMask

    book.identity = IdentityMask.from_environment(ctx.home, ctx.environ)


def show(ctx: Context, book: SecretBook, args: argparse.Namespace) -> int:
    """Print a saved transcript: checked like any untrusted input, and scrubbed again."""
    from awsmedic.output.export.jsonread import load
    from awsmedic.output.export.terminal import show_transcript
    from awsmedic.output.render import Printer

    if args.redact_identity:
        mask_identity(ctx, book)
    transcript, skipped = load(Path(args.transcript))
    show_transcript(Printer(_console(ctx), book), transcript.redacted(book), skipped)
    return OK


def _console(ctx: Context) -> Console:
    """The console for stdout. Piped output goes to logs, CI and tickets: no colour, no
    trailing spaces, and lines as wide as COLUMNS says, or a readable 120 rather than 80."""
    from awsmedic.output.render import make_console, piped_width

    tty = ctx.stdout.isatty()
    width = None if tty else piped_width(ctx.environ)
    no_color = ctx.no_color or not tty
    return make_console(ctx.stdout, no_color=no_color, width=width, environ=ctx.environ)


def _print_text(ctx: Context, book: SecretBook, outcome: Outcome) -> None:
    from awsmedic.output.render import Printer

    printer = Printer(_console(ctx), book)
    if outcome.recognition.best is None:
        printer.no_match(outcome.recognition.lookalike, outcome.recognition.truncated)
    else:
        printer.outcome(outcome)


def kb_check(ctx: Context, directory: str | None) -> int:
    dirs = list(knowledge_dirs(ctx.environ))
    if directory is not None:
        path = Path(directory)
        if not path.is_dir():
            raise UsageError(message=f"kb check: {directory} is not a directory")
        if path.resolve() != shipped_dir().resolve() and path.resolve() not in [
            d.resolve() for d in dirs
        ]:
            dirs.append(path)
    knowledge, problems = check(dirs)
    for problem in problems:
        print(problem, file=ctx.stdout)
    errors = [problem for problem in problems if not problem.warning]
    summary = f"{len(knowledge.trees)} trees, {len(knowledge.causes)} causes"
    warnings = len(problems) - len(errors)
    if errors:
        print(
            f"{len(errors)} problem(s), {warnings} warning(s) ({summary} loaded)", file=ctx.stderr
        )
        return NO_MATCH
    print(f"ok: {summary}" + (f", {warnings} warning(s)" if warnings else ""), file=ctx.stdout)
    return OK


def kb_list(ctx: Context, fmt: str) -> int:
    from awsmedic.probes import registry

    knowledge = load_for(ctx.environ)
    listing: dict[str, list[dict[str, object]]] = {
        "trees": [
            {"id": t.id, "title": t.title, "codes": list(t.codes)} for t in knowledge.trees.values()
        ],
        "causes": [{"id": c.id, "title": c.title} for c in knowledge.causes.values()],
        "probes": [
            {"id": p.id, "title": p.title, "network": p.network} for p in registry().values()
        ],
    }
    if fmt == "json":
        print(json.dumps(listing, indent=2), file=ctx.stdout)
        return OK
    for section, rows in listing.items():
        print(f"{section}:", file=ctx.stdout)
        for row in rows:
            extra = " (network)" if row.get("network") else ""
            print(f"  {row['id']:<36} {row['title']}{extra}", file=ctx.stdout)
    return OK


def interactive(ctx: Context, book: SecretBook) -> int:
    if not ctx.stdin.isatty() or not ctx.stdout.isatty():
        # Piped or redirected: behave like `diagnose`, reading the error from stdin.
        args = argparse.Namespace(
            text=None,
            error_file="-",
            answer=[],
            no_input=True,
            format="text",
            export=None,
            force=False,
        )
        return diagnose(ctx, book, args)
    from dataclasses import replace

    from awsmedic.repl.app import run_repl

    return run_repl(replace(ctx, interactive=True), book)
