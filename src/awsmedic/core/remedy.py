"""Turn a cause and the evidence into a Diagnosis, with the user's own values in the steps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from awsmedic.context import Context
from awsmedic.core.situation import Situation
from awsmedic.core.steps import build, fill_prose
from awsmedic.kb.model import Cause
from awsmedic.kb.placeholders import PLACEHOLDERS
from awsmedic.model import Confidence, Diagnosis, Evidence, Fact

#: Facts whose value from the pasted error beats the one from this machine: the error tells
#: where the failing request went, the machine only what is configured now.
TEXT_FIRST = frozenset({"region", "operation", "service", "action", "resource", "principal"})


def context_facts(ctx: Context) -> dict[str, Fact]:
    """What every diagnosis knows without a probe: the shared files and the selected profile,
    the way botocore picks them. Probe facts (with their exact sources) replace these."""
    from awsmedic.aws.sharedfiles import locate, profile_selection

    facts = {}
    for kind in ("credentials", "config"):
        path, source = locate(ctx, kind)
        if path is not None:
            where = ("env", source) if source != "default" else ("default", "")
            facts[f"{kind}_file"] = Fact(ctx.tilde(path), *where)
    profile, source, _ = profile_selection(ctx)
    facts["profile"] = Fact(profile, source)
    variable = endpoint_variable(ctx)
    if variable is not None:
        facts["endpoint_variable"] = Fact(variable, "environment")
    facts.update(host_facts(ctx))
    return facts


def endpoint_variable(ctx: Context) -> str | None:
    """The variable that sends STS's requests elsewhere, as botocore's ConfiguredEndpointProvider
    reads them (configprovider.py: the service's AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL,
    both before the config file's; none when ignore_configured_endpoint_urls is true, from
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or else the profile). A probe that knows the failing
    service's own route says where it comes from instead."""
    from awsmedic.aws import sharedfiles

    variable = next((n for n in ("AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL") if ctx.env(n)), None)
    if variable is None:
        return None  # the files are read only when there is something they could switch off
    ignore = ctx.env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
    if ignore is None:
        profile, _, _ = sharedfiles.profile_selection(ctx)
        setting = sharedfiles.load(ctx).settings(profile).get("ignore_configured_endpoint_urls")
        ignore = setting.value if setting is not None else None
    return None if (ignore or "").strip().lower() == "true" else variable


def context_findings(ctx: Context) -> frozenset[str]:
    """Which of steps.CONTEXT_FINDINGS hold: a step about a file that is not there is left
    out, and one about an endpoint variable that is not set."""
    from awsmedic.aws.sharedfiles import locate

    found = set()
    for kind in ("credentials", "config"):
        path, _ = locate(ctx, kind)
        try:
            exists = path is not None and path.exists()
        except OSError:
            exists = False
        if not exists:
            found.add(f"{kind}-file-missing")
    if endpoint_variable(ctx) is not None:
        found.add("endpoint-from-env")
    return frozenset(found)


def host_facts(ctx: Context) -> dict[str, Fact]:
    """The operating system and the kind of machine: which shell and which host the steps are
    for (read from /proc and marker files, no program run)."""
    from awsmedic.aws.hostenv import detect

    host = detect(ctx.environ, ctx.platform)
    os_name = {"windows": "windows", "macos": "macos"}.get(host.kind, "linux")
    kind = "wsl" if host.kind.startswith("wsl") else host.kind
    return {
        "os": Fact(os_name, "this machine", f"platform {ctx.platform}"),
        "host_kind": Fact(kind, "this machine", host.evidence),
    }


def merge_facts(
    text_facts: Mapping[str, Fact],
    evidence: Iterable[Evidence],
    base: Mapping[str, Fact] | None = None,
    text: str = "",
) -> dict[str, Fact]:
    """Probe facts, over `base` (context facts); the pasted error's facts win where they name
    the failing request (TEXT_FIRST), over a mere default (the profile `default` when nothing
    selects one, where the error names the profile it failed with), and fill in what nothing
    else knows, as do the values the paste names (a role ARN, a user, a bucket) and what facts
    imply (a role's name)."""
    from awsmedic.core.pastefacts import derived, paste_facts

    facts: dict[str, Fact] = dict(base or {})
    for item in evidence:
        facts.update(item.facts)
    for name, fact in {**paste_facts(text), **text_facts}.items():
        held = facts.get(name)
        if name in TEXT_FIRST or held is None or held.source == "default":
            facts[name] = fact
    facts.update(derived(facts))
    return facts


def placeholder_values(facts: Mapping[str, Fact]) -> dict[str, str]:
    """Placeholder name -> the value as found (quoting for a shell or a code span comes later)."""
    values = {
        name: fact.value for name, fact in facts.items() if name in PLACEHOLDERS and fact.value
    }
    held = facts.get("profile")
    if held is None or held.value:
        # nothing selects a profile: botocore uses `default`. An empty name (AWS_PROFILE="")
        # is not `default`: botocore looks for a profile called '' and says so.
        values.setdefault("profile", "default")
    if "profile" in values:
        values.setdefault("sso_profile", values["profile"])
    return values


def diagnose(
    cause: Cause,
    confidence: Confidence,
    evidence_lines: Iterable[str],
    facts: Mapping[str, Fact],
    situation: Situation | None = None,
) -> Diagnosis:
    values = placeholder_values(facts)
    situation = situation or Situation(facts=facts)
    return Diagnosis(
        cause=cause.id,
        title=cause.title,
        confidence=confidence,
        evidence=tuple(evidence_lines),
        why=fill_prose(cause.why, _prose_values(values, facts)),
        steps=build(cause, situation, values),
        refs=cause.refs,
    )


def _prose_values(values: Mapping[str, str], facts: Mapping[str, Fact]) -> dict[str, str]:
    """The values a cause's Why is told with: an empty profile name reads as `''`, as botocore's
    own message has it (`The config profile () could not be found`), where a command has none."""
    held = facts.get("profile")
    if held is not None and not held.value:
        return {**values, "profile": "''"}
    return dict(values)
