"""What a tool's wrapper says about how the error arose moves that cause up (text only, as
`--no-probes` ranks): the wrapper names the call that failed, or the kind of client that sent it.
"""

from __future__ import annotations

import pytest
from benchmarks.bench_recognition import ranked

GO_V1_DENIED = "AccessDenied: Access denied\n\tstatus code: 403, request id: 171e9092-dcf4-11e8"


@pytest.mark.parametrize(
    "text",
    [
        # aws-iam-authenticator, Go v1 and v2: its token is a presigned URL; only the role it
        # assumes is a call AWS can refuse
        f"could not get token: {GO_V1_DENIED}",
        "could not get token: operation error STS: AssumeRole, https response error StatusCode:"
        " 403, RequestID: 0a5f7c1e-0000-1111-2222-333344445555, api error AccessDenied: Access"
        " denied",
        # the same Go v2 error from any tool: the refused call is named
        "operation error STS: AssumeRole, https response error StatusCode: 403, RequestID:"
        " 0a5f7c1e-0000-1111-2222-333344445555, api error AccessDenied: Access denied",
    ],
)
def test_a_refused_token_call_ranks_the_refused_role_first(text: str) -> None:
    causes = ranked([text])[0]
    assert causes is not None and causes[0] == "assume-role-denied", causes


def test_the_same_denial_without_the_wrapper_stays_a_missing_permission() -> None:
    causes = ranked([GO_V1_DENIED])[0]
    assert causes is not None and causes[0] == "iam-permission-denied", causes


def test_a_refused_web_identity_token_keeps_its_own_cause() -> None:
    text = "could not get token: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"
    causes = ranked([text])[0]
    assert causes is not None and causes[0] == "web-identity-failure", causes
