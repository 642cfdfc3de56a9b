"""Identity checks that separate region and partition problems from key problems (network).

sts:GetCallerIdentity needs no permission, so its answer is about authentication alone. Asked
with the keys the failing command sends, in the region that failed and in a region of the same
partition that every account has enabled, it tells a region problem (opt-in region, version 1
token) from a key problem. It never asks another partition's endpoints. Nothing here prompts:
profiles that would ask for an MFA code or run a credential_process are skipped.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from awsmedic.aws.regions import HOME_REGION, partition_of
from awsmedic.model import Evidence, Fact, Secret, SecretKind, Status, Unchecked
from awsmedic.probes import ProbeInput, not_checked, probe
from awsmedic.probes.chainwalk import ChainReport
from awsmedic.probes.partition import failing_region
from awsmedic.probes.sts import UNREACHABLE, classify
from awsmedic.probes.world import Creds

#: Codes that mean "AWS does not know these credentials here" (causes.md section 1).
UNKNOWN_KEY = frozenset(
    {
        "rejected-invalid-client-token-id",
        "rejected-unrecognized-client-exception",
        "rejected-auth-failure",
        "rejected-invalid-access-key-id",
        "rejected-invalid-token",
    }
)
#: Providers botocore can resolve without a prompt, a browser or running a program.
_QUIET = {"sso", "container-role", "iam-role", "assume-role-with-web-identity", "assume-role"}
_NOT_ENABLED = {"DISABLED", "DISABLING", "ENABLING", "not-opted-in"}
_ENABLED = {"ENABLED", "ENABLED_BY_DEFAULT", "opted-in", "opt-in-not-required"}


@dataclass
class Answer:
    """One GetCallerIdentity call: the identity, or the finding and description of the refusal."""

    region: str | None
    identity: dict[str, str] = field(default_factory=dict)
    finding: str = ""
    description: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.identity)

    @property
    def unknown_key(self) -> bool:
        return self.finding in UNKNOWN_KEY

    @property
    def unreached(self) -> bool:
        """AWS never answered: the call says nothing about the credentials."""
        return self.finding in UNREACHABLE


def ask(run: ProbeInput, creds: Creds, region: str | None) -> Answer:
    _, answer, failure = run.world.caller_identity(creds, region)
    if answer is None:
        assert failure is not None
        finding, description = classify(failure)
        return Answer(region, finding=finding, description=run.world.book.scrub(description))
    return Answer(region, {key: str(answer[key]) for key in ("Account", "Arn", "UserId")})


def resolved_credentials(run: ProbeInput, report: ChainReport) -> tuple[Creds | None, str]:
    """The failing command's credentials: the static keys, or what botocore resolves quietly."""
    keys = report.keys
    if keys is not None:
        return (keys.access_key, keys.secret_key, keys.token), ""
    winner = report.winner
    if winner is None:
        return None, "no credentials to check"
    if winner.method not in _QUIET or report.role_mfa or report.source_provider == "custom-process":
        return (
            None,
            f"credentials from {winner.method} are not checked: that could prompt or run a program",
        )
    # A session of our own: resolving may call SSO, STS or a metadata endpoint (bounded).
    frozen = run.world.own_session().get_credentials().get_frozen_credentials()
    token = Secret(frozen.token, SecretKind.SESSION_TOKEN) if frozen.token else None
    return (
        Secret(frozen.access_key, SecretKind.ACCESS_KEY_ID),
        Secret(frozen.secret_key, SecretKind.SECRET_KEY),
        token,
    ), ""


def region_status(run: ProbeInput, creds: Creds, region: str, home: str) -> str:
    """ENABLED, DISABLED, … for an opt-in region, asked with credentials that work in `home`."""
    with contextlib.suppress(Exception):  # needs account:GetRegionOptStatus; else try EC2
        account = run.world.client("account", home, creds)
        return str(account.get_region_opt_status(RegionName=region)["RegionOptStatus"])
    try:
        ec2 = run.world.client("ec2", home, creds)
        regions = ec2.describe_regions(AllRegions=True, RegionNames=[region])["Regions"]
        return str(regions[0].get("OptInStatus", "")) if regions else ""
    except Exception:
        return ""


def _session_user(answer: Answer, creds: Creds) -> bool:
    """ASIA keys that GetCallerIdentity calls a user: GetSessionToken/GetFederationToken ones."""
    arn = answer.identity.get("Arn", "")
    temporary = creds[0].reveal().startswith("ASIA")
    return temporary and (":user/" in arn or ":federated-user/" in arn or arn.endswith(":root"))


