"""Tree behaviours that issue 14 found wrong, walked with the engine (hand-made probe results)
or with the real offline probes on a real set-up (a temp HOME), and errors botocore really raises.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awsmedic.aws import regions
from awsmedic.core import engine
from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import BuiltPattern, Knowledge, QuestionNode
from awsmedic.model import Status
from tests.unit.probes.helpers import KEY
from tests.unit.test_trees_denied_network import NOW, walk
from tests.unit.test_trees_signatures import walk as walk_offline


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


# --- 1. RegionDisabledException in an opt-in region ----------------------------------------

DISABLED = (
    "An error occurred (RegionDisabledException) when calling the AssumeRole operation: STS is "
    "not activated in this region for account:123456789012. Your account administrator can "
    "activate STS in this region using the IAM Console."
)


@pytest.mark.parametrize("answer", ["yes", "no", "don't know"])
@pytest.mark.parametrize("named", [True, False])
def test_an_opt_in_region_never_ends_in_deactivated_sts(
    knowledge: Knowledge, answer: str, named: bool
) -> None:
    """STS cannot be deactivated in an opt-in region: whatever the answer, the fix is to enable
    the region, never the IAM account setting."""
    text = DISABLED + (" (region ap-east-1)" if named else "")
    route = () if named else ("region-opt-in",)
    tree, cause, confidence, _ = walk(
        knowledge, text, {"net.route": route}, {"region-enabled": answer}
    )
    assert tree == "sts-region-disabled"
    assert cause == "opt-in-region-disabled"
    assert confidence == ("possible" if answer == "yes" else "likely")


def test_a_default_region_is_still_deactivated_sts(knowledge: Knowledge) -> None:
    assert walk(knowledge, DISABLED, {"net.route": ()})[1:3] == (
        "sts-regional-endpoint-deactivated",
        "confirmed",
    )


def test_deactivated_sts_says_it_is_for_default_regions_only(knowledge: Knowledge) -> None:
    why = knowledge.causes["sts-regional-endpoint-deactivated"].why
    assert "us-east-1" in why and "opt-in region" in why


# --- 6. bodyless HEAD answers ------------------------------------------------------------------

HEAD_403 = "fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden"
HEAD_400 = (
    "botocore.exceptions.ClientError: An error occurred (400) when calling the HeadBucket "
    "operation: Bad Request"
)
HEAD_301 = "An error occurred (301) when calling the HeadObject operation: Moved Permanently"
LOCAL_OK = {"creds.keys": ("long-term-key",), "creds.expiry": (), "clock.skew": ("clock-in-sync",)}


@pytest.mark.parametrize("text", [HEAD_403, HEAD_400, HEAD_301])
def test_a_bodyless_head_answer_keeps_the_credential_causes_open(
    knowledge: Knowledge, text: str
) -> None:
    """A HEAD answer has no body: before any check, expiry, clock and key causes are
    candidates along with permission and region."""
    recognition = Matcher(knowledge).recognise(text)
    assert recognition.best is not None and recognition.best.tree == "s3-head-error"
    tree = knowledge.trees["s3-head-error"]
    state = engine.new_dialogue(knowledge, tree, text, recognition.signals, recognition.facts, NOW)
    open_causes = {c.cause for c in engine.candidates(state)}
    credential_causes = {"expired-temporary-credentials", "clock-skew", "key-deleted"}
    assert credential_causes | {"secret-mismatch"} <= open_causes
    # a 403 is never a region answer; a 400 or 301 never a bare permission one
    assert ("s3-region-mismatch" in open_causes) == (text != HEAD_403)
    assert ("iam-permission-denied" in open_causes) == (text == HEAD_403)


@pytest.mark.parametrize(
    ("text", "evidence", "cause", "confidence"),
    [
        (HEAD_403, {"creds.keys": ("temporary-key",), "creds.expiry": ("credentials-expired",)},
         "expired-temporary-credentials", "confirmed"),
        (HEAD_400, {**LOCAL_OK, "sts.identity": ("rejected-expired-token",)},
         "expired-temporary-credentials", "likely"),
        (HEAD_403, {**LOCAL_OK, "clock.skew": ("clock-skewed", "clock-behind", "clock-skewed-far")},
         "clock-skew", "likely"),
        (HEAD_403, {**LOCAL_OK, "sts.identity": ("rejected-signature-does-not-match",)},
         "secret-mismatch", "likely"),
        (HEAD_403, {**LOCAL_OK, "sts.identity": ("rejected-invalid-client-token-id",)},
         "key-deleted", "possible"),
        (HEAD_403, {"creds.keys": ("stale-session-token",)}, "stale-session-token", "confirmed"),
        (HEAD_403, {**LOCAL_OK, "sts.identity": ("identity-ok",)},
         "iam-permission-denied", "likely"),
        (HEAD_400, {**LOCAL_OK, "sts.identity": ("identity-ok",), "sign.region": ()},
         "s3-region-mismatch", "likely"),
        (HEAD_301, {**LOCAL_OK, "sts.identity": ("identity-ok",), "sign.region": ()},
         "s3-region-mismatch", "likely"),
        (HEAD_400, {**LOCAL_OK, "sts.identity": Status.SKIPPED, "creds.keys": ("temporary-key",)},
         "expired-temporary-credentials", "possible"),
        (HEAD_403, {**LOCAL_OK, "sts.identity": Status.SKIPPED},
         "iam-permission-denied", "possible"),
    ],
)  # fmt: skip
def test_a_bodyless_head_answer_is_walked_from_the_credentials_up(
    knowledge: Knowledge,
    text: str,
    evidence: dict[str, tuple[str, ...] | Status],
    cause: str,
    confidence: str,
) -> None:
    assert walk(knowledge, text, evidence)[1:3] == (cause, confidence)


GO_HEAD_403 = (
    "operation error S3: HeadObject, https response error StatusCode: 403, RequestID: R1, "
    "HostID: H1, api error Forbidden: Forbidden"
)
GO_HEAD_400 = (
    "operation error S3: HeadBucket, https response error StatusCode: 400, RequestID: R1, "
    "HostID: H1, api error BadRequest: Bad Request"
)


def test_the_go_sdks_head_answers_are_walked_the_same_way(knowledge: Knowledge) -> None:
    """Go names a bodyless answer by its status: "Forbidden" is access-denied's code, whose
    walk checks the credentials first for a HEAD request too."""
    expired = {"creds.expiry": ("credentials-expired",)}
    assert walk(knowledge, GO_HEAD_403, expired)[:3] == (
        "access-denied",
        "expired-temporary-credentials",
        "confirmed",
    )
    refused = {"creds.expiry": (), "clock.skew": (), "sts.identity": ("rejected-auth-failure",)}
    assert walk(knowledge, GO_HEAD_403, refused)[1:3] == ("key-deleted", "possible")
    stale = {"creds.keys": ("stale-session-token",)}
    assert walk(knowledge, GO_HEAD_400, stale)[:3] == (
        "s3-head-error",
        "stale-session-token",
        "confirmed",
    )


def test_the_region_cause_knows_botocore_follows_head_redirects(knowledge: Knowledge) -> None:
    """botocore's S3RegionRedirectorv2 redirects HeadObject and HeadBucket (301/400) itself."""
    import inspect

    from botocore.utils import S3RegionRedirectorv2

    source = inspect.getsource(S3RegionRedirectorv2.redirect_from_error)
    assert "'HeadObject'" in source and "'HeadBucket'" in source
    why = knowledge.causes["s3-region-mismatch"].why
    assert not re.search(r"presigned URLs, custom endpoints, `HEAD` requests", why)
    assert "`HeadObject` and `HeadBucket` included" in why


