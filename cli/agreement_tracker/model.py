"""The register's data model: plain dataclasses, the one definition of the schema.

Records refer to registries (organisations, sectors, kinds, statuses,
occasions, sources) by id, so a name is written once and corrected once.

The classes are stdlib dataclasses so that read commands build them from the
index without importing pydantic (about 80 ms of a cold start). The rules a
hand-edited file must satisfy are on the field types, as `Rule` and `Check`
markers (`values.py`): pydantic reads them when YAML is validated
(`schema.py`), and so does the JSON Schema. Every class forbids unknown
keys: a misspelt key must be an error, not a silently ignored value.

Annotations are evaluated when the classes are made (no `from __future__
import annotations`): the index rebuilds instances by reading each field's
type object, which costs nothing, where resolving annotation strings would
compile each one on every start.
"""

import datetime as dt
import typing
from typing import Annotated, Literal

from agreement_tracker.model_kit import FACTORY, STRICT, list_field, model, none_is_empty
from agreement_tracker.registries import (
    Country,
    Erratum,
    Evidence,
    Kind,
    NotAnAgreement,
    Occasion,
    Organisation,
    Place,
    Sector,
    Source,
    Status,
)
from agreement_tracker.values import (
    Check,
    CountryCode,
    Day,
    Id,
    Localised,
    NoteDate,
    Rule,
    TermBound,
    Text,
    period,
)

# The registries' classes are the model's too: `from agreement_tracker.model import Source`.
__all__ = [
    "Country",
    "Erratum",
    "Evidence",
    "Kind",
    "NotAnAgreement",
    "Occasion",
    "Organisation",
    "Place",
    "Sector",
    "Source",
    "Status",
]

# What a party did with the document. "named party" is named in the document
# as part of the arrangement without being shown signing it.
Role = Literal["signatory", "adopting party", "named party", "beneficiary", "witness"]
ROLES: tuple[str, ...] = typing.get_args(Role)


# --- records -----------------------------------------------------------------------


@model
class Party:
    """An organisation's part in an agreement: which side it is on and its role, and the
    person who signed or exchanged the document for it, where a source names them."""

    __pydantic_config__ = STRICT
    org: Id
    side: CountryCode | None
    role: Role
    signer: Id | None = None

    def __init__(
        self, *, org: "Id", side: "CountryCode | None", role: "Role", signer: "Id | None" = None
    ) -> None:
        self.org = org
        self.side = side
        self.role = role
        self.signer = signer


@model
class Term:
    """The period an agreement runs for, as precise as the source states it."""

    __pydantic_config__ = STRICT
    start: TermBound
    end: TermBound

    def __init__(self, *, start: "TermBound", end: "TermBound") -> None:
        self.start = start
        self.end = end

    def last_day(self) -> dt.date:
        """The last day the term covers: 2027 ends on 2027-12-31."""
        return period(self.end)[1]


@model
class FollowUp:
    """A dated note on what happened after the signing.

    `source` is a source id or a URL; `quote`, a passage of a registered source
    that states what the note says, proven like any evidence.
    """

    __pydantic_config__ = STRICT
    date: NoteDate
    text: Text
    status: Id | None = None
    source: Text | None = None
    quote: Text | None = None
    author: Text | None = None

    def __init__(
        self,
        *,
        date: "NoteDate",
        text: "Text",
        status: "Id | None" = None,
        source: "Text | None" = None,
        quote: "Text | None" = None,
        author: "Text | None" = None,
    ) -> None:
        self.date = date
        self.text = text
        self.status = status
        self.source = source
        self.quote = quote
        self.author = author

    @property
    def first_day(self) -> dt.date:
        """The earliest day the note's date may mean (2025-07: 1 July): how notes sort."""
        return period(self.date)[0]

    @property
    def last_day(self) -> dt.date:
        """The latest day it may mean (2025-07: 31 July): a note is before a day only if
        all of it is."""
        return period(self.date)[1]


LinkType = Literal["implements", "follows", "amends", "supersedes", "related"]


@model
class Link:
    """A record's relation to another: a protocol that implements an agreement, a
    programme that follows an earlier one, an amendment, a replacement."""

    __pydantic_config__ = STRICT
    type: LinkType
    target: Id

    def __init__(self, *, type: "LinkType", target: "Id") -> None:
        self.type = type
        self.target = target


