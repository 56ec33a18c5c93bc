"""For the reader: where in a quote the words stand that prove a claim."""

from __future__ import annotations

import datetime as dt
import re

from agreement_tracker.dates import dates_in
from agreement_tracker.loader import Register
from agreement_tracker.model import Agreement
from agreement_tracker.names import Countries, Parties
from agreement_tracker.proof.claims import Claim, Ref, evidence_of
from agreement_tracker.text import fold_keep_marks, whole_words


def proving_words(
    register: Register, agreement: Agreement, claim: Claim, ref: Ref
) -> list[tuple[int, int]]:
    """Where, in the quote as the record (or its occasion) writes it, the words stand that
    prove `claim`: the party's name, the kind term, the date, the city, the term's years,
    the title. Offsets into the quote, in order; [] where they cannot be placed."""
    evidence = evidence_of(register, agreement, ref)
    if evidence is None or not claim.proven:
        return []
    quote = evidence.quote
    folded = fold_keep_marks(quote)
    head = claim.field.split(".")
    parties = Parties.of(register)
    spans: list[tuple[int, int]] = []
    if head[0] in ("parties", "kind") and ref.occasion is None:
        reading = parties.reading(agreement)
        passage = reading.passages[ref.index]
        if not passage.found:
            return []
        if head[0] == "parties":
            party = agreement.parties[int(head[1])]
            org = register.organisations.get(
                (party.signer if head[-1] == "signer" else party.org) or ""
            )
            found = (
                reading.name_spans(passage, org, (passage.lo, passage.hi), witnesses=True)
                if org is not None
                else []
            )
        else:
            found = [
                part
                for clause, _ in reading.clauses.get(ref.index, [])
                for a, b, kind in clause.kinds
                if kind == agreement.kind and (part := passage.part(a, b))
            ]
        spans = [(a - passage.lo, b - passage.lo) for a, b in found]
    elif head[0] == "date":
        day = _first_day(agreement)
        spans = [m.at for m in dates_in(quote) if day is None or m.on(day) or m.year == day.year]
    elif head[0] == "place":
        city = claim.value.split(",")[0].strip()
        known = parties.countries.place(city)
        words = Countries.place_words(known[0]) if known else [fold_keep_marks(city)]
        spans = [span for word in words for span in whole_words(folded, word)]
    elif head[0] == "term" and agreement.term is not None:
        for year in {str(agreement.term.start)[:4], str(agreement.term.end)[:4]}:
            spans += [m.span() for m in re.finditer(rf"(?<!\d){year}(?!\d)", folded)]
    elif head[0] == "title":
        spans = whole_words(folded, fold_keep_marks(claim.value))
    return _unfold(quote, folded, sorted(set(spans)))


def _first_day(agreement: Agreement) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(agreement.date)) if agreement.date else None
    except ValueError:  # a month or a year: no day to find
        return None


def _unfold(quote: str, folded: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Offsets in the folded quote, moved to the quote as written: folding squeezes white
    space and hyphen spacing, and casefolding lengthens a few letters ("ß")."""
    if len(folded) == len(quote):
        return spans
    moved = []
    at = 0
    for a, b in spans:
        words = folded[a:b].split()
        pattern = r"\s+".join(
            r"\s*-\s*".join(re.escape(piece) for piece in word.split("-")) for word in words
        )
        found = re.compile(pattern, re.IGNORECASE).search(quote, at) if words else None
        if found:
            moved.append(found.span())
            at = found.start()
    return moved
