"""The wheel ships the knowledge base, and the installed program finds it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_the_knowledge_base(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("awsmedic-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        f"awsmedic/knowledge/{p.relative_to(ROOT / 'knowledge').as_posix()}"
        for p in (ROOT / "knowledge").rglob("*")
        if p.is_file()
    }
    assert shipped <= names
    assert "awsmedic/knowledge/trees/invalid-client-token-id.toml" in names
    assert "awsmedic/cli/__init__.py" in names
    # The transcript schema ships beside the code that writes it (`"schema"` in every export).
    schema = "awsmedic/schema/transcript-v2.schema.json"
    assert schema in names
    assert zipfile.ZipFile(wheel).read(schema) == (ROOT / "src" / schema).read_bytes()
    assert {"awsmedic/output/export/__init__.py", "awsmedic/output/export/htmldoc.py"} <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "awsmedic = awsmedic.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
