"""Data out: a SQLite database for Datasette and FollowTheMoney entities (issue 17)."""

from __future__ import annotations

import json
import sqlite3
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import datasette_serving, get_json, invoke, tree_digest

NOTE = "Zyxwvut commission met in Hanoi to review the roadmap."


@pytest.fixture
def noted(register: Path) -> Path:
    """The shipped register with two notes added through the command."""
    for args in (
        ["vn-az-2025-energy-mou", NOTE, "--date", "2025-07", "--source", "https://example.org/n"],
        ["vn-az-2025-justice-programme", "Training courses began.", "--date", "2025-09-15",
         "--status", "in-progress"],
    ):  # fmt: skip
        added = invoke("--register", str(register), "note", "add", *args)
        assert added.code == 0, added.stderr
    return register


def export_sqlite(root: Path, target: Path, *filters: str) -> sqlite3.Connection:
    result = invoke("--register", str(root), "export", "sqlite", str(target), *filters)
    assert result.code == 0, result.stderr
    return sqlite3.connect(target)


def count(db: sqlite3.Connection, table: str) -> int:
    return db.execute(f'select count(*) from "{table}"').fetchone()[0]


def test_the_sqlite_export_holds_the_register(noted: Path, tmp_path: Path) -> None:
    db = export_sqlite(noted, tmp_path / "register.db")
    tables = ("agreements", "parties", "organisations", "sources", "evidence", "notes",
              "agreement_sectors", "links")  # fmt: skip
    counts = {t: count(db, t) for t in tables}
    listed = invoke("--register", str(noted), "list", "--format", "json").json()
    assert counts == {
        "agreements": 8,
        "parties": sum(len(a["parties"]) for a in listed),
        "organisations": len(invoke("--register", str(noted), "orgs", "--format", "json").json()),
        "sources": 5,
        "evidence": sum(len(a["evidence"]) for a in listed),
        "notes": 2,
        "agreement_sectors": sum(len(a["sectors"]) for a in listed),
        "links": 0,
    }
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    declared = db.execute("PRAGMA foreign_key_list(parties)").fetchall()
    pairs = {(row[2], row[3]) for row in declared}
    assert pairs >= {("agreements", "agreement"), ("organisations", "organisation")}
    # Full text: a word of a quote, with and without its diacritics, and a word of a note.
    quat = db.execute(
        "select distinct e.agreement from evidence e join evidence_fts f on f.rowid = e.rowid "
        "where evidence_fts match ? order by 1", ("Quất",)).fetchall()  # fmt: skip
    assert quat == [("vn-az-2025-binh-son-crude-mou",)]
    assert db.execute("select count(*) from evidence_fts where evidence_fts match 'Quat'"
                      ).fetchone()[0] == 2  # fmt: skip
    note = db.execute(
        "select n.agreement, n.date from notes n join notes_fts f on f.rowid = n.rowid "
        "where notes_fts match 'zyxwvut'").fetchall()  # fmt: skip
    assert note == [("vn-az-2025-energy-mou", "2025-07")]
    titles = db.execute("select count(*) from agreement_titles_fts where agreement_titles_fts "
                        "match 'defence'").fetchone()[0]  # fmt: skip
    assert titles == 1
    [(status,)] = db.execute(
        "select current_status from agreements where id = 'vn-az-2025-justice-programme'"
    ).fetchall()
    assert status == "in-progress"
    names = db.execute("select lang, name from organisation_names where organisation = "
                       "'vn-ministry-of-national-defence' order by lang").fetchall()  # fmt: skip
    assert ("de", "Verteidigungsministerium Vietnams") in names
    meta = json.loads((tmp_path / "register.metadata.json").read_text(encoding="utf-8"))
    assert meta["databases"]["register"]["tables"]["evidence"]["fts_table"] == "evidence_fts"
    assert meta["title"] and meta["license"] and meta["source"]


