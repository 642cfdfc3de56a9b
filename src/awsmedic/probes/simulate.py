"""iam.simulate: ask IAM's policy simulator why an action was refused.

A bare `Access Denied` (S3's, or any refusal that does not name a policy type) leaves open
whether your own policies lack an Allow, deny it outright, or allow it while something else
refuses. iam:SimulatePrincipalPolicy, called with your own credentials about your own user or
role, answers: `explicitDeny` (and the statement), `implicitDeny` (no Allow), or `allowed`. It
evaluates identity-based policies, your permissions boundary and the organisation's SCPs; it
does not see resource-based policies (unless given one), session policies or VPC endpoint
policies, so `allowed` points at those. The call changes nothing, but it is logged in
CloudTrail and needs the iam:SimulatePrincipalPolicy permission: it only runs with consent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from awsmedic.aws import denial
from awsmedic.model import Evidence, Fact, Status, Unchecked
from awsmedic.probes import Consent, ProbeInput, not_checked, probe
from awsmedic.probes.sts import UNREACHABLE, classify

_S3_URL = re.compile(r"\bs3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/([^\s'\"`]*))?")
#: S3 actions on a bucket (the rest act on objects): the resource ARN differs.
_S3_BUCKET_VERBS = re.compile(
    r"^s3:(?:List|GetBucket|PutBucket|DeleteBucket|GetLifecycle|GetEncryption|GetAccelerate|GetReplication|GetInventory|GetMetrics|GetAnalytics|GetIntelligent|CreateBucket)"
)
_POLICY_TYPES = {
    "user": "an inline policy of the user",
    "group": "a policy of one of the user's groups",
    "role": "an inline policy of the role",
    "aws-managed": "an AWS managed policy",
    "user-managed": "a customer managed policy",
    "resource": "the resource-based policy",
    "none": "no policy",
}


@dataclass(frozen=True)
class Question:
    source_arn: str
    caller_arn: str
    action: str
    resource: str  # "*" when the error does not name one


def s3_resource(text: str, action: str) -> str:
    """The S3 ARN an `s3://bucket/key` in the paste names, for this action ("" for none)."""
    found = _S3_URL.search(text)
    if not found or not action.startswith("s3:"):
        return ""
    bucket, key = found.group(1), (found.group(2) or "").rstrip("/")
    if _S3_BUCKET_VERBS.match(action) or not key:
        return f"arn:aws:s3:::{bucket}"
    return f"arn:aws:s3:::{bucket}/{key}"


def source_arn(caller: str) -> str:
    """The user or role whose policies apply ("" for root and federated users, which the
    simulator cannot take). A role session is simulated as its role."""
    if re.match(r"arn:aws[\w-]*:iam::\d{12}:user/", caller):
        return caller
    if ":assumed-role/" in caller:
        return denial.role_of_session(caller)
    return ""


def _question(run: ProbeInput, caller: str) -> Question | Evidence:
    facts = run.recognition.facts if run.recognition else {}
    operation = facts["operation"].value if "operation" in facts else ""
    service = facts["service"].value if "service" in facts else ""
    said = denial.parse(run.text, operation, service)
    if not said.action:
        return _skip("the error does not say which action was refused")
    source = source_arn(caller)
    if not source:
        return _skip(f"{caller} is not a user or role the simulator can evaluate")
    resource = said.resource if said.resource.startswith("arn:") else ""
    resource = resource or s3_resource(run.text, said.action) or "*"
    return Question(source, caller, said.action, resource)


def _skip(why: str) -> Evidence:
    return Evidence("iam.simulate", Status.SKIPPED, why, ("sim-not-possible",))


def _caller(run: ProbeInput, region: str | None) -> str | Evidence:
    try:
        answer = run.world.client("sts", region).get_caller_identity()
    except Exception as exc:
        finding, description = classify(exc)
        if finding in UNREACHABLE:
            return not_checked("iam.simulate", Unchecked.UNREACHABLE, description)
        return _skip(f"the credentials do not authenticate ({description})")
    return str(answer.get("Arn", ""))


def _simulate(iam: Any, asked: Question) -> tuple[dict[str, Any], Question]:
    answer = iam.simulate_principal_policy(
        PolicySourceArn=asked.source_arn,
        ActionNames=[asked.action],
        ResourceArns=[asked.resource],
    )
    results = answer.get("EvaluationResults") or [{}]
    return dict(results[0]), asked


def _run(
    run: ProbeInput, asked: Question, region: str | None
) -> tuple[dict[str, Any], Question] | Evidence:
    """The simulator's result and the question it answered (the role's real ARN, when it has
    a path), or Evidence saying why there is none."""
    iam = run.world.client("iam", region)
    try:
        return _simulate(iam, asked)
    except Exception as exc:
        failure: Exception = exc
    code = getattr(failure, "response", {}).get("Error", {}).get("Code", "")
    if code == "NoSuchEntity" and ":role/" in asked.source_arn:
        # The role has a path (IAM Identity Center roles do), which a session ARN leaves out.
        try:
            name = asked.source_arn.rsplit("/", 1)[-1]
            arn = iam.get_role(RoleName=name)["Role"]["Arn"]
            return _simulate(iam, Question(arn, asked.caller_arn, asked.action, asked.resource))
        except Exception as exc:
            failure = exc
    finding, description = classify(failure)
    if finding in UNREACHABLE:
        return not_checked("iam.simulate", Unchecked.UNREACHABLE, description)
    if finding == "rejected-access-denied":
        why = (
            "this identity may not use the policy simulator (iam:SimulatePrincipalPolicy):"
            f" {description}"
        )
        return Evidence("iam.simulate", Status.PROBLEM, why, ("sim-refused",))
    return Evidence(
        "iam.simulate", Status.ERROR, f"the simulation failed: {description}", ("sim-failed",)
    )


def _statements(result: dict[str, Any]) -> list[str]:
    lines = []
    for item in result.get("MatchedStatements") or []:
        kind = _POLICY_TYPES.get(str(item.get("SourcePolicyType", "")), "a policy")
        start = item.get("StartPosition") or {}
        end = item.get("EndPosition") or {}
        where = f", lines {start.get('Line')}-{end.get('Line')}" if start.get("Line") else ""
        lines.append(f"statement in {item.get('SourcePolicyId', '?')} ({kind}{where})")
    return lines


def _verdict(result: dict[str, Any], asked: Question) -> tuple[str, str, str]:
    """(finding, sentence, policy kind) for the simulator's decision."""
    decision = str(result.get("EvalDecision", ""))
    orgs = (result.get("OrganizationsDecisionDetail") or {}).get("AllowedByOrganizations")
    boundary = (result.get("PermissionsBoundaryDecisionDetail") or {}).get(
        "AllowedByPermissionsBoundary"
    )
    if decision != "allowed" and orgs is False:
        return (
            "sim-scp-deny",
            "a service control policy of the organisation refuses it",
            "service control policy",
        )
    if decision != "allowed" and boundary is False:
        return (
            "sim-boundary-deny",
            "the permissions boundary does not allow it",
            "permissions boundary",
        )
    if decision == "explicitDeny":
        return (
            "sim-explicit-deny",
            "a Deny statement in your own policies refuses it",
            "identity-based policy",
        )
    if decision == "implicitDeny":
        if asked.resource == "*":
            return (
                "sim-implicit-deny-unscoped",
                "no policy allows it on every resource (the error names no resource, so"
                " statements limited to some resources were not counted)",
                "identity-based policy",
            )
        return (
            "sim-implicit-deny",
            "no statement of your policies allows it",
            "identity-based policy",
        )
    if decision == "allowed":
        return (
            "sim-allowed",
            "your own policies allow it: the refusal comes from a policy the simulator"
            " does not see",
            "",
        )
    return "sim-failed", f"the simulator answered {decision or 'nothing'}", ""


