"""Record's equality, hash and repr are the ones `dataclass` would have written."""

from __future__ import annotations

import dataclasses
import importlib
import math
import pkgutil
from dataclasses import dataclass, field

import pytest

import awsmedic
from awsmedic.model import Fact, Record, Secret, SecretKind


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Sample(Record):
    number: float
    hidden: str = field(default="", repr=False)
    ignored: tuple[int, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Written:
    """What dataclass writes for the same fields."""

    number: float
    hidden: str = field(default="", repr=False)
    ignored: tuple[int, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Child(Sample):
    more: object = None


VALUES = [(1.0, "a", (1,)), (1.0, "a", (2,)), (1.0, "b", (1,)), (2.0, "a", ()), (math.nan, "", ())]


@pytest.mark.parametrize("left", VALUES)
@pytest.mark.parametrize("right", VALUES)
def test_equality_and_hash_as_dataclass_writes_them(
    left: tuple[float, str, tuple[int, ...]], right: tuple[float, str, tuple[int, ...]]
) -> None:
    ours, theirs = (Sample(*left), Sample(*right)), (Written(*left), Written(*right))
    assert (ours[0] == ours[1]) == (theirs[0] == theirs[1])
    assert (ours[0] != ours[1]) == (theirs[0] != theirs[1])
    assert hash(ours[0]) == hash(theirs[0])


def test_nan_compares_as_dataclass_compares_it() -> None:
    """Fields compare as tuples do: the same object is equal to itself, even a NaN."""
    value = Sample(math.nan)
    assert value == value
    assert Sample(float("nan")) != Sample(float("nan"))
    assert Written(float("nan")) != Written(float("nan"))


def test_repr_as_dataclass_writes_it() -> None:
    for values in VALUES:
        assert repr(Sample(*values)) == repr(Written(*values)).replace("Written", "Sample")
    assert repr(Child(1.0, more=(2,))) == "Child(number=1.0, ignored=(), more=(2,))"


def test_another_class_with_the_same_fields_is_not_equal() -> None:
    assert Sample(1.0) != Child(1.0)
    assert Sample(1.0) != (1.0, "", ())
    assert Sample(1.0).__eq__(Written(1.0)) is NotImplemented


def test_a_record_that_contains_itself_repr_does_not_recurse() -> None:
    box: list[object] = []
    record = Child(1.0, more=box)
    box.append(record)
    assert repr(record) == "Child(number=1.0, ignored=(), more=[...])"


def test_frozen_and_own_methods_stay() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Sample(1.0).number = 2.0  # type: ignore[misc]
    secret = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", SecretKind.SECRET_KEY)
    assert "wJalr" not in repr(secret)  # Secret's own, masked repr wins
    assert {Fact("eu-west-1", "env"), Fact("eu-west-1", "env")} == {Fact("eu-west-1", "env")}


def test_every_record_is_a_frozen_dataclass_that_leaves_the_three_to_record() -> None:
    """A Record class that let dataclass write its own __eq__ would lose the hash (and pay for
    the methods again); one that is not frozen would not be immutable."""
    for module in pkgutil.walk_packages(awsmedic.__path__, "awsmedic."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found = _subclasses(Record)
    assert len(found) > 50
    for cls in found:
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen and not params.eq and not params.repr, cls
        assert cls.__hash__ is Record.__hash__, cls


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return {c for c in found if c.__module__.startswith("awsmedic.")}
