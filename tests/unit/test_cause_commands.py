"""Rules every cause's commands must keep, checked over ALL causes (issue 14).

A step must never print a secret to the terminal, its scrollback or a CI log: a command whose
output holds a secret key, a session token or a password is only allowed when that output goes
into the environment or another program (`eval "$(…)"`, `read … < <(…)`, `| docker login
--password-stdin`), or is narrowed by `--query` to fields without secrets. Paths given to
AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE must be files: botocore reads a directory as an
empty file. And ~/.aws is never mounted read-only whole: role, SSO and `aws login` profiles
write caches under it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge

#: Commands whose standard output holds a secret (key, token or password).
SECRET_PRINTERS = re.compile(
    r"aws\s+sts\s+(?:assume-role(?:-with-saml|-with-web-identity)?|get-session-token"
    r"|get-federation-token)\b"
    r"|aws\s+sso\s+get-role-credentials\b"
    r"|aws\s+configure\s+export-credentials\b"
    r"|aws\s+configure\s+get\s+(?:aws_secret_access_key|aws_session_token|aws_security_token)\b"
    r"|aws\s+iam\s+create-access-key\b"
    r"|aws\s+ecr(?:-public)?\s+get-login-password\b"
    r"|aws\s+rds\s+generate-db-auth-token\b"
    r"|aws\s+ecr\s+get-authorization-token\b"
    r"|aws\s+codeartifact\s+get-authorization-token\b"
    r"|\bprintenv\s+AWS_(?:SECRET|SESSION|SECURITY)"
    r"|\becho\s+\"?\$\{?AWS_(?:SECRET|SESSION|SECURITY)"
    r"|\bcat\s+\S*(?:\.aws/credentials|credentials_file\})"
)
#: What may follow a secret-printing command and take its output out of sight.
_CONSUMERS = re.compile(
    r"\|\s*(?:Invoke-Expression|iex)\b|--password-stdin|\|\s*\{\s*read\b|\|\s*while\s+read\b",
    re.IGNORECASE,
)
_QUERY = re.compile(r"--query\s+(\"[^\"]*\"|'[^']*'|\S+)")
_SECRET_FIELD = re.compile(r"Secret|Token|Password|^[\"']?Credentials[\"']?$", re.IGNORECASE)


@cache
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def commands(markdown: str) -> list[str]:
    """The code spans and the lines of fenced code blocks of a piece of Markdown."""
    fenced = re.findall(r"```[^\n]*\n(.*?)```", markdown, re.DOTALL)
    rest = re.sub(r"```[^\n]*\n.*?```", "", markdown, flags=re.DOTALL)
    spans = re.findall(r"`([^`\n]+(?:\n[^`\n]+)*)`", rest)
    return [line for block in fenced for line in block.splitlines()] + spans


def prints_secret(command: str) -> str | None:
    """The secret-printing part of `command` whose output reaches the terminal, or None."""
    for found in SECRET_PRINTERS.finditer(command):
        before, after = command[: found.start()], command[found.end() :]
        if re.search(r"(?:\$|<)\(\s*$", before):  # "$(aws …)" or "< <(aws …)": captured
            continue
        if re.search(r"credential_process\s*=\s*$", before):  # a config value, not run here
            continue
        own = re.split(r"\s(?:&&|;|\|\|)\s", after, maxsplit=1)[0]  # up to the next command
        if _CONSUMERS.search(own):
            continue
        query = _QUERY.search(own)
        if query and not _SECRET_FIELD.search(query.group(1).strip("\"'")):
            continue
        if "env-no-export" not in own and "--format process" in own and before.strip():
            continue
        return found.group(0)
    return None


def env_filter_prints_secret(command: str) -> bool:
    """`env | grep PATTERN` (or PowerShell's Env:) that shows a secret variable's value."""
    grep = re.search(r"\benv\s*\|\s*grep\s+((?:-\w+\s+)*)(\"[^\"]*\"|'[^']*'|\S+)", command)
    if grep:
        pattern = grep.group(2).strip("\"'")
        shown = any(
            re.search(pattern, f"{name}=value", re.IGNORECASE if "i" in grep.group(1) else 0)
            for name in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
        )
        return shown and not re.search(r"\|\s*(?:cut\s+-d\s*=?\s*-f\s*1|cut -d= -f1)", command)
    ps = re.search(r"Get-ChildItem\s+Env:AWS_\*", command)
    return bool(ps) and "Select-Object Name" not in command


def test_the_rule_itself() -> None:
    """The detector flags what prints and lets through what captures (the issue's own cases)."""
    printed = [
        "aws sts assume-role --role-arn arn:aws:iam::1:role/r --role-session-name s",
        "aws sts get-session-token --serial-number x --token-code 123456",
        "aws configure export-credentials --profile dev --format env",
        "aws iam create-access-key --user-name bob",
        "aws ecr get-login-password --region eu-west-1",
        "aws sts get-session-token --query Credentials --output json",
    ]
    captured = [
        'eval "$(aws configure export-credentials --profile dev --format env)"',
        "aws configure export-credentials --profile dev --format powershell | Invoke-Expression",
        'read -r A B C < <(aws sts get-session-token --query "Credentials.[AccessKeyId]")',
        "aws ecr get-login-password --region r | docker login --username AWS --password-stdin h",
        'aws iam create-access-key --user-name b | { read -r id secret && aws configure set x "$id"; }',
        "aws sts assume-role --role-arn r --role-session-name s --query Credentials.Expiration",
        "credential_process = aws configure export-credentials --profile dev --format process",
    ]
    assert [c for c in printed if prints_secret(c) is None] == []
    assert [c for c in captured if prints_secret(c) is not None] == []
    assert env_filter_prints_secret("env | grep AWS_")
    assert not env_filter_prints_secret("env | grep '^AWS_' | cut -d= -f1")
    assert not env_filter_prints_secret("env | grep '^AWS_ENDPOINT_URL'")


def test_no_step_prints_a_secret_to_the_terminal() -> None:
    offenders = []
    for cause in knowledge().causes.values():
        for part, text in [
            ("why", cause.why),
            *((f"step {i}", s.text) for i, s in enumerate(cause.steps, 1)),
        ]:
            for command in commands(text):
                printed = prints_secret(command)
                if printed or env_filter_prints_secret(command):
                    offenders.append(f"{cause.id} {part}: {command}")
    assert offenders == []


def test_no_probe_suggests_a_command_that_prints_a_secret() -> None:
    """Probe details reach the screen too: the commands they quote follow the same rule."""
    source = Path(__file__).resolve().parents[2] / "src" / "awsmedic"
    offenders = []
    for module in sorted(source.rglob("*.py")):
        for command in re.findall(r"`([^`\n]+)`", module.read_text(encoding="utf-8")):
            if prints_secret(command):
                offenders.append(f"{module.name}: {command}")
    assert offenders == []


_FILE_VARS = re.compile(
    r"\b(AWS_CONFIG_FILE|AWS_SHARED_CREDENTIALS_FILE)=(\"[^\"]*\"|'[^']*'|[^\s`;&|]+)"
)


def test_the_file_variables_always_name_files() -> None:
    """botocore reads a directory given as AWS_CONFIG_FILE as an empty file, silently."""
    offenders = []
    for cause in knowledge().causes.values():
        for text in (cause.why, *(step.text for step in cause.steps)):
            for name, value in _FILE_VARS.findall(text):
                path = value.strip("\"'")
                if path in ("{credentials_file}", "{config_file}"):
                    continue  # the shared files botocore reads: files, never directories
                if path.endswith(("/", "\\", ".aws", "…")) or not re.search(
                    r"(?:^|[/\\])[\w.-]*(?:config|credentials)[\w.-]*$", path
                ):
                    offenders.append(f"{cause.id}: {name}={value}")
            # "point the two variables at `/mnt/c/Users/<user>/.aws/`": a directory again
            pointed = re.search(r"point (?:the two variables|AWS_\w+_FILE)", text)
            if pointed:
                after = text[pointed.end() :]
                offenders += [
                    f"{cause.id}: {span}"
                    for span in commands(after)
                    if re.fullmatch(r"\S*(?:\.aws|[/\\])", span)
                ]
    assert offenders == []


def test_the_aws_directory_is_never_mounted_read_only() -> None:
    """Role, SSO and `aws login` profiles write ~/.aws/cli/cache, sso/cache and login/cache."""
    whole_dir_ro = re.compile(r"\.aws/?:[^\s\"']*\.aws/?:ro\b")
    offenders = [
        f"{cause.id}: {command}"
        for cause in knowledge().causes.values()
        for text in (cause.why, *(step.text for step in cause.steps))
        for command in commands(text)
        if whole_dir_ro.search(command)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("cause", "claim", "why"),
    [
        (
            "stale-session-token",
            r"never removes an existing\s+`aws_session_token`",
            "AWS CLI v2 2.30.3+ `aws configure` deletes it for a new non-ASIA key id"
            " (awscli/customizations/configure/configure.py, _run_main)",
        ),
        (
            "sts-regional-endpoint-deactivated",
            r"add `--region us-east-1` to the command",
            "--region moves the whole command and its resources, not only the STS call",
        ),
        (
            "mfa-required",
            r"renew an MFA\s+session by itself \(`RefreshWithMFAUnsupportedError`\)",
            "RefreshWithMFAUnsupportedError comes from role profiles with mfa_serial; a"
            " GetSessionToken session is never refreshed and ends in ExpiredToken",
        ),
        (
            "assume-role-denied",
            r"same \"is not authorized to perform: sts:AssumeRole\" message in all",
            "refusals of sts:TagSession and sts:SetSourceIdentity name those actions",
        ),
        (
            "invalid-region",
            r"Only names with invalid\s+characters, such as a space",
            "an underscore is an invalid character too: `us_east_1` raises InvalidRegionError",
        ),
    ],
)
def test_claims_found_false_stay_out(cause: str, claim: str, why: str) -> None:
    found = knowledge().causes[cause]
    text = found.why + "\n" + "\n".join(step.text for step in found.steps)
    assert not re.search(claim, text), why


def test_a_longer_session_asks_for_more_than_the_default() -> None:
    """duration_seconds = 3600 is the AssumeRole default: asking for it changes nothing."""
    cause = knowledge().causes["expired-temporary-credentials"]
    texts = [step.text for step in cause.steps]
    asked = [int(n) for text in texts for n in re.findall(r"duration_seconds = (\d+)", text)]
    assert asked and all(3600 < seconds <= 43200 for seconds in asked)
    assert any("role chaining" in text and "1 hour" in text for text in texts)
