"""Regions and partitions, answered from botocore's own partitions data (loaded once).

Several probes need the same facts (is this a region, of which partition, is it opt-in, what
did the user probably mean): they all ask here, so they cannot disagree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

#: Regions enabled by default in the `aws` partition: those launched before 20 March 2019.
#: Every later region of the partition is opt-in (causes.md section 7).
DEFAULT_ENABLED = frozenset(
    {
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
        "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
    }
)  # fmt: skip
#: A region every account of the partition has, to try credentials in when in doubt.
HOME_REGION = {"aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}
#: An availability zone name (`us-east-1a`): its region, and the zone letter.
AZ = re.compile(r"^([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]$")
#: rapidfuzz ratio a region name needs to be offered as "did you mean".
NEAR_CUTOFF = 80


@functools.cache
def partitions() -> tuple[Mapping[str, Any], ...]:
    # The file botocore's loader would read, read without importing botocore (0.3 s cold):
    # recognising a paste asks for the opt-in regions before any probe has imported it.
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("botocore")
    places = list(spec.submodule_search_locations or []) if spec else []
    for place in places:
        data = Path(place) / "data" / "partitions.json"
        if data.is_file():
            return tuple(json.loads(data.read_text(encoding="utf-8"))["partitions"])
    from botocore.loaders import create_loader

    return tuple(create_loader().load_data("partitions")["partitions"])


@functools.cache
def known_regions() -> frozenset[str]:
    """Every region botocore lists, in every partition (`aws-global` and the like included)."""
    return frozenset(r for p in partitions() for r in p["regions"])


def partition_of(region: str) -> str | None:
    """The partition of a listed region, else of a region-shaped name; None if neither."""
    for partition in partitions():
        if region in partition["regions"]:
            return str(partition["id"])
    for partition in partitions():
        if re.match(partition["regionRegex"], region):
            return str(partition["id"])
    return None


def status(region: str) -> str:
    """known | opt-in | unknown (shaped like a region, not in this botocore) | not-a-region."""
    for partition in partitions():
        if region in partition["regions"]:
            opt_in = partition["id"] == "aws" and region not in DEFAULT_ENABLED
            return "opt-in" if opt_in and not region.startswith("aws-") else "known"
    if any(re.match(partition["regionRegex"], region) for partition in partitions()):
        return "unknown"
    return "not-a-region"


@functools.cache
def _middle_words() -> frozenset[str]:
    """The words between a known region's prefix and number (east, southeast, central, gov,
    iso, ...): a region launched after this botocore is named with them too."""
    return frozenset(word for name in known_regions() for word in name.split("-")[1:-1])


def could_be_new(region: str) -> bool:
    """Whether a name botocore does not list could still be a region launched after it: shaped
    like one, and made of the words regions are named with (`eu-wset-1` is a typo, not a new
    region)."""
    return status(region) == "unknown" and all(
        word in _middle_words() for word in region.split("-")[1:-1]
    )


def is_opt_in(region: str) -> bool:
    return status(region) == "opt-in"


@functools.cache
def opt_in_regions() -> tuple[str, ...]:
    """Every opt-in region botocore lists: the one list the knowledge base and probes use."""
    return tuple(sorted(r for r in known_regions() if is_opt_in(r)))


def opt_in_pattern() -> str:
    """A regular expression that finds any opt-in region name (knowledge signal `opt-in-region`).
    Built from botocore's data, so a region launched later needs no edit here or in a tree."""
    return r"\b(?:" + "|".join(re.escape(r) for r in opt_in_regions()) + r")\b"


def without_zone(name: str) -> str:
    """`us-east-1a` -> `us-east-1`; anything else unchanged."""
    zone = AZ.match(name)
    return zone.group(1) if zone else name


def verdict(name: str) -> tuple[str, str | None]:
    """("valid" | "unknown" | "invalid", the region probably meant) for a region name."""
    regions = known_regions()
    if name in regions:
        return "valid", None
    if status(name) == "unknown":
        return "unknown", None
    for guess in (
        name.strip(),
        name.strip().lower(),
        name.strip().lower().replace("_", "-"),
        re.sub(r"(\d)[a-z]$", r"\1", name.strip().lower()),  # an availability zone: us-east-1a
    ):
        if guess in regions:
            return "invalid", guess
    return "invalid", nearest(name)


def nearest(name: str) -> str | None:
    """The known region closest to a mistyped name, if one is close enough."""
    from rapidfuzz import fuzz, process, utils

    best = process.extractOne(
        name, sorted(known_regions()), scorer=fuzz.ratio, processor=utils.default_process
    )
    return str(best[0]) if best and best[1] >= NEAR_CUTOFF else None


@functools.cache
def _endpoints() -> tuple[Mapping[str, Any], ...]:
    """botocore's endpoints data (data/endpoints.json), which lists the endpoint variants
    (FIPS, dual-stack) each service has in each region."""
    from botocore.loaders import create_loader

    return tuple(create_loader().load_data("endpoints")["partitions"])


def _fips_tagged(entry: Mapping[str, Any]) -> bool:
    return any(variant.get("tags") == ["fips"] for variant in entry.get("variants", ()))


@functools.cache
def _service_regions(service: str) -> tuple[frozenset[str], frozenset[str]]:
    """(regions botocore's endpoints data lists for `service`, those of them with a FIPS
    endpoint). A region name with `fips` in it is an old alias, not a region."""
    listed: set[str] = set()
    fips: set[str] = set()
    for partition in _endpoints():
        data = partition.get("services", {}).get(service)
        if data is None:
            continue
        every = _fips_tagged(data.get("defaults", {}))
        for region, entry in data.get("endpoints", {}).items():
            if "fips" in region.split("-"):
                continue
            listed.add(region)
            if every or _fips_tagged(entry):
                fips.add(region)
    return frozenset(listed), frozenset(fips)


def has_fips_endpoint(service: str, region: str) -> bool | None:
    """Whether `service` has a FIPS endpoint in `region`, by botocore's endpoints data; None
    when the data does not list the service in that region (it cannot say)."""
    listed, fips = _service_regions(service)
    if region not in listed:
        return None
    return region in fips


def fips_regions(service: str) -> frozenset[str]:
    """The regions where `service` has a FIPS endpoint, by botocore's endpoints data."""
    return _service_regions(service)[1]
