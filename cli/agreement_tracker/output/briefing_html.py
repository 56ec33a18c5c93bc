"""`report --html FILE`: a briefing a desk officer can forward, as one self-contained page.

A cover (the report's heading, the register, the day it is as of, the counts by status
and what changed since a day), then one block per record as a reader needs it: its
title, kind, parties, date and place; its status with the latest note; the quotes that
prove it, each with its source's title, publisher and date; every account of a disputed
field with its quote; and its timeline. Labels, never ids, wherever a registry has a
name; dates as precise as the source gives them ("July 2025", never "2025-07-01").

Printed (A4 or Letter: the page size is the printer's), a record is never split across
pages where it fits on one, its heading stays with its first lines, and each page
carries the briefing's own running title and page number, so the browser's file-path
header is not needed (`--no-pdf-header-footer`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from agreement_tracker.briefing import Event, Report, changes, timeline
from agreement_tracker.loader import Register
from agreement_tracker.model import Account, Agreement, Evidence, FollowUp
from agreement_tracker.output.html import attr, css_string, human_date, page, text, time
from agreement_tracker.output.listings import Labels
from agreement_tracker.values import Language

# The longest note the cover quotes; the record's timeline has it whole.
COVER_NOTE = 240
FUTURE = ' class="future"'  # a due day or a term's end still to come
NO_EVENTS = '<p class="small">No dated event yet: not signed, no note, no due date.</p>'
NOT_FOUND = (
    '<p class="cite warn">Not found in its source: it proves nothing until it is copied '
    "verbatim (`agreements validate` shows where).</p>"
)

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: #1a1a1a; margin: 2rem auto; max-width: 50rem; padding: 0 1rem; }
h1 { font-size: 1.6em; line-height: 1.2; margin: 0 0 .3rem; }
h2 { font-size: 1.2em; line-height: 1.25; margin: 0 0 .2rem; }
h3 { font-size: .75em; text-transform: uppercase; letter-spacing: .04em; color: #555;
     margin: .6rem 0 .2rem; }
.kicker { color: #555; font-size: .85em; margin: 0 0 .2rem; }
.small { color: #555; font-size: .8em; }
.id { color: #555; font-family: ui-monospace, "DejaVu Sans Mono", monospace;
      overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .2rem 0; }
th, td { text-align: left; vertical-align: top; padding: .12rem .5rem .12rem 0;
         border-bottom: 1px solid #e3e3e3; overflow-wrap: break-word; }
th { font-weight: 600; }
table.counts { width: auto; min-width: 18rem; }
table.attention td:first-child { padding-right: 1.5rem; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
div.summary { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.5fr);
              gap: 1.2rem; margin: .4rem 0; align-items: start; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
blockquote { margin: .25rem 0; padding: 0 0 0 .7rem; border-left: 3px solid #9ab;
             overflow-wrap: break-word; }
blockquote.also { font-size: .85em; }
.cite { color: #444; font-size: .8em; }
p.cite { margin: 0 0 .3rem .8rem; }
.warn { color: #8a2d00; font-weight: 600; }
.rejected { color: #666; text-decoration: line-through; }
ol.events { list-style: none; padding: 0; margin: .2rem 0; }
ol.events li { display: grid; grid-template-columns: 8.5rem 1fr; gap: .6rem; padding: .1rem 0;
               break-inside: avoid; }
ol.events li.future { color: #555; }
ol.commitments { columns: 2; column-gap: 2rem; margin: .2rem 0; padding-left: 1.5rem;
                 font-size: .9em; }
ol.commitments li { break-inside: avoid; }
ol.contents { columns: 2; column-gap: 2rem; padding-left: 1.2rem; font-size: .9em; }
.cover { border-bottom: 2px solid #333; padding-bottom: .8rem; margin-bottom: 1.2rem; }
article.record { border-bottom: 1px solid #bbb; padding: .9rem 0 .6rem; break-inside: avoid; }
article.record .kicker { display: flex; justify-content: space-between; gap: 1rem; }
article.record > header { break-inside: avoid; break-after: avoid; }
h1, h2, h3 { break-after: avoid; }
a { color: inherit; }
@page { size: auto; margin: 16mm 14mm 16mm 14mm;
  @top-left { content: RUNNING; font: 8pt system-ui, sans-serif; color: #555; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
                  font: 8pt system-ui, sans-serif; color: #555; } }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9pt; }
  a { text-decoration: none; }
  blockquote { border-left-color: #789; -webkit-print-color-adjust: exact;
               print-color-adjust: exact; }
  article.record { padding: .5rem 0 .4rem; }
}
"""


