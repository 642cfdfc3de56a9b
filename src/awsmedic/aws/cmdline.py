"""What a wrapped command line says about the AWS world it runs in (`awsmedic run -- CMD ...`).

`awsmedic run` diagnoses a failure as the command saw it, so it reads the command line the way
the shell and the tool would: leading `NAME=VALUE` words and `env [-i] [-u NAME] NAME=VALUE`
set the command's environment; the AWS CLI's global options, and the profile and region options
of other AWS tools, choose a profile, a region and an endpoint. Nothing here runs anything.

Options by tool (each checked in the tool's source):
- AWS CLI v1 and v2 (`awscli/data/cli.json`): `--profile`, `--region`, `--endpoint-url`,
  `--ca-bundle`, `--no-verify-ssl`; global options may follow the service and operation.
- AWS SAM CLI (`samcli/cli/options.py`): `--profile`, `--region`.
- AWS CDK CLI (`packages/aws-cdk/lib/cli/cli-config.ts`): `--profile`.
- eksctl (`pkg/ctl/cmdutils/cmdutils.go`): `--profile`/`-p`, `--region`/`-r`.
- Serverless Framework (`lib/cli/commands-options-schema.js`): `--aws-profile`, `--region`/`-r`.
Terraform and OpenTofu take no such options: the provider's `profile` and `region` live in the
`.tf` files; environment prefixes (`AWS_PROFILE=dev terraform plan`) apply as for any command.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

#: Option -> what it sets, per tool (the program's file name, without a Windows suffix).
_AWS_CLI = {
    "--profile": "profile",
    "--region": "region",
    "--endpoint-url": "endpoint_url",
    "--ca-bundle": "ca_bundle",
}
TOOL_OPTIONS: Mapping[str, Mapping[str, str]] = {
    "aws": _AWS_CLI,
    "sam": {"--profile": "profile", "--region": "region"},
    "cdk": {"--profile": "profile"},
    "eksctl": {"--profile": "profile", "-p": "profile", "--region": "region", "-r": "region"},
    "serverless": {"--aws-profile": "profile", "--region": "region", "-r": "region"},
    "sls": {"--aws-profile": "profile", "--region": "region", "-r": "region"},
}
_TOOL_TITLES = {
    "aws": "AWS CLI",
    "sam": "AWS SAM CLI",
    "cdk": "AWS CDK CLI",
    "eksctl": "eksctl",
    "serverless": "Serverless Framework",
    "sls": "Serverless Framework",
    "terraform": "Terraform",
    "tofu": "OpenTofu",
}
_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.DOTALL)
#: `python -m awscli ...` is the AWS CLI v1 too.
_PYTHON = re.compile(r"^python(\d+(\.\d+)?)?$")


@dataclass(frozen=True)
class CommandLine:
    """A command to run, with what its line says about its world."""

    # Command lines can hold secrets (`AWS_SECRET_ACCESS_KEY=... aws ...`): none in the repr.
    argv: tuple[str, ...] = field(repr=False)  # executed: the words after leading assignments
    words: tuple[str, ...] = field(repr=False)  # the command line as given, for display
    #: Leading `NAME=VALUE` words: the shell would set them, so `awsmedic run` does.
    assignments: Mapping[str, str] = field(default_factory=dict, repr=False)
    #: What an `env` command in front changes (it runs as it is; the probes see the result).
    env_assignments: Mapping[str, str] = field(default_factory=dict, repr=False)
    env_unset: tuple[str, ...] = ()
    env_clear: bool = False  # `env -i`
    tool: str | None = None  # key of TOOL_OPTIONS / _TOOL_TITLES
    settings: Mapping[str, str] = field(default_factory=dict)  # profile, region, endpoint_url...
    verify_ssl: bool = True  # False with the AWS CLI's --no-verify-ssl
    #: The option that gave each setting, as typed (`--profile`, `-p`, `--aws-profile`).
    via: Mapping[str, str] = field(default_factory=dict)

    @property
    def profile(self) -> str | None:
        return self.settings.get("profile")

    @property
    def region(self) -> str | None:
        return self.settings.get("region")

    @property
    def tool_title(self) -> str | None:
        return _TOOL_TITLES.get(self.tool) if self.tool else None

    def display(self) -> str:
        """The command line as a shell would take it (quoted where needed)."""
        return shlex.join(self.words)

    def environment(self, base: Mapping[str, str]) -> dict[str, str]:
        """The environment the command is started with: ours and its leading assignments."""
        return {**base, **self.assignments}

    def diagnosis_environment(self, base: Mapping[str, str]) -> dict[str, str]:
        """The environment the probes see: the one the program itself got (after `env`), plus
        the options that have an environment equivalent botocore reads (endpoint, CA bundle)."""
        env = {} if self.env_clear else self.environment(base)
        for name in self.env_unset:
            env.pop(name, None)
        env.update(self.env_assignments)
        if "endpoint_url" in self.settings:
            # The probes ask the endpoint the command asked (LocalStack, a VPC endpoint...).
            env["AWS_ENDPOINT_URL"] = self.settings["endpoint_url"]
        if "ca_bundle" in self.settings:
            env["AWS_CA_BUNDLE"] = self.settings["ca_bundle"]
        return env


def _tool(program: str) -> str:
    name = PurePath(program).name.lower()
    for suffix in (".exe", ".cmd", ".bat"):
        name = name.removesuffix(suffix)
    return name


@dataclass
class _Prefix:
    """What the words before the program change in its environment."""

    assignments: dict[str, str] = field(default_factory=dict)
    unset: list[str] = field(default_factory=list)
    clear: bool = False

    def assign(self, word: str) -> bool:
        found = _ASSIGNMENT.match(word)
        if found is None:
            return False
        self.assignments[found.group(1)] = found.group(2)
        return True


def _env_command(words: list[str], prefix: _Prefix) -> list[str]:
    """Take `env`'s own options and assignments off `words` (GNU coreutils env)."""
    index = 1
    while index < len(words):
        word = words[index]
        if word in ("-i", "--ignore-environment", "-"):
            prefix.clear = True
            prefix.assignments.clear()
        elif word in ("-u", "--unset") and index + 1 < len(words):
            index += 1
            prefix.unset.append(words[index])
        elif word in ("-C", "--chdir", "-S", "--split-string") and index + 1 < len(words):
            index += 1  # a directory, or a string env splits itself: nothing for the probes
        elif word.startswith("--unset="):
            prefix.unset.append(word.partition("=")[2])
        elif word.startswith(("--chdir=", "--split-string=")):
            pass
        elif word == "--":
            return words[index + 1 :]
        elif not prefix.assign(word):
            break
        index += 1
    return words[index:]


