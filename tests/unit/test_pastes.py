"""What surrounds a pasted error: prefixes, log wrapping, command lines (core/pastes.py)."""

from __future__ import annotations

import json

import pytest

from awsmedic.core.pastes import command_lines, message_lines, prepare, strip_prefixes

COMMANDS = {
    "aws": "aws-cli",
    "terraform": "terraform",
    "cdk": "cdk",
    "kubectl": "kubectl-eks",
    "sls": "serverless",
}
MESSAGE = "Unable to locate credentials"


@pytest.mark.parametrize(
    "prefix",
    [
        "##[error]",
        "2024-01-01T00:00:00.000Z ",
        "2024-01-01T00:00:00.0000000Z ##[error]",
        "[2024-01-01 00:00:00,123] ERROR ",
        "2024/01/01 12:00:00 ",
        "[INFO] ",
        "ERROR: ",
        "WARNING:botocore.credentials: ",
        "│ ",
        "> ",
        "E0101 12:00:00.000000    1234 main.go:42] ",
        "Jan  1 00:00:00 host app[123]: ",
        "::error::",
        "#12 0.532 ",
        "[Pipeline] ",
        "api-1  | ",  # Docker Compose v2
        "web_1     | ",  # Docker Compose v1
        "[pod/api-7d9f4-x2x/app] ",  # kubectl logs --prefix
    ],
)
def test_log_and_ci_prefixes_are_taken_off(prefix: str) -> None:
    assert strip_prefixes(prefix + MESSAGE) == MESSAGE


def test_a_message_is_not_cut_where_it_only_looks_like_a_prefix() -> None:
    assert strip_prefixes("Error loading SSO Token: x") == "Error loading SSO Token: x"
    assert (
        strip_prefixes("User: arn:aws:iam::1:user/me is not")
        == "User: arn:aws:iam::1:user/me is not"
    )


def test_json_log_lines_give_their_strings() -> None:
    line = json.dumps(
        {"level": "error", "ts": 1.7e9, "msg": "failed", "error": f'api error X: "{MESSAGE}"\nnext'}
    )
    lines = message_lines(prepare("2024-01-01T00:00:00Z " + line)[0])
    # Each string is a paragraph of its own: two fields of a record are not one message.
    assert lines == ["error", "", "failed", "", f'api error X: "{MESSAGE}"', "next"]


def test_logfmt_lines_give_their_message_fields() -> None:
    line = 'time="2024-01-01T00:00:00Z" level=error msg="refresh failed: \\"boom\\"" err="a\\nb"'
    assert message_lines(line) == ['refresh failed: "boom"', "a", "b"]


def test_logfmt_lines_keep_an_aws_errors_code() -> None:
    # Docker's awslogs driver logs the Go SDK's error as fields (the forty-first batch's ib02)
    line = (
        'time="2021-06-14T18:45:48-05:00" level=error msg="Failed to create log stream"'
        " errorCode=CredentialsEndpointError logGroupName=/ecs/app"
        ' message="failed to load credentials" origError=": "'
    )
    assert message_lines(line) == [
        "Failed to create log stream",
        "CredentialsEndpointError",
        "failed to load credentials",
        ": ",
    ]


def test_a_paste_escaped_onto_one_line_is_read_whole_also_around_a_logfmt_line() -> None:
    # A log viewer's one line: the command, then a logfmt record, then the error. The record's
    # keys come after the first escaped break, so the line is no logfmt record of its own.
    line = (
        '$ velero install --provider aws\\n```\\ntime="2020-04-07T23:01:43Z" level=info'
        ' msg="Checking locations"\\nAn error occurred: AccessDenied: Access Denied\\n```'
    )
    assert message_lines(prepare(line)[0])[-2:] == [
        "An error occurred: AccessDenied: Access Denied",
        "```",
    ]


