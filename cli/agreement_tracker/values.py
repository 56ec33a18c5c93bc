"""The values a field may hold: ids, codes, languages, names per language and dates.

Each is a type with its rule attached (`Rule` for a pattern or a length, `Check` for a
conversion with a curator's message), which pydantic enforces when YAML is validated
(`schema.py`) and the JSON Schema states; `model.py` builds its classes from them.
What a date as precise as YYYY or YYYY-MM means (`period`) is here too, with the one
rule every date the register holds follows.

Annotations are evaluated when the module loads (no `from __future__ import
annotations`), as in `model.py`: the index rebuilds values by reading type objects.
"""

import datetime as dt
import re
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, Generic, Literal, TypeVar

from agreement_tracker.languages import ISO_639_1, not_a_language

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
        raise ValueError(not_a_language(value))
    return value


Language = Annotated[str, Check(_language, {"type": "string", "enum": sorted(ISO_639_1)})]
OrganisationType = Literal[
    "ministry", "government", "state company", "company", "person", "party", "organisation"
]
ORGANISATION_TYPES: tuple[str, ...] = typing.get_args(OrganisationType)

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


def _published(value: object) -> str:
    # As precise as the text says (a day, a month, a year), or "unknown"; one clear
    # message instead of pydantic's per-union-member errors.
    if value == "unknown":
        return value
    try:
        return partial_date(value)
    except ValueError as exc:
        raise ValueError(f"{exc}, or write 'unknown' where the text gives no date") from None


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


# When a source was published: a day, or the month or year where its text says no more,
# or "unknown".
PublishedDate = Annotated[str, Check(_published, {"anyOf": [PARTIAL_JSON, {"const": "unknown"}]})]
SourceFile = Annotated[Text, Check(_plain_file_name)]
# A note's date: a day, or only the month or year where the source says no more.
NoteDate = Annotated[str, Check(_date_or_partial, PARTIAL_JSON)]
# A term bound is written as a bare year (2027) or a date string.
TermBound = Annotated[str, Check(partial_date, PARTIAL_JSON)]
# A day: an occasion's first and last, a source's publication.
Day = Annotated[dt.date, Check(day, DAY_JSON)]


# --- names per language -------------------------------------------------------------


_V = TypeVar("_V")


class LanguageMap(Generic[_V]):
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
                raise ValueError(not_a_language(unknown[0]))
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


class Localised(LanguageMap[str]):
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


class Terms(LanguageMap[list[str]]):
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
