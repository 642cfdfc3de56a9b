"""config.output: the AWS CLI's output format, and whether the CLI knows it.

The AWS CLI reads its output format from `--output`, else AWS_DEFAULT_OUTPUT, else `output` in
the profile, and stops every command after the call with "Unknown output type: yml" when it does
not know the format (aws/aws-cli awscli/formatter.py get_formatter). v1 knows json, text and
table; v2 also yaml and yaml-stream, which this probe accepts (it does not tell the two apart).
"""

from __future__ import annotations

from awsmedic.aws import sharedfiles
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe, selected_profile

#: Every format one of the two AWS CLI versions knows.
KNOWN_FORMATS = frozenset({"json", "text", "table", "yaml", "yaml-stream"})


@probe(
    "config.output",
    title="The AWS CLI's output format (AWS_DEFAULT_OUTPUT, output in the profile)",
    findings=("output-format-unknown", "output-format-ok"),
    facts=("profile",),
)
def output_format(run: ProbeInput) -> Evidence:
    """Where the output format comes from, and whether the AWS CLI knows it."""
    ctx = run.ctx
    selection = selected_profile(run)
    facts = {"profile": Fact(selection.name, selection.source)}
    value = ctx.env("AWS_DEFAULT_OUTPUT")
    where = "AWS_DEFAULT_OUTPUT in the environment"
    if value is None:
        setting = sharedfiles.load(ctx).settings(selection.name).get("output")
        if setting is None:
            summary = "no output format is set: the AWS CLI writes json"
            return Evidence("config.output", Status.OK, summary, ("output-format-ok",), facts)
        value, where = setting.value, setting.where(ctx)
    if value in KNOWN_FORMATS:
        summary = f"output format {value} ({where})"
        return Evidence("config.output", Status.OK, summary, ("output-format-ok",), facts)
    summary = (
        f"output format {value!r} ({where}) is none the AWS CLI knows (json, text, table; v2 also"
        ' yaml, yaml-stream): every aws command stops with "Unknown output type"'
    )
    return Evidence("config.output", Status.PROBLEM, summary, ("output-format-unknown",), facts)
