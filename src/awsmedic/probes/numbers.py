"""config.number-settings: the settings botocore reads as whole numbers, and any it cannot.

botocore casts `metadata_service_timeout`, `metadata_service_num_attempts` and `max_attempts`
(and their variables) with `int()` as it builds the credential chain or a client, so `0.5`,
`1s` or an empty variable stops every command with Python's own "invalid literal for int() with
base 10: '0.5'", which names neither the setting nor where it is set. This probe names both.
"""

from __future__ import annotations

from awsmedic.aws import numbersettings
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe, selected_profile

#: Which setting it is, for the steps: each has its own default and its own fix.
SETTING_FINDINGS = {
    "max_attempts": "setting-max-attempts-not-integer",
    "metadata_service_timeout": "setting-metadata-timeout-not-integer",
    "metadata_service_num_attempts": "setting-metadata-attempts-not-integer",
}


@probe(
    "config.number-settings",
    title="Settings botocore reads as whole numbers (IMDS timeout and attempts, max_attempts)",
    findings=("setting-not-integer", *SETTING_FINDINGS.values(), "number-settings-ok"),
    facts=("profile",),
)
def number_settings(run: ProbeInput) -> Evidence:
    """Which whole-number setting botocore cannot read, and where it is set."""
    selection = selected_profile(run)
    found = numbersettings.read(run.ctx, selection.name).values()
    refused = [s for s in found if s.refused]
    quoted = numbersettings.quoted_values(run.text)
    # The setting whose value the error quotes comes first: that is the one botocore read.
    refused.sort(key=lambda s: s.raw not in quoted)
    facts = {"profile": Fact(selection.name, selection.source)}
    if not refused:
        summary = "every whole-number setting botocore reads here is a whole number or unset"
        ok = ("number-settings-ok",)
        return Evidence("config.number-settings", Status.OK, summary, ok, facts)
    lines = tuple(f"{s.describe()}: not a whole number" for s in refused)
    summary = (
        f"{'; '.join(lines)}; botocore reads it with int() and stops before any request"
        " (whole seconds or attempts only)"
    )
    return Evidence(
        "config.number-settings",
        Status.PROBLEM,
        summary,
        (
            "setting-not-integer",
            *dict.fromkeys(SETTING_FINDINGS[setting.key] for setting in refused),
        ),
        facts,
        lines,
    )
