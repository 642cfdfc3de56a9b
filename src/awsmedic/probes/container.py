"""creds.container: the container credentials endpoint (ECS task role, EKS Pod Identity).

botocore's ContainerProvider GETs `http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
or `$AWS_CONTAINER_CREDENTIALS_FULL_URI` (plain HTTP only to loopback or the ECS/EKS addresses),
with an `Authorization` header from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or
`AWS_CONTAINER_AUTHORIZATION_TOKEN`. We make the same request once, with a short timeout, and
report what came back; the credentials it returns go to the scrubber, never to the screen.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

from awsmedic.aws import bounded, sharedfiles
from awsmedic.context import Context
from awsmedic.model import Evidence, Secret, SecretKind, Status, Unchecked
from awsmedic.probes import ProbeInput, not_checked, probe
from awsmedic.probes.location import CONTAINER_MARKERS

ECS_ADDRESS = "169.254.170.2"
EKS_ADDRESSES = ("169.254.170.23", "fd00:ec2::23")
ALLOWED_HOSTS = (ECS_ADDRESS, *EKS_ADDRESSES, "localhost")
#: Where EKS Pod Identity mounts the pod's service account token
#: (/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token).
POD_IDENTITY_DIR = "pods.eks.amazonaws.com/"
MAX_TIMEOUT_SECONDS = 2.0
#: Tools whose own rule for a plain-HTTP endpoint is not botocore's words: who refuses, and what
#: it accepts (@aws-sdk/credential-provider-http checkUrl; its fallback, @smithy
#: fromContainerMetadata, takes only localhost and 127.0.0.1, so the chain accepts no more).
_REFUSERS = {
    "js-sdk-v3": (
        "the JavaScript SDK v3",
        "only HTTPS, or 127.0.0.0/8, [::1], localhost, 169.254.170.2, 169.254.170.23,"
        " [fd00:ec2::23]",
    ),
}
_KEYS = {
    "AccessKeyId": SecretKind.ACCESS_KEY_ID,
    "SecretAccessKey": SecretKind.SECRET_KEY,
    "Token": SecretKind.SESSION_TOKEN,
}


def endpoint(ctx: Context) -> tuple[str, str] | None:
    """(URL, variable) botocore would ask; the relative URI wins over the full one."""
    relative = ctx.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
    if relative is not None:
        return f"http://{ECS_ADDRESS}{relative}", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
    full = ctx.env("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    if full is not None:
        return full, "AWS_CONTAINER_CREDENTIALS_FULL_URI"
    return None


def host_allowed(url: str) -> bool:
    """botocore.utils.ContainerMetadataFetcher._validate_allowed_url."""
    from ipaddress import ip_address

    parsed = urlparse(url)
    if parsed.scheme == "https":
        return True
    try:
        if ip_address(parsed.hostname or "").is_loopback:
            return True
    except ValueError:
        pass
    return parsed.hostname in ALLOWED_HOSTS


def _auth(ctx: Context) -> tuple[str | None, str | None, str]:
    """(token, problem finding, sentence); the token file wins over the variable."""
    path_text = ctx.env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
    token: str | None
    if path_text is not None:
        try:
            read = bounded.read_file(sharedfiles.expand(ctx, path_text), bounded.SMALL_FILE_BYTES)
        except OSError as exc:
            why = f" ({exc.strerror})" if isinstance(exc, bounded.NotRegularFile) else ""
            return (
                None,
                "container-token-file-missing",
                f"the token file {path_text} cannot be read{why}",
            )
        token = read.text()
    else:
        token = ctx.env("AWS_CONTAINER_AUTHORIZATION_TOKEN")
    if token is not None and ("\r" in token or "\n" in token):
        return (
            token,
            "container-token-bad-characters",
            (
                "the authorization token contains a line break (botocore: 'Auth token value"
                " is not a legal header value')"
            ),
        )
    return token, None, ""


def _get(url: str, token: str | None, timeout: float) -> tuple[int | None, bytes, str]:
    """(status, body, error) of one GET, as botocore's fetcher sends it."""
    from botocore.awsrequest import AWSRequest
    from botocore.httpsession import URLLib3Session

    headers = {"Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = token
    session = URLLib3Session(timeout=timeout)
    try:
        response = session.send(AWSRequest(method="GET", url=url, headers=headers).prepare())
    except Exception as exc:  # botocore wraps urllib3 errors in its own types
        return None, b"", f"{type(exc).__name__}: {exc}"
    return response.status_code, response.content, ""


def _response(status: int | None, body: bytes, error: str) -> tuple[str, str, tuple[Secret, ...]]:
    if status is None:
        return "container-endpoint-unreachable", f"no answer ({error})", ()
    if status in (401, 403):
        return (
            "container-endpoint-rejected",
            f"it answered HTTP {status}: the token was refused",
            (),
        )
    if status != 200:
        return "container-endpoint-error", f"it answered HTTP {status}", ()
    try:
        data: Any = json.loads(body.decode("utf-8"))
    except (UnicodeError, ValueError):
        if body.lstrip()[:1] == b"<":  # another web service: a wrong port or path
            return "container-bad-response", "it answered 200 with a web page, not JSON", ()
        return "container-bad-response", "it answered 200 but not with JSON", ()
    if not isinstance(data, dict):
        return "container-bad-response", "it answered 200 with JSON that is not an object", ()
    secrets = tuple(Secret(str(data[k]), kind) for k, kind in _KEYS.items() if data.get(k))
    missing = [k for k in (*_KEYS, "Expiration") if k not in data]
    if missing:
        return "container-bad-response", f"its answer lacks {', '.join(missing)}", secrets
    return (
        "container-credentials-ok",
        f"it returned credentials (expiring {data['Expiration']})",
        secrets,
    )


def _local_server(url: str) -> bool:
    """A full URI on a loopback address: not ECS's or EKS's agent, a server on this machine."""
    from ipaddress import ip_address

    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _kind(ctx: Context, url: str, var: str) -> tuple[str, ...]:
    """What the settings say about the endpoint: ECS's (the relative URI, which only the ECS
    agent sets, or its address), EKS Pod Identity's (its agent's address, or its token file),
    one on this machine; and whether the token comes from a file (which wins over the variable).
    """
    host = urlparse(url).hostname or ""
    token_file = ctx.env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
    kinds: list[str] = []
    if var == "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" or host == ECS_ADDRESS:
        kinds.append("container-endpoint-ecs")
    elif host in EKS_ADDRESSES or (token_file is not None and POD_IDENTITY_DIR in token_file):
        kinds.append("container-endpoint-eks")
    elif _local_server(url):
        kinds.append("container-endpoint-loopback")
    if token_file is not None:
        kinds.append("container-token-in-file")
    if var == "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI":
        kinds.append("container-relative-uri")
    return tuple(kinds)


def _in_container(ctx: Context) -> bool:
    hints = (
        "ECS_CONTAINER_METADATA_URI_V4",
        "ECS_CONTAINER_METADATA_URI",
        "KUBERNETES_SERVICE_HOST",
    )
    return any(ctx.env(v) for v in hints) or any(m.exists() for m in CONTAINER_MARKERS)


def _offline(run: ProbeInput) -> Evidence:
    """With --offline: botocore's checks before its request (the address, the token), and no
    request; an endpoint that passes them is not checked."""
    return _checked(run, ask=False)


@probe(
    "creds.container",
    title="Container credentials endpoint (ECS, EKS Pod Identity)",
    network=True,
    findings=(
        "container-not-configured",
        "container-host-not-allowed",
        "container-token-file-missing",
        "container-token-bad-characters",
        "container-endpoint-unreachable",
        "container-endpoint-rejected",
        "container-endpoint-error",
        "container-bad-response",
        "container-credentials-ok",
        "container-vars-outside-container",
        "container-uri-local-server",
        "container-endpoint-ecs",
        "container-endpoint-eks",
        "container-endpoint-loopback",
        "container-token-in-file",
        "container-relative-uri",
    ),
    offline=_offline,
)
def container_credentials(run: ProbeInput) -> Evidence:
    """Ask the container credentials endpoint once, as botocore would, with a short timeout."""
    return _checked(run, ask=True)


def _checked(run: ProbeInput, *, ask: bool) -> Evidence:
    """botocore's checks on the URL and token, then (`ask`) one GET."""
    ctx = run.ctx
    found = endpoint(ctx)
    if found is None:
        summary = "no AWS_CONTAINER_CREDENTIALS_* variable is set"
        return Evidence("creds.container", Status.OK, summary, ("container-not-configured",))
    url, var = found
    tool = run.recognition.tool if run.recognition else None
    refused, token = _refused(ctx, url, tool)
    secrets = (Secret(token),) if token else ()
    if refused is not None:
        return _evidence(ctx, url, var, *refused, secrets)
    if not ask:
        detail = f"the request to {url}, from {var}"
        return not_checked(
            "creds.container", Unchecked.OFFLINE, detail, _kind(ctx, url, var), secrets=secrets
        )
    status, body, error = _get(url, token, min(ctx.network_timeout, MAX_TIMEOUT_SECONDS))
    finding, sentence, returned = _response(status, body, error)
    return _evidence(ctx, url, var, finding, sentence, secrets + returned)


def _evidence(
    ctx: Context, url: str, var: str, finding: str, sentence: str, secrets: tuple[Secret, ...]
) -> Evidence:
    ok = finding == "container-credentials-ok"
    extra: tuple[str, ...] = ()
    if _local_server(url) and finding == "container-endpoint-unreachable":
        # Only a program on this machine answers there: a local credentials server (aws-vault's
        # --ecs-server, an IDE, a test harness) that set the variable and has stopped.
        extra = ("container-uri-local-server",)
        sentence += " (a credentials server on this machine, which is not running)"
    elif not _in_container(ctx):
        extra = ("container-vars-outside-container",)
        if not ok:
            sentence += " (and this does not look like a container: copied variables?)"
    return Evidence(
        "creds.container",
        Status.OK if ok else Status.PROBLEM,
        f"container credentials from {url} ({var}): {sentence}",
        (finding, *extra, *_kind(ctx, url, var)),
        {},
        (sentence,),
        secrets,
    )


def _refused(ctx: Context, url: str, tool: str | None) -> tuple[tuple[str, str] | None, str | None]:
    """((finding, sentence) of a check that stops botocore before its request, or None; the
    authorization token). A refused host is said in the words of the tool that printed the
    error, where that is not botocore (the verdict is botocore's, which agrees with the SDK's
    for addresses written in the usual form)."""
    if not host_allowed(url):
        host = urlparse(url).hostname
        who, accepted = _REFUSERS.get(tool or "", ("botocore", ""))
        if not accepted:
            accepted = f"only loopback, {', '.join(ALLOWED_HOSTS)}"
        return (
            "container-host-not-allowed",
            f"{who} refuses plain HTTP to '{host}' ({accepted})",
        ), None
    token, problem, sentence = _auth(ctx)
    return ((problem, sentence) if problem is not None else None), token
