"""Exporters: one redacted Transcript in, one document out. Format name -> function.

`exporting.export` picks one by the file's extension; `awsmedic show` reads JSON back
(`jsonread`). All of them tell the same story (`story`): the cases, the path through each tree,
the outcome, and the timeline of every event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from awsmedic.output.export.htmldoc import html_export
from awsmedic.output.export.jsondoc import json_export
from awsmedic.output.export.markdown import markdown_export

if TYPE_CHECKING:
    from awsmedic.core.transcript import Transcript

EXPORTERS: dict[str, Callable[[Transcript], str]] = {
    "markdown": markdown_export,
    "json": json_export,
    "html": html_export,
}
