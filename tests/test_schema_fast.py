"""The validators `schema.py` builds without TypeAdapter accept and refuse exactly what
pydantic's own do: the same instances and the same errors, for every class it builds one
for. And `note add` builds its note's validator without importing TypeAdapter."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from agreement_tracker import model, schema
from agreement_tracker.plain import to_plain

CLASSES = [
    cls
    for cls in vars(model).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__
]
FAST = [cls for cls in CLASSES if schema._core_schema(cls) is not None]

# Values that pass some field and fail others: ids, codes, dates at every precision and
# out of range, literals of each kind, empty text, wrong types, nested data.
VALUES = st.sampled_from(
    [
        "x", "", "vn-az-2025", "Not An Id", "AB", "ab", "2025", "2025-07", "2025-07-15",
        "2025-13-01", "0999", "٢٠٢٥", "unknown", "met", "not-met", "signatory", "implements",
        "meeting", "parties.1.role", "title", "en", "zz", "a/b", None, 0, 2025, 1.5, True,
        dt.date(2025, 1, 1), dt.datetime(2025, 1, 1, 12), [], ["vn-az"], ["A B"], {}, "\x00",
        {"source": "s-1", "quote": "q"}, [{"status": "met", "as_of": "2025-01-01"}],
        [{"status": "scheduled", "as_of": "2025-02-30"}], {"start": "2025", "end": "2027"},
    ]
)  # fmt: skip


def outcome(validate: Any, data: dict[str, Any]) -> object:
    """What validating `data` gives, comparable across validators: the instance as plain
    data, or each error's type, place and message."""
    try:
        return ("ok", to_plain(validate(data)))
    except ValidationError as exc:
        return ("refused", [(e["type"], e["loc"], e["msg"]) for e in exc.errors()])


def entries(cls: type) -> st.SearchStrategy[dict[str, Any]]:
    names = [f.name for f in dataclasses.fields(cls)]
    return st.dictionaries(
        st.sampled_from([*names, "unknown_key"]), VALUES, max_size=len(names) + 1
    )


@pytest.mark.parametrize("cls", FAST, ids=lambda c: c.__name__)
def test_fast_validators_match_typeadapter(cls: type) -> None:
    adapter = TypeAdapter(cls)
    fast = schema._validator(cls)
    assert not isinstance(fast, TypeAdapter)

    @given(entries(cls))
    def same(data: dict[str, Any]) -> None:
        assert outcome(fast.validate_python, data) == outcome(adapter.validate_python, data)

    same()


def test_the_classes_a_command_builds_from_arguments_are_fast() -> None:
    # A class with names per language (LanguageMap) goes through TypeAdapter.
    assert {model.FollowUp, model.Account, model.Commitment, model.Review} <= set(FAST)
    assert model.Agreement not in FAST


def test_a_valid_note_and_a_refused_one() -> None:
    note = schema.validate(
        model.FollowUp, {"date": "2025-07", "text": "signed", "status": "signed"}
    )
    assert isinstance(note, model.FollowUp) and note.date == "2025-07" and note.author is None
    with pytest.raises(ValidationError) as refused:
        schema.validate(model.FollowUp, {"date": "2025-13", "text": ""})
    assert [e["loc"] for e in refused.value.errors()] == [("date",), ("text",)]


def test_note_add_does_not_import_typeadapter(register: Path) -> None:
    # The second run: the first builds the index, and a record parsed from YAML is
    # validated by TypeAdapter (names per language); the second takes it from the index.
    code = (
        "import sys\n"
        "from agreement_tracker.cli import main\n"
        f"sys.argv = ['agreements', '--register', {str(register)!r}, 'note', 'add', "
        "'vn-az-2025-energy-mou', 'a note', '--date', '2025-12-31', '--author', 't', '--dry-run']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "print('pydantic.type_adapter' in sys.modules, 'importlib.metadata' in sys.modules)\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert runs[1].stdout.splitlines()[-1] == "False False"
