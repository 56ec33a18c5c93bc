"""`agreements export sqlite`: the register as a normalised SQLite database.

One table per kind of thing, with declared primary and foreign keys, so
Datasette links rows to each other and `PRAGMA foreign_key_check` proves the
export whole; FTS5 indexes over titles, quotes and notes. The database is
built in memory with sqlite-utils and written in one atomic replace, so a
reader (a running Datasette) sees the old file or the new one, never half.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agreement_tracker import __version__
from agreement_tracker.export import require
from agreement_tracker.loader import Register
from agreement_tracker.model import Agreement
from agreement_tracker.store.write import ensure_output_target, write_output
from agreement_tracker.text import escape_json
from agreement_tracker.values import period

# FTS5 tokenizer: Unicode words, diacritics folded, so "Quat" also finds "Quất".
TOKENIZE = "unicode61 remove_diacritics 2"

# fmt: off
# (table, columns, primary key, foreign keys as (column, table, column)).
TABLES: list[tuple[str, dict[str, type], str | tuple[str, ...], list[tuple[str, str, str]]]] = [
    ("countries", {"id": str, "name": str}, "id", []),
    ("kinds", {"id": str, "name": str}, "id", []),
    ("statuses", {"id": str, "name": str, "final": int, "description": str}, "id", []),
    ("sectors", {"id": str, "name": str, "parent": str}, "id", [("parent", "sectors", "id")]),
    (
        "organisations",
        {"id": str, "name": str, "short": str, "type": str, "country": str},
        "id",
        [],
    ),
    (
        "organisation_names",
        {"organisation": str, "lang": str, "name": str, "short": str},
        ("organisation", "lang"),
        [("organisation", "organisations", "id")],
    ),
    (
        "organisation_aliases",
        {"organisation": str, "alias": str},
        ("organisation", "alias"),
        [("organisation", "organisations", "id")],
    ),
    (
        "sources",
        {"id": str, "file": str, "lang": str, "title": str, "publisher": str,
         "published": str, "sha256": str, "url": str},
        "id",
        [],
    ),
    (
        "occasions",
        {"id": str, "title": str, "start": str, "end": str, "place": str, "part_of": str},
        "id",
        [("part_of", "occasions", "id")],
    ),
    (
        "agreements",
        {"id": str, "title": str, "kind": str, "date": str, "first_day": str, "last_day": str,
         "place": str, "occasion": str, "term_start": str, "term_end": str, "status": str,
         "current_status": str, "signed": str},
        "id",
        [("kind", "kinds", "id"), ("occasion", "occasions", "id"), ("status", "statuses", "id"),
         ("current_status", "statuses", "id")],
    ),
    (
        "agreement_titles",
        {"agreement": str, "lang": str, "title": str},
        ("agreement", "lang"),
        [("agreement", "agreements", "id")],
    ),
    (
        "agreement_sectors",
        {"agreement": str, "sector": str},
        ("agreement", "sector"),
        [("agreement", "agreements", "id"), ("sector", "sectors", "id")],
    ),
    (
        "parties",
        {"agreement": str, "position": int, "organisation": str, "role": str, "side": str,
         "signer": str},
        ("agreement", "position"),
        [("agreement", "agreements", "id"), ("organisation", "organisations", "id"),
         ("signer", "organisations", "id"), ("side", "countries", "id")],
    ),
    (
        "evidence",
        {"agreement": str, "position": int, "source": str, "quote": str},
        ("agreement", "position"),
        [("agreement", "agreements", "id"), ("source", "sources", "id")],
    ),
    (
        "notes",
        {"agreement": str, "position": int, "date": str, "first_day": str, "last_day": str,
         "text": str, "status": str, "source": str, "registered_source": str, "quote": str,
         "author": str},
        ("agreement", "position"),
        [("agreement", "agreements", "id"), ("status", "statuses", "id"),
         ("registered_source", "sources", "id")],
    ),
    (
        "accounts",
        {"agreement": str, "position": int, "field": str, "value": str, "source": str,
         "quote": str, "note": str, "rejected": str},
        ("agreement", "position"),
        [("agreement", "agreements", "id"), ("source", "sources", "id")],
    ),
    (
        "links",
        {"agreement": str, "position": int, "type": str, "target": str},
        ("agreement", "position"),
        [("agreement", "agreements", "id"), ("target", "agreements", "id")],
    ),
    # A commitment's id is "RECORD/N" (N as `show` numbers them): one key its reviews and
    # promisers refer to, which Datasette links.
    (
        "commitments",
        {"id": str, "agreement": str, "number": int, "text": str, "type": str, "due": str,
         "due_day": str, "due_said": str, "source": str, "quote": str},
        "id",
        [("agreement", "agreements", "id"), ("source", "sources", "id")],
    ),
    (
        "commitment_by",
        {"commitment": str, "organisation": str},
        ("commitment", "organisation"),
        [("commitment", "commitments", "id"), ("organisation", "organisations", "id")],
    ),
    (
        "commitment_reviews",
        {"commitment": str, "position": int, "status": str, "as_of": str, "met_on": str,
         "source": str, "quote": str, "note": str},
        ("commitment", "position"),
        [("commitment", "commitments", "id"), ("source", "sources", "id")],
    ),
]
# fmt: on
# Datasette's canned query: commitments whose due day has passed by :as_of (today where
# none is given) and that no review dated by then says met.
OVERDUE_SQL = """\
select c.agreement, c.number, c.text, c.due, c.due_day,
  julianday(coalesce(nullif(:as_of, ''), date('now'))) - julianday(c.due_day) as days_overdue
