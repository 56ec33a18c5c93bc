"""Drafting a record from a quote: `agreements new`.

The quote is located in its source exactly as `validate` would (NFC, white
space folded), then read with the registries: organisations by their names
and aliases, the kind and the sectors by their terms, the date and the place
where the source states them near the quote. What cannot be read is left as
a placeholder starting with "TODO:", which `validate` refuses, so a draft
can never pass for a finished record.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from agreement_tracker.errors import BadArgument, QuoteNotFound, UnknownId
from agreement_tracker.loader import Register
from agreement_tracker.mentions import (
    BETWEEN,
    BOTH_COUNTRIES,
    BOTH_MINISTRIES,
    BOTH_SIDES,
    DOCUMENTS,
    FOR_WHOM_BEFORE,
    first_word,
    has_word,
    ministry_phrases,
    phrase_starts,
)
from agreement_tracker.model import Agreement, Organisation
from agreement_tracker.quotes import SourceText
from agreement_tracker.store.location import REGISTRY_DIR
from agreement_tracker.text import fold_keep_marks, squash, whole_words

TODO = "TODO: "

# Words that say a document is still to be signed: the draft is `planned`, undated.
_PLANNED = [
    "sẽ ký", "sẽ ký kết", "sẽ được ký", "dự kiến ký", "nhất trí ký", "will sign",
    "will be signed", "agreed to sign", "to be signed", "plan to sign", "plans to sign",
    "unterzeichnen werden", "unterzeichnet werden soll",
]  # fmt: skip
# Words that begin an organisation's name, for candidates not in the registry.
_ORG_HEADS = {
    "vi": ["bộ", "tổng công ty", "công ty", "tập đoàn", "ủy ban", "ngân hàng", "tổng cục", "cục"],
    "en": ["ministry", "company", "corporation", "agency", "committee", "bank", "group"],
}
# Where one name ends: punctuation, verbs, and "và"/"and" before another name's head word.
_SPLIT = {
    lang: ",|;|\\.| " + " | ".join(verbs) + " | (?:và|and) (?=(?:" + "|".join(heads) + ") )"
    for lang, verbs, heads in (
        ("vi", ["trao đổi", "trao", "ký kết", "ký", "với", "giữa", "chứng kiến", "về", "sẽ",
                "đã", "đang", "vừa", "cùng", "cũng", "hôm nay", "hôm qua", "ngày", "chiều",
                "sáng", "tối"], _ORG_HEADS["vi"]),
        ("en", ["exchanged", "signed", "with", "between", "witnessed", "on", "will", "have",
                "has", "had", "agreed"], ["the", *_ORG_HEADS["en"]]),
    )
}  # fmt: skip


@dataclass
class Draft:
    """A drafted record and the account of how it was read."""

    record: dict[str, Any]
    line: int
    found: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)


def quote_at_line(text: SourceText, number: int) -> str:
    """The text of line `number` of the source, without surrounding white space."""
    lines = text.text.split("\n")
    if not 1 <= number <= len(lines) or not lines[number - 1].strip():
        raise BadArgument(f"--line {number}: the source has no text on that line")
    return lines[number - 1].strip()


def document_quotes(register: Register, source_id: str, number: int) -> list[str]:
    """The quotes of the documents line `number` names, one per document clause: "A và B
    trao đổi X; C và D trao Y; …" gives "A và B trao đổi X" and "C và D trao Y". A line
    naming one document (or none) gives itself. Each quote is verbatim from the source."""
    from agreement_tracker.mentions import sentence_bounds, split_sentence
    from agreement_tracker.names import Parties

    source = register.sources.get(source_id)
    text = register.source_text(source_id)
    if source is None or text is None:
        return []
    line = quote_at_line(text, number)
    # Lower case letter for letter, so offsets in the folded line are offsets in the line.
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in line)
    parties = Parties.of(register)
    terms = parties.kind_terms(source.lang)
    quotes: list[str] = []
    at = 0
    while at < len(line):
        start, end = sentence_bounds(line, at, at + 1)
        folded = lowered[start:end]
        sentence = split_sentence(folded, terms, parties.name_spans_in(folded))
        for clause in sentence.documents():
            piece = line[start + clause.start : start + clause.end].strip(" ,;:.—–-")
            if piece:
                quotes.append(piece)
        at = max(end, at + 1)
    return quotes if len(quotes) > 1 else [line]


def recognise_organisations(register: Register, folded: str) -> list[tuple[int, int, Organisation]]:
    """Organisations named in the text: longest names first, no two on the same words.

    A name counts as `validate` counts it (`proof.Parties`): a generic or shared
    name needs its country in the sentence, and a name another country is put
    next to ("Bộ Văn hóa Lào") is not that organisation's.
    """
    from agreement_tracker.names import Parties

    parties = Parties.of(register)
    hits = []
    for org in register.organisations.values():
        for name in set(org.all_names()):
            for start, end in whole_words(folded, fold_keep_marks(name)):
                if parties.at(org, name, folded, start, end) is True:
                    hits.append((start, end, org))
    # A ministry named by its field and country ("das Energieministerium Aserbaidschans"),
    # where exactly one registered ministry fits the phrase.
    ministries = [o for o in register.organisations.values() if o.type == "ministry"]
    for lo, word, end in ministry_phrases(folded, 0, len(folded)):
        for start in phrase_starts(folded, lo, word):
            fits = [o for o in ministries if parties.described(o, folded[start:end])]
            if fits:
                if len(fits) == 1:
                    hits.append((start, end, fits[0]))
                break
    chosen: list[tuple[int, int, Organisation]] = []
    for start, end, org in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, org))
    return sorted(chosen, key=lambda h: h[0])


def _first(folded: str, phrases: list[str]) -> int | None:
    found = [s for p in phrases for s, _ in whole_words(folded, fold_keep_marks(p))]
    return min(found) if found else None


def draft(
    register: Register,
    source_id: str,
    *,
    quote: str | None = None,
    line: int | None = None,
    record_id: str | None = None,
) -> Draft:
    """Read a quote of a source into a record, with placeholders for what it does not say."""
    source = register.sources.get(source_id)
    if source is None:
        from agreement_tracker.suggest import did_you_mean

        hint = did_you_mean(source_id, register.sources)
        raise UnknownId(f"no source with id {source_id!r} in seeds/sources.yaml{hint}")
    text = register.source_text(source_id)
    if text is None:
        raise BadArgument(f"source {source_id!r}: seeds/{source.file} cannot be read as UTF-8")
    if (quote is None) == (line is None):
        raise BadArgument("give either --quote TEXT or --line N")
    if line is not None:
        quote = quote_at_line(text, line)
    assert quote is not None
    span = text.find(quote)
    if span is None:
        from agreement_tracker.passages import nearest_passage

        score, passage = nearest_passage(text, quote)
        raise QuoteNotFound(
            f"the quote is not in source {source_id!r} (seeds/{source.file}); the nearest "
            f"passage ({score:.0f}% alike) is:\n    {passage}\ncopy the passage you mean "
            "verbatim, or use --line N"
        )
    exact = squash(text.text[span.start : span.end])
    lang = source.lang
    folded = fold_keep_marks(exact)
    result = Draft(record={}, line=span.line)

    # Organisations and their parts.
    orgs = recognise_organisations(register, folded)
    # Witnesses and signatories as `validate` reads them: the sentence's witness phrases.
    from agreement_tracker.names import Parties

    witnessing = Parties.of(register).witness_spans(folded)
    planned = _first(folded, _PLANNED) is not None
    kind, kind_at = _kind(register, folded, lang)
    between_at = first_word(folded, BETWEEN, 0, len(folded))
    parties: list[dict[str, Any]] = []
    for start, _end, org in orgs:
        if any(p["org"] == org.id for p in parties):
            continue
        if any(a <= start < b for a, b in witnessing):
            role = "witness"
        elif kind == "joint-statement":
            role = "adopting party"
        elif between_at is not None and start > between_at:
            role = "named party"  # "… giữa A, B và C": named, not shown signing
        elif FOR_WHOM_BEFORE.search(folded, max(0, start - 24), start):
            role = "named party"  # "… cho Nhà máy …": whom it is for
        else:
            # The subject of the verb, or who signs "with" it ("X unterzeichnete mit Y"):
            # a signatory, as `validate` reads it.
            role = "signatory"
        parties.append({"org": org.id, "side": org.country, "role": role})
        result.found.append(f"party: {org.id} ({org.name.get(lang)}), {role}")
    if not parties:
        parties = [{"org": TODO + "an organisation id", "side": None, "role": "signatory"}]
        result.todo.append("parties: no organisation of the registry is named in the quote")
    result.candidates = _candidates(exact, orgs, lang)
    if has_word(folded, BOTH_COUNTRIES) or has_word(folded, BOTH_MINISTRIES):
        result.todo.append(
            "parties: the quote names both countries' organisations at once (\u201chai nước\u201d, "
            "\u201cthe two ministries\u201d): add each one as a party (`agreements org add` for "
            "one the registry lacks)"
        )

    # Kind and sectors.
    if kind:
        result.found.append(f"kind: {kind}")
    else:
        result.todo.append("kind: no kind's term is in the quote (see kinds.yaml)")
    blanked = _blank(folded, [(s, e) for s, e, _ in orgs])
    sectors = _sectors(register, blanked, lang) or _sectors(register, folded, lang)
    if sectors:
        result.found.append(f"sectors: {', '.join(sectors)}")
    else:
        result.todo.append("sectors: no sector's term is in the quote (see sectors.yaml)")

    # Date and place, from the quote or the lines just before it.
    near = _near(text, span.start, exact)
    # A line before the quote that names a document of its own ("… will sign a protocol")
    # says nothing of this one's date or place: only datelines and context lines count.
    terms = [fold_keep_marks(t) for k in register.kinds.values() for t in k.terms.get(lang)]
    # Nor does one about something else ("On Monday the ministers met in Hanoi"): a line
    # before the quote dates or places it only when it speaks of the documents as a whole
    # ("Lễ trao các văn kiện …"), as `validate` reads a sentence's time and place.
    near = near[:2] + [
        line
        if has_word(folded_line := fold_keep_marks(line), DOCUMENTS)
        and not any(whole_words(folded_line, t) for t in terms)
        else ""
        for line in near[2:]
    ]
    occasion = _occasion(register, source_id)
    date, date_note, date_at, year_line = _date(
        near, text.text, occasion.start.year if occasion else None, lang
    )
    if planned:
        result.found.append(
            "status: planned (the quote says the document is still to be signed): no date "
            "until a note records the signing"
        )
        date, date_at, year_line = None, None, None
    elif date:
        result.found.append(f"date: {date} ({date_note})")
    else:
        result.todo.append(f"date: {date_note}")
    place, place_at, no_place = _place(register, near, lang)
    if place is None and occasion is not None:
        place = occasion.place
    if place:
        result.found.append(f"place: {place}")
    else:
        result.todo.append(no_place)
    # A date or place read from a line before the quote is quoted too, so it is grounded.
    also = []
    context = [near[at] for at in sorted({i for i in (date_at, place_at) if i})]
    for said in [*context, *([year_line] if year_line else [])]:
        line_text = " ".join(said.split())
        if line_text and line_text not in exact and line_text not in also:
            also.append(line_text)
    if occasion:
        result.found.append(f"occasion: {occasion.id} (it cites this source)")

    # Titles: the words of the quote from the kind's term on, in the source's language.
    title = _title(register, exact, folded, kind_at)
    titles = {lang: title or TODO + f"a title in {lang}"}
    if lang != "en":  # English is required; every other language is optional
        titles = {"en": TODO + "the title in English", **titles}
        result.todo.append("title.en: translate the title")
    if not title:
        result.todo.append(f"title.{lang}: write the title")

    record_id = record_id or _new_id(register, parties, date, kind)
    record: dict[str, Any] = {
        "id": record_id,
        "title": titles,
        "kind": kind or TODO + "a kind id from kinds.yaml",
        "sectors": sectors or [TODO + "a sector id from sectors.yaml"],
        "parties": parties,
        "date": (dt.date.fromisoformat(date) if len(date) == 10 else date)
        if date
        else TODO + "YYYY-MM-DD",
        "place": place or TODO + "the place",
    }
    if planned:
        del record["date"]
    if occasion:
        record["occasion"] = occasion.id
    term = _TERM.search(exact)
    if term and int(term.group(1)) <= int(term.group(2)):
        record["term"] = {"start": int(term.group(1)), "end": int(term.group(2))}
        result.found.append(f"term: {term.group(1)}–{term.group(2)}")
    record["status"] = "planned" if planned else "signed"
    record["evidence"] = [{"source": source_id, "quote": q} for q in [exact, *also]]
    result.record = record
    if not witnessing and any(p["role"] == "signatory" for p in parties):
        result.todo.append("witnesses: add any, with a quote that names them (optional)")
    return result


_TERM = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)(?!\d)")


def _kind(register: Register, folded: str, lang: str) -> tuple[str | None, int | None]:
    """The kind whose term comes first in the quote, and where."""
    best: tuple[int, str] | None = None
    for kind in register.kinds.values():
        for term in kind.terms.get(lang):
            for start, _ in whole_words(folded, fold_keep_marks(term)):
                if best is None or start < best[0]:
                    best = (start, kind.id)
    return (best[1], best[0]) if best else (None, None)


def _blank(folded: str, spans: list[tuple[int, int]]) -> str:
    chars = list(folded)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _sectors(register: Register, folded: str, lang: str) -> list[str]:
    found = []
    for sector in register.sectors.values():
        if any(whole_words(folded, fold_keep_marks(t)) for t in sector.terms.get(lang)):
            found.append(sector.id)
    # A sector and its parent both found: the narrower one says it.
    parents = {register.sectors[s].parent for s in found}
    return [s for s in found if s not in parents]


def _near(text: SourceText, start: int, quote: str) -> list[str]:
    """The quote, then its line and the ten lines before it, nearest first."""
    lines = text.text[:start].split("\n")
    line_end = text.text.find("\n", start)
    own = text.text[text.text.rfind("\n", 0, start) + 1 : None if line_end < 0 else line_end]
    return [quote, own, *reversed(lines[-11:-1])]


def _occasion(register: Register, source_id: str) -> Any:
    """The one occasion whose evidence cites this source, if exactly one does."""
    citing = [
        o for o in register.occasions.values() if any(e.source == source_id for e in o.evidence)
    ]
    return citing[0] if len(citing) == 1 else None


def _said_against_dateline(folded: str, written: Any, lang: str) -> dt.date | None:
    """The day "today", "yesterday" or a weekday alone ("on Wednesday") means in an
    article whose dateline gives a full date, as `validate` reads them."""
    from agreement_tracker.dates import weekday_means
    from agreement_tracker.mentions import TODAY, yesterday_words

    day = written.full() if written is not None else None
    if day is None:
        return None
    if has_word(folded, TODAY):
        return day
    if has_word(folded, yesterday_words(lang)):
        return day - dt.timedelta(days=1)
    return weekday_means(folded, written, day)


def _date(
    near: list[str], article: str, year_hint: int | None, lang: str
) -> tuple[str | None, str, int | None, str | None]:
    """The first date stated near the quote, how it was read, which of `near` states it,
    and the dateline, when the year is the article's. An article's dateline dates the
    article, never a signing: its day is never drafted, but a day and month the quote
    states without a year ("chiều 12/3") take the dateline's year when the dateline is
    that day or later, as `validate` reads them; else the occasion's year."""
    from agreement_tracker.dates import dateline_day, dateline_end, dates_in, months_in

    dateline = article[: dateline_end(article)].strip()
    written = dateline_day(article) if dateline else None
    # The dateline at the head of a line, however its white space was folded.
    opening = (
        re.compile(r"\s*" + r"\s+".join(map(re.escape, dateline.split()))) if dateline else None
    )
    for index, line in enumerate(near):
        text = line
        if opening is not None and (head := opening.match(text)):
            text = text[head.end() :]  # the dateline itself states no signing
        for mention in dates_in(text):
            day, month, year = mention.day, mention.month, mention.year
            if year is not None:
                try:
                    return (
                        dt.date(year, month, day).isoformat(),
                        "stated near the quote",
                        index,
                        None,
                    )
                except ValueError:
                    continue
            on = written.full() if written is not None else None
            if on is not None and (month, day) <= (on.month, on.day):
                try:
                    found = dt.date(on.year, month, day)
                except ValueError:
                    continue
                return found.isoformat(), "the year from the article's dateline", index, dateline
            if year_hint is None:
                note = f"{day}/{month} is stated, but no year near it: write YYYY-MM-DD"
                return None, note, None, None
            try:
                return (
                    dt.date(year_hint, month, day).isoformat(),
                    "the year from the occasion",
                    index,
                    None,
                )
            except ValueError:
                continue
        said = _said_against_dateline(fold_keep_marks(text), written, lang) if index == 0 else None
        if said is not None:  # the passage's own dateline proves it: no quote of it
            return said.isoformat(), "the day the quote names, by the dateline", index, None
        months = sorted(months_in(fold_keep_marks(text)))
        if len(months) == 1:  # a source that says only "July 2025"
            year, month = months[0]
            return f"{year}-{month:02d}", "only the month is stated", index, None
    note = "no date is stated near the quote (a dateline dates the article, not the signing)"
    return None, note + ": write YYYY-MM-DD (or YYYY-MM, YYYY)", None, None


