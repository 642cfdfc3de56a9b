"""A shared file with a very long line of inner blanks is read in one pass: the secret scan,
which runs before anything else, and the INI reader every probe of the files uses, find a
line's separator and value with string searches (a lazy key or value beside blanks cost time
quadratic in the blanks: hours for a 1 MB line of a broken file)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BLANKS = " " * 500_000
SCAN = (
    "import sys\n"
    "from pathlib import Path\n"
    "from awsmedic.safety.secretscan import file_secrets\n"
    "print(len(file_secrets(Path(sys.argv[1]))))\n"
)


def bounded(script: str, path: Path, what: str) -> str:
    """What `script` prints for `path`, run in a child process: a regular expression holds the
    interpreter, so only a process can be stopped. Linear work takes milliseconds, a quadratic
    pattern hours; the bound only says "did not hang", it times nothing."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{what} hung on a long line") from None
    return done.stdout


def test_a_line_of_inner_blanks_is_scanned_without_hanging(tmp_path: Path) -> None:
    path = tmp_path / "credentials"
    path.write_text(
        "[default]\n"
        f"aws_secret_access_key = x{BLANKS}y  \n"
        f"endpoint_url = https://user:pass1234word@host{BLANKS}z \n"
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE  \n",
        encoding="utf-8",
    )
    out = bounded(SCAN, path, "the secret scan")
    # The secret (inner blanks and all, trailing ones off), the key id, the URL's password.
    assert out.strip() == "3"


INI = (
    "import sys\n"
    "from awsmedic.aws import inifile, lineedits\n"
    "issues = []\n"
    "text = open(sys.argv[1], encoding='utf-8').read()\n"
    "sections = inifile._scan_lines(text, issues)\n"
    "print(len(sections), [issue.code for issue in issues])\n"
    "print(lineedits._key_line('  x' + ' ' * 500_000 + 'y = 1') is not None)\n"
)


def test_the_ini_reader_reads_a_line_of_inner_blanks_without_hanging(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text(
        f"[default]\nx{BLANKS}y\nregion = us-east-1\nname{BLANKS}= value\n", encoding="utf-8"
    )
    out = bounded(INI, path, "the INI reader")
    assert out.split("\n")[:2] == ["1 ['bad-line']", "True"]
