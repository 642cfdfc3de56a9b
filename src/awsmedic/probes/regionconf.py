"""config.region: the region botocore would use, where it comes from, and whether it is real.

botocore takes the region from `--region`, then `AWS_DEFAULT_REGION`, then `region` in the
profile (a named profile does not inherit it from [default]); AWS CLI v2 reads `AWS_REGION`
first. It checks only the *shape* of the name (InvalidRegionError for spaces, underscores,
quotes); a well-shaped name that is no region fails later, at DNS. A recognised tool that reads
another variable is followed: the JavaScript SDK v3 reads `AWS_REGION`, then the profile.
"""

from __future__ import annotations

import re

from awsmedic.aws import regions, sharedfiles
from awsmedic.aws.hygiene import printed_as, unwritten, value_problems, visible
from awsmedic.aws.lineedits import clean_region, key_edit
from awsmedic.model import Edit, Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe, selected_profile

#: The findings this probe gives an exact edit for (the `region` line of the profile).
EDIT_FINDINGS = (
    "region-az-name",
    "region-uppercase",
    "region-stray-characters",
    "region-unknown",
    "region-malformed",
)
#: botocore.utils.validate_region_name: a region must be a valid host label.
_HOST_LABEL = re.compile(r"^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{,63}(?<!-)$")
#: The value the failing command used, as the error quotes it: botocore's InvalidRegionError,
#: Terraform's AWS provider ("invalid AWS Region: %s"), and hashicorp/aws-sdk-go-base's
#: ValidateRegion (InvalidRegionError, "Invalid AWS Region: %s"), which the S3 backend prints
#: under "Invalid region value".
_IN_TEXT = re.compile(
    r"region_name '([^'\n]*)'|(?i:invalid AWS Region): ([^\s\"'`]+)"
    # the JavaScript SDK v3 (@smithy/core config-resolver/regionConfig/checkRegion.js)
    r'|Region not accepted: region="([^"\n]*)"'
)
#: Terraform shows the source line of a diagnostic under it: `   5:     region = "eu-west1"`.
_TF_SOURCE = re.compile(r'^[ \t│|]*(\d+):[ \t]*region[ \t]*=[ \t]*"([^"\n]*)"', re.MULTILINE)
_TF_ON = re.compile(r"\bon ([^\s,]+\.tf) line (\d+)")


#: botocore's region variable (boto3, botocore, AWS CLI v1: configprovider.py
#: `'region': ('region', 'AWS_DEFAULT_REGION', None, None)`).
BOTOCORE_REGION_VARS = ("AWS_DEFAULT_REGION",)
#: The variables a recognised tool reads its region from, before the profile's `region`, where
#: they are not botocore's, and how evidence names the tool.
_TOOL_REGION_VARS = {
    # @smithy/core dist-es/submodules/config: config-resolver/regionConfig/config.js
    # NODE_REGION_CONFIG_OPTIONS reads `env["AWS_REGION"]`, and node-config-provider/configLoader.js
    # chains fromEnv, then fromSharedConfigFiles, then the default; fromEnv gives up only on
    # `undefined`, so an empty AWS_REGION is the region (and checkRegion refuses it).
    "js-sdk-v3": (("AWS_REGION",), "the JavaScript SDK v3"),
}


def region_variables(tool: str | None) -> tuple[str, ...]:
    """The variables `tool` reads its region from, before the profile's, the first first."""
    return _TOOL_REGION_VARS.get(tool or "", (BOTOCORE_REGION_VARS, ""))[0]


def _tool(run: ProbeInput) -> str | None:
    return run.recognition.tool if run.recognition is not None else None


def _profile_region(run: ProbeInput) -> sharedfiles.Setting | None:
    ctx = run.ctx
    selection = selected_profile(run)
    return sharedfiles.load(ctx).settings(selection.name).get("region")


