from __future__ import annotations

from awsmedic.model import Evidence
from awsmedic.probes import ProbeInput, registry, run_probe
from awsmedic.probes.world import AwsWorld
from awsmedic.safety.redact import SecretBook
from tests.conftest import make_context

KEY = "AKIARZPUZDIKGB2VALC4"
SECRET = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eDEy"
TOKEN = "FwoGZXIvYXdzE" + "Ab1Cd2Ef3Gh4" * 30


def probe(probe_id: str, text: str = "", **ctx: object) -> Evidence:
    context = make_context(**ctx)
    world = AwsWorld(context, SecretBook())
    return run_probe(registry()[probe_id], ProbeInput(context, world, text))


def probe_on_paste(probe_id: str, text: str, **ctx: object) -> Evidence:
    """Run a probe as the walk does after a paste: with the matcher's recognition of `text`."""
    from awsmedic.core.match import Matcher
    from awsmedic.kb import load_checked, shipped_dir

    context = make_context(**ctx)
    recognition = Matcher(load_checked([shipped_dir()])).recognise(text) if text else None
    world = AwsWorld(context, SecretBook())
    return run_probe(registry()[probe_id], ProbeInput(context, world, text, recognition))
