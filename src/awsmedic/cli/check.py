"""`awsmedic check [--profile NAME | --all] [--offline] [--format text|json]`."""

from __future__ import annotations

import argparse
import json

from awsmedic.context import Context
from awsmedic.safety.redact import SecretBook

OK, PROBLEM = 0, 1


def check(ctx: Context, book: SecretBook, args: argparse.Namespace) -> int:
    from awsmedic.core.check import Checker
    from awsmedic.core.presets import checked
    from awsmedic.kb import load_for
    from awsmedic.output.checkview import show, to_json
    from awsmedic.output.render import make_console, piped_width

    knowledge = load_for(ctx.environ)
    report = Checker(ctx, knowledge, book, checked(knowledge, args.answer)).check(every=args.all)
    if args.format == "json":
        print(json.dumps(to_json(report, book), indent=2, ensure_ascii=False), file=ctx.stdout)
    else:
        tty = ctx.stdout.isatty()
        width = None if tty else piped_width(ctx.environ)  # COLUMNS, or a readable 120
        console = make_console(ctx.stdout, no_color=ctx.no_color or not tty, width=width)
        show(report, console, book)
    return OK if report.ok else PROBLEM
