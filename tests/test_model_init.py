"""Each model class writes its own `__init__` (dataclasses would compile one on every
start): it must be the one dataclasses would make, field for field."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from agreement_tracker import model, model_kit, registries

CLASSES = [
    cls
    for module in (model, registries)
    for cls in vars(module).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__
]


def twin(cls: type) -> Any:
    """The class dataclasses would make of the same fields, with its generated __init__."""
    specs = []
    for f in dataclasses.fields(cls):
        kwargs: dict[str, Any] = {}
        if f.default is not dataclasses.MISSING:
            kwargs["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            kwargs["default_factory"] = f.default_factory
        specs.append((f.name, f.type, dataclasses.field(**kwargs)))
    return dataclasses.make_dataclass(cls.__name__, specs, kw_only=True)


def plain(value: Any) -> Any:
    """A value comparable with ==: names per language have no __eq__ of their own."""
    return (type(value), value.by_lang) if hasattr(value, "by_lang") else value


def test_every_class_is_covered() -> None:
    assert len(CLASSES) >= 19 and model.Agreement in CLASSES and model.FollowUp in CLASSES


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_signature_is_the_dataclass_one(cls: type) -> None:
    ours = list(inspect.signature(cls.__init__).parameters.values())[1:]
    theirs = list(inspect.signature(twin(cls).__init__).parameters.values())[1:]
    assert [(p.name, p.kind) for p in ours] == [(p.name, p.kind) for p in theirs]
    for mine, generated in zip(ours, theirs, strict=True):
        if generated.default is inspect.Parameter.empty:
            assert mine.default is inspect.Parameter.empty, mine.name
        elif generated.default is dataclasses.MISSING or type(generated.default).__name__ in (
            "_HAS_DEFAULT_FACTORY_CLASS",
        ):
            assert mine.default is model_kit.FACTORY, mine.name
        else:
            assert mine.default == generated.default, mine.name


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_instances_hold_what_the_dataclass_ones_would(cls: type) -> None:
    fields = dataclasses.fields(cls)
    required = {f.name: object() for f in fields if f.default is dataclasses.MISSING
                and f.default_factory is dataclasses.MISSING}  # fmt: skip
    made, other, expected = cls(**required), cls(**required), twin(cls)(**required)
    for f in fields:
        assert plain(getattr(made, f.name)) == plain(getattr(expected, f.name)), f.name
        if f.default_factory is not dataclasses.MISSING:  # a fresh value for each instance
            assert getattr(made, f.name) is not getattr(other, f.name), f.name
    given = {f.name: object() for f in fields}
    full = cls(**given)
    assert all(getattr(full, name) is value for name, value in given.items())
    with pytest.raises(TypeError):
        cls(**required, not_a_field=1)
    if required:
        with pytest.raises(TypeError):
            cls(*required.values())