def test_a_logfmt_record_further_on_keeps_its_own_escaped_quotes() -> None:
    # The fifty-eighth batch's jk15 (Velero's log line) escaped onto one line: the record's own
    # `\"169.254.170.23\"` inside msg="..." must not end the value early.
    line = (
        '```\\ntime="2024-02-13T09:55:13Z" level=error msg="BackupStorageLocation \\"default\\"'
        ' is unavailable: could not load config: invalid endpoint host, \\"169.254.170.23\\",'
        ' only loopback hosts are allowed)" controller=backup-storage-location\\n```'
    )
    assert message_lines(prepare(line)[0]) == [
        "```",
        'BackupStorageLocation "default" is unavailable: could not load config: invalid endpoint'
        ' host, "169.254.170.23", only loopback hosts are allowed)',
        "```",
    ]
    # escaped as a whole (a JSON string printed without its quotes), the record is decoded
    escaped = 'x\\ntime=\\"2024\\" level=error msg=\\"say \\\\\\"hi\\\\\\"\\"'
    assert message_lines(prepare(escaped)[0]) == ["x", 'say "hi"']


def test_json_escaped_text_is_unescaped_only_where_it_is_json() -> None:
    assert message_lines('"errorMessage": "line one\\nline two \\u0027q\\u0027"') == [
        '"errorMessage": "line one',
        "line two 'q'\"",
    ]
    # A message that merely holds a backslash-n is left as it is.
    assert message_lines("The config profile (a\\nb) could not be found") == [
        "The config profile (a\\nb) could not be found"
    ]


def test_windows_line_endings_and_terminal_escapes_are_cleaned() -> None:
    text, _ = prepare("\x1b[31mfirst\x1b[0m\r\nsecond\r\n")
    assert text == "first\nsecond\n"


@pytest.mark.parametrize(
    ("line", "tool", "facts"),
    [
        (
            "user@host:~/proj$ aws s3 ls --profile dev --region eu-west-1",
            "aws-cli",
            {"profile": "dev", "region": "eu-west-1"},
        ),
        (
            "[ec2-user@ip-10-0-0-1 ~]$ AWS_PROFILE=prod aws sts get-caller-identity",
            "aws-cli",
            {"profile": "prod"},
        ),
        ("PS C:\\Users\\me> aws s3 ls --profile=ci", "aws-cli", {"profile": "ci"}),
        ("C:\\work>aws.exe s3 ls --region us-east-2", "aws-cli", {"region": "us-east-2"}),
        ("➜  infra git:(main) ✗ terraform plan", "terraform", {}),
        ("❯ npx cdk deploy --profile sandbox", "cdk", {"profile": "sandbox"}),
        ("aws sts get-caller-identity --profile admin", "aws-cli", {"profile": "admin"}),
        ("$ export AWS_DEFAULT_REGION=ap-south-1", None, {"region": "ap-south-1"}),
        ('$env:AWS_PROFILE="work"', None, {"profile": "work"}),
        # A script's own options are its own: only AWS tools' options are read.
        ("(venv) me@laptop % python deploy.py --region us-west-2", None, {}),
        (
            "$ sls deploy --aws-profile staging -r eu-north-1",
            "serverless",
            {"profile": "staging", "region": "eu-north-1"},
        ),
        (
            "$ env AWS_REGION=eu-west-3 aws s3 ls --endpoint-url http://localhost:4566",
            "aws-cli",
            {"region": "eu-west-3", "endpoint_url": "http://localhost:4566"},
        ),
    ],
)
def test_command_lines_name_the_profile_region_and_tool(
    line: str, tool: str | None, facts: dict[str, str]
) -> None:
    found = command_lines([line], COMMANDS)
    assert found.tool == tool
    assert dict(found.facts) == facts


def test_text_that_is_no_command_line_gives_nothing() -> None:
    found = command_lines(
        [
            "An error occurred (AccessDenied) when calling the ListBuckets operation",
            "use --profile to choose one",  # prose that names an option is no command line
            "AWS_REGION=${{ secrets.REGION }}",  # not a value awsmedic can use
        ],
        COMMANDS,
    )
    assert found.tool is None and dict(found.facts) == {}


def test_the_last_command_line_gives_the_profile_and_the_first_tool_wins() -> None:
    found = command_lines(
        ["$ terraform init", "$ aws s3 ls --profile a", "$ aws s3 ls --profile b"], COMMANDS
    )
    assert found.tool == "terraform" and found.facts["profile"] == "b"