_VI_PLACE = re.compile(r"(?:tại|ở) (?:thủ đô |thành phố )?((?:[A-ZĐ][\w-]*)(?: [A-ZĐ][\w-]*)*)")
_EN_PLACE = re.compile(r"\bin ((?:[A-Z][\w-]*)(?: [A-Z][\w-]*)*)")


def _place(register: Register, near: list[str], lang: str) -> tuple[str | None, int | None, str]:
    """The first registered place named near the quote ("tại Hà Nội", "à Bakou"), as
    "City, Country" in English, and where; else why none was drafted. A capitalised word
    after "tại"/"in" that is no registered place ("tại Hội đàm") is never drafted: it is
    named, so the curator can add the city to countries.yaml if it is one."""
    from agreement_tracker.names import Parties

    countries = Parties.of(register).countries
    for index, text in enumerate(near):
        first = countries.first_place(fold_keep_marks(text))
        if first is not None:
            place, code = first
            return f"{place.name.en}, {register.countries[code].name.en}", index, ""
    pattern = _VI_PLACE if lang == "vi" else _EN_PLACE  # German capitalises nouns: English rule
    for text in near:
        for m in pattern.finditer(text):
            word = m.group(1)
            if any(countries.named_in(fold_keep_marks(word), c) for c in countries.words):
                continue  # a country ("tại Cộng hòa Azerbaijan"), not a city
            return (
                None,
                None,
                (
                    f"place: {word!r} follows {m.group(0).split()[0]!r} but is no place in "
                    f"{REGISTRY_DIR}/countries.yaml; if it is the city, add it to its country's "
                    'places and draft again, or write "City, Country" by hand'
                ),
            )
    return None, None, "place: the source does not name one near the quote"


