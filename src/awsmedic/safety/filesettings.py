"""The files botocore reads on its own, checked before a botocore session may read them.

botocore reads some files whole, with no limit and no check of what they are: the CA bundle
(`AWS_CA_BUNDLE`, `ca_bundle`: OpenSSL reads it on every connection), the web identity token
file (`AWS_WEB_IDENTITY_TOKEN_FILE`, `web_identity_token_file`) and the container authorization
token file (`AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`). A setting that names /dev/zero or
/dev/urandom makes it read until memory runs out; a FIFO makes it wait forever; a file of 100 MB
costs that much memory. So each file is checked first (a regular file, of a sane size) and a
session whose settings name such a file is never built (`guard`); the error, and a note when
awsmedic starts, say which setting names what. The shared config and credentials files are
checked by size in `secretscan` (botocore itself skips one that is not a regular file).

The settings checked are the environment's and those of the session's profile and its
source_profile chain, the ones botocore would follow for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from awsmedic.aws import bounded, sharedfiles
from awsmedic.context import Context
from awsmedic.model import Record

#: Real CA bundles are a few hundred KB (botocore's own), a corporate one a few MB.
CA_BUNDLE_BYTES = 16 * bounded.MB
#: Tokens are a few KB.
TOKEN_BYTES = bounded.SMALL_FILE_BYTES
_ENV = (
    ("AWS_CA_BUNDLE", CA_BUNDLE_BYTES),
    ("AWS_WEB_IDENTITY_TOKEN_FILE", TOKEN_BYTES),
    ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", TOKEN_BYTES),
)
_PROFILE = (("ca_bundle", CA_BUNDLE_BYTES), ("web_identity_token_file", TOKEN_BYTES))
_MAX_HOPS = 10


@dataclass(frozen=True, repr=False, eq=False)
class FileSetting(Record):
    """A setting that names a file botocore reads on its own, and the size it may read."""

    name: str  # AWS_CA_BUNDLE, or `ca_bundle` of profile 'dev' (~/.aws/config line 3)
    value: str
    limit: int


def file_settings(ctx: Context, profile: str | None = None) -> list[FileSetting]:
    """Every file setting botocore may read for `profile` (None: the one it selects)."""
    found = [FileSetting(var, value, limit) for var, limit in _ENV if (value := ctx.env(var))]
    if profile is None:
        profile = sharedfiles.profile_selection(ctx)[0]
    files = sharedfiles.load(ctx)
    seen: set[str] = set()
    for _ in range(_MAX_HOPS):
        if profile in seen:
            break
        seen.add(profile)
        settings = files.settings(profile)
        for key, limit in _PROFILE:
            setting = settings.get(key)
            if setting is not None and setting.value:
                where = f"`{key}` of profile '{profile}' ({setting.where(ctx)})"
                found.append(FileSetting(where, setting.value, limit))
        source = settings.get("source_profile")
        if source is None:
            break
        profile = source.value
    return found


def refusals(ctx: Context, profile: str | None = None) -> list[str]:
    """One sentence per file setting that botocore must not be handed."""
    found = []
    for setting in file_settings(ctx, profile):
        path = sharedfiles.expand(ctx, setting.value)
        problem = bounded.file_problem(path, setting.limit)
        if problem is not None:
            found.append(
                f"{setting.name} names {ctx.tilde(path)}, which {problem}: botocore (and so the "
                "AWS CLI) would read it whole, without end, or wait on it forever; no probe "
                "hands it to botocore"
            )
    return found
