"""The register's data model: plain dataclasses, the one definition of the schema.

Records refer to registries (organisations, sectors, kinds, statuses,
occasions, sources) by id, so a name is written once and corrected once.

The classes are stdlib dataclasses so that read commands build them from the
index without importing pydantic (about 80 ms of a cold start). The rules a
hand-edited file must satisfy are written here too, as `Rule` and `Check`
markers on the field types: pydantic reads them when YAML is validated
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
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, Generic, Literal, TypeVar

from agreement_tracker.languages import ISO_639_1

# --- rules pydantic enforces on read and write ------------------------------------


class Rule:
    """Constraints on a text field (pattern, length), applied by pydantic only."""

    __slots__ = ("max_length", "min_length", "pattern")

    def __init__(
        self,
        pattern: str | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
    ) -> None:
        self.pattern, self.min_length, self.max_length = pattern, min_length, max_length

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        for name in self.__slots__:
            if getattr(self, name) is not None:
                schema[name] = getattr(self, name)
        return schema


class Check:
    """A value check with a curator's message, run by pydantic before its own type check.

    `convert` returns the value to validate further, or raises ValueError with
    what to do. `json_schema` replaces the schema pydantic would derive.
    """

    __slots__ = ("convert", "json_schema")

    def __init__(
        self, convert: Callable[[Any], Any], json_schema: dict[str, Any] | None = None
    ) -> None:
        self.convert, self.json_schema = convert, json_schema

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.convert, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        return dict(self.json_schema) if self.json_schema else handler(schema)


# Ids are file names and command-line arguments: lower-case ASCII words joined
# by hyphens, so they can never hold `/`, `..`, NUL or white space.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, Rule(pattern=ID_PATTERN, max_length=120)]
CountryCode = Annotated[str, Rule(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, Rule(min_length=1)]
Sha256 = Annotated[str, Rule(pattern=r"^[0-9a-f]{64}$")]


def _language(value: object) -> object:
    if isinstance(value, str) and value not in ISO_639_1:
        raise ValueError("must be an ISO 639-1 language code (en, vi, de, fr, ru, az, kk…)")
    return value


Language = Annotated[str, Check(_language, {"type": "string", "enum": sorted(ISO_639_1)})]
OrganisationType = Literal[
    "ministry", "government", "state company", "company", "person", "party", "organisation"
]
ORGANISATION_TYPES: tuple[str, ...] = typing.get_args(OrganisationType)
# What a party did with the document. "named party" is named in the document
# as part of the arrangement without being shown signing it.
Role = Literal["signatory", "adopting party", "named party", "beneficiary", "witness"]
ROLES: tuple[str, ...] = typing.get_args(Role)

# One rule for every date the register holds, read or given: four ASCII digits of a year
# in this range, then a month and a day. The range keeps every day the code works out
# (the last day of a month, a day after, the day before) inside what `datetime` can
# hold, with room to spare: 9999-12 would need 10000-01-01 to find its last day.
FIRST_YEAR, LAST_YEAR = 1000, 2999
YEARS = f"from {FIRST_YEAR} to {LAST_YEAR}"
# [0-9], never \d: `\d` matches Arabic-Indic and full-width digits too, and int() reads
# them. fullmatch, never `$`, which matches before a final newline.
_PARTIAL_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The same rule for editors (JSON Schema): a year in range, a month, a day of a month.
_YEAR_RE = "(1[0-9]{3}|2[0-9]{3})"
_MONTH_RE = "(0[1-9]|1[0-2])"
_DAY_RE = "(0[1-9]|[12][0-9]|3[01])"
DAY_JSON: dict[str, Any] = {"type": "string", "pattern": f"^{_YEAR_RE}-{_MONTH_RE}-{_DAY_RE}$"}
PARTIAL_JSON: dict[str, Any] = {
    "anyOf": [
        {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
        {"type": "string", "pattern": f"^{_YEAR_RE}(-{_MONTH_RE}(-{_DAY_RE})?)?$"},
    ]
}
_WRITE_DAY = "write the date with the digits 0-9 as YYYY-MM-DD"
_REAL_DAY = "write YYYY-MM-DD with a month and a day the calendar has"


def _shown(value: object) -> str:
    """A refused value as the message names it: quoted, escapes visible, not too long."""
    text = repr(value) if isinstance(value, str) else repr(str(value))
    return text if len(text) <= 60 else text[:57] + "…'"


def _in_range(year: int, value: object) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{_shown(value)}: the register takes years {YEARS}; check the date")


def _no_time(value: object) -> None:
    if isinstance(value, dt.datetime):
        raise ValueError(f"{_shown(value.isoformat())} has a time of day: {_WRITE_DAY}")


def day(value: object) -> dt.date:
    """A day as YYYY-MM-DD in ASCII digits (or a date YAML read), its year in range."""
    _no_time(value)
    if isinstance(value, dt.date):
        _in_range(value.year, value.isoformat())
        return value
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise ValueError(f"{_shown(value)} is not a date: {_WRITE_DAY}")
    _in_range(int(value[:4]), value)
    try:
        return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError as exc:
        raise ValueError(f"{_shown(value)} is not a date: {_REAL_DAY} ({exc})") from None


def _date_or_unknown(value: object) -> object:
    # One clear message instead of pydantic's per-union-member errors.
    if value == "unknown":
        return value
    try:
        return day(value)
    except ValueError as exc:
        raise ValueError(f"{exc}, or write 'unknown'") from None


def _plain_file_name(value: object) -> object:
    if isinstance(value, str) and (
        "/" in value or "\\" in value or value in {".", ".."} or "\x00" in value
    ):
        raise ValueError("must be a plain file name inside seeds/, without folders")
    return value


def partial_date(value: object) -> str:
    """A date as precise as the source gives it: a year, a month or a day, in ASCII digits
    with the year in range (a bare year is how sources state terms: "giai đoạn 2025-2027")."""
    _no_time(value)
    if isinstance(value, dt.date):
        _in_range(value.year, value.isoformat())
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _PARTIAL_DATE.fullmatch(value):
        raise ValueError(
            f"{_shown(value)} must be a year (2027), a month (2027-06) or a date "
            f"(2027-06-30): {_WRITE_DAY}, or YYYY-MM or YYYY where the source gives no more"
        )
    parts = [int(p) for p in value.split("-")]
    _in_range(parts[0], value)
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ValueError(
            f"{_shown(value)} is not a date: it is not a real date ({exc}); {_REAL_DAY}"
        ) from None
    return value


def _date_or_partial(value: object) -> str:
    # A note dated as precisely as the source says: 2025-07-15, 2025-07 or 2025.
    return partial_date(value)


def _month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def period(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day a date as precise as YYYY, YYYY-MM or YYYY-MM-DD may mean."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        one = dt.date(*parts)
        return one, one
    if len(parts) == 2:
        year, month = parts
        # The month's length, not "the first of the next month minus a day": no day
        # outside the month is made, so no month of any year can overflow.
        return dt.date(year, month, 1), dt.date(year, month, _month_length(year, month))
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def _none_is_empty(value: object) -> object:
    # `follow_up:` with nothing under it is how an empty list is begun by hand.
    return [] if value is None else value


PublishedDate = Annotated[dt.date | Literal["unknown"], Check(_date_or_unknown)]
SourceFile = Annotated[Text, Check(_plain_file_name)]
# A note's date: a day, or only the month or year where the source says no more.
NoteDate = Annotated[str, Check(_date_or_partial, PARTIAL_JSON)]
# A term bound is written as a bare year (2027) or a date string.
TermBound = Annotated[str, Check(partial_date, PARTIAL_JSON)]
# A day: an occasion's first and last, a source's publication.
Day = Annotated[dt.date, Check(day, DAY_JSON)]

# Every class: compact (slots: 10,000 records fit in 200 MB) and strict about keys when
# pydantic reads it. No generated __repr__/__eq__ and not frozen: each generated method
# is compiled on every start (4 ms of a 60 ms `list`), and nothing compares models.
_STRICT = {"extra": "forbid"}
_M = TypeVar("_M")


# Keyword-only, so fields keep the order files write them in, defaults or not. A
# function with dataclass_transform rather than a partial of dataclass(), so type
# checkers know the classes are dataclasses and their constructors take keywords.
@typing.dataclass_transform(
    kw_only_default=True, eq_default=False, field_specifiers=(dataclasses.field,)
)
def model(cls: type[_M]) -> type[_M]:
    return dataclasses.dataclass(kw_only=True, slots=True, eq=False, repr=False)(cls)


def _list() -> Any:
    return dataclasses.field(default_factory=list)


# --- the registries ----------------------------------------------------------------


_V = TypeVar("_V")


class _LanguageMap(Generic[_V]):
    """A map from ISO 639-1 code to a value, read from YAML as a plain mapping.

    pydantic validates it as a dict (keys must be ISO 639-1 codes) and wraps
    the result; `to_plain` and the index store the dict.
    """

    __slots__ = ("by_lang",)
    _value_schema: Any = None

    def __init__(self, by_lang: dict[str, _V]) -> None:
        self.by_lang = by_lang

    @classmethod
    def _check(cls, value: object) -> object:
        if isinstance(value, cls):
            return value.by_lang
        if isinstance(value, dict):
            unknown = [k for k in value if not isinstance(k, str) or k not in ISO_639_1]
            if unknown:
                raise ValueError(
                    f"{unknown[0]!r} is not an ISO 639-1 language code (en, vi, de, fr, ru, az…)"
                )
        return value

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        # dict[str, cls._value_schema], built as the alias it is: the value type is data here.
        inner = handler.generate_schema(types.GenericAlias(dict, (str, cls._value_schema)))
        checked = core_schema.no_info_before_validator_function(cls._check, inner)
        return core_schema.no_info_after_validator_function(cls._wrap, checked)

    @classmethod
    def _wrap(cls, value: dict[str, Any]) -> Any:
        return cls(value)

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        inner = handler(schema)
        inner["propertyNames"] = {"enum": sorted(ISO_639_1)}
        return inner


class Localised(_LanguageMap[str]):
    """A name or title per language: English required, every other language optional."""

    __slots__ = ()
    _value_schema = Text

    @classmethod
    def _wrap(cls, value: dict[str, str]) -> "Localised":
        if "en" not in value:
            raise ValueError("needs an English name (en:); other languages are optional")
        return cls(value)

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        inner = super().__get_pydantic_json_schema__(schema, handler)
        inner["required"] = ["en"]
        return inner

    @property
    def en(self) -> str:
        return self.by_lang["en"]

    def get(self, lang: str) -> str:
        """The text in `lang`, or in English where the register has none in `lang`."""
        return self.by_lang.get(lang) or self.by_lang["en"]

    def all(self) -> list[str]:
        """The text in every language the register has it in."""
        return list(self.by_lang.values())


class Terms(_LanguageMap[list[str]]):
    """Words that name something in each language, used to find it in sources."""

    __slots__ = ()
    _value_schema = list[Text]

    def __init__(self, by_lang: dict[str, list[str]] | None = None) -> None:
        super().__init__(by_lang or {})

    def get(self, lang: str) -> list[str]:
        """The words in `lang` (none where the register has none in that language)."""
        return self.by_lang.get(lang, [])

    def all(self) -> list[str]:
        return [word for words in self.by_lang.values() for word in words]


@model
class Place:
    """A city of a country, with its name in each language the sources write it in
    ("Baku", "Bakou", "Баку"): a record's place is proven by any of them, and the
    city's country is the one the record's place must name."""

    __pydantic_config__ = _STRICT
    name: Localised
    terms: Terms = dataclasses.field(default_factory=Terms)

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

    def all_names(self) -> list[str]:
        """Every way the sources may write this organisation."""
        short = self.short.all() if self.short else []
        return [*self.name.all(), *short, *self.aliases]


@model
class Sector:
    """A policy area; `parent` builds the hierarchy filters descend."""

    __pydantic_config__ = _STRICT
    id: Id
    parent: Id | None = None
    name: Localised
    terms: Terms = dataclasses.field(default_factory=Terms)


@model
class Kind:
    """A kind of document (memorandum of understanding, joint statement, …)."""

    __pydantic_config__ = _STRICT
    id: Id
    name: Localised
    short: Localised | None = None
    terms: Terms


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


@model
class Evidence:
    """A verbatim quote from a source that supports a record."""

    __pydantic_config__ = _STRICT
    source: Id
    quote: Text


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


@model
class NotAnAgreement:
    """A place in a source that names a document but is not an agreement record."""

    __pydantic_config__ = _STRICT
    quote: Text
    reason: Text


@model
class Erratum:
    """An error in a source text: the passage, what is wrong, and the correct reading,
    with the quote (of this source or another) that states the correct reading."""

    __pydantic_config__ = _STRICT
    quote: Text
    wrong: Text
    correct: Text
    evidence: Evidence | None = None


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


@model
class Term:
    """The period an agreement runs for, as precise as the source states it."""

    __pydantic_config__ = _STRICT
    start: TermBound
    end: TermBound

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


# --- plain data: JSON output and the index ------------------------------------------


def to_plain(value: Any, *, exclude_none: bool = False, dates: bool = False) -> Any:
    """A dataclass as JSON-ready data: dicts in field order, dates as ISO text
    (or, with `dates`, as dates, which YAML writes unquoted)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        plain = {}
        for field in dataclasses.fields(value):
            name = field.name
            item = getattr(value, name)
            if item is None and exclude_none:
                continue
            plain[name] = to_plain(item, exclude_none=exclude_none, dates=dates)
        return plain
    if isinstance(value, list):
        return [to_plain(item, exclude_none=exclude_none, dates=dates) for item in value]
    if isinstance(value, _LanguageMap):
        return dict(value.by_lang)
    if isinstance(value, dt.date) and not dates:
        return value.isoformat()
    return value


