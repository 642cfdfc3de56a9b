"""awsmedic's kubeconfig YAML reader agrees with PyYAML (a test-only dependency, via moto) on
what kubectl, `aws eks update-kubeconfig` and eksctl write, and refuses what it does not read."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from awsmedic.aws import miniyaml

AWS_CLI = """apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    server: https://ABCD1234.gr7.eu-west-1.eks.amazonaws.com
  name: arn:aws:eks:eu-west-1:123456789012:cluster/demo
contexts:
- context:
    cluster: arn:aws:eks:eu-west-1:123456789012:cluster/demo
    user: arn:aws:eks:eu-west-1:123456789012:cluster/demo
  name: arn:aws:eks:eu-west-1:123456789012:cluster/demo
current-context: arn:aws:eks:eu-west-1:123456789012:cluster/demo
kind: Config
preferences: {}
users:
- name: arn:aws:eks:eu-west-1:123456789012:cluster/demo
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - --region
      - eu-west-1
      - eks
      - get-token
      - --cluster-name
      - demo
      - --output
      - json
      command: aws
      env:
      - name: AWS_PROFILE
        value: dev
"""
HAND_WRITTEN = """# written by hand
apiVersion: v1
kind: Config
users:
  - name: "admin # not a comment"
    user:
      exec:
        apiVersion: 'client.authentication.k8s.io/v1alpha1'
        command: aws-iam-authenticator
        args: ["token", "-i", 'demo', -r, "arn:aws:iam::123456789012:role/k8s-admin"]  # trailing
        env: null
  - name: token-user
    user: {token: abc, "extra": [x, {a: b}]}
current-context: ''
notes: |
  two
  lines
quoted: "tab\\there \\u00e9"
"""


def plain(value: Any) -> Any:
    """PyYAML's value with numbers as strings (kubeconfig values are strings)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


@pytest.mark.parametrize("text", [AWS_CLI, HAND_WRITTEN], ids=["aws-cli", "hand-written"])
def test_real_kubeconfigs_read_as_pyyaml_reads_them(text: str) -> None:
    assert miniyaml.load(text) == plain(yaml.safe_load(text))


def test_json_is_read_too() -> None:
    assert miniyaml.load('{"users": [{"name": "a"}]}') == {"users": [{"name": "a"}]}


@pytest.mark.parametrize(
    "text",
    ["a: &anchor x\nb: *anchor\n", "a: !!str x\n", "a: 1\n---\nb: 2\n", "a:\n\t- x\n", "a: 'x\n"],
    ids=["anchor", "tag", "two-documents", "tab", "unterminated"],
)
def test_what_it_does_not_read_is_refused(text: str) -> None:
    with pytest.raises(miniyaml.YamlError):
        miniyaml.load(text)


# Values as kubeconfigs hold them: names, ARNs, URLs, flags, paths, with spaces and quotes.
_SCALAR = st.one_of(
    st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=126, blacklist_characters="\\"),
        min_size=0,
        max_size=30,
    ),
    st.sampled_from(["--region", "-r", "arn:aws:eks:us-east-1:1:cluster/x", "https://h:443/p"]),
    st.booleans(),
    st.none(),
)
_KEY = st.from_regex(r"[a-zA-Z][a-zA-Z0-9_-]{0,15}", fullmatch=True)
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEY, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    document=st.dictionaries(_KEY, _VALUE, min_size=1, max_size=5),
    flow=st.sampled_from([False, None]),
)
def test_anything_pyyaml_writes_in_block_style_reads_back(
    document: dict[str, Any], flow: bool | None
) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow, sort_keys=False, width=10_000)
    assert miniyaml.load(text) == plain(yaml.safe_load(text))
