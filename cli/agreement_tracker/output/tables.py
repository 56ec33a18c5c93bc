"""Tables and the record view for people on a terminal, drawn with rich.

Data reaches rich only as `Text` objects (never parsed as markup) with
control and bidi characters made visible, so a record cannot drive the
terminal.
"""

from __future__ import annotations

import dataclasses

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from agreement_tracker.model import Agreement, Language
from agreement_tracker.output.formats import Listing
from agreement_tracker.output.listings import (
    Labels,
    evidence_spans,
    incoming_links,
    links_both_ways,
)
from agreement_tracker.register import Register
from agreement_tracker.text import visible

# Below these widths a column's words break mid-word; rich shrinks others first.
_MIN_WIDTHS = {"Parties": 14, "Name": 14, "Aliases": 14, "Kind": 5, "Status": 6, "Sectors": 7}


# The longest note `show` prints on a terminal; JSON gives every character.
NOTE_SHOWN = 4000

# Tables longer than this are printed in chunks (see print_table).
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


def print_table(listing: Listing, out: Console) -> None:
    """A listing as a table; a long one in chunks, since rich lays out a whole table in
    memory (330 MB for 10,000 agreements)."""
    if len(listing.rows) <= CHUNK_ROWS:
        out.print(_table(listing, listing.rows))
        return
    widths = _fixed_widths(listing, out.width)
    for start in range(0, len(listing.rows), CHUNK_ROWS):
        chunk = listing.rows[start : start + CHUNK_ROWS]
        out.print(_table(listing, chunk, widths, first=start == 0))


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

    parties = Table(title=Text("Parties"), title_justify="left", show_header=True)
    signers = any(p.signer for p in agreement.parties)
    for column in ("Role", "Side", "Organisation", "ID", *(["Signed by"] if signers else [])):
        parties.add_column(Text(column), overflow="fold")
    for index, party in enumerate(agreement.parties):
        if any(a.field.startswith(f"parties.{index}") for a in agreement.open_accounts):
            party = dataclasses.replace(party, role=f"{party.role} (disputed)")
        cells = [
            Text(party.role),
            Text(party.side or "—"),
            Text(visible(labels.org(party.org))),
            Text(party.org, style="dim"),
        ]
        if signers:
            cells.append(Text(visible(labels.org(party.signer)) if party.signer else "—"))
        parties.add_row(*cells)
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

    if agreement.accounts:
        _print_accounts(register, agreement, out)
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
    from agreement_tracker.report import timeline

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
    """Every claim of the record with the quote that proves it, as an analyst reads it
    before citing the record: the field and what it says, then each quote's source,
    `file:line:col` and text, wrapped at word boundaries under the claim."""
    from agreement_tracker.output.listings import proof_rows

    out.print(Text(visible(f"Proof of {agreement.id}"), style="bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    last = None
    for row in proof_rows(register, agreement):
        if (row["field"], row["value"]) != last:
            last = (row["field"], row["value"])
            claim = Text(visible(row["value"]))
            if not row["proven"]:
                claim.append("  not proven", style="bold red")
            grid.add_row(Text(row["field"]), claim)
        if not row["proven"]:
            grid.add_row(Text(""), Text(visible(row["problem"] or ""), style="red"))
            continue
        where = row["file"] or "?"
        if row["line"] is not None:
            where += f":{row['line']}:{row['column']}"
        via = f" (occasion {row['occasion']})" if row.get("occasion") else ""
        grid.add_row(Text(""), Text(visible(f"{row['source']}{via} {where}"), style="cyan"))
        grid.add_row(Text(""), Text("“" + visible(row["quote"]) + "”"))
    out.print(grid)
