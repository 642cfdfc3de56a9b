"""The probe index names, for every probe, the module that registers it."""

from __future__ import annotations

import importlib
import pkgutil

import awsmedic.probes as probes_package
from awsmedic.probes import INDEX, registry


def test_the_index_matches_what_the_modules_register() -> None:
    registered = {}
    for module in pkgutil.iter_modules(probes_package.__path__):
        loaded = importlib.import_module(f"awsmedic.probes.{module.name}")
        for spec in registry().values():
            if spec.function.__module__ == loaded.__name__:
                registered[spec.id] = module.name
    real = {k: v for k, v in registered.items() if not k.startswith("test.")}
    assert real == dict(INDEX)
