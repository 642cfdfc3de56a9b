"""The kubeconfig kubectl reads, and what its current context's `exec` section asks AWS for.

kubectl reads the files in `KUBECONFIG` (joined with `:`, `;` on Windows) or `~/.kube/config`,
merges them (the first file to name a context, user or cluster wins, and the first
`current-context` set wins), and authenticates to EKS by running the `exec` command of the
current context's user: `aws eks get-token` (written by `aws eks update-kubeconfig`) or
`aws-iam-authenticator token`. That command inherits kubectl's environment plus the section's
`env`, so the AWS profile it signs with is `--profile`, else `AWS_PROFILE` from `env`, else the
shell's. Files are read bounded and never written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from awsmedic.aws import bounded
from awsmedic.aws.sharedfiles import expand
from awsmedic.context import Context

#: A kubeconfig bigger than this is not read (real ones are a few KB; certificates make 20 KB).
MAX_BYTES = 1_000_000
MAX_FILES = 10
#: The exec credential API versions kubectl has known: v1alpha1 was removed in Kubernetes 1.24.
ALPHA = "client.authentication.k8s.io/v1alpha1"
KNOWN_API_VERSIONS = (
    ALPHA,
    "client.authentication.k8s.io/v1beta1",
    "client.authentication.k8s.io/v1",
)
_AUTHENTICATORS = ("aws-iam-authenticator", "heptio-authenticator-aws")
_OPTIONS = {
    "--profile": "profile",
    "--region": "region",
    "--cluster-name": "cluster",
    "--cluster-id": "cluster",
    "-i": "cluster",
    "--role-arn": "role",
    "--role": "role",
    "-r": "role",
}


@dataclass(frozen=True)
class AwsExec:
    """The exec section of the current context's user, as far as AWS is concerned."""

    kind: str  # "aws-cli", "aws-iam-authenticator" or "other"
    command: str
    api_version: str
    args: tuple[str, ...]
    env: tuple[tuple[str, str], ...]
    options: dict[str, str] = field(default_factory=dict)  # profile, region, cluster, role

    def env_value(self, name: str) -> str | None:
        return next((value for key, value in self.env if key == name), None)


@dataclass(frozen=True)
class KubeConfig:
    files: tuple[Path, ...]  # the files kubectl would read, in order
    source: str  # "KUBECONFIG" or "default"
    problems: tuple[str, ...] = ()  # files missing, too big or unreadable, and why
    current_context: str = ""
    context_found: bool = False
    user: str = ""
    server: str = ""
    user_entry: dict[str, Any] = field(default_factory=dict)

    @property
    def read_any(self) -> bool:
        return len(self.problems) < len(self.files)


def files(ctx: Context) -> tuple[list[Path], str]:
    """The files kubectl reads, and whether KUBECONFIG named them."""
    value = ctx.env("KUBECONFIG")
    if value:
        separator = ";" if os.name == "nt" else ":"
        found = [expand(ctx, part) for part in value.split(separator) if part.strip()]
        return list(dict.fromkeys(found))[:MAX_FILES], "KUBECONFIG"
    return [expand(ctx, "~/.kube/config")], "default"


def _load(path: Path) -> tuple[dict[str, Any] | None, str]:
    try:
        read = bounded.read_file(path, MAX_BYTES)  # regular files only: a FIFO would block
    except FileNotFoundError:
        return None, "does not exist"
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or type(exc).__name__})"
    data = read.data
    if read.cut:
        return None, f"is larger than {MAX_BYTES:,} bytes; not read"
    import yaml  # PyYAML: imported only when a kubeconfig is read

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe: no object construction
    try:
        parsed = yaml.load(data.decode("utf-8-sig"), Loader=loader)  # noqa: S506
    except UnicodeDecodeError as exc:
        return None, f"cannot be parsed (not UTF-8: {exc.reason})"
    except yaml.YAMLError as exc:
        return None, f"cannot be parsed ({_first_line(str(exc))})"
    if parsed is None:
        return {}, ""
    if not isinstance(parsed, dict):
        return None, "is not a kubeconfig (no mapping at the top)"
    return parsed, ""


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "not YAML"


def _named(documents: list[dict[str, Any]], section: str, name: str, key: str) -> dict[str, Any]:
    """The first entry called `name` in `section` across the files (kubectl's merge)."""
    for document in documents:
        for entry in document.get(section) or []:
            if isinstance(entry, dict) and entry.get("name") == name:
                value = entry.get(key)
                return value if isinstance(value, dict) else {}
    return {}


def read(ctx: Context) -> KubeConfig:
    paths, source = files(ctx)
    documents: list[dict[str, Any]] = []
    problems: list[str] = []
    for path in paths:
        document, problem = _load(path)
        if document is None:
            problems.append(f"{ctx.tilde(path)} {problem}")
        else:
            documents.append(document)
    current = next((str(d["current-context"]) for d in documents if d.get("current-context")), "")
    found = KubeConfig(tuple(paths), source, tuple(problems), current)
    if not current:
        return found
    context = _named(documents, "contexts", current, "context")
    if not context:
        return found
    user = str(context.get("user") or "")
    cluster = _named(documents, "clusters", str(context.get("cluster") or ""), "cluster")
    return KubeConfig(
        found.files,
        source,
        found.problems,
        current,
        True,
        user,
        str(cluster.get("server") or ""),
        _named(documents, "users", user, "user"),
    )


def _basename(command: str) -> str:
    name = PureWindowsPath(command).name if "\\" in command else PurePosixPath(command).name
    return name.lower().removesuffix(".exe")


def _options(args: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for index, arg in enumerate(args):
        name, _, inline = arg.partition("=")
        key = _OPTIONS.get(name)
        if key is None:
            continue
        value = inline if inline else (args[index + 1] if index + 1 < len(args) else "")
        if value and not value.startswith("-"):
            found.setdefault(key, value)
    return found


def aws_exec(config: KubeConfig) -> AwsExec | None:
    """The current user's exec section, or None when the user has none."""
    section = config.user_entry.get("exec")
    if not isinstance(section, dict):
        return None
    command = str(section.get("command") or "")
    args = tuple(str(arg) for arg in section.get("args") or [] if arg is not None)
    env = tuple(
        (str(item.get("name") or ""), str(item.get("value") or ""))
        for item in section.get("env") or []
        if isinstance(item, dict)
    )
    base = _basename(command)
    if base == "aws" and "get-token" in args:
        kind = "aws-cli"
    elif base in _AUTHENTICATORS:
        kind = "aws-iam-authenticator"
    else:
        kind = "other"
    return AwsExec(kind, command, str(section.get("apiVersion") or ""), args, env, _options(args))