from commitments c
where c.due_day < coalesce(nullif(:as_of, ''), date('now'))
  and not exists (
    select 1 from commitment_reviews r
    where r.commitment = c.id and r.status = 'met'
      and r.as_of <= coalesce(nullif(:as_of, ''), date('now')))
order by c.due_day, c.agreement, c.number"""
FULL_TEXT = {"agreement_titles": ["title"], "evidence": ["quote"], "notes": ["text"]}


def rows(register: Register, agreements: list[Agreement]) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows: the registries whole, the chosen records and what hangs off them.

    A link to a record left out by the filters is left out with it, so every
    foreign key holds in a subset too.
    """
    chosen = {a.id for a in agreements}
    out: dict[str, list[dict[str, Any]]] = {name: [] for name, *_ in TABLES}
    sides = {p.side for a in agreements for p in a.parties if p.side}
    countries = {c.id: c.name.en for c in register.countries.values()}
    for code in sorted(sides | {o.country for o in register.organisations.values() if o.country}):
        out["countries"].append({"id": code, "name": countries.get(code)})
    out["kinds"] = [{"id": k.id, "name": k.name.en} for k in register.kinds.values()]
    out["statuses"] = [
        {"id": s.id, "name": s.name.en, "final": int(s.final), "description": s.description}
        for s in register.statuses.values()
    ]
    out["sectors"] = [
        {"id": s.id, "name": s.name.en, "parent": s.parent} for s in register.sectors.values()
    ]
    for org in register.organisations.values():
        out["organisations"].append({"id": org.id, "name": org.name.en,
                                     "short": org.short.en if org.short else None,
                                     "type": org.type, "country": org.country})  # fmt: skip
        for lang, name in org.name.by_lang.items():
            short = org.short.by_lang.get(lang) if org.short else None
            out["organisation_names"].append(
                {"organisation": org.id, "lang": lang, "name": name, "short": short}
            )
        for alias in dict.fromkeys(org.aliases):
            out["organisation_aliases"].append({"organisation": org.id, "alias": alias})
    out["sources"] = [
        {"id": s.id, "file": s.file, "lang": s.lang, "title": s.title, "publisher": s.publisher,
         "published": str(s.published), "sha256": s.sha256, "url": s.url}
        for s in register.sources.values()
    ]  # fmt: skip
    out["occasions"] = [
        {"id": o.id, "title": o.title.en, "start": o.start.isoformat(),
         "end": (o.end or o.start).isoformat(), "place": o.place, "part_of": o.part_of}
        for o in register.occasions.values()
    ]  # fmt: skip
    for a in agreements:
        out["agreements"].append({
            "id": a.id, "title": a.title.en, "kind": a.kind, "date": a.date,
            "first_day": _iso(a.first_day), "last_day": _iso(a.last_day), "place": a.place,
            "occasion": a.occasion, "term_start": a.term.start if a.term else None,
            "term_end": a.term.end if a.term else None, "status": a.status,
            "current_status": a.current_status, "signed": a.signed,
        })  # fmt: skip
        for lang, title in a.title.by_lang.items():
            out["agreement_titles"].append({"agreement": a.id, "lang": lang, "title": title})
        for sector in dict.fromkeys(a.sectors):
            out["agreement_sectors"].append({"agreement": a.id, "sector": sector})
        for i, p in enumerate(a.parties):
            out["parties"].append({"agreement": a.id, "position": i, "organisation": p.org,
                                   "role": p.role, "side": p.side, "signer": p.signer})  # fmt: skip
        for i, e in enumerate(a.evidence):
            out["evidence"].append(
                {"agreement": a.id, "position": i, "source": e.source, "quote": e.quote}
            )
        for i, n in enumerate(a.follow_up):
            first, last = period(n.date)
            registered = n.source if register.verifiable(n.source) else None
            out["notes"].append({
                "agreement": a.id, "position": i, "date": n.date, "first_day": first.isoformat(),
                "last_day": last.isoformat(), "text": n.text, "status": n.status,
                "source": n.source, "registered_source": registered, "quote": n.quote,
                "author": n.author,
            })  # fmt: skip
        for i, acc in enumerate(a.accounts):
            out["accounts"].append({"agreement": a.id, "position": i, "field": acc.field,
                                    "value": acc.value, "source": acc.source,
                                    "quote": acc.quote, "note": acc.note,
                                    "rejected": acc.rejected})  # fmt: skip
        for number, c in enumerate(a.commitments, start=1):
            key = f"{a.id}/{number}"
            out["commitments"].append({
                "id": key, "agreement": a.id, "number": number, "text": c.text, "type": c.type,
                "due": c.due, "due_day": _iso(c.due_day), "due_said": c.due_said,
                "source": c.source, "quote": c.quote,
            })  # fmt: skip
            for promiser in dict.fromkeys(c.by):
                out["commitment_by"].append({"commitment": key, "organisation": promiser})
            for i, r in enumerate(c.reviews):
                out["commitment_reviews"].append({
                    "commitment": key, "position": i, "status": r.status,
                    "as_of": r.as_of.isoformat(), "met_on": _iso(r.met_on), "source": r.source,
                    "quote": r.quote, "note": r.note,
                })  # fmt: skip
        for i, link in enumerate(a.links):
            if link.target in chosen:
                out["links"].append(
                    {"agreement": a.id, "position": i, "type": link.type, "target": link.target}
                )
    return out


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


