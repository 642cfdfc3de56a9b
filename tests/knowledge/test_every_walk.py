"""Every tree walked to every cause, through every branch: the commands printed at the end are
complete and real.

For each edge of each tree, the engine is driven along a path through it (the shortest way in,
the edge, the shortest way to a cause), with every probe on the path reporting the chosen
finding and every fact it declares (sample values of the right shape), on Linux and on Windows,
with AWS CLI version 2 and version 1. Then every command of every step:

- holds no `<placeholder>` that a fact of that walk could have filled;
- parses (`shlex.split`);
- runs a program that exists (a list below), and every `aws` in it names an existing AWS CLI v2
  command with existing options: service operations and their parameters from botocore's
  service models, the CLI's own commands (configure, sso, login, s3, ...) from
  `aws_cli_commands.toml`, kept beside this test with its source;
- has no `aws sso login` and the like (commands only version 2 has) when the CLI is version 1.
"""

from __future__ import annotations

import functools
import re
import shlex
import tomllib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from awsmedic.aws.valueshapes import NEVER_IN_COMMANDS
from awsmedic.core import engine
from awsmedic.core.steps import placeholders_in
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import CauseNode, Knowledge, ProbeNode, QuestionNode, TextNode, Tree
from awsmedic.kb.placeholders import PLACEHOLDERS
from awsmedic.kb.stepcheck import V2_ONLY, installs_v2_first
from awsmedic.model import Concluded, Evidence, Fact, Status, Step
from awsmedic.probes import registry

NOW = datetime(2026, 12, 1, tzinfo=UTC)
CLI = tomllib.loads((Path(__file__).parent / "aws_cli_commands.toml").read_text("utf-8"))

#: A value of the right shape for every fact a probe may declare.
SAMPLES = {
    "bedrock_key_user": "BedrockAPIKey-ab1c",
    "bedrock_key_region": "us-west-2",
    "certificate_file": "/etc/pki/host.pem",
    "private_key_file": "/etc/pki/host.key",
    "trust_anchor_id": "1b2c3d4e-1111-2222-3333-444455556666",
    "ra_profile_id": "9f8e7d6c-1111-2222-3333-444455556666",
    "profile": "dev",
    "source_profile": "base",
    "admin_profile": "admin",
    "suggested_profile": "production",
    "credential_profiles": "production, 'team a'",
    "region": "eu-west-1",
    "partition_region": "cn-north-1",
    "bucket_region": "eu-central-1",
    "credentials_file": "~/.aws/credentials",
    "config_file": "~/.aws/config",
    "access_key_id": "****************ABCD",
    "credential_source": "shared-credentials-file",
    "role_arn": "arn:aws:iam::123456789012:role/deploy",
    "role_name": "deploy",
    "mfa_serial": "arn:aws:iam::123456789012:mfa/alice",
    "sso_session": "corp",
    "sso_start_url": "https://corp.awsapps.com/start",
    "account_id": "123456789012",
    "arn": "arn:aws:iam::123456789012:user/alice",
    "iam_user": "alice",
    "endpoint_url": "http://localhost:4566",
    "operation": "GetCallerIdentity",
    "service": "sts",
    "action": "s3:GetObject",
    "resource": "arn:aws:s3:::reports/2026/summary.csv",
    "principal": "arn:aws:iam::123456789012:user/alice",
    "policy_kind": "service control policy",
    "policy_statement": '{\n  "Version": "2012-10-17"\n}',
    "trust_statement": '{\n  "Version": "2012-10-17"\n}',
    "skew": "75 minutes behind",
    "host": "Linux",
    "clock_fix": "sudo timedatectl set-ntp true",
    "bucket": "reports",
    "suggested_region": "us-east-1",
    "registry": "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
    "cluster": "prod",
    "kubeconfig": "~/.kube/config",
    "encoded_message": "AbCdEf0123456789xyzXYZ0123456789",
    "db_resource_id": "db-ABCDEFGHIJKLMNOPQRSTUVWXY0",
}

