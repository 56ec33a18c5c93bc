"""A Datasette that reads like a briefing (issue 23, item 7): the export's metadata gives
tables and columns plain labels and descriptions, facets an analyst starts from, and
canned queries (disputed fields, no follow-up for N days, records by organisation); a
source is labelled by its title. Checked in the real `datasette` against a register the
test writes."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import datasette_serving, get_json, invoke

DEFENCE = "vn-az-2025-defence-loi"
REPORT = (
    "Baku, 7 May 2025\nVietnam's Ministry of National Defence and Azerbaijan's Ministry of "
    "Defence signed a memorandum of understanding on defence cooperation on 7 May 2025 in "
    "Baku.\n"
)
MOU_QUOTE = (
    "Vietnam's Ministry of National Defence and Azerbaijan's Ministry of Defence signed a "
    "memorandum of understanding"
)
TTXVN_TITLE = "Lễ trao các văn kiện hợp tác Việt Nam-Azerbaijan"


def _ok(*args: str) -> None:
    result = invoke(*args)
    assert result.code == 0, result.stderr


@pytest.fixture
def written(register: Path, tmp_path: Path) -> Path:
    """The shipped register, as an analyst's would be a few months on: a disputed kind
    (another source calls the defence letter of intent an MoU), a note today, a record
    withdrawn, and the TTXVN source given a title; exported with its metadata."""
    reg = ("--register", str(register))
    report = tmp_path / "made-up-report.txt"
    report.write_text(REPORT, encoding="utf-8")
    _ok(*reg, "source", "add", str(report), "--lang", "en", "--id", "made-up-report")
    _ok(*reg, "account", "add", DEFENCE, "--field", "kind", "--value",
        "memorandum-of-understanding", "--source", "made-up-report",
        "--quote", MOU_QUOTE)  # fmt: skip
    _ok(*reg, "note", "add", "vn-az-2025-energy-mou", "Working group met in Baku.")  # today
    _ok(*reg, "note", "add", "vn-az-2025-culture-mou", "Withdrawn by both sides.",
        "--date", "2025-06", "--status", "withdrawn", "--force")  # fmt: skip
    _ok(*reg, "source", "edit", "ttxvn-le-trao-van-kien", "--title", TTXVN_TITLE)
    target = tmp_path / "out" / "register.db"
    target.parent.mkdir()
    _ok(*reg, "export", "sqlite", str(target))
    return target


def _meta(target: Path) -> dict[str, Any]:
    data = json.loads(target.with_name("register.metadata.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_label_names_what_the_database_holds(written: Path) -> None:
    """Each table, column, label column and facet the metadata names is in the database,
    and no description carries markdown that Datasette would show raw."""
    meta = _meta(written)
    db = sqlite3.connect(written)
    tables = meta["databases"]["register"]["tables"]
    names = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
    for table, page in tables.items():
        assert table in names, table
        columns = {row[1] for row in db.execute(f'pragma table_info("{table}")')}
        named = set(page.get("columns", {}))
        named |= {page["label_column"]} if "label_column" in page else set()
        for facet in page.get("facets", []):
            named |= set(facet.values()) if isinstance(facet, dict) else {facet}
        assert named <= columns, (table, named - columns)
    # Every real table (not full-text's own) has a heading and a description.
    shown = {n for n in names if "_fts" not in n}
    assert shown <= {t for t, page in tables.items() if page.get("title") and
                     page.get("description")}  # fmt: skip
    texts = json.dumps([p.get("description") for p in tables.values()], ensure_ascii=False)
    texts += json.dumps([list(p.get("columns", {}).values()) for p in tables.values()])
    texts += json.dumps([q["description"] for q in meta["databases"]["register"]["queries"]
                         .values()])  # fmt: skip
    for raw in ("`", "**", "](", "<"):
        assert raw not in texts, raw
    facets = tables["agreements"]["facets"]
    assert "current_status" in facets and "kind" in facets
    assert {"array": "sectors"} in facets and {"array": "organisations"} in facets


def test_the_canned_queries_answer_in_sqlite(written: Path) -> None:
    """Every canned query runs as SQLite runs it (the SQL Datasette will send)."""
    queries = _meta(written)["databases"]["register"]["queries"]
    assert set(queries) == {"disputed_fields", "no_follow_up", "records_by_organisation",
                            "overdue_commitments"}  # fmt: skip
    db = sqlite3.connect(written)
    params = {"days": "30", "org": "defence", "as_of": ""}
    for query in queries.values():
        db.execute(query["sql"], params).fetchall()  # raises on bad SQL or a missing param


def _text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


@pytest.fixture
def served(written: Path) -> Iterator[str]:
    """The real `datasette serve` of the export with its metadata; its database's URL."""
    with datasette_serving(written, written.with_name("register.metadata.json")) as base:
        yield f"{base}/register"


