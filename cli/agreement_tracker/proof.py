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

import dataclasses
import datetime as dt
import functools
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from agreement_tracker.mentions import (
    BETWEEN,
    BOTH_COUNTRIES,
    BOTH_MINISTRIES,
    BOTH_SIDES,
    NAME_WORDS,
    PLURAL_MINISTRIES,
    SIGN_VERBS,
    TODAY,
    Clause,
    Sentence,
    dateline_end,
    first_word,
    has_word,
    in_dateline,
    located,
    sentence_bounds,
    split_sentence,
    weekdays_in,
    witness_spans,
)
from agreement_tracker.model import (
    ROLES,
    Account,
    Agreement,
    Evidence,
    Localised,
    Occasion,
    Organisation,
    Party,
    Place,
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
    # Quotes of `refs` that prove the claim only together with one of the others (the
    # year of a day the other quotes state). Without them, each quote proves it alone.
    joint: tuple[Ref, ...] = ()

    @property
    def proven(self) -> bool:
        return bool(self.refs) and self.code is None


# One Parties per loaded register (weakly held: a register reloaded after a write is new).
_PARTIES: weakref.WeakKeyDictionary[Register, Parties] = weakref.WeakKeyDictionary()


# --- countries ---------------------------------------------------------------------------


class Countries:
    """The countries' words, folded, to find the country a sentence or a name is about."""

    def __init__(self, register: Register) -> None:
        self.words: dict[str, list[str]] = {}
        self.before: dict[str, list[str]] = {}  # English adjectives and names, before a name
        # Every spelling of a registered place, folded -> (the place, its country's code).
        self.places: dict[str, tuple[Place, str]] = {}
        for country in register.countries.values():
            words = {fold_keep_marks(w) for w in country.words()}
            self.words[country.id] = sorted(words, key=len, reverse=True)
            english = {fold_keep_marks(w) for w in [country.name.en, *country.terms.get("en")]}
            self.before[country.id] = sorted(english, key=len, reverse=True)
            for place in country.places:
                for word in place.words():
                    self.places.setdefault(fold_keep_marks(word), (place, country.id))

    def place(self, city: str) -> tuple[Place, str] | None:
        """The registered place `city` is a spelling of, and its country's code."""
        return self.places.get(fold_keep_marks(city))

    @staticmethod
    def place_words(place: Place) -> list[str]:
        """Every spelling of `place`, folded, longest first."""
        return sorted({fold_keep_marks(w) for w in place.words()}, key=len, reverse=True)

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
        self.names = sorted(owners, key=len, reverse=True)  # every name, folded, longest first
        self._terms: dict[str | None, dict[str, list[str]]] = {}
        self._sentences: dict[tuple[str, str | None], Sentence] = {}
        self._joined: dict[tuple[str, str], re.Pattern[str]] = {}
        self._readings: dict[int, tuple[Agreement, Reading]] = {}
        self._summaries: dict[int, tuple[Agreement, ReadingSummary]] = {}
        self._titles: dict[str, dict[str, list[Agreement]]] = {}

    @classmethod
    def of(cls, register: Register) -> Parties:
        """The one `Parties` of a loaded register, so every check shares its caches."""
        found = _PARTIES.get(register)
        if found is None:
            found = _PARTIES[register] = cls(register)
        return found

    def reading(self, agreement: Agreement) -> Reading:
        """The record's quotes read in their sentences. The last few are kept whole; of
        every record, only what the accounts and coverage checks ask again (`summary`), so
        100,000 records' sentences are not held at once."""
        held = self._readings.get(id(agreement))
        if held is None or held[0] is not agreement:
            if len(self._readings) >= 1024:
                self._readings.clear()
            held = self._readings[id(agreement)] = (
                agreement,
                Reading(self.register, agreement, self),
            )
            reading = held[1]
            self._summaries[id(agreement)] = (agreement, reading.summary())
        return held[1]

    def summary(self, agreement: Agreement) -> ReadingSummary:
        """What the coverage and accounts checks need of a record's reading, read once."""
        held = self._summaries.get(id(agreement))
        if held is None or held[0] is not agreement:
            self.reading(agreement)
            held = self._summaries[id(agreement)]
        return held[1]

    def joined(self, first: str, second: str) -> re.Pattern[str]:
        """The two countries joined by "and", either way round ("Việt Nam và Azerbaijan")."""
        key = (first, second)
        if key not in self._joined:
            one = "|".join(re.escape(w) for w in self.countries.words.get(first, [])) or "(?!)"
            two = "|".join(re.escape(w) for w in self.countries.words.get(second, [])) or "(?!)"
            joint = r"\s+(?:và|and|und|et|и|với)\s+"
            self._joined[key] = re.compile(
                rf"(?<!\w)(?:(?:{one}){joint}(?:{two})|(?:{two}){joint}(?:{one}))(?!\w)"
            )
        return self._joined[key]

    def titles(self, lang: str) -> dict[str, list[Agreement]]:
        """The records by their folded title in `lang`, built once per run (a title
        looked up for each of 10,000 records must not scan the other 9,999)."""
        if lang not in self._titles:
            index: dict[str, list[Agreement]] = {}
            for agreement in self.register.agreements.values():
                title = agreement.title.by_lang.get(lang)
                if title:
                    index.setdefault(fold_keep_marks(title), []).append(agreement)
            self._titles[lang] = index
        return self._titles[lang]

    def split(self, folded: str, lang: str | None) -> Sentence:
        """A folded sentence cut into clauses (cached: records share their sentences)."""
        key = (folded, lang)
        found = self._sentences.get(key)
        if found is None:
            if len(self._sentences) >= 4096:
                self._sentences.clear()  # bounded: 100,000 records' sentences are not kept
            found = self._sentences[key] = split_sentence(
                folded, self.kind_terms(lang), self.name_spans_in(folded)
            )
        return found

    def kind_terms(self, lang: str | None) -> dict[str, list[str]]:
        """Each kind's terms in `lang` (every language's where it is unknown), folded."""
        if lang not in self._terms:
            self._terms[lang] = {
                kind.id: [fold_keep_marks(t) for t in
                          (kind.terms.get(lang) if lang else kind.terms.all())]
                for kind in self.register.kinds.values()
            }  # fmt: skip
        return self._terms[lang]

    def name_spans_in(self, folded: str) -> list[tuple[int, int]]:
        """Where any organisation's name stands in a folded text (commas inside a name do
        not cut a clause)."""
        return [span for name in self.names if name in folded
                for span in whole_words(folded, name)]  # fmt: skip

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


# --- reading a record's quotes in their sentences ----------------------------------------


@dataclass
class Passage:
    """One evidence quote read in its source sentence (both folded).

    `lo`/`hi` are where the quote stands in `sentence.text`; only words between them
    prove anything, but the sentence decides which clause they belong to.
    """

    index: int
    lang: str | None
    sentence: Sentence
    lo: int
    hi: int
    dateline: bool
    today: Mention | None  # the article's dateline day, for "today" (its year if given)
    found: bool = True  # False: the quote is not in its source, and proves nothing

    def part(self, start: int, end: int) -> tuple[int, int] | None:
        a, b = max(start, self.lo), min(end, self.hi)
        return (a, b) if a < b else None

    def text(self, span: tuple[int, int]) -> str:
        return self.sentence.text[span[0] : span[1]]


@dataclass(frozen=True, slots=True)
class ReadingSummary:
    """Per evidence quote, whether each kind term it holds names the record's document;
    per clause about the record's document, the kinds it names."""

    flags: tuple[tuple[bool, ...], ...]
    clause_kinds: tuple[tuple[str, ...], ...]


class Reading:
    """A record's quotes, each read in its sentence: which clause is about the record's
    document, what the sentence shares, who witnesses. Claims are proven from these."""

    def __init__(self, register: Register, agreement: Agreement, parties: Parties) -> None:
        self.register = register
        self.agreement = agreement
        self.parties = parties
        self.passages = [
            self._passage(i, e.source, e.quote) for i, e in enumerate(agreement.evidence)
        ]
        signing = [p for p in agreement.parties if p.role in SIGNING_ROLES]
        if not signing:
            signing = [p for p in agreement.parties if p.role != "witness"]
        self.signing = [
            register.organisations[p.org] for p in signing if p.org in register.organisations
        ]
        self.sides = {p.side for p in signing if p.side}
        # For each passage, the clauses (quote part) about the record's document, and the
        # organisations a clause names together ("Bộ Văn hóa hai nước", "hai bên").
        self.clauses: dict[int, list[tuple[Clause, tuple[int, int]]]] = {}
        self.together: dict[tuple[int, int], set[str]] = {}
        candidates: list[tuple[Passage, Clause, tuple[int, int], set[str]]] = []
        for passage in self.passages:
            self.clauses[passage.index] = []
            documents = passage.sentence.documents()
            for clause in documents:
                part = passage.part(clause.start, clause.end)
                if part is None or not any(passage.part(a, b) for a, b, _ in clause.kinds):
                    continue
                together = self._together(passage, clause, part, len(documents))
                if together:
                    self.together[(passage.index, clause.start)] = together
                named = together | {o.id for o in self.signing if self.named(passage, o, part)}
                if named:
                    candidates.append((passage, clause, part, named))
        # The clause about the record's document names its signatories together. Where no
        # clause names them all, the one naming the most (and, among those, the record's
        # first signatory) is its clause: a party named only in a neighbouring clause
        # ("…; C và D trao Y") belongs to another document.
        best = max((len(named) for *_, named in candidates), default=0)
        chosen = [c for c in candidates if len(c[3]) == best]
        if best < len(self.signing) and self.signing and len(chosen) > 1:
            # Several clauses each name part of the record: the one about its sectors
            # ("văn hóa" for a culture MoU), then the one naming its first signatory.
            terms = [fold_keep_marks(t) for sector in agreement.sectors
                     if (known := register.sectors.get(sector))
                     for t in known.terms.all()]  # fmt: skip
            score = {id(c): sum(bool(whole_words(c[0].text(c[2]), t)) for t in terms)
                     for c in chosen}  # fmt: skip
            top = max(score.values())
            chosen = [c for c in chosen if score[id(c)] == top]
            first = [c for c in chosen if self.signing[0].id in c[3]]
            chosen = first or chosen
        for passage, clause, part, _named in chosen:
            self.clauses[passage.index].append((clause, part))

    def _together(
        self, passage: Passage, clause: Clause, part: tuple[int, int], documents: int
    ) -> set[str]:
        """The signing organisations a clause names together, as the press does: "hai bên"
        or "both sides" (when the clause is about this kind of document, or is the only
        one), or each one's own field with both countries ("Bộ Văn hóa hai nước", "the
        culture ministries of Viet Nam and Azerbaijan")."""
        if len(self.sides) < 2:
            return set()
        text = passage.text(part)
        ids = {org.id for org in self.signing}
        own_kind = any(k == self.agreement.kind for _, _, k in clause.kinds)
        if own_kind and has_word(text, BOTH_SIDES):
            return ids  # "hai bên thông qua Tuyên bố chung" names a joint statement's sides
        plural = has_word(text, BOTH_COUNTRIES) or (
            any(word in text for word in PLURAL_MINISTRIES)  # "Verteidigungsministerien"
            and all(self.parties.countries.named_in(text, side) for side in self.sides)
        )
        ministries = all(org.type == "ministry" for org in self.signing)
        # "Bộ Quốc phòng Việt Nam và Azerbaijan", "the defence ministries of Vietnam and
        # Azerbaijan": one field, the two countries joined by "and".
        plural = plural or self._countries_joined(text)
        if plural and ministries and all(self._field_named(org, text) for org in self.signing):
            return ids
        if own_kind and documents == 1 and ministries and has_word(text, BOTH_MINISTRIES):
            return ids
        return set()

    def _countries_joined(self, text: str) -> bool:
        sides = sorted(self.sides)
        if len(sides) != 2:
            return False
        return self.parties.joined(sides[0], sides[1]).search(text) is not None

    def _field_named(self, org: Organisation, text: str) -> bool:
        """Whether the words that set `org` apart (its field: "văn hóa", "culture",
        "justice") stand in `text`, inflected or in a compound ("Justizministerien")."""
        countries = self.parties.countries.words.get(org.country or "", [])
        stems = tuple(w[:5] for w in countries if len(w) >= 5)
        for name in org.all_names():
            # The first word that is neither "ministry" nor the country ("vietnamesische",
            # "Вьетнама") says the field: "culture", "Kultur", "культуры".
            words = [w for w in re.findall(r"\w+", fold_keep_marks(name))
                     if w not in NAME_WORDS and w not in countries
                     and not (len(w) >= 5 and w.startswith(stems))]  # fmt: skip
            if words and _stem_in(text, words[0]):
                return True
        return False

    def _passage(self, index: int, source_id: str, quote: str) -> Passage:
        source = self.register.sources.get(source_id)
        lang = source.lang if source else None
        text = self.register.source_text(source_id)
        folded_quote = fold_keep_marks(quote)
        span = text.find(quote) if text is not None else None
        if text is None or span is None:
            # A quote that is not in its source proves nothing (`quote-not-found` says why).
            return Passage(index, lang, Sentence("", [], []), 0, 0, False, None, found=False)
        start, end = sentence_bounds(text.text, span.start, span.end)
        sentence = self.parties.split(fold_keep_marks(text.text[start:end]), lang)
        lo = sentence.text.find(folded_quote)
        if lo < 0:
            sentence, lo = self.parties.split(folded_quote, lang), 0
        return Passage(
            index,
            lang,
            sentence,
            lo,
            lo + len(folded_quote),
            in_dateline(text.text, span.start, span.end),
            _dateline_day(text.text),
        )

    def named(
        self, passage: Passage, org: Organisation, span: tuple[int, int], *, witnesses: bool = False
    ) -> bool:
        """Whether `org` is named (as itself, not a namesake) within span of the sentence;
        in its witness phrases too only with `witnesses`."""
        return bool(self.name_spans(passage, org, span, witnesses=witnesses))

    def name_spans(
        self, passage: Passage, org: Organisation, span: tuple[int, int], *, witnesses: bool = False
    ) -> list[tuple[int, int]]:
        """Where `org` is named within `span`: outside the sentence's witness phrases (a
        witness of an exchange is no party to the document) unless `witnesses`."""
        text = passage.sentence.text
        skip = () if witnesses else witness_spans(text)
        found = []
        for name in sorted(set(org.all_names()), key=len, reverse=True):
            for a, b in whole_words(text, fold_keep_marks(name)):
                if not (span[0] <= a and b <= span[1]) or any(x <= a < y for x, y in found):
                    continue
                if any(x <= a < y for x, y in skip):
                    continue
                if self.parties.at(org, name, text, a, b) is True:
                    found.append((a, b))
        return found

    def witness_refs(self, org: Organisation) -> list[int]:
        """Quotes that name `org` in a witness phrase of a sentence about the documents."""
        refs = []
        for p in self.passages:
            if p.dateline or not self._about_record(p):
                continue
            for a, b in witness_spans(p.sentence.text):
                part = p.part(a, b)
                if part and self.named(p, org, part, witnesses=True):
                    refs.append(p.index)
                    break
        return refs

    def _about_record(self, p: Passage) -> bool:
        """A sentence about this record's document, or about the documents as a whole
        and about no other document."""
        if self.clauses[p.index]:
            return True
        return p.sentence.is_about_documents() and not p.sentence.documents()

    def subject_refs(self, org: Organisation) -> list[int]:
        """Quotes in which `org` exchanges, signs or adopts the record's document: named in
        its clause outside a between or witness phrase, in a sentence with such a verb."""
        refs = []
        for p in self.passages:
            text = p.sentence.text
            if not has_word(text, SIGN_VERBS):
                continue
            witnesses = witness_spans(text)
            for clause, part in self.clauses[p.index]:
                between = first_word(text, BETWEEN, clause.start, clause.end)
                if org.id in self.together.get((p.index, clause.start), ()):
                    verb = first_word(text, SIGN_VERBS, clause.start, clause.end)
                    if verb is not None or between is None:
                        refs.append(p.index)
                        break
                for a, _ in self.name_spans(p, org, part):
                    if between is not None and a > between:
                        continue
                    if any(x <= a < y for x, y in witnesses):
                        continue
                    refs.append(p.index)
                    break
                if refs and refs[-1] == p.index:
                    break
        return refs

    def summary(self) -> ReadingSummary:
        """The small part of the reading other checks use again."""
        return ReadingSummary(
            tuple(tuple(self.mention_flags(p.index)) for p in self.passages),
            tuple(
                tuple(k for a, _, k in clause.kinds if part[0] <= a < part[1])
                for p in self.passages
                for clause, part in self.clauses[p.index]
            ),
        )

    def mention_flags(self, index: int) -> list[bool]:
        """For each kind term that quote `index` holds, in order: whether it names the
        record's document (it stands in the record's clause) or another one."""
        p = self.passages[index]
        mine = {c.start for c, _ in self.clauses[index]}
        return [
            clause.start in mine
            for clause in p.sentence.documents()
            for a, b, _ in clause.kinds
            if p.part(a, b)
        ]

    def other_document(self, org: Organisation) -> str | None:
        """The start of a clause about another document that names `org`, if any."""
        for p in self.passages:
            mine = {c.start for c, _ in self.clauses[p.index]}
            for clause in p.sentence.documents():
                part = p.part(clause.start, clause.end)
                if clause.start in mine or part is None:
                    continue
                if self.named(p, org, part):
                    return " ".join(p.text(part).split()[:12]) + "…"
        return None

    def clause_refs(self, org: Organisation) -> list[int]:
        """Quotes whose clause about the record's document names `org`, alone or together
        with the other side."""
        return [
            p.index
            for p in self.passages
            if any(
                self.named(p, org, part) or org.id in self.together.get((p.index, c.start), ())
                for c, part in self.clauses[p.index]
            )
        ]

    def scope(self, p: Passage) -> list[tuple[int, int]]:
        """The parts of a quote that may state the time and place of the record's
        document: its clauses and what their sentence shares, or a sentence about the
        documents as a whole; never a dateline."""
        if p.dateline:
            return []
        if self.clauses[p.index]:
            parts = [part for _, part in self.clauses[p.index]]
        elif self._about_record(p):
            parts = []
        else:
            return []
        for a, b in p.sentence.shared:
            part = p.part(a, b)
            if part:
                parts.append(part)
        return parts


_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _weekday_beside(text: str, date: dt.date) -> int | None:
    """The weekday a text names right before or after the day and month of `date`
    ("Wednesday, May 7", "thứ Tư, ngày 7/5", "mercredi 7 mai"), if any."""
    for at, number in weekdays_in(text):
        near = text[max(0, at - 25) : at + 40]
        if any(m.on(date) for m in dates_in(near)):
            return number
    return None


def _weekday_means(text: str, today: Mention, date: dt.date) -> dt.date | None:
    """The day a weekday alone ("on Wednesday", "am Mittwoch") means in an article dated
    `today` (in the year of `date` where the dateline gives none): that weekday in the six
    days up to the dateline. None when the text names no weekday, or names a date beside
    it (the date says the day)."""
    named = weekdays_in(text)
    if not named or dates_in(text):
        return None
    try:
        day = dt.date(today.year or date.year, today.month, today.day)
    except ValueError:
        return None
    return day - dt.timedelta(days=(day.weekday() - named[0][1]) % 7)


def _stem_in(text: str, word: str) -> bool:
    """`word` in `text`, allowing inflection and compounds ("Justizministerien" holds
    "justiz", "министерства культуры" holds "культур"): a long word's stem (all but its
    last three letters) anywhere; a short word whole."""
    if len(word) <= 3:
        return bool(whole_words(text, word))
    return word[: max(4, len(word) - 3)] in text


def _dateline_day(text: str) -> Mention | None:
    """The day an article's dateline gives, with its year where it has one."""
    stop = dateline_end(text)
    if not stop:
        return None
    found = dates_in(text[:stop])
    return next((m for m in found if m.full() is not None), found[0] if found else None)


# --- dates -------------------------------------------------------------------------------

_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\d/])")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_VI_WORDS = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2})(?: năm (\d{4}))?")
# "7 May 2025", "7. Mai 2025", "7 mai 2025", "7 мая 2025", "07.05.2025".
_EN_DAY_MONTH = re.compile(
    rf"(?<![\w-])(\d{{1,2}})(?:\.|st|nd|rd|th)? (?:of )?({_MONTH_WORDS})(?:,? (\d{{4}}))?(?!\w)"
)
# "7-5", "ngày 7-5-2025": a day and month joined by a hyphen, never part of a span or a term.
_DASHED = re.compile(r"(?<![\d/.-])(\d{1,2})-(\d{1,2})(?:-(\d{4}))?(?![\d/-])")
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
    # Where it stands in the folded quote: for the reader (`proving_words`), not compared.
    at: tuple[int, int] = dataclasses.field(default=(0, 0), compare=False)

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

    def add(m: re.Match[str], day: str, month: str, year: str | None) -> None:
        found.append(Mention(int(day), int(month), int(year) if year else None, m.span()))

    for m in _NUMERIC.finditer(text):
        add(m, m.group(1), m.group(2), m.group(3))
    for m in _ISO.finditer(text):
        add(m, m.group(3), m.group(2), m.group(1))
    for m in _VI_WORDS.finditer(text):
        add(m, m.group(1), m.group(2), m.group(3))
    for m in _DASHED.finditer(text):
        if 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12:
            add(m, m.group(1), m.group(2), m.group(3))
    for m in _EN_DAY_MONTH.finditer(text):
        add(m, m.group(1), str(MONTHS[m.group(2)]), m.group(3))
    for m in _EN_MONTH_DAY.finditer(text):
        add(m, m.group(2), str(MONTHS[m.group(1)]), m.group(3))
    for m in _DOTTED.finditer(text):
        add(m, m.group(1), m.group(2), m.group(3))
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
            joint = (year_ref,) if year_ref != ref else ()
            claims.append(
                Claim(field, day.isoformat(), (field,), _unique(ref, year_ref), joint=joint)
            )
    city = occasion.place.split(",")[0]
    known = Parties.of(register).countries.place(city)
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


