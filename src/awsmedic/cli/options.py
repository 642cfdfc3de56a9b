"""The options `diagnose` and `run` share (CONTRACT.md: diagnose's options apply to run)."""

from __future__ import annotations

import argparse

FORMATS = ("text", "markdown", "json", "github")


def answer(value: str) -> tuple[str, str]:
    qid, sep, reply = value.partition("=")
    if not sep or not qid or not reply:
        raise argparse.ArgumentTypeError(f"expected QID=VALUE, got {value!r}")
    return qid.strip(), reply.strip()


def add_answer_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--answer",
        action="append",
        type=answer,
        default=[],
        metavar="QID=VALUE",
        help="answer a question in advance (repeatable); consent:<probe-id>=yes lets a check "
        "that needs your consent run",
    )


def add_diagnose_options(parser: argparse.ArgumentParser) -> None:
    """--profile, --region, --answer, --no-input, --offline, --no-probes, --format, --export,
    --force, --redact-identity."""
    parser.add_argument(
        "--profile",
        dest="d_profile",
        metavar="NAME",
        help="as if --profile NAME had been given to the failing command",
    )
    parser.add_argument(
        "--region",
        dest="d_region",
        metavar="NAME",
        help="as if --region NAME had been given to the failing command",
    )
    add_answer_option(parser)
    parser.add_argument(
        "--no-input", action="store_true", help="never prompt; unanswered questions stay open"
    )
    parser.add_argument(
        "--offline",
        dest="d_offline",
        action="store_true",
        help="run no probe that uses the network",
    )
    parser.add_argument(
        "--no-probes", action="store_true", help="text only: rank causes, run no probe"
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format (default: text); github: workflow-command annotations, and the "
        "Markdown diagnosis appended to $GITHUB_STEP_SUMMARY when it is set",
    )
    parser.add_argument(
        "--export", metavar="PATH", help="also write the transcript (.md, .json or .html)"
    )
    parser.add_argument(
        "--force", action="store_true", help="let --export overwrite an existing file"
    )
    parser.add_argument(
        "--redact-identity",
        action="store_true",
        help="also mask account ids, ARNs, user names and home paths (for public posting)",
    )
