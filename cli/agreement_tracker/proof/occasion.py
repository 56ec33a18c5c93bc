"""An occasion proves its own start, end and place with its own quotes."""

from __future__ import annotations

import datetime as dt

from agreement_tracker.dates import dates_in, spans_in
from agreement_tracker.loader import Register
from agreement_tracker.model import Occasion
from agreement_tracker.names import Countries, Parties
from agreement_tracker.proof.claims import Claim, Ref, unique_refs
from agreement_tracker.store.location import REGISTRY_DIR
from agreement_tracker.text import fold_keep_marks, whole_words


def prove_occasion(register: Register, occasion: Occasion) -> list[Claim]:
    """An occasion proves its own start, end and place with its own quotes."""
    quotes = [e.quote for e in occasion.evidence]
    start, end = occasion.start, occasion.end or occasion.start
    claims = []
    year_ref = occasion_year(occasion)
    for field, day in (("start", start), ("end", occasion.end)):
        if day is None:
            continue
        ref = day_month_ref(occasion, quotes, day, field)
        if ref is None:
            claims.append(
                Claim(field, day.isoformat(), (field,), code="unproven-occasion",
                      message=f"occasion {occasion.id!r}: no quote of it states its {field}, "
                      f"{day.day}/{day.month} (a date such as 7/5 or a span such as 7-8/5): "
                      "quote the passage that gives it, or correct the occasion")
            )  # fmt: skip
        elif year_ref is None:
            claims.append(
                Claim(field, day.isoformat(), (field,), code="unproven-occasion",
                      message=f"occasion {occasion.id!r}: no quote of it states the year "
                      f"{day.year}: quote a full date within {start}–{end}, such as a "
                      "dateline of a report written during it")
            )  # fmt: skip
        else:
            joint = (year_ref,) if year_ref != ref else ()
            claims.append(
                Claim(field, day.isoformat(), (field,), unique_refs(ref, year_ref), joint=joint)
            )
    city, _, country = (part.strip() for part in occasion.place.partition(","))
    countries = Parties.of(register).countries
    known = countries.place(city)
    if known is not None and country and "," not in country and " and " not in country:
        own = register.countries[known[1]].name.en
        if fold_keep_marks(country) not in countries.words.get(known[1], []):
            claims.append(
                Claim("place", occasion.place, ("place",), code="unproven-occasion",
                      message=f"occasion {occasion.id!r}: {city} is in {own} "
                      f'({REGISTRY_DIR}/countries.yaml), not {country}: write "{city}, {own}"')
            )  # fmt: skip
            return claims
    spellings = Countries.place_words(known[0]) if known else [fold_keep_marks(city)]
    ref = next(
        (
            Ref(occasion.id, i)
            for i, q in enumerate(quotes)
            if any(whole_words(fold_keep_marks(q), w) for w in spellings)
        ),
        None,
    )
    claims.append(
        Claim("place", occasion.place, ("place",), (ref,) if ref else (),
              code=None if ref else "unproven-occasion",
              message=None if ref else f"occasion {occasion.id!r}: no quote of it names "
              f"{city!r}: quote the passage that names it, or correct the occasion's place")
    )  # fmt: skip
    return claims


def occasion_year(occasion: Occasion) -> Ref | None:
    """The quote that gives an occasion its year: a full date within its span."""
    start, end = occasion.start, occasion.end or occasion.start
    for i, evidence in enumerate(occasion.evidence):
        for mention in dates_in(evidence.quote):
            full = mention.full()
            if full is not None and start <= full <= end:
                return Ref(occasion.id, i)
    return None


def day_month_ref(occasion: Occasion, quotes: list[str], day: dt.date, field: str) -> Ref | None:
    for i, quote in enumerate(quotes):
        for first, last in spans_in(quote):
            mention = first if field == "start" else last
            if mention.on(day):
                return Ref(occasion.id, i)
        if any(m.on(day) for m in dates_in(quote)):
            return Ref(occasion.id, i)
    return None