def briefing_html(
    report: Report, register: Register, lang: Language, since: dt.date, *, given: bool
) -> str:
    """The whole briefing; `since` starts "what changed" (`given`: by --since, else the
    default, which the cover says)."""
    labels = Labels(register, lang)
    heading = _heading(report)
    where = register.root.name or str(register.root)
    running = css_string(f"{heading} · register {where}")
    parts = [_cover(report, labels, heading, where, since, given=given)]
    attention = _attention(report)
    parts += [_record(a, labels, report.as_of, attention.get(a.id, [])) for a in report.agreements]
    if not report.agreements:
        parts.append('<p class="small">No agreements match the filters given.</p>')
    body = "<main>\n" + "\n".join(parts) + "\n</main>"
    return page(heading, CSS.replace("RUNNING", running), body)


def _heading(report: Report) -> str:
    """The terminal report's heading, word for word (the two must read the same)."""
    from agreement_tracker.output.report import report_heading

    return report_heading(report)


# --- the cover --------------------------------------------------------------------


def _cover(
    report: Report, labels: Labels, heading: str, where: str, since: dt.date, *, given: bool
) -> str:
    """The heading, the register, the counts by status, what changed, and the contents."""
    as_of = report.as_of.isoformat()
    out = ['<header class="cover">', '<p class="kicker">Briefing</p>', f"<h1>{text(heading)}</h1>"]
    out.append(
        f'<p class="small">Register <b>{text(where)}</b> · as of {time(as_of)} · each record '
        "below with the quotes of its sources that prove it.</p>"
    )
    out.append("<h3>By status</h3>")
    rows = "".join(
        f'<tr><td>{text(labels.status(s))}</td><td class="number">{report.by_status[s]}</td></tr>'
        for s in report.statuses
    )
    total = sum(report.by_status.values())
    out.append(
        '<table class="counts"><thead><tr><th scope="col">Status</th>'
        f'<th scope="col" class="number">Agreements</th></tr></thead><tbody>{rows}</tbody>'
        f'<tfoot><tr><th scope="row">Total</th><td class="number">{total}</td></tr></tfoot>'
        "</table>"
    )
    out.append(_attention_table(report))
    default = "" if given else " (the last 90 days: --since gives another day)"
    out.append(
        f'<h3 id="changes">What changed from {text(human_date(since.isoformat()))} to '
        f"{text(human_date(as_of))}{text(default)}</h3>"
    )
    changed = changes(report.agreements, since, report.as_of)
    if changed:
        items = "".join(
            f"<li>{time(e.when)}<span>"
            f'<a href="#{attr(e.agreement.id)}">{text(e.agreement.title.get(labels.lang))}</a>: '
            f"{_event_text(e, labels, cover=True)}</span></li>"
            for e in changed
        )
        out.append(f'<ol class="events changes">{items}</ol>')
    else:
        out.append('<p class="small">No signing, note or review is dated in this period.</p>')
    if report.agreements:
        out.append("<h3>Agreements</h3>")
        items = "".join(
            f'<li><a href="#{attr(a.id)}">{text(a.title.get(labels.lang))}</a></li>'
            for a in report.agreements
        )
        out.append(f'<ol class="contents">{items}</ol>')
    out.append("</header>")
    return "\n".join(out)


def _events(agreements: Iterable[Agreement], as_of: dt.date) -> list[Event]:
    """Signings, notes, term ends, commitments' due days and reviews, in date order; no
    review dated after the report's day (notes after it are already left out)."""
    return [
        e
        for e in timeline(list(agreements), commitments=True)
        if e.kind != "review" or e.date <= as_of
    ]


def _event_text(event: Event, labels: Labels, *, cover: bool = False) -> str:
    """What happened, as HTML: a signing, a note (with the status it set and its source),
    a term's end, a commitment's due day or review."""
    agreement = event.agreement
    if event.kind == "signed":
        return f"signed in {text(agreement.place)}"
    if event.kind == "term ends":
        term = agreement.term
        return f"term ends ({text(f'{term.start}–{term.end}')})" if term else "term ends"
    if event.commitment is not None:
        what = f"commitment {event.number}, “{text(event.commitment.text)}”"
        review = event.review
        if review is None:
            said = f" ({text(event.commitment.due_said)})" if event.commitment.due_said else ""
            return f"due: {what}{said}"
        met = f", met on {time(review.met_on.isoformat())}" if review.met_on else ""
        note = f"; {text(review.note)}" if review.note and not cover else ""
        return f"review: {what} is <b>{text(review.status)}</b>{met}{note}"
    assert event.note is not None
    return _note(event.note, labels, short=cover)


