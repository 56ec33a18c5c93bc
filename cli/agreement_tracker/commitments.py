"""When a commitment is due, as the quote that states it says: a day, a month, a year, a
quarter ("Q3 2026", "quý III/2026"), or a period counted from the signing ("within six
months", "trong vòng 6 tháng"). "Soon" ("sớm", "bald", "bientôt") is no date.

A period that names its own start ("within six months from 1 July 2025", "trong vòng 6
tháng kể từ ngày 1/7/2025") is counted from that day; one that names the signing, or
no start ("within six months of signing", "within six months"), from the signing; one
counted from a day the quote does not give ("of its entry into force") has no date
the register can count.

A day, month or year counts only after a word that sets a deadline ("by", "before",
"no later than", "trước", "chậm nhất", "bis", "avant", "d'ici", "до"): "signed on 7
May 2025" states when something happened, not when it is due. A period is counted with
dateutil's `relativedelta`, which knows that six months from 31 August end on the last
day of February; the due day is the period's last day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from agreement_tracker.text import MONTHS, fold_keep_marks
from agreement_tracker.values import period


@dataclass(frozen=True, slots=True)
class Due:
    """A due phrase a quote states, and the date it means.

    `value` is as precise as the phrase (YYYY, YYYY-MM or YYYY-MM-DD), or None for a
    period with no signing day to count from, and for "soon". `said` is the phrase as
    the folded quote writes it; `at`, where it stands there.
    """

    value: str | None
    said: str
    how: str  # "day", "month", "year", "quarter", "period", "soon"
    at: tuple[int, int]
    counted_from: dt.date | None = None
    # A period's start, as the quote gives it: "signing" (named, or no start named),
    # "date" (a day it names), or "other" (an event it does not date).
    start: str = "signing"

    @property
    def dated(self) -> bool:
        return self.how != "soon"


# Words that set a deadline before a day, a month or a year ("by the end of", "trước",
# "bis Ende", "d'ici fin", "до конца").
_BY = (
    r"(?:by|before|until|no later than|not later than|in|within|"
    r"trước|đến|chậm nhất(?: là)?(?: vào)?|trong|vào|tới|"
    r"bis(?: zum| spätestens)?|spätestens|vor|im|"
    r"avant|d'ici(?: au| à| la)?|d’ici(?: au| à| la)?|au plus tard(?: le)?|en|jusqu'à|"
    r"jusqu’à|jusqu'au|jusqu’au|"
    r"до|к|не позднее|в)"
)
_END = (
    r"(?:(?:the )?end of |cuối |ende |fin d'|fin de |fin |la fin d'|la fin de |la fin |"
    r"конца |концу |end-)?"
    r"(?:tháng |năm |the year |year |the month of |jahres |de l'année |года )?"
)
_LEAD = rf"(?<!\w){_BY}\s+{_END}"
_MONTH_WORDS = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_YEAR = r"((?:1[0-9]|2[0-9])[0-9]{2})(?![0-9])"

_DAY_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, str, str]], ...] = (
    # 31/12/2026, 31.12.2026
    (re.compile(rf"{_LEAD}(?:ngày )?([0-9]{{1,2}})[/.]([0-9]{{1,2}})[/.]{_YEAR}"), ("d", "m", "y")),
    # 2026-12-31
    (re.compile(rf"{_LEAD}([0-9]{{4}})-([0-9]{{2}})-([0-9]{{2}})(?![0-9])"), ("y", "m", "d")),
    # ngày 31 tháng 12 năm 2026
    (re.compile(rf"{_LEAD}(?:ngày )?([0-9]{{1,2}}) tháng ([0-9]{{1,2}}) năm {_YEAR}"),
     ("d", "m", "y")),
    # 31 December 2026, 31. Dezember 2026, 31 décembre 2026
    (re.compile(rf"{_LEAD}(?:the )?([0-9]{{1,2}})(?:\.|st|nd|rd|th)? (?:of )?"
                rf"({_MONTH_WORDS}),? {_YEAR}"), ("d", "M", "y")),
    # December 31, 2026
    (re.compile(rf"{_LEAD}({_MONTH_WORDS}) ([0-9]{{1,2}})(?:st|nd|rd|th)?,? {_YEAR}"),
     ("M", "d", "y")),
)  # fmt: skip
_MONTH_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, str]], ...] = (
    (re.compile(rf"{_LEAD}(?:tháng )?([0-9]{{1,2}})(?:/| năm ){_YEAR}"), ("m", "y")),
    (re.compile(rf"{_LEAD}({_MONTH_WORDS}),? {_YEAR}"), ("M", "y")),
    (re.compile(rf"{_LEAD}([0-9]{{4}})-([0-9]{{2}})(?![0-9-])"), ("y", "m")),
)
_YEAR_PATTERN = re.compile(rf"{_LEAD}{_YEAR}(?!\s*[-–/])")
# A year, then a word that leads a deadline: the second year ends a span of years.
_RANGE_END = re.compile(rf"{_YEAR}\s+{_BY}\s+$")

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINAL_QUARTER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}
_QUARTER_PATTERNS = (
    re.compile(rf"(?<!\w)q([1-4])(?:/| |-)(?:năm )?{_YEAR}"),
    re.compile(rf"(?<!\w)quý (iv|iii|ii|i|[1-4])(?:/| năm | ){_YEAR}"),
    re.compile(rf"(?<!\w)(?:the )?(first|second|third|fourth|last) quarter (?:of )?{_YEAR}"),
    re.compile(rf"(?<!\w)([1-4])\.? quartal (?:des jahres )?{_YEAR}"),
    re.compile(rf"(?<!\w)(?:au )?(premier|deuxième|troisième|quatrième) trimestre (?:de )?{_YEAR}"),
)
_FR_QUARTER = {"premier": 1, "deuxième": 2, "troisième": 3, "quatrième": 4}

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
    "a": 1, "an": 1,
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
    "mười": 10, "mười hai": 12,
    "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "zwölf": 12,
    "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "douze": 12,
    "одного": 1, "двух": 2, "трех": 3, "трёх": 3, "шести": 6, "двенадцати": 12,
}  # fmt: skip
_NUMBER = "|".join(sorted((re.escape(n) for n in _NUMBERS), key=len, reverse=True))
_UNITS = {
    "day": "days", "days": "days", "ngày": "days", "tagen": "days", "jours": "days",
    "дней": "days",
    "week": "weeks", "weeks": "weeks", "tuần": "weeks", "wochen": "weeks", "semaines": "weeks",
    "недель": "weeks",
    "month": "months", "months": "months", "tháng": "months", "monat": "months",
    "monaten": "months", "mois": "months", "месяца": "months", "месяцев": "months",
    "year": "years", "years": "years", "năm": "years", "jahr": "years", "jahren": "years",
    "an": "years", "ans": "years", "года": "years", "лет": "years",
}  # fmt: skip
_UNIT = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_PERIOD = re.compile(
    r"(?<!\w)(?:within|in the next|trong vòng|trong thời hạn|trong|innerhalb(?: von)?|"
    r"binnen|dans un délai de|dans les|d'ici|в течение|в течении)\s+"
    rf"([0-9]{{1,3}}|{_NUMBER})\s+({_UNIT})(?!\w)"
)
_SOON = re.compile(
    r"(?<!\w)(?:soon|as soon as possible|at an early date|sớm|bald|bald möglichst|"
    r"bientôt|prochainement|в ближайшее время|вскоре)(?!\w)"
)


def _month(token: str) -> int:
    return int(token) if token.isdigit() else MONTHS[token]


def _checked(year: int, month: int, day: int | None = None) -> str | None:
    try:
        when = dt.date(year, month, day or 1)
    except ValueError:
        return None
    return when.isoformat() if day else when.isoformat()[:7]


def read_due(quote: str, signed: str | None) -> Due | None:
    """The first due phrase of `quote` (any language), and the date it means; a period
    is counted from `signed` (the record's signing date, YYYY-MM-DD; a period from a
    month or a year is counted from its last day). None: the quote states no deadline."""
    text = fold_keep_marks(quote)
    found: list[Due] = []
    for pattern, order in _DAY_PATTERNS:
        for m in pattern.finditer(text):
            parts = dict(zip(order, m.groups(), strict=True))
            month = _month(parts.get("M") or parts["m"])
            value = _checked(int(parts["y"]), month, int(parts["d"]))
            if value:
                found.append(Due(value, m.group(0), "day", m.span()))
    for mpattern, morder in _MONTH_PATTERNS:
        for m in mpattern.finditer(text):
            parts = dict(zip(morder, m.groups(), strict=True))
            month_value = _checked(int(parts["y"]), _month(parts.get("M") or parts["m"]))
            if month_value:
                found.append(Due(month_value, m.group(0), "month", m.span()))
    for m in _YEAR_PATTERN.finditer(text):
        if _RANGE_END.search(text, 0, m.start() + len(m.group(0)) - len(m.group(1))):
            continue  # "für 2025 bis 2027", "from 2025 to 2027": a span of years, no deadline
        found.append(Due(m.group(1), m.group(0), "year", m.span()))
    for qpattern in _QUARTER_PATTERNS:
        for m in qpattern.finditer(text):
            word, year = m.group(1), int(m.group(2))
            quarter = (
                _ROMAN.get(word) or _ORDINAL_QUARTER.get(word) or _FR_QUARTER.get(word) or int(word)
            )
            last = _checked(year, quarter * 3)
            if last:
                found.append(Due(last, m.group(0), "quarter", m.span()))
    for m in _PERIOD.finditer(text):
        found.append(_period_due(text, m, signed))
    for m in _SOON.finditer(text):
        found.append(Due(None, m.group(0), "soon", m.span()))
    if not found:
        return None
    # The longest phrase where two overlap ("by the end of 2026" over "2026"), then the first.
    found.sort(key=lambda d: (d.at[0], -(d.at[1] - d.at[0])))
    return found[0]


# What a period is counted from, after it: "from", "of", "kể từ", "ab", "à compter du", "с".
_FROM = (
    r"\s*,?\s*(?:counting from|counted from|starting from|from|of|after|following|since|"
    r"kể từ|tính từ|từ|sau|ab|nach|seit|vom|von|à compter du|à compter de|à partir du|"
    r"à partir de|après|du|de|с|со|после)\s+"
)
_SIGNING = re.compile(
    _FROM + r"(?:the |its |their |der |la |sa |leur )?(?:date of (?:the )?|day of (?:the )?|"
    r"ngày |даты |дня |момента )?(?:signing|signature|ký kết|ký|kí|unterzeichnung|"
    r"подписания)(?!\w)"
)
_START_DAY: tuple[tuple[re.Pattern[str], tuple[str, str, str]], ...] = (
    (re.compile(_FROM + r"(?:the |dem |le )?(?:ngày )?"
                rf"([0-9]{{1,2}})[/.]([0-9]{{1,2}})[/.]{_YEAR}"), ("d", "m", "y")),
    (re.compile(_FROM + r"(?:the )?([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])"), ("y", "m", "d")),
    (re.compile(_FROM + rf"(?:ngày )?([0-9]{{1,2}}) tháng ([0-9]{{1,2}}) năm {_YEAR}"),
     ("d", "m", "y")),
    (re.compile(_FROM + rf"(?:the |dem |le )?([0-9]{{1,2}})(?:\.|st|nd|rd|th|er)? (?:of )?"
                rf"({_MONTH_WORDS}),? {_YEAR}"), ("d", "M", "y")),
    (re.compile(_FROM + rf"({_MONTH_WORDS}) ([0-9]{{1,2}})(?:st|nd|rd|th)?,? {_YEAR}"),
     ("M", "d", "y")),
)  # fmt: skip


def _period_due(text: str, m: re.Match[str], signed: str | None) -> Due:
    """A period ("within six months") and what it is counted from: the day it names, the
    signing where it names that or nothing, else a start the register cannot date."""
    number = m.group(1)
    count = int(number) if number.isdigit() else _NUMBERS[number]
    unit = _UNITS[m.group(2)]
    end = m.end()
    for pattern, order in _START_DAY:
        found = pattern.match(text, end)
        if found is None:
            continue
        parts = dict(zip(order, found.groups(), strict=True))
        day = _checked(int(parts["y"]), _month(parts.get("M") or parts["m"]), int(parts["d"]))
        if day is not None:
            start = dt.date.fromisoformat(day)
            return Due(counted(start, count, unit).isoformat(), text[m.start() : found.end()],
                       "period", (m.start(), found.end()), start, "date")  # fmt: skip
    signing = _SIGNING.match(text, end)
    other = re.compile(_FROM + r"\w").match(text, end)
    if signing is None and other is not None:
        stop = _clause_end(text, other.end() - 1)
        return Due(None, text[m.start() : stop], "period", (m.start(), stop), None, "other")
    stop = signing.end() if signing is not None else end
    return Due(_counted(signed, count, unit), text[m.start() : stop], "period",
               (m.start(), stop), period(signed)[1] if signed else None)  # fmt: skip


def _clause_end(text: str, at: int) -> int:
    """Where the words after `at` stop: a comma, a semicolon or the end (a few words)."""
    found = re.compile(r"[,;.]|$").search(text, at)
    stop = found.start() if found else len(text)
    words = text[at:stop].split()
    if len(words) > 6:
        stop = text.find(words[5], at) + len(words[5])
    return stop


def counted(start: dt.date, count: int, unit: str) -> dt.date:
    """The last day of a period of `count` units from `start` (six months from 7 May 2025:
    7 November 2025), by dateutil's calendar arithmetic."""
    from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

    return start + relativedelta(**{unit: count})


def _counted(signed: str | None, count: int, unit: str) -> str | None:
    if not signed:
        return None
    return counted(period(signed)[1], count, unit).isoformat()


def due_last_day(value: str) -> dt.date:
    """The last day a due date means (2025-11: 30 November)."""
    return period(value)[1]


def as_written(quote: str, folded_phrase: str) -> str:
    """The due phrase as the quote writes it (its letter case), found again in the quote."""
    pattern = r"\s+".join(re.escape(word) for word in folded_phrase.split())
    found = re.search(pattern, quote, flags=re.IGNORECASE)
    return found.group(0) if found else folded_phrase
