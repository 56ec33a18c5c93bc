"""Output: tables on a terminal, and json, csv and markdown for scripts and briefings.

Text from the data is never interpreted: rich receives `Text` objects (never
parsed as markup), control and bidi characters are shown as escapes, and
JSON escapes them too, so a record cannot drive the terminal.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from agreement_tracker.model import Agreement, Language
from agreement_tracker.register import Register
from agreement_tracker.text import visible

# JSON leaves DEL, C1 controls and bidi overrides raw; escaping them keeps the
# JSON identical in meaning and harmless on a terminal.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def to_json(data: Any) -> str:
    """JSON with non-ASCII text kept readable and terminal-active characters escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Below these widths a column's words break mid-word; rich shrinks others first.
_MIN_WIDTHS = {"Parties": 14, "Name": 14, "Aliases": 14, "Kind": 5, "Status": 6, "Sectors": 7}


@dataclass
class Listing:
    """A listing in two shapes: rows of display text, and records for JSON."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    # A list, or a generator where building every record at once would be costly.
    records: Iterable[dict[str, Any]] = field(default_factory=list)


def emit(listing: Listing, fmt: str, out: Console) -> None:
    """Print a listing in the chosen format: the one place formats are decided."""
    if fmt == "json":
        write_json_array(listing.records, out.file.write)
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(listing.columns)
        writer.writerows([[visible(cell) for cell in row] for row in listing.rows])
        out.file.write(buffer.getvalue())
    elif fmt == "markdown":
        out.file.write(markdown_table(listing.columns, listing.rows))
    elif len(listing.rows) <= CHUNK_ROWS:
        out.print(_table(listing, listing.rows))
    else:
        # A long table is printed in chunks with fixed column widths: rich lays out a
        # whole table in memory (330 MB for 10,000 agreements); chunks keep it flat.
        widths = _fixed_widths(listing, out.width)
        for start in range(0, len(listing.rows), CHUNK_ROWS):
            chunk = listing.rows[start : start + CHUNK_ROWS]
            out.print(_table(listing, chunk, widths, first=start == 0))


# Tables longer than this are printed in chunks (see emit).
CHUNK_ROWS = 500
_NEVER_BREAK = {"ID", "Date"}  # ids and dates are typed back as arguments


def _table(
    listing: Listing, rows: list[list[str]], widths: list[int] | None = None, first: bool = True
) -> Table:
    table = Table(
        title=Text(listing.title) if first else None,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        show_header=first,
        collapse_padding=True,
        padding=(0, 1),
    )
    for i, column in enumerate(listing.columns):
        table.add_column(
            Text(column),
            overflow="fold",
            no_wrap=column in _NEVER_BREAK,
            min_width=None if widths else _MIN_WIDTHS.get(column),
            width=widths[i] if widths else None,
        )
    for row in rows:
        table.add_row(*(Text(visible(cell)) for cell in row))
    return table


def _fixed_widths(listing: Listing, total: int) -> list[int]:
    """Column widths for a chunked table: ids and dates whole, the rest shared by need."""
    from rich.cells import cell_len

    longest = [
        max(
            [cell_len(column)]
            + [cell_len(line) for row in listing.rows for line in visible(row[i]).split("\n")]
        )
        for i, column in enumerate(listing.columns)
    ]
    widths = list(longest)
    flexible = [i for i, c in enumerate(listing.columns) if c not in _NEVER_BREAK]
    room = (
        total
        - 2 * (len(longest) - 1)
        - sum(longest[i] for i in range(len(longest)) if i not in flexible)
    )
    # Water-filling: narrow columns get all they need, wide ones share what is left.
    for n, i in enumerate(sorted(flexible, key=lambda i: longest[i])):
        share = max(room // (len(flexible) - n), _MIN_WIDTHS.get(listing.columns[i], 4))
        widths[i] = min(longest[i], share)
        room -= widths[i]
    return widths


def write_json_array(items: Iterable[Any], write: Callable[[str], object]) -> None:
    """A JSON array written element by element: the text `to_json(list(items))` gives,
    without holding all of it (10,000 records are 40 MB of JSON) in memory at once."""
    write("[")
    first = True
    for item in items:
        write(("\n  " if first else ",\n  ") + to_json(item).replace("\n", "\n  "))
        first = False
    write("]\n" if first else "\n]\n")


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table, with pipes and line breaks escaped."""

    def cell(value: str) -> str:
        return visible(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(cell(c) for c in columns) + " |"]
    lines.append("|" + "|".join(" --- " for _ in columns) + "|")
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