Converter = Callable[[Any], Any]
_PLANS: dict[type, list[tuple[str, Converter | None]]] = {}


def from_plain(cls: type[Any], data: dict[str, Any]) -> Any:
    """Build a dataclass from data `to_plain` made of an instance that pydantic validated.

    No checks are repeated: this is how read commands rebuild the register
    from the index, which holds only data that passed validation.
    """
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _plan(cls)
    kwargs = {}
    for name, convert in plan:
        if name in data:
            value = data[name]
            kwargs[name] = value if convert is None or value is None else convert(value)
    return cls(**kwargs)


def _plan(cls: type[Any]) -> list[tuple[str, Converter | None]]:
    return [(f.name, _converter(f.type)) for f in dataclasses.fields(cls)]


# Values that repeat across records (ids, codes, dates, statuses, roles, languages) are
# shared when the register is rebuilt from the index: 100,000 records name the same few
# thousand organisations and sources, and each decoded copy would stay in memory.
_SHARED: dict[str, str] = {}
_DATES: dict[str, dt.date] = {}


def _share(value: str) -> str:
    return _SHARED.setdefault(value, value)


def _shared_date(value: str) -> dt.date:
    found = _DATES.get(value)
    if found is None:
        found = _DATES[value] = dt.date.fromisoformat(value)
    return found