def _resolve(run: ProbeInput) -> tuple[str | None, str, str]:
    """(region, source, location) in the tool's order (botocore's unless the tool is known to
    read another variable); region None when nothing sets one."""
    ctx = run.ctx
    if ctx.region is not None:
        return ctx.region, ctx.region_source, ""
    variables = region_variables(_tool(run))
    for var in variables:
        if ctx.env(var) is not None:
            return ctx.environ[var], "env", var
    setting = _profile_region(run)
    if setting is not None:
        return setting.value, "config-file", setting.where(ctx)
    for var in BOTOCORE_REGION_VARS:
        # Set, but not read by the tool: reported as region-only-default-region.
        if var not in variables and ctx.env(var) is not None:
            return ctx.environ[var], "env", var
    return None, "", ""


def _empty_variable(run: ProbeInput, var: str) -> str:
    """Why an empty region variable is the region: the tool reads it before the profile, and an
    empty value is still one; and which region of the profile it hides."""
    tool = _tool(run)
    readers = _TOOL_REGION_VARS.get(tool or "", ((), "botocore"))[1]
    said = (
        f"is empty, and {readers} reads {var} before the profile's region: an empty value"
        " still counts as set"
    )
    setting = _profile_region(run)
    if setting is not None and setting.value:
        said += f"; it hides region '{visible(setting.value)}' ({setting.where(run.ctx)})"
    return said


def _missing(run: ProbeInput) -> tuple[list[str], str]:
    ctx = run.ctx
    findings = ["region-missing"]
    selection = selected_profile(run)
    text = f"no region is set for profile '{selection.name}' ({selection.source})"
    if ctx.env("AWS_REGION"):
        findings.append("region-only-aws-region")
        text += (
            "; AWS_REGION is set, but boto3, botocore and AWS CLI v1 read only"
            " AWS_DEFAULT_REGION (AWS CLI v2 reads both)"
        )
    default = sharedfiles.load(ctx).settings("default").get("region")
    if selection.name != "default" and default is not None and default.value:
        findings.append("region-only-in-default")
        text += f"; [default] has one ({default.where(ctx)}), but named profiles do not inherit it"
    return findings, text


def check_region(region: str) -> tuple[list[str], str]:
    """Findings and a sentence on a region name (without where it came from)."""
    if region == "":
        return ["region-empty"], "is empty, which botocore treats like no region"
    stray = value_problems(region)
    if stray:
        return ["region-stray-characters"], "has " + "; ".join(stray)
    findings = [] if _HOST_LABEL.match(region) else ["region-malformed"]
    known = regions.known_regions()
    if region in known:
        return ["region-set"], "is a known region"
    az = regions.AZ.match(region)
    if az and az.group(1) in known:
        return [*findings, "region-az-name"], (
            f"is an availability zone, not a region: the region is '{az.group(1)}'"
        )
    if region.lower() in known:
        return [*findings, "region-uppercase"], f"must be lower-case: '{region.lower()}'"
    if not findings and regions.could_be_new(region):
        return ["region-not-listed"], "has a region's shape but this botocore does not list it"
    meant = regions.nearest(region)
    hint = f"; did you mean '{meant}'?" if meant else ""
    if findings:
        return findings, f"is not a valid region name (botocore raises InvalidRegionError){hint}"
    return ["region-unknown"], f"is not an AWS region{hint}"