class Labels:
    """Display names for ids, in the chosen language; an unknown id shows as itself."""

    def __init__(self, register: Register, lang: Language) -> None:
        self.register = register
        self.lang = lang

    def org(self, org_id: str) -> str:
        org = self.register.organisations.get(org_id)
        return org.name.get(self.lang) if org else org_id

    def org_short(self, org_id: str) -> str:
        org = self.register.organisations.get(org_id)
        if org is None:
            return org_id
        return (org.short or org.name).get(self.lang)

    def kind(self, kind_id: str) -> str:
        kind = self.register.kinds.get(kind_id)
        return kind.name.get(self.lang) if kind else kind_id

    def kind_short(self, kind_id: str) -> str:
        kind = self.register.kinds.get(kind_id)
        return (kind.short or kind.name).get(self.lang) if kind else kind_id

    def sector(self, sector_id: str) -> str:
        sector = self.register.sectors.get(sector_id)
        return sector.name.get(self.lang) if sector else sector_id

    def status(self, status_id: str) -> str:
        status = self.register.statuses.get(status_id)
        return status.name.get(self.lang) if status else status_id

    def occasion(self, occasion_id: str | None) -> str:
        if occasion_id is None:
            return "—"
        occasion = self.register.occasions.get(occasion_id)
        return occasion.title.get(self.lang) if occasion else occasion_id


# --- agreements -----------------------------------------------------------------


def agreement_json(register: Register, agreement: Agreement) -> dict[str, Any]:
    """The record as stored, plus party display names and the current status."""
    data = agreement.model_dump(mode="json")
    for party in data["parties"]:
        org = register.organisations.get(party["org"])
        party["name"] = org.name.model_dump() if org else None
    data["current_status"] = agreement.current_status
    return data


def agreements_listing(
    register: Register, agreements: list[Agreement], lang: Language, fmt: str = "table"
) -> Listing:
    """`agreements list`: compact on a terminal, with titles and full names elsewhere."""
    labels = Labels(register, lang)
    listing = Listing(
        title=f"{len(agreements)} agreement{'s' if len(agreements) != 1 else ''}", columns=[]
    )
    compact = fmt == "table"
    listing.columns = ["ID", "Date", "Status", "Kind", "Parties", "Sectors"]
    if not compact:
        listing.columns.insert(4, "Title")
    party_sep = "\n" if compact else "; "
    for a in agreements:
        parties = party_sep.join(
            " ".join(
                filter(None, [p.side, labels.org_short(p.org) if compact else labels.org(p.org)])
            )
            for p in a.parties
            if p.role != "witness"
        )
        kind = labels.kind_short(a.kind) if compact else labels.kind(a.kind)
        row = [
            a.id,
            a.date.isoformat(),
            labels.status(a.current_status),
            kind,
            parties,
            ", ".join(labels.sector(s) for s in a.sectors),
        ]
        if not compact:
            row.insert(4, a.title.get(lang))
        listing.rows.append(row)
    if fmt == "json":  # only JSON shows records, one at a time as they are written
        listing.records = (agreement_json(register, a) for a in agreements)
    return listing


# --- registries -------------------------------------------------------------------


def organisations_listing(register: Register, lang: Language, fmt: str = "table") -> Listing:
    """`agreements orgs`: the organisations registry."""
    listing = Listing(
        title=f"{len(register.organisations)} organisations",
        columns=["ID", "Country", "Type", "Name", "Aliases"],
    )
    for org in sorted(register.organisations.values(), key=lambda o: (o.country or "~", o.id)):
        listing.rows.append(
            [
                org.id,
                org.country or "",
                org.type,
                org.name.get(lang),
                ("\n" if fmt == "table" else "; ").join(org.aliases),
            ]
        )
        listing.records.append(org.model_dump(mode="json"))
    return listing


def sectors_listing(register: Register, lang: Language) -> Listing:
    """`agreements sectors`: the sector hierarchy, children under their parent."""
    listing = Listing(
        title=f"{len(register.sectors)} sectors", columns=["ID", "Parent", "Name", "Agreements"]
    )
    counts = {s: 0 for s in register.sectors}
    for agreement in register.agreements.values():
        covered = set()
        for sector in agreement.sectors:
            covered |= _ancestors(register, sector)
        for sector in covered:
            if sector in counts:
                counts[sector] += 1

    def walk(parent: str | None, depth: int) -> None:
        for sector in sorted(register.sectors.values(), key=lambda s: s.id):
            if sector.parent != parent:
                continue
            listing.rows.append(
                [
                    sector.id,
                    sector.parent or "",
                    "  " * depth + sector.name.get(lang),
                    str(counts[sector.id]),
                ]
            )
            listing.records.append(
                {**sector.model_dump(mode="json"), "agreements": counts[sector.id]}
            )
            walk(sector.id, depth + 1)

    walk(None, 0)
    return listing


