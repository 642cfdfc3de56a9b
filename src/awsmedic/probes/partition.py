"""region.partition: the region the request went to, its partition, and the STS endpoint in use.

Credentials work in every enabled region of their own partition and nowhere else, and session
tokens from the global STS endpoint work only in the regions enabled by default (causes.md
section 7). So the failing region decides a lot: is it an opt-in region, which partition is it
in, does anything else configured (role ARNs, the pasted error) point at another partition, and
will STS calls from this profile go to the global endpoint (version 1 tokens)?
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from awsmedic.aws.regions import HOME_REGION, is_opt_in, partition_of, without_zone
from awsmedic.model import Evidence, Fact, Record, Status, mask_url_password
from awsmedic.probes import ProbeInput, probe
from awsmedic.probes.chainwalk import ChainReport

_PARTITION_FINDING = {"aws-cn": "failing-region-china", "aws-us-gov": "failing-region-govcloud"}
_ARN_PARTITION = re.compile(r"\barn:(aws(?:-[a-z]+(?:-[a-z])?)?):")
_TEXT_PARTITION = (
    (re.compile(r"amazonaws\.com\.cn\b|\bcn-(?:north|northwest)-1\b"), "aws-cn"),
    (re.compile(r"\bus-gov-(?:west|east)-1\b|\bamazonaws-us-gov\b"), "aws-us-gov"),
)


@dataclass(frozen=True, repr=False, eq=False)
class Region(Record):
    """The region the failing command used, and where it was set."""

    name: str
    source: str
    location: str = ""


def configured_region(run: ProbeInput, report: ChainReport) -> Region | None:
    """The region botocore uses, and where it comes from (--region, env, the profile)."""
    if run.ctx.region:
        return Region(run.ctx.region, run.ctx.region_source)
    if run.ctx.env("AWS_DEFAULT_REGION"):
        return Region(run.ctx.environ["AWS_DEFAULT_REGION"], "env", "AWS_DEFAULT_REGION")
    # The walked profile (read under the world's lock) holds what botocore reads from the files.
    value = report.profile_config.get("region")
    if value:
        return Region(str(value), "config-file", f"[{report.profile}] region")
    return None


def failing_region(run: ProbeInput, report: ChainReport) -> Region | None:
    """Where the failing request went: the region named in the error, else the configured one."""
    facts = run.recognition.facts if run.recognition else {}
    fact = facts.get("region")
    # (A pasted command's region the probes already use is said as they say it.)
    if fact is not None and not (fact.source == "pasted command line" and run.ctx.region):
        return Region(without_zone(fact.value), fact.source, fact.location)
    return configured_region(run, report)


def _sts_endpoint(run: ProbeInput, region: str | None) -> tuple[str, str]:
    """(the STS endpoint botocore uses, the one it would use without endpoint overrides)."""
    used = run.world.endpoint_url("sts", region)  # shown: a password in an override is masked
    return mask_url_password(used), run.world.endpoint_url("sts", region, configured=False)


def _other_partitions(run: ProbeInput, report: ChainReport, own: str) -> dict[str, str]:
    """Partitions other than `own` that something configured or pasted belongs to, and where."""
    seen: dict[str, str] = {}
    for key, value in report.profile_config.items():
        for match in _ARN_PARTITION.finditer(value):
            seen.setdefault(match.group(1), f"{key} in profile '{report.profile}'")
    # The profile's own region, even when an env variable or --region overrides it: keys made
    # for cn-north-1 sent to us-east-1 by a leftover AWS_DEFAULT_REGION are the classic case.
    file_region = report.profile_config.get("region")
    file_partition = partition_of(str(file_region)) if file_region else None
    if file_partition is not None:
        seen.setdefault(file_partition, f"the region {file_region} of profile '{report.profile}'")
    for match in _ARN_PARTITION.finditer(run.text):
        seen.setdefault(match.group(1), "an ARN in the pasted error")
    for pattern, partition in _TEXT_PARTITION:
        if pattern.search(run.text):
            seen.setdefault(partition, "the pasted error")
    configured = configured_region(run, report)
    configured_partition = partition_of(configured.name) if configured else None
    if configured is not None and configured_partition is not None:
        seen.setdefault(configured_partition, f"the configured region {configured.name}")
    return {name: where for name, where in seen.items() if name != own}


def _region_findings(region: Region | None, details: list[str]) -> tuple[list[str], str | None]:
    if region is None:
        details.append("no region is configured: botocore sends STS calls to sts.amazonaws.com")
        return ["no-region"], "aws"
    partition = partition_of(region.name)
    if partition is None:
        details.append(f"{region.name} is not a region in botocore's partitions data")
        return ["failing-region-unknown"], None
    found = [_PARTITION_FINDING.get(partition, "failing-region-other-partition")]
    if partition == "aws":
        opt_in = is_opt_in(region.name)
        found = ["failing-region-opt-in" if opt_in else "failing-region-default-enabled"]
        if opt_in:
            details.append(
                f"{region.name} is an opt-in region: it works only once the account enabled it,"
                " and only with session tokens from a regional STS endpoint (or version 2 tokens)"
            )
    details.append(f"{region.name} is in partition {partition}")
    return found, partition


def _token_findings(run: ProbeInput, report: ChainReport, details: list[str]) -> list[str]:
    region = configured_region(run, report)
    used, plain = _sts_endpoint(run, region.name if region else None)
    details.append(
        f"STS endpoint: {used}" + (f" (overridden; without it {plain})" if used != plain else "")
    )
    if plain.startswith("https://sts.amazonaws.com"):
        details.append(
            "session tokens from the global endpoint are version 1 tokens, valid only in regions"
            " enabled by default, unless the account chose version 2 tokens"
        )
        return ["sts-global-endpoint"]
    return ["sts-regional-endpoint"]


@probe(
    "region.partition",
    title="Region, partition and STS endpoint",
    findings=(
        "no-region",
        "failing-region-from-error",
        "failing-region-opt-in",
        "failing-region-default-enabled",
        "failing-region-unknown",
        "failing-region-china",
        "failing-region-govcloud",
        "failing-region-other-partition",
        "partition-mismatch",
        "sts-global-endpoint",
        "sts-regional-endpoint",
        "aws-region-ignored",
    ),
    facts=("region", "partition_region"),
)
def region_partition(run: ProbeInput) -> Evidence:
    """Which region failed, where it came from, its partition, and the STS token version."""
    report = run.world.chain()
    region = failing_region(run, report)
    details: list[str] = []
    findings, partition = _region_findings(region, details)
    configured = configured_region(run, report)
    if (
        region is not None
        and region.source in ("pasted error", "pasted command line")
        and (configured is None or configured.name != region.name)
    ):
        findings.append("failing-region-from-error")
    others = _other_partitions(run, report, partition) if partition else {}
    if others:
        findings.append("partition-mismatch")
        details += [f"but {where} is in partition {name}" for name, where in others.items()]
    findings += _token_findings(run, report, details)
    aws_region = run.ctx.env("AWS_REGION")
    if aws_region and not run.ctx.env("AWS_DEFAULT_REGION") and not run.ctx.region:
        findings.append("aws-region-ignored")
        details.append(
            f"AWS_REGION={aws_region} is read by AWS CLI v2 and most SDKs, but not by boto3,"
            " botocore or AWS CLI v1 (they read AWS_DEFAULT_REGION)"
        )
    facts = {}
    if region is not None:
        facts["region"] = Fact(region.name, region.source, region.location)
    home = next((HOME_REGION[name] for name in others if name in HOME_REGION), None)
    if home is not None:
        facts["partition_region"] = Fact(home, "a region of the partition the settings point to")
    where = f"{region.name} ({region.source})" if region else "no region"
    bad = {"failing-region-opt-in", "failing-region-unknown", "partition-mismatch", "no-region"}
    return Evidence(
        "region.partition",
        Status.PROBLEM if bad & set(findings) else Status.OK,
        f"{where}: " + "; ".join(details[:2]),
        tuple(findings),
        facts,
        tuple(details),
    )
