"""denial.message and denial.decode: what an access-denied error says, and what AWS can add.

denial.message only reads the paste. denial.decode asks STS to decode an encoded authorization
failure message: that is a call made with your credentials which needs the
sts:DecodeAuthorizationMessage permission and is logged in CloudTrail, so it is never prefetched
and no tree runs it on its own; a front end offers it and runs it only when the user agrees.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from awsmedic.aws import denial
from awsmedic.model import Evidence, Fact, Status, Unchecked
from awsmedic.probes import Consent, ProbeInput, not_checked, probe
from awsmedic.probes.chainwalk import profile_selection
from awsmedic.probes.sts import UNREACHABLE, classify

_KIND_FINDINGS = tuple(
    f"{mode}-deny-{code}"
    for mode in ("explicit", "implicit")
    for code in denial.POLICY_KINDS.values()
)


def _parsed(run: ProbeInput) -> denial.Denial:
    facts = run.recognition.facts if run.recognition else {}
    operation = facts["operation"].value if "operation" in facts else ""
    service = facts["service"].value if "service" in facts else ""
    return denial.parse(run.text, operation, service)


def _with_role_arn(run: ProbeInput, said: denial.Denial) -> tuple[denial.Denial, str]:
    """Older STS messages leave out the role: the profile's role_arn is the one refused."""
    if not said.is_assume_role or said.resource:
        return said, "the error text"
    report = run.world.chain()
    role_arn = report.profile_config.get("role_arn", "")
    if not role_arn:
        return said, "the error text"
    return replace(said, resource=role_arn), f"role_arn of profile '{report.profile}'"


def _findings(said: denial.Denial) -> list[str]:
    found: list[str] = []
    if said.principal or said.action:
        found.append("denial-parsed")
    if said.action_source.startswith("the operation"):
        found.append("action-derived")
    if said.kind_code:
        mode = "explicit" if said.explicit else "implicit"
        found += [f"{mode}-deny", f"{mode}-deny-{said.kind_code}"]
        if said.kind_code in denial.GUARDRAIL_KINDS:
            found.append("guardrail-policy")
    if said.is_assume_role:
        found.append("assume-role-action")
    if said.principal == "anonymous":
        found.append("anonymous-principal")
    if said.encoded_message:
        found.append("encoded-message")
    return found


def _summary(said: denial.Denial) -> str:
    if not (said.principal or said.action):
        return "the error does not say which action or resource was refused"
    who = said.principal or "the caller"
    text = f"{who} was refused {said.action or 'an action'}"
    if said.resource:
        text += f" on {said.resource}"
    if said.kind_code:
        article = "an" if said.policy_kind[0] in "aeiou" else "a"
        text += (
            f": an explicit deny in {article} {said.policy_kind}"
            if said.explicit
            else f": no {said.policy_kind} allows it"
        )
        text += f" ({said.policy_arn})" if said.policy_arn else ""
    return text


def _details(said: denial.Denial) -> list[str]:
    details = [
        f"{label}: {value}"
        for label, value in (
            ("principal", said.principal),
            ("action", f"{said.action} (from {said.action_source})" if said.action else ""),
            ("resource", said.resource),
            ("policy type", said.policy_kind),
            ("policy", said.policy_arn),
        )
        if value
    ]
    if said.encoded_message:
        details.append(
            "the error carries an encoded authorization message; decoding it needs the"
            " sts:DecodeAuthorizationMessage permission (awsmedic only decodes it if you agree):"
            f" {denial.decode_command(said.encoded_message)}"
        )
    return details


