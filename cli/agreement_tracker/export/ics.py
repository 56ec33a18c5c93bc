"""`agreements export ics`: one calendar event per dated commitment still open, for a
calendar application.

The file is made by the `icalendar` library (RFC 5545: line folding, escaping, the
properties a calendar requires), never by hand. Each event lasts the due day (all day),
its UID is the commitment's id in the register (`RECORD/N`), and DTSTAMP is the day the
export is made as of, so the same --as-of gives the same file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from agreement_tracker import __version__
from agreement_tracker.export import require
from agreement_tracker.loader import Register
from agreement_tracker.model import Agreement


def open_dated(agreements: list[Agreement], as_of: dt.date) -> list[tuple[Agreement, int, Any]]:
    """Each dated commitment that no review dated by `as_of` says met, with its number."""
    chosen = []
    for agreement in agreements:
        for number, commitment in enumerate(agreement.commitments, start=1):
            review = commitment.latest(as_of)
            if commitment.due is not None and (review is None or review.status != "met"):
                chosen.append((agreement, number, commitment))
    return chosen


def build(register: Register, agreements: list[Agreement], as_of: dt.date) -> bytes:
    """The calendar's bytes: one all-day VEVENT per open dated commitment."""
    icalendar = require("icalendar", "icalendar")
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//agreement-tracker {__version__}//commitments//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Commitments of the agreements register")
    stamp = dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=dt.UTC)
    for agreement, number, commitment in open_dated(agreements, as_of):
        due = commitment.due_day
        event = icalendar.Event()
        event.add("uid", f"{agreement.id}/{number}@agreements")
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due + dt.timedelta(days=1))
        event.add("summary", f"Due: {commitment.text} ({agreement.id})")
        source = register.sources.get(commitment.source)
        said = f" ({commitment.due_said})" if commitment.due_said else ""
        event.add(
            "description",
            f"{agreement.title.en}\n"
            f"Commitment {number}, due {commitment.due}{said}.\n"
            f"“{commitment.quote}” — {source.title if source else commitment.source}",
        )
        if source is not None and source.url:
            event.add("url", source.url)
        event.add("categories", [commitment.type])
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
