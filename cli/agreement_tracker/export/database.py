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
         "published": str, "sha256": str, "url": str, "label": str},
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
         "current_status": str, "signed": str, "sectors": str, "organisations": str},
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
         "quote": str, "note": str, "rejected": str, "reading": str},
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
# Datasette's canned queries. Each reads the tables above only; a parameter given empty
# means every row (:org) or none of the days (:days 0).
DISPUTED_SQL = """\
select a.id as agreement, a.title, ac.field, ac.reading as register_reading,
  ac.value as other_reading, ac.source, s.label as source_title, ac.quote, ac.note
from accounts ac
join agreements a on a.id = ac.agreement
left join sources s on s.id = ac.source
where ac.rejected is null
order by a.id, ac.position"""
NO_FOLLOW_UP_SQL = """\
select a.id as agreement, a.title, a.current_status,
  coalesce(max(n.last_day), a.last_day) as last_heard,
  cast(julianday(date('now')) - julianday(coalesce(max(n.last_day), a.last_day))
    as integer) as days_silent,
  count(n.position) as notes
from agreements a
join statuses st on st.id = a.current_status
left join notes n on n.agreement = a.id
where st.final = 0
group by a.id
having julianday(date('now')) - julianday(coalesce(max(n.last_day), a.last_day))
  >= cast(:days as integer)
order by days_silent desc, a.id"""
BY_ORGANISATION_SQL = """\
select a.id as agreement, a.title, a.kind, a.date, a.current_status,
  p.organisation, o.name as organisation_name, p.role, p.side
from parties p
join agreements a on a.id = p.agreement
join organisations o on o.id = p.organisation
where p.organisation = :org
  or p.organisation in (
    select organisation from organisation_names
    where name like '%' || :org || '%' or short like '%' || :org || '%'
    union
    select organisation from organisation_aliases where alias like '%' || :org || '%')
order by a.date, a.id, p.position"""
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
         "published": str(s.published), "sha256": s.sha256, "url": s.url,
         "label": source_label(s)}
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
            # JSON lists, for Datasette's array facets (the join tables hold the same).
            "sectors": json.dumps(list(dict.fromkeys(a.sectors)), ensure_ascii=False),
            "organisations": json.dumps(list(dict.fromkeys(p.org for p in a.parties)),
                                        ensure_ascii=False),
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
                                    "rejected": acc.rejected,
                                    "reading": a.reading(acc.field)})  # fmt: skip
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


def source_label(source: Any) -> str:
    """How a source is named where it is linked to: its title, or where the text gives
    none, its id (a row of "unknown"s says nothing of which text it is)."""
    if source.title != "unknown":
        return str(source.title)
    return f"{source.id} (untitled)"


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