def _note(note: FollowUp, labels: Labels, *, short: bool = False) -> str:
    """A note's text (cut on the cover, whole in the record), the status it set, its author
    and its source (a URL marked unverified)."""
    words = note.text
    if short and len(words) > COVER_NOTE:
        words = words[:COVER_NOTE].rstrip() + "…"
    parts = [text(words)]
    if note.status:
        parts.append(f"→ <b>{text(labels.status(note.status))}</b>")
    if note.author:
        parts.append(f"({text(note.author)})")
    if note.source and not short:
        if labels.register.verifiable(note.source):
            parts.append(f'<span class="small">source: {_source_words(labels, note.source)}</span>')
        else:
            parts.append(f'<span class="small">source: {text(note.source)} (unverified: not a '
                         "registered source)</span>")  # fmt: skip
    if note.quote and not short:
        parts.append(f'<span class="small">quote: “{text(note.quote)}”</span>')
    return " ".join(parts)


def _attention_table(report: Report) -> str:
    """The terminal report's lists of what needs attention, as counts (each record's own
    items are in its block)."""
    disputed = sum(1 for a in report.agreements if a.open_accounts)
    rows = [
        (f"No follow-up for more than {report.stale_after} days", len(report.stale), "agreements"),
        (f"Terms ending within {report.ending_within} days or ended", len(report.ending),
         "agreements"),
        ("Disputed: sources that disagree with the register", disputed, "agreements"),
        ("Overdue commitments", len(report.overdue), "commitments"),
        (f"Commitments due within {report.ending_within} days", len(report.due_soon),
         "commitments"),
        (f"Undated commitments with no review for more than {report.stale_after} days",
         len(report.undated), "commitments"),
    ]  # fmt: skip
    body = "".join(
        f'<tr><td>{text(what)}</td><td class="number">{count}</td><td>{of}</td></tr>'
        for what, count, of in rows
    )
    return f'<h3>Needs attention</h3><table class="counts attention"><tbody>{body}</tbody></table>'


def _attention(report: Report) -> dict[str, list[str]]:
    """For each record, what the report lists it for, as HTML, in the report's order."""
    found: dict[str, list[str]] = {}
    for stale in report.stale:  # its day is in the status line, as the note gives it
        found.setdefault(stale.agreement.id, []).append(f"no follow-up for {stale.days} days")
    for end in report.ending:
        when = time(end.last_day.isoformat())
        said = f"term ended {when}" if end.days_left < 0 else f"term ends {when}"
        found.setdefault(end.agreement.id, []).append(said)
    for promise in report.overdue:
        found.setdefault(promise.agreement.id, []).append(
            f"commitment {promise.number} overdue since {time(promise.day.isoformat())}"
        )
    for promise in report.due_soon:
        found.setdefault(promise.agreement.id, []).append(
            f"commitment {promise.number} due {time(promise.day.isoformat())}"
        )
    quiet: dict[str, int] = {}
    for promise in report.undated:
        quiet[promise.agreement.id] = quiet.get(promise.agreement.id, 0) + 1
    for record, count in quiet.items():
        found.setdefault(record, []).append(
            f"{count} undated commitment{'s' * (count != 1)} with no review for more than "
            f"{report.stale_after} days"
        )
    return found


# --- a record ---------------------------------------------------------------------


