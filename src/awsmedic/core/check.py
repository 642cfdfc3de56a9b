"""`awsmedic check`: the probes asked of the set-up itself, without an error to start from.

Subjects are what a command could use: the credentials that win here (the environment, or the
selected profile), and with `--all` every profile the files define or meant to define (a
`[dev]` in the config file is reported as the profile it was meant to be). For each subject:

1. the offline probes (chain, files, keys, SSO and login caches, role and web identity
   settings, region); the first finding `checkrules` knows names the cause;
2. if none, with the network, does it work: sts:GetCallerIdentity with its own credentials. A
   role profile is checked by its source's identity and its settings: assuming the role uses
   another identity, so it needs consent (`consent:role.assume`), and so does running a
   credential_process helper (`consent:creds.process`), as in `diagnose`;
3. a refusal is diagnosed like a pasted error: the same trees, without questions (nobody is
   asked; what stays open is ranked). A call AWS never answered checked nothing; its error is
   walked the same way, and only a setting of this machine the walk confirms (an endpoint
   override nothing answers at, a CA bundle that cannot work) is a problem found: the network
   itself, or a walk that confirms nothing, leaves the subject "not checked".

A role whose credential_source is Ec2InstanceMetadata is asked instance metadata first, as the
credential-retrieval tree does for its error: a source that cannot answer is a problem found
before any consent to assume the role.

Bounded like `diagnose`: the whole check has the diagnosis budget (`Context.budget`). A network
probe still running when it runs out is "not checked: out of time", never evidence, and none
starts after it; a subject that has not finished shortly after it (a bug: local probes are
bounded on their own) is reported unchecked rather than waited for.

Read-only like every probe: nothing refreshes a token, nothing is written.
"""

from __future__ import annotations

import concurrent.futures as futures
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from awsmedic.context import Context
from awsmedic.core.checkrules import (
    BEDROCK_RULES,
    BROKEN,
    CHAIN_RULES,
    CLOCK_RULES,
    EXPIRED,
    NETWORK_CAUSES,
    NO_CREDENTIALS_RULES,
    RULES,
    Rule,
    first_match,
)
from awsmedic.core.probing import CONSENT_PREFIX
from awsmedic.core.workers import DaemonPool, Deadline
from awsmedic.kb.model import Knowledge
from awsmedic.model import Confidence, Diagnosis, Evidence, Status, Unchecked
from awsmedic.probes import ProbeInput, not_checked, run_probe, spec
from awsmedic.probes.chain import BEFORE_IMDS, IMDS_NOT_CHECKED, imds_left
from awsmedic.probes.world import AwsWorld
from awsmedic.safety.redact import SecretBook

WORKS, UNCHECKED, SETTINGS = "works", "unchecked", "settings only"
#: Probes that read only this machine, run for every subject.
LOCAL_PROBES = (
    "creds.chain",
    "config.profile",
    "files.syntax",
    "values.hygiene",
    "creds.keys",
    "creds.expiry",
    "sso.token",
    "login.session",
    "config.role",
    "role.settings",
    "creds.web-identity",
    "config.region",
    "config.number-settings",
    "config.output",
    "config.client-settings",
    "creds.env",
)
#: The no-credentials tree and its node that asks instance metadata (`_instance_role`).
NO_CREDENTIALS_TREE, IMDS_NODE = "no-credentials", "imds"
#: The tree of "No credentials found in credential_source", and its node that asks instance
#: metadata for a role whose credential_source is Ec2InstanceMetadata (`_role_source`).
RETRIEVAL_TREE, ROLE_IMDS_NODE = "credential-retrieval", "role-imds"
#: Branches of a probe node that say nothing was found (the walk goes on to its likeliest cause).
_NO_FINDING = ("default", Status.SKIPPED.value, Status.ERROR.value)
ROLE_CONSENT = "role.assume"
PROCESS_CONSENT = "creds.process"
_KIND = {
    "env": "keys",
    "shared-credentials-file": "keys",
    "config-file": "keys",
    "assume-role": "role",
    "sso": "sso",
    "login": "login",
    "custom-process": "process",
    "assume-role-with-web-identity": "web identity",
    "container-role": "container",
    "iam-role": "instance role",
    "ec2-credentials-file": "keys",
    "boto-config": "keys",
}
_PROFILE_KIND = {"static": "keys", "web-identity": "web identity", "none": "none"}
#: config.region's findings for "botocore has no region" (AWS_REGION alone is not read by it).
NO_REGION = ("region-missing", "region-only-aws-region", "region-only-in-default")
FALLBACK_REGION = "us-east-1"
#: At most this many subjects are checked at once (each makes a few network calls).
PARALLEL = 4
#: How long past the budget a subject may take to finish its local probes before it is given
#: up on: they are bounded on their own (file sizes, a helper's 5 s), so only a bug waits this.
LATE_SECONDS = 15.0


