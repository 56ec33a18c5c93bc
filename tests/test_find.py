"""Finding and ordering: --sort/--reverse, repeatable --status and `open`, -q on notes,
abbreviations as aliases, and what an empty result says (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import invoke


def ids(root: Path, command: str, *args: str) -> list[str]:
    result = invoke("--register", str(root), command, *args, "--format", "json")
    assert result.code == 0, result.stderr
    return [row["id"] for row in result.json()]


@pytest.fixture
def moved(register: Path) -> Path:
    """Notes that move three records on: one in progress, one implemented (final), and a
    plain note on a third."""
    for args in (
        ["vn-az-2025-energy-mou", "Working group met.", "--date", "2025-08-01", "--status",
         "in-progress"],
        ["vn-az-2025-culture-mou", "Festival held.", "--date", "2025-10", "--status",
         "implemented"],
        ["vn-az-2025-science-mou", "Quokka lab opened in Baku.", "--date", "2025-06-20"],
    ):  # fmt: skip
        added = invoke("--register", str(register), "note", "add", *args)
        assert added.code == 0, added.stderr
    return register


def test_sort_and_reverse(moved: Path) -> None:
    everything = ids(moved, "list", "--sort", "id")
    assert everything == sorted(everything)
    assert ids(moved, "list", "--sort", "id", "--reverse") == everything[::-1]
    by_note = ids(moved, "list", "--sort", "last-note", "--reverse")
    assert by_note[:3] == ["vn-az-2025-culture-mou", "vn-az-2025-energy-mou",
                           "vn-az-2025-science-mou"]  # fmt: skip
    by_status = ids(moved, "list", "--sort", "status")
    assert by_status[:2] == ["vn-az-2025-culture-mou", "vn-az-2025-energy-mou"]  # i…, in-…
    rows = invoke("--register", str(moved), "list", "--sort", "title", "--format", "json")
    titles = [row["title"]["en"] for row in rows.json()]
    assert titles == sorted(titles, key=str.casefold)
    assert ids(moved, "list", "--sort", "kind")[0] == "vn-az-2025-justice-programme"
    events = invoke("--register", str(moved), "timeline", "--sort", "id", "--reverse",
                    "--format", "json").json()  # fmt: skip
    assert events[0]["id"] == "vn-az-2025-science-mou" and events[0]["event"] == "note"
    refused = invoke("--register", str(moved), "list", "--sort", "colour")
    assert refused.code == 2 and "colour" in refused.stderr


def test_status_repeats_and_open_means_not_final(moved: Path) -> None:
    open_ = ids(moved, "list", "--status", "open")
    assert "vn-az-2025-culture-mou" not in open_ and len(open_) == 7
    assert ids(moved, "list", "--status", "implemented", "--status", "In progress") == [
        "vn-az-2025-culture-mou", "vn-az-2025-energy-mou"]  # fmt: skip
    report = invoke("--register", str(moved), "report", "--status", "open", "--format", "json")
    assert report.code == 0 and len(report.json()["by_status"]) == 2


def test_query_searches_note_text(moved: Path) -> None:
    assert ids(moved, "list", "-q", "quokka") == ["vn-az-2025-science-mou"]


@pytest.mark.parametrize(
    ("abbreviation", "record"),
    [("MOIT", "vn-az-2025-energy-mou"), ("pvn", "vn-az-2025-petrovietnam-mou"),
     ("PVOIL", "vn-az-2025-binh-son-crude-mou")],
)  # fmt: skip
def test_common_abbreviations_find_their_organisation(
    register: Path, abbreviation: str, record: str
) -> None:
    assert ids(register, "list", "--org", abbreviation) == [record]


def test_an_empty_result_says_what_matched_nothing(register: Path) -> None:
    result = invoke("--register", str(register), "list", "--org", "ministry of energi",
                    "--sector", "justice")  # fmt: skip
    assert result.code == 0
    assert "0 agreements" in result.stdout
    assert "--sector justice: 1 alone" in result.stderr
    assert "--org ministry of energi: 0 alone (did you mean 'Ministry of Energy'" in result.stderr
    quiet = invoke("--register", str(register), "list", "--org", "energy", "--format", "json")
    assert quiet.stderr == ""  # results: no hint


def test_the_sort_choices_are_the_sort_keys() -> None:
    from agreement_tracker.commands.read import list_command
    from agreement_tracker.query import SORT_KEYS

    (sort,) = [p for p in list_command.params if p.name == "sort"]
    assert tuple(sort.type.choices) == SORT_KEYS
