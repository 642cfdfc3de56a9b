"""Does what printed a paste, or where it ran, rank a family's causes better than its priors?

A bare error code (`InvalidClientTokenId`, sixteen causes) cannot be ordered by its words, so
the family's priors (benchmarks.fit_priors) decide its first five candidates. This experiment
asks whether priors conditioned on context do better when fitted on one half of the development
part and scored on the other (benchmarks.dev_halves), both ways. A context key is

- `tool:<id>`: the tool awsmedic recognised as the one that printed the paste (tools.toml:
  Terraform, kubectl, a Java SDK, the GitHub Actions credential action, ...);
- `sdk:<language>`: the SDK under that tool (tools.toml `wraps`, followed to the end: Terraform
  prints the Go SDK's errors), pooling tools into fewer, larger groups;
- `ctx:<name>`: a coarse property of the paste that is a real mechanism of where the request
  ran or what signed it: a CI runner's log, a container or EKS, EC2 instance metadata or an EC2
  prompt, a Lambda function, an assumed-role ARN, a temporary (`ASIA`) or long-term (`AKIA`) key
  id (CONTEXT: text signals of signals.toml, and two patterns this module names).

Per family F and key k seen with at least `least` of F's fitting texts, the key becomes a hint
of F's tree (as it would be written, `boost = {cause = points}`), shrunk toward the family:

    count:    boost[c] = T * (n_k[c] - n_k * prior[c] / T) / (n_k + M)
    residual: boost[c] = T * sum over k's texts of (1[cause = c] - share[c]) / (n_k + M)

T is the sum of F's priors (fitted on the same half by fit_priors.CHOSEN), n_k the texts of F
with key k, n_k[c] those labelled c, M the pseudo-texts the family prior is worth; `share` is
the cause's share of F's weights for that text as ranked now (prior plus the hints that already
apply: an `ASIA` hint already raises missing-session-token, so `residual` counts only what the
existing hints leave unexplained). Only the development part is read.

A rule is adopted only if, fitted on one half, it raises recall@5 and does not lower recall@1
on the other, in both directions (the `adopt` column). None of the 40 did (2026-12-05, 543
labelled dev texts, halves of 279 and 264). @5 rose by one or two texts at most; the three rules
that raised it in both halves (one text each) lost two to five texts at @1 on half B, as every
tool- or SDK-keyed rule did. The two that raised @1 in both halves (context keys, residual, M=10,
alone or with tools) left @5 where it was, and with M=5 or 25 they lost @1 on B. The per-tool
distributions are small and change sign between the halves (access-denied printed by the AWS
CLI, count, M=5, fitted on B: iam-permission-denied -22, web-identity-failure +18; on A:
assume-role-denied +29, web-identity-failure -6), and the context properties are rare in real
pastes (of 543: an `ASIA` key id in 1, a CI log in 3, Lambda in 1, an assumed-role ARN in 4).
The one boost both halves agreed on (instance-metadata texts that name instance metadata:
no-credentials up) is no context effect: 20 of that family's 21 texts name it, so it re-fits
the family's prior. So the trees carry no tool- or context-keyed priors; text hints that name a
mechanism (an `ASIA` key id, a container endpoint, an endpoint override) stay hand-written.

    .venv/bin/python -m benchmarks.fit_context          # the cross-fitted comparison table
    .venv/bin/python -m benchmarks.fit_context --show   # and the boosts each rule fits
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from benchmarks.dev_halves import half_of
from benchmarks.fit_priors import CHOSEN, fit, hand_priors, labelled_rows

if TYPE_CHECKING:
    from awsmedic.kb.model import Hint, Knowledge

#: Text signals (signals.toml) that say where the request ran or what signed it.
CONTEXT_SIGNALS = (
    "ci-log",
    "github-actions",
    "container-context",
    "eks-context",
    "imds-named",
    "ec2-host-prompt",
    "key-id-temporary",
    "key-id-long-term",
    "provider-container",
    "ci-action-inputs",
    "endpoint-named",
    "mentions-sso",
)
#: Context that no signal names yet: a role session's ARN (IAM's ARN format for an assumed role,
#: `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`), and a Lambda function (the
#: runtime's variables and the log group Lambda writes to).
CONTEXT_PATTERNS = {
    "assumed-role-arn": re.compile(r"\barn:aws[\w-]*:sts::\d{12}:assumed-role/", re.I),
    "lambda": re.compile(r"\bAWS_LAMBDA_\w+|/aws/lambda/|\bLambda function\b", re.I),
}
#: The SDK's language, for the leaf of a tool's `wraps` (the AWS CLI is built on botocore).
_LANGUAGE = {"boto3": "python", "aws-cli": "python"}


@dataclass(frozen=True)
class Row:
    """One labelled dev text: its half, best family, cause and context keys."""

    id: str
    half: str
    family: str | None
    cause: str
    keys: frozenset[str]


@dataclass(frozen=True)
class Rule:
    """Which keys count (`tool`, `ctx` or both), how many fitting texts a key needs in a family,
    the family prior's worth in texts (M), and whether boosts count labels (`count`) or what the
    current ranking leaves unexplained (`residual`)."""

    kinds: tuple[str, ...]
    least: int = 3
    shrink: float = 10.0
    method: str = "count"

    def __str__(self) -> str:
        return f"{'+'.join(self.kinds)}, {self.method}, M={self.shrink:g}, n>={self.least}"


RULES = tuple(
    Rule(kinds, least, shrink, method)
    for method in ("count", "residual")
    for kinds in (("tool",), ("sdk",), ("ctx",), ("tool", "ctx"))
    for shrink, least in ((5.0, 3), (10.0, 3), (25.0, 3), (25.0, 5), (50.0, 5))
)


def language(knowledge: Knowledge, tool: str) -> str:
    """The SDK a tool's errors come from: its `wraps` followed to the end, by language."""
    wraps = {t.id: t.wraps for t in knowledge.tools}
    seen = {tool}
    while wraps.get(tool) and wraps[tool][0] not in seen:
        tool = wraps[tool][0]
        seen.add(tool)
    return _LANGUAGE.get(tool, re.sub(r"-sdk(?:-v\d+)?$", "", tool))