# --- 7. region names botocore refuses up front -------------------------------------------------


def test_botocore_refuses_an_underscore_and_lets_capitals_through() -> None:
    """What invalid-region.md says of the two spellings, checked against botocore itself."""
    from botocore.exceptions import InvalidRegionError
    from botocore.utils import validate_region_name

    with pytest.raises(InvalidRegionError):
        validate_region_name("us_east_1")
    validate_region_name("US-EAST-1")  # passes: it becomes a host name, and DNS ignores case


def test_an_underscore_region_is_diagnosed_from_botocores_own_error(
    monkeypatch: pytest.MonkeyPatch, knowledge: Knowledge
) -> None:
    import boto3
    from botocore.exceptions import InvalidRegionError

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us_east_1")
    with pytest.raises(InvalidRegionError) as raised:
        boto3.session.Session().client("sts")
    outcome = walk_offline(f"botocore.exceptions.InvalidRegionError: {raised.value}")
    assert outcome.diagnosis is not None
    assert (outcome.diagnosis.cause, outcome.diagnosis.confidence) == (
        "invalid-region",
        "confirmed",
    )
    why = knowledge.causes["invalid-region"].why
    assert re.search(r"`us_east_1`, a space\) is rejected before anything is sent", why)


# --- 8. MFA role sessions are not renewed --------------------------------------------------


