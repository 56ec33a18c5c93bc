"""Proof, claim by claim: for each fact a record states, the one quote that states it.

A fact is proven by a single quote, never by words gathered from several:
a party's name with its country in the same sentence, a kind's term beside a
signatory, a day and month with their year. `validate` reports each claim no
quote proves; `show --proof` prints each claim with the quote that proves it.

The rules, in the curator's terms:

- **Party**: one of its names or aliases stands in a quote. A name that is
  generic (a ministry's name without its country, "Bộ Tư pháp", "Ministry of
  Justice") or shared with another organisation proves the party only where
  the same sentence names the party's country; a country put next to the
  name ("Bộ Văn hóa Lào", "the Ministry of Culture of Laos", "Lao Ministry of
  Culture") that is not the party's contradicts it.
- **Kind**: one of its terms, in the source's language, stands in a quote that
  also proves one of the signatories.
- **Date**: the day and month stand in one of the record's quotes; the year
  stands with them ("7/5/2025", "7 May 2025"), or comes from the record's
  occasion, whose own quotes prove its span and year, and the date must fall
  within that span.
- **Place**: its first part ("Baku" of "Baku, Azerbaijan") stands in a quote
  of the record or of its occasion.
- **Term**: its start and end years stand in one quote.
- **Title**: shown by `show --proof` when a quote holds it in the source's
  language (titles are the curator's wording; not a `validate` finding).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from agreement_tracker.model import (
    ROLES,
    Account,
    Agreement,
    Evidence,
    Localised,
    Occasion,
    Organisation,
    Term,
    partial_date,
    period,
)
from agreement_tracker.register import Register
from agreement_tracker.store.location import REGISTRY_DIR
from agreement_tracker.text import MONTHS, fold_keep_marks, whole_words

# Roles that sign or adopt a document: the kind must be named beside one of them.
SIGNING_ROLES = ("signatory", "adopting party")
# Organisation types whose names are generic without their country.
GENERIC_TYPES = ("ministry", "government")

# Words that may stand between a name and its country: "Ministry of Justice of the
# Republic of Azerbaijan", "Bộ Ngoại giao nước Cộng hòa …".
_CONNECTOR = re.compile(
    r"\s+(?:(?:of|the|republic|của|nước|cộng hòa|cộng hoà|liên bang)\s+)*", re.UNICODE
)
# Sentences and clauses: a list of exchanged documents is separated by semicolons.
_CLAUSE = re.compile(r"(?<=[.;!?])\s+")


@dataclass(frozen=True, slots=True)
class Ref:
    """One quote: of the record (`occasion` None) or of an occasion, by its index."""

    occasion: str | None
    index: int


@dataclass(frozen=True, slots=True)
class Claim:
    """A fact a record (or an occasion) states, and the quotes that prove it, or why none does.

    `path` is where the fact is written in its file; `code` and `message` say
    what is wrong when `refs` is empty (or, with refs, when it contradicts).
    """

    field: str
    value: str
    path: tuple[str | int, ...]
    refs: tuple[Ref, ...] = ()
    code: str | None = None
    message: str | None = None
    finding: bool = True  # False: shown by --proof, not reported by validate

    @property
    def proven(self) -> bool:
        return bool(self.refs) and self.code is None


# --- countries ---------------------------------------------------------------------------


class Countries:
    """The countries' words, folded, to find the country a sentence or a name is about."""

    def __init__(self, register: Register) -> None:
        self.words: dict[str, list[str]] = {}
        self.before: dict[str, list[str]] = {}  # English adjectives and names, before a name
        for country in register.countries.values():
            words = {fold_keep_marks(w) for w in country.words()}
            self.words[country.id] = sorted(words, key=len, reverse=True)
            english = {fold_keep_marks(w) for w in [country.name.en, *country.terms.get("en")]}
            self.before[country.id] = sorted(english, key=len, reverse=True)

    def known(self, code: str | None) -> bool:
        return code is not None and code in self.words

    def named_in(self, text: str, code: str) -> bool:
        """Whether `text` (folded) names the country `code`."""
        return any(whole_words(text, w) for w in self.words.get(code, []))

    def next_to(self, text: str, start: int, end: int) -> str | None:
        """The country named right after text[start:end] (through "of", "của", …) or right
        before it (an English adjective: "Lao Ministry of Culture"), if any."""
        after = _CONNECTOR.match(text, end)
        at = after.end() if after else end
        if at > end or text[end : end + 1] in ("", " "):
            for code, words in self.words.items():
                for word in words:
                    if text.startswith(word, at) and not _word_char(text, at + len(word)):
                        return code
        head = text[:start].rstrip()
        if head != text[:start]:
            head = _POSSESSIVE.sub("", head)  # "Azerbaijan's Ministry of Defence"
            for code, words in self.before.items():
                for word in words:
                    if head.endswith(word) and not _word_char(head, len(head) - len(word) - 1):
                        return code
        return None

    def in_name(self, name: str, code: str) -> bool:
        return self.named_in(fold_keep_marks(name), code)


