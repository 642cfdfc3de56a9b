"""`awsmedic check`: which local finding means which cause, when there is no error to walk from.

A tree starts from an error; `check` starts from the set-up, so it reads the offline probes'
findings directly. Each rule is the branch the trees already take for that finding (the
comment names the tree and node), so `check` and `diagnose` name the same cause for the same
evidence. Rules are tried in order; the first that matches a subject's evidence wins. What only
AWS can tell (a deleted or inactive key) is left to the trees: `check` asks
sts:GetCallerIdentity and diagnoses a refusal like any pasted error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from awsmedic.model import Confidence, Evidence

BROKEN, EXPIRED = "broken", "expired"


@dataclass(frozen=True)
class Rule:
    probe: str
    findings: tuple[str, ...]
    cause: str
    state: str = BROKEN
    #: As sure as the tree's cause node for the same finding.
    confidence: Confidence = Confidence.CONFIRMED


RULES: tuple[Rule, ...] = (
    # The files themselves first: botocore reads nothing else when they do not parse.
    # no-credentials: syntax -> file-syntax
    Rule("creds.chain", ("config-parse-error",), "config-file-syntax"),
    Rule("files.syntax", ("file-parse-error",), "config-file-syntax"),
    # profile-not-found: profile -> unreadable (a header botocore drops: `[profile my dev]`)
    Rule("config.profile", ("profile-section-unreadable",), "profile-name-unreadable"),
    # no-credentials: profile-check, profile -> prefix, stray
    Rule(
        "config.profile",
        (
            "profile-written-with-prefix",
            "profile-written-without-prefix",
            "profile-bad-header",
            # the two file variables swapped: each file's headers fit the other (audit 5 s15)
            "shared-files-swapped",
        ),
        "profile-prefix-confusion",
    ),
    Rule(
        "config.profile",
        ("profile-section-stray-characters", "profile-name-stray-characters"),
        "stray-characters",
    ),
    # profile-not-found: profile-missing
    Rule("config.profile", ("profile-missing",), "profile-not-found"),
    # invalid-config: numbers -> setting (botocore reads these with int() before any request,
    # whatever the credentials: configprovider.py, `max_attempts` and the IMDS settings)
    Rule("config.number-settings", ("setting-not-integer",), "setting-value-invalid"),
    # invalid-config: output -> setting (the AWS CLI stops every command on an output format it
    # does not know: awscli/formatter.py)
    Rule("config.output", ("output-format-unknown",), "setting-value-invalid"),
    # invalid-config: settings -> setting (botocore refuses retry_mode, max_attempts,
    # defaults_mode and sts_regional_endpoints as it creates a client: config.py, session.py,
    # args.py; audit 5 s17/s18)
    Rule("config.client-settings", ("client-setting-invalid",), "setting-value-invalid"),
    # partial-credentials: env -> env-half (the environment comes first in botocore's chain;
    # `check` leaves this evidence out for a profile named as --profile names it)
    Rule("creds.env", ("env-key-id-without-secret",), "env-key-id-without-secret"),
    # partial-credentials: file-syntax
    Rule(
        "files.syntax",
        (
            "profile-key-continuation",
            "profile-misspelt-key",
            "profile-export-line",
            "profile-missing-secret",
            "profile-missing-key-id",
        ),
        "config-file-syntax",
    ),
    # invalid-client-token-id: keys -> placeholder, stray, typo, stale-token, missing token
    Rule("creds.keys", ("placeholder-credentials",), "placeholder-credentials"),
    Rule("creds.keys", ("key-stray-characters",), "stray-characters"),
    Rule(
        "values.hygiene",
        (
            "credential-value-stray-characters",
            "profile-name-stray-characters",
            "region-stray-characters",
        ),
        "stray-characters",
    ),
    Rule(
        "creds.keys",
        ("key-secret-swapped", "key-malformed", "key-not-access-key", "secret-malformed"),
        "key-typo",
    ),
    Rule("creds.keys", ("stale-session-token",), "stale-session-token"),
    Rule("creds.keys", ("missing-session-token",), "missing-session-token"),
    # expired-token: expiry -> expired-confirmed
    Rule("creds.expiry", ("credentials-expired",), "expired-temporary-credentials", EXPIRED),
    # sso-session / no-credentials: sso -> misconfigured, expired
    Rule(
        "sso.token",
        (
            "sso-config-incomplete",
            "sso-session-missing",
            "sso-session-header-without-prefix",
            "sso-config-inconsistent",
            "sso-account-id-malformed",
        ),
        "sso-misconfigured",
    ),
    Rule(
        "sso.token",
        ("sso-cache-owned-by-other-user", "sso-cache-not-accessible"),
        "sso-cache-unreadable",
    ),
    Rule(
        "sso.token",
        ("sso-token-missing", "sso-token-invalid", "sso-token-expired", "sso-registration-expired"),
        "sso-session-expired",
        EXPIRED,
    ),
    # console-login / no-credentials: login -> ended
    Rule(
        "login.session",
        ("login-cache-missing", "login-cache-invalid", "login-session-ended"),
        "console-login-session-expired",
        EXPIRED,
    ),
    # no-credentials: role -> source-broken
    Rule(
        "config.role",
        (
            "role-no-source",
            "role-both-sources",
            "role-credential-source-invalid",
            "role-credential-source-empty",
            "role-source-profile-missing",
            "role-source-no-credentials",
            "role-source-loop",
        ),
        "source-profile-broken",
    ),
    # role-arn / access-denied: settings -> invalid / role-arn-wrong; mfa -> mfa-confirmed
    Rule("role.settings", ("role-arn-not-role", "role-arn-malformed"), "role-arn-invalid"),
    Rule("role.settings", ("mfa-serial-not-device",), "mfa-required"),
    # role-session-duration: too-long
    Rule("role.settings", ("duration-invalid",), "role-duration-exceeded"),
    # role-session-name: invalid
    Rule("role.settings", ("session-name-invalid",), "role-session-name-invalid"),
    # web-identity / no-credentials: webid -> webid-broken
    Rule(
        "creds.web-identity",
        (
            "web-identity-no-role-arn",
            "web-identity-role-arn-malformed",
            "web-identity-token-file-missing",
            "web-identity-token-file-unreadable",
            "web-identity-token-empty",
            "web-identity-token-not-jwt",
            "web-identity-token-expired",
        ),
        "web-identity-failure",
    ),
    # credential-retrieval / no-credentials: process -> process-failed (only run with consent)
    Rule(
        "creds.process",
        (
            "process-shell-syntax",
            "process-command-not-found",
            "process-not-executable",
            "process-timeout",
            "process-exit-nonzero",
            "process-stdout-empty",
            "process-stdout-not-json",
            "process-bad-version",
            "process-missing-keys",
            "process-bad-expiration",
            "process-expired",
        ),
        "credential-process-failure",
    ),
    # invalid-client-token-id / expired-token: a helper whose key and token cannot go together
    Rule("creds.process", ("process-token-with-long-term-key",), "stale-session-token"),
    Rule("creds.process", ("process-temporary-key-without-token",), "missing-session-token"),
    # invalid-region: region -> stray, invalid
    Rule(
        "config.region",
        (
            "region-malformed",
            "region-az-name",
            "region-uppercase",
            "region-unknown",
            "region-empty",
        ),
        "invalid-region",
    ),
)

#: When the credentials in use here are none at all: the ones meant may sit in another profile
#: (no-credentials: others -> wrong-profile, confirmed when nothing selects a profile;
#: wrong-profile-likely when something selected one that has none). Otherwise no-credentials.
NO_CREDENTIALS_RULES: tuple[Rule, ...] = (
    Rule("creds.chain", ("credentials-only-in-named-profiles",), "wrong-profile-selected"),
    Rule(
        "creds.chain",
        ("other-profiles-have-credentials",),
        "wrong-profile-selected",
        confidence=Confidence.LIKELY,
    ),
)
#: Causes of "AWS could not be reached" that are the network itself, not a setting of this
#: machine: a check that could not reach AWS for them stays "not checked" (connection-failed:
#: dns, blocked; ssl-or-proxy: unreachable). Any other cause a walk confirms for it (an endpoint
#: override nothing answers at, a CA bundle that cannot work, a proxy that is down) is a
#: problem found.
NETWORK_CAUSES = frozenset({"network-unreachable"})
#: What the credential chain says about the environment as a whole (not one profile).
CHAIN_RULES: tuple[Rule, ...] = (
    # invalid-client-token-id: chain -> env-wins, vars-conflict
    Rule("creds.chain", ("env-shadows-profile",), "env-overrides-profile"),
    Rule("creds.chain", ("profile-vars-conflict",), "wrong-profile-selected"),
)
#: The clock (request-time-skewed: clock -> skew-confirmed).
CLOCK_RULES: tuple[Rule, ...] = (
    Rule("clock.skew", ("clock-skewed-far", "clock-skewed"), "clock-skew"),
)
#: An Amazon Bedrock API key in the environment that cannot work here, whichever profile is
#: checked: botocore sends it to Bedrock instead of signing (bedrock-api-key: key -> ...).
BEDROCK_RULES: tuple[Rule, ...] = (
    Rule("bedrock.api-key", ("bedrock-key-malformed",), "bedrock-api-key-malformed"),
    Rule("bedrock.api-key", ("bedrock-key-expired",), "bedrock-api-key-expired"),
    Rule("bedrock.api-key", ("bedrock-key-region-mismatch",), "bedrock-api-key-wrong-region"),
)


def first_match(
    rules: Iterable[Rule], evidence: Iterable[Evidence]
) -> tuple[Rule, Evidence] | None:
    """The first rule any of the evidence matches, with that evidence."""
    found = {item.probe: item for item in evidence}
    for rule in rules:
        item = found.get(rule.probe)
        if item is not None and any(item.has(finding) for finding in rule.findings):
            return rule, item
    return None