def _record(agreement: Agreement, labels: Labels, as_of: dt.date, attention: list[str]) -> str:
    """One record as a reader needs it, in one block that printing keeps on one page."""
    lang = labels.lang
    title = agreement.title.get(lang)
    title_lang = lang if title == agreement.title.by_lang.get(lang) else "en"
    disputed = {a.field for a in agreement.open_accounts}
    kind = text(labels.kind(agreement.kind))
    if "kind" in disputed:
        kind += ' <span class="warn">(disputed: see below)</span>'
    out = [f'<article class="record" id="{attr(agreement.id)}">', "<header>"]
    sectors = text(", ".join(labels.sector(s) for s in agreement.sectors))
    out.append(f'<p class="kicker"><span>{kind} · {sectors}</span>'
               f'<span class="id">{text(agreement.id)}</span></p>')  # fmt: skip
    out.append(f'<h2 lang="{attr(title_lang)}">{text(title)}</h2>')
    out.append("</header>")
    out.append('<div class="summary">')
    out.append(_facts(agreement, labels, disputed, attention))
    out.append(_parties(agreement, labels))
    out.append("</div>")
    out.append(_proof(agreement, labels))
    if agreement.accounts:
        out.append(_accounts(agreement, labels))
    if agreement.commitments:
        out.append(_commitments(agreement, as_of))
    out.append("<h3>Timeline</h3>")
    events = _events([agreement], as_of)
    items = "".join(
        f"<li{FUTURE if e.date > as_of else ''}>{time(e.when)}"
        f"<span>{_event_text(e, labels)}</span></li>"
        for e in events
    )
    out.append(f'<ol class="events">{items}</ol>' if items else NO_EVENTS)
    out.append(f'<p class="small">Every claim with its quote: <span class="id">agreements show '
               f"{text(agreement.id)} --proof</span></p>")  # fmt: skip
    out.append("</article>")
    return "\n".join(out)


def _commitments(agreement: Agreement, as_of: dt.date) -> str:
    """What the document commits its parties to, numbered as `show` numbers them, each with
    its due date as the source gives it and where it stood on the report's day."""
    items = []
    for commitment in agreement.commitments:
        status = commitment.status(as_of)
        said = [f"due {time(commitment.due)}"] if commitment.due else []
        if status == "overdue":
            said.append('<b class="warn">overdue</b>')
        elif status != "undated" or not said:
            said.append(text(status))
        review = commitment.latest(as_of)
        if review is not None:
            said.append(f"reviewed {time(review.as_of.isoformat())}")
        items.append(f'<li>{text(commitment.text)} <span class="small">({"; ".join(said)})'
                     "</span></li>")  # fmt: skip
    return f'<h3>Commitments</h3><ol class="commitments">{"".join(items)}</ol>'


def _facts(agreement: Agreement, labels: Labels, disputed: set[str], attention: list[str]) -> str:
    """Status with its latest note, what needs attention, date, place, occasion, term."""
    note = _latest_note(agreement)
    status = f"<b>{text(labels.status(agreement.current_status))}</b>"
    if note is not None:
        status += f" · latest note, {time(note.date)}: {_note(note, labels)}"
    else:
        status += ' · <span class="small">no follow-up note yet</span>'
    if agreement.date is not None:
        signed = time(agreement.date)
    elif agreement.signed is not None:
        signed = f"{time(agreement.signed)} (the note that records the signing)"
    else:
        signed = "not yet signed"
    rows = [("Status", status)]
    if attention:
        rows.append(("Attention", '<span class="warn">' + "; ".join(attention) + "</span>"))
    rows += [("Signed", signed), ("Place", text(agreement.place))]
    if agreement.occasion:
        rows.append(("Occasion", text(labels.occasion(agreement.occasion))))
    if agreement.term is not None:
        rows.append(("Term", text(f"{agreement.term.start} – {agreement.term.end}")))
    shown = []
    for name, value in rows:
        field = {"Signed": "date"}.get(name, name.lower())
        if field in disputed:
            value += ' <span class="warn">(disputed: see below)</span>'
        shown.append(f"<dt>{name}</dt><dd>{value}</dd>")
    return '<dl class="facts">' + "".join(shown) + "</dl>"


def _latest_note(agreement: Agreement) -> FollowUp | None:
    """The latest note by date, then by file order (the one a reader asks for first)."""
    dated = [(n.first_day, i, n) for i, n in enumerate(agreement.follow_up)]
    return max(dated, key=lambda d: (d[0], d[1]))[2] if dated else None