@probe(
    "iam.simulate",
    title="IAM policy simulator (iam:SimulatePrincipalPolicy)",
    network=True,
    consent=Consent.EXPLICIT,
    findings=(
        "sim-explicit-deny",
        "sim-scp-deny",
        "sim-boundary-deny",
        "sim-implicit-deny",
        "sim-implicit-deny-unscoped",
        "sim-allowed",
        "sim-context-missing",
        "sim-refused",
        "sim-not-possible",
        "sim-failed",
    ),
    facts=("action", "resource", "policy_kind"),
)
def simulate(run: ProbeInput) -> Evidence:
    """Asks IAM, with your own credentials, whether your policies deny or allow the action."""
    region = run.ctx.region or run.world.config_variable("region")
    caller = _caller(run, region)
    if isinstance(caller, Evidence):
        return caller
    asked = _question(run, caller)
    if isinstance(asked, Evidence):
        return asked
    answered = _run(run, asked, region)
    if isinstance(answered, Evidence):
        return answered
    result, asked = answered
    finding, sentence, kind = _verdict(result, asked)
    findings = [finding]
    details = [f"simulated {asked.action} on {asked.resource} for {asked.source_arn}"]
    details += _statements(result)
    missing = result.get("MissingContextValues") or []
    if missing:
        findings.append("sim-context-missing")
        details.append(
            "conditions on " + ", ".join(map(str, missing)) + " could not be evaluated"
            " (the simulator had no value for them)"
        )
    facts = {
        "action": Fact(asked.action, "iam:SimulatePrincipalPolicy"),
        "resource": Fact(asked.resource, "iam:SimulatePrincipalPolicy"),
    }
    if kind:
        facts["policy_kind"] = Fact(kind, "iam:SimulatePrincipalPolicy")
    deciding = f" ({details[1]})" if len(details) > 1 and finding != "sim-allowed" else ""
    return Evidence(
        "iam.simulate",
        Status.PROBLEM,
        f"policy simulator: {sentence}{deciding}",
        tuple(findings),
        facts,
        tuple(details),
    )
