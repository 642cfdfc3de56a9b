"""For each kind of machine, shell and tool, the steps of the shipped causes show only what
applies there: no PowerShell on Linux, no `timedatectl` in a container or on Windows, no EKS
steps for a GitHub Actions log."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.aws import hostenv
from awsmedic.context import Context
from awsmedic.core.remedy import diagnose, host_facts
from awsmedic.core.situation import Situation
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.model import Confidence, Fact, Step

#: A fake machine: the files under / that tell its kind, and sys.platform.
MACHINES = {
    "linux": ({}, "linux"),
    "container": ({".dockerenv": ""}, "linux"),
    "wsl": ({"proc/sys/kernel/osrelease": "5.15.153.1-microsoft-standard-WSL2"}, "linux"),
    "windows": ({}, "win32"),
    "macos": ({}, "darwin"),
}


def machine_facts(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Fact]:
    files, platform = MACHINES[name]
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.setattr(hostenv, "ROOT", tmp_path)
    ctx = Context(environ={}, home=tmp_path, platform=platform)
    host = hostenv.detect({}, platform, tmp_path)
    return {
        **host_facts(ctx),
        "clock_fix": Fact(host.command),
        "host": Fact(host.title),
        "profile": Fact("dev"),
    }


def steps(cause_id: str, facts: dict[str, Fact], tool: str | None = None) -> tuple[Step, ...]:
    knowledge = load_checked([shipped_dir()])
    cause = knowledge.causes[cause_id]
    # As in a diagnosis: every text signal is looked for, and absent from an empty paste.
    situation = Situation(facts=facts, tool=tool, cli="v2", signals=frozenset(knowledge.signals))
    return diagnose(cause, Confidence.LIKELY, [], facts, situation).steps


def steps_text(cause_id: str, facts: dict[str, Fact], tool: str | None = None) -> str:
    return "\n".join(step.text for step in steps(cause_id, facts, tool))


CLOCK = {
    "linux": (
        ["timedatectl status", "date -u", "set-local-rtc"],
        ["w32tm", "sntp", "hwclock", "docker run"],
    ),
    "container": (
        ["A container cannot set its clock", "timedatectl status"],
        ["Resync this machine's clock", "w32tm", "sntp", "hwclock", "set-local-rtc"],
    ),
    "wsl": (
        ["sudo hwclock -s", "wsl --shutdown"],
        ["w32tm", "sntp", "docker run", "set-local-rtc"],
    ),
    "windows": (["w32tm /resync"], ["timedatectl", "date -u", "sntp", "hwclock", "chronyc"]),
    "macos": (
        ["sudo sntp -sS time.apple.com", "date -u"],
        ["timedatectl", "w32tm", "hwclock", "chronyc"],
    ),
}


@pytest.mark.parametrize("machine", CLOCK)
def test_the_clock_steps_are_for_this_machine_only(
    machine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = steps_text("clock-skew", machine_facts(machine, tmp_path, monkeypatch))
    present, absent = CLOCK[machine]
    for words in present:
        assert words in text, (machine, words)
    for words in absent:
        assert words not in text, (machine, words)


@pytest.mark.parametrize(
    "cause",
    ["stale-session-token", "env-overrides-profile", "expired-temporary-credentials", "no-region"],
)
@pytest.mark.parametrize("machine", ["linux", "macos", "windows"])
def test_one_shell_per_machine(
    cause: str, machine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = steps(cause, machine_facts(machine, tmp_path, monkeypatch))
    commands = [command for step in shown for command in step.commands]
    powershell = any(c.startswith(("Remove-Item", "$Env:", "[Environment]")) for c in commands)
    posix = any(c.startswith(("unset ", "export ", "eval ")) for c in commands)
    assert (powershell, posix) == ((True, False) if machine == "windows" else (False, True))


@pytest.mark.parametrize(
    ("tool", "present", "absent"),
    [
        (
            "github-actions",
            ["id-token: write", "token.actions.githubusercontent.com"],
            ["kubectl", "EKS"],
        ),
        (
            "kubectl-eks",
            ["kubectl annotate serviceaccount", "system:serviceaccount"],
            ["id-token: write", "githubusercontent"],
        ),
    ],
)
def test_ci_and_kubernetes_steps_follow_the_tool(
    tool: str,
    present: list[str],
    absent: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = steps_text("web-identity-failure", machine_facts("linux", tmp_path, monkeypatch), tool)
    for words in present:
        assert words in text, words
    for words in absent:
        assert words not in text, words


@pytest.mark.parametrize(
    ("text", "first", "absent"),
    [
        # an EKS cluster's issuer: its provider is made with eksctl, and nothing of GitHub's shows
        (
            "An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity"
            " operation: No OpenIDConnect provider found in your account for"
            " https://oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789",
            "eksctl utils associate-iam-oidc-provider --cluster",
            ["create-open-id-connect-provider", "id-token: write", "githubusercontent"],
        ),
        # GitHub's issuer, in the credential action's words
        (
            "Error: Could not assume role with OIDC: No OpenIDConnect provider found in your account"
            " for https://token.actions.githubusercontent.com",
            "aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com",
            ["eksctl", "kubectl annotate"],
        ),
        # a refusal by the trust policy: no provider is to be made; its policy is read first
        (
            "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the"
            " AssumeRoleWithWebIdentity operation: Not authorized to perform"
            " sts:AssumeRoleWithWebIdentity",
            "aws iam get-role --role-name",
            ["create-open-id-connect-provider", "associate-iam-oidc-provider"],
        ),
    ],
)
def test_the_oidc_provider_step_follows_the_issuer_the_error_names(
    capsys: pytest.CaptureFixture[str], text: str, first: str, absent: list[str]
) -> None:
    import json

    from awsmedic.cli import main

    main(["diagnose", "--offline", "--no-input", "--format", "json", text])
    output = json.loads(capsys.readouterr().out)
    assert output["diagnosis"]["cause"] == "web-identity-failure"
    commands = [command for step in output["steps"] for command in step["commands"]]
    assert commands[0].startswith(first), commands
    shown = json.dumps(output["steps"])
    for words in absent:
        assert words not in shown, words


def test_a_saml_refusal_starts_with_what_iam_has_not_with_one_tool(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The first command works whatever tool signed in (saml2aws, aws-adfs, gimme-aws-creds, the
    console): saml2aws's own listing is named, not led with."""
    import json

    from awsmedic.cli import main

    text = (
        "An error occurred (AccessDenied) when calling the AssumeRoleWithSAML operation: Not"
        " authorized to perform sts:AssumeRoleWithSAML"
    )
    main(["diagnose", "--offline", "--no-input", "--format", "json", text])
    output = json.loads(capsys.readouterr().out)
    assert output["diagnosis"]["cause"] == "saml-assume-denied"
    assert output["steps"][0]["commands"][0] == "aws iam list-saml-providers"


@pytest.mark.parametrize(
    ("tool", "wanted", "unwanted"),
    [
        (
            "amplify-mobile",
            ["amplifyconfiguration.json", "amplify_outputs.dart"],
            ["aws-exports.js"],
        ),
        ("amplify-js", ["aws-exports.js"], ["amplifyconfiguration.json"]),
        ("boto3", ["aws configure set region"], ["Amplify"]),
    ],
)
def test_an_apps_region_is_set_where_its_amplify_reads_it(
    tool: str,
    wanted: list[str],
    unwanted: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An Amplify app (JavaScript, or Flutter, Swift and Android) reads its region from its own
    configuration, never from ~/.aws: no `aws configure` step for it, and each its own files."""
    shown = steps_text("no-region", machine_facts("linux", tmp_path, monkeypatch), tool)
    assert all(text in shown for text in wanted), shown
    assert not any(text in shown for text in unwanted), shown
    if tool.startswith("amplify"):
        assert "aws configure" not in shown
