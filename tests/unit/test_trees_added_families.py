"""The families added by issue 14 (EKS, SAML, presigned URLs, unsigned requests, ECR, old tools,
the global STS endpoint, the policy simulator) reach each of their causes, and only for the right
evidence: the shipped trees walked with hand-made probe results (the probes have their own tests).
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.model import Status
from tests.unit.test_trees_denied_network import DENIED, Findings, walk

UNAUTHORIZED = "$ kubectl get pods\nerror: You must be logged in to the server (Unauthorized)"
ALPHA = 'error: exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"'
# client-go's own wording (plugin/pkg/client/auth/exec/exec.go), and older client-go's wrapping
# of Go's os/exec error.
NOT_FOUND = (
    "$ kubectl get pods\nUnable to connect to the server: getting credentials: exec: executable"
    " aws not found\n\nIt looks like you are trying to use a client-go credential plugin that"
    " is not installed."
)
NOT_IN_PATH = (
    'Unable to connect to the server: getting credentials: exec: exec: "aws-iam-authenticator":'
    " executable file not found in %PATH%"
)
SAML_DENIED = (
    "Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status"
    " Code: 403; Error Code: AccessDenied; Request ID: fe270994-9399-11e7-a47b-d3b1bc4b70cf)."
)
SAML_SIGNATURE = (
    "An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithSAML operation:"
    " Response signature invalid"
)
SAML_ROLE = "Failed to assume role - Supplied RoleArn not found in saml assertion"
SAML_DURATION = (
    "An error occurred (ValidationError) when calling the AssumeRoleWithSAML operation: The"
    " requested DurationSeconds exceeds the MaxSessionDuration set for this role."
)
EXPIRED_URL = (
    "<Error><Code>AccessDenied</Code><Message>Request has expired</Message>"
    "<Expires>2020-04-02T05:01:02Z</Expires><ServerTime>2020-04-02T08:26:27Z</ServerTime></Error>"
)
PRESIGNED_PUT = (
    "PUT https://b.s3.amazonaws.com/k.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders="
    "content-type%3Bhost&X-Amz-Signature=abc 403\n<Error><Code>SignatureDoesNotMatch</Code>"
    "<Message>The request signature we calculated does not match the signature you provided."
    " Check your key and signing method.</Message></Error>"
)
PRESIGNED_TOO_LONG = (
    "<Error><Code>AuthorizationQueryParametersError</Code><Message>X-Amz-Expires must be less"
    " than a week (in seconds) that is; 604800</Message></Error>"
)
KEY_WITH_SPACE = (
    "An error occurred (IncompleteSignature) when calling the GetCallerIdentity operation:"
    " 'EXAMPLE/20260102/us-east-1/sts/aws4_request,' not a valid key=value pair (missing"
    " equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=****************MPLE"
    " EXAMPLE/20260102/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=0'."
)
JWT_TO_IAM_API = (
    "{'message': \"Authorization header requires 'Credential' parameter. Authorization header"
    " requires 'Signature' parameter. Authorization=eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.e30\"}"
)
UNSIGNED = (
    "$ aws ec2 describe-instances --no-sign-request\n\nAn error occurred"
    " (MissingAuthenticationToken) when calling the DescribeInstances operation: Request is"
    " missing Authentication Token"
)
API_GATEWAY = (
    "HTTP/1.1 403 Forbidden\nx-amzn-ErrorType: MissingAuthenticationTokenException\n\n"
    '{"message":"Missing Authentication Token"}'
)
NO_BASIC_AUTH = (
    "The push refers to repository [123456789012.dkr.ecr.eu-west-1.amazonaws.com/app]\n"
    "no basic auth credentials"
)
ECR_EXPIRED = (
    "Error response from daemon: denied: Your authorization token has expired. Reauthenticate"
    " and try again."
)
OLD_TOOL = (
    "Getting an error: 'sso_start_url' not found in profile: {'sso_session': 'my-sso',"
    " 'sso_role_name': 'AdministratorAccess', 'region': 'us-east-1'}"
)
NO_CREDENTIALS = "botocore.exceptions.NoCredentialsError: Unable to locate credentials"
LOGIN_CRT = (
    "botocore.exceptions.MissingDependencyException: Missing Dependency: Using the login\n"
    'credential provider requires an additional dependency. You will need to pip install\n"botocore'
    '[crt]" before proceeding.'
)
MRAP = (
    "botocore.exceptions.MissingDependencyException: Missing Dependency: Using S3 with an MRAP"
    " arn requires an additional dependency. You will need to pip install botocore[crt] before"
    " proceeding."
)
STS_GLOBAL = (
    "botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL:"
    ' "https://sts.amazonaws.com/"'
)
SIGV2 = (
    "An error occurred (InvalidRequest) when calling the GetObject operation: The authorization"
    " mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
)
EKS_OK = ("kubeconfig-exec-aws", "exec-api-current", "exec-profile-set")
PLAIN = {
    "denial.message": ("denial-parsed",),
    "creds.chain": (),
    "identity.compare": ("no-other-identity",),
}

CASES = [
    # eks-unauthorized
    (
        "eks: unmapped",
        UNAUTHORIZED,
        {"kube.config": EKS_OK, "kube.identity": ("kube-identity-ok",)},
        {},
        "eks-unauthorized",
        "likely",
    ),
    (
        "eks: offline",
        UNAUTHORIZED,
        {"kube.config": EKS_OK, "kube.identity": Status.SKIPPED},
        {},
        "eks-unauthorized",
        "likely",
    ),
    (
        "eks: expired keys",
        UNAUTHORIZED,
        {"kube.config": EKS_OK, "kube.identity": ("kube-identity-expired",)},
        {},
        "expired-temporary-credentials",
        "likely",
    ),
    (
        "eks: role refused",
        UNAUTHORIZED,
        {"kube.config": EKS_OK, "kube.identity": ("kube-identity-role-refused",)},
        {},
        "assume-role-denied",
        "likely",
    ),
    (
        "eks: context not aws, eks",
        UNAUTHORIZED,
        {"kube.config": ("kubeconfig-exec-not-aws",)},
        {"eks-cluster": "yes"},
        "eks-unauthorized",
        "possible",
    ),
    (
        "eks: not eks",
        UNAUTHORIZED,
        {"kube.config": ("kubeconfig-exec-not-aws",)},
        {"eks-cluster": "no"},
        "unknown",
        "possible",
    ),
    # eks-exec-api-version
    (
        "exec api: kubeconfig says v1alpha1",
        ALPHA,
        {"kube.config": ("kubeconfig-exec-aws", "exec-api-v1alpha1")},
        {},
        "eks-exec-api-version",
        "confirmed",
    ),
    (
        "exec api: no kubeconfig here",
        ALPHA,
        {"kube.config": ("kubeconfig-missing",)},
        {},
        "eks-exec-api-version",
        "likely",
    ),
    (
        "exec command: aws not found",
        NOT_FOUND,
        {},
        {},
        "eks-exec-command-not-found",
        "likely",
    ),
    (
        "exec command: not found, whatever the kubeconfig says",
        NOT_IN_PATH,
        {"kube.config": ("kubeconfig-exec-aws", "exec-api-current")},
        {},
        "eks-exec-command-not-found",
        "likely",
    ),
    # SAML
    ("saml: refused", SAML_DENIED, {}, {}, "saml-assume-denied", "likely"),
    ("saml: signature", SAML_SIGNATURE, {}, {}, "saml-assertion-invalid", "likely"),
    ("saml: role not offered", SAML_ROLE, {}, {}, "saml-assume-denied", "likely"),
    # presigned URLs
    ("presigned: expired", EXPIRED_URL, {}, {}, "presigned-url-expired", "confirmed"),
    ("presigned: content-type", PRESIGNED_PUT, {}, {}, "presigned-signature-mismatch", "likely"),
    (
        "presigned: longer than a week",
        PRESIGNED_TOO_LONG,
        {},
        {},
        "presigned-url-expired",
        "likely",
    ),
    # unsigned and half-signed
    (
        "incomplete: space in key id",
        KEY_WITH_SPACE,
        {"values.hygiene": ("credential-value-stray-characters",)},
        {},
        "stray-characters",
        "confirmed",
    ),
    (
        "incomplete: clean values",
        KEY_WITH_SPACE,
        {"values.hygiene": ("values-clean",)},
        {},
        "incomplete-signature",
        "likely",
    ),
    ("incomplete: jwt", JWT_TO_IAM_API, {}, {}, "incomplete-signature", "likely"),
    (
        "missing token: --no-sign-request",
        UNSIGNED,
        {},
        {},
        "missing-authentication-token",
        "confirmed",
    ),
    ("missing token: api gateway", API_GATEWAY, {}, {}, "missing-authentication-token", "likely"),
    # ECR
    (
        "ecr: no login",
        NO_BASIC_AUTH,
        {"docker.ecr-login": ("ecr-login-missing",)},
        {},
        "ecr-auth-token",
        "confirmed",
    ),
    (
        "ecr: helper not on PATH",
        NO_BASIC_AUTH,
        {"docker.ecr-login": ("ecr-helper-configured", "ecr-helper-missing")},
        {},
        "ecr-auth-token",
        "confirmed",
    ),
    (
        "ecr: valid here",
        NO_BASIC_AUTH,
        {"docker.ecr-login": ("ecr-login-valid",)},
        {"same-environment": "yes"},
        "ecr-auth-token",
        "possible",
    ),
    (
        "ecr: expired, token in a store",
        ECR_EXPIRED,
        {"docker.ecr-login": ("ecr-login-in-store",)},
        {},
        "ecr-auth-token",
        "confirmed",
    ),
    # tool too old for the configuration
    (
        "old tool: sso-session profile",
        OLD_TOOL,
        {"config.sdk-features": ("profile-uses-sso-session", "sso-session-complete")},
        {},
        "tool-too-old-for-config",
        "confirmed",
    ),
    (
        "old tool: session section incomplete",
        OLD_TOOL,
        {"config.sdk-features": ("profile-uses-sso-session",)},
        {},
        "sso-misconfigured",
        "likely",
    ),
    (
        "old tool: profile elsewhere",
        OLD_TOOL,
        {"config.sdk-features": ("profile-uses-no-new-settings",)},
        {},
        "tool-too-old-for-config",
        "likely",
    ),
    (
        "old tool: no credentials with login_session",
        NO_CREDENTIALS,
        {"creds.chain": (), "config.sdk-features": ("profile-uses-login-session",)},
        {"same-environment": "yes"},
        "tool-too-old-for-config",
        "likely",
    ),
    (
        "old tool: no credentials, plain profile",
        NO_CREDENTIALS,
        {"creds.chain": (), "config.sdk-features": ("profile-uses-no-new-settings",)},
        {"same-environment": "yes"},
        "unknown",
        "possible",
    ),
    # botocore[crt]
    (
        "crt: login profile",
        LOGIN_CRT,
        {"login.session": ("login-cache-recent",)},
        {},
        "login-crt-missing",
        "confirmed",
    ),
    (
        "crt: not a login profile here",
        LOGIN_CRT,
        {"login.session": ("not-login-profile",)},
        {},
        "login-crt-missing",
        "likely",
    ),
    ("crt: mrap", MRAP, {}, {}, "botocore-crt-missing", "likely"),
    # STS through its global endpoint
    (
        "sts global: only regional reachable",
        STS_GLOBAL,
        {
            "sts.endpoint-mode": (
                "sts-mode-default",
                "sts-global-unreachable",
                "sts-regional-reachable",
            )
        },
        {},
        "sts-global-endpoint-unreachable",
        "confirmed",
    ),
    (
        "sts global: no region",
        STS_GLOBAL,
        {"sts.endpoint-mode": ("sts-no-region", "sts-global-unreachable")},
        {},
        "sts-global-endpoint-unreachable",
        "likely",
    ),
    (
        "sts global: nothing reachable",
        STS_GLOBAL,
        {
            "sts.endpoint-mode": ("sts-global-unreachable", "sts-regional-unreachable"),
            "net.route": (),
            "net.connect": ("connect-timeout",),
        },
        {},
        "network-unreachable",
        "confirmed",
    ),
    (
        "sts global: reachable now",
        STS_GLOBAL,
        {"sts.endpoint-mode": ("sts-global-reachable", "sts-regional-reachable")},
        {},
        "sts-global-endpoint-unreachable",
        "possible",
    ),
    ("s3: sigv2", SIGV2, {}, {}, "s3-sigv4-required", "confirmed"),
    # a bare refusal, with the policy simulator's answer
    (
        "simulator: no allow",
        DENIED,
        {**PLAIN, "iam.simulate": ("sim-implicit-deny",)},
        {},
        "iam-permission-denied",
        "confirmed",
    ),
    (
        "simulator: no allow on every resource",
        DENIED,
        {**PLAIN, "iam.simulate": ("sim-implicit-deny-unscoped",)},
        {},
        "iam-permission-denied",
        "likely",
    ),
    (
        "simulator: deny statement",
        DENIED,
        {**PLAIN, "iam.simulate": ("sim-explicit-deny",)},
        {},
        "explicit-deny-guardrail",
        "confirmed",
    ),
    (
        "simulator: scp",
        DENIED,
        {**PLAIN, "iam.simulate": ("sim-scp-deny",)},
        {},
        "explicit-deny-guardrail",
        "confirmed",
    ),
    (
        "simulator: boundary",
        DENIED,
        {**PLAIN, "iam.simulate": ("sim-boundary-deny",)},
        {},
        "explicit-deny-guardrail",
        "confirmed",
    ),
    (
        "simulator: allowed",
        DENIED,
        {**PLAIN, "iam.simulate": ("sim-allowed",)},
        {},
        "denied-beyond-identity-policy",
        "likely",
    ),
    (
        "simulator: refused",
        DENIED,
        {**PLAIN, "iam.simulate": ("sim-refused",)},
        {},
        "iam-permission-denied",
        "likely",
    ),
]


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


@pytest.mark.parametrize(
    ("text", "evidence", "answers", "cause", "confidence"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_each_cause_is_reached_for_its_evidence(
    knowledge: Knowledge,
    text: str,
    evidence: Findings,
    answers: Mapping[str, str],
    cause: str,
    confidence: str,
) -> None:
    _, found, how, _ = walk(knowledge, text, evidence, answers)
    assert (found, how) == (cause, confidence)


def test_every_added_cause_has_a_case() -> None:
    added = {
        "eks-unauthorized",
        "eks-exec-api-version",
        "eks-exec-command-not-found",
        "saml-assume-denied",
        "saml-assertion-invalid",
        "presigned-url-expired",
        "presigned-signature-mismatch",
        "incomplete-signature",
        "missing-authentication-token",
        "ecr-auth-token",
        "tool-too-old-for-config",
        "login-crt-missing",
        "botocore-crt-missing",
        "sts-global-endpoint-unreachable",
        "s3-sigv4-required",
        "denied-beyond-identity-policy",
    }
    assert added <= {case[4] for case in CASES}


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        (UNAUTHORIZED, "eks-unauthorized"),
        (
            "error: You must be logged in to the server (the server has asked for the client to provide credentials)",
            "eks-unauthorized",
        ),
        (ALPHA, "eks-exec-api-version"),
        (NOT_FOUND, "eks-exec-api-version"),
        (NOT_IN_PATH, "eks-exec-api-version"),
        (SAML_ROLE, "saml-federation"),
        (PRESIGNED_TOO_LONG, "presigned-url"),
        (KEY_WITH_SPACE, "incomplete-signature"),
        ("but it returned incompleteSignatureException from cloudfront.", "incomplete-signature"),
        (API_GATEWAY, "missing-authentication-token"),
        (NO_BASIC_AUTH, "ecr-auth"),
        (ECR_EXPIRED, "ecr-auth"),
        (OLD_TOOL, "tool-too-old"),
        (LOGIN_CRT, "missing-dependency"),
        (
            LOGIN_CRT.replace("botocore.exceptions.MissingDependencyException: ", "ERROR: "),
            "missing-dependency",
        ),
        (SIGV2, "s3-sigv4-required"),
        # S3 (through the Java SDK v1) on a header with a space too many
        (
            "Failed to fetch an object listing (Authorization header is invalid -- one and only"
            " one ' ' (space) required (Service: Amazon S3; Status Code: 400; Error Code:"
            " InvalidArgument; Request ID: 9EFD418F0905879F))",
            "incomplete-signature",
        ),
    ],
)
def test_the_family_is_recognised(knowledge: Knowledge, text: str, tree: str) -> None:
    best = Matcher(knowledge).recognise(text).best
    assert best is not None and best.tree == tree


def test_an_ecr_expiry_is_no_longer_an_aws_session_expiry(knowledge: Knowledge) -> None:
    """ECR's "authorization token has expired" is a Docker login, not expired AWS keys."""
    ranked = [m.tree for m in Matcher(knowledge).recognise(ECR_EXPIRED).matches]
    assert ranked[0] == "ecr-auth" and "expired-token" not in ranked


@pytest.mark.parametrize("plugin", ["kubelogin", "gke-gcloud-auth-plugin", "oidc-login", "doctl"])
def test_another_clouds_exec_plugin_not_found_is_not_eks(knowledge: Knowledge, plugin: str) -> None:
    """Only the commands an EKS kubeconfig runs are phrases: a missing kubelogin (Azure) or
    gke-gcloud-auth-plugin (Google) is not an AWS problem."""
    text = (
        f"Unable to connect to the server: getting credentials: exec: executable {plugin} not found"
    )
    best = Matcher(knowledge).recognise(text).best
    assert best is None or best.tree != "eks-exec-api-version"
