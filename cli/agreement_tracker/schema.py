"""pydantic's side of the model: validating data read from YAML or given as arguments.

Only the paths that read or write YAML import this module (and so pydantic):
read commands build the model from the index instead. Validators are built
once per class and process, on first use.

A class whose fields are all of the simple kinds `_core_schema` knows (text with
its `Rule` and `Check` markers, literals, booleans, days, lists, optional values
and such classes) gets pydantic-core's validator of the schema pydantic itself
would derive, without `TypeAdapter`: building one imports pydantic's dataclass
and field machinery and its plugin loader (`importlib.metadata`, email, zipfile),
about 40 ms of `note add`, for a note of six text fields. Any other class (names
per language, for one) goes through `TypeAdapter`; tests/test_schema_fast.py
proves both give the same results and the same errors.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import typing
from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypeVar

# pydantic looks for plugins in every installed distribution's entry points when
# the first validator is built: ~100 ms. This tool uses none; a user who sets the
# variable keeps their choice.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic_core import SchemaValidator, ValidationError, core_schema

from agreement_tracker.errors import BadArgument
from agreement_tracker.model import Agreement
from agreement_tracker.values import Check, Rule

M = TypeVar("M")

__all__ = ["ValidationError", "from_arguments", "record_json_schema", "validate"]


class _Validator(typing.Protocol):
    def validate_python(self, data: Any) -> Any: ...


# One validator per class and process. A dict rather than functools.cache, whose
# wrapper would hide that the validator's type follows the class's.
_VALIDATORS: dict[type, _Validator] = {}

# The markers of a text field pydantic applies as `Rule` and `Check` say, and the
# base types it reads as these schemas.
_PLAIN: dict[Any, dict[str, Any]] = {
    str: {"type": "str"},
    bool: {"type": "bool"},
    int: {"type": "int"},
    dt.date: {"type": "date"},
}
_STRICT = {"extra": "forbid"}


def _validator(model: type[M]) -> _Validator:
    validator = _VALIDATORS.get(model)
    if validator is None:
        schema = _core_schema(model)
        if schema is not None:
            validator = SchemaValidator(schema)
        else:
            from pydantic import TypeAdapter

            validator = TypeAdapter(model)
        _VALIDATORS[model] = validator
    return validator


def _core_schema(hint: Any) -> dict[str, Any] | None:
    """The core schema pydantic derives for `hint`, or None for a kind this builder
    does not know (which then goes through TypeAdapter)."""
    if hint in _PLAIN:
        return dict(_PLAIN[hint])
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Annotated:
        schema = _core_schema(args[0])
        for marker in args[1:]:
            if schema is None or not isinstance(marker, (Rule, Check)):
                return None
            # pydantic calls each marker with a handler of the schema so far.
            schema = marker.__get_pydantic_core_schema__(args[0], lambda _s, inner=schema: inner)
        return schema
    if origin is Literal:
        if not all(isinstance(a, str) for a in args):
            return None
        return dict(core_schema.literal_schema(list(args)))
    if origin is list and len(args) == 1:
        item = _core_schema(args[0])
        return None if item is None else dict(core_schema.list_schema(item))
    if args and type(None) in args:  # X | None
        others = [a for a in args if a is not type(None)]
        inner = _core_schema(others[0]) if len(others) == 1 else None
        return None if inner is None else dict(core_schema.nullable_schema(inner))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_schema(hint)
    return None


def _dataclass_schema(cls: type) -> dict[str, Any] | None:
    if getattr(cls, "__pydantic_config__", None) != _STRICT or not hasattr(cls, "__slots__"):
        return None
    fields = []
    for field in dataclasses.fields(cls):
        # model.py's annotations are evaluated: each field's type is the object itself.
        schema = None if isinstance(field.type, str) else _core_schema(field.type)
        if schema is None or not field.init:
            return None
        if field.default is not dataclasses.MISSING:
            schema = dict(core_schema.with_default_schema(schema, default=field.default))
        elif field.default_factory is not dataclasses.MISSING:
            schema = dict(
                core_schema.with_default_schema(
                    schema, default_factory=field.default_factory, default_factory_takes_data=False
                )
            )
        fields.append(core_schema.dataclass_field(field.name, schema, init=True))
    arguments = core_schema.dataclass_args_schema(
        cls.__name__, fields, computed_fields=[], collect_init_only=False
    )
    return dict(
        core_schema.dataclass_schema(
            cls,
            arguments,
            [f["name"] for f in fields],
            slots=True,
            frozen=False,
            post_init=False,
            config={"extra_fields_behavior": "forbid", "title": cls.__name__},
        )
    )


def validate(model: type[M], data: Any) -> M:
    """An instance of `model` from plain data; raises pydantic's ValidationError."""
    return typing.cast(M, _validator(model).validate_python(data))


def from_arguments(model: type[M], data: Mapping[str, object], what: str) -> M:
    """A model built from command-line values; what it refuses is a usage error (exit 2),
    naming each field, not an internal one."""
    try:
        return validate(model, data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise BadArgument(f"{what}: {problems}") from None


def record_json_schema() -> dict[str, object]:
    """The JSON Schema of an agreement record file, as editors use it."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(Agreement).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Agreement record"
    return schema
