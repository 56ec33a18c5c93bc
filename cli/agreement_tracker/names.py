"""What a text names: organisations and countries.

Which names of the registry are generic ("Bộ Tư pháp") or shared, which country a
sentence puts beside a name, and the registered places (cities) in every spelling. One
`Parties` per loaded register holds these, and the readings of its records.
"""

from __future__ import annotations

import itertools
import re
import weakref
from typing import TYPE_CHECKING

from agreement_tracker.loader import Register
from agreement_tracker.mentions import (
    NAME_WORDS,
    Sentence,
    ministry_phrases,
    split_sentence,
    witness_spans,
)
from agreement_tracker.model import Agreement, Organisation, Place
from agreement_tracker.text import UNSPACED, fold_keep_marks, whole_words

if TYPE_CHECKING:
    from agreement_tracker.proof.reading import Reading, ReadingSummary


# Organisation types whose names are generic without their country.
GENERIC_TYPES = ("ministry", "government")


# Words that may stand between a name and its country: "Ministry of Justice of the
# Republic of Azerbaijan", "Bộ Ngoại giao nước Cộng hòa …".
_CONNECTOR = re.compile(
    r"\s+(?:(?:of|the|republic|của|nước|cộng hòa|cộng hoà|liên bang)\s+)*", re.UNICODE
)


# Sentences and clauses: a list of exchanged documents is separated by semicolons.
_CLAUSE = re.compile(r"(?<=[.;!?])\s+")


# One Parties per loaded register (weakly held: a register reloaded after a write is new).
_PARTIES: weakref.WeakKeyDictionary[Register, Parties] = weakref.WeakKeyDictionary()


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
        # Each country word, and its country (the first country to list it): one pattern
        # of them all, longest first, instead of a loop over every word at every name.
        self._owner: dict[str, str] = {}
        for code, spellings in self.words.items():
            for word in spellings:
                self._owner.setdefault(word, code)
        self._after = _alternation(self._owner, r"(?!\w)")
        self._owner_before: dict[str, str] = {}
        for code, spellings in self.before.items():
            for word in spellings:
                self._owner_before.setdefault(word, code)
        self._before = _alternation(self._owner_before, r"$", before=r"(?<!\w)")

    def place(self, city: str) -> tuple[Place, str] | None:
        """The registered place `city` is a spelling of, and its country's code."""
        return self.places.get(fold_keep_marks(city))

    def first_place(self, text: str) -> tuple[Place, str] | None:
        """The registered place a (folded) text locates first ("tại Baku", "in Hanoi"):
        where a sentence names two ("signed in Hanoi, a year after they met in
        Vientiane"), the first is where it happened."""
        from agreement_tracker.mentions import located_at

        found = [
            (at, len(word), entry)
            for word, entry in self.places.items()
            if word in text and (at := located_at(text, word)) is not None
        ]
        if not found:
            return None
        return min(found, key=lambda f: (f[0], -f[1]))[2]

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
            found = self._after.match(text, at) if self._after else None
            if found:
                return self._owner[found.group()]
        head = text[:start].rstrip()
        if head != text[:start] and self._before:
            head = _POSSESSIVE.sub("", head)  # "Azerbaijan's Ministry of Defence"
            found = self._before.search(head, max(0, len(head) - _LONGEST_BEFORE))
            if found:
                return self._owner_before[found.group()]
        return None

    def in_name(self, name: str, code: str) -> bool:
        return self.named_in(fold_keep_marks(name), code)


_POSSESSIVE = re.compile(r"['’]s$")
_WORD = re.compile(r"\w+")
# How far back from a name an adjective before it is looked for: longer than any country word.
_LONGEST_BEFORE = 80