def build(register: Register, agreements: list[Agreement]) -> bytes:
    """The database file's bytes."""
    sqlite_utils = require("sqlite_utils", "sqlite-utils")
    db = sqlite_utils.Database(memory=True, execute_plugins=False)
    db.conn.execute("PRAGMA foreign_keys = ON")
    data = rows(register, agreements)
    for name, columns, pk, foreign_keys in TABLES:
        db[name].create(columns, pk=pk, foreign_keys=foreign_keys, not_null=_keys(pk))
        if data[name]:
            db[name].insert_all(data[name], batch_size=500)
    for name, searched in FULL_TEXT.items():
        db[name].enable_fts(searched, fts_version="FTS5", tokenize=TOKENIZE)
    problems = db.conn.execute("PRAGMA foreign_key_check").fetchall()
    assert not problems, problems  # the rows above are built to hold every key
    db.conn.execute("PRAGMA user_version = 1")
    return db.conn.serialize()


def _keys(pk: str | tuple[str, ...]) -> list[str]:
    return [pk] if isinstance(pk, str) else list(pk)


def metadata(register: Register, database: Path) -> dict[str, Any]:
    """Datasette metadata: what each table holds, where the data comes from, its licence."""
    described = {
        "agreements": "One row per agreement document: its register reading (kind, date, "
        "place, status); `current_status` is the latest note's.",
        "parties": "Who is party to each agreement, on which side, in which role, and who "
        "signed for it where a source names them.",
        "evidence": "The verbatim quotes each record cites; `agreements validate` proves "
        "every one against its source text.",
        "notes": "Dated follow-up notes: what happened after the signing.",
        "accounts": "Other sources' readings of a record's fields, where they disagree.",
        "links": "Records that implement, follow, amend or supersede others.",
        "commitments": "What each document promised (`RECORD/N`), by when where its quote "
        "says (`due_day`: the last day the due date means), each proven by its quote.",
        "commitment_reviews": "Where a commitment stood on a day (`as_of`): scheduled, met, "
        "not-met or partly-met, with the source that says so.",
        "organisations": "Ministries, companies and people, with `organisation_names` per "
        "language and `organisation_aliases`.",
        "sources": "The source texts, with their sha256.",
    }
    tables: dict[str, Any] = {name: {"description": text} for name, text in described.items()}
    for name in FULL_TEXT:  # Datasette finds these itself; named so the metadata says so
        tables.setdefault(name, {})["fts_table"] = f"{name}_fts"
    return {
        "title": "Register of bilateral agreements",
        "description": "A source-verified register of bilateral agreements: every fact is "
        "proven by a verbatim quote of a source text.",
        "source": "agreements register" + (f" ({register.root.name})" if register.root else ""),
        "license": "Register data: MIT, as the tool; source texts: their publishers' terms",
        "about": f"agreement-tracker {__version__}",
        "databases": {
            database.stem: {
                "tables": tables,
                "queries": {
                    "overdue_commitments": {
                        "title": "Overdue commitments",
                        "description": "Due day passed by :as_of (empty: today), no "
                        "review by then says met.",
                        "sql": OVERDUE_SQL,
                    }
                },
            }
        },
    }


def metadata_path(target: str | Path) -> Path:
    """The Datasette metadata file beside the database: `STEM.metadata.json`."""
    path = Path(target)
    return path.with_name(path.stem + ".metadata.json")


def write(register: Register, agreements: list[Agreement], target: str | Path) -> Path:
    """Write the database to `target` and its Datasette metadata beside it; the metadata's
    path. Both names are checked before either file is written (the one rule for files
    written outside the records: `write_output`), and each is replaced atomically."""
    database, meta = Path(target), metadata_path(target)
    ensure_output_target(register.root, database, "a database export")
    ensure_output_target(register.root, meta, "its Datasette metadata")
    write_output(register.root, database, build(register, agreements), "a database export")
    # The register's folder name is in it: bidi and control characters as JSON escapes.
    text = escape_json(json.dumps(metadata(register, database), ensure_ascii=False, indent=2))
    text += "\n"
    write_output(register.root, meta, text.encode("utf-8"), "its Datasette metadata")
    return meta
