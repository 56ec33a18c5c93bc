"""Whose a sentence is: the record's document (it names it, or a party of it), another
document, or someone who is no party, read in the sentence and, where it says nothing of
whose it is, in the sentences before it in its passage. A commitment's and a review's
quote (`proof.commitments`) are proven about their document this way.
"""

from __future__ import annotations

import re
from typing import Literal

from agreement_tracker.loader import Register
from agreement_tracker.mentions import DOCUMENTS, sentence_bounds
from agreement_tracker.model import Agreement
from agreement_tracker.names import Parties
from agreement_tracker.text import fold_keep_marks, whole_words


def sentence_of(register: Register, source: str, quote: str) -> tuple[str, int, int, int] | None:
    """The quote's sentence (folded), where the quote stands in it, and where the sentence
    starts in the source; None: not found."""
    text = register.source_text(source)
    span = text.find(quote) if text is not None else None
    if text is None or span is None:
        return None
    start, end = sentence_bounds(text.text, span.start, span.end)
    folded = fold_keep_marks(text.text[start:end])
    quoted = fold_keep_marks(quote)
    lo = folded.find(quoted)
    if lo < 0:
        return quoted, 0, len(quoted), start
    return folded, lo, lo + len(quoted), start


def off_topic(
    register: Register,
    agreement: Agreement,
    parties: Parties,
    source: str,
    folded: str,
    at: int | None = None,
) -> str | None:
    """Why a sentence is not about the record's document (None: it is), by the clause rules of the
    other claims: it names the document (its kind) or a party other than a witness
    (heads of state are named in everything they do), or it follows, in the same
    passage, a sentence that does. Naming both sides ("both sides", "hai bên",
    "Vietnam and Azerbaijan") is not enough: they sign many documents, and meet to
    promise things that no document states.

    `at` is where the sentence starts in the source text; without it only the
    sentence itself is read."""
    own = names_record(register, agreement, parties, source, folded, own_sentence=True)
    if own is not None:
        return None if own is True else f"its sentence {own}"
    text = register.source_text(source)
    if at is not None and text is not None:
        for sentence in reversed(passage_before(text.text, at)):
            said = names_record(register, agreement, parties, source, fold_keep_marks(sentence))
            if said is not None:
                return None if said is True else f"a sentence before it in its passage {said}"
    return (
        "its sentence names neither this document nor its parties, and follows no sentence "
        "of its passage that does (both sides, or its witnesses, alone do not say it is "
        "about this document)"
    )


# A line of a passage ends a sentence; a line that does not (a headline, a byline, a
# photo's caption "(Ảnh: TTXVN)", a section's name) ends the passage.
_SENTENCE_LINE = re.compile(r"[.!?…;:][\"”»’']?\s*$")


def passage_before(text: str, at: int) -> list[str]:
    """The sentences of the passage that holds `at` (NFC text), before the one there:
    the run of lines that each end a sentence, up to a line that does not (blank lines
    are no break)."""
    line_start = text.rfind("\n", 0, at) + 1
    first = line_start
    while first > 0:
        previous = text.rfind("\n", 0, first - 1) + 1
        line = text[previous : first - 1]
        if line.strip() and not _SENTENCE_LINE.search(line):
            break
        first = previous
    sentences: list[str] = []
    position = first
    while position < at:
        while position < at and text[position].isspace():
            position += 1
        if position >= at:
            break
        start, end = sentence_bounds(text, position, position + 1)
        end = min(max(end, position + 1), at)
        sentences.append(text[start:end])
        position = end
    return sentences


def names_record(
    register: Register,
    agreement: Agreement,
    parties: Parties,
    source: str,
    folded: str,
    *,
    own_sentence: bool = False,
) -> Literal[True] | str | None:
    """What one sentence says of whose it is: True, it names the record's document or a
    party of it; a reason, it names another document only, or someone who is no party of
    it (in the quote's own sentence: and none who is); None, neither: the passage goes on."""
    lang = register.sources[source].lang if source in register.sources else None
    bound = [p for p in agreement.parties if p.org in register.organisations]
    own = {p.org for p in bound}
    orgs = [register.organisations[p.org] for p in bound if p.role != "witness"]
    names_party = any(parties.check(org, folded)[0] for org in orgs)
    # Someone who is no party: an organisation of the registry, or a leader of a country
    # that is no side of the record ("the President of Kazakhstan"). A sentence before the
    # quote's that names one is about them, even where it names the parties too ("Prime
    # Minister Asadov praised the talks between President Aliyev and General Secretary To
    # Lam"): what follows may be what was agreed with them, at another meeting. The quote's
    # own sentence is theirs where it names no party ("the Ministry of Energy will …, under
    # the memorandum" is not the culture memorandum's promise, though it names its kind),
    # or a leader of another country ("Aliyev and the President of Kazakhstan agreed").
    outsider, leader = no_party(register, agreement, parties, folded, own)
    if outsider is not None and (not own_sentence or not names_party or leader):
        return f"names {outsider}, who is no party of this document"
    # "signed agreements", "các văn kiện/thoả thuận": documents in general, none in
    # particular (mentions.DOCUMENTS), never another document.
    kinds = {
        k
        for clause in parties.split(folded, lang).documents()
        for a, b, k in clause.kinds
        if folded[a:b] not in DOCUMENTS
    }
    kind = register.kinds.get(agreement.kind)
    if agreement.kind in kinds or (
        kind and any(whole_words(folded, fold_keep_marks(t)) for t in kind.terms.all())
    ):
        return True
    if kinds:
        return "names another document"
    return True if names_party else None


# A head of state or government, whose country the words around the title give.
_LEADER = re.compile(
    r"(?<!\w)(?:president|prime minister|premier|tổng thống|thủ tướng|chủ tịch nước|"
    r"präsident(?:en)?|premierminister(?:s)?|ministerpräsident(?:en)?|président|"
    r"premier ministre|президент(?:а|ом|у)?|премьер-министр(?:а|ом|у)?)(?!\w)"
)


def no_party(
    register: Register, agreement: Agreement, parties: Parties, folded: str, own: set[str]
) -> tuple[str | None, bool]:
    """Someone a sentence names who is no party of the record, and whether that is a leader
    of a country that is none of its sides (else an organisation of the registry that is
    none of its parties or witnesses). None: nobody but its own."""
    # A name several organisations bear ("Ministry of Justice") is named as all of them.
    others = sorted({" or ".join(sorted(ids)) for *_, ids in parties.name_hits(folded)
                     if not (ids & own)})  # fmt: skip
    sides = {p.side for p in agreement.parties} | {
        register.organisations[p.org].country for p in agreement.parties
        if p.org in register.organisations
    }  # fmt: skip
    for m in _LEADER.finditer(folded):
        country = parties.countries.next_to(folded, m.start(), m.end())
        if country is not None and country not in sides:
            return f"the {m.group()} of {country}", True
    return (others[0] if others else None), False