@dataclass(frozen=True)
class Subject:
    label: str  # a profile name, or "environment"
    profile: str | None  # checked as if `--profile` named it (None: as selected here)
    here: bool  # what commands here use


@dataclass(frozen=True)
class Verdict:
    subject: Subject
    kind: str  # keys, role, sso, login, process, web identity, container, none, ...
    state: str  # works, broken, expired, unchecked, settings only
    summary: str
    diagnosis: Diagnosis | None = None  # the cause, its evidence and steps (broken, expired)
    identity: str = ""  # the ARN sts:GetCallerIdentity answered
    key_age: str = ""
    region: str = ""
    needs: tuple[str, ...] = ()  # consent ids that would let more be checked
    probes: tuple[Evidence, ...] = ()

    @property
    def problem(self) -> bool:
        return self.state in (BROKEN, EXPIRED)


@dataclass(frozen=True)
class Finding:
    """A problem of the set-up as a whole: the chain (which profile wins) or the clock."""

    area: str  # "credentials" or "clock"
    diagnosis: Diagnosis


@dataclass(frozen=True)
class SetupReport:
    chain: Evidence
    winner: str | None  # the provider botocore uses here (env, shared-credentials-file, sso...)
    shadowed: tuple[str, ...]  # providers that have credentials too, but lose to the winner
    subjects: tuple[Verdict, ...]
    clock: Evidence | None
    region: Evidence | None
    partition: Evidence | None
    findings: tuple[Finding, ...] = ()
    offline: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.findings and not any(v.problem for v in self.subjects)


@dataclass
class _Case:
    """One subject being checked: its world, and what its probes found so far."""

    ctx: Context
    world: AwsWorld
    evidence: dict[str, Evidence] = field(default_factory=dict)
    #: When set, a network probe is waited for until then only.
    deadline: Deadline | None = None

    def probe(self, probe_id: str) -> Evidence:
        if probe_id not in self.evidence:
            found = spec(probe_id)
            assert found is not None, probe_id
            probe_input = ProbeInput(self.ctx, self.world)
            if self.deadline is None or not found.network or self.ctx.offline:
                self.evidence[probe_id] = run_probe(found, probe_input)
            else:
                self.evidence[probe_id] = _in_time(found.id, self.deadline, probe_input)
        return self.evidence[probe_id]


def _in_time(probe_id: str, deadline: Deadline, probe_input: ProbeInput) -> Evidence:
    """A network probe, waited for until the deadline; after it, not checked (out of time)."""
    found = spec(probe_id)
    assert found is not None, probe_id
    try:
        return deadline.within(run_probe, found, probe_input)
    except TimeoutError:
        return not_checked(probe_id, Unchecked.BUDGET, _out_of_time(deadline))


def _out_of_time(deadline: Deadline) -> str:
    return f"the {deadline.seconds:g} s budget of the check ran out"


