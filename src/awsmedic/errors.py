"""Errors awsmedic reports to the user, in botocore's style: a format string plus its kwargs.

`cli.main` is the only place that catches them; it prints the (scrubbed) message and exits
with the status the error names, so scripts can rely on it.
"""

from __future__ import annotations

from typing import Any, ClassVar


class AwsMedicError(Exception):
    fmt: ClassVar[str] = "An unspecified error occurred"
    exit_status: ClassVar[int] = 2

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        super().__init__(self.fmt.format(**kwargs))


class UsageError(AwsMedicError):
    fmt = "{message}"


class InputError(AwsMedicError):
    fmt = "Cannot read the error text from {source}: {reason}"


class KnowledgeError(AwsMedicError):
    """The knowledge base has problems; `problems` holds every one of them."""

    fmt = "The knowledge base has {count} problem(s):\n{listing}"

    def __init__(self, problems: list[Any]) -> None:
        self.problems = problems
        listing = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(count=len(problems), listing=listing)


class ExportError(AwsMedicError):
    fmt = "Cannot write the transcript to {path}: {reason}"


class TranscriptError(AwsMedicError):
    fmt = "Cannot read the transcript {path}: {reason}"


class OutputError(AwsMedicError):
    """stdout or stderr cannot be written (a full disk, an I/O error). A closed pipe is not
    one: a reader that went away (`| head -1`) is ignored quietly."""

    fmt = "cannot write the output: {reason}"
