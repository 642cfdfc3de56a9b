"""config.profile: which profile the failing command used, what selected it, and where it lives.

botocore raises ProfileNotFound for a named profile that neither file defines. The reasons are
few and each leaves a trace in the files: a typo or case difference (a near name exists), the
wrong header form (`[profile dev]` in the credentials file, `[dev]` in the config file), stray
characters in the name (an `AWS_PROFILE` with a trailing space), or files that are not there.
"""

from __future__ import annotations

from awsmedic.aws import profilenames, sharedfiles
from awsmedic.aws.hygiene import value_problems, visible
from awsmedic.aws.parsecache import ContentCache, memoised_for
from awsmedic.aws.sharedfiles import AwsFiles, ProfileSite, Selection
from awsmedic.context import Context
from awsmedic.model import Edit, Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe, selected_profile

#: The variables that select a profile; a value read from one can be set again in the shell.
PROFILE_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")

_KIND_WORDS = {
    "static": "access keys",
    "role": "a role to assume",
    "sso": "IAM Identity Center (SSO)",
    "process": "credential_process",
    "login": "aws login",
    "web-identity": "web identity",
    "none": "no credential settings",
}


def _missing(ctx: Context, files: AwsFiles, selection: Selection) -> tuple[list[str], str]:
    name = selection.name
    label = f"profile '{visible(name)}' ({selection.source})"
    if name == "":
        return ["profile-missing", "profile-name-empty"], (
            f"the profile name is empty ({selection.source}); botocore looks for a profile"
            " called '' and stops"
        )
    unread = sharedfiles.unread_profile(ctx, files, name, None)
    if unread is not None:
        # The section is there, under a header botocore drops: that is the defect, not the
        # name's spaces (in the credentials file, or as `[profile "my dev"]`, it would be read).
        return ["profile-missing", "profile-section-unreadable"], f"{label}: {unread.reason}"
    stray = value_problems(name)
    defined = ", ".join(visible(profile) for profile in sorted(files.profiles)) or "none"
    if stray and name.strip() in files.profiles:
        return ["profile-missing", "profile-name-stray-characters", *_env_stray(selection)], (
            f"{label} has {'; '.join(stray)}; the files define '{visible(name.strip())}'"
        )
    wrong = profilenames.wrong_form(ctx, files, name.strip())
    if wrong is not None:
        return ["profile-missing", wrong[0]], f"{label} is not defined: {wrong[1]}"
    near = profilenames.near(files, name)
    findings = ["profile-missing"] + (["profile-near-miss"] if near else [])
    if stray:
        # From a profile variable, the variable is what to set again, whatever it holds.
        findings += ["profile-name-stray-characters", *_env_stray(selection)]
    hint = f"; did you mean '{visible(near)}'?" if near else ""
    places = " nor ".join(f.where(ctx) for f in files.files)
    summary = f"{label} is defined in neither {places} (profiles: {defined}){hint}"
    if stray:
        summary += f"; the name has {'; '.join(stray)}"
    shadowed = _shadowed_profile_var(ctx, selection)
    if shadowed:
        findings.append("profile-var-shadowed")
    return findings, summary + shadowed


def _shadowed_profile_var(ctx: Context, selection: Selection) -> str:
    """A stale AWS_DEFAULT_PROFILE hides the AWS_PROFILE the user set: say so where the name
    came from (botocore's configprovider.py reads AWS_DEFAULT_PROFILE first)."""
    other = ctx.env("AWS_PROFILE")
    if selection.source != "AWS_DEFAULT_PROFILE" or other is None or other == selection.name:
        return ""
    return (
        f"; AWS_PROFILE={visible(other)} is set too, but boto3, botocore and AWS CLI v1 take"
        " AWS_DEFAULT_PROFILE first"
    )


def _defined(ctx: Context, files: AwsFiles, selection: Selection) -> tuple[list[str], str]:
    sites: tuple[ProfileSite, ...] = files.profiles[selection.name]
    kind = sharedfiles.profile_kind(files.settings(selection.name))
    findings = ["profile-defined", f"profile-kind-{kind}"]
    if kind == "none":
        findings.append("profile-has-no-credentials")
    if all(site.file.kind == sharedfiles.CONFIG for site in sites):
        findings.append("profile-only-in-config")
    where = "; ".join(site.where(ctx) for site in sites)
    summary = f"profile '{selection.name}' ({selection.source}): {where} ({_KIND_WORDS[kind]})"
    if kind == "none":
        # Its keys are often right there, under a header botocore does not match.
        meant = _meant_for(ctx, files, selection.name)
        if meant is not None:
            findings.append(meant[0])
            summary += f"; {meant[1]}"
        # botocore's SSO provider takes a profile only with sso_account_id or sso_role_name
        # (credentials.py SSOProvider._load_sso_config): a start URL alone gives no credentials.
        settings = files.settings(selection.name)
        sso = [key for key in ("sso_session", "sso_start_url", "sso_region") if key in settings]
        if sso:
            findings.append("profile-sso-incomplete")
            summary += (
                f"; it has {', '.join(sso)} but neither sso_account_id nor sso_role_name, so"
                " botocore does not read it as an IAM Identity Center profile"
            )
    return findings, summary


