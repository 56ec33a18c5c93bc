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

import dataclasses
import datetime as dt
import re
import typing
from typing import Annotated, Any, Literal, TypeVar

from agreement_tracker.values import (
    Check,
    CountryCode,
    Day,
    Id,
    Language,
    Localised,
    NoteDate,
    OrganisationType,
    PublishedDate,
    Rule,
    Sha256,
    SourceFile,
    TermBound,
    Terms,
    Text,
    period,
)

# What a party did with the document. "named party" is named in the document
# as part of the arrangement without being shown signing it.
Role = Literal["signatory", "adopting party", "named party", "beneficiary", "witness"]
ROLES: tuple[str, ...] = typing.get_args(Role)


def _none_is_empty(value: object) -> object:
    # `follow_up:` with nothing under it is how an empty list is begun by hand.
    return [] if value is None else value


# Every class: compact (slots: 10,000 records fit in 200 MB) and strict about keys when
# pydantic reads it. No generated methods at all: each is compiled on every start (the
# 19 `__init__`s dataclasses would write took 3.2 ms of a `list`'s 25 ms of imports;
# __repr__/__eq__ and frozen, 4 ms more), and nothing compares models. Each class
# writes its keyword-only `__init__` as dataclasses would (a default factory's value
# made when the argument is left out); tests/test_model_init.py holds each to the one
# dataclasses would make. pydantic builds instances without calling it.
_STRICT = {"extra": "forbid"}
_M = TypeVar("_M")
# An argument left out whose field's default is made fresh (a list, an empty Terms).
_FACTORY: Any = object()


# Keyword-only, so fields keep the order files write them in, defaults or not. A
# function with dataclass_transform rather than a partial of dataclass(), so type
# checkers know the classes are dataclasses and their constructors take keywords.
@typing.dataclass_transform(
    kw_only_default=True, eq_default=False, field_specifiers=(dataclasses.field,)
)
def model(cls: type[_M]) -> type[_M]:
    return dataclasses.dataclass(kw_only=True, slots=True, eq=False, repr=False, init=False)(cls)


def _list() -> Any:
    return dataclasses.field(default_factory=list)


# --- the registries ----------------------------------------------------------------


@model
class Place:
    """A city of a country, with its name in each language the sources write it in
    ("Baku", "Bakou", "Баку"): a record's place is proven by any of them, and the
    city's country is the one the record's place must name."""

    __pydantic_config__ = _STRICT
    name: Localised
    terms: Terms = dataclasses.field(default_factory=Terms)

    def __init__(self, *, name: "Localised", terms: "Terms" = _FACTORY) -> None:
        self.name = name
        self.terms = Terms() if terms is _FACTORY else terms

    def words(self) -> list[str]:
        """Every way a source may name the place, in any language."""
        return [*self.name.all(), *self.terms.all()]


@model
class Country:
    """A country, and the words sources use for it: names and adjectives, per language.

    They tell whose ministry a generic name ("Bộ Tư pháp", "Ministry of Justice")
    is: the sentence that uses it must name the party's country, not another's.
    Its places are the cities where documents are signed.
    """

    __pydantic_config__ = _STRICT
    id: CountryCode
    name: Localised
    terms: Terms = dataclasses.field(default_factory=Terms)
    places: list[Place] = _list()

    def __init__(
        self,
        *,
        id: "CountryCode",
        name: "Localised",
        terms: "Terms" = _FACTORY,
        places: "list[Place]" = _FACTORY,
    ) -> None:
        self.id = id
        self.name = name
        self.terms = Terms() if terms is _FACTORY else terms
        self.places = [] if places is _FACTORY else places

    def words(self) -> list[str]:
        """Every way a source may name the country, in any language."""
        return [*self.name.all(), *self.terms.all()]