def _rows(url: str, **params: str) -> list[dict[str, Any]]:
    query = urllib.parse.urlencode({**params, "_shape": "array", "_size": "max"})
    rows = get_json(f"{url}.json?{query}")
    assert isinstance(rows, list)
    return rows


@pytest.mark.slow
def test_datasette_shows_facets_labels_and_the_canned_queries(served: str) -> None:
    listed = invoke("list", "--format", "json")  # the shipped register: the same 8 records
    every = {a["id"] for a in listed.json()}  # type: ignore[union-attr]
    assert len(every) == 8

    # Facets: status, kind, sector and organisation on the agreements page.
    page = get_json(f"{served}/agreements.json")
    facets = page["facet_results"]
    facets = facets.get("results", facets)
    assert set(facets) == {"current_status", "kind", "sectors", "organisations"}
    counts = {f: {r["value"]: r["count"] for r in facets[f]["results"]} for f in facets}
    assert counts["current_status"] == {"signed": 7, "withdrawn": 1}
    assert counts["kind"]["letter-of-intent"] == 1
    assert counts["sectors"]["defence"] == 1
    assert counts["organisations"]["az-ministry-of-defence"] == 1
    html = _text(f"{served}/agreements")
    assert "<h1>Agreements</h1>" in html and "latest follow-up note" in html
    assert "`" not in html.split("<h1>", 1)[1].split("</dl>", 1)[0]

    # Disputed fields: the defence letter of intent's kind, both readings.
    disputed = _rows(f"{served}/disputed_fields")
    assert [(r["agreement"], r["field"], r["register_reading"], r["other_reading"])
            for r in disputed] == [
        (DEFENCE, "kind", "letter-of-intent", "memorandum-of-understanding")
    ]  # fmt: skip
    assert disputed[0]["quote"] == MOU_QUOTE

    # No follow-up for N days, as of today: the note added today answers for the energy
    # MoU; the withdrawn record (a final status) needs none.
    open_ids = every - {"vn-az-2025-culture-mou"}
    silent = _rows(f"{served}/no_follow_up", days="30")
    assert {r["agreement"] for r in silent} == open_ids - {"vn-az-2025-energy-mou"}
    signed = dt.date(2025, 5, 7)
    assert {r["days_silent"] for r in silent} == {(dt.date.today() - signed).days}
    assert {r["agreement"] for r in _rows(f"{served}/no_follow_up", days="0")} == open_ids
    far = (dt.date.today() - signed).days + 1
    assert _rows(f"{served}/no_follow_up", days=str(far)) == []

    # Records by organisation: by id, by part of a name in any language, by an alias.
    def by(org: str) -> set[str]:
        return {r["agreement"] for r in _rows(f"{served}/records_by_organisation", org=org)}

    assert by("az-ministry-of-energy") == {"vn-az-2025-energy-mou"}
    assert by("Bộ Quốc phòng") == {DEFENCE}
    assert by("MOIT") == {"vn-az-2025-energy-mou"}
    assert by("no-such-organisation") == set()

    # The overdue commitments query (another's) still runs.
    assert isinstance(_rows(f"{served}/overdue_commitments"), list)

    # A source is labelled by its title; one whose text gives none, by its id.
    evidence = _rows(f"{served}/evidence", _labels="on", agreement=DEFENCE)
    assert {r["source"]["label"] for r in evidence} == {TTXVN_TITLE}
    accounts = _rows(f"{served}/accounts", _labels="on")
    assert [r["source"]["label"] for r in accounts] == ["made-up-report (untitled)"]
