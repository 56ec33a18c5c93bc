"""A record's titles: the document's name as the clause about it writes it, whole, and
translations that name no field the document's own name does not."""

from __future__ import annotations

import re

from agreement_tracker.loader import Register
from agreement_tracker.mentions import (
    BETWEEN,
    CONJUNCTIONS,
    NAME_ENDS,
    REPORTING,
    SIGN_VERBS,
    WEEKDAYS,
    has_word,
    located_at,
)
from agreement_tracker.model import Agreement
from agreement_tracker.names import Parties
from agreement_tracker.proof.claims import Claim, refs_of
from agreement_tracker.proof.reading import Reading
from agreement_tracker.text import fold_keep_marks, whole_words


def title_claims(reading: Reading) -> list[Claim]:
    """A record's title is the document's name as a clause about it writes it, in that
    clause's language. Once one language's title is so proven, the others are
    translations (shown, not checked), but none may be another record's title."""
    register, agreement = reading.register, reading.agreement
    proven: dict[str, list[int]] = {}
    missing: dict[str, int] = {}
    cut: dict[str, str] = {}
    for lang, title in agreement.title.by_lang.items():
        wanted = fold_keep_marks(_shown_title(title))
        for p in reading.passages:
            if p.lang != lang:
                continue
            for _, part in reading.clauses[p.index]:
                text = p.text(part)
                found = whole_words(text, wanted)
                opens = any(wanted.startswith(t) for t in reading.parties.kind_terms(lang)
                            .get(agreement.kind, []))  # fmt: skip
                # A serial comma is the writer's, not the name's: "services, and training"
                # and "services and training" are one name.
                loose = not found and whole_words(_COMMA.sub(" ", text), _COMMA.sub(" ", wanted))
                if found and opens and (rest := name_goes_on(reading.parties, text, found[0][1])):
                    cut.setdefault(lang, rest)
                elif found or loose:
                    proven.setdefault(lang, []).append(p.index)
                else:
                    missing.setdefault(lang, p.index)
    claims: list[Claim] = []
    for lang, title in agreement.title.by_lang.items():
        shown, path, field = _shown_title(title), ("title", lang), f"title.{lang}"
        other = next(
            (o.id for o in reading.parties.titles(lang).get(fold_keep_marks(title), [])
             if o.id != agreement.id
             and (o.date == agreement.date or (o.occasion and o.occasion == agreement.occasion))),
            None,
        )  # fmt: skip
        named_kind = _kind_named_by(register, agreement, lang, title)
        kind = register.kinds.get(agreement.kind)
        # Each kind's folded terms in `lang`, as the reading keeps them (not folded again
        # for each record): the record's kind's, and every kind's.
        terms = reading.parties.kind_terms(lang)
        own_terms = terms.get(agreement.kind, []) if kind else []
        if lang in cut and lang not in proven:
            claims.append(
                Claim(field, shown, path, code="title-cut-short",
                      message=f"title ({lang}) {shown!r} stops before the document's name "
                      f"does: its clause goes on \u201c{cut[lang]}\u201d; copy the whole "
                      "name, up to where its parties, place or date begin")
            )  # fmt: skip
        elif lang in proven and (city := _located_at_end(reading.parties, shown)):
            claims.append(
                Claim(field, shown, path, code="title-not-in-clause",
                      message=f"title ({lang}) {shown!r} runs past the document's name into "
                      f"where it was signed (\u201c{city}\u201d): end it where the document's "
                      "name ends; the place is the record's place")
            )  # fmt: skip
        elif lang in proven and has_word(fold_keep_marks(shown), REPORTING):
            claims.append(
                Claim(field, shown, path, code="title-not-in-clause",
                      message=f"title ({lang}) {shown!r} runs past the document's name into "
                      "what the article reports (\u201c…, the embassy said\u201d): end it "
                      "where the document's name ends")
            )  # fmt: skip
        elif (
            lang in proven
            and own_terms
            and not any(
                fold_keep_marks(shown).startswith(term) for k in terms.values() for term in k
            )
        ):
            # A document's name opens with what it is ("Bản ghi nhớ về …", "Memorandum of
            # understanding on …"): words of its clause that open with no kind are no title
            # (one that opens with another kind's term is the kind's disagreement).
            claims.append(
                Claim(field, shown, path, code="title-not-in-clause",
                      message=f"title ({lang}) {shown!r} does not open with the document's kind "
                      f"({', '.join(kind.terms.get(lang)[:2]) if kind else ''} …): copy the "
                      "document's name from its kind on, as the clause writes it")
            )  # fmt: skip
        elif lang in proven:
            claims.append(Claim(field, shown, path, refs_of(proven[lang])))
        elif named_kind is not None:
            claims.append(
                Claim(field, shown, path, code="title-names-another-kind",
                      message=f"title ({lang}) {shown!r} names a {named_kind}, but the record "
                      f"is a {agreement.kind}: give this document's own name")
            )  # fmt: skip
        elif not proven and lang in missing:
            claims.append(
                Claim(field, shown, path, code="title-not-in-clause",
                      message=f"title ({lang}) {shown!r}: the clause about this document "
                      f"(quote {missing[lang] + 1}) does not name it so; copy the document's "
                      "name as the clause writes it")
            )  # fmt: skip
        elif other is not None and lang not in missing:
            claims.append(
                Claim(field, shown, path, code="title-of-another-record",
                      message=f"title ({lang}) {shown!r} is the title of {other}, signed on "
                      "the same day: give this document's own name")
            )  # fmt: skip
        elif (added := _fields_added(reading, lang, shown, proven)) is not None:
            claims.append(
                Claim(field, shown, path, code="title-translation-differs",
                      message=f"title ({lang}) {shown!r} says {added[0]!r}, but the "
                      f"document's name in its clause (quote {added[1] + 1}) names no "
                      f"such field: translate the name the clause writes")
            )  # fmt: skip
        else:
            claims.append(
                Claim(field, shown, path, finding=False, code="title-translation",
                      message="a translation: shown, not checked against a quote")
            )  # fmt: skip
    return claims