def _parties(agreement: Agreement, labels: Labels) -> str:
    """Each party with its side, its part and who signed for it."""
    disputed = {a.field.split(".")[1] for a in agreement.open_accounts
                if a.field.startswith("parties.")}  # fmt: skip
    signers = any(p.signer for p in agreement.parties)  # a column only where one is named
    rows = []
    for index, party in enumerate(agreement.parties):
        role = text(party.role)
        if str(index) in disputed:
            role += ' <span class="warn">(disputed)</span>'
        signer = (text(labels.org(party.signer)) if party.signer else "—") if signers else None
        rows.append(f"<tr><td>{text(party.side or '—')}</td><td>{text(labels.org(party.org))}"
                    f"</td><td>{role}</td>{'' if signer is None else f'<td>{signer}</td>'}"
                    "</tr>")  # fmt: skip
    head = '<th scope="col">Signed by</th>' if signers else ""
    return (
        '<table class="parties"><thead><tr><th scope="col">Side</th>'
        f'<th scope="col">Party</th><th scope="col">Role</th>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _proof(agreement: Agreement, labels: Labels) -> str:
    """The record's quotes, the first (the one that names the document) first, each with
    its source; one not found in its source is said to prove nothing."""
    out = ["<h3>The quote that proves it</h3>"]
    for number, evidence in enumerate(agreement.evidence):
        if number == 1:
            out.append("<h3>Also quoted</h3>")
        out.append(_quote(labels, evidence.source, evidence.quote, lead=number == 0))
        if not _found(labels.register, evidence):
            out.append(NOT_FOUND)
    return "\n".join(out)


def _found(register: Register, evidence: Evidence) -> bool:
    source = register.source_text(evidence.source)
    return source is not None and source.find(evidence.quote) is not None


def _quote(labels: Labels, source_id: str, quote: str, *, lead: bool = False) -> str:
    """A quote in its source's language, then the source it is from."""
    source = labels.register.sources.get(source_id)
    lang = f' lang="{attr(source.lang)}"' if source else ""
    kind = ' class="lead"' if lead else ' class="also"'
    return (
        f"<blockquote{kind}><span{lang}>“{text(quote)}”</span> "
        f'<span class="cite">— {_source_words(labels, source_id)}</span></blockquote>'
    )


def _source_words(labels: Labels, source_id: str) -> str:
    """A source as a reader cites it: title, publisher, date, then its id and URL."""
    source = labels.register.sources.get(source_id)
    if source is None:
        return f'{text(source_id)} <span class="warn">(not a registered source)</span>'
    title = f"“{text(source.title)}”" if source.title != "unknown" else "untitled"
    publisher = text(source.publisher) if source.publisher != "unknown" else "publisher unknown"
    when = time(source.published) if source.published != "unknown" else "undated"
    url = f" · {text(source.url)}" if source.url else ""
    return (
        f'<span lang="{attr(source.lang)}">{title}</span>, {publisher}, {when} '
        f'<span class="id">[{text(source.id)}]</span>{url}'
    )


def _accounts(agreement: Agreement, labels: Labels) -> str:
    """Every account of the record: the field, the register's reading and the other
    source's, each as a label, with the quote that states it."""
    out = ["<h3>Disputed: other sources' readings</h3>"]
    for account in agreement.accounts:
        ours = agreement.reading(account.field)
        state = (
            f' <span class="small">(rejected: {text(account.rejected)})</span>'
            if account.rejected
            else ""
        )
        theirs = _reading(account.field, account.value, labels)
        value = (
            f'<span class="rejected">{theirs}</span>' if account.rejected else f"<b>{theirs}</b>"
        )
        register_says = _reading(account.field, ours, labels) if ours is not None else "—"
        out.append(
            f"<p>{text(_field_name(account))}: the register reads <b>{register_says}</b>; "
            f"{_source_name(labels, account)} reads {value}{state}</p>"
        )
        out.append(_quote(labels, account.source, account.quote))
        if account.note:
            out.append(f'<p class="cite">Note: {text(account.note)}</p>')
    return "\n".join(out)


def _source_name(labels: Labels, account: Account) -> str:
    source = labels.register.sources.get(account.source)
    if source is not None and source.publisher != "unknown":
        return text(source.publisher)
    return f"source {text(account.source)}"


def _field_name(account: Account) -> str:
    """A field as a reader says it: "Kind", "Party 2's signer"."""
    parts = account.field.split(".")
    if parts[0] != "parties":
        return {"date": "Date signed"}.get(parts[0], parts[0].capitalize())
    party = f"Party {int(parts[1]) + 1}"
    return f"{party}'s {parts[2]}" if len(parts) > 2 else party


def _reading(field: str, value: str, labels: Labels) -> str:
    """A field's value as HTML, with the label its registry gives it (a kind's name, an
    organisation's), or the date in words."""
    if field == "kind":
        return text(labels.kind(value))
    if field == "date":
        return text(human_date(value))
    if (field.startswith("parties.") and field.count(".") == 1) or field.endswith(".signer"):
        return text(labels.org(value))
    return text(value)
