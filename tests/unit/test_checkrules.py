"""core.checkrules: every rule names real probes, findings and causes, and agrees with a tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.core.check import meant_profiles
from awsmedic.core.checkrules import (
    BEDROCK_RULES,
    CHAIN_RULES,
    CLOCK_RULES,
    NO_CREDENTIALS_RULES,
    RULES,
    Rule,
)
from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import CauseNode, Knowledge, ProbeNode, Tree, targets
from awsmedic.probes import finding_catalog
from tests.conftest import make_context

ALL = RULES + NO_CREDENTIALS_RULES + CHAIN_RULES + CLOCK_RULES + BEDROCK_RULES


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked(knowledge_dirs({}))


def _causes_after(tree: Tree, node_id: str) -> set[str]:
    seen: set[str] = set()
    causes: set[str] = set()
    stack = [node_id]
    while stack:
        current = stack.pop()
        if current in seen or current not in tree.nodes:
            continue
        seen.add(current)
        node = tree.nodes[current]
        if isinstance(node, CauseNode):
            causes.add(node.cause)
        stack.extend(targets(node))
    return causes


def _tree_causes(knowledge: Knowledge, probe: str, finding: str) -> set[str]:
    """The causes the trees reach from `finding` of `probe`."""
    found: set[str] = set()
    for tree in knowledge.trees.values():
        for node in tree.nodes.values():
            if isinstance(node, ProbeNode) and node.probe == probe:
                for key, target in node.next:
                    if key == finding:
                        found |= _causes_after(tree, target)
    return found


@pytest.mark.parametrize("rule", ALL, ids=lambda rule: f"{rule.probe}->{rule.cause}")
def test_rule_names_real_probes_findings_and_causes(rule: Rule, knowledge: Knowledge) -> None:
    catalog = finding_catalog()
    assert rule.probe in catalog
    assert set(rule.findings) <= set(catalog[rule.probe])
    assert rule.cause in knowledge.causes


@pytest.mark.parametrize("rule", ALL, ids=lambda rule: f"{rule.probe}->{rule.cause}")
def test_rule_agrees_with_the_trees(rule: Rule, knowledge: Knowledge) -> None:
    """Where a tree branches on the finding, it reaches the same cause (check and diagnose
    name the same cause for the same evidence)."""
    for finding in rule.findings:
        reached = _tree_causes(knowledge, rule.probe, finding)
        assert not reached or rule.cause in reached, (finding, reached)


def test_meant_profiles_include_the_wrongly_written_ones(home: Path) -> None:
    (home / ".aws" / "credentials").write_text("[default]\n[profile dev]\n[ spaced ]\n")
    (home / ".aws" / "config").write_text(
        "[profile ops]\n[qa]\n[profileuat]\n[sso-session corp]\n[services local]\n[default]\n"
    )
    assert meant_profiles(make_context()) == ["default", "dev", "ops", "qa", "spaced", "uat"]