class Checker:
    def __init__(
        self,
        ctx: Context,
        knowledge: Knowledge,
        book: SecretBook,
        answers: Mapping[str, str] | None = None,
    ) -> None:
        self.ctx = ctx
        self.knowledge = knowledge
        self.book = book
        self.answers = dict(answers or {})
        self.deadline = Deadline(ctx.budget)
        self._machine: dict[str, Evidence] = {}
        self._lock = threading.Lock()

    def _case(self, ctx: Context, evidence: dict[str, Evidence] | None = None) -> _Case:
        return _Case(ctx, self._world(ctx), dict(evidence or {}), self.deadline)

    def _world(self, ctx: Context) -> AwsWorld:
        """botocore for one subject: it runs a credential_process helper (a profile's own, or a
        role's source profile's) only with `--answer consent:creds.process=yes`."""
        return AwsWorld(ctx, self.book, lambda: self._consented(PROCESS_CONSENT))

    # -- the whole report ----------------------------------------------------------------------
    def check(self, every: bool) -> SetupReport:
        self.deadline = Deadline(self.ctx.budget)
        here = Subject("", self.ctx.profile, True)
        pool = DaemonPool(PARALLEL)
        subjects = [here, *(self._profiles(here) if every else ())]
        checking = [(s, pool.submit(self._check, s)) for s in subjects]
        verdicts = self._collect(pool, checking)
        seen = {e.probe: e for e in verdicts[0].probes}
        case = self._case(self.ctx, seen)
        clock = None if self.ctx.offline else case.probe("clock.skew")
        chain = case.probe("creds.chain")  # seen, unless the subject was given up on
        report = case.world.chain()
        winner = report.winner.method if report.winner else None
        instance = seen.get("imds.role")
        if instance is not None:
            chain = _with_instance_role(chain, instance)
            winner = "iam-role" if instance.has("imds-role-ok") else winner
        bedrock = case.probe("bedrock.api-key")
        findings = self._findings(case, [chain, bedrock] + ([clock] if clock else []))
        role = ", the instance role" if instance is not None and instance.unchecked else ""
        offline = (
            (f"who each profile is, key ages{role} and the clock offset (--offline)",)
            if self.ctx.offline
            else _late(verdicts, clock, self.deadline)
        )
        return SetupReport(
            chain,
            winner,
            tuple(p.method for p in report.shadowed),
            tuple(verdicts),
            clock,
            seen.get("config.region"),
            case.probe("region.partition"),
            tuple(findings),
            offline,
        )

    def _collect(
        self, pool: DaemonPool, checking: list[tuple[Subject, futures.Future[Verdict]]]
    ) -> list[Verdict]:
        """Each subject's verdict, waited for until shortly after the deadline; one that has
        not finished by then is unchecked (and the subjects not started are not started)."""
        verdicts = []
        for subject, future in checking:
            try:
                verdict = future.result(timeout=self.deadline.left() + LATE_SECONDS)
            except (TimeoutError, futures.CancelledError):
                pool.abandon()
                summary = f"not checked: out of time ({_out_of_time(self.deadline)})"
                verdict = Verdict(subject, "unknown", UNCHECKED, summary)
            verdicts.append(_relabel(verdict))
        return verdicts

    def _profiles(self, here: Subject) -> list[Subject]:
        """Every profile but the one `here` already checks (unless the environment's keys win
        there: then that profile is not what is in use, and gets its own row)."""
        case = self._case(self.ctx)
        chain = case.probe("creds.chain")
        source = chain.facts.get("credential_source")
        used = chain.facts["profile"].value if source is None or source.value != "env" else None
        return [Subject(n, n, False) for n in meant_profiles(self.ctx) if n != used]

    def _findings(self, case: _Case, evidence: list[Evidence]) -> list[Finding]:
        found = []
        areas = ((CHAIN_RULES, "credentials"), (CLOCK_RULES, "clock"), (BEDROCK_RULES, "bedrock"))
        for rules, area in areas:
            match = first_match(rules, evidence)
            diagnosis = self._diagnosis(case, match[0].cause, [match[1]]) if match else None
            if diagnosis is not None:
                found.append(Finding(area, diagnosis))
        return found

    # -- one subject ---------------------------------------------------------------------------
    def _check(self, subject: Subject) -> Verdict:
        ctx = replace(self.ctx, profile=subject.profile)
        case = self._case(ctx)
        local = [case.probe(p) for p in LOCAL_PROBES]
        if case.world.chain().explicit:
            # A profile named as --profile names it: botocore skips the environment's keys
            # (credentials.create_credential_resolver, disable_env_vars), so what is wrong
            # with them is nothing this profile runs into.
            local = [e for e in local if e.probe != "creds.env"]
        kind = _kind(case)
        base = Verdict(subject, kind, UNCHECKED, "", region=_region(case))
        match = first_match(RULES, local)
        if match is not None:
            return self._broken(case, base, *match)
        if kind == "none":
            if subject.here:
                instance = self._instance_role(case, base)
                if instance is not None:
                    return instance
                local = [case.evidence[e.probe] for e in local]  # with what IMDS answered
                found = first_match(NO_CREDENTIALS_RULES, local)
                rule, evidence = found or (Rule("creds.chain", (), "no-credentials"), local[0])
                return self._broken(case, base, rule, evidence)
            summary = "no credentials of its own (region or other settings only)"
            return _done(case, replace(base, state=SETTINGS, summary=summary))
        if self.ctx.offline:
            summary = "no problem found in its settings; --offline: not asked who it is"
            return _done(case, replace(base, summary=summary))
        region = case.evidence["config.region"]
        if any(region.has(finding) for finding in NO_REGION):
            # Ask in a default region all the same: a bad key matters more than a missing region.
            ctx = replace(ctx, region=FALLBACK_REGION)
            case = self._case(ctx, case.evidence)
            verdict = self._online(case, base)
            return verdict if verdict.problem else self._no_region(case, verdict, region)
        return self._online(case, base)

    def _online(self, case: _Case, base: Verdict) -> Verdict:
        """What only AWS can tell: who these credentials are."""
        kind = base.kind
        if kind in ("role", "web identity"):
            return self._role(case, base)
        if kind == "process" and not self._consented(PROCESS_CONSENT):
            summary = "no problem found in its settings; running the helper needs your consent"
            return _done(case, replace(base, summary=summary, needs=(PROCESS_CONSENT,)))
        if kind == "process":
            # The lookup diagnose's walk makes first (creds.process-program, no run): what it
            # finds (a missing #! interpreter, an unquoted space) decides the steps too.
            case.probe("creds.process-program")
            ran = case.probe("creds.process")
            match = first_match(RULES, [ran])
            if match is not None:
                return self._broken(case, base, *match)
        return self._identity(case, base)

    def _instance_role(self, case: _Case, base: Verdict) -> Verdict | None:
        """Nothing before instance metadata: ask it as the no-credentials tree does (its `imds`
        node: the same probe, the same branches), before naming no-credentials. None: the tree
        goes on past it (not on EC2, turned off) to the causes `NO_CREDENTIALS_RULES` name."""
        from awsmedic.core.engine import choose_probe
        from awsmedic.kb.model import CauseNode, ProbeNode

        tree = self.knowledge.trees.get(NO_CREDENTIALS_TREE)
        node = tree.nodes.get(IMDS_NODE) if tree is not None else None
        if not isinstance(node, ProbeNode) or not imds_left(case.world.chain()):
            return None
        evidence = self._imds(case, node.probe)
        chain = case.evidence["creds.chain"]
        case.evidence[chain.probe] = _with_instance_role(chain, evidence)
        if evidence.status is Status.SKIPPED:
            # Not asked (--offline, out of time): nothing is known about the instance role, and
            # "no credentials" would be a guess.
            why = evidence.summary.removeprefix("not checked: ")
            summary = f"{BEFORE_IMDS}; {IMDS_NOT_CHECKED} ({why})"
            return _done(case, replace(base, state=UNCHECKED, summary=summary))
        choice = choose_probe(node, evidence)
        target = tree.nodes.get(choice[1]) if choice is not None and tree is not None else None
        if evidence.has("imds-role-ok"):
            # The tree's "found here": instance metadata serves the role's credentials, which
            # botocore uses. Who they are is asked as for any credentials.
            instance = replace(base, kind=_KIND["iam-role"])
            verdict = self._identity(case, instance)
            if verdict.state == UNCHECKED:
                # STS not reached: the role's credentials came, but whether AWS takes them was
                # not checked, and "works" would be a guess.
                verdict = replace(verdict, summary=f"{evidence.summary}; {verdict.summary}")
            return verdict
        if isinstance(target, CauseNode):
            rule = Rule(node.probe, (choice[0],) if choice else (), target.cause)
            return self._broken(case, base, replace(rule, confidence=target.confidence), evidence)
        return None

    def _imds(self, case: _Case, probe_id: str) -> Evidence:
        """The instance metadata probe; with --offline, only what it says without asking."""
        from awsmedic.probes.imds import without_network

        if self.ctx.offline and probe_id not in case.evidence:
            local = without_network(ProbeInput(case.ctx, case.world))
            if local is not None:
                case.evidence[probe_id] = local
        return case.probe(probe_id)

    def _no_region(self, case: _Case, verdict: Verdict, region: Evidence) -> Verdict:
        diagnosis = self._diagnosis(case, "no-region", [region])
        summary = (
            f"{verdict.summary} (asked in {FALLBACK_REGION}); but {region.summary}: commands"
            " that need a region fail with NoRegionError"
        )
        return replace(verdict, state=BROKEN, summary=summary, diagnosis=diagnosis)

    def _consented(self, probe_id: str) -> bool:
        return self.answers.get(CONSENT_PREFIX + probe_id) == "yes"

    def _identity(self, case: _Case, base: Verdict) -> Verdict:
        """Ask AWS who these credentials are; a refusal is diagnosed as a pasted error."""
        answer = case.probe("sts.identity")
        if answer.status is Status.OK:
            age = case.probe("iam.key-age") if base.kind == "keys" else None
            days = age.facts["key_age"].value if age and "key_age" in age.facts else ""
            arn = answer.facts["arn"].value
            return _done(case, replace(base, state=WORKS, summary=arn, identity=arn, key_age=days))
        if answer.unchecked is Unchecked.UNREACHABLE:
            return self._unreachable(case, base, answer)
        if answer.status is Status.SKIPPED:
            return _done(case, replace(base, summary=answer.summary, needs=_needs(answer)))
        return self._refused(case, base, answer)

    def _role(self, case: _Case, base: Verdict) -> Verdict:
        """A role: its source's identity (the keys that sign AssumeRole); the role itself
        only with consent."""
        source_broken = self._role_source(case, base)
        if source_broken is not None:
            return source_broken
        if self._consented(ROLE_CONSENT):
            assumed = case.probe(ROLE_CONSENT)
            if assumed.status is Status.OK:
                arn = assumed.facts["arn"].value
                return _done(case, replace(base, state=WORKS, summary=arn, identity=arn))
            if assumed.has("role-assume-failed"):
                return self._refused(case, base, assumed)
            if assumed.unchecked is Unchecked.UNREACHABLE:
                return self._unreachable(case, base, assumed)
            said = "assuming the role runs the credential_process helper of its source profile {}"
            summary = _helper_summary(case, assumed, said)
            return _done(case, replace(base, summary=summary, needs=_needs(assumed)))
        needs = (ROLE_CONSENT,)
        source_profile = case.world.chain().source_profile
        if base.kind == "web identity" or not source_profile:
            summary = "no problem found in its settings; assuming the role needs your consent"
            return _done(case, replace(base, summary=summary, needs=needs))
        source_ctx = replace(case.ctx, profile=source_profile)
        source = self._case(source_ctx)
        answer = source.probe("sts.identity")
        if answer.status is Status.OK:
            summary = (
                f"its source profile '{source_profile}' works ({answer.facts['arn'].value});"
                " assuming the role needs your consent"
            )
            return _done(case, replace(base, summary=summary, needs=needs), (answer,))
        if answer.unchecked is Unchecked.UNREACHABLE:
            return self._unreachable(case, base, answer, source, needs)
        if answer.status is Status.SKIPPED:
            said = "its source profile {} signs with a credential_process helper's keys"
            summary = _helper_summary(case, answer, said)
            verdict = replace(base, summary=summary, needs=_needs(answer) + needs)
            return _done(case, verdict, (answer,))
        return self._refused(case, base, answer, source)

    def _role_source(self, case: _Case, base: Verdict) -> Verdict | None:
        """A role whose credential_source is Ec2InstanceMetadata: ask instance metadata as the
        credential-retrieval tree does for "No credentials found in credential_source" (its
        `role-imds` node: the same probe, the same branches). A finding there is the tree's
        cause; None where it found nothing wrong (a role answers), or could not ask."""
        from awsmedic.core.engine import choose_probe
        from awsmedic.kb.model import CauseNode, ProbeNode

        if not case.evidence["config.role"].has("role-credential-source-imds"):
            return None
        tree = self.knowledge.trees.get(RETRIEVAL_TREE)
        node = tree.nodes.get(ROLE_IMDS_NODE) if tree is not None else None
        if tree is None or not isinstance(node, ProbeNode):
            return None
        evidence = self._imds(case, node.probe)
        choice = choose_probe(node, evidence)
        if choice is None or choice[0] in _NO_FINDING:
            return None
        target = tree.nodes.get(choice[1])
        if not isinstance(target, CauseNode):
            return None
        rule = Rule(node.probe, (choice[0],), target.cause, confidence=target.confidence)
        return self._broken(case, base, rule, evidence)

    def _unreachable(
        self,
        case: _Case,
        base: Verdict,
        answer: Evidence,
        asked: _Case | None = None,
        needs: tuple[str, ...] = (),
    ) -> Verdict:
        """AWS never answered. That checked nothing of the credentials; but where a setting of
        this machine is why (an endpoint override nothing answers at, a CA bundle that cannot
        work, a proxy that is down), the walk of that error names it as `diagnose` would, and
        that is a problem found. Otherwise (the network itself) the row stays unchecked."""
        asked = asked or case
        outcome = self._consult(asked, _error_text(answer))
        diagnosis = outcome.diagnosis
        unchecked = replace(base, summary=answer.summary, needs=_needs(answer) + needs)
        if (
            diagnosis is None
            or diagnosis.confidence is not Confidence.CONFIRMED
            or diagnosis.cause in NETWORK_CAUSES
        ):
            return _done(case, unchecked, (answer,) if asked is not case else ())
        summary = _setting_summary(outcome.probes) or answer.summary
        verdict = replace(base, state=BROKEN, summary=summary, diagnosis=diagnosis)
        more = tuple(self._reworded(e) for e in outcome.probes if e.probe not in case.evidence)
        return _done(case, verdict, (answer, *more) if asked is not case else more)

    def _refused(
        self, case: _Case, base: Verdict, answer: Evidence, asked: _Case | None = None
    ) -> Verdict:
        """Diagnose a refusal as a pasted error, in the world of whoever was refused (`asked`:
        a role's source profile)."""
        asked = asked or case
        outcome = self._consult(asked, _error_text(answer))
        diagnosis = outcome.diagnosis
        if diagnosis is None and outcome.candidates:
            evidence = [*asked.evidence.values(), *outcome.probes]
            best = outcome.candidates[0]
            diagnosis = self._diagnosis(asked, best.cause, evidence, Confidence.POSSIBLE)
        state = EXPIRED if diagnosis and "expired" in diagnosis.cause else BROKEN
        verdict = replace(base, state=state, summary=answer.summary, diagnosis=diagnosis)
        more = tuple(self._reworded(e) for e in outcome.probes if e.probe not in case.evidence)
        return _done(case, verdict, (answer, *more) if asked is not case else more)

    def _machine_probe(self, case: _Case, probe_id: str) -> Evidence:
        """A probe of the machine, not of a profile (the installed AWS CLI): run once per check,
        however many subjects need it."""
        with self._lock:
            if probe_id not in self._machine:
                self._machine[probe_id] = case.probe(probe_id)
            return self._machine[probe_id]

    def _consult(self, case: _Case, text: str) -> Any:
        """Walk the tree for this error without asking anyone; consent only from --answer."""
        from awsmedic.core.consult import Consultation
        from awsmedic.core.transcript import new_transcript

        # A probe that needs consent asks (and, unanswered, does not run), as in `diagnose`.
        # Its budget is what is left of the check's.
        ctx = replace(case.ctx, budget=self.deadline.left())
        consultation = Consultation(ctx, self.knowledge, self.book, new_transcript(ctx))
        consultation.recognise(text, preset=self.answers)
        return consultation.run(lambda question: None)

    def _reworded(self, evidence: Evidence) -> Evidence:
        """A probe the consultation's share of the budget cut, said as the check's budget."""
        if evidence.unchecked is not Unchecked.BUDGET:
            return evidence
        return not_checked(evidence.probe, Unchecked.BUDGET, _out_of_time(self.deadline))

    def _broken(self, case: _Case, base: Verdict, rule: Rule, evidence: Evidence) -> Verdict:
        diagnosis = self._diagnosis(case, rule.cause, [evidence], rule.confidence)
        verdict = replace(base, state=rule.state, summary=evidence.summary, diagnosis=diagnosis)
        return _done(case, verdict)

    def _diagnosis(
        self,
        case: _Case,
        cause_id: str,
        evidence: Iterable[Evidence],
        confidence: Confidence = Confidence.CONFIRMED,
    ) -> Diagnosis | None:
        """The cause with its steps filled from everything this subject's probes found."""
        from awsmedic.core.engine import step_probes
        from awsmedic.core.remedy import context_facts, context_findings, diagnose, merge_facts
        from awsmedic.core.situation import NO_TOOL, situation_for

        cause = self.knowledge.causes.get(cause_id)
        if cause is None:
            return None
        for probe_id in step_probes(cause):  # what diagnose asks before it shows the steps
            case.evidence.setdefault(probe_id, self._machine_probe(case, probe_id))
        evidence = list(evidence)
        every = [*case.evidence.values(), *evidence]
        facts = merge_facts({}, every, context_facts(case.ctx))
        # No paste: every text signal is known to be absent (a step for an error's own wording
        # is not one for this set-up), and so is a tool that printed one (audit 4 s02: no-region
        # led with Amplify's step, undecided like every other, because it names `~/.aws`).
        situation = situation_for(
            every,
            facts,
            signals=context_findings(case.ctx),
            all_signals=frozenset(self.knowledge.signals),
            tool=NO_TOOL,
        )
        lines = [e.summary for e in evidence if e.summary]
        return diagnose(cause, confidence, lines, facts, situation)


