"""Every claim of a record (its parties, kind, date, place, term, title and notes),
each proven by the clause about its document, and every quote proving something."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from agreement_tracker.dates import (
    WEEKDAY_EN,
    dates_in,
    months_in,
    weekday_beside,
    weekday_means,
    year_in,
)
from agreement_tracker.loader import Register
from agreement_tracker.mentions import TODAY, has_word, sentence_bounds, yesterday_words
from agreement_tracker.model import Agreement, Occasion
from agreement_tracker.names import Parties
from agreement_tracker.proof.claims import Claim, Ref, refs_of, unique_refs
from agreement_tracker.proof.occasion import day_month_ref, occasion_year, prove_occasion
from agreement_tracker.proof.parties import party_claims
from agreement_tracker.proof.reading import Reading
from agreement_tracker.proof.titles import title_claims
from agreement_tracker.store.location import REGISTRY_DIR
from agreement_tracker.text import fold_keep_marks, whole_words
from agreement_tracker.values import period


def prove_record(
    register: Register, agreement: Agreement, parties: Parties | None = None
) -> list[Claim]:
    """Every claim of a record, each with every quote that proves it or the reason none does.

    Each quote is read in its sentence (`Reading`): what the record says of its
    document is proven only by the clause about that document; time, place and
    witnesses also by what the sentence shares.
    """
    parties = parties or Parties.of(register)
    reading = parties.reading(agreement)
    occasion = register.occasions.get(agreement.occasion or "")
    claims: list[Claim] = []
    for p, party in enumerate(agreement.parties):
        org = register.organisations.get(party.org)
        if org is None:
            continue  # an unknown organisation is a finding of its own
        claims.extend(party_claims(reading, p, party, org))
    claims.append(_kind_claim(reading))
    claims.append(_date_claim(register, agreement, reading, occasion))
    claims.append(_place_claim(reading, occasion))
    if agreement.term:
        claims.append(_term_claim(reading))
    claims.extend(title_claims(reading))
    claims.extend(_support_claims(reading, claims))
    claims.extend(_note_claims(reading))
    return claims


def _note_claims(reading: Reading) -> list[Claim]:
    """A follow-up note's quote reports what followed the signing: it names the document
    or its parties, and is not the signing passage the record already quotes (except the
    note that records a planned document's signing)."""
    register, agreement = reading.register, reading.agreement
    claims = []
    own: dict[str, Any] = {}
    for e in agreement.evidence:
        text = register.source_text(e.source)
        span = text.find(e.quote) if text else None
        if span is not None:
            own.setdefault(e.source, []).append((span.start, span.end))
    # Witnesses (heads of state) are named in everything they do: a sentence naming only
    # them is not about this document.
    orgs = [register.organisations[p.org] for p in agreement.parties
            if p.org in register.organisations and p.role != "witness"]  # fmt: skip
    kind = register.kinds.get(agreement.kind)
    for n, note in enumerate(agreement.follow_up):
        if not note.quote or not note.source or note.status == "signed":
            continue
        text = register.source_text(note.source)
        span = text.find(note.quote) if text else None
        if text is None or span is None:
            continue  # not found or not verifiable: findings of their own
        path = ("follow_up", n, "quote")
        if any(a < span.end and span.start < b for a, b in own.get(note.source, [])):
            claims.append(
                Claim(f"follow_up.{n}", note.text, path, code="note-quote-is-the-signing",
                      message=f"note {n + 1} quotes the passage about the signing, which the "
                      "record already cites and which says nothing of what followed: quote "
                      "the passage that reports this follow-up")
            )  # fmt: skip
            continue
        start, end = sentence_bounds(text.text, span.start, span.end)
        folded = fold_keep_marks(text.text[start:end])
        terms = [fold_keep_marks(t) for t in (kind.terms.all() if kind else [])]
        names = any(reading.parties.check(org, folded)[0] for org in orgs)
        if not names and not any(whole_words(folded, t) for t in terms):
            claims.append(
                Claim(f"follow_up.{n}", note.text, path, code="note-quote-off-topic",
                      message=f"note {n + 1}: its quote's sentence names neither this "
                      "document nor its parties (its witnesses alone do not say it is about "
                      "this document): quote the passage that reports this follow-up")
            )  # fmt: skip
    return claims


def _kind_claim(reading: Reading) -> Claim:
    register, agreement = reading.register, reading.agreement
    kind = register.kinds.get(agreement.kind)
    path = ("kind",)
    if kind is None:
        return Claim(
            "kind", agreement.kind, path, finding=False, code="unknown-kind", message="unknown kind"
        )
    refs = [
        i
        for i, mine in reading.clauses.items()
        if any(
            k == agreement.kind
            for clause, part in mine
            for a, b, k in clause.kinds
            if part[0] <= a < part[1]
        )
    ]
    if refs:
        return Claim("kind", agreement.kind, path, refs_of(refs))
    with_term = [
        p.index + 1
        for p in reading.passages
        for clause in p.sentence.documents()
        if any(k == agreement.kind and p.part(a, b) for a, b, k in clause.kinds)
    ]
    if with_term:
        message = (
            f"kind {agreement.kind!r}: its term stands only in a clause about another "
            f"document, or one that names none of the record's signatories (quote "
            f"{', '.join(map(str, sorted(set(with_term))))}); quote the clause in which the "
            "signatories exchange or sign this document"
        )
    else:
        message = (
            f"kind {agreement.kind!r}: no clause of the quotes about this document uses one "
            f"of its terms ({', '.join(kind.terms.all())}) in the source's language: quote "
            "the clause that names the document so, or correct the kind"
        )
    return Claim("kind", agreement.kind, path, code="ungrounded-kind", message=message)


def _date_claim(
    register: Register, agreement: Agreement, reading: Reading, occasion: Occasion | None
) -> Claim:
    path = ("date",)
    if agreement.date is None:
        if agreement.status == "planned":
            return Claim(
                "date",
                "",
                path,
                finding=False,
                code="undated-planned",
                message="planned: no date until a note records the signing",
            )
        return Claim(
            "date",
            "",
            path,
            code="missing-date",
            message="no date: a record needs the date its sources give (YYYY-MM-DD, "
            "YYYY-MM or YYYY), unless its status is planned",
        )
    value = agreement.date
    first, last = period(value)
    span = (occasion.start, occasion.end or occasion.start) if occasion else None
    if span and (last < span[0] or first > span[1]):
        return Claim(
            "date",
            value,
            path,
            code="date-outside-occasion",
            message=f"date {value}: outside its occasion {occasion.id!r} "  # type: ignore[union-attr]
            f"({span[0]}–{span[1]}): check the date or the occasion",
        )
    scoped = [(p, " … ".join(p.text(part) for part in reading.scope(p))) for p in reading.passages]
    if first != last:
        return _vague_date_claim(value, [text for _, text in scoped])
    date = first
    full: list[int] = []
    day_month: list[int] = []
    elsewhere: list[int] = []
    wrong_weekday: list[tuple[int, str]] = []
    for p, text in scoped:
        named = weekday_beside(text, date)
        if named is not None and named != date.weekday():
            # "Wednesday, May 8": a weekday named with a date must agree with it.
            wrong_weekday.append((p.index, WEEKDAY_EN[named]))
            continue
        for mention in dates_in(text):
            if mention.on(date) and mention.year == date.year:
                full.append(p.index)
            elif mention.on(date) and mention.year is None:
                day_month.append(p.index)
        # "today", or a weekday alone, is the article's dateline day (or one of the six days
        # before it); a dateline without a year ("BAKU, May 7 (Reuters) –") gives a day
        # whose year the occasion must prove.
        today = p.today
        yesterday = yesterday_words(p.lang)
        if today is not None and ((has_word(text, TODAY) and today.on(date))
                                  or (has_word(text, yesterday)
                                      and today.on(date + timedelta(days=1)))
                                  or weekday_means(text, today, date) == date):  # fmt: skip
            (full if today.year == date.year else day_month).append(p.index)
    for p in reading.passages:
        whole = p.text((p.lo, p.hi))
        if p.index not in full + day_month and any(m.on(date) for m in dates_in(whole)):
            elsewhere.append(p.index)
    if full:
        return Claim("date", value, path, refs_of(full))
    if day_month and occasion is not None:
        quotes_of = [e.quote for e in occasion.evidence]
        start = day_month_ref(occasion, quotes_of, occasion.start, "start")
        year = occasion_year(occasion)
        if start is not None and year is not None:
            return Claim("date", value, path, (*refs_of(day_month), year), joint=(year,))
        return Claim(
            "date",
            value,
            path,
            code="ungrounded-date",
            message=f"date {date}: quote {day_month[0] + 1} states "
            f"{date.day}/{date.month}, but neither it nor occasion {occasion.id!r} "
            f"proves the year {date.year}",
        )
    # A day and month in an article whose dateline gives the year: "chiều 12/3" in a
    # report datelined "Hà Nội, ngày 12/3/2026" (the day on or before the article's; across
    # a new year, "30/12" in a report of 2/1: the year before).
    dated = [i for i in day_month
             if (today := reading.passages[i].today) is not None
             and (written := today.full()) is not None and date <= written
             and (date.year == written.year or (written - date).days <= 31)]  # fmt: skip
    if dated:
        sources = {reading.agreement.evidence[i].source for i in dated}
        lines = [
            p.index
            for p in reading.passages
            if p.dateline and reading.agreement.evidence[p.index].source in sources
        ]
        return Claim("date", value, path, refs_of(dated + lines), joint=refs_of(lines))
    if day_month:
        return Claim(
            "date",
            value,
            path,
            code="ungrounded-date",
            message=f"date {date}: quote {day_month[0] + 1} states "
            f"{date.day}/{date.month} without a year, and neither an occasion of the record "
            f"nor the article's dateline proves {date.year}",
        )
    if wrong_weekday:
        index, said = wrong_weekday[0]
        return Claim(
            "date",
            value,
            path,
            code="ungrounded-date",
            message=f"date {date}: quote {index + 1} names it a {said}, but {date} was a "
            f"{WEEKDAY_EN[date.weekday()]}: one of the two is wrong; check the source and "
            "the record's date",
        )
    if elsewhere:
        return Claim(
            "date",
            value,
            path,
            code="ungrounded-date",
            message=f"date {date}: quote {elsewhere[0] + 1} states "
            f"{date.day}/{date.month}, but in a dateline or in a sentence about "
            "something else (another document, a meeting), which does not date "
            "this signing: quote the sentence that says when this document was "
            "exchanged or signed",
        )
    return Claim(
        "date",
        value,
        path,
        code="ungrounded-date",
        message=f"date {date}: no quote of the record states {date.day}/{date.month} in a "
        "form the proof reads (7/5, 7-5, ngày 7 tháng 5, 7 May, May 7, 7th May, 7. Mai, 7 mai, "
        "7 мая; a year, a span or a dateline does not prove a day): quote the sentence that "
        "says when this document was signed, or correct the date",
    )


def _place_claim(reading: Reading, occasion: Occasion | None) -> Claim:
    """ "City, Country": the city is a registered place (countries.yaml), a quote about the
    document names it (in any of its spellings) after "in", "tại", "à", "в"…, or it is the
    occasion's place and the occasion's quotes name it; the country is the city's own."""
    agreement = reading.agreement
    place = agreement.place
    path = ("place",)
    city, _, country = (part.strip() for part in place.partition(","))
    countries = reading.parties.countries
    known = countries.place(city)
    if place.startswith("TODO:"):  # a draft's placeholder: `placeholder` says what to do
        return Claim("place", place, path, finding=False, code="placeholder", message=place)
    if not city:
        return Claim("place", place, path, code="unknown-place",
                     message=f"place {place!r} names no city: write the city the sources name "
                     'and its country, as "City, Country"')  # fmt: skip
    if known is None:
        code = next(
            (c for c, words in countries.words.items() if fold_keep_marks(country) in words), None
        )
        under = f"the places of {code}" if code else "the places of its country"
        langs = sorted({p.lang for p in reading.passages if p.lang and p.lang != "en"})
        spellings = "".join(f", {lang}: …" for lang in langs)  # the quotes' own languages
        return Claim(
            "place",
            place,
            path,
            code="unknown-place",
            message=f"place {place!r}: {city!r} is not a place in {REGISTRY_DIR}/countries.yaml: "
            f"if it is the city the sources name, add it under {under} with its English name "
            f"and the spelling each source uses (- name: {{en: …{spellings}}}), then write the "
            "place with the English name; otherwise write the city the sources name, as "
            '"City, Country"',
        )
    registered, code = known
    own = reading.register.countries[code].name.en
    if country and fold_keep_marks(country) not in countries.words.get(code, []):
        return Claim(
            "place",
            place,
            path,
            code="place-wrong-country",
            message=f"place {place!r}: {city} is in {own} ({REGISTRY_DIR}/countries.yaml), "
            f'not {country}: write "{registered.name.en}, {own}"',
        )
    if (city, country) != (registered.name.en, own):
        # One spelling per place in the register, so a filter or a count finds every record.
        return Claim(
            "place",
            place,
            path,
            code="place-not-as-registered",
            message=f"place {place!r}: write it as the registry names it, "
            f'"{registered.name.en}, {own}" (the city and its country, in English)',
        )
    refs: list[Ref] = []
    for p in reading.passages:
        if any(
            (first := countries.first_place(p.text(part))) is not None and first[0] is registered
            for part in reading.scope(p)
        ):
            refs.append(Ref(None, p.index))
    if occasion is not None:
        on = countries.place(occasion.place.partition(",")[0].strip())
        if on is not None and on[0] is registered:
            for i, evidence in enumerate(occasion.evidence):
                quote = fold_keep_marks(evidence.quote)
                first = countries.first_place(quote)
                if first is not None and first[0] is registered:
                    refs.append(Ref(occasion.id, i))
    if refs:
        return Claim("place", place, path, unique_refs(*refs))
    return Claim(
        "place",
        place,
        path,
        code="ungrounded-place",
        message=f"place {place!r}: no quote about this document or its occasion says "
        f"it happened in {city} (\u201ctại {city}\u201d, \u201cin {city}\u201d, or another "
        f"of its spellings in {REGISTRY_DIR}/countries.yaml): quote the passage that names "
        "it, or correct the place",
    )


def _term_claim(reading: Reading) -> Claim:
    term = reading.agreement.term
    assert term is not None
    value = f"{term.start}–{term.end}"
    start, end = str(term.start)[:4], str(term.end)[:4]
    if start > end:
        return Claim(
            "term",
            value,
            ("term",),
            code="term-reversed",
            message=f"term {value}: it starts after it ends; write the earlier year "
            "first (start: the first year, end: the last)",
        )
    refs = [
        p.index
        for p in reading.passages
        for _, part in reading.clauses[p.index]
        if year_in(p.text(part), start) and year_in(p.text(part), end)
    ]
    if refs:
        return Claim("term", value, ("term",), refs_of(refs))
    anywhere = [
        p.index + 1
        for p in reading.passages
        if year_in(p.text((p.lo, p.hi)), start) and year_in(p.text((p.lo, p.hi)), end)
    ]
    where = (
        f"quote {anywhere[0]} states both years, but not in the clause about this "
        "document: they are another document's term"
        if anywhere
        else "no quote states both years"
    )
    where += ": quote the clause about this document that gives its term, or correct the term"
    return Claim("term", value, ("term",), code="ungrounded-term", message=f"term {value}: {where}")


def _support_claims(reading: Reading, claims: list[Claim]) -> list[Claim]:
    """Every quote of a record proves one of its claims: the clause about its document,
    or the time, place or witnesses a sentence about the documents gives. A quote about
    another document, or about nothing the record states, is refused, so an extra quote
    cannot lend the record authority it does not have."""
    used = {ref.index for c in claims if c.proven for ref in c.refs if ref.occasion is None}
    found = []
    for p in reading.passages:
        if p.index in used or not p.found:
            continue
        others = [k for clause in p.sentence.documents() for a, b, k in clause.kinds
                  if p.part(a, b)]  # fmt: skip
        if p.dateline:
            why = "it is an article's dateline, which dates the article, not the signing"
        elif others and not reading.clauses[p.index]:
            ids = [org.id for org in reading.signing] or ["ORG"]
            likewise = f", likewise for {', '.join(ids[1:])}" if len(ids) > 1 else ""
            alias = f"`agreements org alias {ids[0]} 'SPELLING'`{likewise}"
            why = (f"it is about another document (a {others[0]} whose clause names none "
                   "of this record's signatories by a name the registry knows; if it is this "
                   "document and the source spells them otherwise, add each spelling as the "
                   f"quote writes it: {alias})")  # fmt: skip
        elif not others and any(
            reading.parties.check(org, p.text((p.lo, p.hi)))[0] for org in reading.signing
        ):
            why = ("it names the record's parties but no document: a party is proven by the "
                   "clause that names the document it signed")  # fmt: skip
        else:
            why = "it proves none of the record's parties, kind, date, place, term or title"
        found.append(
            Claim(f"evidence.{p.index}", "", ("evidence", p.index, "quote"),
                  code="quote-supports-nothing",
                  message=f"quote {p.index + 1} supports no claim of this record: {why}; "
                  "remove it, or quote the clause about this document")
        )  # fmt: skip
    return found


def _vague_date_claim(value: str, quotes: list[str]) -> Claim:
    """A record dated 2025-07 needs a quote stating that month with its year; one dated
    2025, a quote stating the year."""
    year, _, month = value.partition("-")
    for i, quote in enumerate(quotes):
        folded = fold_keep_marks(quote)
        if month and (int(year), int(month)) in months_in(folded):
            return Claim("date", value, ("date",), (Ref(None, i),))
        if not month and year_in(folded, year):
            return Claim("date", value, ("date",), (Ref(None, i),))
    stated = f"month {int(month)}/{year}" if month else f"the year {year}"
    return Claim("date", value, ("date",), code="ungrounded-date",
                 message=f"date {value}: no quote of the record states {stated}: quote the "
                 "passage that gives it, or correct the date")  # fmt: skip


def all_claims(register: Register) -> Iterator[tuple[str, Agreement | Occasion, Claim]]:
    """Every claim of every occasion, then of every record: (kind, owner, claim)."""
    for occasion in register.occasions.values():
        for claim in prove_occasion(register, occasion):
            yield "occasion", occasion, claim
    parties = Parties.of(register)
    for agreement in register.agreements.values():
        for claim in prove_record(register, agreement, parties):
            yield "record", agreement, claim