def _converter(hint: Any) -> Converter | None:
    """How to rebuild a value of type `hint` from plain data (None: as it is)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Annotated:
        inner = _converter(args[0])
        coded = any(isinstance(m, Check) or (isinstance(m, Rule) and m.pattern) for m in args[1:])
        # An id, a code, a language or a date written as text: a value that repeats.
        return _share if inner is None and args[0] is str and coded else inner
    if hint is dt.date:
        return _shared_date
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        cls = hint
        return lambda value: from_plain(cls, value)
    if isinstance(hint, type) and issubclass(hint, _LanguageMap):
        return lambda value: hint({_share(k): v for k, v in value.items()})
    if origin is list:
        item = _converter(args[0])
        return None if item is None else (lambda values: [item(v) for v in values])
    if origin is Literal:
        return _share if all(isinstance(a, str) for a in args) else None
    if args:  # a union: X | None, date | Literal["unknown"]
        literals = {v for a in args if typing.get_origin(a) is Literal for v in typing.get_args(a)}
        arms = [
            c
            for a in args
            if a is not type(None)
            and typing.get_origin(a) is not Literal
            and (c := _converter(a)) is not None
        ]
        if not arms:
            return None
        (convert,) = arms
        return (
            (lambda value: value if value in literals else convert(value)) if literals else convert
        )
    return None