# --- records -----------------------------------------------------------------------------


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
        claims.extend(_party_claims(reading, p, party, org))
    claims.append(_kind_claim(reading))
    claims.append(_date_claim(register, agreement, reading, occasion))
    claims.append(_place_claim(reading, occasion))
    if agreement.term:
        claims.append(_term_claim(reading))
    claims.extend(_title_claims(reading))
    claims.extend(_support_claims(reading, claims))
    claims.extend(_note_claims(reading))
    return claims


def _note_claims(reading: Reading) -> list[Claim]:
    """A follow-up note's quote reports what followed the signing: it names the document
    or its parties, and is not the signing passage the record already quotes (except the
    note that records a planned document's signing)."""
    register, agreement = reading.register, reading.agreement
    claims = []
    own = {}
    for e in agreement.evidence:
        text = register.source_text(e.source)
        span = text.find(e.quote) if text else None
        if span is not None:
            own.setdefault(e.source, []).append((span.start, span.end))
    orgs = [register.organisations[p.org] for p in agreement.parties
            if p.org in register.organisations]  # fmt: skip
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
                      "document nor its parties: quote the passage that reports this "
                      "follow-up")
            )  # fmt: skip
    return claims


def _refs(indexes: list[int]) -> tuple[Ref, ...]:
    return tuple(Ref(None, i) for i in sorted(set(indexes)))