def _with_instance_role(chain: Evidence, instance: Evidence) -> Evidence:
    """The chain's summary with what instance metadata answered in place of "not checked"."""
    said = f"{BEFORE_IMDS}; {IMDS_NOT_CHECKED}"
    if said not in chain.summary or instance.status is Status.SKIPPED:
        return chain
    if instance.has("imds-role-ok"):
        answer = f"credentials from iam-role ({instance.summary})"
    else:
        answer = f"{BEFORE_IMDS}; {instance.summary}"
    return replace(chain, summary=chain.summary.replace(said, answer))


def _done(case: _Case, verdict: Verdict, more: tuple[Evidence, ...] = ()) -> Verdict:
    return replace(verdict, probes=(*case.evidence.values(), *more))


def _late(verdicts: list[Verdict], clock: Evidence | None, deadline: Deadline) -> tuple[str, ...]:
    """One `offline` line for what the budget cut, if anything."""
    from awsmedic.core.unchecked import title

    probes = {id(e): e for v in verdicts for e in v.probes}
    if clock is not None:
        probes.setdefault(id(clock), clock)
    cut = [title(e.probe) for e in probes.values() if e.unchecked is Unchecked.BUDGET]
    cut += ["every check of a profile"] * sum(not v.probes for v in verdicts)
    if not cut:
        return ()
    count = f"{len(cut)} check{'s' if len(cut) != 1 else ''}"
    return (f"{', '.join(dict.fromkeys(cut))} ({count}): out of time ({_out_of_time(deadline)})",)