def _title(register: Register, exact: str, folded: str, kind_at: int | None) -> str | None:
    """The document's name in the quote, from its kind's term to where `validate` reads
    the name as ending (before its parties, place, date or verb): "Bản ghi nhớ về hợp tác
    …", never "… cooperation in Baku"."""
    from agreement_tracker.names import Parties
    from agreement_tracker.proof.titles import name_end

    if kind_at is None:
        return None
    end = name_end(Parties.of(register), folded, kind_at)
    # Folding keeps length except for hyphen spacing; find the same words in the original.
    words_before = len(folded[:kind_at].split())
    words = exact.split()[words_before : words_before + len(folded[kind_at:end].split())]
    title = " ".join(words).rstrip(".;,")
    return title[:1].upper() + title[1:] if title else None


def _candidates(exact: str, orgs: list[tuple[int, int, Organisation]], lang: str) -> list[str]:
    """Names that look like organisations (Bộ …, Ministry …) but match none in the registry."""
    known = [fold_keep_marks(n) for _, _, org in orgs for n in org.all_names()]
    found = []
    if lang not in _SPLIT:
        return []  # no word list for this language: names are left to the curator
    for piece in re.split(_SPLIT[lang], exact, flags=re.IGNORECASE):
        piece = " ".join(piece.split())
        folded = fold_keep_marks(piece)
        if not any(folded.startswith(head + " ") for head in _ORG_HEADS[lang]):
            continue
        # Known, or the head of a known name a comma cut ("Bộ Văn hóa, Thể thao …").
        if any(folded == name or name.startswith(folded + ",") for name in known):
            continue
        # "Bộ Y tế hai nước", "the ministries of both countries": two parties in one
        # phrase, not a name to register.
        if any(has_word(folded, words) for words in (BOTH_COUNTRIES, BOTH_MINISTRIES, BOTH_SIDES)):
            continue
        # "Bộ trưởng Bộ Ngoại giao Lào": a minister, a person, not the ministry's name.
        if folded.startswith(("bộ trưởng", "thứ trưởng", "minister ")):
            continue
        if piece in found:
            continue
        found.append(piece)
    return found


