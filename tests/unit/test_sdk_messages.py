"""Every SDK's and tool's wording of the errors awsmedic knows is recognised as its family.

tests/data/sdk-messages.toml holds the messages of the AWS SDKs (Java v1 and v2, Kotlin, Swift,
.NET, Ruby, PHP, Go v1 and v2, JavaScript v2 and v3, Rust, C++) and of the tools built on them
(Terraform, CDK, Pulumi, Serverless, SAM, eksctl, Hadoop S3A, the MSK IAM library, Velero,
aws-vault, granted, Leapp, aws-sso-util, the GitHub Actions credential action, the ECR credential
helper, Amplify JS, the Amplify CLI and Gen 2, SST, AWS Copilot, the AWS CLI; the Kubernetes add-ons
and cloud-native tools on AWS credentials: Karpenter, the AWS Load Balancer Controller, ExternalDNS,
cert-manager, Crossplane, the EBS and EFS CSI drivers, the Cluster Autoscaler, External Secrets,
Thanos, Flux, Argo Workflows, the Distribution registry, Vault, the EKS Pod Identity agent; and the
data tools: the Rust object_store crate under Polars, delta-rs and LanceDB, Rusoto, s3fs, pandas,
AWS SDK for pandas, Airflow, dbt, DVC, MLflow, smart_open, Kedro, Ray), each as that SDK or tool
prints it, with its source. Each must be recognised as its family (the tree whose causes it
implies), and its wrapper lines must name the tool that printed it (knowledge/tools.toml).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir

MESSAGES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parents[1] / "data" / "sdk-messages.toml").read_text(encoding="utf-8")
)["messages"]


@cache
def matcher() -> Matcher:
    return Matcher(load_checked([shipped_dir()]))


def _id(entry: dict[str, Any]) -> str:
    return f"{entry['family']}-{entry['tool'] or 'any'}"


@pytest.mark.parametrize("entry", [pytest.param(e, id=_id(e)) for e in MESSAGES])
def test_the_message_is_recognised_as_its_family(entry: dict[str, Any]) -> None:
    recognition = matcher().recognise(entry["text"])
    found = [match.tree for match in recognition.matches]
    assert found and found[0] == entry["family"], (found, entry["text"])


@pytest.mark.parametrize("entry", [pytest.param(e, id=_id(e)) for e in MESSAGES if e["tool"]])
def test_the_wrapper_names_the_tool(entry: dict[str, Any]) -> None:
    assert matcher().recognise(entry["text"]).tool == entry["tool"], entry["text"]


def test_every_family_exists_and_every_tool_is_known() -> None:
    knowledge = matcher().knowledge
    tools = {tool.id for tool in knowledge.tools}
    assert {e["family"] for e in MESSAGES} <= set(knowledge.trees)
    assert {e["tool"] for e in MESSAGES if e["tool"]} <= tools


DATA: dict[str, Any] = tomllib.loads(
    (Path(__file__).parents[1] / "data" / "sdk-messages.toml").read_text(encoding="utf-8")
)
WRAPPED = [
    pytest.param(error, wrapper, id=f"{error['code']}-{wrapper['tool']}")
    for error in DATA["service_errors"]
    for wrapper in DATA["wrappers"]
]


@pytest.mark.parametrize(("error", "wrapper"), WRAPPED)
def test_a_service_error_is_its_family_whatever_wraps_it(
    error: dict[str, str], wrapper: dict[str, str]
) -> None:
    text = wrapper["text"].format(code=error["code"], message=error["message"])
    recognition = matcher().recognise(text)
    found = [match.tree for match in recognition.matches]
    assert found and found[0] == error["family"], (found, text)
    assert recognition.tool == wrapper["tool"], text


CAUSED = [pytest.param(e, id=f"{_id(e)}-{e['cause']}") for e in MESSAGES if "cause" in e]


@pytest.fixture(scope="module")
def caused_candidates() -> list[list[str] | None]:
    from benchmarks.bench_recognition import ranked

    return ranked(e["text"] for e in MESSAGES if "cause" in e)


@pytest.mark.parametrize("number", range(len(CAUSED)), ids=[p.id for p in CAUSED])
def test_the_cause_the_message_names_is_among_the_first_three(
    number: int, caused_candidates: list[list[str] | None]
) -> None:
    """A message that says what is wrong (`cause` in its entry: the only reason its source
    prints it) has that cause among the first three candidates, text only."""
    entry = CAUSED[number].values[0]
    candidates = caused_candidates[number]
    assert candidates is not None and entry["cause"] in candidates[:3], (candidates, entry["text"])