@probe(
    "config.region",
    title="Region and where it comes from",
    findings=(
        "region-set",
        "region-missing",
        "region-only-aws-region",
        "region-only-default-region",
        "region-only-in-default",
        "region-empty",
        "region-stray-characters",
        "region-malformed",
        "region-az-name",
        "region-uppercase",
        "region-not-listed",
        "region-unknown",
        "region-from-error",
        "region-from-env",
        "region-empty-hides-profile",
        "region-in-terraform",
        "region-in-tf-backend",
        "region-profile-section-unread",
    ),
    facts=(
        "region",
        "profile",
        "suggested_region",
        "terraform_setting",
        "region_variable",
        "suggested_profile",
        "profile_variable",
    ),
    edits=(*EDIT_FINDINGS, "region-profile-section-unread"),
)
def region_config(run: ProbeInput) -> Evidence:
    """The effective region in the failing tool's order (botocore's unless it is known to read
    another variable), and whether it is a real region name."""
    region, source, location = _resolve(run)
    in_text = _IN_TEXT.search(run.text)
    extra: list[str] = []
    quoted = None
    if in_text is not None:
        quoted = next((group for group in in_text.groups() if group is not None), None)
    if quoted is not None and (region is None or not printed_as(quoted, region)):
        # The error quotes the exact value the failing command used; escapes a repr wrote as
        # `\x1b` are part of that value, not decoration. (One the paste's cleaning or a
        # terminal took out is this value's, when what is left of it is what was quoted.)
        region, source, location = unwritten(quoted), "the error text", ""
        extra.append("region-from-error")
    terraform = _terraform_site(run, region) if region else None
    if terraform is not None:
        source, location = "Terraform", terraform[0]
        extra += terraform[1]
    selection = selected_profile(run)
    profile = {"profile": Fact(selection.name, selection.source)}
    unread = _unread_section(run, source)
    if unread is not None and region is not None and not unread.botocore:
        region, source, location = None, "", ""  # the tool never reads that section's region
    if region is None:
        findings, summary = _missing(run)
        if unread is None:
            return Evidence("config.region", Status.PROBLEM, summary, tuple(findings), profile)
        from awsmedic.aws.profilenames import unread_fix

        more, unread_edits = unread_fix(
            run.ctx,
            sharedfiles.load(run.ctx),
            unread,
            selection,
            "region-profile-section-unread",
            ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"),
        )
        return Evidence(
            "config.region",
            Status.PROBLEM,
            f"{summary}: {unread.reason}",
            (*findings, "region-profile-section-unread"),
            {**profile, **more},
            edits=unread_edits,
        )
    findings, sentence = check_region(region)
    facts = {**profile, "region": Fact(region, source, location)}
    hidden = None
    if source == "env":  # the variable wins over the profile: fix it there
        extra.append("region-from-env")
        facts["region_variable"] = Fact(location, "environment")
        if _only_default_region(run):
            extra.append("region-only-default-region")
        if region == "" and location in BOTOCORE_REGION_VARS:
            hidden = _hidden_by_empty(run)
            if hidden is not None:
                extra.append("region-empty-hides-profile")
        if region == "" and location not in BOTOCORE_REGION_VARS:
            sentence = _empty_variable(run, location)
    where = f"{source}, {location}" if location else source
    summary = f"region '{visible(region)}' ({where}) {sentence}"
    if source == "config-file" and selection.name == "default":
        twice = sharedfiles.default_twice(run.ctx, sharedfiles.load(run.ctx))
        if twice:  # the other section's region is not the one read, whatever it says
            summary += f"; {twice}"
    if hidden is not None:
        summary += (
            f"; set but empty, it still wins over region '{visible(hidden.value)}'"
            f" ({hidden.where(run.ctx)}): botocore takes the first value that is not None"
        )
    status = Status.OK if findings in (["region-set"], ["region-not-listed"]) else Status.PROBLEM
    meant = meant_region(region, findings)
    if region == "" and source == "env":
        # An empty variable hides the profile's region: that is the one meant.
        setting = _profile_region(run)
        if hidden is not None:
            facts["suggested_region"] = Fact(hidden.value, "config-file", hidden.where(run.ctx))
        elif setting is not None and check_region(setting.value)[0] == ["region-set"]:
            facts["suggested_region"] = Fact(setting.value, "the profile's region")
    edits: tuple[Edit, ...] = ()
    if terraform is not None:
        facts["terraform_setting"] = Fact(terraform[0], "Terraform")
    if meant is not None:
        facts["suggested_region"] = Fact(meant, "the region name meant")
        if source == "config-file":
            edits = _edit(run, findings, meant, summary)
    return Evidence(
        "config.region",
        status,
        summary,
        tuple(findings + extra),
        facts,
        edits=edits,
    )


