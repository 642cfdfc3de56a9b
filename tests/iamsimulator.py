"""iam:SimulatePrincipalPolicy for moto, which lacks it, answered as IAM does.

moto (5.x) stores IAM policies and enforces them on every request once auth is on, but has no
policy simulator. `install` adds the operation to moto's IAM in this process (the tests' moto
server runs in it): moto first authenticates the request and checks the caller's own
iam:SimulatePrincipalPolicy permission like any other action, then this code evaluates the
principal's identity-based policies (its inline and attached policies, and for a user its
groups'), statement by statement with moto's own action and resource matching, plus its
permissions boundary, and answers in IAM's shape:

- `EvalDecision`: `explicitDeny` when a Deny statement matches, else `allowed` when an Allow
  matches and the boundary (if any) allows too, else `implicitDeny`;
- `MatchedStatements`: the deciding statements (the Deny ones, or the Allow ones), with
  `SourcePolicyId` (an inline policy's name, a managed policy's ARN) and `SourcePolicyType`
  (`user`, `group`, `role`, `aws-managed`, `user-managed`);
- `PermissionsBoundaryDecisionDetail` when the principal has a boundary;
- `MissingContextValues`: the condition keys of matching statements (no context is sent).

Left out, as this test double does not need them: statement positions, and
`OrganizationsDecisionDetail`, which IAM also leaves out for an account outside an organisation.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import pytest

#: (policy id, policy type, document) of every identity-based policy of a principal.
Policies = list[tuple[str, str, dict[str, Any]]]


def _document(raw: Any) -> dict[str, Any]:
    text = raw if isinstance(raw, str) else raw.get("policy_document", "")
    if not isinstance(text, str):
        return dict(text)
    try:
        return dict(json.loads(text))
    except ValueError:
        return dict(json.loads(unquote(text)))


def _managed(policy: Any) -> tuple[str, str, dict[str, Any]]:
    version = next(v for v in policy.versions if v.is_default)
    kind = "aws-managed" if ":aws:policy/" in policy.arn else "user-managed"
    return policy.arn, kind, _document(version.document)


def _user_policies(backend: Any, name: str) -> Policies:
    found: Policies = [
        (p, "user", _document(backend.get_user_policy(name, p)["policy_document"]))
        for p in backend.list_user_policies(name)
    ]
    found += [_managed(p) for p in backend.list_attached_user_policies(name)[0]]
    for group in backend.get_groups_for_user(name):
        found += [
            (p, "group", _document(backend.get_group_policy(group.name, p)["policy_document"]))
            for p in backend.list_group_policies(group.name)
        ]
        found += [_managed(p) for p in backend.list_attached_group_policies(group.name)[0]]
    return found


def _role_policies(backend: Any, name: str) -> Policies:
    found: Policies = [
        (p, "role", _document(backend.get_role_policy(name, p)[1]))
        for p in backend.list_role_policies(name)
    ]
    return found + [_managed(p) for p in backend.list_attached_role_policies(name)[0]]


def _principal(backend: Any, arn: str) -> tuple[Policies, str | None]:
    """The policies and the permissions boundary ARN of the user or role `arn` (which must be
    exact, path included, as IAM requires)."""
    from moto.iam.exceptions import NotFoundException

    if ":user/" in arn:
        user = next((u for u in backend.users.values() if u.arn == arn), None)
        if user is None:
            raise NotFoundException(f"Unknown principal {arn}")
        return _user_policies(backend, user.name), getattr(user, "permissions_boundary_arn", None)
    if ":role/" in arn:
        try:
            role = backend.get_role_by_arn(arn)
        except NotFoundException:
            raise NotFoundException(f"Unknown principal {arn}") from None
        return _role_policies(backend, role.name), role.permissions_boundary_arn
    raise NotFoundException(f"Unknown principal {arn}")


def _statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    statements = document.get("Statement", [])
    return statements if isinstance(statements, list) else [statements]


def _matches(statement: dict[str, Any], action: str, resource: str) -> bool:
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    # Judge action and resource only: moto's condition check has no context to work with.
    bare = {k: v for k, v in statement.items() if k != "Condition"}
    result = IAMPolicyStatement(bare).is_action_permitted(action, resource)
    return bool(result is not PermissionResult.NEUTRAL)


def evaluate(policies: Policies, action: str, resource: str) -> dict[str, Any]:
    allows: list[dict[str, Any]] = []
    denies: list[dict[str, Any]] = []
    missing: list[str] = []
    for policy_id, kind, document in policies:
        for statement in _statements(document):
            if not _matches(statement, action, resource):
                continue
            matched = {"SourcePolicyId": policy_id, "SourcePolicyType": kind}
            (denies if statement.get("Effect") == "Deny" else allows).append(matched)
            for keys in (statement.get("Condition") or {}).values():
                missing += [key for key in keys if key not in missing]
    if denies:
        decision, matched = "explicitDeny", denies
    elif allows:
        decision, matched = "allowed", allows
    else:
        decision, matched = "implicitDeny", []
    return {"EvalDecision": decision, "MatchedStatements": matched, "MissingContextValues": missing}


def _boundary(backend: Any, arn: str, action: str, resource: str) -> bool:
    decided = evaluate([_managed(backend.get_policy(arn))], action, resource)
    return bool(decided["EvalDecision"] == "allowed")


def simulate_principal_policy(self: Any) -> Any:
    """moto's IamResponse method for the operation (self: the IamResponse of the request)."""
    from moto.core.responses import ActionResult

    source = self._get_param("PolicySourceArn")
    actions = self._get_param("ActionNames", [])
    resources = self._get_param("ResourceArns", []) or ["*"]
    policies, boundary = _principal(self.backend, source)
    results = []
    for action in actions:
        for resource in resources:
            result = {"EvalActionName": action, "EvalResourceName": resource}
            result.update(evaluate(policies, action, resource))
            if boundary:
                allowed = _boundary(self.backend, boundary, action, resource)
                result["PermissionsBoundaryDecisionDetail"] = {
                    "AllowedByPermissionsBoundary": allowed
                }
                if not allowed and result["EvalDecision"] == "allowed":
                    result["EvalDecision"], result["MatchedStatements"] = "implicitDeny", []
            results.append(result)
    return ActionResult({"EvaluationResults": results, "IsTruncated": False})


@pytest.fixture
def iam_simulator(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's IAM with iam:SimulatePrincipalPolicy, for the duration of one test."""
    from moto.iam.responses import IamResponse

    monkeypatch.setattr(
        IamResponse, "simulate_principal_policy", simulate_principal_policy, raising=False
    )
