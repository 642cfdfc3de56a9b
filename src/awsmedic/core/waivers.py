"""Look-alikes this machine's own set-up contradicts.

A look-alike (`lookalikes.toml`) is text that reads like an AWS error but names no AWS tool:
Python's bare "invalid literal for int() with base 10: 'abc'" is any program's number it could
not read. Yet the AWS CLI v1 prints exactly that, and nothing else, when botocore cannot read a
whole-number setting (`AWS_MAX_ATTEMPTS=abc`). When the value the message quotes is what such a
setting holds here, in the environment or the selected profile, the text is that setting's
error: local evidence (the files and variables, no network), so it holds under `--offline`;
with `--no-probes` the text alone decides and the look-alike stands.
"""

from __future__ import annotations

from collections.abc import Callable

from awsmedic.aws import numbersettings, sharedfiles
from awsmedic.context import Context


def _number_setting_quoted(ctx: Context, text: str) -> bool:
    profile = sharedfiles.selected_profile(ctx, text).name
    return numbersettings.quoted_setting(ctx, profile, text) is not None


#: Look-alike id -> the local evidence that the text is an AWS tool's after all.
WAIVERS: dict[str, Callable[[Context, str], bool]] = {
    "python-int-parse": _number_setting_quoted,
}


def waiver(ctx: Context) -> Callable[[str, str], bool] | None:
    """For `Matcher.recognise`: whether this set-up contradicts a look-alike found in a text;
    None where no probe may read the set-up (`--no-probes`)."""
    if not ctx.probes_enabled:
        return None

    def waived(lookalike: str, text: str) -> bool:
        check = WAIVERS.get(lookalike)
        return check is not None and check(ctx, text)

    return waived
