"""What a briefing needs, computed from the register: counts, gaps and events.

Everything is computed "as of" a date: agreements signed later and notes
dated later are left out, so a report for the end of a quarter reads the same
whenever it is run, and tests fix the date instead of the clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from agreement_tracker.loader import Register
from agreement_tracker.model import Agreement, Commitment, FollowUp, Review


def as_of(agreements: list[Agreement], date: dt.date) -> list[Agreement]:
    """The agreements signed by `date`, each with only the notes dated by then."""
    seen = []
    for agreement in agreements:
        if agreement.first_day is not None and agreement.first_day > date:
            continue
        notes = [n for n in agreement.follow_up if n.first_day <= date]
        if len(notes) != len(agreement.follow_up):
            agreement = replace(agreement, follow_up=notes)
        seen.append(agreement)
    return seen


@dataclass(frozen=True, eq=False, repr=False)
class Matrix:
    """Counts of agreements per row (a sector, an organisation) and current status."""

    statuses: list[str]
    rows: list[tuple[str, Counter[str]]]


@dataclass(frozen=True, eq=False, repr=False)
class Stale:
    """An open agreement with no follow-up for longer than the threshold."""

    agreement: Agreement
    last_activity: dt.date
    days: int


@dataclass(frozen=True, eq=False, repr=False)
class Ending:
    """An open agreement whose term ends soon or has ended (days_left < 0)."""

    agreement: Agreement
    last_day: dt.date
    days_left: int


@dataclass(frozen=True, eq=False, repr=False)
class Promise:
    """A commitment of an agreement as of the report's day: overdue (days past its due day),
    due soon (days left), or undated (days since the last word on it)."""

    agreement: Agreement
    number: int  # as `show` numbers them, from 1
    commitment: Commitment
    review: Review | None  # the latest review by the report's day
    day: dt.date  # the due day, or for an undated one the last word on it
    days: int


@dataclass(frozen=True, eq=False, repr=False)
class Report:
    """The briefing: counts, a sector × status matrix, what needs attention, latest notes."""

    as_of: dt.date
    agreements: list[Agreement]
    statuses: list[str]  # the registry's order
    by_status: Counter[str]
    by_sector: Matrix
    by_organisation: Matrix
    stale_after: int
    stale: list[Stale]
    ending_within: int
    ending: list[Ending]
    latest: list[tuple[Agreement, FollowUp]] = field(default_factory=list)
    # What changed from `since` to the report's day (`report --since`): signings, notes
    # and commitment reviews. None: not asked.
    since: dt.date | None = None
    changes: list[Event] = field(default_factory=list)
    overdue: list[Promise] = field(default_factory=list)
    due_soon: list[Promise] = field(default_factory=list)
    undated: list[Promise] = field(default_factory=list)


def build_report(
    register: Register,
    agreements: list[Agreement],
    *,
    today: dt.date,
    stale_after: int = 90,
    ending_within: int = 180,
    latest: int = 5,
    since: dt.date | None = None,
) -> Report:
    """Compute the report over `agreements` (already filtered) as of `today`, and what
    changed from `since` where it is given."""
    agreements = as_of(agreements, today)
    by_status = Counter(a.current_status for a in agreements)
    # The registry's order; a status it lacks (a finding of its own) goes last.
    statuses = [s for s in register.statuses if by_status[s]]
    statuses += sorted(set(by_status) - set(register.statuses))
    final = {s.id for s in register.statuses.values() if s.final}
    open_ = [a for a in agreements if a.current_status not in final]

    stale = [
        Stale(a, last, (today - last).days)
        for a in open_
        if (last := a.last_activity) is not None and (today - last).days > stale_after
    ]
    stale.sort(key=lambda s: (-s.days, s.agreement.id))
    ending = [
        Ending(a, a.term.last_day(), (a.term.last_day() - today).days)
        for a in open_
        if a.term is not None and (a.term.last_day() - today).days <= ending_within
    ]
    ending.sort(key=lambda e: (e.last_day, e.agreement.id))
    notes = [(a, n) for a in agreements for n in a.follow_up]
    notes.sort(key=lambda an: (an[1].first_day, an[0].id), reverse=True)

    return Report(
        as_of=today,
        agreements=agreements,
        statuses=statuses,
        by_status=by_status,
        by_sector=_matrix(statuses, agreements, lambda a: a.sectors),
        by_organisation=_matrix(
            statuses,
            agreements,
            lambda a: list(dict.fromkeys(p.org for p in a.parties if p.role != "witness")),
        ),
        stale_after=stale_after,
        stale=stale,
        ending_within=ending_within,
        ending=ending,
        latest=notes[:latest],
        since=since,
        changes=changes(agreements, since, today) if since is not None else [],
        **promises(agreements, today, due_within=ending_within, quiet_after=stale_after),
    )


def promises(
    agreements: list[Agreement], today: dt.date, *, due_within: int, quiet_after: int
) -> dict[str, list[Promise]]:
    """The commitments a briefing lists as of `today`, from the reviews dated by then:
    overdue (its due day has passed and no review says met), due within `due_within`
    days, and undated with no review for more than `quiet_after` days (counted from the
    signing where none). A met commitment is listed nowhere."""
    overdue, due_soon, undated = [], [], []
    for agreement in agreements:
        for number, commitment in enumerate(agreement.commitments, start=1):
            review = commitment.latest(today)
            if review is not None and review.status == "met":
                continue
            due = commitment.due_day
            if due is not None and due < today:
                overdue.append(Promise(agreement, number, commitment, review, due,
                                       (today - due).days))  # fmt: skip
            elif due is not None and (due - today).days <= due_within:
                due_soon.append(Promise(agreement, number, commitment, review, due,
                                        (due - today).days))  # fmt: skip
            elif due is None:
                last = review.as_of if review is not None else agreement.first_day
                if last is not None and (today - last).days > quiet_after:
                    undated.append(Promise(agreement, number, commitment, review, last,
                                           (today - last).days))  # fmt: skip
    overdue.sort(key=lambda p: (p.day, p.agreement.id, p.number))
    due_soon.sort(key=lambda p: (p.day, p.agreement.id, p.number))
    undated.sort(key=lambda p: (-p.days, p.agreement.id, p.number))
    return {"overdue": overdue, "due_soon": due_soon, "undated": undated}


def has_overdue(agreement: Agreement, today: dt.date) -> bool:
    """Whether a commitment of the agreement is overdue on `today` (`list --overdue`)."""
    return any(c.overdue(today) for c in agreement.commitments)


def _matrix(
    statuses: list[str], agreements: list[Agreement], rows_of: Callable[[Agreement], list[str]]
) -> Matrix:
    counts: dict[str, Counter[str]] = {}
    for agreement in agreements:
        for row in rows_of(agreement):
            counts.setdefault(row, Counter())[agreement.current_status] += 1
    ordered = sorted(counts.items(), key=lambda rc: (-sum(rc[1].values()), rc[0]))
    return Matrix(statuses, ordered)


# --- timeline ---------------------------------------------------------------------

EventKind = Literal["signed", "note", "term ends", "review", "due"]
_ORDER = {"signed": 0, "note": 1, "term ends": 2, "review": 3, "due": 4}


@dataclass(frozen=True, eq=False, repr=False)
class Event:
    """One dated thing that happened (or will) to an agreement."""

    date: dt.date
    kind: EventKind
    agreement: Agreement
    note: FollowUp | None = None
    # The date as the source gives it (a note or a record may say only 2025-07) and the
    # last day it may mean, which --since compares with.
    given: str | None = None
    until: dt.date | None = None
    # A commitment's due day or review: which one (as `show` numbers them, from 1).
    commitment: Commitment | None = None
    number: int = 0
    review: Review | None = None

    @property
    def last_day(self) -> dt.date:
        """A date of a month or year reaches to the end of it (for --since)."""
        return self.until or self.date

    @property
    def when(self) -> str:
        """The date as the source gives it."""
        return self.given or self.date.isoformat()


def timeline(
    agreements: list[Agreement],
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    commitments: bool = False,
) -> list[Event]:
    """Signings, notes and term ends in date order, within [since, until] where given;
    with `commitments`, each commitment's due day and reviews too."""
    events: list[Event] = []
    for agreement in agreements:
        if commitments:
            events += commitment_events(agreement)
        if agreement.date is not None and agreement.first_day and agreement.last_day:
            events.append(Event(agreement.first_day, "signed", agreement, None,
                                agreement.date, agreement.last_day))  # fmt: skip
        events += [
            Event(n.first_day, "note", agreement, n, n.date, n.last_day)
            for n in agreement.follow_up
        ]
        if agreement.term is not None:
            events.append(Event(agreement.term.last_day(), "term ends", agreement))
    events = [
        e
        for e in events
        if (since is None or e.last_day >= since) and (until is None or e.date <= until)
    ]
    # Notes of one day keep their file order (sort is stable).
    events.sort(key=lambda e: (e.date, _ORDER[e.kind], e.agreement.id))
    return events


# What a briefing reports as a change: something that happened, not a day that came.
CHANGES = ("signed", "note", "review")


def changes(agreements: list[Agreement], since: dt.date, as_of: dt.date) -> list[Event]:
    """Signings, notes and commitment reviews dated from `since` to `as_of` (a note of a
    month that reaches into the period counts), in date order."""
    return [e for e in timeline(agreements, since, as_of, commitments=True) if e.kind in CHANGES]


def commitment_events(agreement: Agreement) -> list[Event]:
    """A record's commitments on a timeline: each review on its day, each due date on the
    last day it means (due 2025-11: 30 November), as the source gives it."""
    events = []
    for number, c in enumerate(agreement.commitments, start=1):
        if c.due is not None and (due := c.due_day) is not None:
            events.append(Event(due, "due", agreement, None, c.due, due, c, number))
        for review in c.reviews:
            events.append(Event(review.as_of, "review", agreement, None, None, None, c, number,
                                review))  # fmt: skip
    return events
