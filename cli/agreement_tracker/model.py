"""The register's data model: pydantic models only, no I/O.

Records refer to registries (organisations, sectors, kinds, statuses,
occasions, sources) by id, so a name is written once and corrected once.
Every model forbids unknown keys: a misspelt key in a hand-edited file must
be an error, not a silently ignored value.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Annotated, Literal, TypeVar

# pydantic looks for plugins in every installed distribution's entry points when
# the first model is built: ~100 ms of a 370 ms `show`. This tool uses none; a
# user who sets the variable keeps their choice.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

# Ids are file names and command-line arguments: lower-case ASCII words joined
# by hyphens, so they can never hold `/`, `..`, NUL or white space.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=120)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]

Language = Literal["en", "vi"]
OrganisationType = Literal[
    "ministry", "government", "state company", "company", "person", "party", "organisation"
]
# What a party did with the document. "named party" is named in the document
# as part of the arrangement without being shown signing it.
Role = Literal["signatory", "adopting party", "named party", "beneficiary", "witness"]

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


M = TypeVar("M", bound="Model")


class Model(BaseModel):
    """Strict base: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Localised(Model):
    """A text in English and in Vietnamese."""

    en: Text
    vi: Text

    def get(self, lang: Language) -> str:
        return self.vi if lang == "vi" else self.en


class Terms(Model):
    """Words that name something in each language, used to find it in sources."""

    en: list[Text] = []
    vi: list[Text] = []

    def get(self, lang: Language) -> list[str]:
        return self.vi if lang == "vi" else self.en


class Organisation(Model):
    """A ministry, company or person that can be a party to an agreement."""

    id: Id
    country: CountryCode | None
    type: OrganisationType
    name: Localised
    short: Localised | None = None
    aliases: list[Text] = []

    def all_names(self) -> list[str]:
        """Every way the sources may write this organisation."""
        short = [self.short.en, self.short.vi] if self.short else []
        return [self.name.en, self.name.vi, *short, *self.aliases]


class Sector(Model):
    """A policy area; `parent` builds the hierarchy filters descend."""

    id: Id
    parent: Id | None = None
    name: Localised
    terms: Terms = Terms()


class Kind(Model):
    """A kind of document (memorandum of understanding, joint statement, …)."""

    id: Id
    name: Localised
    short: Localised | None = None
    terms: Terms


class Status(Model):
    """A step of the status lifecycle and the steps a note may move it to.

    `final` marks an outcome (implemented, lapsed, …): no follow-up is expected,
    so reports do not list such agreements as stale or their terms as ending.
    """

    id: Id
    name: Localised
    description: Text
    next: list[Id] = []
    final: bool = False


class Evidence(Model):
    """A verbatim quote from a source that supports a record."""

    source: Id
    quote: Text


class Occasion(Model):
    """A visit or event on which documents were signed."""

    id: Id
    title: Localised
    start: dt.date
    end: dt.date | None = None
    place: Text
    part_of: Id | None = None
    evidence: list[Evidence] = []


class NotAnAgreement(Model):
    """A place in a source that names a document but is not an agreement record."""

    quote: Text
    reason: Text


class Source(Model):
    """A source text in seeds/, with what the text itself says about it."""

    id: Id
    file: Text
    lang: Language
    title: Text
    publisher: Text
    published: dt.date | Literal["unknown"]
    sha256: Sha256
    url: Text | None = None
    notes: Text | None = None
    not_agreements: list[NotAnAgreement] = []

    @field_validator("published", mode="before")
    @classmethod
    def _date_or_unknown(cls, value: object) -> object:
        # One clear message instead of pydantic's per-union-member errors.
        if value == "unknown" or isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError("must be a date (YYYY-MM-DD) or 'unknown'")

    @field_validator("file")
    @classmethod
    def _plain_file_name(cls, value: str) -> str:
        if "/" in value or "\\" in value or value in {".", ".."} or "\x00" in value:
            raise ValueError("must be a plain file name inside seeds/, without folders")
        return value


class Party(Model):
    """An organisation's part in an agreement: which side it is on and its role."""

    org: Id
    side: CountryCode | None
    role: Role


# A term bound is written as a bare year (2027) or a date string.
_TERM_BOUND_SCHEMA = {"anyOf": [{"type": "integer"}, {"type": "string"}]}


class Term(Model):
    """The period an agreement runs for, as precise as the source states it."""

    start: Annotated[str, WithJsonSchema(_TERM_BOUND_SCHEMA)]
    end: Annotated[str, WithJsonSchema(_TERM_BOUND_SCHEMA)]

    @field_validator("start", "end", mode="before")
    @classmethod
    def _partial_date(cls, value: object) -> str:
        # A bare year is how sources state terms ("giai đoạn 2025-2027").
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not _PARTIAL_DATE.match(value):
            raise ValueError("must be a year (2027), a month (2027-06) or a date (2027-06-30)")
        parts = [int(p) for p in value.split("-")]
        try:
            dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError as exc:
            raise ValueError(f"is not a real date: {exc}") from None
        return value

    def last_day(self) -> dt.date:
        """The last day the term covers: 2027 ends on 2027-12-31."""
        parts = [int(p) for p in self.end.split("-")]
        if len(parts) == 3:
            return dt.date(*parts)
        if len(parts) == 2:
            year, month = parts
            first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
            return first_of_next - dt.timedelta(days=1)
        return dt.date(parts[0], 12, 31)


class FollowUp(Model):
    """A dated note on what happened after the signing."""

    date: dt.date
    text: Text
    status: Id | None = None
    source: Text | None = None
    author: Text | None = None


class Agreement(Model):
    """One agreement document: what it is, who is party to it, and the evidence."""

    id: Id
    title: Localised
    kind: Id
    sectors: list[Id] = Field(min_length=1)
    parties: list[Party] = Field(min_length=1)
    date: dt.date
    place: Text
    occasion: Id | None = None
    term: Term | None = None
    status: Id
    evidence: list[Evidence] = Field(min_length=1)
    follow_up: list[FollowUp] = []

    @field_validator("follow_up", mode="before")
    @classmethod
    def _bare_key_is_empty(cls, value: object) -> object:
        # `follow_up:` with nothing under it is how an empty list is begun by hand.
        return [] if value is None else value

    @property
    def current_status(self) -> str:
        """The latest note's status, or the record's own where no note sets one."""
        note = self.status_note
        return note.status if note and note.status else self.status

    @property
    def status_note(self) -> FollowUp | None:
        """The note that set the current status: the latest by date, then by file order."""
        moves = [(n.date, i, n) for i, n in enumerate(self.follow_up) if n.status]
        return max(moves, key=lambda m: (m[0], m[1]))[2] if moves else None

    @property
    def last_activity(self) -> dt.date:
        """The latest follow-up date, or the signing date where there are no notes."""
        return max([self.date, *(n.date for n in self.follow_up)])


def from_arguments(model: type[M], data: dict[str, object], what: str) -> M:
    """A model built from command-line values; what it refuses is a usage error (exit 2),
    naming each field, not an internal one."""
    from agreement_tracker.errors import BadArgument

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise BadArgument(f"{what}: {problems}") from None


def record_json_schema() -> dict[str, object]:
    """The JSON Schema of an agreement record file, as editors use it."""
    schema = Agreement.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Agreement record"
    return schema
