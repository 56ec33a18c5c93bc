"""Filters over a loaded register, as `agreements list` offers them.

Every text filter folds case, diacritics, white space and hyphen spacing
(see text.fold), so `bo tu phap`, `Bộ Tư pháp` and `justice` all find the
justice programme. Filters combine with AND.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from agreement_tracker.errors import BadArgument
from agreement_tracker.text import fold

if TYPE_CHECKING:
    from agreement_tracker.loader import Register
    from agreement_tracker.model import Agreement, Kind, Sector, Status


# The filters in the order `explain_empty` names them.
_FILTERS = (
    "orgs", "sector", "kind", "statuses", "country", "since", "until", "query", "disputed",
    "overdue",
)  # fmt: skip


class Filters:
    """What `list` was asked for; empty fields do not filter.

    A plain class, not a dataclass, which would compile its methods on every start.
    """

    __slots__ = _FILTERS

    def __init__(
        self,
        orgs: tuple[str, ...] = (),
        sector: str | None = None,
        kind: str | None = None,
        statuses: tuple[str, ...] = (),  # any of them; "open" is every non-final status
        country: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        query: str | None = None,
        disputed: bool = False,  # only records with open (not rejected) accounts
        overdue: dt.date | None = None,  # only records with a commitment overdue that day
    ) -> None:
        self.orgs = orgs
        self.sector = sector
        self.kind = kind
        self.statuses = statuses
        self.country = country
        self.since = since
        self.until = until
        self.query = query
        self.disputed = disputed
        self.overdue = overdue


def select(register: Register, filters: Filters) -> list[Agreement]:
    """The agreements that pass every filter, by date then id."""
    sectors = _sector_ids(register, filters.sector) if filters.sector else None
    kind = resolve(register.kinds, filters.kind, "kind") if filters.kind else None
    statuses = _statuses(register, filters.statuses)
    country = filters.country.strip().upper() if filters.country else None
    orgs = [fold(text) for text in filters.orgs if text.strip()]
    query = fold(filters.query) if filters.query and filters.query.strip() else None
    names = _party_names(register) if orgs else {}

    chosen = []
    for agreement in register.agreements.values():
        if kind and agreement.kind != kind:
            continue
        if statuses is not None and agreement.current_status not in statuses:
            continue
        if sectors is not None and not sectors.intersection(agreement.sectors):
            continue
        if country and not any(p.side == country for p in agreement.parties):
            continue
        # A record dated only 2025-05 is within --since 2025-05-20: some day of it is.
        if filters.since and (agreement.last_day is None or agreement.last_day < filters.since):
            continue
        if filters.until and (agreement.first_day is None or agreement.first_day > filters.until):
            continue
        if orgs and not all(
            any(term in names.get(p.org, "") for p in agreement.parties) for term in orgs
        ):
            continue
        if query and query not in _searchable(agreement):
            continue
        if filters.disputed and not agreement.open_accounts:
            continue
        day = filters.overdue
        if day is not None and not any(c.overdue(day) for c in agreement.commitments):
            continue
        chosen.append(agreement)
    chosen.sort(key=lambda a: (a.sort_day, a.id))
    return chosen


def _statuses(register: Register, given: tuple[str, ...]) -> set[str] | None:
    """The status ids asked for: ids, names or "open" (every status not final)."""
    if not given:
        return None
    chosen: set[str] = set()
    for value in given:
        if fold(value) == "open":
            chosen |= {s.id for s in register.statuses.values() if not s.final}
        else:
            chosen.add(resolve(register.statuses, value, "status"))
    return chosen


# What `--sort KEY` orders by. Undated records sort last by date; records without notes
# first by last note.
_SORTS: dict[str, Callable[[Agreement], Any]] = {
    "date": lambda a: a.sort_day,
    "id": lambda a: a.id,
    "kind": lambda a: a.kind,
    "status": lambda a: a.current_status,
    "title": lambda a: fold(a.title.en),
    "last-note": lambda a: max((n.first_day for n in a.follow_up), default=dt.date.min),
}
SORT_KEYS = tuple(_SORTS)  # `--sort`'s choices


def sort_key(key: str) -> Callable[[Agreement], tuple]:
    """How `--sort KEY` orders records; ties by date, then id."""
    first = _SORTS[key]
    return lambda a: (first(a), a.sort_day, a.id)


def _party_names(register: Register) -> dict[str, str]:
    """Organisation id -> every name and alias, folded, in one string to search."""
    return {
        org.id: "\n".join(fold(name) for name in org.all_names())
        for org in register.organisations.values()
    }


def _searchable(agreement: Agreement) -> str:
    texts = [agreement.id, *agreement.title.all()]
    texts += [e.quote for e in agreement.evidence]
    texts += [n.text for n in agreement.follow_up]
    return "\n".join(fold(t) for t in texts)


def resolve(
    table: dict[str, Kind] | dict[str, Status] | dict[str, Sector], given: str, what: str
) -> str:
    """A registry id from an id, a name or a term (`MoU`, `dầu khí`), folded."""
    if given in table:
        return given
    wanted = fold(given)
    for entry in table.values():
        words = [entry.id, *entry.name.all()]
        terms = getattr(entry, "terms", None)
        if terms is not None:
            words += terms.all()
        if wanted in {fold(w) for w in words}:
            return entry.id
    raise BadArgument(f"unknown {what} {given!r}; choose one of: {', '.join(sorted(table))}")


def _sector_ids(register: Register, given: str) -> set[str]:
    return register.sector_and_descendants(resolve(register.sectors, given, "sector"))


def explain_empty(register: Register, filters: Filters) -> str:
    """Why nothing matched: each filter with how many records it finds alone, and for a
    name that finds none, the nearest names the register knows."""
    from agreement_tracker.suggest import close_matches

    parts = []
    every = Filters()
    for name in _FILTERS:
        value = getattr(filters, name)
        if value == getattr(every, name) or name == "orgs":
            continue
        alone = len(select(register, Filters(**{name: value})))
        shown = ", ".join(value) if isinstance(value, tuple) else value
        flag = {"statuses": "--status", "query": "-q"}.get(name, "--" + name)
        if name == "overdue":  # a flag read on a day: say which
            parts.append(f"--overdue on {shown}: {alone} alone")
            continue
        parts.append(f"{flag}: {alone}" if value is True else f"{flag} {shown}: {alone} alone")
    for text in filters.orgs:
        alone = len(select(register, Filters(orgs=(text,))))
        part = f"--org {text}: {alone} alone"
        if not alone:
            names = {n for o in register.organisations.values() for n in o.all_names()}
            close = close_matches(fold(text), {fold(n): n for n in names}, cutoff=0.6)
            originals = {fold(n): n for n in names}
            if close:
                part += f" (did you mean {', '.join(repr(originals[c]) for c in close)}?)"
        parts.append(part)
    return "No agreement matches all of these filters. " + "; ".join(parts) + "."