def _needs(evidence: Evidence) -> tuple[str, ...]:
    """The consent a check that could not be made needed: a credential_process helper's."""
    return (PROCESS_CONSENT,) if evidence.unchecked is Unchecked.CONSENT else ()


def _helper_summary(case: _Case, evidence: Evidence, said: str) -> str:
    """A role's check refused the helper of its source profile: say so in the words of the
    other consent lines (the hint comes from `needs`)."""
    if evidence.unchecked is not Unchecked.CONSENT:
        return evidence.summary
    source = case.world.chain().source_profile
    said = said.format(f"'{source}'")
    return f"no problem found in its settings; {said}: running it needs your consent"


def _relabel(verdict: Verdict) -> Verdict:
    """The subject in use here is labelled by where its credentials come from."""
    if not verdict.subject.here:
        return verdict
    chain = next((e for e in verdict.probes if e.probe == "creds.chain"), None)
    method = chain.facts.get("credential_source") if chain else None
    profile = chain.facts.get("profile") if chain else None
    if method is not None and method.value == "env":
        label = "environment"
    elif profile is not None:
        label = profile.value
    else:
        label = verdict.subject.label
    return replace(verdict, subject=replace(verdict.subject, label=label))


def _kind(case: _Case) -> str:
    chain = case.evidence["creds.chain"]
    source = chain.facts.get("credential_source")
    if source is not None:
        return _KIND.get(source.value, source.value)
    profile = case.evidence["config.profile"]
    for finding in profile.findings:
        if finding.startswith("profile-kind-"):
            kind = finding.removeprefix("profile-kind-")
            return _PROFILE_KIND.get(kind, kind)
    return "none"


