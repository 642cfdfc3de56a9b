"""The probes run as the pasted command ran: its profile and region, when the paste shows them.

`aws s3 ls --profile dev` above an error says which profile failed; checking `default` instead
would diagnose a profile the command never used. So when awsmedic was given no `--profile` (or
`--region`) of its own, the failing command's line decides, read as a shell and the tool would
(`core.pastes`, `aws.cmdline`): a tool's option selects a profile as `--profile` does (the AWS
CLI then ignores environment keys); `AWS_PROFILE=dev cmd` and `export AWS_PROFILE=dev` select it
as the variable does (environment keys still win). Both beat an AWS_PROFILE of awsmedic's own
environment, as they beat the shell's for the command.

A profile this machine's shared files do not define is not taken: the paste may come from
another machine, or the missing profile is the error itself (profile-not-found reads it from
the text). creds.chain says which profile the paste names and that it is not defined here.

Terraform takes no such option: its AWS provider block chooses (probes.tfprovider). Where the
block in the working directory names a profile or region literally, they are taken first, since
the provider's own settings win over AWS_PROFILE and AWS_REGION, prefixes of the command or not.

The endpoint (`--endpoint-url`) is not taken: the probes would send signed requests to a URL
that came from pasted text. It stays a text fact (the endpoint-override cause reads it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from awsmedic.context import Context
from awsmedic.model import Fact, Recognition

#: How evidence names where an adopted setting came from: "--profile in the pasted command line".
PASTED = "in the pasted command line"


@dataclass(frozen=True)
class Adoption:
    """The context the probes run in, what it took from the paste, and a profile it did not."""

    ctx: Context
    taken: dict[str, Fact] = field(default_factory=dict)
    not_here: str | None = None  # a profile the command named that is not defined here


def source(via: str, where: str = PASTED) -> str:
    """`--profile in the pasted command line`; `the pasted command line` without an option."""
    return f"{via} {where}" if via else where.removeprefix("in ")


#: The variables that select a profile as the environment does.
_PROFILE_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")


def _unread_variable(ctx: Context, tool: str | None, profile: Fact) -> str | None:
    """Why a profile variable of the pasted command line did not select the profile, when it
    did not: botocore (boto3, AWS CLI v1) reads AWS_DEFAULT_PROFILE before AWS_PROFILE, so an
    `export AWS_PROFILE=prod` leaves a stale AWS_DEFAULT_PROFILE of the shell in charge; the
    JavaScript SDK v3 reads AWS_PROFILE only."""
    from awsmedic.aws import sharedfiles
    from awsmedic.safety.shellquote import POSIX, quote

    if tool == "aws-cli":
        # which CLI ran is not known here: v1 reads AWS_DEFAULT_PROFILE first, v2 AWS_PROFILE
        # (the one most installed now), so the pasted variable stands, and the chain's
        # disagreement finding names both (chainwalk.profile_vars)
        return None
    order = ctx.profile_variables
    pasted = profile.location
    readers = sharedfiles.profile_readers(tool)
    said = f"{pasted}={quote(profile.value, POSIX)} {PASTED}"
    if pasted not in order:
        return f"{said} is not read by {readers}, which reads {' and '.join(order)} only"
    for var in order[: order.index(pasted)]:
        value = ctx.env(var)
        if value is not None and value != profile.value:
            return (
                f"{said} does not select the profile: {readers} read {var} first, and"
                f" {var}={quote(value, POSIX)} is set in awsmedic's environment"
                " (the shell's, if the command ran in it)"
            )
    return None


def adopt(ctx: Context, recognition: Recognition, text: str = "") -> Adoption:
    """`ctx` with the failing command's profile and region, where the paste (or, for
    Terraform, its provider block) shows them and awsmedic's own options do not set them."""
    from awsmedic.aws import sharedfiles
    from awsmedic.probes.tfprovider import provider_settings
    from awsmedic.safety.shellquote import POSIX, quote

    command = recognition.command
    taken: dict[str, Fact] = {}
    not_here = None
    provider = provider_settings(ctx, recognition.tool, text)
    notes = list(provider.notes)
    profile = command.get("profile")
    # What the provider's profile overrides: a prefix `awsmedic run` read, or the paste's.
    overridden = (
        (ctx.profile, ctx.profile_source)
        if ctx.profile is not None
        else (profile.value, source(profile.location))
        if profile is not None
        else None
    )
    if provider.profile is not None:
        ctx = replace(
            ctx,
            profile=provider.profile.value,
            profile_source=provider.profile.source,
            profile_explicit=True,  # a programmatic profile: environment keys are not used
        )
        taken["profile"] = provider.profile
        if overridden is not None and overridden[0] != provider.profile.value:
            notes.append(
                f"profile {quote(overridden[0], POSIX)} ({overridden[1]}) is not what Terraform"
                f" used: {provider.profile.source} selects a profile of its own"
            )
    if provider.region is not None:
        ctx = replace(ctx, region=provider.region.value, region_source=provider.region.source)
        taken["region"] = provider.region
    if notes:
        ctx = replace(ctx, setting_notes=(*ctx.setting_notes, *notes))
    variables = sharedfiles.profile_variables(recognition.tool)
    if variables != ctx.profile_variables:
        ctx = replace(ctx, profile_variables=variables)
    if ctx.profile is None and profile is not None and profile.location in _PROFILE_VARIABLES:
        unread = _unread_variable(ctx, recognition.tool, profile)
        if unread is not None:
            # The tool reads another variable first (or not this one at all): the command ran
            # with this one in its environment, and the tool's own order decides.
            environ = {**ctx.environ, profile.location: profile.value}
            ctx = replace(ctx, environ=environ, setting_notes=(*ctx.setting_notes, unread))
            profile = None
    if ctx.profile is None and profile is not None:
        if profile.value in sharedfiles.load(ctx).profiles:
            origin = source(profile.location)
            ctx = replace(
                ctx,
                profile=profile.value,
                profile_source=origin,
                profile_explicit=not profile.location.startswith("AWS_"),
            )
            taken["profile"] = Fact(profile.value, origin)
        else:
            not_here = profile.value
    region = command.get("region")
    if ctx.region is None and region is not None:
        origin = source(region.location)
        ctx = replace(ctx, region=region.value, region_source=origin)
        taken["region"] = Fact(region.value, origin)
    return Adoption(ctx, taken, not_here)
