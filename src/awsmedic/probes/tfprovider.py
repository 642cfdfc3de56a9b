"""The profile and region a Terraform AWS provider block chose, as the failing command's own.

Terraform takes no `--profile`: `provider "aws" { profile = "dev" }` in a `.tf` file of the
directory it runs in is what selects the profile, and the error it prints names that block
(`on main.tf line 4, in provider "aws":`), not the profile. So when the paste comes from
Terraform (OpenTofu and Terragrunt run the same provider; `tools.toml` calls them all
`terraform`), or from the Go SDK it wraps, or from no tool awsmedic recognised, the literal
settings of the provider block in the working directory are taken the way `--profile` and
`--region` in a pasted command line are (core.pastedcommand).

Precedence is the provider's (hashicorp/aws-sdk-go-base, credentials.go getCredentialsProvider
and config.go): a `profile` in the block wins over AWS_PROFILE, and is passed as
`config.WithSharedConfigProfile`, a programmatic profile, for which aws-sdk-go-v2
(config/resolve_credentials.go resolveCredentialChain, `case sharedProfileSet`) never uses the
environment's AWS_ACCESS_KEY_ID: as botocore does for an explicit `--profile`. A `region` in the
block wins over AWS_REGION (`config.WithRegion`). `access_key`/`secret_key` in the block win
over any profile; `shared_config_files`/`shared_credentials_files` replace the files the SDK
reads (paths expanded with os.ExpandEnv, then `~`: internal/expand/filepath.go).

Only literals are taken. A setting made by an expression (`var.profile`) is named as such and
nothing is guessed; with several blocks and no file and line in the error, none is picked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from awsmedic.context import Context
from awsmedic.model import Edit, Fact

if TYPE_CHECKING:
    from awsmedic.aws.tfconfig import Choice, ProviderBlock, Value

#: Tools whose pastes may come from Terraform's AWS provider: Terraform itself, the Go SDKs it
#: prints the errors of (`wraps` in knowledge/tools.toml), and none recognised (None).
TOOLS = frozenset({"terraform", "go-sdk-v2", "go-sdk-v1", None})


@dataclass(frozen=True)
class ProviderSettings:
    """What the provider block chose (each a Fact whose source says where), and notes."""

    profile: Fact | None = None
    region: Fact | None = None
    notes: tuple[str, ...] = ()


def provider_settings(ctx: Context, tool: str | None, text: str) -> ProviderSettings:
    """The settings of the provider block in `ctx.cwd` that the error is about."""
    if ctx.cwd is None or tool not in TOOLS:
        return ProviderSettings()
    from awsmedic.aws.tfconfig import choose, named_block, read_directory

    reading = read_directory(ctx.cwd)
    notes: list[str] = []
    if reading.blocks or tool == "terraform":
        notes += [f"Terraform file {_word(name)} {why}" for name, why in reading.unread]
    if not reading.blocks:
        named = named_block(text) if tool == "terraform" else None
        # Run elsewhere (audit 5 s25), the check would go on as if the provider took the
        # environment's profile and region, which its block may well set otherwise.
        here = {*reading.files, *(name for name, _ in reading.unread)}
        if named is not None and (named[1] not in here if named[1] else not here):
            label, file = named
            missing = f"no {_path(file)}" if file else "no .tf files"
            notes.append(
                f"the error names a Terraform provider block ({_word(label)}), and this directory"
                f" has {missing}: the block's profile, region and files were not read. Run"
                " awsmedic in the directory where terraform ran"
            )
        return ProviderSettings(notes=tuple(notes))
    choice = choose(reading, text)
    if choice.block is None:
        return ProviderSettings(notes=(*notes, _undecided(choice)))
    return _from_block(ctx, choice.block, notes)


def _word(value: str) -> str:
    from awsmedic.aws import valueshapes
    from awsmedic.safety.shellquote import POSIX, quote

    if valueshapes.refusal("", value) is None:
        return quote(value, POSIX)
    return f"`{valueshapes.shown(value)}`"


def _path(text: str) -> str:
    """A path for a sentence: as written when nothing in it needs quoting for the eye."""
    import re

    return text if re.fullmatch(r"[\w~./@+-]+", text) else _word(text)


def _described(block: ProviderBlock) -> str:
    alias = f", alias {_word(block.alias)}" if block.alias else ""
    profile = block.settings.get("profile")
    if profile is None:
        said = "no profile"
    elif isinstance(profile.literal, str):
        said = f"profile {_word(profile.literal)}"
    else:
        said = f"profile set by an expression ({_word(profile.expression)})"
    return f"{block.where}{alias}: {said}"


def _undecided(choice: Choice) -> str:
    seen = "; ".join(_described(block) for block in choice.candidates)
    if choice.named:
        return (
            f"the error names the provider block at {_word(choice.named)}, which is not among"
            f' the provider "aws" blocks read here (only this directory\'s .tf files are:'
            f" {seen}), so none is taken; run awsmedic with --profile NAME to check one"
        )
    return (
        f'the Terraform files here have {len(choice.candidates)} provider "aws" blocks ({seen})'
        " and the error does not say which one failed, so none is taken; run awsmedic with"
        " --profile NAME to check one"
    )


def _from_block(ctx: Context, block: ProviderBlock, notes: list[str]) -> ProviderSettings:
    from awsmedic.aws.tfconfig import PROVIDER

    where = f"{PROVIDER} {block.where}"
    profile = region = None
    if "access_key" in block.settings or "secret_key" in block.settings:
        notes.append(
            f"{where} sets access_key/secret_key itself: Terraform signs with those keys, not"
            " a profile's, and they are not checked here"
        )
    missing = missing_files(ctx, block)
    notes += [item.sentence(ctx) for item in missing]
    value = block.settings.get("profile")
    if not _given(ctx.profile, ctx.profile_source, "--profile") and value is not None:
        name, why = _literal(value, "profile", where)
        if why:
            notes.append(why)
        elif "access_key" not in block.settings:
            why = _other_files(ctx, block, where) or _undefined(ctx, name, where)
            if why:
                notes.append(why)
            else:
                profile = Fact(name, where)
    value = block.settings.get("region")
    if not _given(ctx.region, ctx.region_source, "--region") and value is not None:
        name, why = _literal(value, "region", where)
        if why:
            notes.append(why)
        else:
            region = Fact(name, where)
    value = block.settings.get("assume_role.role_arn")
    if value is not None:
        name, why = _literal(value, "role_arn", f"{where} (assume_role)")
        notes.append(
            why
            or f"Terraform then assumes role {name} (assume_role, {block.file} line {value.line})"
            " with these credentials"
        )
    return ProviderSettings(profile, region, tuple(notes))


def _given(value: str | None, source: str, option: str) -> bool:
    """awsmedic's own option set it (it wins over everything). A setting `awsmedic run` read
    from the command line's prefixes (`AWS_PROFILE=dev terraform plan`) is the variable's: the
    provider block's wins over it."""
    return value is not None and source == option


