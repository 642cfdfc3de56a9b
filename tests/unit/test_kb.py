from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from awsmedic.errors import KnowledgeError
from awsmedic.kb import check, load_checked, shipped_dir
from tests.kbfiles import write_knowledge

GOOD_CAUSE = """\
+++
id = "{id}"
title = "A cause"
refs = ["https://docs.aws.amazon.com/"]
+++

## Why

Because.

## Steps

1. Do `aws sts get-caller-identity --profile {{profile}}`.
2. Then this, with a block:

   ```json
   {{"Version": "2012-10-17"}}
   ```
"""


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    write(root, "causes/good.md", GOOD_CAUSE.format(id="good"))
    write(
        root,
        "causes/no-steps.md",
        '+++\nid = "no-steps"\ntitle = "t"\nrefs = []\n+++\n\n## Why\n\nx\n\n## Steps\n\nNothing here.\n',
    )
    write(root, "causes/wrong-id.md", GOOD_CAUSE.format(id="other"))
    write(
        root,
        "causes/bad-placeholder.md",
        GOOD_CAUSE.format(id="bad-placeholder").replace("{profile}", "{profle}"),
    )
    write(root, "trees/syntax.toml", 'id = "syntax"\ntitle = "t"\ncodes = ["X"\n')
    write(
        root,
        "trees/graph.toml",
        """\
        id = "graph"
        title = "A broken graph"
        codes = ["SomeError"]
        start = "a"

        [nodes.a]
        kind = "probe"
        probe = "no.such-probe"
        next = { default = "b" }

        [nodes.b]
        kind = "question"
        id = "q"
        text = "Loop?"
        answers = { yes = "a", no = "missing" }

        [nodes.orphan]
        kind = "cause"
        cause = "no-such-cause"
        confidence = "likely"
        """,
    )
    return root


def test_a_broken_directory_reports_every_problem_with_its_file(broken: Path) -> None:
    _, problems = check([broken])
    text = "\n".join(str(p) for p in problems)
    assert "syntax.toml:3" in text and "TOML syntax error" in text
    assert "no-steps.md" in text and "ordered list" in text
    assert "wrong-id.md" in text and "must equal the file name" in text
    assert "bad-placeholder.md" in text and "'{profle}'" in text
    assert "graph.toml" in text
    for fragment in (
        "unknown probe 'no.such-probe'",
        "missing node 'missing'",
        "'orphan' is unreachable",
        "cycle: a -> b -> a",
        "unknown cause 'no-such-cause'",
    ):
        assert fragment in text, fragment
    assert not [p for p in problems if p.path.name == "good.md" and not p.warning]


def test_load_checked_raises_with_all_errors(broken: Path) -> None:
    """At start-up only what would stop a diagnosis is checked (no probe modules, no Markdown
    parser); `kb check` (the test above) reports the rest."""
    with pytest.raises(KnowledgeError) as raised:
        load_checked([broken])
    text = "\n".join(str(p) for p in raised.value.problems)
    for fragment in (
        "TOML syntax error",
        "must equal the file name",
        "missing node 'missing'",
        "unknown cause 'no-such-cause'",
        "is unreachable",
        "cycle: a -> b -> a",
    ):
        assert fragment in text, fragment
    assert "unknown probe" not in text  # needs the registry: kb check's job


def test_shipped_knowledge_has_no_errors() -> None:
    knowledge, problems = check([shipped_dir()])
    assert [p for p in problems if not p.warning] == []
    assert "invalid-client-token-id" in knowledge.trees
    assert "no-credentials" in knowledge.trees


def test_cause_steps_keep_their_code_blocks(tmp_path: Path) -> None:
    write(tmp_path, "causes/good.md", GOOD_CAUSE.format(id="good"))
    knowledge, _ = check([tmp_path])
    steps = knowledge.causes["good"].steps
    assert steps[0].text.startswith("Do `aws sts")
    assert '```json\n{"Version": "2012-10-17"}\n```' in steps[1].text


def test_a_block_indented_less_than_its_step_is_a_problem_of_its_line(tmp_path: Path) -> None:
    """Under `10. ` a step's lines need four spaces: with three, its code block ends the list,
    and that block and every later step would silently be shown by no step."""
    head = GOOD_CAUSE.format(id="ten").split("## Steps")[0]
    steps = "".join(f"{n}. Step {n}.\n" for n in range(1, 10))
    body = steps + "10. A policy like this one:\n\n   ```json\n   {}\n   ```\n\n11. Check.\n"
    path = write(tmp_path, "causes/ten.md", head + "## Steps\n\n" + body)
    _, problems = check([tmp_path])
    stray = [p for p in problems if "outside the steps' list" in p.message]
    assert [(p.path, p.line) for p in stray] == [(path, 24)]  # the code block
    text = path.read_text().replace("   ```", "    ```").replace("   {}", "    {}")
    path.write_text(text)
    _, problems = check([tmp_path])
    assert not [p for p in problems if "outside the steps' list" in p.message]


