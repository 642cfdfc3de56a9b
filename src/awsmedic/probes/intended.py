"""sts.intended-identity: do the credentials the user probably meant work? (network, consent)

When environment keys shadow a profile, keys in the credentials file hide the config file's keys
of the same profile, or AWS_DEFAULT_PROFILE wins over AWS_PROFILE, the failing
command sent other keys than the user thinks. If the keys they meant authenticate, that is the
cause. This uses another profile's keys, so it is never prefetched and runs only with consent.
"""

from __future__ import annotations

from awsmedic.model import Evidence, Status, Unchecked
from awsmedic.probes import Consent, ProbeInput, not_checked, probe
from awsmedic.probes.chainwalk import ChainReport
from awsmedic.probes.keysource import profile_static_keys
from awsmedic.probes.partition import failing_region
from awsmedic.probes.stsregions import ask
from awsmedic.probes.world import Creds


def intended_credentials(run: ProbeInput, report: ChainReport) -> tuple[Creds | None, str]:
    """Static keys the user probably meant: shadowed by env keys or by the credentials file, or
    named by AWS_PROFILE."""
    sent = report.keys.key_id if report.keys else ""
    candidates = []
    if report.keys is not None and report.keys.method == "env" and report.profile_keys:
        candidates.append((report.profile_keys, f"profile '{report.profile}'"))
    if report.config_keys is not None:
        candidates.append((report.config_keys, f"profile '{report.profile}' in the config file"))
    if report.profile_vars is not None:
        named = report.profile_vars[1]
        session = run.world.new_session(None)
        if named in session.full_config.get("profiles", {}):
            keys = profile_static_keys(run.ctx, session, named).keys
            if keys is not None:
                candidates.append((keys, f"profile '{named}' (AWS_PROFILE)"))
    for keys, label in candidates:
        if keys.key_id != sent:
            return (keys.access_key, keys.secret_key, keys.token), f"{label}, {keys.location}"
    return None, ""


@probe(
    "sts.intended-identity",
    title="Identity of the credentials you probably meant (uses another profile's keys)",
    network=True,
    findings=("intended-works", "intended-rejected", "no-intended-credentials"),
    facts=(),
    consent=Consent.INTERACTIVE,
)
def intended_identity(run: ProbeInput) -> Evidence:
    """GetCallerIdentity with the keys that were shadowed; needs the user's consent."""
    report = run.world.chain()
    creds, label = intended_credentials(run, report)
    if creds is None:
        return Evidence(
            "sts.intended-identity",
            Status.SKIPPED,
            "no other static credentials that the command might have meant",
            ("no-intended-credentials",),
        )
    region = failing_region(run, report)
    answer = ask(run, creds, region.name if region else None)
    secrets = tuple(part for part in creds if part is not None)
    if answer.unreached:
        detail = f"the keys of {label}: {answer.description}"
        return not_checked("sts.intended-identity", Unchecked.UNREACHABLE, detail, secrets=secrets)
    if answer.ok:
        return Evidence(
            "sts.intended-identity",
            Status.OK,
            f"the keys of {label} work: {answer.identity['Arn']}",
            ("intended-works",),
            secrets=secrets,
        )
    return Evidence(
        "sts.intended-identity",
        Status.PROBLEM,
        f"the keys of {label} are refused too: {answer.description}",
        ("intended-rejected",),
        secrets=secrets,
    )