def _literal(value: Value, name: str, where: str) -> tuple[str, str]:
    """(the literal, "") when it can be what it stands for, else ("", why it is not taken)."""
    from awsmedic.aws import valueshapes

    if not isinstance(value.literal, str):
        return "", (
            f"{where} sets {name} by an expression ({_word(value.expression)}), which awsmedic"
            " does not evaluate"
        )
    refused = valueshapes.refusal(name, value.literal)
    if refused is not None:
        return "", f"{where} sets {name} to `{valueshapes.shown(value.literal)}`, not {refused}"
    return value.literal, ""


def _undefined(ctx: Context, name: str, where: str) -> str:
    from awsmedic.aws import sharedfiles

    if name in sharedfiles.load(ctx).profiles:
        return ""
    return (
        f"{where} names profile {_word(name)}, which the shared files here do not define"
        " (the configuration may come from another machine, or the name is wrong)"
    )


_FILES = (
    ("shared_config_files", "config", "AWS_CONFIG_FILE"),
    ("shared_credentials_files", "credentials", "AWS_SHARED_CREDENTIALS_FILE"),
    ("shared_credentials_file", "credentials", "AWS_SHARED_CREDENTIALS_FILE"),
)


def _other_files(ctx: Context, block: ProviderBlock, where: str) -> str:
    """Why the profile is not checked when the block names shared files other than those
    awsmedic reads (botocore reads one file of each kind, named by its variable)."""
    from awsmedic.aws import sharedfiles

    missing = {item.setting for item in missing_files(ctx, block)}
    for setting, kind, variable in _FILES:
        value = block.settings.get(setting)
        if value is None or setting in missing:
            # (a listed file that does not exist is read as empty, with no fallback: the
            # profile is checked, and the evidence says Terraform finds nothing in that file)
            continue
        if value.literal is None:
            return (
                f"{where} sets {setting} by an expression ({_word(value.expression)}): the files"
                " Terraform read its profile from are not known, so the profile is not checked"
            )
        paths = (value.literal,) if isinstance(value.literal, str) else value.literal
        wanted = [_absolute(ctx, sharedfiles.expand(ctx, path)) for path in paths]
        here, _ = sharedfiles.locate(ctx, kind)
        if here is None or wanted != [_absolute(ctx, here)]:
            shown = ", ".join(_path(ctx.tilde(path)) for path in wanted) or "no file"
            hint = (
                f"; to check it, run awsmedic with {variable}={_word(str(wanted[0]))}"
                if len(wanted) == 1
                else ""
            )
            return (
                f"{where} reads the {kind} file {shown} ({setting}, line {value.line}), not"
                f" the one awsmedic reads, so its profile is not checked{hint}"
            )
    return ""


