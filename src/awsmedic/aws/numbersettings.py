"""Settings botocore reads as whole numbers, with where each value comes from.

botocore's config chain (botocore/configprovider.py BOTOCORE_DEFAUT_SESSION_VARIABLES) casts
`metadata_service_timeout`, `metadata_service_num_attempts` and `max_attempts` with `int()`:
the environment variable wins over the profile's key, and a value `int()` refuses (`0.5`, `1s`,
an empty variable) stops every command with "invalid literal for int() with base 10". The IMDS
defaults are one second and one attempt; `max_attempts` has none (the retry mode decides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from awsmedic.aws import sharedfiles
from awsmedic.context import Context

#: config-file key -> (environment variable, botocore's default)
NUMBER_SETTINGS: dict[str, tuple[str, int | None]] = {
    "metadata_service_timeout": ("AWS_METADATA_SERVICE_TIMEOUT", 1),
    "metadata_service_num_attempts": ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", 1),
    "max_attempts": ("AWS_MAX_ATTEMPTS", None),
}

#: The value Python quotes in its message: `invalid literal for int() with base 10: '0.5'`.
QUOTED = re.compile(r"invalid literal for int\(\) with base 10: '([^'\n]*)'")


@dataclass(frozen=True)
class NumberSetting:
    """One whole-number setting as botocore resolves it."""

    key: str  # the config-file key
    var: str  # the environment variable
    raw: str | None  # the value as written, None when neither place sets it
    where: str  # "the environment", "~/.aws/config line 3 [profile dev]", "botocore's default"
    default: int | None

    @property
    def value(self) -> int | None:
        """The number botocore uses: None when `int()` refuses the value (or nothing is set
        and there is no default)."""
        if self.raw is None:
            return self.default
        try:
            return int(self.raw)
        except ValueError:
            return None

    @property
    def refused(self) -> bool:
        return self.raw is not None and self.value is None

    @property
    def set_by_env(self) -> bool:
        return self.where == "the environment"

    def describe(self) -> str:
        """`AWS_METADATA_SERVICE_TIMEOUT=1 in the environment`, `max_attempts = 2.5 in
        ~/.aws/config line 3 [profile dev]`, or the default's words."""
        if self.raw is None:
            return f"the default: neither {self.var} nor {self.key} is set"
        shown = repr(self.raw) if self.refused else self.raw
        if self.set_by_env:
            return f"{self.var}={shown} in the environment"
        return f"{self.key} = {shown} in {self.where}"


def read(ctx: Context, profile: str) -> dict[str, NumberSetting]:
    """Each whole-number setting for `profile`: the variable first, then the profile's key."""
    files: sharedfiles.AwsFiles | None = None
    found: dict[str, NumberSetting] = {}
    for key, (var, default) in NUMBER_SETTINGS.items():
        if var in ctx.environ:
            found[key] = NumberSetting(key, var, ctx.environ[var], "the environment", default)
            continue
        files = files if files is not None else sharedfiles.load(ctx)
        setting = files.settings(profile).get(key)
        if setting is None:
            found[key] = NumberSetting(key, var, None, "botocore's default", default)
        else:
            found[key] = NumberSetting(key, var, setting.value, setting.where(ctx), default)
    return found


def quoted_values(text: str) -> set[str]:
    """The values Python's `int()` refused in `text`, as its message quotes them."""
    return {found.group(1) for found in QUOTED.finditer(text)}


def quoted_setting(ctx: Context, profile: str, text: str) -> NumberSetting | None:
    """The whole-number setting here whose refused value `text` quotes in Python's "invalid
    literal for int()" message: botocore read it, so the error is that setting's."""
    quoted = quoted_values(text)
    if not quoted:
        return None
    found = read(ctx, profile).values()
    return next((s for s in found if s.refused and s.raw in quoted), None)
