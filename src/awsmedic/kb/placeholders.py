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
    "unreadable_file": "a shared file that is there but botocore skips (a directory, a bad link)",
    "unreadable_file_aside": "a free name next to that file, to move it aside",
    "unreadable_inner_file": "the file inside that directory, once it is moved aside",
    "link_target": "the file a symbolic link in the place of a shared file points to",
    "colon_file": "the shared file whose credential lines are written `name: value`",
    "colon_lines": "which lines of that file are written `name: value` (`lines 2, 3`)",
    "file_owner": "the user that owns a shared file or SSO cache this user cannot read",
    "access_key_id": "the access key id that was sent, masked",
    "credential_source": "the provider that supplied the credentials",
    "source_profile": "the source_profile of a role profile",
    "role_arn": "the role_arn of a role profile",
    "mfa_serial": "the mfa_serial of a role profile",
    "sso_session": "the sso_session of the profile",
    "sso_profile": "the profile that holds the SSO settings (the profile, or its source_profile)",
    "sso_start_url": "the SSO start URL of the profile",
    "sso_account_id": "the sso_account_id of the profile",
    "sso_missing": "the SSO keys a section of the profile lacks (sso_region, sso_account_id)",
    "sso_section": "the header of the section that lacks them ([sso-session corp])",
    "sso_section_line": "the line of that header in the config file",
    "account_id": "the account that authenticated, or the one decoded from the key id",
    "arn": "the identity that authenticated (sts:GetCallerIdentity)",
    "iam_user": "the IAM user that owns the access key (iam.key-status)",
    "partition_region": "a region of the partition the settings or the error point to",
    "admin_profile": "another profile that can read IAM in the key's account (iam.key-status)",
    "endpoint_url": "an endpoint override in effect",
    "endpoint_variable": "the environment variable that sets the endpoint override in effect",
    "endpoint_root": "the endpoint override in effect, without the path after its host",
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
    "bucket": "the S3 bucket the pasted error names",
    "role_name": "the name of the role (from role_arn, or a role ARN in the paste)",
    "suggested_profile": "the configured profile that most likely was meant, or can serve",
    "suggested_session": "the profile's sso-session name without its blanks (my sso -> my-sso)",
    "credential_profiles": "the other profiles here that have credentials (names, shell-quoted)",
    "suggested_region": "the region a wrong region name stands for (zone, case, nearest name)",
    "terraform_setting": "the Terraform file and line that write the value (main.tf line 5)",
    "region_variable": "the region variable in effect (a value with stray characters, or empty)",
    "profile_variable": "the variable whose profile name has stray characters or must change",
    "file_variable": "AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE, read by the tool as written",
    "file_path": "the absolute path that variable names once expanded ($HOME, ${VAR}, ~user)",
    "session_name": "a name for a new sso-session section (none is configured yet)",
    "identity_pool_id": "the Cognito identity pool id (REGION:GUID) the pasted error names",
    "identity_id": "the Cognito identity id (REGION:GUID) the pasted error names",
    "identity_pool_region": "the region of the Cognito identity pool (the start of its id)",
    "bedrock_key_user": "the IAM user of the long-term Bedrock API key (read from the key)",
    "bedrock_key_region": "the Region a short-term Bedrock API key was made for (from the key)",
    "bedrock_model_id": "the Bedrock foundation model the pasted error is about",
    "token_file_path": "the absolute path of a web identity token file named by a relative path",
    "db_user": "the database user an IAM authentication token was refused for, from the paste",
    "db_host": "the RDS or Aurora endpoint the paste names",
    "db_instance": "the DB instance of that endpoint (its first label)",
    "db_cluster": "the Aurora DB cluster of that endpoint (its first label)",
    "db_resource_id": "the database's resource id (DbiResourceId, DbClusterResourceId)",
    # Values no probe can know: the step names them, and says what goes there when shown.
    "external_id": "the external ID a role's trust policy requires",
    "ca_bundle_file": "the organisation's root CA certificate file (PEM) the user gets from IT",
    "certificate_file": "the X.509 certificate IAM Roles Anywhere authenticates (PEM)",
    "private_key_file": "the private key of that certificate",
    "trust_anchor_id": "the IAM Roles Anywhere trust anchor",
    "ra_profile_id": "the IAM Roles Anywhere profile",
    "mfa_code": "the current code of the MFA device",
    "session_profile": "a new profile to hold an MFA session",
    "instance_id": "the EC2 instance",
    "instance_profile": "the EC2 instance profile that holds the role",
    "association_id": "the instance profile association of the instance",
    "namespace": "the Kubernetes namespace",
    "service_account": "the Kubernetes service account",
    "deployment": "the Kubernetes deployment",
    "task_definition": "the ECS task definition",
    "pod_role_arn": "the role the pods should use",
    "encoded_message": "the encoded authorization message of the error",
    "failing_command": "the command that failed",
    "service_user": "the user a service runs as",
    "windows_user": "the Windows user name (WSL)",
    "github_repo": "the GitHub repository (owner/name)",
    "permission_set": "the IAM Identity Center permission set (a profile's sso_role_name)",
    "sso_region": "the region of IAM Identity Center (an sso-session's or profile's sso_region)",
    "proxy_url": "the proxy in use",
    "working_profile": "a profile the CLI can already use",
    "intended_profile": "the profile the user meant to use",
    "legacy_profile": "a new profile in the legacy SSO form, for a tool that needs it",
    "principal_arn": "the IAM user or role to grant access to",
    "portfolio_id": "the Service Catalog portfolio of the product",
    "oidc_issuer": "the identity provider that issued the web identity token",
    "kms_key_id": "the KMS key",
    "object_key": "the S3 object key",
    "repository": "the ECR repository",
    "image_tag": "the image tag",
    "api_id": "the API Gateway API",
    "stage": "the API Gateway stage",
    "app": "the Python application installed with pipx or run with uvx",
    "presigned_url": "the presigned URL",
    "saml_provider": "the name of the SAML provider in IAM",
    "kubeconfig": "the kubeconfig file(s) kubectl reads (KUBECONFIG or ~/.kube/config)",
    "cluster": "the EKS cluster name in the kubeconfig's exec section",
    "registry": "the ECR registry host, from the error or the Docker config",
    "interpreter": "the interpreter a credential_process script's #! line names, not installed",
    "config_setting": "the config-file key that gives the profile its credentials (role_arn, …)",
    "certificate_arn": "the ARN of an AWS IoT device's certificate",
    "certificate_id": "the id of an AWS IoT device's certificate",
}


