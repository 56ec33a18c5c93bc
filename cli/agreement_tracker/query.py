"""Filters over a loaded register, as `agreements list` offers them.

Every text filter folds case, diacritics, white space and hyphen spacing
(see text.fold), so `bo tu phap`, `Bộ Tư pháp` and `justice` all find the
justice programme. Filters combine with AND.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from agreement_tracker.errors import BadArgument
from agreement_tracker.model import Agreement, Kind, Sector, Status
from agreement_tracker.register import Register
from agreement_tracker.text import fold


@dataclass(frozen=True, eq=False, repr=False)
class Filters:
    """What `list` was asked for; empty fields do not filter."""

    orgs: tuple[str, ...] = ()
    sector: str | None = None
    kind: str | None = None
    status: str | None = None
    country: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    query: str | None = None
    disputed: bool = False  # only records with open (not rejected) accounts


def select(register: Register, filters: Filters) -> list[Agreement]:
    """The agreements that pass every filter, by date then id."""
    sectors = _sector_ids(register, filters.sector) if filters.sector else None
    kind = resolve(register.kinds, filters.kind, "kind") if filters.kind else None
    status = resolve(register.statuses, filters.status, "status") if filters.status else None
    country = filters.country.strip().upper() if filters.country else None
    orgs = [fold(text) for text in filters.orgs if text.strip()]
    query = fold(filters.query) if filters.query and filters.query.strip() else None
    names = _party_names(register) if orgs else {}

    chosen = []
    for agreement in register.agreements.values():
        if kind and agreement.kind != kind:
            continue
        if status and agreement.current_status != status:
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
        chosen.append(agreement)
    chosen.sort(key=lambda a: (a.sort_day, a.id))
    return chosen


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
