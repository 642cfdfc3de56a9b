"""creds.web-identity: the web identity settings, the token file, and the token's claims.

botocore's AssumeRoleWithWebIdentityProvider reads `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`
and `AWS_ROLE_SESSION_NAME` (each one before the profile's `web_identity_token_file`,
`role_arn`, `role_session_name`; the variables are ignored when the profile is given
explicitly). We check the file and decode the token's claims only (iss, sub, aud, exp): no
signature check, no STS call, and the token itself is never shown.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from pathlib import Path

from awsmedic.aws import bounded, sharedfiles
from awsmedic.context import Context
from awsmedic.model import Evidence, Fact, Secret, Status
from awsmedic.probes import ProbeInput, probe, selected_profile

_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
STS_AUDIENCE = "sts.amazonaws.com"
#: Where EKS mounts the token of IAM roles for service accounts (IRSA), by its webhook:
#: /var/run/secrets/eks.amazonaws.com/serviceaccount/token.
IRSA_DIR = "eks.amazonaws.com/serviceaccount/"


def _setting(
    ctx: Context, settings: dict[str, sharedfiles.Setting], key: str, var: str, use_env: bool
) -> tuple[str, str] | None:
    """(value, where) of one web identity setting, environment first as botocore reads it."""
    if use_env and var in ctx.environ:
        return ctx.environ[var], var
    setting = settings.get(key)
    return (setting.value, setting.where(ctx)) if setting is not None else None


def decode_claims(token: str) -> dict[str, object] | None:
    """The payload of a JWT, without verifying it; None when it is not a JWT."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, UnicodeError):
        return None
    return claims if isinstance(claims, dict) else None


def _claims_problems(claims: dict[str, object], now: datetime) -> tuple[list[str], str]:
    shown = ", ".join(f"{k}={claims[k]}" for k in ("iss", "sub", "aud") if k in claims)
    findings: list[str] = []
    notes: list[str] = []
    exp = claims.get("exp")
    if isinstance(exp, int | float):
        expiry = datetime.fromtimestamp(exp, UTC)
        if expiry <= now:
            findings.append("web-identity-token-expired")
            notes.append(f"it expired at {expiry:%Y-%m-%d %H:%M} UTC")
        else:
            notes.append(f"valid until {expiry:%Y-%m-%d %H:%M} UTC")
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if aud is not None and STS_AUDIENCE not in audiences:
        findings.append("web-identity-audience-not-sts")
        notes.append(f"its audience is not {STS_AUDIENCE} (the role's trust policy must expect it)")
    return findings, f"token claims {shown}; " + "; ".join(notes)