#: Programs a step may run besides `aws`, as the first word of a command (or after `sudo`).
PROGRAMS = {
    "unset", "export", "eval", "echo", "printf", "env", "rm", "ls", "file", "chmod", "chown",
    "sudo", "date", "timedatectl", "chronyc", "hwclock", "sntp", "w32tm", "wsl", "docker",
    "kubectl", "curl", "nslookup", "openssl", "pip", "python3", "dos2unix", "for", "TOKEN",
    "Remove-Item", "Get-ChildItem", "Test-NetConnection", "Get-Content", "Set-Content",
    "Copy-Item", "Invoke-Expression", "$Env:AWS_PROFILE", "$Env:AWS_DEFAULT_REGION",
    "$Env:AWS_CA_BUNDLE", "$Env:AWS_REGION", "[Environment]::SetEnvironmentVariable",
    "sed", "$f", "grep", "cut", "od", "wc", "cat", "id", "stat", "test", "git", "read",
    "python", "pipx", "uv", "uvx", "eksctl", "saml2aws", "head", "command", "where",
    "$Env:AWS_ENDPOINT_URL", "$Env:AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    # Amazon Q Developer CLI and Kiro CLI sign in on their own (`q login`, `kiro-cli login`)
    "q", "kiro-cli",
    # aws-vault asks for a role's MFA code for programs that cannot; Terraform's own commands
    "aws-vault", "terraform", "Select-String", "$Env:REQUESTS_CA_BUNDLE",
    # moving a directory that stands where a shared file belongs
    "mv", "rmdir", "Move-Item",
    "$Env:AWS_METADATA_SERVICE_TIMEOUT", "$Env:AWS_METADATA_SERVICE_NUM_ATTEMPTS",
    "$Env:AWS_CONTAINER_AUTHORIZATION_TOKEN",
    # a relative web identity token path, made absolute (audit 5 s31)
    "$Env:AWS_WEB_IDENTITY_TOKEN_FILE",
    # which `aws` comes first on PATH (audit 5 s27); shared-file variables set back (s15)
    "type", "where.exe", "$Env:AWS_CONFIG_FILE", "$Env:AWS_SDK_LOAD_CONFIG",
    # signing in to a database with an IAM token (RDS's own examples)
    "psql", "mysql",
}  # fmt: skip


@functools.cache
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


# -- paths ---------------------------------------------------------------------------------
Edge = tuple[str, str, str]  # (node, the key or answer taken, the next node)


def _edges(tree: Tree, node_id: str) -> list[Edge]:
    node = tree.nodes[node_id]
    if isinstance(node, ProbeNode | TextNode):
        return [(node_id, key, target) for key, target in node.next]
    if isinstance(node, QuestionNode):
        return [(node_id, answer, target) for answer, target in node.answers]
    return []


def _shortest_in(tree: Tree) -> dict[str, list[Edge]]:
    way: dict[str, list[Edge]] = {tree.start: []}
    queue = deque([tree.start])
    while queue:
        node = queue.popleft()
        for edge in _edges(tree, node):
            if edge[2] not in way:
                way[edge[2]] = [*way[node], edge]
                queue.append(edge[2])
    return way


def _shortest_out(tree: Tree, node_id: str) -> list[Edge]:
    way: dict[str, list[Edge]] = {node_id: []}
    queue = deque([node_id])
    while queue:
        node = queue.popleft()
        if isinstance(tree.nodes[node], CauseNode):
            return way[node]
        for edge in _edges(tree, node):
            if edge[2] not in way:
                way[edge[2]] = [*way[node], edge]
                queue.append(edge[2])
    raise AssertionError(f"{tree.id}: no cause after {node_id}")


def paths(tree: Tree) -> Iterator[list[Edge]]:
    """A path through every edge, and one to every node (a tree may start at its cause)."""
    into = _shortest_in(tree)
    for node in tree.nodes:
        if node in into:
            yield [*into[node], *_shortest_out(tree, node)]
    for node in tree.nodes:
        for edge in _edges(tree, node):
            yield [*into[node], edge, *_shortest_out(tree, edge[2])]


# -- driving the engine ----------------------------------------------------------------------
@dataclass(frozen=True)
class Variant:
    os: str
    cli: str


VARIANTS = (Variant("linux", "v2"), Variant("windows", "v2"), Variant("linux", "v1"))


def _evidence(probe: str, keys: list[str]) -> Evidence:
    spec = registry()[probe]
    statuses = [k for k in keys if k in ("ok", "problem", "skipped", "error")]
    findings = tuple(k for k in keys if k not in statuses and k != "default")
    status = Status(statuses[0]) if statuses else (Status.PROBLEM if findings else Status.OK)
    facts = {name: Fact(SAMPLES.get(name, "x"), "sample") for name in spec.facts}
    if status in (Status.SKIPPED, Status.ERROR):
        facts = {}
    return Evidence(probe, status, f"{probe} (sample)", findings, facts)