def _party_claims(reading: Reading, p: int, party: Party, org: Organisation) -> list[Claim]:
    """The party is named where its role puts it, its role is the one the clause gives it,
    its side is its country, and its signer signs."""
    register = reading.register
    value = f"{party.org} ({party.role}, {party.side or 'no side'})"
    path = ("parties", p, "org")
    claims: list[Claim] = []
    if party.role == "witness":
        named = reading.witness_refs(org)
        role_refs = named
        where = (
            "in a witness phrase (\u201cX witnessed\u201d, \u201cin the presence of X\u201d, "
            "\u201cchứng kiến\u201d) of a sentence about the documents"
        )
    else:
        named = reading.clause_refs(org)
        role_refs = reading.subject_refs(org) if party.role in SIGNING_ROLES else named
        where = (
            "in the clause about this document (the part of a sentence that holds its kind "
            "term and its signatories)"
        )
    if named:
        claims.append(Claim(f"parties.{p}", value, path, _refs(named)))
    else:
        others = {
            o
            for q in reading.passages
            if (o := reading.parties.check(org, q.text((q.lo, q.hi)))[1])
        }
        if others and party.role != "witness":
            claims.append(
                Claim(
                    f"parties.{p}",
                    value,
                    path,
                    code="party-other-country",
                    message=f"party {party.org!r}: the quotes name it only beside "
                    f"another country ({', '.join(sorted(others))}); quote the "
                    f"passage that names {org.name.en}, or choose the organisation "
                    "the quote names",
                )
            )
        else:
            claims.append(_unnamed_party(reading, p, party, org, value, where))
    if party.role in SIGNING_ROLES and named:
        role_path = ("parties", p, "role")
        if role_refs:
            claims.append(Claim(f"parties.{p}.role", party.role, role_path, _refs(role_refs)))
        else:
            claims.append(
                Claim(
                    f"parties.{p}.role",
                    party.role,
                    role_path,
                    code="unproven-role",
                    message=f"party {party.org!r} as {party.role!r}: the quotes "
                    "name it in the document's clause, but not as the one who "
                    "exchanges or signs it (it stands after \u201cbetween\u201d/"
                    "\u201cgiữa\u201d, or no verb signs): quote the sentence in "
                    "which it signs, or make it a 'named party'",
                )
            )
    if party.role in ("named party", "beneficiary") and named:
        signs = reading.subject_refs(org)
        if signs:
            claims.append(
                Claim(f"parties.{p}.role", party.role, ("parties", p, "role"),
                      code="role-contradicted",
                      message=f"party {party.org!r} as {party.role!r}: quote {signs[0] + 1} "
                      "shows it exchanging or signing the document itself; make it a "
                      "'signatory'")
            )  # fmt: skip
    claims.extend(_side_claim(register, p, party, org))
    signer = register.organisations.get(party.signer or "")
    if signer is not None:
        refs = reading.subject_refs(signer) or [
            i for i in reading.clause_refs(signer) if i not in reading.witness_refs(signer)
        ]
        field, spath = f"parties.{p}.signer", ("parties", p, "signer")
        if signer.country and org.country and signer.country != org.country:
            claims.append(
                Claim(field, party.signer or "", spath, code="signer-other-country",
                      message=f"signer {party.signer!r} ({signer.country}) of party "
                      f"{party.org!r} ({org.country}): a signer signs for their own "
                      "country's party; move the signer to that party, or remove it")
            )  # fmt: skip
        elif refs and not reading.witness_refs(signer):
            claims.append(Claim(field, party.signer or "", spath, _refs(refs)))
        else:
            why = (
                "the quotes name them as a witness, not as the one who signs"
                if reading.witness_refs(signer)
                else "no quote names them in the clause about this document"
            )
            claims.append(
                Claim(
                    field,
                    party.signer or "",
                    spath,
                    code="ungrounded-signer",
                    message=f"signer {party.signer!r} of party {party.org!r}: "
                    f"{why}; quote \u201csigned by …\u201d or \u201c… on behalf "
                    "of …\u201d, or remove the signer",
                )
            )
    return claims