@model
class Organisation:
    """A ministry, company or person that can be a party to an agreement."""

    __pydantic_config__ = _STRICT
    id: Id
    country: CountryCode | None
    type: OrganisationType
    name: Localised
    short: Localised | None = None
    aliases: list[Text] = _list()

    def __init__(
        self,
        *,
        id: "Id",
        country: "CountryCode | None",
        type: "OrganisationType",
        name: "Localised",
        short: "Localised | None" = None,
        aliases: "list[Text]" = _FACTORY,
    ) -> None:
        self.id = id
        self.country = country
        self.type = type
        self.name = name
        self.short = short
        self.aliases = [] if aliases is _FACTORY else aliases

    def all_names(self) -> list[str]:
        """Every way the sources may write this organisation: a company's names also
        without their legal form ("Binh Son Refining and Petrochemical" for "… JSC")."""
        short = self.short.all() if self.short else []
        names = [*self.name.all(), *short, *self.aliases]
        if self.type == "company":
            names += [bare for n in names if (bare := re.sub(_LEGAL_FORM, "", n)) != n and bare]
        return names


# A company's legal form, which the press often leaves out of its name. Compiled (and
# kept in re's cache) on first use: 0.3 ms of every start otherwise.
_LEGAL_FORM = (
    r",?\s+(?:JSC|J\.S\.C\.|Joint[ -]Stock Company|Co\.,?\s*Ltd\.?|Company Limited|Ltd\.?|"
    r"LLC|Inc\.?|PLC|GmbH|AG|S\.A\.|OJSC|CJSC)$|^Công ty (?:Cổ phần|cổ phần|TNHH)\s+"
)


@model
class Sector:
    """A policy area; `parent` builds the hierarchy filters descend."""

    __pydantic_config__ = _STRICT
    id: Id
    parent: Id | None = None
    name: Localised
    terms: Terms = dataclasses.field(default_factory=Terms)

    def __init__(
        self, *, id: "Id", parent: "Id | None" = None, name: "Localised", terms: "Terms" = _FACTORY
    ) -> None:
        self.id = id
        self.parent = parent
        self.name = name
        self.terms = Terms() if terms is _FACTORY else terms


@model
class Kind:
    """A kind of document (memorandum of understanding, joint statement, …)."""

    __pydantic_config__ = _STRICT
    id: Id
    name: Localised
    short: Localised | None = None
    terms: Terms

    def __init__(
        self, *, id: "Id", name: "Localised", short: "Localised | None" = None, terms: "Terms"
    ) -> None:
        self.id = id
        self.name = name
        self.short = short
        self.terms = terms


@model
class Status:
    """A step of the status lifecycle and the steps a note may move it to.

    `final` marks an outcome (implemented, lapsed, …): no follow-up is expected,
    so reports do not list such agreements as stale or their terms as ending.
    """

    __pydantic_config__ = _STRICT
    id: Id
    name: Localised
    description: Text
    next: list[Id] = _list()
    final: bool = False

    def __init__(
        self,
        *,
        id: "Id",
        name: "Localised",
        description: "Text",
        next: "list[Id]" = _FACTORY,
        final: "bool" = False,
    ) -> None:
        self.id = id
        self.name = name
        self.description = description
        self.next = [] if next is _FACTORY else next
        self.final = final


@model
class Evidence:
    """A verbatim quote from a source that supports a record."""

    __pydantic_config__ = _STRICT
    source: Id
    quote: Text

    def __init__(self, *, source: "Id", quote: "Text") -> None:
        self.source = source
        self.quote = quote


@model
class Occasion:
    """A visit or event on which documents were signed."""

    __pydantic_config__ = _STRICT
    id: Id
    title: Localised
    start: Day
    end: Day | None = None
    place: Text
    part_of: Id | None = None
    evidence: list[Evidence] = _list()

    def __init__(
        self,
        *,
        id: "Id",
        title: "Localised",
        start: "Day",
        end: "Day | None" = None,
        place: "Text",
        part_of: "Id | None" = None,
        evidence: "list[Evidence]" = _FACTORY,
    ) -> None:
        self.id = id
        self.title = title
        self.start = start
        self.end = end
        self.place = place
        self.part_of = part_of
        self.evidence = [] if evidence is _FACTORY else evidence