def _region(case: _Case) -> str:
    region = case.evidence["config.region"].facts.get("region")
    return region.value if region is not None else ""


def _setting_summary(probes: Iterable[Evidence]) -> str:
    """What the walk of an unreachable endpoint found wrong, in its probes' words."""
    return "; ".join(dict.fromkeys(e.summary for e in probes if e.status is Status.PROBLEM))


def _error_text(answer: Evidence) -> str:
    """The refusal as AWS or botocore worded it, for the matcher."""
    return "\n".join([answer.summary, *answer.details])


def meant_profiles(ctx: Context) -> list[str]:
    """Every profile the files define, or meant to: a `[profile dev]` header in the credentials
    file and a `[dev]` one in the config file both mean a profile `dev` (and `check` says why
    botocore does not see it that way). `default` first, then by name."""
    from awsmedic.aws import sharedfiles

    files = sharedfiles.load(ctx)
    names: set[str] = set()
    for file in files.files:
        for section in file.ini.sections if file.ini is not None and file.ini.parses else ():
            name = section.name.strip()
            if file.kind == sharedfiles.CONFIG:
                named = sharedfiles.config_profile_name(section.name)
                if named is not None and named[0] != "profile":
                    continue  # [sso-session x], [services x]
                if named is None and name.startswith(("sso-session", "services")):
                    continue
                name = named[1].strip() if named else name.removeprefix("profile").strip()
            elif name.startswith("profile "):
                name = name.removeprefix("profile ").strip()
            if name:
                names.add(name)
    return sorted(names, key=lambda n: (n != "default", n))
