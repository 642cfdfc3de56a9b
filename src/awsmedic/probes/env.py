"""creds.env: which AWS_* variables are set, whether their values are clean (never the values)."""

from __future__ import annotations

from awsmedic.aws.hygiene import value_problems
from awsmedic.model import Evidence, Fact, Status, mask_url_password
from awsmedic.probes import ProbeInput, probe
from awsmedic.safety.secretscan import env_secrets, env_url_secrets

CREDENTIAL_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
)
NAME_VARS = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION")
#: What a half-set key pair means to botocore's EnvProvider (causes.md section 4).
_EXPLAIN = {
    # No colon after the secret's name: the scrubber reads `AWS_SECRET_ACCESS_KEY: word` as an
    # assignment and would mask the word.
    "env-key-id-without-secret": "AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY, so"
    " botocore stops with PartialCredentialsError",
    "env-secret-without-key-id": "AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID:"
    " botocore silently ignores it",
    "env-empty-key-id": "AWS_ACCESS_KEY_ID is set but empty: botocore skips the environment",
}


def _hygiene(env: dict[str, str], names: tuple[str, ...]) -> list[str]:
    return [
        f"{var} has {problem}"
        for var in names
        if var in env
        for problem in value_problems(env[var])
    ]


def _findings(env: dict[str, str]) -> list[str]:
    found: list[str] = []
    key, secret = env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")
    if key:
        found.append("env-keys-set")
        if not secret:
            found.append("env-key-id-without-secret")
    elif key == "":
        found.append("env-empty-key-id")
    if secret and not key:
        found.append("env-secret-without-key-id")
    session, security = env.get("AWS_SESSION_TOKEN"), env.get("AWS_SECURITY_TOKEN")
    if session or security:
        found.append("env-token-set")
    if session and security and session != security:
        found.append("security-token-shadows-session-token")
    profile, default_profile = env.get("AWS_PROFILE"), env.get("AWS_DEFAULT_PROFILE")
    if profile is not None and default_profile is not None and profile != default_profile:
        found.append("env-profile-conflict")
    if env.get("AWS_REGION") and not env.get("AWS_DEFAULT_REGION"):
        found.append("aws-region-only")
    if any(var == "AWS_ENDPOINT_URL" or var.startswith("AWS_ENDPOINT_URL_") for var in env):
        found.append("env-endpoint-override")
    if env.get("AWS_CREDENTIAL_FILE"):
        found.append("legacy-credential-file-var")
    return found


@probe(
    "creds.env",
    title="AWS environment variables",
    findings=(
        "env-keys-set",
        "env-key-id-without-secret",
        "env-empty-key-id",
        "env-secret-without-key-id",
        "env-token-set",
        "security-token-shadows-session-token",
        "env-profile-conflict",
        "aws-region-only",
        "env-endpoint-override",
        "legacy-credential-file-var",
        "env-credential-stray-characters",
        "env-name-stray-characters",
    ),
    facts=("endpoint_url",),
)
def environment(run: ProbeInput) -> Evidence:
    """Presence and hygiene of the AWS_* variables: the env wins over every file."""
    env = {k: v for k, v in run.ctx.environ.items() if k.startswith("AWS_")}
    findings = _findings(env)
    credential_issues = _hygiene(env, CREDENTIAL_VARS)
    name_issues = _hygiene(env, NAME_VARS)
    if credential_issues:
        findings.append("env-credential-stray-characters")
    if name_issues:
        findings.append("env-name-stray-characters")
    facts = {}
    if "AWS_ENDPOINT_URL" in env:
        shown = mask_url_password(env["AWS_ENDPOINT_URL"])  # a password in it: user:****@host
        facts["endpoint_url"] = Fact(shown, "env", "AWS_ENDPOINT_URL")
    present = sorted(env)
    details = [f"set: {', '.join(present)}" if present else "no AWS_* variable is set"]
    details += credential_issues + name_issues
    details += [_EXPLAIN[finding] for finding in findings if finding in _EXPLAIN]
    if "security-token-shadows-session-token" in findings:
        details.append("AWS_SECURITY_TOKEN is read before AWS_SESSION_TOKEN, so it wins")
    problem = bool(credential_issues or name_issues) or any(
        f in findings
        for f in (
            "env-key-id-without-secret",
            "env-secret-without-key-id",
            "security-token-shadows-session-token",
        )
    )
    summary = "; ".join(details[1:3]) if problem else details[0]
    return Evidence(
        "creds.env",
        Status.PROBLEM if problem else Status.OK,
        summary,
        tuple(findings),
        facts,
        tuple(details),
        (*env_secrets(env), *env_url_secrets(env)),
    )
