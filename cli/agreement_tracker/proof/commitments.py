"""A commitment, proven by the sentence that makes it, and each review by the one that
reports it.

A commitment's quote stands in its source; its sentence is about the record's document
(it names its kind or one of its parties other than a witness, or follows, in the same
passage, a sentence that does: naming "both sides" alone is not enough) and holds a
promise ("will", "agreed to", "sẽ", "nhất trí", "vereinbarten", "conviennent de",
"договорились"). A due date is the one that quote states (`commitments.read_due`), in
a clause about no other document; a period is counted from the day it names, else from
the record's signing date. A review that says met or partly met quotes a sentence about
the document that reports it done. Every refusal is a (path, code, message) with the
rule and the fix.
"""

from __future__ import annotations

import datetime as dt
import re

from agreement_tracker.commitments import Due, as_written, read_due
from agreement_tracker.loader import Register
from agreement_tracker.model import Agreement, Commitment, Review
from agreement_tracker.names import Parties
from agreement_tracker.proof.promises import promises, reports_done
from agreement_tracker.proof.topic import names_record, off_topic, sentence_of
from agreement_tracker.text import fold_keep_marks, whole_words
from agreement_tracker.values import period

Problem = tuple[tuple[str | int, ...], str, str]

_CONTENT = re.compile(r"[^\W\d_]{4,}")
_STOP = frozenset(
    ("will", "with", "their", "that", "this", "from", "both", "sides", "each", "other",
     "have", "been", "were", "also", "into", "between", "among", "countries", "của",
     "các", "những", "trong", "được")
)  # fmt: skip


def _other_document(
    register: Register,
    agreement: Agreement,
    parties: Parties,
    source: str,
    folded: str,
    at: tuple[int, int],
) -> str | None:
    """The kind of another document whose clause holds the span `at`, if any."""
    lang = register.sources[source].lang if source in register.sources else None
    sentence = parties.split(folded, lang)
    for clause in sentence.documents():
        if not (clause.start <= at[0] and at[1] <= clause.end):
            continue
        kinds = {k for *_, k in clause.kinds}
        if agreement.kind not in kinds:
            return sorted(kinds)[0]
    return None


# Where a sentence turns to another subject: a sentence's end, or a conjunction of contrast
# ("while", "whereas", "trong khi", "còn", "während", "tandis que", "а", "кроме того").
_CLAUSE_BREAK = re.compile(
    r"[.!?;]\s+|,?\s+(?:while|whereas|meanwhile|trong khi|trong khi đó|còn|während|"
    r"wohingegen|tandis que|alors que|тогда как|в то время как)\s+|,\s+а\s+|"
    r"(?<!\w)(?:кроме того|также|in addition|besides|ngoài ra|außerdem|en outre|par ailleurs)"
    r",?\s+"
)


def _elsewhere(
    register: Register,
    agreement: Agreement,
    parties: Parties,
    source: str,
    folded: str,
    lo: int,
    due: Due,
) -> str | None:
    """Where a due phrase stands when it is not in a clause about the record's document
    (the quote's sentence is `folded`, the quote starting at `lo` in it); None: it is."""
    at = (lo + due.at[0], lo + due.at[1])
    other = _other_document(register, agreement, parties, source, folded, at)
    if other is not None:
        return f"stands in the clause about a {other}"
    subject = _clause_subject(register, agreement, parties, source, folded, at)
    return None if subject is None else f"stands in a clause that {subject}"


def stated_due(register: Register, agreement: Agreement, source: str, quote: str) -> Due | None:
    """The due phrase a quote states for the record's document: None where it states none,
    or only another document's (which `commitment add` must not record as this one's)."""
    due = read_due(quote, agreement.signed)
    found = sentence_of(register, source, quote) if due is not None and due.dated else None
    if due is None or found is None:
        return due
    folded, lo, _hi, _at = found
    elsewhere = _elsewhere(register, agreement, Parties.of(register), source, folded, lo, due)
    return None if elsewhere is not None else due


def _give(value: str) -> str:
    """How to record a due date, said for both ways of writing one."""
    return f"give `--due {value}` (in the record's file, `due: {value}`)"


def _clause_subject(
    register: Register,
    agreement: Agreement,
    parties: Parties,
    source: str,
    folded: str,
    at: tuple[int, int],
) -> str | None:
    """Why the clause that holds `at` is someone else's (None: it is the record's, or says
    nothing of whose it is): the clause itself, or else the nearest before it in the text
    read, names another document, or someone who is no party and none who is ("…, while
    the Ministry of Culture will hold Culture Days in September 2026")."""
    starts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(folded) if m.end() <= at[0]]
    bounds = list(zip(starts, [*starts[1:], len(folded)], strict=True))
    for start, end in reversed(bounds):
        said = names_record(register, agreement, parties, source, folded[start:end],
                             own_sentence=True)  # fmt: skip
        if said is True:
            return None
        if said is not None:
            return said
    return None