def _absolute(ctx: Context, path: Path) -> Path:
    """A relative path as the Go SDK opens it: from the working directory."""
    return path if path.is_absolute() or ctx.cwd is None else ctx.cwd / path


@dataclass(frozen=True)
class MissingFiles:
    """A `shared_credentials_files` (or `shared_config_files`) of the provider block whose
    files all do not exist. The Go SDK v2 the provider uses reads each listed file, skips one it
    cannot open as if it were empty, and does not fall back to `~/.aws/`
    (aws-sdk-go-v2 config/shared_config.go loadIniFiles: "We treat such files as empty, and do
    not fall back to other locations"): the profile then gets nothing from that kind of file,
    and the chain ends at instance metadata ("no EC2 IMDS role found")."""

    setting: str
    kind: str  # "credentials" or "config"
    block: ProviderBlock
    line: int  # the setting's line in block.file
    written: tuple[str, ...]  # the paths as the block writes them
    paths: tuple[Path, ...]  # the same, expanded as the provider expands them
    meant: Path | None  # the file of that kind awsmedic reads, when it exists (the likely one)

    @property
    def where(self) -> str:
        return f"{self.block.file} line {self.line}"

    def sentence(self, ctx: Context) -> str:
        shown = ", ".join(_path(path) for path in self.written)
        exist = "does not exist" if len(self.written) == 1 else "do not exist"
        meant = f" (did you mean {_path(ctx.tilde(self.meant))}?)" if self.meant is not None else ""
        return (
            f"but its {self.setting} ({self.where}) lists {shown}, which {exist}{meant}:"
            f" Terraform reads a listed file that is missing as empty and does not fall back to"
            f" ~/.aws/{self.kind}, so it reads no {self.kind} file at all"
        )


def missing_files(ctx: Context, block: ProviderBlock) -> tuple[MissingFiles, ...]:
    """The shared-file settings of `block` that list only files that do not exist."""
    from awsmedic.aws import sharedfiles

    found: list[MissingFiles] = []
    for setting, kind, _ in _FILES:
        value = block.settings.get(setting)
        if value is None or value.literal is None:
            continue
        written = (value.literal,) if isinstance(value.literal, str) else value.literal
        paths = tuple(_absolute(ctx, sharedfiles.expand(ctx, path)) for path in written)
        if not paths or any(_lexists(path) for path in paths):
            continue
        here, _ = sharedfiles.locate(ctx, kind)
        meant = here if here is not None and here.is_file() else None
        found.append(MissingFiles(setting, kind, block, value.line, written, paths, meant))
    return tuple(found)


def _lexists(path: Path) -> bool:
    try:
        path.lstat()
    except OSError:
        return False
    return True


def failing_block(ctx: Context, tool: str | None, text: str) -> ProviderBlock | None:
    """The provider block of `ctx.cwd` that the error is about (as provider_settings takes it)."""
    if ctx.cwd is None or tool not in TOOLS:
        return None
    from awsmedic.aws.tfconfig import choose, read_directory

    reading = read_directory(ctx.cwd)
    return choose(reading, text).block if reading.blocks else None


def path_edit(ctx: Context, missing: MissingFiles, finding: str) -> Edit | None:
    """The edit of the setting's line that names the file awsmedic reads instead, when one path
    is listed, on a line of its own, and that file exists."""
    import difflib

    from awsmedic.aws import bounded

    if missing.meant is None or len(missing.written) != 1 or ctx.cwd is None:
        return None
    written = missing.written[0]
    meant = ctx.tilde(missing.meant) if written.startswith("~") else str(missing.meant)
    if difflib.SequenceMatcher(None, written, meant).ratio() < 0.8:
        return None  # not a slip of the name: another file was meant, which is not known
    try:
        read = bounded.read_file(ctx.cwd / missing.block.file, bounded.MB)
        lines = read.data.decode("utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if read.cut or missing.line > len(lines):
        return None
    crlf = lines[missing.line - 1].endswith("\r")
    before = lines[missing.line - 1].removesuffix("\r")
    quoted = f'"{written}"'
    if before.count(quoted) != 1 or missing.setting not in before or '"' in meant:
        return None
    return Edit(
        ctx.tilde(ctx.cwd / missing.block.file),
        missing.line,
        before,
        before.replace(quoted, f'"{meant}"'),
        finding,
        f"{written} does not exist; {ctx.tilde(missing.meant)} does",
        crlf=crlf,
    )
