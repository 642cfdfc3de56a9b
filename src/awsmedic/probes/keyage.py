"""iam.key-age: how old the access key in use is, asked with that key itself (network).

iam:ListAccessKeys without a user name lists the caller's own keys with their creation dates.
It needs that permission on oneself, which many users have (AWS's self-service key rotation
policy grants it) and many do not: then the age stays unknown, which is not a problem. Keys
older than 90 days are noted: AWS recommends rotating them (Security Hub control IAM.3).
"""

from __future__ import annotations

from datetime import datetime

from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe
from awsmedic.probes.sts import classify

ROTATE_AFTER_DAYS = 90


@probe(
    "iam.key-age",
    title="Age of the access key (iam:ListAccessKeys, as its own user)",
    network=True,
    findings=("no-long-term-key", "key-age-known", "key-age-old", "key-age-unknown"),
    facts=("key_age", "key_created"),
)
def key_age(run: ProbeInput) -> Evidence:
    """The creation date of the long-term key in use, from the key's own user (read-only)."""
    report = run.world.chain()
    keys = report.keys
    if keys is None and report.keys_unchecked:
        return Evidence("iam.key-age", Status.SKIPPED, report.keys_unchecked)
    if keys is None or not keys.key_id.strip().startswith("AKIA"):
        summary = "no long-term access key in use (temporary keys have an expiry, not an age)"
        return Evidence("iam.key-age", Status.SKIPPED, summary, ("no-long-term-key",))
    region = run.ctx.region or run.world.config_variable("region")
    client = run.world.client("iam", region, (keys.access_key, keys.secret_key, keys.token))
    try:
        listing = client.list_access_keys()["AccessKeyMetadata"]
    except Exception as exc:
        _, description = classify(exc)
        summary = f"key age unknown: iam:ListAccessKeys was refused ({description})"
        return Evidence("iam.key-age", Status.SKIPPED, summary, ("key-age-unknown",))
    mine = next((k for k in listing if k.get("AccessKeyId") == keys.key_id.strip()), None)
    created = mine.get("CreateDate") if mine else None
    if not isinstance(created, datetime):
        summary = "key age unknown: the key is not in its user's list"
        return Evidence("iam.key-age", Status.SKIPPED, summary, ("key-age-unknown",))
    days = (run.ctx.now() - created).days
    masked = keys.access_key.masked()
    old = days > ROTATE_AFTER_DAYS
    summary = f"{masked} was created {days} days ago ({created:%Y-%m-%d})" + (
        f"; AWS recommends rotating keys every {ROTATE_AFTER_DAYS} days" if old else ""
    )
    facts = {
        "key_age": Fact(f"{days} days", "iam:ListAccessKeys"),
        "key_created": Fact(f"{created:%Y-%m-%d}", "iam:ListAccessKeys"),
    }
    findings = ("key-age-known", "key-age-old") if old else ("key-age-known",)
    return Evidence("iam.key-age", Status.OK, summary, findings, facts)
