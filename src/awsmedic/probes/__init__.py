"""The probe registry and `run_probe`, which never raises.

A probe is a small function `(ProbeInput) -> Evidence` registered with `@probe(...)`. Its id is
stable (`area.name`), it declares the finding codes trees may branch on and the facts it can
provide, and it says whether it uses the network. Probe modules import botocore inside their
functions, so importing the registry stays cheap. Probes return evidence and never print; they
may import `aws`, `safety`, `model`, `context` and `errors`.
"""

from __future__ import annotations

import enum
import importlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from awsmedic.context import Context
from awsmedic.model import Evidence, Fact, Recognition, Record, Secret, Status, Unchecked
from awsmedic.probes.world import AwsWorld

if TYPE_CHECKING:
    from awsmedic.aws.sharedfiles import Selection

log = logging.getLogger(__name__)

#: Probe id -> the module of this package that registers it. Explicit, so that a diagnosis
#: imports only the modules of the probes its tree runs (tests check it against what the
#: modules register); `registry()` imports them all, for `kb list` and `kb check`.
INDEX: Mapping[str, str] = {
    "bedrock.api-key": "bedrockkey",
    "clock.error-time": "clock",
    "clock.skew": "clock",
    "clock.sso-token": "clock",
    "cli.installed": "cliversion",
    "cli.version": "cliversion",
    "config.client-settings": "clientsettings",
    "config.number-settings": "numbers",
    "config.output": "output",
    "config.profile": "profiles",
    "config.region": "regionconf",
    "config.role": "rolesource",
    "config.sdk-features": "features",
    "creds.chain": "chain",
    "creds.container": "container",
    "creds.env": "env",
    "creds.expiry": "expiry",
    "creds.keys": "keys",
    "creds.process": "process",
    "creds.process-program": "processpath",
    "creds.secret": "secret",
    "creds.web-identity": "webidentity",
    "denial.decode": "denied",
    "denial.message": "denied",
    "docker.ecr-login": "docker",
    "endpoint.override": "endpoints",
    "files.location": "location",
    "files.syntax": "files",
    "iam.key-age": "keyage",
    "iam.key-status": "keystatus",
    "iam.simulate": "simulate",
    "identity.compare": "identity",
    "imds.role": "imds",
    "kube.config": "kube",
    "kube.identity": "kube",
    "login.session": "login",
    "net.connect": "reach",
    "net.route": "route",
    "rds.iam-auth": "rdsauth",
    "region.partition": "partition",
    "role.assume": "roleuse",
    "role.settings": "roleassume",
    "sign.proxy": "signing",
    "sign.region": "signing",
    "sso.token": "sso",
    "sts.endpoint-mode": "stsendpoint",
    "sts.identity": "sts",
    "sts.identity-regions": "stsregions",
    "sts.intended-identity": "intended",
    "values.hygiene": "values",
}
#: The network probes that run unasked (`ProbeSpec.prefetch`), which a walk starts before it
#: reaches them: prefetching looks here, so that it imports no module of a probe that cannot
#: start early (tests check it against what the modules register).
PREFETCHED = frozenset(
    {
        "clock.skew",
        "clock.sso-token",
        "creds.container",
        "iam.key-age",
        "identity.compare",
        "imds.role",
        "kube.identity",
        "net.connect",
        "rds.iam-auth",
        "sts.endpoint-mode",
        "sts.identity",
        "sts.identity-regions",
    }
)


@dataclass(frozen=True, repr=False, eq=False)
class ProbeInput(Record):
    """What a probe may look at: the world, botocore (shared), and the paste."""

    ctx: Context
    world: AwsWorld
    text: str = ""
    recognition: Recognition | None = None


ProbeFunction = Callable[[ProbeInput], Evidence]


def selected_profile(run: ProbeInput) -> Selection:
    """The profile the failing command used (sharedfiles.selected_profile), with the profile the
    matcher read from the paste, so that every phrase's `{profile}` slot names it, not only the
    messages sharedfiles knows by pattern."""
    from awsmedic.aws import sharedfiles

    facts = run.recognition.facts if run.recognition is not None else {}
    recognised = facts["profile"].value if "profile" in facts else None
    return sharedfiles.selected_profile(run.ctx, run.text, recognised)


class Consent(enum.StrEnum):
    """Whether a probe may run unasked, and if not, why it must ask.

    A probe that needs consent runs only after a yes: in the REPL, or in `diagnose` with
    `--answer consent:<id>=yes`; a "no" (or no answer) skips it. There is no exception for a
    non-interactive run: a break-glass role or another team's keys must not be used because
    nobody was there to say no.
    """

    NONE = "none"  # read-only checks of this machine and of the failing credentials
    INTERACTIVE = "interactive"  # uses another identity (another profile's keys, a role)
    EXPLICIT = "explicit"  # runs a program of the user's, or asks AWS to decode something


@dataclass(frozen=True, repr=False, eq=False)
class ProbeSpec(Record):
    """A registered probe: its id, what it may report, and whether it uses the network."""

    id: str
    title: str
    network: bool
    findings: tuple[str, ...]
    facts: tuple[str, ...]
    function: ProbeFunction = field(repr=False)
    consent: Consent = Consent.NONE
    #: Findings this probe can report an exact edit for (`Evidence.edits`).
    edits: tuple[str, ...] = ()
    #: A network probe's checks of this machine alone, which run instead with --offline
    #: (a refused address is refused before any request); None: the probe is skipped.
    offline: ProbeFunction | None = field(default=None, repr=False)

    @property
    def prefetch(self) -> bool:
        """Prefetching runs a probe before the walk reaches it, to save time: never one that
        needs consent."""
        return self.consent is Consent.NONE


