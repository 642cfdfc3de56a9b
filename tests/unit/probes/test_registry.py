"""The probe index names, for every probe, the module that registers it."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import awsmedic.probes as probes_package
from awsmedic.probes import INDEX, PREFETCHED, registry


def test_the_index_matches_what_the_modules_register() -> None:
    registered = {}
    for module in pkgutil.iter_modules(probes_package.__path__):
        loaded = importlib.import_module(f"awsmedic.probes.{module.name}")
        for spec in registry().values():
            if spec.function.__module__ == loaded.__name__:
                registered[spec.id] = module.name
    real = {k: v for k, v in registered.items() if not k.startswith("test.")}
    assert real == dict(INDEX)


def test_prefetched_names_the_network_probes_that_run_unasked() -> None:
    started_early = {i for i, spec in registry().items() if spec.network and spec.prefetch}
    assert {i for i in started_early if not i.startswith("test.")} == PREFETCHED


LOADED = """
import contextlib, io, json, sys
from awsmedic.cli import main
from awsmedic.probes import INDEX

out = io.StringIO()
with contextlib.redirect_stdout(out):
    main(["diagnose", "--offline", "--no-input", "--format", "json", sys.argv[1]])
ran = {INDEX[probe["id"]] for probe in json.loads(out.getvalue())["probes"]}
loaded = {name.rpartition(".")[2] for name in sys.modules if name.startswith("awsmedic.probes.")}
print(json.dumps({"ran": sorted(ran), "others": sorted(loaded & set(INDEX.values()) - ran)}))
"""


def test_a_diagnosis_imports_only_the_modules_of_the_probes_it_reports(home: Path) -> None:
    """Looking ahead for network probes to start early imports none of the others' modules
    (endpoint.override runs locally, sts.intended-identity asks first)."""
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAZZZZZZZZZZZZZZZZ\n"
        "aws_secret_access_key = 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\n"
    )
    text = (
        "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity "
        "operation: The security token included in the request is invalid."
    )
    done = subprocess.run(
        [sys.executable, "-c", LOADED, text], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert "sts" in found["ran"]  # the walk went as far as the network probes
    assert found["others"] == []
