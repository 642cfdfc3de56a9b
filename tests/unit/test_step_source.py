"""A cause's step as written: its parts, their conditions, and problems with file and line."""

from __future__ import annotations

from pathlib import Path

from awsmedic.kb import check
from awsmedic.kb.conditions import Atom, Not
from awsmedic.kb.steps import parse_step

STEP = """\
<!-- if: not os:windows --> Remove the token:
`unset AWS_SESSION_TOKEN`
- <!-- if: tool:terraform --> Terraform reads the same variables.
- Python too.

<!-- if: os:windows -->
```powershell
Remove-Item Env:AWS_SESSION_TOKEN
```"""


def test_parts_and_their_conditions() -> None:
    step, problems = parse_step(STEP, 20)
    assert problems == []
    assert step.when == Not(Atom("os", "windows"))
    assert [part.text.split("\n")[0] for part in step.parts] == [
        "Remove the token:",
        "- Terraform reads the same variables.",
        "- Python too.",
        "```powershell",
    ]
    assert [part.when for part in step.parts] == [
        None,
        Atom("tool", "terraform"),
        None,
        Atom("os", "windows"),
    ]
    assert [part.line for part in step.parts] == [20, 22, 23, 25]
    assert step.parts[3].gap and not step.parts[1].gap
    assert "<!--" not in step.text


def test_edit_directive_and_misplaced_comments() -> None:
    step, problems = parse_step("<!-- edit: misspelt-key, export-line --> Fix it.", 3)
    assert step.edits == ("misspelt-key", "export-line") and problems == []
    _, problems = parse_step("Text.\n- <!-- edit: misspelt-key --> no", 7)
    assert problems == [(8, "'edit:' belongs at the start of the step")]
    _, problems = parse_step("Text <!-- if: a --> in the middle.", 9)
    assert problems == [(9, "a step comment must open its step or one of its parts")]
    _, problems = parse_step("<!-- when: a --> x", 4)
    assert problems and "holds 'if: <condition>'" in problems[0][1]


CAUSE = """\
+++
id = "c"
title = "t"
refs = []
+++

## Why

Because.

## Steps

1. <!-- if: env-keys-set and os:windows --> Fine.
2. <!-- if: no-such-finding or fact:nope --> Unknown names.
3. Next:
   - <!-- if: tool:notepad or cli:v3 or host:mainframe --> More unknown names.
4. <!-- edit: files-clean --> Not an edit finding. <!-- if: oops (( -->
5. Run `aws sso login --profile {profile}` and `aws sts get-session-token`.
6. Run `aws sts get-caller-identity --profile "{profile}" --role <role-arn>`.
"""
TREE = """\
id = "t"
title = "t"
codes = ["X"]
start = "c"
[nodes.c]
kind = "cause"
cause = "c"
confidence = "likely"
"""


def test_kb_check_names_every_unknown_name_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "causes").mkdir()
    (tmp_path / "trees").mkdir()
    (tmp_path / "causes" / "c.md").write_text(CAUSE, encoding="utf-8")
    (tmp_path / "trees" / "t.toml").write_text(TREE, encoding="utf-8")
    _, problems = check([tmp_path])
    found = {(p.line, p.message.split(" (")[0].split(":")[0]) for p in problems}
    text = "\n".join(str(p) for p in problems)
    assert all(str(tmp_path / "causes" / "c.md") in str(p) for p in problems)
    assert (14, "unknown finding 'no-such-finding'") in found
    assert (14, "unknown fact 'nope'") in found
    assert "c.md:16: unknown tool 'notepad'" in text
    assert "c.md:16: 'cli:v3'" in text and "c.md:16: 'host:mainframe'" in text
    assert "c.md:17: 'edit:files-clean': no probe reports an edit" in text
    assert "c.md:17: a step comment must open its step" in text
    assert "c.md:18: `aws sso login --profile {profile}` exists only in AWS CLI v2" in text
    assert "c.md:18: `aws sts get-session-token` prints a secret key or token" in text
    assert "c.md:19: placeholder {profile} inside quotes" in text
    assert "holds <role-arn>: use a placeholder" in text
    assert not [p for p in problems if p.line == 13]  # known finding, known os


NESTED = """\
+++
id = "nested"
title = "t"
refs = []
+++

## Why

Because.

## Steps

1. Lead:
   - <!-- if: os:windows --> a nested item

     ```json
     {"under": "the item"}
     ```

   - another item
2. The second step.
"""


def test_nested_items_are_parts_of_their_step_with_what_is_indented_under_them(
    tmp_path: Path,
) -> None:
    (tmp_path / "causes").mkdir()
    (tmp_path / "causes" / "nested.md").write_text(NESTED, encoding="utf-8")
    knowledge, _ = check([tmp_path])
    first, second = knowledge.causes["nested"].steps
    assert second.text == "The second step."
    item = first.parts[1]
    assert item.when == Atom("os", "windows")
    assert '{"under": "the item"}' in item.text  # the fence belongs to the conditional item
    assert first.parts[2].text == "- another item" and first.parts[2].when is None