def _fields_added(
    reading: Reading, lang: str, title: str, proven: dict[str, list[int]]
) -> tuple[str, int] | None:
    """A translated title's field that the document's own name does not give ("renewable
    energy" for "năng lượng"): (the translation's words, the proving quote), or None.
    Fields are the sectors registry's terms; a field the translation's language has no
    term for is not compared."""
    if not proven:
        return None
    folded = fold_keep_marks(title)
    said = {
        sector: term
        for sector, term in reading.parties.sector_terms(lang)
        if term in folded and whole_words(folded, term)
    }
    if not said:
        return None
    for index in (i for refs in proven.values() for i in refs):
        p = reading.passages[index]
        clause = " ".join(p.text(part) for _, part in reading.clauses[index])
        named = {
            sector
            for sector, term in reading.parties.sector_terms(None)
            if sector in said and term in clause and whole_words(clause, term)
        }
        missing = [term for sector, term in said.items() if sector not in named]
        if missing:
            return max(missing, key=len), index
    return None
    sectors = reading.register.sectors.values()
    folded = fold_keep_marks(title)
    said = {
        sector.id: term
        for sector in sectors
        for term in map(fold_keep_marks, sector.terms.get(lang) if lang in sector.terms.by_lang
                        else ())
        if whole_words(folded, term)
    }  # fmt: skip
    for index in (i for refs in proven.values() for i in refs):
        p = reading.passages[index]
        clause = " ".join(p.text(part) for _, part in reading.clauses[index])
        named = {
            sector.id
            for sector in sectors
            if any(whole_words(clause, fold_keep_marks(t)) for t in sector.terms.all())
        }
        missing = [term for sector, term in said.items() if sector not in named]
        if missing:
            return max(missing, key=len), index
    return None


_COMMA = re.compile(r"\s*,\s*")