def keys_of(knowledge: Knowledge, tool: str | None, text: str) -> frozenset[str]:
    """A text's context keys. The matcher looks up only the signals its matched trees use, so
    the context signals are searched here, over the text the hints read."""
    keys = {f"tool:{tool}", f"sdk:{language(knowledge, tool)}"} if tool else set()
    keys |= {
        f"ctx:{name}"
        for name in CONTEXT_SIGNALS
        if any(pattern.search(text) for pattern in knowledge.signals.get(name, ()))
    }
    keys |= {f"ctx:{name}" for name, rx in CONTEXT_PATTERNS.items() if rx.search(text)}
    return frozenset(keys)


def _knowledge() -> Knowledge:
    from awsmedic.kb import knowledge_dirs, load_checked

    return load_checked(knowledge_dirs({}))


@contextmanager
def _installed(
    knowledge: Knowledge,
    priors: Mapping[str, Mapping[str, int]],
    extra: Mapping[str, tuple[Hint, ...]],
) -> Iterator[None]:
    """These priors and these extra hints in the trees, for the time of the block."""
    saved = {tid: (tree.priors, tree.hints) for tid, tree in knowledge.trees.items()}
    try:
        for tid, tree in knowledge.trees.items():
            if tid in priors:
                object.__setattr__(tree, "priors", dict(priors[tid]))
            object.__setattr__(tree, "hints", tree.hints + extra.get(tid, ()))
        yield
    finally:
        for tid, (p, h) in saved.items():
            object.__setattr__(knowledge.trees[tid], "priors", p)
            object.__setattr__(knowledge.trees[tid], "hints", h)


@dataclass(frozen=True)
class Ranked:
    """A text's candidates (None: not recognised) and its family's shares from the start."""

    causes: list[str] | None
    shares: dict[str, float]


def _rank(knowledge: Knowledge, texts: Iterable[str]) -> list[Ranked]:
    """Each text ranked as `diagnose --no-probes --no-input` would; the context keys join the
    paste's signals (inert unless a hint names them)."""
    from awsmedic.context import Context
    from awsmedic.core import engine
    from awsmedic.core.consult import Consultation
    from awsmedic.core.transcript import new_transcript
    from awsmedic.safety.redact import SecretBook

    ctx = Context.from_process(offline=True, probes_enabled=False)
    out: list[Ranked] = []
    for text in texts:
        case = Consultation(ctx, knowledge, SecretBook(), new_transcript(ctx))
        recognition = case.recognise(text)
        if not recognition.best or case.state is None:
            out.append(Ranked(None, {}))
            continue
        keys = keys_of(knowledge, recognition.tool, case.state.text)
        case.state = replace(case.state, signals=case.state.signals | keys)
        tree = case.state.tree
        weights = engine.weights(case.state, tree, tree.start)
        total = sum(weights.values()) or 1
        outcome = case.run(lambda question: None)
        out.append(
            Ranked(
                [c.cause for c in outcome.candidates],
                {c: w / total for c, w in weights.items()},
            )
        )
    return out


def rows_with_keys() -> tuple[list[Row], dict[str, str]]:
    """Every labelled dev text with its context keys, and each text's id -> text."""
    from awsmedic.context import Context
    from awsmedic.core.consult import Consultation
    from awsmedic.core.transcript import new_transcript
    from awsmedic.safety.redact import SecretBook
    from benchmarks.bench_recognition import entries

    knowledge = _knowledge()
    ctx = Context.from_process(offline=True, probes_enabled=False)
    rows: list[Row] = []
    texts: dict[str, str] = {}
    for row in entries("dev"):
        if row["cause"] in ("not-aws", "unknown"):
            continue
        case = Consultation(ctx, knowledge, SecretBook(), new_transcript(ctx))
        recognition = case.recognise(row["text"])
        best = recognition.best
        text = case.state.text if case.state is not None else row["text"]
        keys = keys_of(knowledge, recognition.tool, text)
        rows.append(Row(row["id"], half_of(row), best.tree if best else None, row["cause"], keys))
        texts[row["id"]] = row["text"]
    return rows, texts