@model
class NotAnAgreement:
    """A place in a source that names a document but is not an agreement record."""

    __pydantic_config__ = _STRICT
    quote: Text
    reason: Text

    def __init__(self, *, quote: "Text", reason: "Text") -> None:
        self.quote = quote
        self.reason = reason


@model
class Erratum:
    """An error in a source text: the passage, what is wrong, and the correct reading,
    with the quote (of this source or another) that states the correct reading."""

    __pydantic_config__ = _STRICT
    quote: Text
    wrong: Text
    correct: Text
    evidence: Evidence | None = None

    def __init__(
        self, *, quote: "Text", wrong: "Text", correct: "Text", evidence: "Evidence | None" = None
    ) -> None:
        self.quote = quote
        self.wrong = wrong
        self.correct = correct
        self.evidence = evidence


@model
class Source:
    """A source text in seeds/, with what the text itself says about it."""

    __pydantic_config__ = _STRICT
    id: Id
    file: SourceFile
    lang: Language
    title: Text
    publisher: Text
    published: PublishedDate
    sha256: Sha256
    url: Text | None = None
    notes: Text | None = None
    not_agreements: list[NotAnAgreement] = _list()
    errata: list[Erratum] = _list()

    def __init__(
        self,
        *,
        id: "Id",
        file: "SourceFile",
        lang: "Language",
        title: "Text",
        publisher: "Text",
        published: "PublishedDate",
        sha256: "Sha256",
        url: "Text | None" = None,
        notes: "Text | None" = None,
        not_agreements: "list[NotAnAgreement]" = _FACTORY,
        errata: "list[Erratum]" = _FACTORY,
    ) -> None:
        self.id = id
        self.file = file
        self.lang = lang
        self.title = title
        self.publisher = publisher
        self.published = published
        self.sha256 = sha256
        self.url = url
        self.notes = notes
        self.not_agreements = [] if not_agreements is _FACTORY else not_agreements
        self.errata = [] if errata is _FACTORY else errata


# --- records -----------------------------------------------------------------------


@model
class Party:
    """An organisation's part in an agreement: which side it is on and its role, and the
    person who signed or exchanged the document for it, where a source names them."""

    __pydantic_config__ = _STRICT
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

    __pydantic_config__ = _STRICT
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

    __pydantic_config__ = _STRICT
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

    __pydantic_config__ = _STRICT
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

    __pydantic_config__ = _STRICT
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

    __pydantic_config__ = _STRICT
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

    __pydantic_config__ = _STRICT
    text: Text
    type: CommitmentType
    due: NoteDate | None = None
    due_said: Text | None = None
    by: list[Id] = _list()
    source: Id
    quote: Text
    reviews: list[Review] = _list()

    def __init__(
        self,
        *,
        text: "Text",
        type: "CommitmentType",
        due: "NoteDate | None" = None,
        due_said: "Text | None" = None,
        by: "list[Id]" = _FACTORY,
        source: "Id",
        quote: "Text",
        reviews: "list[Review]" = _FACTORY,
    ) -> None:
        self.text = text
        self.type = type
        self.due = due
        self.due_said = due_said
        self.by = [] if by is _FACTORY else by
        self.source = source
        self.quote = quote
        self.reviews = [] if reviews is _FACTORY else reviews

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

    __pydantic_config__ = _STRICT
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
    follow_up: Annotated[list[FollowUp], Check(_none_is_empty)] = _list()
    accounts: list[Account] = _list()
    links: list[Link] = _list()
    commitments: list[Commitment] = _list()

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
        follow_up: "list[FollowUp]" = _FACTORY,
        accounts: "list[Account]" = _FACTORY,
        links: "list[Link]" = _FACTORY,
        commitments: "list[Commitment]" = _FACTORY,
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
        self.follow_up = [] if follow_up is _FACTORY else follow_up
        self.accounts = [] if accounts is _FACTORY else accounts
        self.links = [] if links is _FACTORY else links
        self.commitments = [] if commitments is _FACTORY else commitments

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