def _unnamed_party(
    reading: Reading, p: int, party: Party, org: Organisation, value: str, where: str
) -> Claim:
    """Why no quote names a party where its role puts it, with the fix that works."""
    path: tuple[str | int, ...] = ("parties", p, "org")
    other = reading.other_document(org) if party.role != "witness" else None
    if other is not None:
        return Claim(f"parties.{p}", value, path, code="party-of-another-document",
                     message=f"party {party.org!r}: the quotes name it only in the clause "
                     f"about another document ({other!r}), not in the one about this "
                     "document; choose the organisation this document's clause names")  # fmt: skip
    if any(reading.named(q, org, (q.lo, q.hi), witnesses=True) for q in reading.passages):
        return Claim(f"parties.{p}", value, ("parties", p, "role"), code="unproven-role",
                     message=f"party {party.org!r}: a quote names it, but not {where}: quote "
                     f"the sentence in which it takes part as a {party.role}, or correct its "
                     "role")  # fmt: skip
    if all(reading.parties.ambiguous(org, n) for n in org.all_names()):
        hint = ("its names here are generic or shared, so the sentence must also name "
                f"{org.country}'s country")  # fmt: skip
    else:
        names = ", ".join(repr(n) for n in dict.fromkeys(org.all_names()))
        hint = (f"no quote names it (its names: {names}): quote the passage that names it, "
                "or, if the source spells it another way, add that spelling "
                f"(`agreements org alias {org.id} SPELLING`)")  # fmt: skip
    return Claim(f"parties.{p}", value, path, code="ungrounded-party",
                 message=f"party {party.org!r}: {hint}")  # fmt: skip