def boosts(
    rule: Rule,
    rows: Iterable[Row],
    priors: Mapping[str, Mapping[str, int]],
    shares: Mapping[str, Mapping[str, float]],
) -> dict[str, dict[str, dict[str, int]]]:
    """Per tree, per key, the points each cause gets under `rule`, fitted on `rows` (`shares`:
    each row's family shares as ranked now, for `residual`)."""
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        if row.family is None:
            continue
        for key in row.keys:
            if key.split(":", 1)[0] in rule.kinds:
                groups[(row.family, key)].append(row)
    out: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    for (tree, key), group in sorted(groups.items()):
        weights = priors.get(tree, {})
        total = sum(weights.values())
        if len(group) < rule.least or not total:
            continue
        mass = len(group) + rule.shrink
        if rule.method == "count":
            seen = Counter(r.cause for r in group)
            raw = {c: seen[c] - len(group) * w / total for c, w in weights.items()}
        else:
            raw = {
                c: sum((r.cause == c) - shares.get(r.id, {}).get(c, 0.0) for r in group)
                for c in weights
            }
        points = {c: round(total * x / mass) for c, x in raw.items()}
        points = {c: p for c, p in points.items() if p}
        if points:
            out[tree][key] = points
    return out


def as_hints(fitted: Mapping[str, Mapping[str, Mapping[str, int]]]) -> dict[str, tuple[Hint, ...]]:
    from awsmedic.kb.model import Hint

    return {
        tree: tuple(Hint(None, dict(points), signal=key) for key, points in by_key.items())
        for tree, by_key in fitted.items()
    }


def _hits(ranked: list[Ranked], rows: list[Row]) -> tuple[int, int, int, int]:
    """(texts, hits at 1, 3, 5): a text not recognised is a miss."""
    ranks = []
    for got, row in zip(ranked, rows, strict=True):
        causes = got.causes or []
        ranks.append(causes.index(row.cause) + 1 if row.cause in causes else 0)

    def hits(k: int) -> int:
        return sum(1 for rank in ranks if 0 < rank <= k)

    return len(ranks), hits(1), hits(3), hits(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print the boosts each rule fits")
    args = parser.parse_args()
    knowledge = _knowledge()
    hand = hand_priors()
    rows, texts = rows_with_keys()
    fr = labelled_rows()  # fit_priors' own rows, so the family priors are exactly CHOSEN's
    by_half = {h: [r for r in rows if r.half == h] for h in "AB"}
    priors = {h: fit(hand, (r for r in fr if r.half == h), CHOSEN) for h in "AB"}
    # Shares as ranked now, in-sample (each half under its own priors), for `residual`.
    shares: dict[str, dict[str, float]] = {}
    for h in "AB":
        with _installed(knowledge, priors[h], {}):
            ranked_now = _rank(knowledge, (texts[r.id] for r in by_half[h]))
        for row, now in zip(by_half[h], ranked_now, strict=True):
            shares[row.id] = now.shares
    print(
        "| rule | A: @1 @3 @5 | B: @1 @3 @5 | both: @1 @3 @5 "
        "| texts vs current, A: @1 @5 / B: @1 @5 | hints | adopt |"
    )
    print("|---|---|---|---|---|---|---|")
    configs: list[tuple[str, Rule | None]] = [("current rule (fit_priors.CHOSEN)", None)]
    configs += [(str(rule), rule) for rule in RULES]
    base: dict[str, tuple[int, int, int, int]] = {}
    for name, rule in configs:
        got = {}
        count = 0
        for scored, fitted in (("A", "B"), ("B", "A")):
            fitting = by_half[fitted]
            extra = as_hints(boosts(rule, fitting, priors[fitted], shares)) if rule else {}
            count += sum(len(v) for v in extra.values())
            if args.show and extra:
                for tid, hints in sorted(extra.items()):
                    for hint in hints:
                        print(f"  fit on {fitted}: {tid} {hint.signal} {dict(hint.boost)}")
            with _installed(knowledge, priors[fitted], extra):
                ranked = _rank(knowledge, (texts[r.id] for r in by_half[scored]))
            got[scored] = _hits(ranked, by_half[scored])
        base = base or got
        both = [got["A"][i] + got["B"][i] for i in range(4)]
        cells = [
            " ".join(f"{100 * x / r[0]:.1f}" for x in r[1:]) for r in (got["A"], got["B"], both)
        ]
        moved = {h: (got[h][1] - base[h][1], got[h][3] - base[h][3]) for h in "AB"}
        adopt = all(moved[h][1] > 0 and moved[h][0] >= 0 for h in "AB")
        delta = " / ".join(f"{moved[h][0]:+d} {moved[h][1]:+d}" for h in "AB")
        verdict = "yes" if adopt else ("-" if rule is None else "no")
        print(
            f"| {name} | " + " | ".join(cells) + f" | {delta} | {count} | {verdict} |", flush=True
        )


if __name__ == "__main__":
    main()
