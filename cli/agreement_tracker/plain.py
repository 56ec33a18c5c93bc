"""A model as plain data and back: what JSON output prints and the index stores.

`to_plain` turns any of `model.py`'s dataclasses into dicts, lists and text;
`from_plain` rebuilds one from such data without validating it again, which is
how read commands load the register from the index without importing pydantic.

Annotations are evaluated (no `from __future__ import annotations`): `from_plain`
reads each field's type object.
"""

import dataclasses
import datetime as dt
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal

from agreement_tracker.values import Check, LanguageMap, Rule


def to_plain(value: Any, *, exclude_none: bool = False, dates: bool = False) -> Any:
    """A dataclass as JSON-ready data: dicts in field order, dates as ISO text
    (or, with `dates`, as dates, which YAML writes unquoted)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        plain = {}
        for field in dataclasses.fields(value):
            name = field.name
            item = getattr(value, name)
            if item is None and exclude_none:
                continue
            plain[name] = to_plain(item, exclude_none=exclude_none, dates=dates)
        return plain
    if isinstance(value, list):
        return [to_plain(item, exclude_none=exclude_none, dates=dates) for item in value]
    if isinstance(value, LanguageMap):
        return dict(value.by_lang)
    if isinstance(value, dt.date) and not dates:
        return value.isoformat()
    return value


Converter = Callable[[Any], Any]
_PLANS: dict[type, list[tuple[str, Converter | None]]] = {}


def from_plain(cls: type[Any], data: dict[str, Any]) -> Any:
    """Build a dataclass from data `to_plain` made of an instance that pydantic validated.

    No checks are repeated: this is how read commands rebuild the register
    from the index, which holds only data that passed validation.
    """
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _plan(cls)
    kwargs = {}
    for name, convert in plan:
        if name in data:
            value = data[name]
            kwargs[name] = value if convert is None or value is None else convert(value)
    return cls(**kwargs)


def _plan(cls: type[Any]) -> list[tuple[str, Converter | None]]:
    return [(f.name, _converter(f.type)) for f in dataclasses.fields(cls)]


# Values that repeat across records (ids, codes, dates, statuses, roles, languages) are
# shared when the register is rebuilt from the index: 100,000 records name the same few
# thousand organisations and sources, and each decoded copy would stay in memory.
_SHARED: dict[str, str] = {}
_DATES: dict[str, dt.date] = {}


def _share(value: str) -> str:
    return _SHARED.setdefault(value, value)


def _shared_date(value: str) -> dt.date:
    found = _DATES.get(value)
    if found is None:
        found = _DATES[value] = dt.date.fromisoformat(value)
    return found


def _converter(hint: Any) -> Converter | None:
    """How to rebuild a value of type `hint` from plain data (None: as it is)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Annotated:
        inner = _converter(args[0])
        coded = any(isinstance(m, Check) or (isinstance(m, Rule) and m.pattern) for m in args[1:])
        # An id, a code, a language or a date written as text: a value that repeats.
        return _share if inner is None and args[0] is str and coded else inner
    if hint is dt.date:
        return _shared_date
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        cls = hint
        return lambda value: from_plain(cls, value)
    if isinstance(hint, type) and issubclass(hint, LanguageMap):
        return lambda value: hint({_share(k): v for k, v in value.items()})
    if origin is list:
        item = _converter(args[0])
        return None if item is None else (lambda values: [item(v) for v in values])
    if origin is Literal:
        return _share if all(isinstance(a, str) for a in args) else None
    if args:  # a union: X | None, date | Literal["unknown"]
        literals = {v for a in args if typing.get_origin(a) is Literal for v in typing.get_args(a)}
        arms = [
            c
            for a in args
            if a is not type(None)
            and typing.get_origin(a) is not Literal
            and (c := _converter(a)) is not None
        ]
        if not arms:
            return None
        (convert,) = arms
        return (
            (lambda value: value if value in literals else convert(value)) if literals else convert
        )
    return None
