"""identity.compare: who the failing request ran as, who this machine is, and who was meant.

The principal in an access-denied message is the identity AWS refused. sts:GetCallerIdentity for
the selected profile says who this machine's configuration is now; the other configured profiles
(their role ARNs, SSO accounts and the accounts decoded from their key ids) say who else it could
have been. Together they catch "valid credentials, wrong identity".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from awsmedic.aws import denial, keyids
from awsmedic.model import Evidence, Fact, Secret, SecretKind, Status, Unchecked
from awsmedic.probes import ProbeInput, not_checked, probe
from awsmedic.probes.sts import UNREACHABLE, classify

_ACCOUNT = re.compile(r"^arn:aws[\w-]*:[^:]*:[^:]*:(\d{12}):")
_WORRYING = frozenset(
    {
        "profile-selectors-disagree",
        "source-rejected",
        "principal-not-caller",
        "other-profile-in-resource-account",
    }
)
_IDENTITY_KEYS = (
    "role_arn",
    "sso_account_id",
    "sso_role_name",
    "aws_access_key_id",
    "credential_process",
    "web_identity_token_file",
    "login_session",
)


@dataclass
class Who:
    caller: str = ""
    caller_error: str = ""
    source: str = ""
    source_error: str = ""
    unreached: str = ""  # why AWS could not be asked (a connection error, a timeout)
    steps: list[tuple[str, str]] = field(default_factory=list)  # (finding or "", line)
    secrets: list[Secret] = field(default_factory=list)

    def add(self, finding: str, line: str) -> None:
        self.steps.append((finding, line))

    @property
    def findings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(finding for finding, _ in self.steps if finding))


def configured_profiles(run: ProbeInput) -> Mapping[str, Mapping[str, str]]:
    """Every profile of both files, as botocore merges them; empty when they cannot be read
    (the chain probe reports why)."""
    try:
        return run.world.profiles()
    except Exception:
        return {}


def account_of(arn: str) -> str:
    found = _ACCOUNT.match(arn)
    return found.group(1) if found else ""


def same_identity(first: str, second: str) -> bool:
    """Same user or role: role sessions compare by role; masked accounts (`***`) match any."""

    def parts(arn: str) -> tuple[str, str]:
        arn = denial.role_of_session(arn)
        found = re.match(r"^arn:aws[\w-]*:(?:iam|sts)::([^:]*):(.+)$", arn)
        return (found.group(1), found.group(2).lower()) if found else ("", arn.lower())

    (acct1, name1), (acct2, name2) = parts(first), parts(second)
    accounts_agree = acct1 == acct2 or not acct1.isdigit() or not acct2.isdigit()
    return accounts_agree and name1 == name2


def _sts_arn(run: ProbeInput, creds: Any, who: Who) -> tuple[str, str]:
    """The ARN, or why there is none; a call AWS never answered is noted in `who.unreached`
    and gives neither (it is not a refusal)."""
    try:
        region = run.ctx.region or run.world.session().get_config_variable("region")
        client = run.world.client("sts", region, creds)
        return str(client.get_caller_identity()["Arn"]), ""
    except Exception as exc:
        finding, description = classify(exc)
        if finding in UNREACHABLE:
            who.unreached = description
            return "", ""
        return "", description


def _ask_aws(run: ProbeInput, who: Who) -> None:
    report = run.world.chain()
    winner = report.winner.method if report.winner else ""
    keys = report.keys
    creds = (keys.access_key, keys.secret_key, keys.token) if keys else None
    if winner == "assume-role":
        if creds is not None:
            who.source, who.source_error = _sts_arn(run, creds, who)
            if who.source_error:
                who.add("source-rejected", f"the source credentials fail: {who.source_error}")
            elif who.source:
                who.add("source-identity-ok", f"the source credentials work: {who.source}")
        profiles = configured_profiles(run)
        if any("mfa_serial" in profiles.get(hop.profile, {}) for hop in report.role_hops):
            who.add("", "not assuming the role here: it would ask for an MFA code")
            return
        creds = None  # let botocore assume the role, as the failing command did
    who.caller, who.caller_error = _sts_arn(run, creds, who)
    if who.caller_error:
        who.add("caller-rejected", f"GetCallerIdentity for this profile fails: {who.caller_error}")


def _other_identities(run: ProbeInput, who: Who) -> dict[str, set[str]]:
    """Profile -> the accounts it can act in (empty set: it has credentials, account unknown)."""
    report = run.world.chain()
    profiles = configured_profiles(run)
    others: dict[str, set[str]] = {}
    for name, config in profiles.items():
        if name == report.profile or not any(key in config for key in _IDENTITY_KEYS):
            continue
        others[name] = _accounts(config, who)
    env_key = run.ctx.env("AWS_ACCESS_KEY_ID")
    if env_key and report.winner is not None and report.winner.method != "env":
        who.secrets.append(Secret(env_key, SecretKind.ACCESS_KEY_ID))
        others["(environment variables)"] = {a for a in [keyids.decode_account(env_key)] if a}
    return others


def _accounts(config: Mapping[str, str], who: Who) -> set[str]:
    accounts = {account_of(config.get("role_arn", "")), config.get("sso_account_id", "")}
    key = config.get("aws_access_key_id", "")
    if key:
        who.secrets.append(Secret(key, SecretKind.ACCESS_KEY_ID))
        accounts.add(keyids.decode_account(key.strip()) or "")
    return {account for account in accounts if account}


def _selectors(run: ProbeInput, who: Who) -> None:
    env_profile, default_profile = run.ctx.env("AWS_PROFILE"), run.ctx.env("AWS_DEFAULT_PROFILE")
    if (
        run.ctx.profile is None
        and env_profile
        and default_profile
        and env_profile != default_profile
    ):
        who.add(
            "profile-selectors-disagree",
            f"AWS_PROFILE={env_profile} and AWS_DEFAULT_PROFILE={default_profile} are both set:"
            f" AWS CLI v2 uses '{env_profile}', while boto3, botocore and AWS CLI v1 use"
            f" '{default_profile}'",
        )


def _compare(said: denial.Denial, who: Who, others: Mapping[str, set[str]]) -> None:
    me = who.caller or who.source
    if said.principal and said.principal != "anonymous" and me:
        if same_identity(said.principal, who.caller or "-") or same_identity(
            said.principal, who.source or "-"
        ):
            who.add("principal-is-caller", f"the error names this profile's identity, {me}")
        else:
            who.add(
                "principal-not-caller",
                f"the error names {said.principal}, but this profile is {me}: the failing command"
                " ran with other credentials (another profile, shell, container or CI job)",
            )
    resource_account = account_of(said.resource)
    my_account = account_of(denial.role_of_session(me)) if me else ""
    if resource_account and my_account and resource_account != my_account:
        owners = sorted(name for name, accounts in others.items() if resource_account in accounts)
        if owners:
            who.add(
                "other-profile-in-resource-account",
                f"the resource is in account {resource_account}, this profile is in {my_account};"
                f" profile {', '.join(repr(o) for o in owners)} belongs to {resource_account}",
            )
    if not others:
        who.add("no-other-identity", "no other profile or credentials are configured here")


@probe(
    "identity.compare",
    title="Who the request ran as, and who was meant",
    network=True,
    findings=(
        "profile-selectors-disagree",
        "source-identity-ok",
        "source-rejected",
        "caller-rejected",
        "principal-is-caller",
        "principal-not-caller",
        "other-profile-in-resource-account",
        "no-other-identity",
    ),
    facts=("profile", "arn", "account_id", "principal"),
)
def compare_identity(run: ProbeInput) -> Evidence:
    """The refused principal vs sts:GetCallerIdentity here vs the other configured identities."""
    facts = run.recognition.facts if run.recognition else {}
    said = denial.parse(
        run.text,
        facts["operation"].value if "operation" in facts else "",
        facts["service"].value if "service" in facts else "",
    )
    who = Who()
    _selectors(run, who)
    _ask_aws(run, who)
    others = _other_identities(run, who)
    _compare(said, who, others)
    if others:
        listed = ", ".join(
            f"{n} ({'/'.join(sorted(a)) or 'account unknown'})" for n, a in others.items()
        )
        who.add("", f"other identities configured here: {listed}")
    problem = [line for finding, line in who.steps if finding in _WORRYING]
    if who.unreached and not who.findings:
        secrets = (*run.world.chain().secrets(), *who.secrets)
        return not_checked(
            "identity.compare", Unchecked.UNREACHABLE, who.unreached, (), None, _lines(who), secrets
        )
    if who.unreached:
        who.add("", f"AWS could not be reached from here: {who.unreached}")
    return Evidence(
        "identity.compare",
        Status.PROBLEM if problem else Status.OK,
        problem[0] if problem else _summary(who),
        who.findings,
        _facts(run, who, said),
        _lines(who),
        (*run.world.chain().secrets(), *who.secrets),
    )


def _lines(who: Who) -> tuple[str, ...]:
    return tuple(line for _, line in who.steps)


def _facts(run: ProbeInput, who: Who, said: denial.Denial) -> dict[str, Fact]:
    report = run.world.chain()
    out = {"profile": Fact(report.profile, report.profile_source)}
    if who.caller:
        account = account_of(denial.role_of_session(who.caller))
        out["arn"] = Fact(who.caller, "sts:GetCallerIdentity")
        out["account_id"] = Fact(account, "sts:GetCallerIdentity")
    if said.principal:
        out["principal"] = Fact(said.principal, "the error text")
    return out


def _summary(who: Who) -> str:
    me = who.caller or who.source
    if me:
        return f"this profile is {me}"
    return who.steps[0][1] if who.steps else "no identity was established"