def _github(ctx: Context) -> tuple[list[str], list[str], tuple[Secret, ...]]:
    if ctx.env("GITHUB_ACTIONS") != "true":
        return [], [], ()
    request_token = ctx.env("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
    secrets = (Secret(request_token),) if request_token else ()
    if ctx.env("ACTIONS_ID_TOKEN_REQUEST_URL"):
        return (
            ["github-actions-oidc-available"],
            ["this GitHub Actions job can request an OIDC token"],
            secrets,
        )
    return (
        ["github-actions-no-id-token"],
        [
            "this GitHub Actions job cannot request an OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL is"
            " not set, so the workflow lacks `permissions: id-token: write`"
        ],
        secrets,
    )


def _relative(ctx: Context, path_text: str) -> Path | None:
    """The directory a relative token path is read from (the working directory), or None when
    the path is absolute or names `~`/`$VAR` (those are reported as not expanded)."""
    if Path(path_text).is_absolute() or path_text.startswith("~") or "$" in path_text:
        return None
    return ctx.cwd if ctx.cwd is not None else Path.cwd()


def _found_elsewhere(ctx: Context, path_text: str) -> Path | None:
    """Where a relative token path names a file, besides the working directory: the home
    directory and the config file's folder (where it was likely meant from)."""
    config = sharedfiles.load(ctx).config.path
    for base in (ctx.home, config.parent if config is not None else None):
        if base is not None and (base / path_text).is_file():
            return base / path_text
    return None


def relative_note(
    ctx: Context, path_text: str, facts: dict[str, Fact]
) -> tuple[list[str], str] | None:
    """(findings, sentence) for a token path that is relative: botocore (and the JavaScript
    SDK v3) open it as written, from whatever directory the command runs in. The absolute path
    goes into `token_file_path` when a file is found for it."""
    cwd = _relative(ctx, path_text)
    if cwd is None:
        return None
    here = cwd / path_text
    found = here if here.is_file() else _found_elsewhere(ctx, path_text)
    if found is not None:
        facts["token_file_path"] = Fact(str(found.resolve()), "creds.web-identity")
    sentence = (
        f"{path_text} is a relative path: botocore opens it from the directory the command"
        f" runs in (here {ctx.tilde(cwd)}), not from ~/.aws: write the absolute path"
    )
    if found is not None and found != here:
        sentence += f" ({ctx.tilde(found.resolve())} exists)"
    return ["web-identity-token-file-relative"], sentence


def _token_file(
    ctx: Context, path_text: str, now: datetime
) -> tuple[list[str], str, tuple[Secret, ...]]:
    # botocore opens the path as written (utils.FileWebIdentityTokenLoader): no `~` or `$VAR`
    # expansion, unlike the paths of the shared files themselves, and a relative path from the
    # working directory.
    cwd = _relative(ctx, path_text)
    path = cwd / path_text if cwd is not None else Path(path_text)
    try:
        read = bounded.read_file(path, bounded.SMALL_FILE_BYTES)
        token = read.data.decode("utf-8")
    except FileNotFoundError:
        sentence = f"the token file {path_text} does not exist"
        if cwd is not None:
            sentence += f" in {ctx.tilde(cwd)}"
        expanded = sharedfiles.expand(ctx, path_text)
        if str(expanded) != path_text and expanded.is_file():
            sentence += (
                " as written: botocore does not expand ~ or $VARIABLES in this path (a file"
                " exists at the expanded path: write that path in full)"
            )
        return ["web-identity-token-file-missing"], sentence, ()
    except (OSError, UnicodeError) as exc:
        why = getattr(exc, "strerror", None) or type(exc).__name__
        return (
            ["web-identity-token-file-unreadable"],
            f"the token file {path_text} cannot be read ({why})",
            (),
        )
    if read.cut:
        return (
            ["web-identity-token-file-unreadable"],
            f"the token file {path_text} is larger than {bounded.SMALL_FILE_BYTES >> 20} MB"
            " (a token is a few KB): awsmedic read no further",
            (),
        )
    secrets = (Secret(token.strip()),) if token.strip() else ()
    if not token.strip():
        return ["web-identity-token-empty"], f"the token file {path_text} is empty", ()
    claims = decode_claims(token)
    if claims is None:
        return (
            ["web-identity-token-not-jwt"],
            f"the token file {path_text} does not hold a JWT",
            secrets,
        )
    findings, sentence = _claims_problems(claims, now)
    return findings or ["web-identity-token-ok"], sentence, secrets


@probe(
    "creds.web-identity",
    title="Web identity (OIDC) settings and token",
    findings=(
        "web-identity-not-configured",
        "web-identity-role-without-token-file",
        "web-identity-env-ignored",
        "web-identity-no-role-arn",
        "web-identity-role-arn-malformed",
        "web-identity-token-file-missing",
        "web-identity-token-file-unreadable",
        "web-identity-token-empty",
        "web-identity-token-not-jwt",
        "web-identity-token-expired",
        "web-identity-audience-not-sts",
        "web-identity-token-ok",
        "web-identity-token-file-eks",
        "web-identity-token-file-in-env",
        "web-identity-token-file-relative",
        "github-actions-no-id-token",
        "github-actions-oidc-available",
    ),
    facts=("role_arn", "token_file_path"),
)
def web_identity(run: ProbeInput) -> Evidence:
    """Role ARN and token file as botocore resolves them; the token's claims and expiry."""
    ctx = run.ctx
    selection = selected_profile(run)
    settings = sharedfiles.load(ctx).settings(selection.name)
    use_env = not selection.explicit
    findings, details, secrets = _github(ctx)
    if not use_env and ctx.env("AWS_WEB_IDENTITY_TOKEN_FILE"):
        findings.append("web-identity-env-ignored")
        details.append(
            f"AWS_WEB_IDENTITY_TOKEN_FILE is ignored: the profile is given with {selection.source}"
        )
    token_file = _setting(
        ctx, settings, "web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE", use_env
    )
    role = _setting(ctx, settings, "role_arn", "AWS_ROLE_ARN", use_env)
    facts: dict[str, Fact] = {"role_arn": Fact(role[0], role[1])} if role else {}
    if token_file is None:
        findings.insert(0, "web-identity-not-configured")
        if role is not None and role[1] == "AWS_ROLE_ARN":
            # botocore reads AWS_ROLE_ARN only beside a token file (AssumeRoleWithWebIdentity-
            # Provider returns nothing without one): it never assumes the role with other keys.
            findings.insert(0, "web-identity-role-without-token-file")
            details.insert(
                0,
                "AWS_ROLE_ARN is set but no web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE"
                " or web_identity_token_file): botocore uses AWS_ROLE_ARN only with that token,"
                " and never assumes the role with other credentials",
            )
        summary = "; ".join(details) or "no web identity token file is configured"
        problems = {"github-actions-no-id-token", "web-identity-role-without-token-file"}
        status = Status.PROBLEM if problems & set(findings) else Status.OK
        return Evidence(
            "creds.web-identity", status, summary, tuple(findings), facts, tuple(details), secrets
        )
    head = f"web identity token file {token_file[0]} ({token_file[1]})"
    found, sentence, token_secrets = _token_file(ctx, token_file[0], ctx.now())
    role_findings, role_details = _role_problems(role)
    findings = [*role_findings, *found, *findings]
    relative = relative_note(ctx, token_file[0], facts)
    if relative is not None:
        findings += relative[0]
        sentence += f"; {relative[1]}"
    if IRSA_DIR in token_file[0] and "pods.eks.amazonaws.com" not in token_file[0]:
        # The path says IRSA: EKS mounts the token there once the service account names a role.
        findings.append("web-identity-token-file-eks")
    if token_file[1] == "AWS_WEB_IDENTITY_TOKEN_FILE":
        findings.append("web-identity-token-file-in-env")
    details = [*role_details, *details, sentence]
    ok = set(findings) <= {
        "web-identity-token-ok",
        "github-actions-oidc-available",
        "web-identity-token-file-eks",
        "web-identity-token-file-in-env",
        "web-identity-token-file-relative",
    }
    return Evidence(
        "creds.web-identity",
        Status.OK if ok else Status.PROBLEM,
        f"{head}: " + "; ".join(details),
        tuple(findings),
        facts,
        tuple(details),
        secrets + token_secrets,
    )


def _role_problems(role: tuple[str, str] | None) -> tuple[list[str], list[str]]:
    if role is None:
        why = (
            "no role ARN is set (AWS_ROLE_ARN or role_arn): botocore stops with InvalidConfigError"
        )
        return ["web-identity-no-role-arn"], [why]
    if not _ROLE_ARN.match(role[0].strip()):
        shape = "arn:aws:iam::<12 digits>:role/<name>"
        return ["web-identity-role-arn-malformed"], [
            f"the role ARN ({role[1]}) is not shaped like {shape}"
        ]
    return [], []