def _side_claim(register: Register, p: int, party: Party, org: Organisation) -> list[Claim]:
    """A party's side is its organisation's country in the registry."""
    path = ("parties", p, "side")
    value = party.side or ""
    if party.side == org.country:
        return []  # nothing to prove beyond the registry
    if org.country is None:
        message = (
            f"party {party.org!r} on side {party.side!r}: the registry gives it no "
            f"country ({REGISTRY_DIR}/organisations.yaml); leave side empty (null), "
            "or give the organisation its country if a source states it"
        )
    else:
        message = (
            f"party {party.org!r} on side {party.side or 'none'!r}: its country in "
            f"{REGISTRY_DIR}/organisations.yaml is {org.country}; set side: "
            f"{org.country}"
        )
    return [Claim(f"parties.{p}.side", value, path, code="side-not-country", message=message)]


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
        return Claim("kind", agreement.kind, path, _refs(refs))
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
            f"of its terms ({', '.join(kind.terms.all())}) in the source's language"
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
        named = _weekday_beside(text, date)
        if named is not None and named != date.weekday():
            # "Wednesday, May 8": a weekday named with a date must agree with it.
            wrong_weekday.append((p.index, _WEEKDAY_EN[named]))
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
        if today is not None and ((has_word(text, TODAY) and today.on(date))
                                  or _weekday_means(text, today, date) == date):  # fmt: skip
            (full if today.year == date.year else day_month).append(p.index)
    for p in reading.passages:
        whole = p.text((p.lo, p.hi))
        if p.index not in full + day_month and any(m.on(date) for m in dates_in(whole)):
            elsewhere.append(p.index)
    if full:
        return Claim("date", value, path, _refs(full))
    if day_month and occasion is not None:
        quotes_of = [e.quote for e in occasion.evidence]
        start = _day_month_ref(occasion, quotes_of, occasion.start, "start")
        year = occasion_year(occasion)
        if start is not None and year is not None:
            return Claim("date", value, path, (*_refs(day_month), year), joint=(year,))
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
    # report datelined "Hà Nội, ngày 12/3/2026" (the day on or before the article's).
    dated = [i for i in day_month
             if (today := reading.passages[i].today) is not None
             and today.year == date.year and date <= today.full()]  # fmt: skip
    if dated:
        sources = {reading.agreement.evidence[i].source for i in dated}
        lines = [
            p.index
            for p in reading.passages
            if p.dateline and reading.agreement.evidence[p.index].source in sources
        ]
        return Claim("date", value, path, _refs(dated + lines), joint=_refs(lines))
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
            f"{_WEEKDAY_EN[date.weekday()]}: one of the two is wrong; check the source and "
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
        message=f"date {date}: no quote of the record states {date.day}/{date.month} "
        "(a year, a span or a dateline does not prove a day)",
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
    if known is None:
        code = next(
            (c for c, words in countries.words.items() if fold_keep_marks(country) in words), None
        )
        under = f"the places of {code}" if code else "the places of its country"
        return Claim(
            "place",
            place,
            path,
            code="unknown-place",
            message=f"place {place!r}: {city!r} is not a place in {REGISTRY_DIR}/countries.yaml: "
            f"if it is the city the sources name, add it under {under} with every spelling "
            f"the sources use (- name: {{en: {city}}}); otherwise write the city the sources "
            'name, as "City, Country"',
        )
    registered, code = known
    if country and fold_keep_marks(country) not in countries.words.get(code, []):
        name = reading.register.countries[code].name.en
        return Claim(
            "place",
            place,
            path,
            code="place-wrong-country",
            message=f"place {place!r}: {city} is in {name} ({REGISTRY_DIR}/countries.yaml), "
            f'not {country}: write "{city}, {name}"',
        )
    words = countries.place_words(registered)
    refs: list[Ref] = []
    for p in reading.passages:
        if any(located(p.text(part), w) for part in reading.scope(p) for w in words):
            refs.append(Ref(None, p.index))
    if occasion is not None:
        on = countries.place(occasion.place.partition(",")[0].strip())
        if on is not None and on[0] is registered:
            for i, evidence in enumerate(occasion.evidence):
                quote = fold_keep_marks(evidence.quote)
                if any(located(quote, w) for w in words):
                    refs.append(Ref(occasion.id, i))
    if refs:
        return Claim("place", place, path, _unique(*refs))
    return Claim(
        "place",
        place,
        path,
        code="ungrounded-place",
        message=f"place {place!r}: no quote about this document or its occasion says "
        f"it happened in {city} (\u201ctại {city}\u201d, \u201cin {city}\u201d, or another "
        f"of its spellings in {REGISTRY_DIR}/countries.yaml)",
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
        if _year_in(p.text(part), start) and _year_in(p.text(part), end)
    ]
    if refs:
        return Claim("term", value, ("term",), _refs(refs))
    anywhere = [
        p.index + 1
        for p in reading.passages
        if _year_in(p.text((p.lo, p.hi)), start) and _year_in(p.text((p.lo, p.hi)), end)
    ]
    where = (
        f"quote {anywhere[0]} states both years, but not in the clause about this "
        "document: they are another document's term"
        if anywhere
        else "no quote states both years"
    )
    return Claim("term", value, ("term",), code="ungrounded-term", message=f"term {value}: {where}")


