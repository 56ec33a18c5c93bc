"""Tables and the record view for people on a terminal, drawn with rich.

Data reaches rich only as `Text` objects (never parsed as markup) with
control and bidi characters made visible, so a record cannot drive the
terminal.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from agreement_tracker.loader import Register
from agreement_tracker.model import Agreement
from agreement_tracker.output.formats import Listing
from agreement_tracker.output.listings import (
    Labels,
    evidence_spans,
    incoming_links,
    links_both_ways,
)
from agreement_tracker.text import visible
from agreement_tracker.values import Language

# The longest note `show` prints on a terminal; JSON gives every character.
NOTE_SHOWN = 4000

# Tables longer than this are printed in chunks (see print_table).
CHUNK_ROWS = 500
_NEVER_BREAK = {"ID", "Date"}  # ids and dates are typed back as arguments


def _never_break(column: str) -> bool:
    return column.split(" / ")[0] in _NEVER_BREAK


_GAP = 2  # columns are two spaces apart


def _table(listing: Listing, rows: list[list[str]], widths: list[int], first: bool = True) -> Table:
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
            overflow="fold",  # only a word longer than the whole terminal is ever folded
            width=widths[i],
        )
    for row in rows:
        table.add_row(*(Text(visible(cell)) for cell in row))
    return table


def _words_width(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _needs(listing: Listing) -> tuple[list[int], list[int]]:
    """Each column's narrowest width that keeps every word whole (and an id or a date,
    a cell's first line in those columns, whole), and its widest line."""
    low, high = [], []
    for i, column in enumerate(listing.columns):
        whole = _never_break(column)
        least, most = _words_width(column), cell_len(column)
        for row in listing.rows:
            for n, line in enumerate(visible(row[i]).split("\n")):
                width = cell_len(line)
                least = max(least, width if whole and n == 0 else _words_width(line))
                most = max(most, width)
        low.append(least)
        high.append(most)
    return low, high


def fit(listing: Listing, width: int) -> tuple[Listing, list[str]]:
    """The listing as it fits `width` columns without cutting a word: columns folded
    under others or left out, in the order the listing gives; the columns left out."""
    left_out: list[str] = []
    for column, host in [(None, None), *listing.narrow]:
        if column is not None and column in listing.columns:
            listing = _fold(listing, column, host)
            if host is None:
                left_out.append(column)
        low, _ = _needs(listing)
        if sum(low) + _GAP * (len(low) - 1) <= width:
            break
    return listing, left_out


def _fold(listing: Listing, column: str, host: str | None) -> Listing:
    """`column` folded under `host` (its value on the host cell's next line, its name
    after the host's: "Date / Status"), or left out."""
    i = listing.columns.index(column)
    columns = [c for c in listing.columns if c != column]
    h = next((k for k, c in enumerate(columns) if host and c.split(" / ")[0] == host), None)
    rows = []
    for row in listing.rows:
        new = [cell for k, cell in enumerate(row) if k != i]
        if h is not None and row[i]:
            new[h] = f"{new[h]}\n{row[i]}" if new[h] else row[i]
        rows.append(new)
    if h is not None:
        columns[h] = f"{columns[h]} / {column}"
    return listing.replace(columns=columns, rows=rows)


def _widths(low: list[int], high: list[int], width: int) -> list[int]:
    """Every column its narrowest whole-word width, then the room left shared out to the
    columns that want more, narrowest want first (water-filling)."""
    widths = list(low)
    room = width - sum(low) - _GAP * (len(low) - 1)
    wanting = sorted((i for i in range(len(low)) if high[i] > low[i]), key=lambda i: high[i])
    for n, i in enumerate(wanting):
        share = room // (len(wanting) - n)
        extra = min(high[i] - low[i], max(share, 0))
        widths[i] += extra
        room -= extra
    return widths


def print_table(listing: Listing, out: Console) -> None:
    """A listing as a table that fits the console without cutting a word; long ones in
    chunks, since rich lays out a whole table in memory (330 MB for 10,000 agreements).
    Written to a pipe or a file (not recorded for --svg/--html), each row is one line."""
    if not out.is_terminal and not out.record:
        from agreement_tracker.output.formats import plain_table

        out.file.write(plain_table(listing))
        return
    # The title and column names come from data too (a status's name in the report).
    listing = listing.replace(
        title=visible(listing.title, line=True),
        columns=[visible(column, line=True) for column in listing.columns],
    )
    fitted, left_out = fit(listing, out.width)
    low, high = _needs(fitted)
    widths = _widths(low, high, out.width)
    for start in range(0, max(len(fitted.rows), 1), CHUNK_ROWS):
        chunk = fitted.rows[start : start + CHUNK_ROWS]
        out.print(_table(fitted, chunk, widths, first=start == 0))
    if left_out:
        out.print(
            Text(
                f"Left out at {out.width} columns: {', '.join(left_out)}. A wider terminal "
                "shows them, as do --format csv and json.",
                style="dim",
            )
        )


# --- show -------------------------------------------------------------------------


