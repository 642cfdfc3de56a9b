"""/check: after the user followed the steps, check the case again and say what changed.

The same paste is walked again from the start, in a fresh world (the shared files, caches and
botocore are read anew; the answers given before are reused, so nothing is asked twice), and
every probe of the path first taken runs again. Then sts:GetCallerIdentity says whether AWS
accepts the credentials now. The verdict compares before and after:

- fixed: AWS accepts the credentials, and no finding that chose the first cause is left;
- retry: AWS accepts them and nothing here points to the cause any more, but the cause came
  from the pasted error itself (an AccessDenied, say): only running the command again tells;
- still: a finding that chose the cause is still there (with the next step);
- changed: the first problem is gone, and the walk now ends at another cause;
- not-fixed: AWS still refuses the credentials;
- unknown: AWS could not be asked (no network, a timeout): what changed here is listed.

The process's environment variables cannot change under it: a fix made with `export` or
`unset` in another shell is out of sight, and the result says so when the case rests on them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from awsmedic.context import Context
from awsmedic.core.consult import Consultation, Outcome
from awsmedic.core.transcript import Transcript
from awsmedic.kb.model import Knowledge, ProbeNode
from awsmedic.model import Diagnosis, Evidence
from awsmedic.probes import Consent, ProbeSpec
from awsmedic.probes import spec as probe_spec
from awsmedic.safety.redact import SecretBook

IDENTITY_PROBE = "sts.identity"
#: Probes whose findings come from the pasted error alone: the paste does not change when the
#: fix is made, so their findings being "still there" says nothing.
PASTE_ONLY = frozenset({"denial.message", "denial.decode", "clock.error-time"})


class Verdict(enum.StrEnum):
    FIXED = "fixed"
    RETRY = "retry"
    STILL = "still"
    CHANGED = "changed"
    NOT_FIXED = "not-fixed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Change:
    """One check of the first path whose result is not what it was."""

    probe: str
    before: Evidence
    after: Evidence


@dataclass(frozen=True)
class Recheck:
    verdict: Verdict
    cause: str  # the title of the cause first found (or the best candidate's)
    changes: tuple[Change, ...]
    still: tuple[Evidence, ...]  # checks whose deciding finding is still there
    identity: Evidence | None  # sts:GetCallerIdentity now
    key_id: str  # the access key id sent now, masked ("" when none)
    outcome: Outcome  # the new walk
    next_step: Diagnosis | None  # the diagnosis whose steps come next (new, or the first one)
    environment: bool  # the case rests on environment variables this process cannot see change


def deciding(consultation: Consultation) -> dict[str, str]:
    """Probe id -> the finding that chose the way, for each probe node of the path taken."""
    state = consultation.state
    if state is None:
        return {}
    found: dict[str, str] = {}
    from awsmedic.core.engine import taken

    for node_id in state.path:
        node = state.tree.nodes[node_id]
        evidence = state.evidence.get(node.probe) if isinstance(node, ProbeNode) else None
        way = taken(state, node_id)
        if evidence is not None and way is not None and way[0] in evidence.findings:
            found[evidence.probe] = way[0]
    return found


def _path_probes(consultation: Consultation) -> list[str]:
    state = consultation.state
    if state is None:
        return []
    ids = [
        node.probe
        for node in (state.tree.nodes[node_id] for node_id in state.path)
        if isinstance(node, ProbeNode) and node.probe in state.evidence
    ]
    return list(dict.fromkeys(ids))


def _presets(outcome: Outcome) -> dict[str, str]:
    """The answers given before (consent included), so the new walk asks nothing twice."""
    return {question.id: answer for question, answer in outcome.questions if answer}


def _may_run(probe_id: str, consented: Mapping[str, str]) -> bool:
    """Probes that need consent run again only if the user said yes the first time."""
    found = probe_spec(probe_id)
    if found is None:
        return False
    return found.consent is Consent.NONE or consented.get(f"consent:{probe_id}") == "yes"


def again(
    ctx: Context,
    knowledge: Knowledge,
    book: SecretBook,
    first: Consultation,
    transcript: Transcript | None = None,
    on_probe_start: Callable[[ProbeSpec], None] | None = None,
) -> Consultation:
    """A new consultation for `first`'s paste, in a fresh world, not yet walked (so that a
    caller can cancel it while it runs). Its events go to `transcript` (the session's, so that
    an export shows the check), or nowhere."""
    from awsmedic.safety.secretscan import known_secrets

    book.add(known_secrets(ctx))  # the fix may have put new keys in the files: mask them too
    return Consultation(
        ctx,
        knowledge,
        book,
        transcript or Transcript(),
        on_probe_start=on_probe_start,
        matcher=first.matcher,
    )


def recheck(first: Consultation, second: Consultation) -> Recheck:
    """Walk the paste again with `second` (from `again`) and say what changed since `first`.
    Raises `Cancelled` when `second` is cancelled."""
    assert first.outcome is not None and first.state is not None
    presets = _presets(first.outcome)
    second.recognise(first.pasted, preset=presets)
    outcome = second.run(lambda question: None)
    return compare(first, second, outcome, presets)


def compare(
    first: Consultation, second: Consultation, outcome: Outcome, presets: Mapping[str, str]
) -> Recheck:
    assert first.state is not None and first.outcome is not None
    before = dict(first.state.evidence)
    after = {e.probe: e for e in second.results()}
    for probe_id in _path_probes(first):
        if probe_id not in after and _may_run(probe_id, presets):
            after[probe_id] = second.probe(probe_id)
    if IDENTITY_PROBE not in after:
        after[IDENTITY_PROBE] = second.probe(IDENTITY_PROBE)
    changes = tuple(
        Change(probe_id, before[probe_id], after[probe_id])
        for probe_id in _path_probes(first)
        if probe_id in after and _differs(before[probe_id], after[probe_id])
    )
    still = tuple(
        after[probe_id]
        for probe_id, finding in deciding(first).items()
        if probe_id in after and finding in after[probe_id].findings and probe_id not in PASTE_ONLY
    )
    identity = after.get(IDENTITY_PROBE)
    old = first.outcome.diagnosis or first.outcome.guess
    verdict = _verdict(old, outcome, identity, still)
    next_step = outcome.diagnosis or outcome.guess
    if verdict is Verdict.STILL and old is not None:
        next_step = outcome.diagnosis if _same(old, outcome.diagnosis) else old
    chain = after.get("creds.chain")
    key = chain.facts.get("access_key_id") if chain is not None else None
    return Recheck(
        verdict,
        old.title if old is not None else "",
        changes,
        still,
        identity,
        key.value if key is not None else "",
        outcome,
        None if verdict in (Verdict.FIXED, Verdict.RETRY) else next_step,
        _environment(before),
    )


def _differs(before: Evidence, after: Evidence) -> bool:
    return (before.findings, before.status, before.summary) != (
        after.findings,
        after.status,
        after.summary,
    )


def _same(old: Diagnosis | None, new: Diagnosis | None) -> bool:
    return old is not None and new is not None and old.cause == new.cause


def _verdict(
    old: Diagnosis | None,
    outcome: Outcome,
    identity: Evidence | None,
    still: tuple[Evidence, ...],
) -> Verdict:
    works = identity is not None and "identity-ok" in identity.findings
    if still:
        return Verdict.STILL
    if identity is None or identity.unchecked is not None:
        return Verdict.UNKNOWN
    if works:
        # The paste has not changed: a cause read from it alone is found again by the walk.
        return Verdict.RETRY if _same(old, outcome.diagnosis) else Verdict.FIXED
    if outcome.diagnosis is not None and not _same(old, outcome.diagnosis):
        return Verdict.CHANGED
    return Verdict.NOT_FIXED


def _environment(before: Mapping[str, Evidence]) -> bool:
    """Whether the credentials came from environment variables, or the case is about them."""
    for evidence in before.values():
        source = evidence.facts.get("credential_source")
        if source is not None and source.value == "env":
            return True
        if evidence.probe == "creds.env" and evidence.findings:
            return True
    return False
