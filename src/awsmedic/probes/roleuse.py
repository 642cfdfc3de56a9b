"""role.assume: assume the profile's role, as the failing command would, and ask who that is.

A role profile's settings and its source's keys can be checked without using the role; only
assuming it shows the trust policy lets this source in. That is using another identity, so it
runs only with the user's consent (`consent:role.assume`), and never where botocore would ask
for an MFA code. botocore does the assuming (AssumeRole, or AssumeRoleWithWebIdentity for a web
identity profile or AWS_WEB_IDENTITY_TOKEN_FILE), with the bounded, scrubbed session of the world.
"""

from __future__ import annotations

from awsmedic.model import Evidence, Fact, Status, Unchecked
from awsmedic.probes import Consent, ProbeInput, not_checked, probe
from awsmedic.probes.sts import UNREACHABLE, classify

_ROLE_METHODS = ("assume-role", "assume-role-with-web-identity")


@probe(
    "role.assume",
    title="Assume the profile's role (sts:AssumeRole) and ask who that is",
    network=True,
    findings=("not-role-profile", "role-needs-mfa", "role-assumed", "role-assume-failed"),
    facts=("account_id", "arn"),
    consent=Consent.INTERACTIVE,
)
def assume_role(run: ProbeInput) -> Evidence:
    """It assumes the profile's role as your commands do, then asks sts:GetCallerIdentity."""
    chain = run.world.chain()
    winner = chain.winner
    if winner is None or winner.method not in _ROLE_METHODS:
        summary = f"profile '{chain.profile}' assumes no role"
        return Evidence("role.assume", Status.SKIPPED, summary, ("not-role-profile",))
    if chain.role_mfa:
        summary = "not assumed: this role profile asks for an MFA code, and awsmedic never does"
        return Evidence("role.assume", Status.SKIPPED, summary, ("role-needs-mfa",))
    region = run.ctx.region or run.world.config_variable("region")
    try:
        # No explicit keys: botocore assumes the role. Making the client already resolves the
        # credentials, and a source that has none fails there (CredentialRetrievalError):
        # that is the role failing, not the probe.
        client = run.world.client("sts", region)
        answer = client.get_caller_identity()
    except Exception as exc:
        finding, description = classify(exc)
        if finding in UNREACHABLE:  # AWS never answered: nothing is known of the role
            return not_checked("role.assume", Unchecked.UNREACHABLE, description)
        return Evidence(
            "role.assume",
            Status.PROBLEM,
            f"the role could not be used: {description}",
            ("role-assume-failed",),
            details=(f"{type(exc).__name__}: {exc}",),
        )
    facts = {
        "account_id": Fact(answer["Account"], "sts:GetCallerIdentity"),
        "arn": Fact(answer["Arn"], "sts:GetCallerIdentity"),
    }
    return Evidence(
        "role.assume", Status.OK, f"the role works: {answer['Arn']}", ("role-assumed",), facts
    )