def test_the_aws_cli_usage_lines_under_its_error_are_no_commands() -> None:
    """The CLI's usage text ends "To see help text, you can run:" and `aws help`,
    `aws <command> help`: those lines are its output, not the command that failed (audit 5
    s27: they hid `--profile dev` of the pasted command)."""
    lines = [
        "$ aws configure export-credentials --profile dev --format env",
        "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]",
        "To see help text, you can run:",
        "",
        "  aws help",
        "  aws <command> help",
        "  aws <command> <subcommand> help",
        "aws: error: argument subcommand: Invalid choice, valid choices are:",
    ]
    assert command_lines(lines, COMMANDS).facts == {"profile": "dev"}


def test_a_prefix_sets_the_profile_for_its_own_command_alone() -> None:
    found = command_lines(
        ["$ AWS_PROFILE=dev aws s3 ls", "error one", "$ aws s3 ls", "error two"], COMMANDS
    )
    assert dict(found.facts) == {}


def test_an_export_holds_for_the_commands_after_it_and_an_option_beats_it() -> None:
    lines = ["$ export AWS_PROFILE=dev AWS_REGION=eu-west-1", "$ cd infra && terraform plan"]
    found = command_lines(lines, COMMANDS)
    assert dict(found.facts) == {"profile": "dev", "region": "eu-west-1"}
    assert dict(found.via) == {"profile": "AWS_PROFILE", "region": "AWS_REGION"}
    found = command_lines([*lines, "$ aws s3 ls --profile prod"], COMMANDS)
    assert found.facts["profile"] == "prod" and found.via["profile"] == "--profile"
    assert found.facts["region"] == "eu-west-1"


def test_the_option_of_a_command_beats_its_own_prefix() -> None:
    found = command_lines(["$ AWS_PROFILE=a aws s3 ls -p x --profile b"], COMMANDS)
    assert found.facts["profile"] == "b" and found.via["profile"] == "--profile"


def test_an_export_after_the_failing_command_is_not_what_it_ran_with() -> None:
    found = command_lines(
        ["$ aws s3 ls", "An error occurred", "$ export AWS_PROFILE=dev"], COMMANDS
    )
    assert dict(found.facts) == {}


def test_env_dash_i_starts_from_an_empty_environment() -> None:
    lines = ["$ export AWS_PROFILE=dev", "$ env -i PATH=/bin aws s3 ls"]
    assert dict(command_lines(lines, COMMANDS).facts) == {}


def test_a_value_no_step_can_use_still_hides_an_earlier_one() -> None:
    lines = ["$ export AWS_PROFILE=dev", '$ aws s3 ls --profile "$(whoami)"']
    assert "profile" not in command_lines(lines, COMMANDS).facts
    lines = ["$ export AWS_PROFILE=dev", "$ AWS_PROFILE='a b' aws s3 ls"]
    assert "profile" not in command_lines(lines, COMMANDS).facts


@pytest.mark.parametrize(
    "line",
    [
        "AWS authentication failed: The security token included in the request is invalid",
        "Terraform failed to refresh cached credentials",
        "Aws credentials are invalid",
    ],
)
def test_a_sentence_that_starts_with_a_tool_name_is_no_command_line(line: str) -> None:
    assert command_lines([line], COMMANDS).tool is None


def test_after_a_prompt_a_command_may_be_written_in_capitals() -> None:
    """Windows finds `AWS.exe` as `aws`; a prompt says the line is a command."""
    assert command_lines(["PS C:\\> AWS s3 ls --profile dev"], COMMANDS).tool == "aws-cli"


def test_escaped_line_breaks_are_put_back() -> None:
    """A log viewer, a JSON string printed without its quotes or Python's repr shows a message's
    line breaks as `\\n`."""
    text = "Unable to find credentials\\n\\nException 1 of 4:\\n\\tAmazon.Runtime.AmazonClientException"
    assert prepare(text)[0] == (
        "Unable to find credentials\n\nException 1 of 4:\n\tAmazon.Runtime.AmazonClientException"
    )


def test_a_windows_path_keeps_its_backslashes() -> None:
    text = "Could not read C:\\Users\\me\\.aws\\new\\credentials: \\nope"
    assert prepare(text)[0] == text


def test_json_lines_are_left_to_message_lines() -> None:
    line = '2024-01-01T00:00:00Z {"msg": "a\\nb"}'
    assert prepare(line)[0] == line
    assert message_lines(prepare(line)[0]) == ["a", "b"]