def _walk_regions(
    run: ProbeInput, creds: Creds, failing: str | None
) -> tuple[list[str], list[Answer]]:
    partition = (partition_of(failing) if failing else "aws") or "aws"
    home = HOME_REGION.get(partition, "us-east-1")
    first = ask(run, creds, failing)
    if first.ok:
        return ["works-in-failing-region"], [first]
    if not first.finding.startswith("rejected"):
        return [first.finding], [first]
    findings = ["rejected-in-failing-region"]
    second = first if failing == home else ask(run, creds, home)
    if second.unreached:  # refused where it failed; whether it works elsewhere is unknown
        return findings, [first, second]
    if second.ok and failing is None:
        return [*findings, "works-in-default-region"], [first, second]
    if second.ok and failing is not None:
        findings += ["works-in-default-region", "region-only-rejection"]
        status = region_status(run, creds, failing, home) if partition == "aws" else ""
        findings.append(
            "region-not-enabled"
            if status in _NOT_ENABLED
            else "region-enabled"
            if status in _ENABLED
            else "region-status-unknown"
        )
        return findings, [first, second]
    # Never asked in other partitions: that would send the key id (and a signature) to another
    # operator's endpoints (AWS China is run by local partners). region.partition checks offline.
    findings.append("rejected-everywhere")
    return findings, [first] if second is first else [first, second]


def _identity_facts(answers: list[Answer], failing: str | None) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    worked = next((answer for answer in answers if answer.ok), None)
    if worked is not None:
        where = f"sts:GetCallerIdentity in {worked.region or 'the global endpoint'}"
        facts["account_id"] = Fact(worked.identity["Account"], where)
        facts["arn"] = Fact(worked.identity["Arn"], where)
    if failing:
        facts["region"] = Fact(failing, "the failing region")
    return facts


def _describe(answer: Answer) -> str:
    where = answer.region or "the global endpoint"
    if answer.ok:
        return f"{where}: accepted as {answer.identity['Arn']}"
    return f"{where}: {answer.description}"


@probe(
    "sts.identity-regions",
    title="Identity in the failing region and in a default region",
    network=True,
    findings=(
        "works-in-failing-region",
        "rejected-in-failing-region",
        "works-in-default-region",
        "region-only-rejection",
        "rejected-everywhere",
        "region-enabled",
        "region-not-enabled",
        "region-status-unknown",
        "session-credentials-of-user",
        "not-checked",
        "endpoint-unreachable",
        "timeout",
        "tls-error",
        "proxy-error",
        "invalid-region",
        "http-client-error",
        "call-failed",
    ),
    facts=("account_id", "arn", "region"),
)
def identity_regions(run: ProbeInput) -> Evidence:
    """GetCallerIdentity with the failing keys where it failed, where it must work, and beyond."""
    report = run.world.chain()
    creds, why_not = resolved_credentials(run, report)
    if creds is None:
        return Evidence("sts.identity-regions", Status.SKIPPED, why_not, ("not-checked",))
    region = failing_region(run, report)
    failing = region.name if region else None
    findings, answers = _walk_regions(run, creds, failing)
    if answers[0].unreached:
        where = answers[0].region or "the global endpoint"
        secrets = tuple(part for part in creds if part is not None)
        detail = f"{where}: {answers[0].description}"
        return not_checked(
            "sts.identity-regions",
            Unchecked.UNREACHABLE,
            detail,
            (answers[0].finding,),
            secrets=secrets,
        )
    if any(answer.ok and _session_user(answer, creds) for answer in answers):
        findings.append("session-credentials-of-user")
    details = tuple(_describe(answer) for answer in answers)
    return Evidence(
        "sts.identity-regions",
        _status(findings),
        _summary(findings, answers, failing),
        tuple(findings),
        _identity_facts(answers, failing),
        details,
        tuple(part for part in creds if part is not None),
    )


_REGION_STATUS = {
    "region-not-enabled": "the region is not enabled for this account",
    "region-enabled": "the region is enabled for this account",
    "region-status-unknown": "the region's opt-in status could not be read",
}


def _summary(findings: list[str], answers: list[Answer], failing: str | None) -> str:
    worked = [answer for answer in answers if answer.ok]
    if "region-only-rejection" in findings:
        state = next(_REGION_STATUS[f] for f in findings if f in _REGION_STATUS)
        return f"refused in {failing} but accepted in {worked[-1].region}: {state}"
    if "rejected-everywhere" in findings:
        places = ", ".join(dict.fromkeys(a.region or "the global endpoint" for a in answers))
        return f"AWS does not accept these credentials in {places}: {answers[0].description}"
    return _describe(answers[0])


def _status(findings: list[str]) -> Status:
    if not findings[0].startswith(("works", "rejected")):
        return Status.ERROR
    return Status.OK if findings == ["works-in-failing-region"] else Status.PROBLEM