_POSSESSIVE = re.compile(r"['’]s$")


def _word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


# --- parties -----------------------------------------------------------------------------


class Parties:
    """Which names are generic or shared, and whether a quote proves a given party."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.countries = Countries(register)
        owners: dict[str, set[str]] = {}
        for org in register.organisations.values():
            for name in org.all_names():
                owners.setdefault(fold_keep_marks(name), set()).add(org.id)
        self.owners = owners

    def ambiguous(self, org: Organisation, name: str) -> bool:
        """A name another organisation shares, or a ministry's name without its country."""
        folded = fold_keep_marks(name)
        if len(self.owners.get(folded, ())) > 1:
            return True
        if org.type in GENERIC_TYPES and self.countries.known(org.country):
            return not self.countries.in_name(name, org.country or "")
        return False

    def check(self, org: Organisation, quote: str) -> tuple[bool, str | None]:
        """(proven, the other country a name of `org` is put next to, if any) for one quote."""
        folded = fold_keep_marks(quote)
        other: str | None = None
        for name in sorted(set(org.all_names()), key=len, reverse=True):
            for start, end in whole_words(folded, fold_keep_marks(name)):
                verdict = self.at(org, name, folded, start, end)
                if verdict is True:
                    return True, None
                other = other or verdict or None
        return False, other

    def at(self, org: Organisation, name: str, folded: str, start: int, end: int) -> bool | str:
        """Whether the name of `org` at folded[start:end] names it: True, False (not
        enough: a generic name with no country in its sentence), or the other country
        the text puts next to it."""
        beside = self.countries.next_to(folded, start, end)
        if beside is not None and org.country is not None and beside != org.country:
            return beside
        if not self.ambiguous(org, name) or beside == org.country:
            return True
        return bool(org.country) and self.countries.named_in(_clause(folded, start), org.country)


def _clause(text: str, at: int) -> str:
    """The sentence or semicolon clause of `text` around position `at`."""
    start = 0
    for match in _CLAUSE.finditer(text):
        if match.start() >= at:
            return text[start : match.start()]
        start = match.end()
    return text[start:]


# --- dates -------------------------------------------------------------------------------