def walk(tree: Tree, path: list[Edge], variant: Variant) -> tuple[Concluded | None, set[str]]:
    """Drive the engine along `path`; the conclusion, and the names of the facts it had."""
    choices = {node: key for node, key, _ in path}
    by_probe: dict[str, list[str]] = {}
    for node, key, _ in path:
        found = tree.nodes[node]
        if isinstance(found, ProbeNode):
            by_probe.setdefault(found.probe, []).append(key)
    signals = frozenset(
        key for node, key, _ in path if isinstance(tree.nodes[node], TextNode) and key != "default"
    )
    base = {
        "profile": Fact("dev", "AWS_PROFILE"),
        "credentials_file": Fact("~/.aws/credentials"),
        "config_file": Fact("~/.aws/config"),
        "os": Fact(variant.os),
        "host_kind": Fact(variant.os),
    }
    state = engine.new_dialogue(
        knowledge(), tree, "", signals, {}, NOW, base_facts=base, tool="aws-cli"
    )
    state, out = engine.advance(state, engine.Start(), NOW)
    known = set(base)
    for _ in range(200):
        need = out[-1] if out else None
        if isinstance(need, engine.NeedProbe):
            if need.probe == engine.CLI_PROBE:
                evidence = Evidence(need.probe, Status.OK, "cli", (f"cli-{variant.cli}",))
            else:
                evidence = _evidence(need.probe, by_probe.get(need.probe, ["default"]))
            known.update(name for name, fact in evidence.facts.items() if fact.value)
            state, out = engine.advance(state, engine.ProbeResult(evidence), NOW)
        elif isinstance(need, engine.NeedAnswer):
            answer = choices.get(need.node, need.question.choices[0])
            state, out = engine.advance(state, engine.Answer(need.question.id, answer), NOW)
        else:
            break
    concluded = next((o for o in out if isinstance(o, Concluded)), None)
    if "role_arn" in known:
        known.add("role_name")  # derived (pastefacts.derived)
    return concluded, known


# -- checking a command ----------------------------------------------------------------------
@functools.cache
def service_models() -> dict[str, Any]:
    import botocore.session

    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    renamed = CLI["renamed_services"]
    return {renamed.get(name, name): (loader, name) for name in session.get_available_services()}


@functools.cache
def operations(cli_service: str) -> dict[str, tuple[frozenset[str], bool]]:
    """CLI operation name -> (its option names, whether it paginates)."""
    from botocore import xform_name
    from botocore.model import ServiceModel

    loader, name = service_models()[cli_service]
    model = ServiceModel(loader.load_service_model(name, "service-2"), name)
    try:
        paginated = set(loader.load_service_model(name, "paginators-1")["pagination"])
    except Exception:
        paginated = set()
    found = {}
    for op_name in model.operation_names:
        shape = model.operation_model(op_name).input_shape
        members = shape.members if shape is not None else {}
        options = set()
        for member, member_shape in members.items():
            option = xform_name(member, "-")
            options.add(option)
            if member_shape.type_name == "boolean":
                options.add(f"no-{option}")
        found[xform_name(op_name, "-")] = (frozenset(options), op_name in paginated)
    return found