def _unread_section(run: ProbeInput, source: str) -> sharedfiles.UnreadProfile | None:
    """The selected profile's config section, when the failing tool does not read it: one
    botocore drops (`[profile my dev]`), or, for the JavaScript SDK v3, one whose name its
    parser refuses (`[profile dév]`), from where the region would otherwise come."""
    if source not in ("", "config-file"):
        return None  # a variable or the command line sets the region: the section is not read
    ctx = run.ctx
    selection = selected_profile(run)
    files = sharedfiles.load(ctx)
    unread = sharedfiles.unread_profile(ctx, files, selection.name, _tool(run))
    if unread is None:
        return None
    setting = files.settings(selection.name).get("region") if source else None
    if setting is not None and setting.section is not unread.site.section:
        return None  # the region comes from a section the tool reads (the credentials file)
    return unread


def _terraform_site(run: ProbeInput, region: str) -> tuple[str, list[str]] | None:
    """Where a Terraform configuration writes the region the error quotes ("main.tf line 5"),
    and whether that is the S3 backend's (`terraform init -reconfigure` reads it again): from
    the `.tf` files of the working directory, else from the source line Terraform printed."""
    ctx = run.ctx
    tool = _tool(run)
    if ctx.cwd is not None and tool in (None, "terraform", "go-sdk-v2", "go-sdk-v1"):
        from awsmedic.aws.tfconfig import read_directory

        sites = read_directory(ctx.cwd).literal("region", region)
        if len(sites) == 1:
            backend = "backend" in sites[0].blocks
            return sites[0].where, ["region-in-terraform"] + (["region-in-tf-backend"] * backend)
    for found in _TF_SOURCE.finditer(run.text):
        on = _TF_ON.search(run.text)
        if found.group(2) == region and on is not None:
            backend = "Invalid region value" in run.text or "backend" in run.text.lower()
            where = f"{on.group(1)} line {found.group(1)}"
            return where, ["region-in-terraform"] + (["region-in-tf-backend"] * backend)
    return None


def _hidden_by_empty(run: ProbeInput) -> sharedfiles.Setting | None:
    """The profile's own `region` that an exported empty AWS_DEFAULT_REGION hides: botocore's
    ChainProvider keeps the first value that is not None, and "" is not None
    (botocore/configprovider.py), so the profile's region is never read."""
    setting = _profile_region(run)
    return setting if setting is not None and setting.value.strip() else None


def _only_default_region(run: ProbeInput) -> bool:
    """The region is set by AWS_DEFAULT_REGION alone: botocore and the AWS CLI read it, but the
    SDKs that read only AWS_REGION and the profile's `region` (JavaScript v3 and v2, Java,
    .NET) find none."""
    ctx = run.ctx
    if ctx.region is not None or ctx.env("AWS_REGION"):
        return False
    selection = selected_profile(run)
    return sharedfiles.load(ctx).settings(selection.name).get("region") is None


def meant_region(region: str, findings: list[str]) -> str | None:
    """The region a wrong name stands for: the zone's region, lower case, without stray
    characters, or the nearest name."""
    if "region-az-name" in findings or "region-stray-characters" in findings:
        return clean_region(region)
    if "region-uppercase" in findings:
        return region.lower()
    if {"region-unknown", "region-malformed"} & set(findings):
        return regions.nearest(region)
    return None


def _edit(run: ProbeInput, findings: list[str], meant: str, reason: str) -> tuple[Edit, ...]:
    ctx = run.ctx
    selection = selected_profile(run)
    setting = sharedfiles.load(ctx).settings(selection.name).get("region")
    finding = next((f for f in findings if f in EDIT_FINDINGS), None)
    if setting is None or finding is None:
        return ()
    edit = key_edit(ctx, setting.file, setting.line, finding, reason, value=meant)
    return (edit,) if edit is not None else ()
