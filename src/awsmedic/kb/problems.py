"""Problems in knowledge files, each with its file and line, and the collector readers share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from awsmedic.model import Record


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Problem(Record):
    """One thing wrong in a knowledge file."""

    path: Path
    message: str
    line: int | None = None
    #: A warning (an unused cause, say) is reported by `kb check` but does not stop loading.
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        label = "warning: " if self.warning else ""
        return f"{where}: {label}{self.message}"


class Collector:
    """Problems found while reading, each with its file. Strict reading (`kb check`) also
    compiles every regular expression now; a diagnosis compiles only those it uses."""

    def __init__(self, *, strict: bool = False) -> None:
        self.problems: list[Problem] = []
        self.strict = strict

    def add(self, path: Path, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(path, message, line))