_REGISTRY: dict[str, ProbeSpec] = {}
_LOADED: list[bool] = []


def probe(
    probe_id: str,
    *,
    title: str,
    network: bool = False,
    findings: tuple[str, ...] = (),
    facts: tuple[str, ...] = (),
    consent: Consent = Consent.NONE,
    edits: tuple[str, ...] = (),
    offline: ProbeFunction | None = None,
) -> Callable[[ProbeFunction], ProbeFunction]:
    def register(function: ProbeFunction) -> ProbeFunction:
        if probe_id in _REGISTRY:
            raise ValueError(f"probe id {probe_id} registered twice")
        _REGISTRY[probe_id] = ProbeSpec(
            probe_id, title, network, findings, facts, function, consent, edits, offline
        )
        return function

    return register


def registry() -> Mapping[str, ProbeSpec]:
    """Every probe: each module of this package registers its own when imported."""
    if not _LOADED:
        for module in sorted(set(INDEX.values())):
            importlib.import_module(f"{__name__}.{module}")
        _LOADED.append(True)
    return _REGISTRY


def spec(probe_id: str) -> ProbeSpec | None:
    """One probe, importing only its module."""
    if probe_id not in _REGISTRY and probe_id in INDEX:
        importlib.import_module(f"{__name__}.{INDEX[probe_id]}")
    return _REGISTRY.get(probe_id)


def finding_catalog() -> dict[str, tuple[str, ...]]:
    """Probe id -> the finding codes it can report (for knowledge validation)."""
    return {spec.id: spec.findings for spec in registry().values()}


def fact_names() -> frozenset[str]:
    """Every fact some probe provides (for knowledge validation)."""
    return frozenset(fact for spec in registry().values() for fact in spec.facts)


def edit_findings() -> frozenset[str]:
    """Every finding some probe reports an exact edit for (for knowledge validation)."""
    return frozenset(finding for spec in registry().values() for finding in spec.edits)


#: What stopped a check, as the user reads it after "not checked: ".
UNCHECKED_WHY = {
    Unchecked.OFFLINE: "--offline (this check uses the network)",
    Unchecked.UNREACHABLE: "AWS could not be reached from here",
    Unchecked.BUDGET: "out of time",
    Unchecked.BOTOCORE: "botocore could not build a client",
    Unchecked.CONSENT: "running the credential_process helper needs your consent",
}
#: The probe whose consent a credential_process helper needs, botocore's runs included.
HELPER_PROBE = "creds.process"
HELPER_CONSENT_ID = f"consent:{HELPER_PROBE}"


def not_checked(
    probe_id: str,
    why: Unchecked,
    detail: str = "",
    findings: tuple[str, ...] = (),
    facts: Mapping[str, Fact] | None = None,
    details: tuple[str, ...] = (),
    secrets: tuple[Secret, ...] = (),
) -> Evidence:
    """Evidence of a check that could not be made: skipped, and never a finding about the
    credentials (a timeout says nothing about a key). `detail` names what failed."""
    summary = f"not checked: {UNCHECKED_WHY[why]}" + (f" ({detail})" if detail else "")
    return Evidence(
        probe_id,
        Status.SKIPPED,
        summary,
        findings,
        dict(facts or {}),
        details,
        secrets,
        unchecked=why,
    )


def _helper_refused(probe_id: str, ctx: Context, profile: str) -> Evidence:
    """A check botocore could only make by running a credential_process helper nobody agreed
    to: not made, and no evidence about the credentials."""
    unlock = (
        "it runs only after a yes to running the helper"
        if ctx.interactive
        else f"`--answer {HELPER_CONSENT_ID}=yes` lets it run"
    )
    return not_checked(probe_id, Unchecked.CONSENT, f"profile '{profile}'; {unlock}")


def _failed(spec: ProbeSpec, probe_input: ProbeInput, exc: Exception) -> Evidence:
    from awsmedic.safety.guard import HelperNeedsConsent

    if isinstance(exc, HelperNeedsConsent):
        log.debug("probe %s: %s", spec.id, exc)
        return _helper_refused(spec.id, probe_input.ctx, exc.profile)
    # The message may quote a credential (botocore errors can): scrub before it goes anywhere.
    message = probe_input.world.book.scrub(f"{type(exc).__name__}: {exc}")
    log.debug("probe %s failed: %s", spec.id, message)
    return Evidence(spec.id, Status.ERROR, f"the probe failed: {message}")


def run_probe(spec: ProbeSpec, probe_input: ProbeInput) -> Evidence:
    """Run one probe; whatever happens, return Evidence (a broken probe is status=error)."""
    ctx = probe_input.ctx
    function = spec.function
    if spec.network and ctx.offline:
        if spec.offline is None:
            return not_checked(spec.id, Unchecked.OFFLINE)
        function = spec.offline
    started = time.monotonic()
    try:
        evidence = function(probe_input)
    except Exception as exc:
        evidence = _failed(spec, probe_input, exc)
    elapsed = int((time.monotonic() - started) * 1000)
    probe_input.world.book.add(evidence.secrets)
    unknown = set(evidence.findings) - set(spec.findings)
    if unknown:
        log.debug("probe %s reported undeclared findings %s", spec.id, sorted(unknown))
    return replace(evidence, elapsed_ms=elapsed)