def _meant_for(ctx: Context, files: AwsFiles, name: str) -> tuple[str, str] | None:
    wrong = profilenames.wrong_form(ctx, files, name)
    if wrong is not None:
        return wrong
    for other in files.profiles:
        if other != name and other.strip().lower() == name.lower():
            site = files.profiles[other][0]
            return "profile-near-miss", (
                f"{site.where(ctx)} differs only in case or spaces (names are case-sensitive)"
            )
    return None


#: Each map's inventory: `check --all` lists every profile once for each profile it checks.
_INVENTORIES: ContentCache[tuple[object, str]] = ContentCache()


def _inventory(ctx: Context, files: AwsFiles) -> str:
    """Every profile with the file and line of each of its sections (made once per map of
    unchanged files, which `sharedfiles.load` keeps, and home: paths are shown with `~`)."""
    return memoised_for(_INVENTORIES, files, ctx.home, lambda: _list_profiles(ctx, files))


def _list_profiles(ctx: Context, files: AwsFiles) -> str:
    return "; ".join(
        f"{name} ({', '.join(f'{s.file.where(ctx, s.section.line)}' for s in sites)})"
        for name, sites in sorted(files.profiles.items())
    )


def _env_conflict(ctx: Context) -> str | None:
    profile, default = ctx.env("AWS_PROFILE"), ctx.env("AWS_DEFAULT_PROFILE")
    if profile is None or default is None or profile == default:
        return None
    return (
        f"AWS_PROFILE={profile} and AWS_DEFAULT_PROFILE={default} disagree: boto3, botocore and"
        " AWS CLI v1 use AWS_DEFAULT_PROFILE, AWS CLI v2 uses AWS_PROFILE"
    )


@probe(
    "config.profile",
    title="Selected profile and where it is defined",
    findings=(
        "profile-defined",
        "profile-missing",
        "profile-default-absent",
        "profile-name-empty",
        "profile-name-stray-characters",
        "profile-env-stray-characters",
        "profile-env-line-ending",
        "profile-near-miss",
        "profile-written-with-prefix",
        "profile-written-without-prefix",
        "profile-bad-header",
        "profile-section-stray-characters",
        "profile-env-conflict",
        "profile-var-shadowed",
        "profile-var-set",
        "profile-in-terraform",
        "profile-in-kubeconfig",
        "profile-only-in-config",
        "profile-has-no-credentials",
        "profile-sso-incomplete",
        "profile-section-unreadable",
        "shared-files-swapped",
        "no-profiles",
        *(f"profile-kind-{kind}" for kind in _KIND_WORDS),
    ),
    facts=(
        "profile",
        "credentials_file",
        "config_file",
        "suggested_profile",
        "profile_variable",
        "terraform_setting",
        "kubeconfig",
        "cluster",
    ),
    edits=(
        "profile-written-with-prefix",
        "profile-written-without-prefix",
        "profile-bad-header",
        "profile-section-stray-characters",
        "profile-section-unreadable",
    ),
)
def profile_resolution(run: ProbeInput) -> Evidence:
    """The profile in use, what selected it, which file and line define it, or the nearest name."""
    ctx = run.ctx
    files = sharedfiles.load(ctx)
    selection = selected_profile(run)
    if selection.name in files.profiles:
        findings, summary = _defined(ctx, files, selection)
    elif selection.name == "default" and selection.source == "default" and not _asked_for(run):
        findings = ["profile-default-absent", "profile-has-no-credentials"]
        summary = "no profile is selected and there is no [default] profile"
        wrong = profilenames.wrong_form(ctx, files, "default")
        if wrong is not None:
            findings.append(wrong[0])
            summary += f": {wrong[1]}"
    else:
        findings, summary = _missing(ctx, files, selection)
    if not files.profiles:
        findings.append("no-profiles")
    details = [summary]
    conflict = _env_conflict(ctx)
    if conflict:
        findings.append("profile-env-conflict")
        details.append(conflict)
    details.append("profiles: " + (_inventory(ctx, files) or "none"))
    problem = "profile-missing" in findings or "profile-default-absent" in findings or conflict
    location = "; ".join(s.where(ctx) for s in files.profiles.get(selection.name, ()))
    facts = {"profile": Fact(selection.name, selection.source, location), **files.facts(ctx)}
    if selection.name not in files.profiles:
        suggested = _suggested(files, selection.name)
        if selection.name.strip() in files.profiles:
            suggested = Fact(selection.name.strip(), "the name without its stray characters")
        if suggested is not None:
            facts["suggested_profile"] = suggested
    if "profile-env-stray-characters" in findings:
        facts["profile_variable"] = Fact(selection.source, "environment")
    edits: tuple[Edit, ...] = ()
    if "profile-section-unreadable" in findings:
        facts, edits = _unread_fix(ctx, files, selection, facts)
    if selection.name not in files.profiles:
        origin = _origin(run, selection.name)
        findings += origin[0]
        facts |= origin[1]
        details += origin[2]
    swap = profilenames.swapped(ctx, files)
    if swap is not None and selection.name not in files.profiles and not edits:
        # Rewriting each file's headers would fit them to the swapped variables: the
        # variables are what to fix (audit 5 s15).
        findings.append("shared-files-swapped")
        if "profile-default-absent" in findings:
            summary = f"no profile is selected and there is no [default] profile: {swap}"
        else:
            summary = (
                f"profile '{visible(selection.name)}' ({selection.source}) is not defined: {swap}"
            )
        details[0] = summary
    elif selection.name not in files.profiles and not edits:
        edits = profilenames.wrong_form_edits(ctx, files, selection.name.strip())
    return Evidence(
        "config.profile",
        Status.PROBLEM if problem else Status.OK,
        summary,
        tuple(findings),
        facts,
        tuple(details),
        edits=edits,
    )


