"""A record's quotes read in their source sentences: which clause is about its
document, and who is named there, as signatory, witness or party."""

from __future__ import annotations

from dataclasses import dataclass

from agreement_tracker.dates import Mention, dateline_day, dateline_end, in_dateline
from agreement_tracker.loader import Register
from agreement_tracker.mentions import (
    BETWEEN,
    BOTH_COUNTRIES,
    BOTH_MINISTRIES,
    BOTH_SIDES,
    FOR_WHOM_BEFORE,
    PLURAL_LEADERS,
    PLURAL_MINISTRIES,
    SIGN_VERBS,
    Clause,
    Sentence,
    first_word,
    has_word,
    ministry_phrases,
    phrase_starts,
    sentence_bounds,
)
from agreement_tracker.model import Agreement, Organisation
from agreement_tracker.names import Parties
from agreement_tracker.proof.claims import SIGNING_ROLES
from agreement_tracker.text import fold_keep_marks, whole_words


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
    # Where the sentence goes on after the article's dateline ("Hà Nội, 9/5 (TTXVN) – …"),
    # when it opens with one: the dateline dates and places the article, not a signing.
    opening: int = 0

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
            # Several clauses each name part of the record: the one that writes its title,
            # then the one about its sectors ("văn hóa" for a culture MoU), then the one
            # naming its first signatory.
            titles = [fold_keep_marks(t) for t in agreement.title.by_lang.values()]
            written = [c for c in chosen
                       if any(whole_words(c[0].text(c[2]), t) for t in titles)]  # fmt: skip
            chosen = written or chosen
            terms = [fold_keep_marks(t) for sector in agreement.sectors
                     if (known := register.sectors.get(sector))
                     for t in known.terms.all()]  # fmt: skip
            score = {id(c): sum(bool(whole_words(c[0].text(c[2]), t)) for t in terms)
                     for c in chosen}  # fmt: skip
            top = max(score.values())
            chosen = [c for c in chosen if score[id(c)] == top]
            first = [c for c in chosen if self.signing[0].id in c[3]]
            chosen = first or chosen
        # A sentence of another article that tells of this document naming fewer of its
        # signatories ("BSR and Azerbaijan's Economy Ministry exchanged an MoU…") is about
        # it too, if its clause is of the record's kind and names no one outside the record.
        sentences = {self._sentence_key(c[0]) for c in chosen}
        own = {p.org for p in agreement.parties}
        for candidate in candidates:
            passage, clause, part, _named = candidate
            if candidate in chosen or self._sentence_key(passage) in sentences:
                continue
            if any(k == agreement.kind for *_, k in clause.kinds) and all(
                ids & own for *_, ids in self.parties.name_hits(passage.text(part))
            ):
                chosen.append(candidate)
        for passage, clause, part, _named in chosen:
            self.clauses[passage.index].append((clause, part))

    def _sentence_key(self, passage: Passage) -> tuple[str, str]:
        return (self.agreement.evidence[passage.index].source, passage.sentence.text)

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
        if (
            plural
            and ministries
            and all(self.parties.field_named(org, text) for org in self.signing)
        ):
            return ids
        if own_kind and documents == 1 and ministries and has_word(text, BOTH_MINISTRIES):
            return ids
        # "the Vietnamese and Azerbaijani leaders adopted …": the two countries' leaders.
        leaders = all(org.type == "person" for org in self.signing)
        if own_kind and leaders and plural and has_word(text, PLURAL_LEADERS):
            return ids
        return set()

    def _countries_joined(self, text: str) -> bool:
        sides = sorted(self.sides)
        if len(sides) != 2:
            return False
        return self.parties.joined(sides[0], sides[1]).search(text) is not None

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
        stop = dateline_end(text.text)
        opening = len(fold_keep_marks(text.text[start:stop])) if start < stop else 0
        lo = sentence.text.find(folded_quote)
        if lo < 0:
            sentence, lo, opening = self.parties.split(folded_quote, lang), 0, 0
        return Passage(
            index,
            lang,
            sentence,
            lo,
            lo + len(folded_quote),
            in_dateline(text.text, span.start, span.end),
            dateline_day(text.text),
            opening=opening,
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
        skip = () if witnesses else self.parties.witness_spans(text)
        found: list[tuple[int, int]] = []
        for name, folded in self.parties.org_names(org):
            for a, b in whole_words(text, folded):
                if not (span[0] <= a and b <= span[1]) or any(x <= a < y for x, y in found):
                    continue
                if any(x <= a < y for x, y in skip):
                    continue
                if self.parties.inside_another(org, text, a, b):
                    continue  # a part of another organisation's name, not this one
                if self.parties.at(org, name, text, a, b) is True:
                    found.append((a, b))
        if org.type == "ministry" and not found:
            for lo, word, hi in ministry_phrases(text, *span):
                if any(x <= word < y for x, y in skip):
                    continue
                starts = phrase_starts(text, lo, word)
                at = next((a for a in starts if self.parties.described(org, text[a:hi])), None)
                if at is not None:
                    found.append((at, hi))
        return found

    def witness_refs(self, org: Organisation) -> list[int]:
        """Quotes that name `org` in a witness phrase of a sentence about the documents."""
        refs = []
        for p in self.passages:
            if p.dateline or not self._about_record(p):
                continue
            for a, b in self.parties.witness_spans(p.sentence.text):
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

    def beneficiary_refs(self, org: Organisation) -> list[int]:
        """Quotes whose clause names `org` as whom the document is for ("cung cấp dầu thô
        cho Nhà máy …", "supply to the refinery")."""
        refs = []
        for p in self.passages:
            text = p.sentence.text
            for _, part in self.clauses[p.index]:
                if any(
                    FOR_WHOM_BEFORE.search(text, max(0, a - 24), a)
                    for a, _ in self.name_spans(p, org, part)
                ):
                    refs.append(p.index)
                    break
        return refs

    def subject_refs(self, org: Organisation) -> list[int]:
        """Quotes in which `org` exchanges, signs or adopts the record's document: named in
        its clause outside a between or witness phrase, in a sentence with such a verb."""
        refs = []
        for p in self.passages:
            text = p.sentence.text
            if not has_word(text, SIGN_VERBS):
                continue
            witnesses = self.parties.witness_spans(text)
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
                    if FOR_WHOM_BEFORE.search(text, max(0, a - 24), a):
                        continue  # "… dầu thô cho Nhà máy …": whom it is for
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
        # Never the article's dateline, even where the quote begins with it.
        return [(max(a, p.opening), b) for a, b in parts if b > p.opening]