def _options(tool: str, args: Sequence[str]) -> tuple[dict[str, str], bool, dict[str, str]]:
    """(settings, verify_ssl, the option that gave each setting) from a tool's options,
    `--opt value` and `--opt=value` alike; the last occurrence wins, as with argparse."""
    table = TOOL_OPTIONS.get(tool, {})
    settings: dict[str, str] = {}
    via: dict[str, str] = {}
    verify = True
    index = 0
    while index < len(args):
        word = args[index]
        name, equals, value = word.partition("=")
        if tool == "aws" and word == "--no-verify-ssl":
            verify = False
        elif name in table and equals and name.startswith("--"):
            settings[table[name]] = value
            via[table[name]] = name
        elif word in table and index + 1 < len(args):
            settings[table[word]] = args[index + 1]
            via[table[word]] = word
            index += 1
        index += 1
    return settings, verify, via


def read(words: Sequence[str]) -> CommandLine:
    """Read a command line: prefixes a shell would apply, the program, and its AWS options."""
    leading = _Prefix()
    rest = list(words)
    # `AWS_PROFILE=dev aws s3 ls`: words a shell would take as assignments, not as the program.
    while rest and leading.assign(rest[0]):
        rest.pop(0)
    argv = tuple(rest)
    env = _Prefix()
    while rest and _tool(rest[0]) == "env":
        rest = _env_command(rest, env)
    tool = _tool(rest[0]) if rest else None
    args = rest[1:]
    if tool is not None and _PYTHON.match(tool) and args[:2] == ["-m", "awscli"]:
        tool, args = "aws", args[2:]
    settings, verify, via = _options(tool, args) if tool else ({}, True, {})
    return CommandLine(
        argv=argv,
        words=tuple(words),
        assignments=dict(leading.assignments),
        env_assignments=dict(env.assignments),
        env_unset=tuple(env.unset),
        env_clear=env.clear,
        tool=tool if tool in _TOOL_TITLES else None,
        settings=settings,
        verify_ssl=verify,
        via=via,
    )
