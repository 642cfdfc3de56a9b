"""Exporters: one redacted Transcript in, one document out. Format name -> function.

`exporting.export` picks one by the file's extension; `awsmedic show` reads JSON back
(`jsonread`). All of them tell the same story (`story`): the cases, the path through each tree,
the outcome, and the timeline of every event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awsmedic.core.transcript import Transcript


# Each exporter is imported when a file of its format is written: `--format json` reads one
# function of `jsondoc` and should not pay for the HTML and Markdown documents.
def _markdown(transcript: Transcript) -> str:
    from awsmedic.output.export.markdown import markdown_export

    return markdown_export(transcript)


def _json(transcript: Transcript) -> str:
    from awsmedic.output.export.jsondoc import json_export

    return json_export(transcript)


def _html(transcript: Transcript) -> str:
    from awsmedic.output.export.htmldoc import html_export

    return html_export(transcript)


EXPORTERS: dict[str, Callable[[Transcript], str]] = {
    "markdown": _markdown,
    "json": _json,
    "html": _html,
}