@probe(
    "denial.message",
    title="The denial, from the error text",
    findings=(
        "denial-parsed",
        "action-derived",
        "explicit-deny",
        "implicit-deny",
        "guardrail-policy",
        *_KIND_FINDINGS,
        "assume-role-action",
        "anonymous-principal",
        "encoded-message",
    ),
    facts=(
        "profile",
        "principal",
        "action",
        "resource",
        "policy_kind",
        "policy_statement",
        "trust_statement",
        "decode_command",
        "encoded_message",
    ),
)
def denial_message(run: ProbeInput) -> Evidence:
    """Principal, action, resource and policy type of an access-denied message."""
    said, resource_source = _with_role_arn(run, _parsed(run))
    profile, selected_by, _ = profile_selection(run.ctx)
    facts = {"profile": Fact(profile, selected_by)}
    for name, value, source in (
        ("principal", said.principal, "the error text"),
        ("action", said.action, said.action_source),
        ("resource", said.resource, resource_source),
        ("policy_kind", said.policy_kind, "the error text"),
    ):
        if value:
            facts[name] = Fact(value, source)
    facts["policy_statement"] = Fact(denial.policy_statement(said), "derived from the denial")
    if said.is_assume_role or said.action.lower().startswith("sts:assumerole"):
        facts["trust_statement"] = Fact(denial.trust_statement(said), "derived from the denial")
    if said.encoded_message:
        facts["decode_command"] = Fact(denial.decode_command(said.encoded_message), "derived")
        facts["encoded_message"] = Fact(said.encoded_message, "pasted error")
    findings = _findings(said)
    return Evidence(
        "denial.message",
        Status.PROBLEM if findings else Status.OK,
        _summary(said),
        tuple(findings),
        facts,
        tuple(_details(said)),
    )


def _decoded_facts(decoded: dict[str, Any]) -> dict[str, Fact]:
    context = decoded.get("context") or {}
    principal = (context.get("principal") or {}).get("arn", "")
    facts = {}
    for name, value in (
        ("principal", principal),
        ("action", context.get("action", "")),
        ("resource", context.get("resource", "")),
    ):
        if value:
            facts[name] = Fact(str(value), "sts:DecodeAuthorizationMessage")
    return facts


@probe(
    "denial.decode",
    title="Decode the encoded authorization message (sts:DecodeAuthorizationMessage)",
    network=True,
    consent=Consent.EXPLICIT,
    findings=("decoded-explicit-deny", "decoded-implicit-deny", "decode-refused", "decode-failed"),
    facts=("principal", "action", "resource"),
)
def decode_message(run: ProbeInput) -> Evidence:
    """Ask STS to decode the message; only ever run with the user's consent."""
    said = _parsed(run)
    if not said.encoded_message:
        return Evidence("denial.decode", Status.SKIPPED, "the error has no encoded message")
    decoded = _decode(run, said.encoded_message)
    if isinstance(decoded, Evidence):
        return decoded
    explicit = bool(decoded.get("explicitDeny"))
    facts = _decoded_facts(decoded)
    statements = len((decoded.get("matchedStatements") or {}).get("items") or [])
    summary = (
        f"decoded: {'an explicit deny' if explicit else 'no policy allows it (implicit deny)'}"
        f" for {facts['action'].value if 'action' in facts else 'the action'}"
        + (f"; {statements} matching statement(s)" if statements else "")
    )
    return Evidence(
        "denial.decode",
        Status.PROBLEM,
        summary,
        ("decoded-explicit-deny" if explicit else "decoded-implicit-deny",),
        facts,
        (json.dumps(decoded, indent=2, sort_keys=True),),
        run.world.chain().secrets(),
    )


def _decode(run: ProbeInput, encoded: str) -> dict[str, Any] | Evidence:
    """The decoded message, or Evidence saying why STS would not decode it."""
    region = run.ctx.region or run.world.session().get_config_variable("region")
    keys, winner = run.world.chain().keys, run.world.chain().winner
    creds = None
    if keys is not None and winner is not None and winner.method != "assume-role":
        creds = (keys.access_key, keys.secret_key, keys.token)
    client = run.world.client("sts", region, creds)
    try:
        answer = client.decode_authorization_message(EncodedMessage=encoded)
        return dict(json.loads(answer["DecodedMessage"]))
    except Exception as exc:
        finding, description = classify(exc)
    if finding in UNREACHABLE:
        return not_checked("denial.decode", Unchecked.UNREACHABLE, description)
    if finding == "rejected-access-denied":
        why = (
            f"this identity may not decode it (needs sts:DecodeAuthorizationMessage): {description}"
        )
        return Evidence("denial.decode", Status.PROBLEM, why, ("decode-refused",))
    return Evidence(
        "denial.decode", Status.ERROR, f"decoding failed: {description}", ("decode-failed",)
    )