# The fields an account may give another reading of: a party's organisation, role,
# side or signer by the party's index ("parties.1", "parties.1.signer").
ACCOUNT_FIELD = r"^(kind|date|place|title|term|parties\.[0-9]+(\.(role|side|signer))?)$"


@model
class Account:
    """Another source's reading of one of the record's fields, with the quote that states it.

    The record's own value stays the register's reading; an account shows where
    the sources disagree (Wikidata's "normal" rank). `rejected` (with the reason)
    marks an account the curator has found wrong ("deprecated").
    """

    __pydantic_config__ = STRICT
    field: Annotated[str, Rule(pattern=ACCOUNT_FIELD)]
    value: Text
    source: Id
    quote: Text
    note: Text | None = None
    rejected: Text | None = None

    def __init__(
        self,
        *,
        field: "str",
        value: "Text",
        source: "Id",
        quote: "Text",
        note: "Text | None" = None,
        rejected: "Text | None" = None,
    ) -> None:
        self.field = field
        self.value = value
        self.source = source
        self.quote = quote
        self.note = note
        self.rejected = rejected


CommitmentType = Literal["meeting", "delivery", "financing", "legal", "exchange", "other"]
COMMITMENT_TYPES: tuple[str, ...] = typing.get_args(CommitmentType)
ReviewStatus = Literal["scheduled", "met", "not-met", "partly-met"]
REVIEW_STATUSES: tuple[str, ...] = typing.get_args(ReviewStatus)


@model
class Review:
    """Where a commitment stood on a day (OCDS milestones' status as of a review), with
    the quote of a registered source that states it."""

    __pydantic_config__ = STRICT
    status: ReviewStatus
    as_of: Day
    met_on: Day | None = None
    source: Id
    # Optional for scheduled and not-met; "met" and "partly-met" need the quote that says so.
    quote: Text | None = None
    note: Text | None = None

    def __init__(
        self,
        *,
        status: "ReviewStatus",
        as_of: "Day",
        met_on: "Day | None" = None,
        source: "Id",
        quote: "Text | None" = None,
        note: "Text | None" = None,
    ) -> None:
        self.status = status
        self.as_of = as_of
        self.met_on = met_on
        self.source = source
        self.quote = quote
        self.note = note


@model
class Commitment:
    """What the document committed its parties to, in the words of the quote that states
    it, and by when where that quote says so (`due` as precise as it does; `due_said`,
    the phrase it was read from)."""

    __pydantic_config__ = STRICT
    text: Text
    type: CommitmentType
    due: NoteDate | None = None
    due_said: Text | None = None
    by: list[Id] = list_field()
    source: Id
    quote: Text
    reviews: list[Review] = list_field()

    def __init__(
        self,
        *,
        text: "Text",
        type: "CommitmentType",
        due: "NoteDate | None" = None,
        due_said: "Text | None" = None,
        by: "list[Id]" = FACTORY,
        source: "Id",
        quote: "Text",
        reviews: "list[Review]" = FACTORY,
    ) -> None:
        self.text = text
        self.type = type
        self.due = due
        self.due_said = due_said
        self.by = [] if by is FACTORY else by
        self.source = source
        self.quote = quote
        self.reviews = [] if reviews is FACTORY else reviews

    @property
    def due_day(self) -> dt.date | None:
        """The last day the due date may mean (due 2025-11: 30 November): overdue after it."""
        return period(self.due)[1] if self.due else None

    def latest(self, as_of: dt.date | None = None) -> "Review | None":
        """The latest review on or before `as_of` (every review without it), by its date,
        then by file order."""
        known = [(r.as_of, i, r) for i, r in enumerate(self.reviews)
                 if as_of is None or r.as_of <= as_of]  # fmt: skip
        return max(known, key=lambda k: (k[0], k[1]))[2] if known else None

    def overdue(self, as_of: dt.date) -> bool:
        """Its due day has passed by `as_of` and no review dated by then says met."""
        due = self.due_day
        review = self.latest(as_of)
        return due is not None and due < as_of and (review is None or review.status != "met")

    def status(self, as_of: dt.date) -> str:
        """Its status on `as_of`: the latest review's, else overdue after its due day,
        else scheduled (undated: open)."""
        review = self.latest(as_of)
        if review is not None and review.status == "met":
            return "met"
        due = self.due_day
        if due is not None and due < as_of:
            return "overdue"
        if review is not None:
            return review.status
        return "scheduled" if due is not None else "undated"


