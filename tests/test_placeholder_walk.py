"""The placeholder check walks the records themselves; it must find what a walk of their
plain data (`to_plain`, as before) finds, at the same paths and in the same order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from agreement_tracker.checks import _placeholders
from agreement_tracker.loader import load
from agreement_tracker.model import Agreement
from agreement_tracker.plain import from_plain, to_plain
from agreement_tracker.store.location import Location


def plain_walk(value: object, path: tuple) -> Iterator[tuple]:
    if isinstance(value, str) and value.startswith("TODO:"):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from plain_walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from plain_walk(item, (*path, index))


def every_text_a_placeholder(value: Any, every: int, seen: list[int]) -> Any:
    """Each `every`-th text of plain data made a placeholder."""
    if isinstance(value, str):
        seen[0] += 1
        return f"TODO: {value}" if seen[0] % every == 0 else value
    if isinstance(value, dict):
        return {k: every_text_a_placeholder(v, every, seen) for k, v in value.items()}
    if isinstance(value, list):
        return [every_text_a_placeholder(v, every, seen) for v in value]
    return value


def test_the_walk_finds_what_the_plain_walk_finds(register: Path) -> None:
    loaded, _ = load(Location(register, "option"), use_index=False)
    assert loaded.agreements
    for every in (1, 2, 3, 7):
        for agreement in loaded.agreements.values():
            plain = every_text_a_placeholder(to_plain(agreement), every, [0])
            variant = from_plain(Agreement, plain)
            found: list[tuple] = []
            _placeholders(variant, (), found)
            expected = list(plain_walk(to_plain(variant, exclude_none=True), ()))
            assert found == expected and (every > 1 or found)