def _unread_fix(
    ctx: Context, files: AwsFiles, selection: Selection, facts: dict[str, Fact]
) -> tuple[dict[str, Fact], tuple[Edit, ...]]:
    unread = sharedfiles.unread_profile(ctx, files, selection.name, None)
    if unread is None:
        return facts, ()
    more, edits = profilenames.unread_fix(
        ctx, files, unread, selection, "profile-section-unreadable", PROFILE_VARIABLES
    )
    return {**facts, **more}, edits


def _origin(run: ProbeInput, name: str) -> tuple[list[str], dict[str, Fact], list[str]]:
    """Where a missing profile's name is written, beyond this shell: a profile variable that is
    set at all (else the steps that echo and unset them are noise), a Terraform provider
    block's `profile` (the provider passes it to the Go SDK, which prints only the name), or
    the `exec` section of the kubeconfig's current user (`env: AWS_PROFILE` or `--profile`,
    read by `aws eks get-token` when kubectl runs it)."""
    ctx = run.ctx
    findings: list[str] = []
    facts: dict[str, Fact] = {}
    details: list[str] = []
    if any(ctx.env(variable) is not None for variable in PROFILE_VARIABLES):
        findings.append("profile-var-set")
    tool = run.recognition.tool if run.recognition is not None else None
    if ctx.cwd is not None and tool in (None, "terraform", "go-sdk-v2", "go-sdk-v1"):
        from awsmedic.aws.tfconfig import read_directory

        sites = [s for s in read_directory(ctx.cwd).literal("profile", name) if s.blocks]
        if len(sites) == 1:
            findings.append("profile-in-terraform")
            facts["terraform_setting"] = Fact(sites[0].where, "Terraform")
            details.append(f"the Terraform configuration names it: {sites[0].where}")
    if tool == "kubectl-eks" or "exec: executable" in run.text:
        from awsmedic.aws import kubeconfig

        config = kubeconfig.read(ctx)
        section = kubeconfig.aws_exec(config)
        if section is not None and name in (
            section.env_value("AWS_PROFILE"),
            section.env_value("AWS_DEFAULT_PROFILE"),
            section.options.get("profile"),
        ):
            findings.append("profile-in-kubeconfig")
            where = ", ".join(ctx.tilde(path) for path in config.files)
            facts["kubeconfig"] = Fact(where, config.source)
            if section.options.get("cluster"):
                facts["cluster"] = Fact(section.options["cluster"], "the kubeconfig's exec args")
            details.append(
                f"the kubeconfig ({where}) names it in the exec section of user"
                f" {visible(config.user)}"
            )
    return findings, facts, details


def _env_stray(selection: Selection) -> list[str]:
    """A profile variable holds the stray characters around a defined name: setting it again is
    the fix, not the files."""
    if selection.source not in PROFILE_VARIABLES:
        return []
    # A \r at the end: the variable came from a file with Windows line endings (a .env file)
    ending = ["profile-env-line-ending"] if selection.name.endswith("\r") else []
    return ["profile-env-stray-characters", *ending]


def _asked_for(run: ProbeInput) -> bool:
    """The paste shows `default` asked for by name (`--profile default`, `AWS_PROFILE=default`,
    any SDK's "profile default not found"): botocore then wants a [default] section and stops
    with ProfileNotFound without one."""
    from awsmedic.probes.chain import pasted_name

    return pasted_name(run) == "default"


def _suggested(files: AwsFiles, name: str) -> Fact | None:
    """The profile most likely meant: a near name, else the one profile that has credentials."""
    near = profilenames.near(files, name.strip())
    if near is not None:
        return Fact(near, "the nearest configured name")
    usable = [
        other
        for other in files.profiles
        if sharedfiles.profile_kind(files.settings(other)) != "none"
    ]
    if len(usable) == 1 and profilenames.cleaned(usable[0]) != usable[0]:
        # `[ dev ]`: no command can name it as written, and its header's fix makes it `dev`
        return Fact(
            profilenames.cleaned(usable[0]),
            "the only profile with credentials, once its header is repaired",
        )
    if len(usable) == 1:
        return Fact(usable[0], "the only configured profile with credentials")
    return None