def test_org_knowledge_cannot_redefine_a_shipped_id(tmp_path: Path) -> None:
    write(tmp_path, "causes/key-typo.md", GOOD_CAUSE.format(id="key-typo"))
    _, problems = check([shipped_dir(), tmp_path])
    assert any("already defined" in str(p) for p in problems)


def test_a_built_in_signal_cannot_be_copied_and_a_hint_names_a_known_signal(
    tmp_path: Path,
) -> None:
    """opt-in-region lists botocore's opt-in regions; a knowledge file may not keep its own."""
    write(tmp_path, "signals.toml", "[signals]\nopt-in-region = ['\\bap-east-1\\b']\n")
    write(tmp_path, "causes/good.md", GOOD_CAUSE.format(id="good"))
    write(
        tmp_path,
        "trees/hinted.toml",
        """\
        id = "hinted"
        title = "Hints by signal"
        codes = ["HintedError"]
        start = "end"

        [[hints]]
        signal = "opt-in-region"
        boost = { good = 5 }

        [[hints]]
        signal = "no-such-signal"
        boost = { good = 5 }

        [nodes.end]
        kind = "cause"
        cause = "good"
        confidence = "likely"
        """,
    )
    knowledge, problems = check([tmp_path])
    text = "\n".join(str(p) for p in problems)
    assert "signal 'opt-in-region' is built in" in text
    assert "unknown text signal 'no-such-signal'" in text
    assert [h.signal for h in knowledge.trees["hinted"].hints] == [
        "opt-in-region",
        "no-such-signal",
    ]


def test_the_readme_documents_every_placeholder() -> None:
    from awsmedic.kb.placeholders import HELP, PLACEHOLDERS

    readme = (shipped_dir() / "README.md").read_text(encoding="utf-8")
    assert [name for name in PLACEHOLDERS if f"`{name}`" not in readme] == []
    # Every value a step may leave unfilled has a sentence for the user.
    assert [name for name in PLACEHOLDERS if name not in HELP and name not in NOT_IN_COMMANDS] == []


#: Placeholders only ever used in prose or JSON blocks, never left for the user to fill.
NOT_IN_COMMANDS = {
    "credentials_file", "config_file", "credential_source", "policy_kind", "policy_statement",
    "trust_statement", "skew", "host", "clock_fix",
}  # fmt: skip


def test_a_tool_wraps_only_tools_that_exist(tmp_path: Path) -> None:
    # `wraps` may name a tool of another knowledge directory (here the shipped `go-sdk-v2`),
    # never one that no directory defines.
    write(
        tmp_path,
        "tools.toml",
        """\
        [[tools]]
        id = "wrapper"
        patterns = ['wrapper says']
        wraps = ["go-sdk-v2", "no-such-tool"]
        """,
    )
    _, problems = check([shipped_dir(), tmp_path])
    messages = [str(problem) for problem in problems]
    assert any("wraps 'no-such-tool', which is no tool" in m for m in messages), messages
    assert not any("'go-sdk-v2', which is no tool" in m for m in messages), messages
    write(tmp_path, "tools.toml", '[[tools]]\nid = "w"\npatterns = []\nwraps = "go-sdk-v2"\n')
    _, problems = check([tmp_path])
    assert any("'wraps' must be a list of tool ids" in str(problem) for problem in problems)


#: Deeper than tomllib can recurse (audit F9: "internal error: RecursionError").
DEEP_ARRAYS = "x = " + "[" * 200_000 + "]" * 200_000
DEEP_TABLES = "x = " + "{a=" * 50_000 + "1" + "}" * 50_000


@pytest.mark.parametrize("value", [DEEP_ARRAYS, DEEP_TABLES], ids=["arrays", "inline-tables"])
def test_toml_nested_too_deep_is_a_problem_of_its_file_and_line(tmp_path: Path, value: str) -> None:
    _, problems = write_knowledge(tmp_path, [], {"deep": f'id = "deep"\n# why\n{value}\n'})
    assert [str(p) for p in problems if p.path.name == "deep.toml"] == [
        f"{tmp_path / 'trees' / 'deep.toml'}:3: TOML syntax error: arrays or inline tables nested"
        " too deeply to read (at line 3)"
    ]


def test_front_matter_nested_too_deep_is_a_problem_of_its_file_and_line(tmp_path: Path) -> None:
    cause = '+++\nid = "{id}"\n' + DEEP_ARRAYS + "\n+++\n\n## Why\n\nB.\n\n## Steps\n\n1. Do.\n"
    _, problems = write_knowledge(tmp_path, ["deep"], {}, cause=cause)
    [problem] = [p for p in problems if p.path.name == "deep.md"]
    assert problem.line == 3 and "nested too deeply" in problem.message
