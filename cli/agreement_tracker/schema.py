"""pydantic's side of the model: validating data read from YAML or given as arguments.

Only the paths that read or write YAML import this module (and so pydantic):
read commands build the model from the index instead. Validators are built
once per class and process, on first use.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TypeVar

# pydantic looks for plugins in every installed distribution's entry points when
# the first validator is built: ~100 ms. This tool uses none; a user who sets the
# variable keeps their choice.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import TypeAdapter, ValidationError

from agreement_tracker.errors import BadArgument
from agreement_tracker.model import Agreement

M = TypeVar("M")

__all__ = ["ValidationError", "from_arguments", "record_json_schema", "validate"]


# One validator per class and process. A dict rather than functools.cache, whose
# wrapper would hide that the adapter's type follows the class's.
_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(model: type[M]) -> TypeAdapter[M]:
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(model)
    return adapter


def validate(model: type[M], data: Any) -> M:
    """An instance of `model` from plain data; raises pydantic's ValidationError."""
    return _adapter(model).validate_python(data)


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
    schema = _adapter(Agreement).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Agreement record"
    return schema
