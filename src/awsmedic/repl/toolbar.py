"""The bottom toolbar: the profile and region in use and, once known, the identity (masked).

Until the probes run it reads only the command line, the environment and the config file's
region line (no botocore: the prompt must come up at once); then the probes' facts win.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from awsmedic.context import Context
from awsmedic.model import Fact

_ACCOUNT = re.compile(r"(?<![0-9])[0-9]{8}([0-9]{4})(?![0-9])")


def mask_account(text: str) -> str:
    """Account ids show their last 4 digits, like key ids do."""
    return _ACCOUNT.sub(lambda m: "********" + m.group(1), text)


def selected_profile(ctx: Context) -> str:
    # botocore reads AWS_DEFAULT_PROFILE before AWS_PROFILE (configprovider.py).
    return ctx.profile or ctx.env("AWS_DEFAULT_PROFILE") or ctx.env("AWS_PROFILE") or "default"


def configured_region(ctx: Context, profile: str) -> str | None:
    if ctx.region or ctx.env("AWS_DEFAULT_REGION"):
        return ctx.region or ctx.env("AWS_DEFAULT_REGION")
    from awsmedic.aws import inifile

    config = ctx.env("AWS_CONFIG_FILE") or (str(ctx.home / ".aws" / "config") if ctx.home else "")
    if not config:
        return None
    try:
        parsed = inifile.scan(Path(config).expanduser())
    except OSError:
        return None
    wanted = "default" if profile == "default" else f"profile {profile}"
    section = parsed.section(wanted)
    entry = section.get("region") if section is not None else None
    return entry.value if entry is not None else None


class Toolbar:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.profile = selected_profile(ctx)
        self.region = configured_region(ctx, self.profile)
        self.facts: dict[str, Fact] = {}

    def learn(self, facts: Mapping[str, Fact]) -> None:
        self.facts.update(facts)

    def forget(self) -> None:
        self.facts = {}

    def line(self, width: int) -> str:
        """One line that fits `width`; what comes first matters most."""
        facts = self.facts
        profile = facts["profile"].value if "profile" in facts else self.profile
        region = facts["region"].value if "region" in facts else self.region
        parts = [f"profile {profile}", f"region {region or '(none)'}"]
        if "arn" in facts:
            parts.append(mask_account(facts["arn"].value))
        elif "access_key_id" in facts:
            parts.append(f"key {facts['access_key_id'].value}")
        if self.ctx.offline:
            parts.append("offline")
        line = " " + " · ".join(parts)
        if len(line) > width - 1:
            line = line[: max(0, width - 2)] + "…"
        return line