def due_of(agreement: Agreement, commitment: Commitment) -> Due | None:
    """The due phrase the commitment's quote states, counted from the record's signing."""
    return read_due(commitment.quote, agreement.signed)


def commitment_problems(
    register: Register,
    agreement: Agreement,
    index: int,
    commitment: Commitment,
    *,
    today: dt.date,
    parties: Parties | None = None,
) -> list[Problem]:
    """What is wrong with commitment `index` (0-based) of a record and its reviews."""
    parties = parties or Parties.of(register)
    number = index + 1
    here: tuple[str | int, ...] = ("commitments", index)
    problems: list[Problem] = []
    for org in commitment.by:
        if org not in register.organisations:
            problems.append(
                (
                    (*here, "by"),
                    "commitment-by-unknown",
                    f"commitment {number}: {org!r} is not an organisation id of the "
                    "registry: name a party of the record (`agreements orgs`)",
                )
            )
    own = {p.org for p in agreement.parties if p.role != "witness"}
    for org in commitment.by:
        if org in register.organisations and org not in own:
            problems.append(
                (
                    (*here, "by"),
                    "commitment-by-not-party",
                    f"commitment {number}: {org!r} is not a party of {agreement.id} (its "
                    "witnesses promise nothing by it): name who the document binds",
                )
            )
    if commitment.source not in register.sources:
        problems.append(
            (
                (*here, "source"),
                "commitment-source-unknown",
                f"commitment {number} cites {commitment.source!r}, which is not a "
                "registered source: register it (`agreements source add`)",
            )
        )
        return problems
    found = sentence_of(register, commitment.source, commitment.quote)
    if found is None:
        problems.append(
            (
                (*here, "quote"),
                "commitment-quote-not-found",
                f"commitment {number}: the quote is not in source "
                f"{commitment.source!r}: copy it verbatim from the source",
            )
        )
        return problems
    folded, lo, hi, at = found
    why = off_topic(register, agreement, parties, commitment.source, folded, at)
    if why is not None:
        problems.append(
            (
                (*here, "quote"),
                "commitment-off-topic",
                f"commitment {number}: its quote is not about this document: {why}: quote "
                "the sentence that makes this document's promise, or add the commitment to "
                "the record it is about",
            )
        )
    elif not promises(folded, hi, register.sources[commitment.source].lang):
        problems.append(
            (
                (*here, "quote"),
                "commitment-no-promise",
                f'commitment {number}: its quote states no promise ("will", '
                '"agreed to", "sẽ", "nhất trí", "vereinbarten", "conviennent '
                'de", "договорились"): quote the words that commit the parties',
            )
        )
    problems.extend(_due_problems(register, agreement, parties, commitment, number, folded, lo))
    signed = agreement.first_day
    for r, review in enumerate(commitment.reviews):
        problems.extend(
            _review_problems(
                register,
                agreement,
                parties,
                review,
                (*here, "reviews", r),
                number,
                r + 1,
                signed,
                today,
            )
        )
    return problems


def _due_problems(
    register: Register,
    agreement: Agreement,
    parties: Parties,
    commitment: Commitment,
    number: int,
    folded: str,
    lo: int,
) -> list[Problem]:
    path: tuple[str | int, ...] = ("commitments", number - 1, "due")
    due = due_of(agreement, commitment)
    said = as_written(commitment.quote, due.said) if due is not None else ""
    stated = due is not None and due.dated
    if due is not None and due.dated:
        where = _elsewhere(register, agreement, parties, commitment.source, folded, lo, due)
        if where is not None:
            if commitment.due is None:
                return []  # the phrase is another's deadline: this promise is undated
            return [
                (
                    path,
                    "due-of-another-document",
                    f"commitment {number}: {said!r} {where}, so it is not this document's "
                    "deadline: remove its due date (`--due`), or quote only the clause "
                    "about this document",
                )
            ]
    if due is not None and due.how == "period" and due.start == "other":
        if commitment.due is None:
            return []  # undated: the register cannot count from a day the quote does not give
        return [
            (
                path,
                "due-not-stated",
                f"commitment {number}: {said!r} is counted from a day the quote does not "
                f"give, so due {commitment.due} cannot be checked: a period is counted from "
                "the day it names, or from the signing; remove `due`, or quote the sentence "
                "that dates it",
            )
        ]
    if commitment.due is None:
        if stated and due is not None and due.value is not None:
            return [
                (
                    path,
                    "due-unrecorded",
                    f"commitment {number}: its quote states a deadline ({said!r}, "
                    f"{due.value}): record it ({_give(str(due.value))})",
                )
            ]
        return []
    if not stated or due is None:
        return [
            (
                path,
                "due-not-stated",
                f"commitment {number}: due {commitment.due} is not stated by its quote (a "
                'date, month, year, quarter or a period from the signing; "soon" is no '
                "date): quote the words that date it, or remove `due`",
            )
        ]
    if due.how == "period" and due.value is None:
        return [
            (
                path,
                "due-period-unsigned",
                f"commitment {number}: {said!r} is counted from the signing, and the "
                "record has no signing date: date the record first",
            )
        ]
    if due.value != commitment.due:
        if due.how == "period":
            start = due.counted_from.isoformat() if due.counted_from else agreement.signed
            origin = (
                f"from the day it names, {start}"
                if due.start == "date"
                else f"from the signing on {start}"
            )
            message = (
                f"commitment {number}: {said!r} counted {origin}, ends on {due.value}, "
                f"not {commitment.due}: a period is counted from the day it names, or from "
                f"the record's signing date where it names none; {_give(str(due.value))}"
            )
            return [(path, "due-miscounted", message)]
        return [
            (
                path,
                "due-differs",
                f"commitment {number}: its quote says {said!r} ({due.value}), not "
                f"{commitment.due}: {_give(str(due.value))}",
            )
        ]
    signed = agreement.first_day
    if signed is not None and period(commitment.due)[1] < signed:
        return [
            (
                path,
                "due-before-signing",
                f"commitment {number}: due {commitment.due} is before the signing on "
                f"{agreement.signed}: a promise falls due after it is made",
            )
        ]
    return []


