"""Every cause of the refused-action, account and network trees is reachable, and for the right
evidence: the shipped trees walked with hand-made probe results (the probes have their own tests).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsmedic.core import engine
from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.model import Concluded, Evidence, Stalled, Status

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
DENIED = (
    "An error occurred (AccessDenied) when calling the ListUsers operation: User: "
    "arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:ListUsers on resource: "
    "arn:aws:iam::123456789012:user/"
)
IMPLICIT = DENIED + " because no identity-based policy allows the iam:ListUsers action"
ASSUME = (
    "An error occurred (AccessDenied) when calling the AssumeRole operation: User: "
    "arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on "
    "resource: arn:aws:iam::123456789012:role/deployer"
)
TLS = "SSL validation failed for https://sts.us-east-1.amazonaws.com/ [SSL: CERTIFICATE_VERIFY_FAILED]"
PROXY = 'ProxyConnectionError: Failed to connect to proxy URL: "http://proxy:3128"'
REFUSED = 'EndpointConnectionError: Could not connect to the endpoint URL: "https://sts.eu-west-1.amazonaws.com/"'

Findings = Mapping[str, tuple[str, ...] | Status]


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def walk(
    knowledge: Knowledge, text: str, evidence: Findings, answers: Mapping[str, str] | None = None
) -> tuple[str, str | None, str, list[str]]:
    """(tree, cause or None, confidence or "node: stall reason", candidates) for a walk with this
    evidence.

    `evidence` maps a probe id to its findings (status ok), or to a Status for a probe that could
    not run; a probe the walk needs and the mapping lacks fails the test. A walk left at an open
    question may look ahead before it stops (the checks its best guess's steps depend on): such
    a probe the mapping lacks found nothing (ok, no findings).
    """
    recognition = Matcher(knowledge).recognise(text)
    assert recognition.best is not None
    tree = knowledge.trees[recognition.best.tree]
    state = engine.new_dialogue(
        knowledge, tree, text, recognition.signals, recognition.facts, NOW, preset=answers or {}
    )
    state, outputs = engine.advance(state, engine.Start(), NOW)
    while True:
        last = outputs[-1]
        if isinstance(last, engine.NeedProbe):
            # The installed CLI (asked when a cause's steps differ by it): version 2 unless given.
            cli = (engine.CLI_PROBE, *engine.STALL_PROBES.values())
            if last.probe in evidence:
                found = evidence[last.probe]
            elif last.probe in cli:
                found = ("cli-v2",)
            elif state.stalling:
                found = ()
            else:
                raise AssertionError(f"the walk needs {last.probe}, which the test does not give")
            result = (
                Evidence(last.probe, found, "could not run")
                if isinstance(found, Status)
                else Evidence(last.probe, Status.OK, f"{last.probe} said so", found)
            )
            state, outputs = engine.advance(state, engine.ProbeResult(result), NOW)
        elif isinstance(last, engine.NeedAnswer):
            state, outputs = engine.advance(state, engine.Decline(last.question.id), NOW)
        elif isinstance(last, Concluded):
            return tree.id, last.diagnosis.cause, last.diagnosis.confidence.value, []
        elif isinstance(last, Stalled):
            # The node it stopped at, then the reason in words (which name no internal id).
            return tree.id, None, f"{last.node}: {last.reason}", [c.cause for c in last.candidates]
        else:
            raise AssertionError(f"unexpected output {last}")


CASES = [
    # access-denied: the plain refusal, as identity checks settle it
    (
        "plain, only identity",
        IMPLICIT,
        {
            "denial.message": ("denial-parsed",),
            "creds.chain": (),
            "identity.compare": ("principal-is-caller", "no-other-identity"),
        },
        {},
        "iam-permission-denied",
        "confirmed",
    ),
    (
        "plain, old wording",
        DENIED,
        {
            "denial.message": ("denial-parsed",),
            "creds.chain": (),
            "identity.compare": ("no-other-identity",),
            # The policy simulator runs only with consent; declined, it is skipped.
            "iam.simulate": Status.SKIPPED,
        },
        {},
        "iam-permission-denied",
        "likely",
    ),
    (
        "env keys win",
        DENIED,
        {"denial.message": (), "creds.chain": ("env-credentials", "env-shadows-profile")},
        {},
        "env-overrides-profile",
        "likely",
    ),
    (
        "selectors disagree",
        DENIED,
        {
            "denial.message": (),
            "creds.chain": (),
            "identity.compare": ("profile-selectors-disagree",),
        },
        {},
        "wrong-profile-selected",
        "likely",
    ),
    (
        "resource in another profile's account",
        DENIED,
        {
            "denial.message": (),
            "creds.chain": (),
            "identity.compare": ("other-profile-in-resource-account",),
        },
        {},
        "wrong-profile-selected",
        "likely",
    ),
    (
        "not the identity meant",
        DENIED,
        {"denial.message": (), "creds.chain": (), "identity.compare": ("principal-is-caller",)},
        {"intended-identity": "no"},
        "wrong-profile-selected",
        "likely",
    ),
    (
        "someone else, meant",
        DENIED,
        {
            "denial.message": (),
            "creds.chain": (),
            "identity.compare": ("principal-not-caller", "no-other-identity"),
            "iam.simulate": Status.SKIPPED,
        },
        {"intended-identity": "yes"},
        "iam-permission-denied",
        "likely",
    ),
    # access-denied: guardrails, roles, MFA, sessions, account
    (
        "scp",
        DENIED + " with an explicit deny in a service control policy",
        {"denial.message": ("explicit-deny", "explicit-deny-scp")},
        {},
        "explicit-deny-guardrail",
        "confirmed",
    ),
    (
        "boundary allows nothing",
        DENIED + " because no permissions boundary allows the iam:ListUsers action",
        {"denial.message": ("implicit-deny-boundary",)},
        {},
        "explicit-deny-guardrail",
        "confirmed",
    ),
    (
        "deny without mfa",
        DENIED + " with an explicit deny in an identity-based policy (MFA required)",
        {"denial.message": ("explicit-deny-identity",)},
        {},
        "mfa-required",
        "likely",
    ),
    (
        "role arn is a user",
        ASSUME,
        {"denial.message": ("denial-parsed",), "role.settings": ("role-arn-not-role",)},
        {},
        "role-arn-invalid",
        "confirmed",
    ),
    (
        "source broken",
        ASSUME,
        {"denial.message": (), "role.settings": (), "identity.compare": ("source-rejected",)},
        {},
        "source-profile-broken",
        "likely",
    ),
    (
        "trust refuses",
        ASSUME,
        {"denial.message": (), "role.settings": (), "identity.compare": ("source-identity-ok",)},
        {"role-needs-mfa": "no"},
        "assume-role-denied",
        "likely",
    ),
    (
        "role needs mfa",
        ASSUME,
        {"denial.message": (), "role.settings": (), "identity.compare": ("source-identity-ok",)},
        {"role-needs-mfa": "yes"},
        "mfa-required",
        "likely",
    ),
    (
        "mfa_serial set, so not MFA",
        ASSUME,
        {"denial.message": (), "role.settings": ("mfa-serial-set",), "identity.compare": ()},
        {},
        "assume-role-denied",
        "likely",
    ),
    (
        "mfa_serial set to no device: the MFA, not the trust",
        ASSUME,
        {"denial.message": (), "role.settings": ("mfa-serial-set", "mfa-serial-not-device")},
        {},
        "mfa-required",
        "likely",
    ),
    (
        "mfa code",
        "An error occurred (AccessDenied) when calling the GetSessionToken operation: MultiFactorAuthentication failed with invalid MFA one time pass code.",
        {"role.settings": ("mfa-code-rejected",)},
        {},
        "mfa-required",
        "confirmed",
    ),
    (
        "session credentials",
        "An error occurred (AccessDenied) when calling the GetSessionToken operation: Cannot call GetSessionToken with session credentials",
        {},
        {},
        "session-token-api-restriction",
        "likely",
    ),
    (
        "web identity",
        "AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity",
        {},
        {},
        "web-identity-failure",
        "likely",
    ),
    (
        "account",
        "An error occurred (AccessDeniedException) when calling the ListFoundationModels operation: Your account is not authorized to invoke this API operation.",
        {"sts.identity": ("identity-ok",)},
        {},
        "account-not-activated",
        "likely",
    ),
    (
        "subscription, AWS not reached",
        "An error occurred (SubscriptionRequiredException) when calling the DescribeTrustedAdvisorChecks operation: AWS Premium Support Subscription is required to use this service.",
        {"sts.identity": Status.SKIPPED},
        {},
        "account-not-activated",
        "possible",
    ),
    # role-session-duration, sts-region-disabled, subscription-required
    (
        "duration",
        "ValidationError: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        {"role.settings": ("role-chaining", "duration-over-hour")},
        {},
        "role-duration-exceeded",
        "confirmed",
    ),
    (
        "sts deactivated",
        "RegionDisabledException: STS is not activated in this region for account:123456789012.",
        {"net.route": ()},
        {},
        "sts-regional-endpoint-deactivated",
        "confirmed",
    ),
    (
        "opt-in region off",
        "RegionDisabledException: STS is not activated in this region for account:123456789012. (eu-south-1)",
        {"net.route": ("region-opt-in",)},
        {"region-enabled": "no"},
        "opt-in-region-disabled",
        "likely",
    ),
    (
        "subscription",
        "An error occurred (SubscriptionRequiredException) when calling the DescribeTrustedAdvisorChecks operation: AWS Premium Support Subscription is required to use this service.",
        {"sts.identity": ("identity-ok",)},
        {},
        "account-not-activated",
        "likely",
    ),
    (
        "opt-in required in a disabled region",
        "An error occurred (OptInRequired) when calling the DescribeInstances operation in me-south-1",
        {"sts.identity": ()},
        {"region-enabled": "no"},
        "opt-in-region-disabled",
        "likely",
    ),
    # connection-failed
    (
        "zone as region",
        'Could not connect to the endpoint URL: "https://ec2.us-east-1a.amazonaws.com/"',
        {"config.region": ("region-az-name",)},
        {},
        "invalid-region",
        "confirmed",
    ),
    (
        "zone in the text, another region here",
        'Could not connect to the endpoint URL: "https://ec2.us-east-1a.amazonaws.com/"',
        {"config.region": ("region-set",)},
        {},
        "invalid-region",
        "confirmed",
    ),
    (
        "bad region from config",
        REFUSED,
        {"net.route": ("region-not-a-region",), "config.region": ("region-az-name",)},
        {},
        "invalid-region",
        "confirmed",
    ),
    (
        "unknown region, no such host",
        REFUSED,
        {
            "net.route": ("region-not-listed",),
            "net.connect": ("dns-failed",),
            "config.region": ("region-not-listed",),
        },
        {},
        "invalid-region",
        "confirmed",
    ),
    (
        "override refused",
        REFUSED,
        {"net.route": ("endpoint-overridden",), "net.connect": ("connect-refused",)},
        {},
        "endpoint-override",
        "confirmed",
    ),
    (
        "fips host missing",
        REFUSED,
        {"net.route": ("fips-endpoint",), "net.connect": ("dns-failed",)},
        {},
        "endpoint-variant-unavailable",
        "likely",
    ),
    (
        "fips host not in botocore's data",
        REFUSED,
        {"net.route": ("fips-endpoint", "fips-endpoint-missing", "fips-from-env")},
        {},
        "endpoint-variant-unavailable",
        "confirmed",
    ),
    (
        "blocked",
        REFUSED,
        {"net.route": (), "net.connect": ("connect-timeout",)},
        {},
        "network-unreachable",
        "confirmed",
    ),
    (
        "no dns",
        REFUSED,
        {"net.route": (), "net.connect": ("dns-failed",)},
        {},
        "network-unreachable",
        "likely",
    ),
    (
        "proxy down (connection error)",
        REFUSED,
        {"net.route": ("proxy-applies",), "net.connect": ("proxy-unreachable",)},
        {},
        "tls-or-proxy",
        "confirmed",
    ),
    (
        "reachable now, elsewhere",
        REFUSED,
        {"net.route": (), "net.connect": ("reachable", "tls-ok")},
        {"same-network": "no"},
        "network-unreachable",
        "likely",
    ),
    # ssl-or-proxy
    (
        "intercepted",
        TLS,
        {"net.route": (), "net.connect": ("reachable", "tls-untrusted", "tls-intercepted")},
        {},
        "tls-or-proxy",
        "confirmed",
    ),
    (
        "bundle broken",
        TLS,
        {"net.route": ("ca-bundle-custom", "ca-bundle-broken")},
        {},
        "tls-or-proxy",
        "confirmed",
    ),
    (
        "untrusted",
        TLS,
        {"net.route": (), "net.connect": ("reachable", "tls-untrusted")},
        {},
        "tls-or-proxy",
        "likely",
    ),
    (
        "proxy down",
        PROXY,
        {"net.route": ("proxy-applies",), "net.connect": ("proxy-unreachable",)},
        {},
        "tls-or-proxy",
        "confirmed",
    ),
    (
        "tls fine now",
        TLS,
        {"net.route": (), "net.connect": ("reachable", "tls-ok")},
        {"same-network": "yes"},
        "tls-or-proxy",
        "possible",
    ),
]


@pytest.mark.parametrize(
    ("text", "evidence", "answers", "cause", "confidence"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_each_cause_is_reached_for_its_evidence(
    knowledge: Knowledge,
    text: str,
    evidence: Findings,
    answers: Mapping[str, str],
    cause: str,
    confidence: str,
) -> None:
    _, found, how, _ = walk(knowledge, text, evidence, answers)
    assert (found, how) == (cause, confidence)


def test_every_cause_of_the_family_has_a_case(knowledge: Knowledge) -> None:
    family = {
        "iam-permission-denied", "explicit-deny-guardrail", "wrong-profile-selected",
        "env-overrides-profile", "assume-role-denied", "mfa-required", "role-duration-exceeded",
        "session-token-api-restriction", "sts-regional-endpoint-deactivated",
        "account-not-activated", "endpoint-override", "tls-or-proxy", "network-unreachable",
        "invalid-region",
    }  # fmt: skip
    assert family <= {case[4] for case in CASES}


def test_an_unanswered_question_stalls_with_the_likely_causes_first(knowledge: Knowledge) -> None:
    evidence = {
        "denial.message": (),
        "role.settings": (),
        "identity.compare": ("source-identity-ok",),
    }
    _, cause, reason, candidates = walk(knowledge, ASSUME, evidence)
    assert cause is None and reason == "role-ask: a question was left unanswered"
    # then, at 0%, what only the wording ruled out
    assert candidates[:2] == ["assume-role-denied", "mfa-required"]


def test_offline_the_identity_check_is_skipped_and_the_question_asked(knowledge: Knowledge) -> None:
    evidence = {"denial.message": (), "creds.chain": (), "identity.compare": Status.SKIPPED}
    _, cause, reason, candidates = walk(knowledge, DENIED, evidence)
    assert cause is None and reason.startswith("intended-elsewhere: ")
    assert candidates[0] == "iam-permission-denied"


def test_a_deny_in_the_resource_s_own_policy_is_not_a_guardrail_to_ask_about() -> None:
    """ "with an explicit deny in a resource-based policy": the bucket's (key's, queue's) policy
    denies it, which only its owner can change; the steps read that policy and leave out the
    session and VPC endpoint policies the message rules out. A missing Allow there ("because no
    resource-based policy allows") stays a permission to ask for, with a Principal statement."""
    from tests.unit.test_copied_pastes import ranked

    denied = (
        "An error occurred (AccessDenied) when calling the GetObject operation: User:"
        " arn:aws:iam::123456789012:user/bob is not authorized to perform: s3:GetObject on"
        ' resource: "arn:aws:s3:::reports/q1.csv"'
    )
    family, causes = ranked(denied + " with an explicit deny in a resource-based policy")
    assert (family, causes[0]) == ("access-denied", "denied-beyond-identity-policy")
    assert (
        ranked(denied + " because no resource-based policy allows the s3:GetObject action")[1][0]
        == "iam-permission-denied"
    )
    assume = (
        "An error occurred (AccessDenied) when calling the AssumeRole operation: User:"
        " arn:aws:iam::123456789012:user/bob is not authorized to perform: sts:AssumeRole on"
        " resource: arn:aws:iam::210987654321:role/deploy with an explicit deny in a"
        " resource-based policy"
    )
    assert ranked(assume)[1][0] == "assume-role-denied"


def test_a_web_page_where_an_aws_answer_was_meant(
    capsys: pytest.CaptureFixture[str], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Audit 4 s23: botocore could not read an XML answer because a web page came back (an
    endpoint URL with a path the server does not serve). Recognised, and the override's root is
    the fix; with no override or proxy here, the text alone names a proxy as possible."""
    import json

    from awsmedic.cli import main
    from tests.unit.test_copied_pastes import ranked

    text = (
        "botocore.parsers.ResponseParserError: Unable to parse response (syntax error: line 1,"
        " column 49), invalid XML received. Further retries may succeed:\n"
        "b'<!doctype html>\\n<html lang=en>\\n<title>404 Not Found</title>\\n'"
    )
    assert ranked(text)[0] == "unexpected-response"
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9/sts/")
    main(["diagnose", "--offline", "--no-input", "--format", "json", text])
    output = json.loads(capsys.readouterr().out)
    assert output["diagnosis"]["cause"] == "endpoint-override"
    assert output["steps"][0]["commands"] == ["export AWS_ENDPOINT_URL=http://127.0.0.1:9"]