def _date_shown(agreement: Agreement) -> str:
    """The date as the sources give it; a planned record's signing comes from its note."""
    if agreement.date is not None:
        return agreement.date
    if agreement.signed is not None:
        return f"{agreement.signed} (the note that records the signing)"
    return "— (not yet signed)"


def show_agreement(register: Register, agreement: Agreement, lang: Language, out: Console) -> None:
    """Everything about one agreement, with each quote highlighted in its source."""
    labels = Labels(register, lang)
    title = agreement.title.get(lang)
    others = [t for t in agreement.title.all() if t != title]
    out.print(Text(visible(title), style="bold"))
    out.print(Text(visible(" · ".join([agreement.id, *others])), style="dim"))
    out.print()

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    term = f"{agreement.term.start} – {agreement.term.end}" if agreement.term else "—"
    for name, value in (
        ("Kind", labels.kind(agreement.kind)),
        ("Date", _date_shown(agreement)),
        ("Place", agreement.place),
        ("Occasion", labels.occasion(agreement.occasion)),
        ("Term", term),
        ("Status", labels.status(agreement.current_status)),
        ("Sectors", ", ".join(labels.sector(s) for s in agreement.sectors)),
    ):
        row = Text(visible(value))
        disputed = [a for a in agreement.open_accounts if a.field == name.lower()]
        if disputed:
            readings = ", ".join(a.value for a in disputed)
            row.append(f"  disputed: {visible(readings)} (see Accounts)", style="yellow")
        facts.add_row(Text(name), row)
    out.print(facts)
    out.print()

    signers = any(p.signer for p in agreement.parties)
    parties = Listing(
        "Parties",
        ["Role", "Side", "Organisation", "ID", *(["Signed by"] if signers else [])],
        narrow=[("Side", "Role"), ("ID", "Organisation"), ("Signed by", "Organisation")],
    )
    for index, party in enumerate(agreement.parties):
        role: str = party.role
        if any(a.field.startswith(f"parties.{index}") for a in agreement.open_accounts):
            role = f"{role} (disputed)"
        cells = [role, party.side or "—", labels.org(party.org), party.org]
        if signers:
            cells.append(labels.org(party.signer) if party.signer else "—")
        parties.rows.append(cells)
    print_table(parties, out)
    out.print()

    out.print(Text("Evidence", style="bold"))
    for number, located in enumerate(evidence_spans(register, agreement), start=1):
        evidence, text, span = located["evidence"], located["text"], located["span"]
        source = register.sources.get(evidence.source)
        where = f"seeds/{source.file}" if source else "unknown source"
        if span is not None:
            where += f":{span.line}:{span.column}"
        # One line: a source's file name with a line break cannot print a line of its own.
        header = visible(f"{number}. {evidence.source} ({where})", line=True)
        out.print(Text(header, style="cyan"))
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

    if agreement.accounts:
        _print_accounts(register, agreement, out)
    if agreement.commitments:
        import datetime as dt

        from agreement_tracker.output.commitments import commitment_listing

        print_table(commitment_listing(agreement, dt.date.today()), out)
        out.print()
    _print_links(register, agreement, out)
    out.print(Text("Timeline", style="bold"))
    _print_timeline(agreement, labels, out)


def _print_links(register: Register, agreement: Agreement, out: Console) -> None:
    """The record's links, and the records that link to it: both ends of each."""
    links = links_both_ways(agreement, incoming_links(register))
    lines = [f"{relation} {other}" for relation, other in links]
    if not lines:
        return
    out.print(Text("Links", style="bold"))
    for line in lines:
        out.print(Text("   " + visible(line)))
    out.print()


def _print_accounts(register: Register, agreement: Agreement, out: Console) -> None:
    """Other sources' readings of the record's fields, each with its source and quote."""
    out.print(Text("Accounts (other sources' readings)", style="bold"))
    for number, account in enumerate(agreement.accounts, start=1):
        source = register.sources.get(account.source)
        text = register.source_text(account.source)
        span = text.find(account.quote) if text else None
        where = f"seeds/{source.file}" if source else "unknown source"
        if span is not None:
            where += f":{span.line}:{span.column}"
        state = f"rejected: {account.rejected}" if account.rejected else "open"
        head = f"{number}. {account.field}: {account.value} ({state}) · {account.source} ({where})"
        out.print(Text(visible(head), style="dim" if account.rejected else "yellow"))
        out.print(Text("   “" + visible(account.quote) + "”"))
        if account.note:
            out.print(Text("   note: " + visible(account.note), style="dim"))
    out.print()


def _print_timeline(agreement: Agreement, labels: Labels, out: Console) -> None:
    """Signing, notes and term end in date order, each note's text under its date."""
    from agreement_tracker.briefing import timeline

    pad = " " * 3
    for event in timeline([agreement]):
        head = f"{event.when:<10}  {event.kind:<10}"
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
            text = event.note.text
            if len(text) > NOTE_SHOWN:  # laying out megabytes takes rich minutes
                more = len(text) - NOTE_SHOWN
                text = (
                    f"{text[:NOTE_SHOWN]}… ({more:,} more characters: "
                    f"`agreements show {agreement.id} --format json` shows the whole note)"
                )
            out.print(Text(indent + visible(text).replace("\n", "\n" + indent)))
            if event.note.source:
                unverified = (
                    " (unverified: not a registered source)"
                    if event.note.source not in labels.register.sources
                    else ""
                )
                out.print(
                    Text(indent + "source: " + visible(event.note.source) + unverified, style="dim")
                )
            if event.note.quote:
                out.print(Text(indent + "quote: “" + visible(event.note.quote) + "”", style="dim"))
    if not agreement.follow_up:
        out.print(
            Text(f'{pad}No follow-up notes yet: `agreements note add {agreement.id} "…"` adds one.')
        )