def _year_in(text: str, year: str) -> bool:
    return year in text and _year_pattern(year).search(text) is not None


@functools.lru_cache(maxsize=1024)
def _year_pattern(year: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![0-9]){re.escape(year)}(?![0-9])")


def _title_claims(reading: Reading) -> list[Claim]:
    """A record's title is the document's name as a clause about it writes it, in that
    clause's language. Once one language's title is so proven, the others are
    translations (shown, not checked), but none may be another record's title."""
    register, agreement = reading.register, reading.agreement
    proven: dict[str, list[int]] = {}
    missing: dict[str, int] = {}
    for lang, title in agreement.title.by_lang.items():
        wanted = fold_keep_marks(_shown_title(title))
        for p in reading.passages:
            if p.lang != lang:
                continue
            for _, part in reading.clauses[p.index]:
                if whole_words(p.text(part), wanted):
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
        if lang in proven:
            claims.append(Claim(field, shown, path, _refs(proven[lang])))
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
        else:
            claims.append(
                Claim(field, shown, path, finding=False, code="title-translation",
                      message="a translation: shown, not checked against a quote")
            )  # fmt: skip
    return claims


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
            why = (f"it is about another document (a {others[0]} whose clause names none "
                   "of this record's signatories by a name the registry knows; if it is this "
                   "document and the source spells them otherwise, add that spelling: "
                   "`agreements org alias ORG SPELLING`)")  # fmt: skip
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


