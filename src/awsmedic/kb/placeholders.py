"""Placeholders that cause steps may use, filled from evidence facts of the same name.

Kept apart from the probes so that `kb check` and the docs test know the vocabulary without
importing any probe.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDERS: Mapping[str, str] = {
    "profile": "the selected profile (`default` when none is selected)",
    "region": "the effective region (or the one named in the error)",
    "credentials_file": "the shared credentials file botocore reads",
    "config_file": "the shared config file botocore reads",
    "access_key_id": "the access key id that was sent, masked",
    "credential_source": "the provider that supplied the credentials",
    "source_profile": "the source_profile of a role profile",
    "role_arn": "the role_arn of a role profile",
    "mfa_serial": "the mfa_serial of a role profile",
    "sso_session": "the sso_session of the profile",
    "sso_start_url": "the SSO start URL of the profile",
    "account_id": "the account that authenticated, or the one decoded from the key id",
    "arn": "the identity that authenticated (sts:GetCallerIdentity)",
    "iam_user": "the IAM user that owns the access key (iam.key-status)",
    "partition_region": "a region of the partition the settings or the error point to",
    "admin_profile": "another profile that can read IAM in the key's account (iam.key-status)",
    "endpoint_url": "an endpoint override in effect",
    "operation": "the failing operation, from the pasted error",
    "service": "the failing service, from the pasted error",
    "action": "the denied action, from an AccessDenied message",
    "resource": "the resource of an AccessDenied message",
    "principal": "the principal ARN of an AccessDenied message",
    "policy_kind": "the policy type an AccessDenied message names (service control policy, …)",
    "policy_statement": "the least-privilege policy (JSON) to ask for, built from the denial",
    "trust_statement": "the role trust-policy statement (JSON) a refused AssumeRole needs",
    "skew": "the measured clock offset, in words",
    "host": "the kind of machine the clock probes ran on (WSL2, a container, a VM, Linux, ...)",
    "clock_fix": "the command that resyncs the clock on that kind of machine",
    "bucket_region": "the region AWS says the S3 bucket is in, from the pasted error",
    "kubeconfig": "the kubeconfig file(s) kubectl reads (KUBECONFIG or ~/.kube/config)",
    "cluster": "the EKS cluster name in the kubeconfig's exec section",
    "registry": "the ECR registry host, from the error or the Docker config",
}

PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
#: Placeholders whose values are blocks of lines (JSON awsmedic builds, shown in a fence).
BLOCKS = frozenset({"policy_statement", "trust_statement"})
# A line break in any other value would end the Markdown paragraph it sits in, and the code
# span with it (an AWS_PROFILE of "dev\n\n![x](https://...)" made a live image): one line.
_LINE_BREAKS = re.compile("[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def used(text: str) -> set[str]:
    """Names in `text` that look like placeholders (known or not)."""
    return set(PLACEHOLDER_RE.findall(text))


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace known placeholders; a known one without a value becomes `<name>`. Values are
    put in on one line (but for BLOCKS), so that none can end the code span it is in."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        value = values.get(name) or f"<{name}>"
        return value if name in BLOCKS else _LINE_BREAKS.sub(" ", value)

    return PLACEHOLDER_RE.sub(replace, text)