def name_goes_on(parties: Parties, text: str, end: int) -> str | None:
    """The words after a document's name (or what is taken for it) in its folded clause,
    when they go on with the name ("… dầu khí | và đào tạo") rather than end it (a party, a
    place, a date, a verb, punctuation, the end of the clause): what a title cut short
    leaves out. None where the name may end at `end`."""
    rest = text[end:].lstrip()
    words = re.findall(r"[^\W\d_][\w'’-]*|\d+|[^\w\s]", rest)
    if not words or not re.match(r"[^\W\d_]", rest):
        return None  # the clause ends, or punctuation or a number follows
    if words[0] in NAME_ENDS or any(rest.startswith(w) for w in REPORTING):
        return None
    if words[0] in CONJUNCTIONS:
        rest = rest[len(words[0]) :].lstrip()
        kinds = (t for terms in parties.kind_terms(None).values() for t in terms)
        if any(rest.startswith(t) for t in kinds):
            return None  # "… văn hóa và Ý định thư …": another document follows
    if any(a == 0 for a, _, _ in parties.name_hits(rest)):
        return None  # an organisation's name follows
    return " ".join(words[:4]) + "…"


# Words that end a name only when what they introduce follows: a place ("in Baku", not
# "in the field of energy") or a date ("on 7 May", not "on energy").
_LOCATIVES = frozenset(("tại", "ở", "in", "at", "à", "au", "en", "в", "во", "im"))
_BEFORE_DATES = frozenset(("on", "ngày", "vào", "chiều", "sáng", "am", "le"))


def name_end(parties: Parties, folded: str, start: int) -> int:
    """Where a document's name that opens at `start` (its kind term) ends in a folded
    quote, for drafting it: before its parties, a place or date it was signed at or on, a
    verb, or a comma after which the sentence reports or names ("… cooperation | in Baku
    on 7 May"; "… thăm dò và khai thác, dịch vụ kỹ thuật …" goes on)."""
    from agreement_tracker.dates import dates_in

    for found in re.finditer(r"\s+|(?=[,;:.!?()])", folded[start:]):
        at = start + found.start()
        after = folded[at:].lstrip()
        if not after or after[0] in ";:.!?()":
            return at
        if after[0] == ",":
            piece = re.split(r"[,;:.!?]", after[1:], maxsplit=1)[0]
            says_more = (
                has_word(piece, REPORTING) or has_word(piece, SIGN_VERBS)
                or has_word(piece, BETWEEN) or parties.name_hits(piece)
                or parties.countries.first_place(piece) or dates_in(piece)
            )  # fmt: skip
            if says_more:
                return at
            continue
        word = after.split()[0]
        if word in _LOCATIVES:
            if parties.countries.first_place(after[: len(word) + 40]) is not None:
                return at
        elif word in _BEFORE_DATES:
            if dates_in(after[: len(word) + 20]) or has_word(after[:30], tuple(WEEKDAYS)):
                return at
        elif not after[:1].isdigit() and name_goes_on(parties, folded, at) is None:
            return at
    return len(folded)


def _located_at_end(parties: Parties, title: str) -> str | None:
    """A registered city a title ends with after a locative ("… cooperation in Baku"): the
    place of the signing, not part of the document's name."""
    folded = fold_keep_marks(title).rstrip(" .")
    countries = parties.countries
    for word in countries.places:
        if folded.endswith(word) and located_at(folded, word) is not None:
            return title.rstrip(" .")[-len(word) :]
    return None


def _kind_named_by(register: Register, agreement: Agreement, lang: str, title: str) -> str | None:
    """Another kind a title's words name ("Memorandum of understanding on …" for a joint
    statement), where none of the record's own kind's terms stands in it."""
    folded = fold_keep_marks(title)
    own = register.kinds.get(agreement.kind)
    if own is None or any(whole_words(folded, fold_keep_marks(t)) for t in own.terms.all()):
        return None
    for kind in register.kinds.values():
        terms = kind.terms.get(lang) or kind.terms.all()
        if kind.id != agreement.kind and any(folded.startswith(fold_keep_marks(t)) for t in terms):
            return kind.id
    return None


def _shown_title(title: str) -> str:
    return re.sub(r"\s*\([^)]*\)$", "", title)