def evidence_of(register: Register, agreement: Agreement, ref: Ref) -> Evidence | None:
    """The quote a reference names."""
    if ref.occasion is None:
        return agreement.evidence[ref.index] if ref.index < len(agreement.evidence) else None
    occasion = register.occasions.get(ref.occasion)
    if occasion is None or ref.index >= len(occasion.evidence):
        return None
    return occasion.evidence[ref.index]


# --- for the reader: the words that prove a claim ------------------------------------------


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


def all_claims(register: Register) -> Iterator[tuple[str, Agreement | Occasion, Claim]]:
    """Every claim of every occasion, then of every record: (kind, owner, claim)."""
    for occasion in register.occasions.values():
        for claim in prove_occasion(register, occasion):
            yield "occasion", occasion, claim
    parties = Parties.of(register)
    for agreement in register.agreements.values():
        for claim in prove_record(register, agreement, parties):
            yield "record", agreement, claim


# --- accounts ----------------------------------------------------------------------------


def prove_account(
    register: Register, agreement: Agreement, account: Account, parties: Parties | None = None
) -> Claim:
    """An account is proven exactly like the record's own claim: the record with the
    account's reading in place of its own, and the account's quote as its only evidence."""
    parties = parties or Parties.of(register)
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
            org = register.organisations.get(party.org)
            if rest == ["side"] and org is not None and value != org.country:
                # Another side than the registry's country only where the quote says so.
                if _states_side(parties, account.quote, value):
                    return Claim(field, value, ("accounts",), (Ref(None, 0),))
                return _unproven(account, "unproven-account",
                                 f"account of {field} ({value}): the quote does not say that "
                                 f"{party.org} is on the {value} side, and the registry gives "
                                 f"its country as {org.country or 'none'}")  # fmt: skip
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


_SIDE_WORDS = ("phía", "bên", "side", "стороны", "сторона", "côté", "seite", "partie")


def _states_side(parties: Parties, quote: str, country: str) -> bool:
    """Whether a quote puts something on `country`'s side: "phía Việt Nam", "the Vietnamese
    side", "со стороны Вьетнама", "côté vietnamien", "vietnamesischen Seite"."""
    folded = fold_keep_marks(quote)
    words = parties.countries.words.get(country, [])
    for side_word in _SIDE_WORDS:
        for start, end in whole_words(folded, side_word):
            near = folded[max(0, start - 30) : end + 30]
            if any(whole_words(near, w) for w in words):
                return True
    return False


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
    """Other kinds the clause about the record's document gives it, in the record's own
    quotes, that no account records: the sources disagree and nobody has said so. A kind
    in a neighbouring clause is another document's, not a disagreement."""
    recorded = {a.value for a in agreement.accounts if a.field == "kind"}
    found: list[str] = []
    for kinds in parties.summary(agreement).clause_kinds:
        if agreement.kind in kinds:
            continue  # the clause names the record's own kind (and perhaps a part of it)
        for kind in kinds:
            if kind not in (agreement.kind, *recorded, *found):
                found.append(kind)
    return found
