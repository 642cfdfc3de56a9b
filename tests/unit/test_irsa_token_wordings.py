"""Go's "unable to read file at <path>" with its WebIdentityErr code cut off, quoting the path
where EKS mounts the service account token for IAM roles for service accounts: the web identity
token exchange, not the PHP SDK's SSO token cache ("Unable to read token file at ...", whose
words are nearly the same). From the fifty-eighth batch's jk22 (a metrics adapter running as a
user who may not read the projected token)."""

from __future__ import annotations

import pytest

from tests.unit.offline_json import text_only

IRSA = (
    "The pod running adapter is unable to read the token file available in the service account."
    " It gives the error\n`unable to read file at"
    " /var/run/secrets/eks.amazonaws.com/serviceaccount/token: permission denied`"
)


@pytest.mark.parametrize(
    "text",
    [
        IRSA,
        "E0101 12:00:00 main.go:42] unable to read file at"
        " /var/run/secrets/eks.amazonaws.com/serviceaccount/token: open"
        " /var/run/secrets/eks.amazonaws.com/serviceaccount/token: no such file or directory",
        "WebIdentityErr: unable to read file at /var/run/secrets/eks.amazonaws.com/serviceaccount/token",
    ],
)
def test_the_irsa_token_path_is_the_web_identity_exchange(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert text_only(capsys, text)[0] == "web-identity-failure"


def test_the_php_sdks_sso_token_cache_stays_sso(capsys: pytest.CaptureFixture[str]) -> None:
    text = "Unable to read token file at /home/dev/.aws/sso/cache/4a9c2b.json"
    assert text_only(capsys, text)[0] == "sso-session-expired"
