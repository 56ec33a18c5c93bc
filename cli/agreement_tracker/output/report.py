"""Output of `agreements report` and `agreements timeline`.

The report is a list of sections, each a `Listing`, so a terminal, Markdown
and JSON show the same rows; only the terminal adds bar charts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from agreement_tracker.briefing import Event, Matrix, Report
from agreement_tracker.loader import Register
from agreement_tracker.model import Agreement
from agreement_tracker.output.formats import Listing, emit, markdown_table, markdown_text, to_json
from agreement_tracker.output.listings import Labels, incoming_links, links_both_ways
from agreement_tracker.plain import to_plain
from agreement_tracker.values import Language

if TYPE_CHECKING:
    from rich.console import Console

BAR_WIDTH = 24


def _bar(count: int, largest: int) -> str:
    if largest <= 0 or count <= 0:
        return ""
    return "█" * max(1, round(count * BAR_WIDTH / largest))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _cap(listing: Listing, limit: int) -> Listing:
    """At most `limit` rows (0: all), and a last row saying how many were left out."""
    if limit and len(listing.rows) > limit:
        left_out = len(listing.rows) - limit
        listing.rows = listing.rows[:limit]
        filler = [""] * (len(listing.columns) - 1)
        listing.rows.append([f"… {left_out} more (--rows 0 or --format json shows all)", *filler])
    return listing


def report_sections(
    report: Report, register: Register, lang: Language, bars: bool, limit: int = 0
) -> list[Listing]:
    """The report's tables in reading order (bars only where a terminal shows them).

    Long lists (organisations, stale agreements, ending terms) are cut at
    `limit` rows: a briefing needs the top of them, a script takes the JSON.
    """
    labels = Labels(register, lang)
    sections = []

    by_status = Listing("By status", ["Status", "Agreements"] + ([""] if bars else []))
    largest = max(report.by_status.values(), default=0)
    for status in report.statuses:
        count = report.by_status[status]
        row = [labels.status(status), str(count)] + ([_bar(count, largest)] if bars else [])
        by_status.rows.append(row)
    sections.append(by_status)

    sections.append(_matrix("Sector × status", "Sector", report.by_sector, labels.sector, labels))
    organisations = _matrix(
        "Organisation × status", "Organisation", report.by_organisation, labels.org, labels
    )
    sections.append(_cap(organisations, limit))

    stale = Listing(
        f"No follow-up for more than {report.stale_after} days: {len(report.stale)}",
        ["ID", "Status", "Last activity", "Days"],
        narrow=[("Status", "ID"), ("Days", "Last activity")],
    )
    for item in report.stale:
        stale.rows.append(
            [
                item.agreement.id,
                labels.status(item.agreement.current_status),
                item.last_activity.isoformat(),
                str(item.days),
            ]
        )
    sections.append(_cap(stale, limit))

    ending = Listing(
        f"Terms ending within {report.ending_within} days or ended: {len(report.ending)}",
        ["ID", "Status", "Term ends", "Days left"],
        narrow=[("Status", "ID"), ("Days left", "Term ends")],
    )
    for end in report.ending:
        left = str(end.days_left) if end.days_left >= 0 else f"ended {-end.days_left} days ago"
        ending.rows.append(
            [
                end.agreement.id,
                labels.status(end.agreement.current_status),
                end.last_day.isoformat(),
                left,
            ]
        )
    sections.append(_cap(ending, limit))

    latest = Listing(
        f"Latest notes: {len(report.latest)}",
        ["Date", "ID", "Status", "Note", "Source"],
        narrow=[("Status", "Date"), ("Source", "ID")],
    )
    for agreement, note in report.latest:
        latest.rows.append(
            [
                note.date,
                agreement.id,
                labels.status(note.status) if note.status else "",
                note.text,
                note_source_label(note.source, register),
            ]
        )
    sections.append(latest)
    if report.since is not None:
        changed = timeline_listing(register, report.changes, lang)
        changed.title = (
            f"Changed from {report.since.isoformat()} to {report.as_of.isoformat()}: "
            f"{changed.title}"
        )
        sections.append(_cap(changed, limit))

    disputed = [a for a in report.agreements if a.open_accounts]
    accounts = Listing(
        f"Disputed: {len(disputed)} agreement{'' if len(disputed) == 1 else 's'} with open "
        "accounts",
        ["ID", "Field", "Register", "Account", "Source"],
        narrow=[("Field", "ID"), ("Source", "ID")],
    )
    for agreement in disputed:
        for account in agreement.open_accounts:
            accounts.rows.append(
                [agreement.id, account.field, agreement.reading(account.field) or "—",
                 account.value, account.source]
            )  # fmt: skip
    sections.append(_cap(accounts, limit))
    sections.extend(_cap(listing, limit) for listing in _promise_sections(report))
    return sections


def _promise_sections(report: Report) -> list[Listing]:
    """Overdue commitments, those due soon, and undated ones nobody has reviewed lately."""
    columns = ["ID", "N", "Commitment", "Due", "Days", "Latest review"]
    # On a narrow terminal: the number under the id, the review under the commitment, the
    # days under the date, and the due date under the day it passed.
    narrow: list[tuple[str, str | None]] = [
        ("N", "ID"),
        ("Latest review", "Commitment"),
        ("Days", "Overdue since"),
        ("Days left", "Due"),
        ("Days", "Last word"),
        ("Due", "Overdue since"),
    ]

    def review_of(p: Any) -> str:
        r = p.review
        return f"{r.status} as of {r.as_of.isoformat()}" if r is not None else "none"

    overdue = Listing(
        f"Overdue commitments: {len(report.overdue)}",
        [*columns[:4], "Overdue since", "Days", "Latest review"],
        narrow=narrow,
    )
    for p in report.overdue:
        overdue.rows.append([p.agreement.id, str(p.number), p.commitment.text,
                             p.commitment.due or "", p.day.isoformat(), str(p.days),
                             review_of(p)])  # fmt: skip
    soon = Listing(
        f"Commitments due within {report.ending_within} days: {len(report.due_soon)}",
        [*columns[:4], "Days left", "Latest review"], narrow=narrow,
    )  # fmt: skip
    for p in report.due_soon:
        soon.rows.append([p.agreement.id, str(p.number), p.commitment.text,
                          p.commitment.due or "", str(p.days), review_of(p)])  # fmt: skip
    undated = Listing(
        f"Undated commitments with no review for more than {report.stale_after} days: "
        f"{len(report.undated)}",
        [*columns[:3], "Last word", "Days", "Latest review"], narrow=narrow,
    )  # fmt: skip
    for p in report.undated:
        undated.rows.append([p.agreement.id, str(p.number), p.commitment.text,
                             p.day.isoformat(), str(p.days), review_of(p)])  # fmt: skip
    return [overdue, soon, undated]


def _promise_json(items: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": p.agreement.id,
            "number": p.number,
            "text": p.commitment.text,
            "type": p.commitment.type,
            "due": p.commitment.due,
            "day": p.day.isoformat(),
            "days": p.days,
            "review": to_plain(p.review, exclude_none=True) if p.review else None,
        }
        for p in items
    ]


def _matrix(title: str, head: str, matrix: Matrix, name: Any, labels: Labels) -> Listing:
    listing = Listing(title, [head, *(labels.status(s) for s in matrix.statuses), "Total"])
    for row, counts in matrix.rows:
        listing.rows.append(
            [
                name(row),
                *(str(counts[s]) if counts[s] else "·" for s in matrix.statuses),
                str(counts.total()),
            ]
        )
    return listing


def report_heading(report: Report) -> str:
    return (
        f"Report as of {report.as_of.isoformat()} · {_plural(len(report.agreements), 'agreement')}"
    )


def print_report(
    report: Report, register: Register, lang: Language, out: Console, limit: int = 0
) -> None:
    """The report on a terminal (or recorded for --svg/--html)."""
    from rich.text import Text

    from agreement_tracker.text import visible

    out.print(Text(report_heading(report), style="bold"))
    for section in report_sections(report, register, lang, bars=True, limit=limit):
        out.print()
        if section.rows:
            emit(section, "table", out)
        else:
            out.print(Text(visible(section.title, line=True), style="italic"))
            out.print(Text("  none"))


def report_markdown(report: Report, register: Register, lang: Language, limit: int = 0) -> str:
    """The report for a briefing: a heading, then one Markdown table per section."""
    parts = [f"# {report_heading(report)}\n"]
    for section in report_sections(report, register, lang, bars=False, limit=limit):
        parts.append(f"## {markdown_text(section.title)}\n")
        parts.append(markdown_table(section.columns, section.rows) if section.rows else "None.\n")
    return "\n".join(parts)


def report_json(report: Report, register: Register) -> str:
    """The report for scripts: ids, counts and dates, no display names but status names."""

    def counts(matrix: Matrix, key: str) -> list[dict[str, Any]]:
        return [
            {
                key: row,
                "total": c.total(),
                "by_status": {s: c[s] for s in matrix.statuses if c[s]},
            }
            for row, c in matrix.rows
        ]

    data = {
        "as_of": report.as_of.isoformat(),
        "agreements": len(report.agreements),
        "by_status": {s: report.by_status[s] for s in report.statuses},
        "by_sector": counts(report.by_sector, "sector"),
        "by_organisation": counts(report.by_organisation, "organisation"),
        "stale": {
            "after_days": report.stale_after,
            "agreements": [
                {
                    "id": s.agreement.id,
                    "status": s.agreement.current_status,
                    "last_activity": s.last_activity.isoformat(),
                    "days": s.days,
                }
                for s in report.stale
            ],
        },
        "ending": {
            "within_days": report.ending_within,
            "agreements": [
                {
                    "id": e.agreement.id,
                    "status": e.agreement.current_status,
                    "term_ends": e.last_day.isoformat(),
                    "days_left": e.days_left,
                }
                for e in report.ending
            ],
        },
        "latest_notes": [
            {"id": a.id, **to_plain(n, exclude_none=True), "verified": verified(n, register)}
            for a, n in report.latest
        ],
        **_changes_json(report, register),
        "disputed": [a.id for a in report.agreements if a.open_accounts],
        "commitments": {
            "overdue": _promise_json(report.overdue),
            "due_within_days": report.ending_within,
            "due_soon": _promise_json(report.due_soon),
            "undated_after_days": report.stale_after,
            "undated": _promise_json(report.undated),
        },
    }
    return to_json(data)


# --- timeline -----------------------------------------------------------------------


def _changes_json(report: Report, register: Register) -> dict[str, Any]:
    """`changes` of `report --since` for scripts: the period and its events as `timeline`
    gives them; no key when --since was not given."""
    if report.since is None:
        return {}
    incoming = incoming_links(register)
    events = [_event_json(e, incoming) for e in report.changes]
    return {"changes": {"since": report.since.isoformat(), "events": events}}


def timeline_listing(register: Register, events: list[Event], lang: Language) -> Listing:
    """`agreements timeline`: one row per event; JSON keeps notes whole."""
    labels = Labels(register, lang)
    incoming = incoming_links(register)
    records: list[dict[str, Any]] = []
    listing = Listing(
        _plural(len(events), "event"),
        ["Date", "Event", "ID", "Status", "Detail"],
        records=records,
        narrow=[("Event", "Date"), ("Status", "Date"), ("ID", "Date")],
    )
    for event in events:
        listing.rows.append(
            [
                event.when,
                event.kind,
                event.agreement.id,
                _event_status(event, labels),
                _event_detail(event, incoming, lang),
            ]
        )
        records.append(_event_json(event, incoming))
    return listing


def _event_status(event: Event, labels: Labels) -> str:
    if event.review is not None:
        return event.review.status
    if event.kind == "signed":
        return labels.status(event.agreement.status)
    if event.note is not None and event.note.status:
        return "→ " + labels.status(event.note.status)
    return ""


def _event_detail(event: Event, incoming: dict[str, list[tuple[str, str]]], lang: Language) -> str:
    agreement: Agreement = event.agreement
    if event.kind == "signed":
        links = "".join(f"; {r} {o}" for r, o in links_both_ways(agreement, incoming))
        return f"{agreement.title.get(lang)} ({agreement.place}){links}"
    if event.kind == "term ends":
        return f"term {agreement.term.start}–{agreement.term.end}" if agreement.term else ""
    if event.commitment is not None:
        said = f" ({event.commitment.due_said})" if event.commitment.due_said else ""
        detail = f"commitment {event.number}: {event.commitment.text}"
        if event.review is not None:
            met = f", met on {event.review.met_on}" if event.review.met_on else ""
            note = f"; {event.review.note}" if event.review.note else ""
            return f"{detail}{met}{note}"
        return f"{detail}, due {event.commitment.due}{said}"
    assert event.note is not None
    by = f" ({event.note.author})" if event.note.author else ""
    return event.note.text + by


def _event_json(event: Event, incoming: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": event.when,
        "event": event.kind,
        "id": event.agreement.id,
    }
    if event.kind == "signed":
        data["status"] = event.agreement.status
        data["place"] = event.agreement.place
        data["links"] = [
            {"relation": r, "id": o} for r, o in links_both_ways(event.agreement, incoming)
        ]
    if event.note is not None:
        data["note"] = to_plain(event.note, exclude_none=True)
    if event.kind == "term ends" and event.agreement.term is not None:
        data["term"] = to_plain(event.agreement.term)
    if event.commitment is not None:
        data["commitment"] = {"number": event.number, "text": event.commitment.text,
                              "due": event.commitment.due}  # fmt: skip
    if event.review is not None:
        data["review"] = to_plain(event.review, exclude_none=True)
    return data


def terminal_view_svg(draw: Callable[[Console], None]) -> str:
    """What `draw` prints, drawn into a recording console and returned as SVG: the text
    of a file, which the command writes through the store's one rule for output files."""
    import io

    from rich.console import Console

    recorder = Console(
        file=io.StringIO(), record=True, width=110, highlight=False, emoji=False, markup=False
    )
    draw(recorder)
    return recorder.export_svg(title="agreements report", clear=False)


def verified(note: Any, register: Register) -> bool:
    """A note whose source is a registered text: one a reader can check here."""
    return register.verifiable(note.source)


def note_source_label(source: str | None, register: Register) -> str:
    """A note's source as a briefing shows it: a URL alone is marked unverified."""
    if source is None:
        return ""
    return source if register.verifiable(source) else f"{source} (unverified)"
