"""How every class of the data model is made: compact, strict about keys when pydantic
reads it, with no generated methods (each would be compiled on every start).

Shared by the records (`model.py`) and the registries (`registries.py`).
"""

import dataclasses
import typing
from typing import Any, TypeVar


def none_is_empty(value: object) -> object:
    # `follow_up:` with nothing under it is how an empty list is begun by hand.
    return [] if value is None else value


# Every class: compact (slots: 10,000 records fit in 200 MB) and strict about keys when
# pydantic reads it. No generated methods at all: each is compiled on every start (the
# 19 `__init__`s dataclasses would write took 3.2 ms of a `list`'s 25 ms of imports;
# __repr__/__eq__ and frozen, 4 ms more), and nothing compares models. Each class
# writes its keyword-only `__init__` as dataclasses would (a default factory's value
# made when the argument is left out); tests/test_model_init.py holds each to the one
# dataclasses would make. pydantic builds instances without calling it.
STRICT = {"extra": "forbid"}
_M = TypeVar("_M")
# An argument left out whose field's default is made fresh (a list, an empty Terms).
FACTORY: Any = object()


# Keyword-only, so fields keep the order files write them in, defaults or not. A
# function with dataclass_transform rather than a partial of dataclass(), so type
# checkers know the classes are dataclasses and their constructors take keywords.
@typing.dataclass_transform(
    kw_only_default=True, eq_default=False, field_specifiers=(dataclasses.field,)
)
def model(cls: type[_M]) -> type[_M]:
    return dataclasses.dataclass(kw_only=True, slots=True, eq=False, repr=False, init=False)(cls)


def list_field() -> Any:
    return dataclasses.field(default_factory=list)
