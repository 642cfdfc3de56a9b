"""The keys a profile may hold, and the names people write instead of them.

botocore ignores a key it does not know, silently: `aws_secret_key = …` leaves the profile
without a secret. Unknown keys are normal (plugins, other SDKs), so only a near miss of a key
that matters is called a misspelling.
"""

from __future__ import annotations

#: Keys botocore or the AWS CLI read from a profile (the ones a typo most often hits).
IMPORTANT_KEYS = (
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "region",
    "role_arn",
    "source_profile",
    "credential_source",
    "credential_process",
    "sso_session",
    "sso_start_url",
    "sso_region",
    "sso_account_id",
    "sso_role_name",
    "web_identity_token_file",
    "mfa_serial",
    "login_session",
)
#: Other keys that are fine in a profile (botocore configprovider, the AWS CLI, SDK settings).
_OTHER_KEYS = frozenset(
    (
        "account_id_endpoint_mode",
        "api_versions",
        "auth_scheme_preference",
        "aws_account_id",
        "aws_security_token",
        "ca_bundle",
        "cli_auto_prompt",
        "cli_binary_format",
        "cli_connect_timeout",
        "cli_follow_urlparam",
        "cli_history",
        "cli_pager",
        "cli_read_timeout",
        "cli_timestamp_format",
        "defaults_mode",
        "disable_request_compression",
        "duration_seconds",
        "ec2_metadata_service_endpoint",
        "ec2_metadata_service_endpoint_mode",
        "ec2_metadata_v1_disabled",
        "endpoint_url",
        "external_id",
        "ignore_configured_endpoint_urls",
        "imds_use_ipv6",
        "max_attempts",
        "metadata_service_num_attempts",
        "metadata_service_timeout",
        "output",
        "parameter_validation",
        "request_checksum_calculation",
        "request_min_compression_size_bytes",
        "response_checksum_validation",
        "retry_mode",
        "role_session_name",
        "s3",
        "services",
        "sigv4a_signing_region_set",
        "sso_registration_scopes",
        "sts_regional_endpoints",
        "tcp_keepalive",
        "use_dualstack_endpoint",
        "use_fips_endpoint",
        "web_identity_token",
    )
)
KNOWN_KEYS = frozenset(IMPORTANT_KEYS) | _OTHER_KEYS
#: Names people write instead of the real ones (old SDKs, env var habits, other tools).
WRONG_NAMES = {
    "aws_access_key": "aws_access_key_id",
    "aws_access_key_id_id": "aws_access_key_id",
    "access_key_id": "aws_access_key_id",
    "access_key": "aws_access_key_id",
    "aws_access_id": "aws_access_key_id",
    "awsaccesskeyid": "aws_access_key_id",
    "aws_secret_key": "aws_secret_access_key",
    "aws_secret_access_key_id": "aws_secret_access_key",
    "aws_secret_access": "aws_secret_access_key",
    "secret_access_key": "aws_secret_access_key",
    "secret_key": "aws_secret_access_key",
    "awssecretkey": "aws_secret_access_key",
    "aws_session_key": "aws_session_token",
    "session_token": "aws_session_token",
    "aws_token": "aws_session_token",
    "region_name": "region",
    "aws_region": "region",
    "aws_default_region": "region",
    "default_region": "region",
    "sso_url": "sso_start_url",
    "role": "role_arn",
    "source": "source_profile",
}
_FUZZY_CUTOFF = 88


def misspelling(key: str) -> str | None:
    """The key that `key` was probably meant to be, or None when it is fine or unknown."""
    from rapidfuzz import fuzz, process, utils

    name = key.strip().lower()
    if name in KNOWN_KEYS:
        return None
    if name.replace("-", "_") in KNOWN_KEYS:
        return name.replace("-", "_")
    if name in WRONG_NAMES:
        return WRONG_NAMES[name]
    best = process.extractOne(
        name, IMPORTANT_KEYS, scorer=fuzz.ratio, processor=utils.default_process
    )
    return str(best[0]) if best and best[1] >= _FUZZY_CUTOFF else None