def test_botocores_refusal_to_renew_an_mfa_role_session_is_diagnosed() -> None:
    """botocore still raises RefreshWithMFAUnsupportedError on the second refresh of a role
    profile with mfa_serial (credentials.create_mfa_serial_refresher); it never re-prompts."""
    from botocore.credentials import create_mfa_serial_refresher
    from botocore.exceptions import RefreshWithMFAUnsupportedError

    refresh = create_mfa_serial_refresher(lambda: {})
    refresh()
    with pytest.raises(RefreshWithMFAUnsupportedError) as raised:
        refresh()
    outcome = walk_offline(f"botocore.exceptions.RefreshWithMFAUnsupportedError: {raised.value}")
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == "mfa-required"
    step = next(
        s.text for s in outcome.diagnosis.steps if "RefreshWithMFAUnsupportedError" in s.text
    )
    assert "mfa_serial" in step and "role" in step
    session_step = next(s.text for s in outcome.diagnosis.steps if "mfa-login" in s.text)
    assert "ExpiredToken" in session_step  # GetSessionToken sessions simply end


# --- 9. a key id in the environment without its secret --------------------------------------


@pytest.mark.parametrize("secret", [None, ""])
def test_a_key_id_without_its_secret_names_that_case(
    monkeypatch: pytest.MonkeyPatch, secret: str | None
) -> None:
    import boto3
    from botocore.exceptions import PartialCredentialsError

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    if secret is not None:
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    with pytest.raises(PartialCredentialsError) as raised:
        boto3.session.Session(region_name="us-east-1").client("sts").get_caller_identity()
    assert "missing: AWS_SECRET_ACCESS_KEY" in str(raised.value)
    outcome = walk_offline(f"botocore.exceptions.PartialCredentialsError: {raised.value}")
    assert outcome.diagnosis is not None
    assert (outcome.diagnosis.cause, outcome.diagnosis.confidence) == (
        "env-key-id-without-secret",
        "confirmed",
    )
    steps = "\n".join(s.text for s in outcome.diagnosis.steps)
    assert "unset AWS_ACCESS_KEY_ID" in steps and "AWS_SECRET_ACCESS_KEY" in steps
    assert "without `AWS_ACCESS_KEY_ID`" not in outcome.diagnosis.why


# --- 10. sts:TagSession refusals --------------------------------------------------------------


def test_a_tag_session_refusal_asks_for_tag_session_in_the_trust_policy() -> None:
    outcome = walk_offline(
        "An error occurred (AccessDenied) when calling the AssumeRole operation: User: "
        "arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:TagSession on "
        "resource: arn:aws:iam::123456789012:role/deploy",
        {"role-needs-mfa": "no"},
    )
    assert outcome.diagnosis is not None and outcome.diagnosis.cause == "assume-role-denied"
    assert "sts:TagSession" in outcome.diagnosis.why
    assert '"sts:TagSession"' in "\n".join(s.text for s in outcome.diagnosis.steps)


# --- 11. opt-in regions come from botocore, in one place ------------------------------------


def test_the_opt_in_signal_is_botocores_list(knowledge: Knowledge) -> None:
    (pattern,) = knowledge.signals["opt-in-region"]
    assert isinstance(pattern, BuiltPattern)
    for region in regions.opt_in_regions():
        assert pattern.search(f"failed in {region}."), region
    for region in sorted(regions.DEFAULT_ENABLED):
        assert not pattern.search(f"failed in {region}."), region
    assert not pattern.search("us-east-1a ap-east-1b")  # zones are not region names