def _alternation(words: dict[str, str], after: str, before: str = "") -> re.Pattern[str] | None:
    """One pattern matching any of `words` (longest first), or None for no words."""
    if not words:
        return None
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(before + "(?:" + "|".join(map(re.escape, ordered)) + ")" + after)


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
        # Each name under its first two words (or its one word): a sentence is searched only
        # for the names whose opening words it holds. Names that do not open with a word
        # (or are written without spaces) are searched for in every sentence.
        self._rank = {name: i for i, name in enumerate(self.names)}
        self._by_opening: dict[tuple[str, ...], list[str]] = {}
        self._always: list[str] = []
        for name in self.names:
            words = _WORD.findall(name)
            if not words or not name.startswith(words[0]) or UNSPACED.search(name):
                self._always.append(name)
            else:
                self._by_opening.setdefault(tuple(words[:2]), []).append(name)
        self._terms: dict[str | None, dict[str, list[str]]] = {}
        self._fields: dict[str, list[str]] = {}
        self._hits: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
        self._sentences: dict[tuple[str, str | None], Sentence] = {}
        self._witnesses: dict[str, tuple[tuple[int, int], ...]] = {}
        self._sector_terms: dict[str | None, list[tuple[str, str]]] = {}
        self._joined: dict[tuple[str, str], re.Pattern[str]] = {}
        self._readings: dict[int, tuple[Agreement, Reading]] = {}
        self._summaries: dict[int, tuple[Agreement, ReadingSummary]] = {}
        self._titles: dict[str, dict[str, list[Agreement]]] = {}
        self._ambiguous: dict[tuple[str, str, str | None], bool] = {}
        self._org_names: dict[int, tuple[Organisation, list[tuple[str, str]]]] = {}

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
        from agreement_tracker.proof.reading import Reading  # reading names: a cycle

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
            joint = r"\s+(?:và|and|und|et|и|với)\s+(?:(?:the|das|die|der|den|le|la|les)\s+)?"
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
            # Commas inside a name do not cut a clause: a registered name's, or a ministry's
            # named by what it is ("Министерство культуры, спорта и туризма Вьетнама").
            names = self.name_spans_in(folded) + [
                (lo, hi) for lo, _, hi in ministry_phrases(folded, 0, len(folded))
                if "," in folded[lo:hi]
            ]  # fmt: skip
            found = self._sentences[key] = split_sentence(folded, self.kind_terms(lang), names)
        return found

    def field_terms(self, org: Organisation) -> list[str]:
        """The words, in every language, of the sectors an organisation's English name
        names ("Ministry of Culture" -> culture's terms: "kultur", "culture", "культур"),
        folded. Cached per organisation."""
        found = self._fields.get(org.id)
        if found is None:
            words = set(_WORD.findall(fold_keep_marks(org.name.en)))
            found = sorted(
                {
                    fold_keep_marks(term)
                    for sector in self.register.sectors.values()
                    if words & {fold_keep_marks(t) for t in sector.terms.get("en")}
                    for term in sector.terms.all()
                }
            )
            self._fields[org.id] = found
        return found

    def field_named(self, org: Organisation, text: str) -> bool:
        """Whether the words that set `org` apart (its field: "văn hóa", "culture",
        "justice") stand in `text`, inflected or in a compound ("Justizministerien")."""
        countries = self.countries.words.get(org.country or "", [])
        stems = tuple(w[:5] for w in countries if len(w) >= 5)
        for name in org.all_names():
            # The first word that is neither "ministry" nor the country ("vietnamesische",
            # "Вьетнама") says the field: "culture", "Kultur", "культуры".
            words = [w for w in re.findall(r"\w+", fold_keep_marks(name))
                     if w not in NAME_WORDS and w not in countries
                     and not (len(w) >= 5 and w.startswith(stems))]  # fmt: skip
            if not words:
                continue
            # A short first word is a syllable of a longer field ("văn" of "văn hóa", not
            # of "văn kiện"): the two words together then say the field.
            if len(words[0]) <= 3 and len(words) > 1:
                if whole_words(text, f"{words[0]} {words[1]}"):
                    return True
            elif stem_in(text, words[0]):
                return True
        # The sector its name names, in any language the sectors registry writes it:
        # "Ministry of Culture" is "Kulturministerium", "министерство культуры".
        return any(stem_in(text, term) for term in self.field_terms(org))

    def described(self, org: Organisation, phrase: str) -> bool:
        """A phrase holding a word for ministry that says which one by its field and its
        country ("the Vietnamese justice ministry"), and names no other country or
        registered organisation."""
        countries = self.countries
        if not org.country or not countries.named_in(phrase, org.country):
            return False
        if any(countries.named_in(phrase, c) for c in countries.words if c != org.country):
            return False
        if self.name_hits(phrase):
            return False  # a registered name says which ministry it is
        return self.field_named(org, phrase)

    def sector_terms(self, lang: str | None) -> list[tuple[str, str]]:
        """(sector id, folded term) for every term of `lang` (of every language where
        None), folded once per run, not once per record."""
        found = self._sector_terms.get(lang)
        if found is None:
            found = self._sector_terms[lang] = [
                (sector.id, fold_keep_marks(term))
                for sector in self.register.sectors.values()
                for term in (
                    sector.terms.all() if lang is None else sector.terms.by_lang.get(lang, [])
                )
            ]
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
        return [(a, b) for a, b, _ in self.name_hits(folded)]

    def name_hits(self, folded: str) -> list[tuple[int, int, frozenset[str]]]:
        """Where any organisation's name stands in a folded text, longest names first,
        with the organisations that bear it. Kept for the last few thousand texts."""
        found = self._hits.get(folded)
        if found is None:
            words = _WORD.findall(folded)
            openings = {(w,) for w in words} | set(itertools.pairwise(words))
            candidates = [n for o in openings for n in self._by_opening.get(o, ())]
            found = [
                (a, b, frozenset(self.owners[name]))
                for name in sorted({*candidates, *self._always}, key=self._rank.__getitem__)
                if name in folded
                for a, b in whole_words(folded, name)
            ]
            if len(self._hits) >= 4096:
                self._hits.clear()
            self._hits[folded] = found
        return found

    def witness_spans(self, folded: str) -> tuple[tuple[int, int], ...]:
        """The sentence's witness phrases, each ending before the first organisation that
        is not a person: "Im Beisein von To Lam und Ilham Aliyev haben BSR und das
        Wirtschaftsministerium … ausgetauscht" names its witnesses, then its signatories,
        with no comma between."""
        held = self._witnesses.get(folded)
        if held is not None:
            return held
        spans = []
        for a, b in witness_spans(folded):
            for x, _, owners in self.name_hits(folded[a:b]):
                if all(self.register.organisations[o].type != "person" for o in owners):
                    b = a + x
                    break
            ministries = ministry_phrases(folded, a, b)
            if ministries:
                # Up to the ministry's phrase, which signs, but not before the witnesses
                # named in it ("… Ильхама Алиева Министерство промышленности …").
                lo, word, _ = ministries[0]
                named = [a + y for _, y, _ in self.name_hits(folded[a:b]) if a + y <= word]
                b = max(lo, *named)
            spans.append((a, b))
        if len(self._witnesses) >= 4096:
            self._witnesses.clear()  # bounded, as the sentences are
        found = self._witnesses[folded] = tuple(spans)
        return found

    def inside_another(self, org: Organisation, folded: str, start: int, end: int) -> bool:
        """Whether folded[start:end], a name of `org`, lies inside a longer name of another
        organisation ("Bộ Văn hóa" inside "Bộ Văn hóa, Thể thao và Du lịch Việt Nam")."""
        return any(
            a <= start and end <= b and b - a > end - start and org.id not in owners
            for a, b, owners in self.name_hits(folded)
        )

    def ambiguous(self, org: Organisation, name: str) -> bool:
        """A name another organisation shares, or a ministry's name without its country.
        Cached by what it depends on: every quote that names a party asks again."""
        key = (name, org.type, org.country)
        found = self._ambiguous.get(key)
        if found is None:
            found = self._ambiguous[key] = self._is_ambiguous(org, name)
        return found

    def _is_ambiguous(self, org: Organisation, name: str) -> bool:
        folded = fold_keep_marks(name)
        if len(self.owners.get(folded, ())) > 1:
            return True
        if org.type in GENERIC_TYPES and self.countries.known(org.country):
            return not self.countries.in_name(name, org.country or "")
        return False

    def org_names(self, org: Organisation) -> list[tuple[str, str]]:
        """Every name of `org` and its folded form, longest first (cached per organisation:
        each record's reading looks for its parties' names in each quote)."""
        held = self._org_names.get(id(org))
        if held is None or held[0] is not org:
            names = sorted(set(org.all_names()), key=len, reverse=True)
            held = self._org_names[id(org)] = (org, [(n, fold_keep_marks(n)) for n in names])
        return held[1]

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
        return org.country is not None and self.countries.named_in(
            _clause(folded, start), org.country
        )


def _clause(text: str, at: int) -> str:
    """The sentence or semicolon clause of `text` around position `at`."""
    start = 0
    for match in _CLAUSE.finditer(text):
        if match.start() >= at:
            return text[start : match.start()]
        start = match.end()
    return text[start:]


def stem_in(text: str, word: str) -> bool:
    """`word` in `text`, allowing inflection and compounds ("Justizministerien" holds
    "justiz", "министерства культуры" holds "культур"): a long word's stem (all but its
    last three letters) anywhere; a short word whole."""
    if len(word) <= 3 or " " in word:
        return bool(whole_words(text, word))  # "văn hóa" is not "văn kiện"
    return word[: max(4, len(word) - 3)] in text
