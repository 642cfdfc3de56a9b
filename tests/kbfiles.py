"""Small knowledge bases written to a directory, for tests of one mechanism at a time."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path

from awsmedic.kb.load import load
from awsmedic.kb.model import Knowledge
from awsmedic.kb.problems import Problem

#: A cause file with one step; `{id}` is the cause's id.
CAUSE = (
    '+++\nid = "{id}"\ntitle = "Title of {id}"\nrefs = []\n+++\n\n## Why\n\nBecause.\n\n'
    "## Steps\n\n1. Fix it.\n"
)


def write_knowledge(
    root: Path, causes: Iterable[str], trees: Mapping[str, str], cause: str = CAUSE
) -> tuple[Knowledge, list[Problem]]:
    """Write each cause (from the `cause` template) and each tree (name -> TOML, dedented)
    under `root`, and load them: what loaded and every problem, for the test to judge."""
    (root / "causes").mkdir(exist_ok=True)
    (root / "trees").mkdir(exist_ok=True)
    for cause_id in causes:
        (root / "causes" / f"{cause_id}.md").write_text(cause.format(id=cause_id))
    for name, text in trees.items():
        (root / "trees" / f"{name}.toml").write_text(textwrap.dedent(text))
    return load([root])
