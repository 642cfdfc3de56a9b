"""`--format github`: GitHub Actions workflow commands, and the job summary.

An annotation is one line, `::error title=...::message` (the runner reads workflow commands
from a step's stdout and stderr alike). Values are escaped the way actions/toolkit does
(`packages/core/src/command.ts`): `%`, CR and LF in the message, and also `:` and `,` in
properties, so nothing a command printed can end the line early or start a command of its own.
When GITHUB_STEP_SUMMARY names a file, the Markdown diagnosis is appended to it and shows on the
run's summary page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from awsmedic.core.consult import Outcome
from awsmedic.model import Diagnosis
from awsmedic.safety.redact import SecretBook
from awsmedic.safety.safetext import printable

SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"
TITLE_PREFIX = "AWS credentials"
#: An annotation is a message, not a report: longer ones are cut (the summary has it all).
MAX_MESSAGE = 4000
_FENCE = re.compile(r"^[ \t]*(```|~~~)", re.MULTILINE)
#: A file a step works on, as steps write them: `~/.aws/config`, `/etc/aws/credentials`.
_PATH = re.compile(r"`((?:~|/)[^`\s]+)`")


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(name: str, message: str, **properties: str) -> str:
    """`::name key=value,...::message`, every part escaped; empty properties are left out."""
    props = ",".join(
        f"{key}={escape_property(value)}" for key, value in properties.items() if value
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def step_text(step: object) -> str:
    """A step's Markdown (steps are strings, or objects with a `text`)."""
    return step if isinstance(step, str) else str(getattr(step, "text", step))


def first_paragraph(markdown: str) -> str:
    """A step on one line: its text up to the first blank line or code block."""
    head = _FENCE.split(markdown, maxsplit=1)[0].split("\n\n", 1)[0]
    return " ".join(head.split()).rstrip(":")


def start_step(diagnosis: Diagnosis) -> object | None:
    """The step to take first, from the steps in the order the diagnosis built them (those known
    to apply before those that only may; one whose condition is false is not there at all):
    the first that carries the exact edit a probe found; else the first there for a finding the
    evidence has (its condition names it); else, among the steps known to apply, the first that
    works on a file the evidence names (a cause often has one step per file), else the first
    with a command to run, else the first; a step whose condition could not be decided only
    when nothing known applies."""
    from awsmedic.model import EVIDENCED, HOLDS, UNDECIDED

    if not diagnosis.steps:
        return None
    edited = next((step for step in diagnosis.steps if getattr(step, "edit", None)), None)
    if edited is not None:
        return edited
    for tier in ({EVIDENCED}, {HOLDS, ""}, {UNDECIDED}):
        steps = [s for s in diagnosis.steps if getattr(s, "condition", "") in tier]
        if steps:
            return _likeliest(steps, diagnosis.evidence, runnable=EVIDENCED not in tier)
    return diagnosis.steps[0]


def _likeliest(steps: Sequence[object], evidence_lines: tuple[str, ...], runnable: bool) -> object:
    """Of steps alike in how sure they are: the first on a file the evidence names (unless all
    are), else (`runnable`) the first with a command to run, else the first."""
    from awsmedic.output.render import commands_in

    texts = [step_text(step) for step in steps]
    evidence = " ".join(evidence_lines)
    named = [
        index
        for index, text in enumerate(texts)
        if any(path in evidence for path in _PATH.findall(text))
    ]
    if named and len(named) < len(texts):
        return steps[named[0]]
    if not runnable:
        return steps[0]
    return steps[next((i for i, text in enumerate(texts) if commands_in(text)), 0)]


def first_step(diagnosis: Diagnosis) -> str:
    """The step to take first, on one line."""
    step = start_step(diagnosis)
    return first_paragraph(step_text(step)) if step is not None else ""


def _clean(book: SecretBook, text: str) -> str:
    return book.shown(text)


def workflow_annotations(
    outcome: Outcome,
    book: SecretBook,
    *,
    failed: str | None = None,
    summary: bool = False,
) -> list[str]:
    """The workflow commands for one outcome. `failed` says what failed (`run`): "`aws sts
    get-caller-identity` exited with status 255"; `summary`: the job summary has the rest."""
    lines: list[str] = [f"{failed}."] if failed else []
    more = (
        "Every step and the evidence: the job summary."
        if summary
        else "Every step and the evidence: `awsmedic diagnose` with this error."
    )
    diagnosis = outcome.diagnosis
    best = outcome.recognition.best
    if diagnosis is not None:
        lines.append(f"Cause: {diagnosis.cause} ({diagnosis.confidence.value}).")
        if diagnosis.evidence:
            lines.append(f"Evidence: {diagnosis.evidence[0]}")
        step = first_step(diagnosis)
        if step:
            lines.append(f"First step: {step}")
        lines.append(more)
        title = f"{TITLE_PREFIX}: {diagnosis.title}"
        return [_annotation("error", title, lines, book)]
    if best is None:
        lookalike = outcome.recognition.lookalike
        lines.append(
            f"That looks like {lookalike}."
            if lookalike is not None
            else "awsmedic does not recognise this as an AWS credential or authentication error."
        )
        return [_annotation("notice", "awsmedic", lines, book)]
    likely = ", ".join(f"{c.title} ({c.cause})" for c in outcome.candidates[:3])
    lines.append(f"Recognised: {best.title}. No single cause could be confirmed.")
    if likely:
        lines.append(f"Most likely: {likely}.")
    lines.append(more)
    return [_annotation("error", f"{TITLE_PREFIX}: {best.title}", lines, book)]


def _annotation(kind: str, title: str, lines: list[str], book: SecretBook) -> str:
    message = _clean(book, "\n".join(lines))
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return workflow_command(kind, message, title=" ".join(_clean(book, title).split()))


def append_summary(environ: Mapping[str, str], markdown: str) -> str | None:
    """Append to the job summary file when GITHUB_STEP_SUMMARY names one; a problem writing
    it is returned as a sentence (a summary never changes the exit status). The file is read
    as Markdown by GitHub, never by a terminal, but it gets the filter all the same: a raw
    carriage return is a line break in Markdown."""
    path = environ.get(SUMMARY_VARIABLE)
    if not path:
        return None
    try:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(printable(markdown).rstrip("\n") + "\n\n")
    except OSError as exc:
        return f"cannot append to {SUMMARY_VARIABLE} ({path}): {exc.strerror or exc}"
    return None