_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\d/])")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_VI_WORDS = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2})(?: năm (\d{4}))?")
# "7 May 2025", "7. Mai 2025", "7 mai 2025", "7 мая 2025", "07.05.2025".
_EN_DAY_MONTH = re.compile(rf"(?<![\w-])(\d{{1,2}})\.? ({_MONTH_WORDS})(?:,? (\d{{4}}))?(?!\w)")
_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])")
_EN_MONTH_DAY = re.compile(
    rf"(?<![\w-])({_MONTH_WORDS}) (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?(?!\w)"
)
# Spans: "7-8/5", "từ ngày 5 đến 12-5", "5-12 May", "from 5 to 12 May", "May 7-8".
_SPAN_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})\s*-\s*(\d{1,2})\s*/\s*(\d{1,2})(?:/(\d{4}))?")
_SPAN_VI = re.compile(r"từ (?:ngày )?(\d{1,2}) đến (?:ngày )?(\d{1,2})\s*[-/]\s*(\d{1,2})")
_SPAN_EN = re.compile(
    rf"(?<![\w-])(?:from )?(\d{{1,2}})(?: to |-)(\d{{1,2}}) ({_MONTH_WORDS})(?:,? (\d{{4}}))?"
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A date a quote states: a day and month, with the year where it stands beside them."""

    day: int
    month: int
    year: int | None

    def on(self, date: dt.date) -> bool:
        return (self.day, self.month) == (date.day, date.month)

    def full(self) -> dt.date | None:
        if self.year is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day)
        except ValueError:
            return None


def dates_in(quote: str) -> list[Mention]:
    """Every single date a quote states (spans are not single dates)."""
    text = fold_keep_marks(quote)
    found: list[Mention] = []

    def add(day: str, month: str, year: str | None) -> None:
        found.append(Mention(int(day), int(month), int(year) if year else None))

    for m in _NUMERIC.finditer(text):
        add(m.group(1), m.group(2), m.group(3))
    for m in _ISO.finditer(text):
        add(m.group(3), m.group(2), m.group(1))
    for m in _VI_WORDS.finditer(text):
        add(m.group(1), m.group(2), m.group(3))
    for m in _EN_DAY_MONTH.finditer(text):
        add(m.group(1), str(MONTHS[m.group(2)]), m.group(3))
    for m in _EN_MONTH_DAY.finditer(text):
        add(m.group(2), str(MONTHS[m.group(1)]), m.group(3))
    for m in _DOTTED.finditer(text):
        add(m.group(1), m.group(2), m.group(3))
    return found


def spans_in(quote: str) -> list[tuple[Mention, Mention]]:
    """Every span a quote states ("7-8/5"): its first and last day."""
    text = fold_keep_marks(quote)
    found = []
    for m in _SPAN_NUMERIC.finditer(text):
        year = int(m.group(4)) if m.group(4) else None
        month = int(m.group(3))
        found.append((Mention(int(m.group(1)), month, year), Mention(int(m.group(2)), month, year)))
    for m in _SPAN_VI.finditer(text):
        month = int(m.group(3))
        found.append((Mention(int(m.group(1)), month, None), Mention(int(m.group(2)), month, None)))
    for m in _SPAN_EN.finditer(text):
        month = MONTHS[m.group(3)]
        year = int(m.group(4)) if m.group(4) else None
        found.append((Mention(int(m.group(1)), month, year), Mention(int(m.group(2)), month, year)))
    return found


# --- occasions ---------------------------------------------------------------------------


def prove_occasion(register: Register, occasion: Occasion) -> list[Claim]:
    """An occasion proves its own start, end and place with its own quotes."""
    quotes = [e.quote for e in occasion.evidence]
    start, end = occasion.start, occasion.end or occasion.start
    claims = []
    year_ref = occasion_year(occasion)
    for field, day in (("start", start), ("end", occasion.end)):
        if day is None:
            continue
        ref = _day_month_ref(occasion, quotes, day, field)
        if ref is None:
            claims.append(
                Claim(field, day.isoformat(), (field,), code="unproven-occasion",
                      message=f"occasion {occasion.id!r}: no quote of it states its {field}, "
                      f"{day.day}/{day.month} (a date such as 7/5 or a span such as 7-8/5)")
            )  # fmt: skip
        elif year_ref is None:
            claims.append(
                Claim(field, day.isoformat(), (field,), code="unproven-occasion",
                      message=f"occasion {occasion.id!r}: no quote of it states the year "
                      f"{day.year}: quote a full date within {start}–{end}, such as a "
                      "dateline of a report written during it")
            )  # fmt: skip
        else:
            claims.append(Claim(field, day.isoformat(), (field,), _unique(ref, year_ref)))
    place = _place_word(occasion.place)
    ref = next(
        (
            Ref(occasion.id, i)
            for i, q in enumerate(quotes)
            if whole_words(fold_keep_marks(q), place)
        ),
        None,
    )
    claims.append(
        Claim("place", occasion.place, ("place",), (ref,) if ref else (),
              code=None if ref else "unproven-occasion",
              message=None if ref else f"occasion {occasion.id!r}: no quote of it names "
              f"{occasion.place.split(',')[0]!r}")
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


def _day_month_ref(occasion: Occasion, quotes: list[str], day: dt.date, field: str) -> Ref | None:
    for i, quote in enumerate(quotes):
        for first, last in spans_in(quote):
            mention = first if field == "start" else last
            if mention.on(day):
                return Ref(occasion.id, i)
        if any(m.on(day) for m in dates_in(quote)):
            return Ref(occasion.id, i)
    return None


def _unique(*refs: Ref) -> tuple[Ref, ...]:
    return tuple(dict.fromkeys(refs))


def _place_word(place: str) -> str:
    return fold_keep_marks(place.split(",")[0])


# --- records -----------------------------------------------------------------------------


def prove_record(
    register: Register, agreement: Agreement, parties: Parties | None = None
) -> list[Claim]:
    """Every claim of a record, each with the quote that proves it or the reason none does."""
    parties = parties or Parties(register)
    quotes = [e.quote for e in agreement.evidence]
    occasion = register.occasions.get(agreement.occasion or "")
    claims: list[Claim] = []

    proven_in: dict[int, set[int]] = {}  # party index -> quotes that prove it
    for p, party in enumerate(agreement.parties):
        org = register.organisations.get(party.org)
        value = f"{party.org} ({party.role}, {party.side or 'no side'})"
        if org is None:
            continue  # an unknown organisation is a finding of its own
        others = set()
        for i, quote in enumerate(quotes):
            ok, other = parties.check(org, quote)
            if ok:
                proven_in.setdefault(p, set()).add(i)
            elif other:
                others.add(other)
        refs = tuple(Ref(None, i) for i in sorted(proven_in.get(p, ())))
        if refs:
            claims.append(Claim(f"parties.{p}", value, ("parties", p, "org"), refs))
        elif others:
            claims.append(
                Claim(f"parties.{p}", value, ("parties", p, "org"), code="party-other-country",
                      message=f"party {party.org!r}: the quotes name it only beside another "
                      f"country ({', '.join(sorted(others))}); quote the passage that names "
                      f"{org.name.en}, or choose the organisation the quote names")
            )  # fmt: skip
        else:
            generic = all(parties.ambiguous(org, n) for n in org.all_names())
            hint = (
                "its names here are generic or shared, so the sentence must also name "
                f"{org.country}'s country"
                if generic
                else "quote the passage that names it, or add the spelling the source uses as "
                "an alias"
            )
            claims.append(
                Claim(f"parties.{p}", value, ("parties", p, "org"), code="ungrounded-party",
                      message=f"party {party.org!r}: no quote names it ({hint})")
            )  # fmt: skip

    for p, party in enumerate(agreement.parties):
        signer = register.organisations.get(party.signer or "")
        if signer is None:
            continue
        refs = tuple(Ref(None, i) for i, q in enumerate(quotes) if parties.check(signer, q)[0])
        field = f"parties.{p}.signer"
        path = ("parties", p, "signer")
        if refs:
            claims.append(Claim(field, party.signer or "", path, refs))
        else:
            claims.append(Claim(field, party.signer or "", path, code="ungrounded-signer",
                                message=f"signer {party.signer!r} of party {party.org!r}: no "
                                "quote names them"))  # fmt: skip
    claims.append(_kind_claim(register, agreement, quotes, proven_in))
    claims.append(_date_claim(register, agreement, quotes, occasion))
    claims.append(_place_claim(agreement, quotes, occasion))
    if agreement.term:
        claims.append(_term_claim(agreement, quotes))
    claims.append(_title_claim(register, agreement))
    return claims


def _kind_claim(
    register: Register, agreement: Agreement, quotes: list[str], proven_in: dict[int, set[int]]
) -> Claim:
    kind = register.kinds.get(agreement.kind)
    path = ("kind",)
    if kind is None:
        return Claim("kind", agreement.kind, path, finding=False, code="unknown-kind",
                     message="unknown kind")  # fmt: skip
    signing = [p for p, party in enumerate(agreement.parties) if party.role in SIGNING_ROLES]
    if not signing:
        signing = [p for p, party in enumerate(agreement.parties) if party.role != "witness"]
    beside = set().union(*(proven_in.get(p, set()) for p in signing)) if signing else set()
    with_term = []
    for i, (evidence, quote) in enumerate(zip(agreement.evidence, quotes, strict=True)):
        source = register.sources.get(evidence.source)
        terms = kind.terms.get(source.lang) if source else kind.terms.all()
        if any(whole_words(fold_keep_marks(quote), fold_keep_marks(t)) for t in terms):
            with_term.append(i)
            if i in beside:
                return Claim("kind", agreement.kind, path, (Ref(None, i),))
    terms_shown = ", ".join(kind.terms.all())
    if with_term:
        message = (
            f"kind {agreement.kind!r}: its term stands only in quotes that name no signatory "
            f"(quote {', '.join(str(i + 1) for i in with_term)}); quote the sentence in which a "
            "signatory exchanges or signs the document"
        )
    else:
        message = (
            f"kind {agreement.kind!r}: no quote uses one of its terms ({terms_shown}) in the "
            "source's language"
        )
    return Claim("kind", agreement.kind, path, code="ungrounded-kind", message=message)


def _date_claim(
    register: Register, agreement: Agreement, quotes: list[str], occasion: Occasion | None
) -> Claim:
    path = ("date",)
    if agreement.date is None:
        if agreement.status == "planned":
            return Claim("date", "", path, finding=False, code="undated-planned",
                         message="planned: no date until a note records the signing")  # fmt: skip
        return Claim("date", "", path, code="missing-date",
                     message="no date: a record needs the date its sources give (YYYY-MM-DD, "
                     "YYYY-MM or YYYY), unless its status is planned")  # fmt: skip
    value = agreement.date
    first, last = period(value)
    span = (occasion.start, occasion.end or occasion.start) if occasion else None
    if span and (last < span[0] or first > span[1]):
        return Claim("date", value, path, code="date-outside-occasion",
                     message=f"date {value}: outside its occasion {occasion.id!r} "  # type: ignore[union-attr]
                     f"({span[0]}–{span[1]}): check the date or the occasion")  # fmt: skip
    if first != last:
        return _vague_date_claim(value, quotes)
    date = first
    day_month: list[int] = []
    for i, quote in enumerate(quotes):
        for mention in dates_in(quote):
            if mention.on(date):
                if mention.year == date.year:
                    return Claim("date", value, path, (Ref(None, i),))
                if mention.year is None:
                    day_month.append(i)
    if day_month and occasion is not None:
        quotes_of = [e.quote for e in occasion.evidence]
        start = _day_month_ref(occasion, quotes_of, occasion.start, "start")
        year = occasion_year(occasion)
        if start is not None and year is not None:
            return Claim("date", value, path, (Ref(None, day_month[0]), year))
        return Claim("date", value, path, code="ungrounded-date",
                     message=f"date {date}: quote {day_month[0] + 1} states "
                     f"{date.day}/{date.month}, but neither it nor occasion {occasion.id!r} "
                     f"proves the year {date.year}")  # fmt: skip
    if day_month:
        return Claim("date", value, path, code="ungrounded-date",
                     message=f"date {date}: quote {day_month[0] + 1} states "
                     f"{date.day}/{date.month} without a year, and the record names no "
                     f"occasion whose quotes prove {date.year}")  # fmt: skip
    return Claim("date", value, path, code="ungrounded-date",
                 message=f"date {date}: no quote of the record states {date.day}/{date.month} "
                 "(a year, a span or a dateline elsewhere does not prove a day)")  # fmt: skip


def _vague_date_claim(value: str, quotes: list[str]) -> Claim:
    """A record dated 2025-07 needs a quote stating that month with its year; one dated
    2025, a quote stating the year."""
    year, _, month = value.partition("-")
    for i, quote in enumerate(quotes):
        folded = fold_keep_marks(quote)
        if month and (int(year), int(month)) in months_in(folded):
            return Claim("date", value, ("date",), (Ref(None, i),))
        if not month and _year_in(folded, year):
            return Claim("date", value, ("date",), (Ref(None, i),))
    stated = f"month {int(month)}/{year}" if month else f"the year {year}"
    return Claim("date", value, ("date",), code="ungrounded-date",
                 message=f"date {value}: no quote of the record states {stated}")  # fmt: skip


_MONTH_YEAR = (
    re.compile(r"tháng (\d{1,2})(?:/| năm )(\d{4})"),
    re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{4})(?!\d)"),
)
_WORD_MONTH_YEAR = re.compile(rf"(?<!\w)({_MONTH_WORDS}),? (\d{{4}})(?!\d)")
_ISO_MONTH = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?![\d])")


def months_in(folded: str) -> set[tuple[int, int]]:
    """Every (year, month) a folded quote states: "tháng 7/2025", "July 2025", "7/2025",
    "2025-07", and the month of every full date it states."""
    found = {(m.year, m.month) for m in dates_in(folded) if m.year is not None}
    for pattern in _MONTH_YEAR:
        found |= {(int(m.group(2)), int(m.group(1))) for m in pattern.finditer(folded)}
    found |= {(int(m.group(2)), MONTHS[m.group(1)]) for m in _WORD_MONTH_YEAR.finditer(folded)}
    found |= {(int(m.group(1)), int(m.group(2))) for m in _ISO_MONTH.finditer(folded)}
    return found


def _place_claim(agreement: Agreement, quotes: list[str], occasion: Occasion | None) -> Claim:
    word = _place_word(agreement.place)
    for i, quote in enumerate(quotes):
        if whole_words(fold_keep_marks(quote), word):
            return Claim("place", agreement.place, ("place",), (Ref(None, i),))
    if occasion is not None:
        for i, evidence in enumerate(occasion.evidence):
            if whole_words(fold_keep_marks(evidence.quote), word):
                return Claim("place", agreement.place, ("place",), (Ref(occasion.id, i),))
    return Claim("place", agreement.place, ("place",), code="ungrounded-place",
                 message=f"place {agreement.place!r}: neither the record's quotes nor its "
                 "occasion's name it")  # fmt: skip


def _term_claim(agreement: Agreement, quotes: list[str]) -> Claim:
    term = agreement.term
    assert term is not None
    value = f"{term.start}–{term.end}"
    start, end = term.start[:4], term.end[:4]
    for i, quote in enumerate(quotes):
        folded = fold_keep_marks(quote)
        if _year_in(folded, start) and _year_in(folded, end):
            return Claim("term", value, ("term",), (Ref(None, i),))
    return Claim("term", value, ("term",), code="ungrounded-term",
                 message=f"term {value}: no quote states both years")  # fmt: skip


def _year_in(text: str, year: str) -> bool:
    return re.search(rf"(?<!\d){year}(?!\d)", text) is not None


def _title_claim(register: Register, agreement: Agreement) -> Claim:
    for i, evidence in enumerate(agreement.evidence):
        source = register.sources.get(evidence.source)
        if source is None:
            continue
        title = re.sub(r"\s*\([^)]*\)$", "", agreement.title.get(source.lang))
        if whole_words(fold_keep_marks(evidence.quote), fold_keep_marks(title)):
            return Claim("title", title, ("title",), (Ref(None, i),), finding=False)
    return Claim("title", agreement.title.en, ("title",), finding=False, code="title-unquoted",
                 message="the title is the curator's wording: no quote holds it")  # fmt: skip


def evidence_of(register: Register, agreement: Agreement, ref: Ref) -> Evidence | None:
    """The quote a reference names."""
    if ref.occasion is None:
        return agreement.evidence[ref.index] if ref.index < len(agreement.evidence) else None
    occasion = register.occasions.get(ref.occasion)
    if occasion is None or ref.index >= len(occasion.evidence):
        return None
    return occasion.evidence[ref.index]


def all_claims(register: Register) -> Iterator[tuple[str, Agreement | Occasion, Claim]]:
    """Every claim of every occasion, then of every record: (kind, owner, claim)."""
    for occasion in register.occasions.values():
        for claim in prove_occasion(register, occasion):
            yield "occasion", occasion, claim
    parties = Parties(register)
    for agreement in register.agreements.values():
        for claim in prove_record(register, agreement, parties):
            yield "record", agreement, claim


# --- accounts ----------------------------------------------------------------------------


def prove_account(
    register: Register, agreement: Agreement, account: Account, parties: Parties | None = None
) -> Claim:
    """An account is proven exactly like the record's own claim: the record with the
    account's reading in place of its own, and the account's quote as its only evidence."""
    import dataclasses

    parties = parties or Parties(register)
    field, value = account.field, account.value
    evidence = [Evidence(source=account.source, quote=account.quote)]
    variant = dataclasses.replace(agreement, evidence=evidence)
    target = field
    try:
        if field == "kind":
            variant = dataclasses.replace(variant, kind=value)
        elif field == "date":
            variant = dataclasses.replace(variant, date=partial_date(value))
        elif field == "place":
            variant = dataclasses.replace(variant, place=value)
        elif field == "title":
            title = Localised(dict.fromkeys(agreement.title.by_lang, value))
            variant = dataclasses.replace(variant, title=title)
        elif field == "term":
            start, _, end = value.replace("–", "-").partition("-")
            term = Term(start=start, end=end)
            variant = dataclasses.replace(variant, term=term)
        else:  # parties.N[.role|.side|.signer]
            _, index, *rest = field.split(".")
            n = int(index)
            party = agreement.parties[n]
            if rest == ["signer"]:
                signer = register.organisations.get(value)
                if signer is None:
                    return _unproven(account, "unknown-ref", f"unknown organisation {value!r}")
                ok, _other = parties.check(signer, account.quote)
                return Claim(field, value, ("accounts",), (Ref(None, 0),) if ok else (),
                             code=None if ok else "unproven-account",
                             message=None if ok else f"account of {field}: the quote does not "
                             f"name {signer.name.en}")  # fmt: skip
            if rest in (["role"], ["side"]):
                problem = party_value_problem(register, agreement, rest[0], value)
                if problem is not None:
                    return _unproven(account, "invalid-value", f"account of {field}: {problem}")
            if rest == ["role"]:
                party = dataclasses.replace(party, role=value)
            elif rest == ["side"]:
                party = dataclasses.replace(party, side=value)
            else:
                party = dataclasses.replace(party, org=value)
            new_parties = list(agreement.parties)
            new_parties[n] = party
            variant = dataclasses.replace(variant, parties=new_parties)
            target = f"parties.{n}"
    except (ValueError, IndexError) as exc:
        return _unproven(account, "unproven-account", f"account of {field}: {value!r}: {exc}")
    if field == "title":
        # A title is proven by a quote holding it, in any language.
        folded = fold_keep_marks(account.quote)
        ok = bool(whole_words(folded, fold_keep_marks(value)))
        if ok:
            return Claim(field, value, ("accounts",), (Ref(None, 0),))
        return _unproven(account, "unproven-account", "account of title: no quote holds it")
    for claim in prove_record(register, variant, parties):
        if claim.field == target:
            if claim.proven:
                return Claim(field, value, ("accounts",), claim.refs)
            return _unproven(account, "unproven-account",
                             f"account of {field} ({value}): {claim.message}")  # fmt: skip
    return _unproven(account, "unproven-account", f"account of {field}: nothing to prove it by")


def own_reading(agreement: Agreement, field: str) -> set[str]:
    """The values that repeat the record's own reading of a field: an account giving one
    of them is no other reading (a title in any language; a term with either dash)."""
    own = agreement.reading(field)
    if own is None:
        return set()
    if field == "title":
        return set(agreement.title.all())
    return {own, own.replace("–", "-")}


def party_value_problem(
    register: Register, agreement: Agreement, part: str, value: str
) -> str | None:
    """Why `value` cannot be a party's `part` (role, side), or None: a role is one of the
    model's roles, a side a country of the registry, as a party's own are. The refusal
    names what is allowed, so a formula or a typo is never stored as a reading."""
    from agreement_tracker.suggest import did_you_mean

    if part == "role" and value not in ROLES:
        hint = did_you_mean(value, ROLES, "")
        return f"{value!r} is not a role: a role is one of {', '.join(ROLES)}{hint}"
    if part == "side":
        countries = register.countries
        known = value in countries if countries else re.fullmatch(r"[A-Z]{2}", value)
        if not known:
            sides = sorted({p.side for p in agreement.parties if p.side})
            hint = did_you_mean(value.upper(), countries or sides, "")
            return (
                f"{value!r} is not a side: a side is a country code of {REGISTRY_DIR}/"
                f"countries.yaml (this record's sides: {', '.join(sides) or 'none'}){hint}"
            )
    return None


def _unproven(account: Account, code: str, message: str) -> Claim:
    return Claim(account.field, account.value, ("accounts",), code=code, message=message)


def kind_disputes(register: Register, agreement: Agreement, parties: Parties) -> list[str]:
    """Other kinds the record's own quotes give the document, beside one of its signatories,
    that no account records: the sources disagree and nobody has said so."""
    recorded = {a.value for a in agreement.accounts if a.field == "kind"}
    signing = [
        register.organisations[p.org]
        for p in agreement.parties
        if p.role in SIGNING_ROLES and p.org in register.organisations
    ]
    own = register.kinds.get(agreement.kind)
    found: list[str] = []
    for evidence in agreement.evidence:
        source = register.sources.get(evidence.source)
        if source is None:
            continue
        own_terms = [fold_keep_marks(t) for t in own.terms.get(source.lang)] if own else []
        folded = fold_keep_marks(evidence.quote)
        for clause in _CLAUSE.split(folded):
            if not any(parties.check(org, clause)[0] for org in signing):
                continue
            for kind in register.kinds.values():
                if kind.id in (agreement.kind, *recorded, *found):
                    continue
                for term in kind.terms.get(source.lang):
                    term = fold_keep_marks(term)
                    # A longer own term that holds this one is not another kind
                    # ("chương trình hợp tác" holds no other kind's term, but a
                    # "memorandum of understanding" holds "memorandum").
                    if any(term in own_term for own_term in own_terms):
                        continue
                    if whole_words(clause, term):
                        found.append(kind.id)
                        break
    return found