def _ancestors(register: Register, sector_id: str) -> set[str]:
    found: set[str] = set()
    current: str | None = sector_id
    while current is not None and current not in found:
        found.add(current)
        sector = register.sectors.get(current)
        current = sector.parent if sector else None
    return found


# --- show -------------------------------------------------------------------------


def evidence_spans(register: Register, agreement: Agreement) -> list[dict[str, Any]]:
    """Each quote with where it stands in its source (None where it is not found)."""
    found = []
    for evidence in agreement.evidence:
        text = register.source_text(evidence.source)
        span = text.find(evidence.quote) if text else None
        found.append({"evidence": evidence, "text": text, "span": span})
    return found


def show_json(register: Register, agreement: Agreement) -> dict[str, Any]:
    """`show --format json`: the record plus where each quote was found."""
    data = agreement_json(register, agreement)
    for item, located in zip(data["evidence"], evidence_spans(register, agreement), strict=True):
        span = located["span"]
        source = register.sources.get(item["source"])
        item["source_file"] = f"seeds/{source.file}" if source else None
        item["found"] = {"line": span.line, "column": span.column} if span else None
    return data


def show_agreement(register: Register, agreement: Agreement, lang: Language, out: Console) -> None:
    """Everything about one agreement, with each quote highlighted in its source."""
    labels = Labels(register, lang)
    other: Language = "vi" if lang == "en" else "en"
    out.print(Text(visible(agreement.title.get(lang)), style="bold"))
    out.print(Text(visible(f"{agreement.id} · {agreement.title.get(other)}"), style="dim"))
    out.print()

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    term = f"{agreement.term.start} – {agreement.term.end}" if agreement.term else "—"
    for name, value in (
        ("Kind", labels.kind(agreement.kind)),
        ("Date", agreement.date.isoformat()),
        ("Place", agreement.place),
        ("Occasion", labels.occasion(agreement.occasion)),
        ("Term", term),
        ("Status", labels.status(agreement.current_status)),
        ("Sectors", ", ".join(labels.sector(s) for s in agreement.sectors)),
    ):
        facts.add_row(Text(name), Text(visible(value)))
    out.print(facts)
    out.print()

    parties = Table(title=Text("Parties"), title_justify="left", show_header=True)
    for column in ("Role", "Side", "Organisation", "ID"):
        parties.add_column(Text(column), overflow="fold")
    for party in agreement.parties:
        parties.add_row(
            Text(party.role),
            Text(party.side or "—"),
            Text(visible(labels.org(party.org))),
            Text(party.org, style="dim"),
        )
    out.print(parties)
    out.print()

    out.print(Text("Evidence", style="bold"))
    for number, located in enumerate(evidence_spans(register, agreement), start=1):
        evidence, text, span = located["evidence"], located["text"], located["span"]
        source = register.sources.get(evidence.source)
        where = f"seeds/{source.file}" if source else "unknown source"
        if span is not None:
            where += f":{span.line}:{span.column}"
        out.print(Text(visible(f"{number}. {evidence.source} ({where})"), style="cyan"))
        body = Text("   ")
        if text is not None and span is not None:
            before, quote, after = text.context(span)
            body.append(visible(before))
            body.append(visible(quote), style="bold reverse")
            body.append(visible(after))
        else:
            body.append(visible(evidence.quote))
            body.append("  (not found in the source: run `agreements validate`)", style="red")
        out.print(body)
    out.print()

    out.print(Text("Timeline", style="bold"))
    _print_timeline(agreement, labels, out)


def _print_timeline(agreement: Agreement, labels: Labels, out: Console) -> None:
    """Signing, notes and term end in date order, each note's text under its date."""
    from agreement_tracker.report import timeline

    pad = " " * 3
    for event in timeline([agreement]):
        head = f"{event.date.isoformat()}  {event.kind:<10}"
        if event.kind == "signed":
            line = f"{head} {labels.status(agreement.status)} · {agreement.place}"
        elif event.kind == "term ends":
            term = agreement.term
            line = f"{head} term {term.start}–{term.end}" if term else head
        else:
            note = event.note
            assert note is not None
            extras = [f"→ {labels.status(note.status)}" if note.status else "", note.author or ""]
            line = f"{head} " + " · ".join(e for e in extras if e)
        out.print(Text(pad + visible(line).rstrip(), style="bold" if event.note else ""))
        if event.note is not None:
            indent = pad + " " * 12
            out.print(Text(indent + visible(event.note.text).replace("\n", "\n" + indent)))
            if event.note.source:
                out.print(Text(indent + "source: " + visible(event.note.source), style="dim"))
    if not agreement.follow_up:
        out.print(
            Text(f'{pad}No follow-up notes yet: `agreements note add {agreement.id} "…"` adds one.')
        )