#: For the user, when a placeholder stays in a step: what goes there and where to find it.
HELP: Mapping[str, str] = {
    "profile": "the profile the failing command uses",
    "region": "the region to use, such as us-east-1",
    "access_key_id": "the access key id (AKIA...)",
    "source_profile": "a profile that has working credentials of its own",
    "bedrock_key_user": "the IAM user the Bedrock API key belongs to (IAM console, Users)",
    "bedrock_key_region": "the Region the short-term key was generated in",
    "bedrock_model_id": "the model's id, such as anthropic.claude-sonnet-4-5-20250929-v1:0",
    "role_arn": "the ARN of the role (arn:aws:iam::ACCOUNT:role/NAME)",
    "role_name": "the name of the role (the part after role/ in its ARN)",
    "mfa_serial": "the ARN of your MFA device (IAM console, Security credentials)",
    "sso_session": "the name of the [sso-session ...] section in the config file",
    "config_setting": "the key in the profile's config-file section that gives it credentials",
    "sso_profile": "the profile with the sso_ settings (the role profile's source_profile)",
    "sso_start_url": "your AWS access portal URL (https://NAME.awsapps.com/start)",
    "sso_account_id": "the 12-digit id of the account whose role you sign in to",
    "sso_missing": "the key the error says is missing",
    "sso_section": "the [profile ...] or [sso-session ...] section that lacks it",
    "sso_section_line": "the line of that section's header",
    "account_id": "the 12-digit account id",
    "arn": "the ARN of the identity",
    "iam_user": "the IAM user name that owns the access key",
    "partition_region": "a region of the partition the credentials belong to",
    "admin_profile": "a profile that may read IAM in the key's account",
    "endpoint_url": "the endpoint URL in use",
    "operation": "the operation that failed",
    "service": "the service that failed",
    "action": "the denied action, such as s3:GetObject",
    "resource": "the ARN of the resource that was denied",
    "principal": "the ARN of the principal that was denied",
    "bucket": "the name of the S3 bucket",
    "bucket_region": "the region the bucket is in",
    "suggested_profile": "the name of a profile that exists (aws configure list-profiles)",
    "suggested_session": "a name for the sso-session without blanks, such as my-sso",
    "credential_profiles": "the profiles that have credentials (aws configure list-profiles)",
    "suggested_region": "the region you meant, such as us-east-1",
    "region_variable": "AWS_REGION or AWS_DEFAULT_REGION, whichever holds the region",
    "profile_variable": "AWS_PROFILE or AWS_DEFAULT_PROFILE, whichever names the profile",
    "file_variable": "AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE",
    "file_path": "the absolute path of the file, such as /home/<user>/.aws/credentials",
    "token_file_path": "the full path of the OIDC token file, from the root (/...)",
    "session_name": "a name of your choice for the sso-session section",
    "identity_pool_id": (
        "the identity pool id (REGION:GUID) from the app's configuration or the Cognito console"
    ),
    "identity_id": "the identity id (REGION:GUID) from the error or the app's logs",
    "identity_pool_region": "the region of the identity pool (the part of its id before ':')",
    "external_id": "the external ID the role's owner gave you",
    "mfa_code": "the current 6-digit code of your MFA device",
    "session_profile": "a name of your choice for a new profile that holds the MFA session",
    "instance_id": "the EC2 instance id (i-...)",
    "instance_profile": "the name of the instance profile that holds the role",
    "association_id": (
        "the association id (iip-assoc-...) that describe-iam-instance-profile-associations shows"
    ),
    "cluster": "the name of the EKS cluster (aws eks list-clusters)",
    "kubeconfig": "the kubeconfig file kubectl reads",
    "endpoint_variable": "the AWS_ENDPOINT_URL… variable that sets the endpoint (env)",
    "endpoint_root": "the endpoint's scheme, host and port, such as http://localhost:4566",
    "terraform_setting": "the .tf file and line that write the value (the error's `on … line`)",
    "registry": "the ECR registry host (ACCOUNT.dkr.ecr.REGION.amazonaws.com)",
    "namespace": "the Kubernetes namespace of the pods",
    "service_account": "the Kubernetes service account of the pods",
    "deployment": "the Kubernetes deployment to restart",
    "task_definition": "the family (and :revision) of the ECS task definition the task runs",
    "pod_role_arn": "the ARN of the IAM role the pods should use",
    "encoded_message": (
        "the encoded message from the error (after 'Encoded authorization failure message:')"
    ),
    "failing_command": "the command that failed, as you ran it",
    "unreadable_file": "the shared file botocore skips (ls -l ~/.aws shows it)",
    "unreadable_file_aside": "a name that is not taken yet, next to that file",
    "unreadable_inner_file": "the file inside the directory, at its new place",
    "link_target": "where the symbolic link points (ls -l shows it after ->)",
    "colon_file": "the shared file with `name: value` lines",
    "colon_lines": "the lines written `name: value`",
    "file_owner": "the user that owns the file (ls -l shows it)",
    "service_user": "the user the service or job runs as",
    "windows_user": "your Windows user name (C:\\Users\\NAME)",
    "github_repo": "the GitHub repository, as owner/name",
    "permission_set": "the name of the permission set (IAM Identity Center console, AWS accounts)",
    "sso_region": "the region of your IAM Identity Center instance",
    "proxy_url": "your proxy's URL (http://HOST:PORT)",
    "ca_bundle_file": "the full path of your organisation's root CA certificate (PEM), from IT",
    "certificate_file": "the certificate file given to aws_signing_helper as --certificate",
    "private_key_file": "the key file given to aws_signing_helper as --private-key",
    "trust_anchor_id": "the id at the end of the --trust-anchor-arn (after trust-anchor/)",
    "ra_profile_id": "the id at the end of the --profile-arn (after profile/)",
    "working_profile": (
        "the name of a profile that works (aws sts get-caller-identity --profile NAME succeeds)"
    ),
    "intended_profile": "the name of the profile you meant to use",
    "legacy_profile": "a name of your choice for a new profile that the old tool uses",
    "principal_arn": "the ARN of the IAM user or role (for a role session, the role's ARN)",
    "portfolio_id": (
        "the portfolio's id, port-... (aws servicecatalog list-portfolios-for-product"
        " --product-id with the prod-... id the error names)"
    ),
    "oidc_issuer": (
        "the token's issuer, its iss claim without https:// (token.actions.githubusercontent.com"
        " for GitHub Actions; your GitLab's host name)"
    ),
    "kms_key_id": "the KMS key id or ARN (head-object shows it as SSEKMSKeyId)",
    "object_key": "the S3 object key",
    "repository": "the ECR repository name",
    "image_tag": "the image tag, such as latest",
    "api_id": "the API id (the first part of the execute-api host name)",
    "stage": "the stage name (the first part of the path after the host)",
    "app": "the name of the application, as pipx or uvx knows it",
    "interpreter": "the program the first line (#!) of the helper script names",
    "presigned_url": "the presigned URL, in single quotes",
    "saml_provider": "the name of the SAML provider (aws iam list-saml-providers)",
    "certificate_arn": (
        "the ARN of the device's certificate (AWS IoT console, Security, Certificates:"
        " arn:aws:iot:REGION:ACCOUNT:cert/ID)"
    ),
    "certificate_id": (
        "the certificate's id (AWS IoT console, Security, Certificates: the 64 hexadecimal"
        " characters)"
    ),
    "db_user": "the database user name the client signs in as, with its case",
    "db_host": "the database endpoint the client connects to (NAME.ID.REGION.rds.amazonaws.com)",
    "db_instance": "the DB instance identifier (the first part of its endpoint)",
    "db_cluster": "the Aurora DB cluster identifier (the first part of its endpoint)",
    "db_resource_id": (
        "the database's resource id: DbiResourceId (db-...), or for Aurora DbClusterResourceId"
        " (cluster-...)"
    ),
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


def help_for(name: str) -> str:
    return HELP.get(name) or PLACEHOLDERS.get(name, name)


def one_line(name: str, value: str) -> str:
    """The value as it may go into Markdown: on one line, but for BLOCKS, so that it cannot
    end the paragraph, the code span or the fence it sits in."""
    return value if name in BLOCKS else _LINE_BREAKS.sub(" ", value)
