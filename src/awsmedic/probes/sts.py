"""sts.identity: does AWS accept these credentials? sts:GetCallerIdentity is the oracle.

GetCallerIdentity needs no permission and an explicit Deny cannot block it, so success means the
credentials authenticate in that region and partition, and a refusal names why they do not.
"""

from __future__ import annotations

import re
from typing import Any

from awsmedic.model import Evidence, Fact, Status, Unchecked, mask_url_password
from awsmedic.probes import ProbeInput, not_checked, probe
from awsmedic.safety.redact import mask_url_passwords

#: Error codes AWS answers with when it refuses credentials; each becomes `rejected-<kebab>`.
REJECTION_CODES = (
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "AuthFailure",
    "InvalidAccessKeyId",
    "InvalidToken",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "AccessDenied",
    "RegionDisabledException",
    "OptInRequired",
)

# botocore exception class name -> finding
_CLIENT_SIDE = {
    "NoCredentialsError": "no-credentials",
    "PartialCredentialsError": "credential-error",
    "ProfileNotFound": "credential-error",
    "ConfigParseError": "credential-error",
    "CredentialRetrievalError": "credential-error",
    "InvalidConfigError": "credential-error",
    "InfiniteLoopConfigError": "credential-error",
    "SSOTokenLoadError": "credential-error",
    "UnauthorizedSSOTokenError": "credential-error",
    "TokenRetrievalError": "credential-error",
    "EndpointConnectionError": "endpoint-unreachable",
    "ConnectTimeoutError": "timeout",
    "ReadTimeoutError": "timeout",
    "ConnectionClosedError": "endpoint-unreachable",
    "SSLError": "tls-error",
    "ProxyConnectionError": "proxy-error",
    "InvalidRegionError": "invalid-region",
    "HTTPClientError": "http-client-error",
}

#: Raised while botocore reads an answer (safety.guard), so it hands them on as HTTPClientError.
_WRAPPED = {"ResponseTooSlow": "timeout"}  # the answer trickled in past its time limit


#: Findings of a call that never got an answer from AWS: nothing was checked (issue 13).
UNREACHABLE = frozenset({"endpoint-unreachable", "timeout", "proxy-error", "tls-error"})


def kebab(code: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", code).lower()


def classify(exc: BaseException) -> tuple[str, str]:
    """A finding code and a one-line description for an exception from a botocore call.

    Raises HelperNeedsConsent again: botocore refused to run a credential_process helper, so
    nothing was asked of AWS, and the probe is "not checked" (run_probe), not refused."""
    from awsmedic.safety.guard import HelperNeedsConsent

    if isinstance(exc, HelperNeedsConsent):
        raise exc
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and "Error" in response:
        code = str(response["Error"].get("Code", ""))
        message = str(response["Error"].get("Message", ""))
        finding = f"rejected-{kebab(code)}" if code in REJECTION_CODES else "rejected-other"
        return finding, mask_url_passwords(f"{code}: {message}")
    name = type(exc).__name__
    inner = getattr(exc, "kwargs", {}).get("error") if name == "HTTPClientError" else None
    if type(inner).__name__ in _WRAPPED:  # botocore wraps what awsmedic's reading raised
        name = type(inner).__name__
        return _WRAPPED[name], mask_url_passwords(f"{name}: {inner}")
    # botocore quotes the endpoint URL (EndpointConnectionError, Invalid endpoint) as given.
    return _CLIENT_SIDE.get(name, "call-failed"), mask_url_passwords(f"{name}: {exc}")


def _credentials(run: ProbeInput) -> Any:
    """The keys the chain found when they are static; otherwise let botocore resolve them."""
    keys = run.world.chain().keys
    if keys is None or run.world.chain().winner is None:
        return None
    if run.world.chain().winner.method == "assume-role":  # type: ignore[union-attr]
        return None  # the source's keys are not what GetCallerIdentity should send
    return (keys.access_key, keys.secret_key, keys.token)


def _ask(
    run: ProbeInput, region: str | None
) -> tuple[str, dict[str, Any] | None, Exception | None]:
    creds = _credentials(run)
    if creds is not None:
        return run.world.caller_identity(creds, region)  # shared with sts.identity-regions
    client = run.world.client("sts", region)  # botocore resolves the credentials itself
    try:
        return client.meta.endpoint_url, client.get_caller_identity(), None
    except Exception as exc:
        return client.meta.endpoint_url, None, exc


@probe(
    "sts.identity",
    title="Caller identity (sts:GetCallerIdentity)",
    network=True,
    findings=(
        "identity-ok",
        "rejected-other",
        "no-credentials",
        "credential-error",
        "endpoint-unreachable",
        "timeout",
        "tls-error",
        "proxy-error",
        "invalid-region",
        "http-client-error",
        "call-failed",
        *(f"rejected-{kebab(code)}" for code in REJECTION_CODES),
    ),
    facts=("account_id", "arn", "sts_endpoint", "region"),
)
def caller_identity(run: ProbeInput) -> Evidence:
    """Ask STS who these credentials are, through botocore so endpoint overrides apply."""
    chain = run.world.chain()
    if chain.role_mfa and chain.winner is not None and chain.winner.method == "assume-role":
        # botocore would prompt for the MFA code on the terminal: never from a probe.
        return Evidence(
            "sts.identity", Status.SKIPPED, "not checked: this role profile asks for an MFA code"
        )
    region = run.ctx.region or run.world.config_variable("region")
    url, answer, failure = _ask(run, region)
    endpoint = Fact(mask_url_password(url), "botocore")  # an override's password: user:****@host
    if answer is None:
        assert failure is not None
        finding, description = classify(failure)
        details = (f"endpoint: {endpoint.value}", f"region: {region or '(none: global endpoint)'}")
        if finding in UNREACHABLE:
            facts = {"sts_endpoint": endpoint}
            return not_checked(
                "sts.identity", Unchecked.UNREACHABLE, description, (finding,), facts, details
            )
        return Evidence(
            "sts.identity",
            Status.PROBLEM,
            f"AWS refused the credentials: {description}"
            if finding.startswith("rejected")
            else description,
            (finding,),
            {"sts_endpoint": endpoint},
            details,
        )
    facts = {
        "account_id": Fact(answer["Account"], "sts:GetCallerIdentity"),
        "arn": Fact(answer["Arn"], "sts:GetCallerIdentity"),
        "sts_endpoint": endpoint,
    }
    if region:
        facts["region"] = Fact(region, "botocore")
    return Evidence(
        "sts.identity",
        Status.OK,
        f"the credentials work: {answer['Arn']}",
        ("identity-ok",),
        facts,
        (f"endpoint: {endpoint.value}",),
    )