def _new_id(register: Register, parties: list[dict], date: str | None, kind: str | None) -> str:
    """`<sides>-<year>-<kind>`, made unique with a number: `vn-la-2026-memorandum-…-2`."""
    sides = list(dict.fromkeys(p["side"].lower() for p in parties if p.get("side")))
    base = "-".join([*sides[:2], date[:4] if date else "undated", kind or "agreement"])
    taken = set(register.record_names) | set(register.agreements)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# --- the same document, read again ---------------------------------------------------


@dataclass
class SameDocument:
    """An existing record the draft describes again, and the fields it reads otherwise."""

    record: Agreement
    proposals: list[tuple[str, str]]  # (field, the draft's value)


def same_document(register: Register, record: dict[str, Any]) -> SameDocument | None:
    """The record the draft is another account of: the same signatories (at least two) on
    the same day or occasion, of the same kind where the register holds such a record.
    Its differing fields are the accounts to propose instead of a second record."""
    from agreement_tracker.proof import SIGNING_ROLES

    def signing(parties: list[Any]) -> set[str]:
        return {str(p["org"] if isinstance(p, dict) else p.org) for p in parties
                if (p["role"] if isinstance(p, dict) else p.role) in SIGNING_ROLES}  # fmt: skip

    orgs = {o for o in signing(record["parties"]) if not o.startswith(TODO)}
    if len(orgs) < 2:
        return None
    date = record.get("date")
    date = date.isoformat() if isinstance(date, dt.date) else None
    kind = record.get("kind")
    # The same document: the same signatories on the same day or occasion (witnesses are
    # shared by every document of a ceremony), of the same kind where the register holds
    # one; else the one record of those signatories that day, read as another kind.
    candidates = [e for e in register.agreements.values() if orgs == signing(e.parties)]
    candidates.sort(key=lambda e: e.kind != kind)
    for existing in candidates:
        same_time = (
            record.get("occasion") is not None and record.get("occasion") == existing.occasion
        ) or (date is not None and date == existing.date)
        if not same_time:
            continue
        proposals = []
        for name in ("kind", "date", "place"):
            value = record.get(name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            if value is None or str(value).startswith(TODO):
                continue
            own = getattr(existing, name)
            if name == "place" and str(own).split(",")[0] == str(value).split(",")[0]:
                continue
            if value != own:
                proposals.append((name, str(value)))
        return SameDocument(existing, proposals)
    return None