def show_proof(register: Register, agreement: Agreement, out: Console) -> None:
    """Every claim of the record with the quotes that prove it, as an analyst reads it
    before citing the record: each quote once (where it stands in its source, its text
    with the proving words marked), then the claims it proves, saying where a claim
    needs another quote too or has another that proves it as well; then what is not
    proven. Lines are wrapped at word boundaries and never padded."""
    from agreement_tracker.output.listings import proof_rows

    rows = proof_rows(register, agreement)
    width = max(40, out.width)
    _say(out, Text(visible(f"Proof of {agreement.id}"), style="bold"), 0, width)
    claims = {row["field"]: row for row in rows}
    checked = [row for row in claims.values() if row.get("checked", True)]
    proven = sum(row["proven"] for row in checked)
    quotes = len({(r["occasion"], r["evidence"]) for r in rows if r["proven"]})
    summary = f"{proven} of {len(checked)} claims proven, by {quotes} quote{'s' * (quotes != 1)}"
    if len(checked) < len(claims):
        summary += f"; {len(claims) - len(checked)} shown, not checked"
    _say(out, Text(summary, style="green" if proven == len(checked) else "bold red"), 0, width)
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    by_claim: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        if row["proven"]:
            key = (row["occasion"], row["evidence"], row["source"])
            groups.setdefault(key, []).append(row)
            by_claim.setdefault(row["field"], []).append(key)
    labels = {key: _quote_label(key) for key in groups}
    # The record's own quotes in their order, then its occasion's.
    ordered = sorted(
        groups.items(), key=lambda kv: (kv[0][0] is not None, kv[0][0] or "", kv[0][1])
    )
    for key, proven_rows in ordered:
        first = proven_rows[0]
        where = first["file"] or "?"
        if first["line"] is not None:
            where += f":{first['line']}:{first['column']}"
        out.print()
        heading = labels[key][:1].upper() + labels[key][1:]
        _say(out, Text(visible(f"{heading} · {first['source']} {where}", line=True),
                       style="cyan"), 0, width)  # fmt: skip
        quote = first["quote"] or ""
        marked = Text("“" + visible(quote) + "”")
        if len(visible(quote)) == len(quote):  # offsets hold only where nothing was escaped
            for row in proven_rows:
                for start, end in row["words"]:
                    marked.stylize("bold underline", start + 1, end + 1)
        _say(out, marked, 2, width)
        name_width = max(len(row["field"]) for row in proven_rows)
        for row in proven_rows:
            line = Text(visible(row["shown"]))
            needed = [k for k in by_claim[row["field"]] if [k[0], k[1]] in row["with"]]
            others = [k for k in by_claim[row["field"]] if k != key and k not in needed]
            joiner = " or " if row["with_any"] else ", "
            parts = [f"with {joiner.join(labels[k] for k in needed)}"] if needed else []
            if others:  # quotes that prove it the same way: alternatives to this one
                parts.append(f"{'or' if needed else 'also'} {', '.join(labels[k] for k in others)}")
            said = "; ".join(parts)
            if said:
                line.append(f"  ({said})", style="dim")
            label = Text(f"{row['field']:<{name_width}}  ", style="bold")
            _say(out, line, 2, width, label=label)
    failing = [row for row in rows if not row["proven"]]
    if failing:
        out.print()
    for row in failing:
        checked = row.get("checked", True)
        label = Text(f"{visible(row['field'], line=True):<15} ", style="bold")
        line = Text(visible(row["shown"]))
        line.append("  not proven" if checked else "  not checked",
                    style="bold red" if checked else "dim")  # fmt: skip
        _say(out, line, 0, width, label=label)
        _say(out, Text(visible(row["problem"] or ""), style="red" if checked else "dim"),
             16, width)  # fmt: skip


def _quote_label(key: tuple[Any, ...]) -> str:
    occasion, index, _source = key
    return f"quote {index + 1}" if occasion is None else f"occasion {occasion}, quote {index + 1}"


def _say(out: Console, text: Text, indent: int, width: int, *, label: Text | None = None) -> None:
    """`text` wrapped to `width` after `indent` spaces and `label` (continuation lines
    under the text, not the label), each line printed as it is: never padded."""
    hang = label.cell_len if label is not None else 0
    lines = text.wrap(out, max(10, width - indent - hang))
    for n, line in enumerate(lines):
        line.rstrip()
        head = Text(" " * indent)
        head.append(label if label is not None and n == 0 else Text(" " * hang))
        out.print(head + line, soft_wrap=True, overflow="ignore", crop=False)