def aws_invocations(command: str) -> list[list[str]]:
    """The argument lists of every `aws` the command runs (in pipes, `$(...)`, loops)."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|;&()")
    lexer.whitespace_split = True
    tokens = list(lexer)
    found: list[list[str]] = []
    for index, token in enumerate(tokens):
        # `$(aws ...)` inside double quotes stays one token: look inside it too.
        inner = re.findall(r"\$\((aws [^)]*)\)", token)
        found += [shlex.split(text)[1:] for text in inner]
        if token == "aws":
            args: list[str] = []
            for arg in tokens[index + 1 :]:
                if arg in ("|", "||", "&&", ";", "&", ")", "("):
                    break
                args.append(arg)
            found.append(args)
    return found


def aws_problem(args: list[str]) -> str | None:
    """Why `aws ARGS` is not a real AWS CLI v2 command, or None."""
    words = [a for a in args if not a.startswith("-")]
    options = [a[2:].split("=")[0] for a in args if a.startswith("--")]
    global_options = set(CLI["global_options"])
    if not words:
        bad = [o for o in options if o not in global_options]
        return f"unknown options {bad}" if bad else None
    for length in (2, 1):
        name = " ".join(words[:length])
        if name in CLI["commands"]:
            allowed = set(CLI["commands"][name]["options"]) | global_options
            bad = [o for o in options if o not in allowed]
            return f"`aws {name}`: unknown options {bad}" if bad else None
    service, operation = words[0], words[1] if len(words) > 1 else ""
    if service not in service_models():
        return f"no service or command `{service}`"
    ops = operations(service)
    if operation not in ops:
        return f"`aws {service}` has no operation `{operation}`"
    params, paginated = ops[operation]
    allowed = params | global_options | set(CLI["operation_options"])
    if paginated:
        allowed |= set(CLI["pagination_options"])
    bad = [o for o in options if o not in allowed]
    return f"`aws {service} {operation}`: unknown options {bad}" if bad else None


def program_of(command: str) -> str:
    """The program a command runs: after `sudo` and its options, after `VAR=value` prefixes;
    a `<placeholder>` there is the user's own command."""
    words = command.split()
    if words[0] == "sudo":
        words = words[1:]
        while words and (words[0].startswith("-") or "=" in words[0]):
            takes_value = words[0] in ("-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U")
            words = words[2:] if takes_value else words[1:]
    if not words:
        return "sudo"
    if re.match(r"^<[a-z_]+>$", words[0]):
        return ""  # a placeholder: the user's own command
    first = words[0]
    return first.split("=")[0] if re.match(r"^\$?[A-Za-z_:]+=", first) else first.split("(")[0]


def command_problems(
    command: str, filled: set[str], variant: Variant, step_text: str = ""
) -> list[str]:
    problems = []
    left = placeholders_in([command]) & (filled - NEVER_IN_COMMANDS)
    if left:
        problems.append(f"placeholders a fact could fill: {sorted(left)}")
    try:
        shlex.split(command)
    except ValueError as exc:
        return [*problems, f"does not parse: {exc}"]
    if program_of(command) not in {*PROGRAMS, "aws", ""}:
        problems.append(f"runs an unknown program `{program_of(command)}`")
    for args in aws_invocations(command):
        problem = aws_problem(args)
        if problem:
            problems.append(problem)
    installs = installs_v2_first(step_text, command.split(" --")[0])
    if variant.cli == "v1" and V2_ONLY.search(command) and not installs:
        problems.append("a command only AWS CLI v2 has, shown with version 1 installed")
    return problems


def tree_ids() -> list[str]:
    return sorted(knowledge().trees)


@pytest.mark.parametrize("tree_id", tree_ids())
def test_every_walk_prints_complete_real_commands(tree_id: str) -> None:
    tree = knowledge().trees[tree_id]
    reached: set[str] = set()
    problems: set[str] = set()
    for path in paths(tree):
        for variant in VARIANTS:
            concluded, known = walk(tree, path, variant)
            if concluded is None:
                continue
            reached.add(concluded.diagnosis.cause)
            filled = {name for name in known if name in PLACEHOLDERS}
            step: Step
            for step in concluded.diagnosis.steps:
                for command in step.commands:
                    for problem in command_problems(command, filled, variant, step.text):
                        problems.add(f"{concluded.diagnosis.cause}: `{command}`: {problem}")
    assert reached == set(tree.causes()), f"causes never reached: {set(tree.causes()) - reached}"
    assert sorted(problems) == []


def test_the_checker_catches_what_it_should() -> None:
    linux = Variant("linux", "v2")
    assert aws_problem(["sts", "get-caller-identity", "--profile", "x"]) is None
    assert aws_problem(["s3api", "head-bucket", "--bucket", "b", "--query", "BucketRegion"]) is None
    assert aws_problem(["configure", "export-credentials", "--format", "env"]) is None
    assert aws_problem(["sts", "get-caller-identity", "--user", "x"]) is not None
    assert aws_problem(["sts", "get-caller-idenity"]) is not None
    assert aws_problem(["s3", "list-buckets"]) is not None  # `s3` is the high-level command
    assert aws_problem(["configure", "sso", "--sso-region", "x"]) is not None
    assert command_problems("aws iam get-role --role-name <role_name>", {"role_name"}, linux)
    assert command_problems("aws sts get-caller-identity 'x", set(), linux)
    assert command_problems("expecting 'eu-west-1'", set(), linux)
    assert command_problems("aws sso login", set(), Variant("linux", "v1"))
    assert aws_invocations('eval "$(aws configure export-credentials --format env)" | x') == [
        ["configure", "export-credentials", "--format", "env"]
    ]