# Datasette's table pages: a heading, a plain description (Datasette shows it as text:
# no markdown), what each column holds, the column that names a row where another links
# to it, and the facets an analyst starts from.
# fmt: off
TABLE_PAGES: dict[str, dict[str, Any]] = {
    "agreements": {
        "title": "Agreements",
        "description": "One row per agreement document, as the register reads it: its kind, "
        "date, place and status. Current status is the latest follow-up note's.",
        "label_column": "title",
        "facets": ["current_status", "kind", {"array": "sectors"},
                   {"array": "organisations"}],
        "sort_desc": "first_day",
        "columns": {
            "id": "The record's id (its file name in agreements/).",
            "title": "Its title in English.",
            "kind": "Memorandum of understanding, letter of intent, joint statement and so on.",
            "date": "When it was signed, as precisely as the sources say (a day, a month or "
            "a year).",
            "first_day": "The earliest day its date may mean.",
            "last_day": "The latest day its date may mean.",
            "place": "Where it was signed: city, country.",
            "occasion": "The visit or event on which it was signed.",
            "term_start": "When its term starts, where a source says.",
            "term_end": "When its term ends, where a source says.",
            "status": "Its status as the record states it.",
            "current_status": "Its status now: the latest follow-up note's, else the "
            "record's.",
            "signed": "When it was signed: its date, or the note that recorded the signing.",
            "sectors": "The sectors it covers (also in the agreement sectors table).",
            "organisations": "The organisations party to it (also in the parties table).",
        },
    },
    "parties": {
        "title": "Parties",
        "description": "Who is party to each agreement, on which side, in which role, and "
        "who signed for it where a source names them.",
        "facets": ["role", "side", "organisation"],
        "columns": {
            "position": "Its place among the record's parties, from 0.",
            "role": "Signatory, witness and so on.",
            "side": "The country whose side it is on.",
            "signer": "The person who signed or exchanged the document for it.",
        },
    },
    "evidence": {
        "title": "Evidence",
        "description": "The verbatim quotes each record cites. agreements validate proves "
        "every one against its source text.",
        "facets": ["source"],
        "columns": {"quote": "The passage of the source, word for word."},
    },
    "notes": {
        "title": "Follow-up notes",
        "description": "Dated follow-up notes: what happened after the signing.",
        "facets": ["status"],
        "sort_desc": "first_day",
        "columns": {
            "date": "When, as precisely as the note's source says.",
            "status": "The status the agreement moved to with this note, if any.",
            "source": "Where it is reported: a web address or a registered source.",
            "registered_source": "The source, where it is a registered text a reader can "
            "check.",
        },
    },
    "accounts": {
        "title": "Accounts",
        "description": "Other sources' readings of a record's fields, where they disagree "
        "with the register. A rejected account is known to be wrong.",
        "facets": ["field", "source"],
        "columns": {
            "field": "The field read otherwise: kind, date, place, title, term or a party.",
            "value": "The other source's reading.",
            "reading": "The register's own reading of that field.",
            "rejected": "Why the account is known to be wrong; empty while it stands.",
        },
    },
    "links": {
        "title": "Links between records",
        "description": "Records that implement, follow, amend or supersede others.",
        "facets": ["type"],
    },
    "commitments": {
        "title": "Commitments",
        "description": "What each document promised, and by when where its quote says, "
        "each proven by its quote. Its id is the record's id and its number.",
        "label_column": "text",
        "facets": ["type"],
        "columns": {
            "due": "When it is due, as precisely as the quote says.",
            "due_day": "The last day the due date means.",
            "due_said": "The due date as the quote words it.",
        },
    },
    "commitment_by": {
        "title": "Who promised",
        "description": "The organisations that made each commitment.",
        "facets": ["organisation"],
    },
    "commitment_reviews": {
        "title": "Commitment reviews",
        "description": "Where a commitment stood on a day: scheduled, met, not met or "
        "partly met, with the source that says so.",
        "facets": ["status"],
        "columns": {"as_of": "The day the review speaks of."},
    },
    "organisations": {
        "title": "Organisations",
        "description": "Ministries, companies and people, with their names in each "
        "language and the other spellings the sources use.",
        "label_column": "name",
        "facets": ["type", "country"],
    },
    "organisation_names": {
        "title": "Organisation names",
        "description": "Each organisation's name and short name in each language.",
    },
    "organisation_aliases": {
        "title": "Organisation aliases",
        "description": "Other spellings of organisations' names that the sources use.",
    },
    "sources": {
        "title": "Sources",
        "description": "The source texts the quotes come from, with what each text says "
        "about itself and its sha256. Unknown where the text does not say.",
        "label_column": "label",
        "facets": ["lang", "publisher"],
        "columns": {
            "title": "Its title as the text gives it, or unknown.",
            "publisher": "Who published it, as the text says, or unknown.",
            "published": "When it was published, as the text says, or unknown.",
            "sha256": "The SHA-256 of the file in seeds/, checked by agreements validate.",
            "label": "Its title, or its id where the text gives no title.",
        },
    },
    "occasions": {
        "title": "Occasions",
        "description": "Visits and events on which documents were signed.",
        "label_column": "title",
    },
    "sectors": {
        "title": "Sectors",
        "description": "The sector hierarchy: a sector's parent covers it.",
        "label_column": "name",
    },
    "agreement_sectors": {
        "title": "Agreement sectors",
        "description": "The sectors each agreement covers.",
        "facets": ["sector"],
    },
    "agreement_titles": {
        "title": "Agreement titles",
        "description": "Each agreement's title in each language.",
        "facets": ["lang"],
    },
    "kinds": {"title": "Kinds", "description": "Kinds of agreement document.",
              "label_column": "name"},
    "statuses": {
        "title": "Statuses",
        "description": "The statuses an agreement moves through; a final one ends it.",
        "label_column": "name",
    },
    "countries": {"title": "Countries", "description": "Countries, by ISO code.",
                  "label_column": "name"},
}
QUERIES: dict[str, dict[str, Any]] = {
    "disputed_fields": {
        "title": "Disputed fields",
        "description": "Records whose fields another source reads otherwise, with both "
        "readings and the quote: every account not rejected.",
        "sql": DISPUTED_SQL,
    },
    "no_follow_up": {
        "title": "No follow-up for N days",
        "description": "Records not in a final status that have had no follow-up for at "
        "least the given number of days as of today: counted from the latest note, or from "
        "the signing where there is none. The most silent first.",
        "sql": NO_FOLLOW_UP_SQL,
        "params": ["days"],
    },
    "records_by_organisation": {
        "title": "Records by organisation",
        "description": "The records an organisation is party to: give its id, or part of "
        "a name, short name or alias as the register spells it.",
        "sql": BY_ORGANISATION_SQL,
        "params": ["org"],
    },
    "overdue_commitments": {
        "title": "Overdue commitments",
        "description": "Due day passed by :as_of (empty: today), no "
        "review by then says met.",
        "sql": OVERDUE_SQL,
    },
}
# fmt: on


def metadata(register: Register, database: Path) -> dict[str, Any]:
    """Datasette metadata: what each table and column holds, labels, facets and canned
    queries, where the data comes from, and its licence."""
    tables: dict[str, Any] = {name: dict(page) for name, page in TABLE_PAGES.items()}
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
                "queries": {name: dict(query) for name, query in QUERIES.items()},
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