def test_no_knowledge_file_keeps_its_own_list_of_opt_in_regions(knowledge: Knowledge) -> None:
    """A pattern naming several opt-in regions is a copy that goes stale (me-west-1 and
    sa-west-1 were named before botocore listed them)."""
    opt_in = set(regions.opt_in_regions())
    sources = [p.source for ps in knowledge.signals.values() for p in ps]
    sources += [h.pattern.source for t in knowledge.trees.values() for h in t.hints if h.pattern]
    for source in sources:
        named = {r for r in opt_in if r in source}
        assert len(named) < 2, source
        shaped = re.findall(r"\b[a-z]{2}-[a-z]+-\d\b", source)
        assert set(shaped) <= regions.known_regions(), source


def test_an_opt_in_region_in_the_error_raises_its_causes(knowledge: Knowledge) -> None:
    text = (
        "An error occurred (InvalidClientTokenId) when calling the DescribeInstances operation "
        "in {}: The security token included in the request is invalid."
    )
    tree = knowledge.trees["invalid-client-token-id"]

    def share(region: str) -> int:
        recognition = Matcher(knowledge).recognise(text.format(region))
        state = engine.new_dialogue(
            knowledge, tree, text.format(region), recognition.signals, recognition.facts, NOW
        )
        return next(
            c.score for c in engine.candidates(state) if c.cause == "opt-in-region-disabled"
        )

    last = regions.opt_in_regions()[-1]
    assert share(last) > share("eu-west-1")


def test_the_questions_say_what_session_credentials_may_call(knowledge: Knowledge) -> None:
    """GetSessionToken credentials without MFA may call STS AssumeRole and GetCallerIdentity."""
    tree = knowledge.trees["invalid-client-token-id"]
    question = next(q for q in tree.questions() if q.question == "restricted-api")
    assert "AssumeRole" in question.text and "GetCallerIdentity" in question.text
    origin: QuestionNode = next(q for q in tree.questions() if q.question == "temporary-origin")
    assert not origin.text.startswith("How") and origin.text.rstrip().endswith("?")


# --- 13. sso-session profiles read by old tools -----------------------------------------------

SSO_LEGACY_KEYS = (
    'botocore.exceptions.InvalidConfigError: The profile "dev" is configured to use SSO but is '
    "missing required configuration: sso_region, sso_start_url"
)


def test_a_complete_sso_session_profile_is_not_called_incomplete(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "dev")
    (home / ".aws" / "config").write_text(
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\n"
        "sso_role_name = Admin\n\n[sso-session corp]\n"
        "sso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"
    )
    outcome = walk_offline(SSO_LEGACY_KEYS)
    assert outcome.diagnosis is not None
    # The tool's SDK predates sso-session support (issue 14's tool-too-old-for-config).
    assert (outcome.diagnosis.cause, outcome.diagnosis.confidence) == (
        "tool-too-old-for-config",
        "likely",
    )
    steps = "\n".join(s.text for s in outcome.diagnosis.steps)
    assert "regenerating it changes nothing" in steps


@pytest.mark.parametrize(
    "missing",
    [
        "sso_region, sso_start_url",
        "sso_start_url, sso_region",
        # the Go SDK v2 sorts the list: the profile relied on its session for the role too
        "sso_region, sso_role_name, sso_start_url",
        "sso_account_id, sso_region, sso_role_name, sso_start_url",
    ],
)
def test_both_session_keys_missing_point_to_an_old_tool(knowledge: Knowledge, missing: str) -> None:
    (pattern,) = knowledge.signals["sso-legacy-keys-missing"]
    text = (
        f'profile "dev" is configured to use SSO but is missing required configuration: {missing}'
    )
    assert pattern.search(text)


def test_one_session_key_missing_is_not_an_old_tool(knowledge: Knowledge) -> None:
    (pattern,) = knowledge.signals["sso-legacy-keys-missing"]
    for missing in ("sso_region", "sso_start_url", "sso_region, sso_role_name"):
        assert not pattern.search(f"is missing required configuration: {missing}")


def test_an_incomplete_legacy_profile_is_still_confirmed(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "dev")
    (home / ".aws" / "config").write_text(
        "[profile dev]\nsso_account_id = 123456789012\nsso_role_name = Admin\n"
    )
    outcome = walk_offline(SSO_LEGACY_KEYS)
    assert outcome.diagnosis is not None
    assert (outcome.diagnosis.cause, outcome.diagnosis.confidence) == (
        "sso-misconfigured",
        "confirmed",
    )