def test_the_sqlite_export_honours_filters_and_replaces_the_file(
    noted: Path, tmp_path: Path
) -> None:
    target = tmp_path / "energy.db"
    target.write_bytes(b"an older export")
    db = export_sqlite(noted, target, "--sector", "energy")
    ids = {row[0] for row in db.execute("select id from agreements")}
    listed = invoke("--register", str(noted), "list", "--sector", "energy", "--format", "json")
    assert ids == {a["id"] for a in listed.json()} and 0 < len(ids) < 8
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    before = tree_digest(noted)
    inside = invoke("--register", str(noted), "export", "sqlite", str(noted / "seeds/x.db"))
    assert inside.code == 2 and "inside the register's seeds/" in inside.stderr
    assert tree_digest(noted) == before


def test_a_missing_extra_is_named(register: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "sqlite_utils", None)  # import fails as if not installed
    monkeypatch.setitem(sys.modules, "followthemoney", None)
    for args in (["sqlite", str(tmp_path / "x.db")], ["ftm"]):
        result = invoke("--register", str(register), "export", *args)
        assert result.code == 2
        assert "pip install 'agreement-tracker[export]'" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


@pytest.mark.slow
def test_datasette_serves_the_export(noted: Path, tmp_path: Path) -> None:
    target = tmp_path / "register.db"
    export_sqlite(noted, target)
    with datasette_serving(target, tmp_path / "register.metadata.json") as base:
        rows = get_json(f"{base}/register/agreements.json?_shape=array&_size=max")
        assert isinstance(rows, list)
        assert {r["id"] for r in rows} >= {"vn-az-2025-defence-loi", "vn-az-2025-joint-statement"}
        assert len(rows) == 8
        query = urllib.parse.quote("Quất")
        found = get_json(f"{base}/register/evidence.json?_search={query}&_shape=array")
        assert isinstance(found, list) and found
        assert {r["agreement"] for r in found} == {"vn-az-2025-binh-son-crude-mou"}
        meta = get_json(f"{base}/-/metadata.json")
        assert isinstance(meta, dict) and meta["title"] == "Register of bilateral agreements"


# --- FollowTheMoney -----------------------------------------------------------------------


def ftm_entities(root: Path, *args: str) -> list[dict]:
    result = invoke("--register", str(root), "export", "ftm", *args)
    assert result.code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_ftm_export_is_valid_and_stable(noted: Path, tmp_path: Path) -> None:
    from followthemoney import model

    entities = ftm_entities(noted)
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids))
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None and not schema.abstract, entity
        schema.validate(entity)  # raises InvalidData on a value its type refuses
        assert set(schema.required) <= set(entity["properties"]), entity
        cleaned = model.get_proxy(entity, cleaned=False).to_dict()
        assert cleaned["properties"] == entity["properties"], entity  # nothing cleaned away
        for name, values in entity["properties"].items():
            if schema.properties[name].type.name == "entity":
                assert set(values) <= set(ids), (entity["id"], name, values)
    by_schema: dict[str, list[dict]] = {}
    for entity in entities:
        by_schema.setdefault(entity["schema"], []).append(entity)
    assert len(by_schema["Event"]) == 8
    assert len(by_schema["Document"]) == 5
    assert all(len(d["properties"]["contentHash"][0]) == 40 for d in by_schema["Document"])
    assert {"PublicBody", "Company", "Person"} <= set(by_schema)
    notes = [n["properties"]["description"][0] for n in by_schema["Note"]]
    assert NOTE in notes
    defence = next(e for e in by_schema["Event"] if e["id"].endswith("vn-az-2025-defence-loi"))
    assert defence["properties"]["date"] == ["2025-05-07"]
    assert "agreements-org-az-ministry-of-defence" in defence["properties"]["involved"]

    out = tmp_path / "register.ftm.json"
    assert invoke("--register", str(noted), "export", "ftm", "--output", str(out)).code == 0
    again = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert again == entities  # the same ids, the same entities, on a second run


def test_the_ftm_export_honours_filters(register: Path) -> None:
    entities = ftm_entities(register, "--kind", "joint-statement")
    events = [e["id"] for e in entities if e["schema"] == "Event"]
    assert events == ["agreements-agreement-vn-az-2025-joint-statement"]
    orgs = {e["id"] for e in entities if e["schema"] in {"Person", "PublicBody", "Company"}}
    assert orgs == {"agreements-org-vn-to-lam", "agreements-org-az-ilham-aliyev"}