@model
class Agreement:
    """One agreement document: what it is, who is party to it, and the evidence."""

    __pydantic_config__ = STRICT
    id: Id
    title: Localised
    kind: Id
    sectors: Annotated[list[Id], Rule(min_length=1)]
    parties: Annotated[list[Party], Rule(min_length=1)]
    # As precise as the sources say (2025-05-07, 2025-05, 2025); none for a planned
    # document not yet signed.
    date: NoteDate | None = None
    place: Text
    occasion: Id | None = None
    term: Term | None = None
    status: Id
    evidence: Annotated[list[Evidence], Rule(min_length=1)]
    follow_up: Annotated[list[FollowUp], Check(none_is_empty)] = list_field()
    accounts: list[Account] = list_field()
    links: list[Link] = list_field()
    commitments: list[Commitment] = list_field()

    def __init__(
        self,
        *,
        id: "Id",
        title: "Localised",
        kind: "Id",
        sectors: "list[Id]",
        parties: "list[Party]",
        date: "NoteDate | None" = None,
        place: "Text",
        occasion: "Id | None" = None,
        term: "Term | None" = None,
        status: "Id",
        evidence: "list[Evidence]",
        follow_up: "list[FollowUp]" = FACTORY,
        accounts: "list[Account]" = FACTORY,
        links: "list[Link]" = FACTORY,
        commitments: "list[Commitment]" = FACTORY,
    ) -> None:
        self.id = id
        self.title = title
        self.kind = kind
        self.sectors = sectors
        self.parties = parties
        self.date = date
        self.place = place
        self.occasion = occasion
        self.term = term
        self.status = status
        self.evidence = evidence
        self.follow_up = [] if follow_up is FACTORY else follow_up
        self.accounts = [] if accounts is FACTORY else accounts
        self.links = [] if links is FACTORY else links
        self.commitments = [] if commitments is FACTORY else commitments

    @property
    def open_accounts(self) -> list[Account]:
        """Accounts not rejected: the disagreements a reader should see."""
        return [a for a in self.accounts if a.rejected is None]

    def reading(self, field: str) -> str | None:
        """The record's own value of an account's field (ACCOUNT_FIELD): what an account
        disagrees with. The title in English; a term as "start–end"."""
        if field == "title":
            return self.title.en
        if field == "term":
            return f"{self.term.start}–{self.term.end}" if self.term else None
        if field.startswith("parties."):
            _, index, *rest = field.split(".")
            if int(index) >= len(self.parties):
                return None
            party_value: str | None = getattr(self.parties[int(index)], rest[0] if rest else "org")
            return party_value
        value: str | None = getattr(self, field)  # every other ACCOUNT_FIELD is text
        return value

    @property
    def current_status(self) -> str:
        """The latest note's status, or the record's own where no note sets one."""
        note = self.status_note
        return note.status if note and note.status else self.status

    @property
    def status_note(self) -> "FollowUp | None":
        """The note that set the current status: the latest by date, then by file order."""
        moves = [(n.first_day, i, n) for i, n in enumerate(self.follow_up) if n.status]
        return max(moves, key=lambda m: (m[0], m[1]))[2] if moves else None

    @property
    def signed(self) -> "str | None":
        """When it was signed: the record's date, or for a record that was planned, the
        date of the note that recorded its signing."""
        if self.date is not None:
            return self.date
        return next((n.date for n in self.follow_up if n.status == "signed"), None)

    @property
    def first_day(self) -> dt.date | None:
        """The earliest day its date may mean (2025-05: 1 May): how records sort and filter."""
        signed = self.signed
        return period(signed)[0] if signed else None

    @property
    def last_day(self) -> dt.date | None:
        """The latest day its date may mean (2025-05: 31 May)."""
        signed = self.signed
        return period(signed)[1] if signed else None

    @property
    def sort_day(self) -> dt.date:
        """Where it stands in date order: undated (planned) records last."""
        return self.first_day or dt.date.max

    @property
    def last_activity(self) -> dt.date | None:
        """The latest follow-up date, or the signing date where there are no notes."""
        days = [n.first_day for n in self.follow_up]
        if self.first_day is not None:
            days.append(self.first_day)
        return max(days) if days else None