def _review_problems(
    register: Register,
    agreement: Agreement,
    parties: Parties,
    review: Review,
    path: tuple[str | int, ...],
    number: int,
    r: int,
    signed: dt.date | None,
    today: dt.date,
) -> list[Problem]:
    what = f"commitment {number}, review {r}"
    problems: list[Problem] = []
    for field, day in (("as_of", review.as_of), ("met_on", review.met_on)):
        if day is None:
            continue
        if day > today:
            problems.append(
                (
                    (*path, field),
                    "review-in-future",
                    f"{what}: {field} {day} is after today ({today}): a review "
                    "says what is known, never what is yet to come",
                )
            )
        if signed is not None and day < signed:
            problems.append(
                (
                    (*path, field),
                    "review-before-signing",
                    f"{what}: {field} {day} is before the signing on "
                    f"{agreement.signed}: correct the date",
                )
            )
    if review.met_on is not None and review.status not in ("met", "partly-met"):
        problems.append(
            (
                (*path, "met_on"),
                "review-met-on-unmet",
                f"{what}: a met date on a {review.status} commitment: remove "
                "`met_on`, or review it as met",
            )
        )
    if review.met_on is not None and review.met_on > review.as_of:
        problems.append(
            (
                (*path, "met_on"),
                "review-met-after-as-of",
                f"{what}: met on {review.met_on}, after the review's date "
                f"{review.as_of}: a review knows only what happened by its date",
            )
        )
    if review.source not in register.sources:
        problems.append(
            (
                (*path, "source"),
                "review-source-unknown",
                f"{what} cites {review.source!r}, which is not a registered source: "
                "a review is checked against a text in seeds/; register it "
                "(`agreements source add`)",
            )
        )
        return problems
    if review.quote is None:
        if review.status in ("met", "partly-met"):
            problems.append(
                (
                    (*path, "quote"),
                    "review-met-unquoted",
                    f"{what} says {review.status} with no quote: quote the passage "
                    f"of {review.source!r} that reports it done",
                )
            )
        return problems
    found = sentence_of(register, review.source, review.quote)
    if found is None:
        problems.append(
            (
                (*path, "quote"),
                "review-quote-not-found",
                f"{what}: the quote is not in source {review.source!r}: copy it "
                "verbatim from the source",
            )
        )
        return problems
    folded, _lo, hi, at = found
    why = off_topic(register, agreement, parties, review.source, folded, at)
    if why is not None:
        problems.append(
            (
                (*path, "quote"),
                "review-quote-off-topic",
                f"{what}: its quote is not about this document: {why}: quote the "
                "passage that reports on this commitment",
            )
        )
        return problems
    commitment = agreement.commitments[number - 1] if number <= len(agreement.commitments) else None
    if commitment is not None and not _shares_words(commitment, folded):
        problems.append(
            (
                (*path, "quote"),
                "review-quote-elsewhere",
                f"{what}: its quote's sentence shares no word with the commitment "
                f"({commitment.text!r}): quote the passage about this commitment, or word "
                "its text as its sources do",
            )
        )
    elif review.status in ("met", "partly-met") and not reports_done(folded, hi):
        problems.append(
            (
                (*path, "quote"),
                "review-quote-not-done",
                f"{what} says {review.status}, and its quote does not report it done "
                '("held", "took place", "đã", "fand statt", "a eu lieu", '
                '"состоялся"): quote the passage that reports it done',
            )
        )
    return problems


def _shares_words(commitment: Commitment, folded: str) -> bool:
    """Whether a sentence shares a word of four letters or more (not a common one) with
    the commitment's text: it speaks of the same thing."""
    words = {w for w in _CONTENT.findall(fold_keep_marks(commitment.text)) if w not in _STOP}
    return any(whole_words(folded, w) for w in words)
