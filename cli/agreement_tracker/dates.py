"""What a text says of dates: days, months, spans, weekdays and datelines, in the forms
the press writes them ("7/5", "ngày 7 tháng 5", "May 7", "7. Mai", "7 мая")."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass

from agreement_tracker.mentions import SIGN_VERBS, has_word, weekdays_in
from agreement_tracker.text import MONTHS, fold_keep_marks

WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday_beside(text: str, date: dt.date) -> int | None:
    """The weekday a text names right before or after the day and month of `date`
    ("Wednesday, May 7", "thứ Tư, ngày 7/5", "mercredi 7 mai"), if any."""
    for at, number in weekdays_in(text):
        near = text[max(0, at - 25) : at + 40]
        if any(m.on(date) for m in dates_in(near)):
            return number
    return None


def weekday_means(text: str, today: Mention, date: dt.date) -> dt.date | None:
    """The day a weekday alone ("on Wednesday", "am Mittwoch") means in an article dated
    `today` (in the year of `date` where the dateline gives none): that weekday in the six
    days up to the dateline. None when the text names no weekday, or names a date beside
    it (the date says the day)."""
    named = weekdays_in(text)
    if not named or dates_in(text):
        return None
    try:
        day = dt.date(today.year or date.year, today.month, today.day)
    except ValueError:
        return None
    return day - dt.timedelta(days=(day.weekday() - named[0][1]) % 7)


def dateline_day(text: str) -> Mention | None:
    """The day an article's dateline gives, with its year where it has one."""
    stop = dateline_end(text)
    if not stop:
        return None
    found = dates_in(text[:stop])
    return next((m for m in found if m.full() is not None), found[0] if found else None)


_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))


_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\d/])")


_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


_VI_WORDS = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2})(?: năm (\d{4}))?")


# "7 May 2025", "7. Mai 2025", "7 mai 2025", "7 мая 2025", "07.05.2025".
_EN_DAY_MONTH = re.compile(
    rf"(?<![\w-])(\d{{1,2}})(?:\.|st|nd|rd|th)? (?:of )?({_MONTH_WORDS})(?:,? (\d{{4}}))?(?!\w)"
)


# "7-5", "ngày 7-5-2025": a day and month joined by a hyphen, never part of a span or a term.
_DASHED = re.compile(r"(?<![\d/.-])(\d{1,2})-(\d{1,2})(?:-(\d{4}))?(?![\d/-])")


_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])")


_EN_MONTH_DAY = re.compile(
    rf"(?<![\w-])({_MONTH_WORDS}) (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?(?!\w)"
)


# Spans: "7-8/5", "từ ngày 5 đến 12-5", "5-12 May", "from 5 to 12 May", "May 7-8".
_SPAN_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})\s*-\s*(\d{1,2})\s*/\s*(\d{1,2})(?:/(\d{4}))?")


_SPAN_VI = re.compile(r"từ (?:ngày )?(\d{1,2}) đến (?:ngày )?(\d{1,2})\s*[-/]\s*(\d{1,2})")


_SPAN_EN = re.compile(
    rf"(?<![\w-])(?:from )?(\d{{1,2}})(?: to |-)(\d{{1,2}}) ({_MONTH_WORDS})(?:,? (\d{{4}}))?"
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A date a quote states: a day and month, with the year where it stands beside them."""

    day: int
    month: int
    year: int | None
    # Where it stands in the folded quote: for the reader (`proving_words`), not compared.
    at: tuple[int, int] = dataclasses.field(default=(0, 0), compare=False)

    def on(self, date: dt.date) -> bool:
        return (self.day, self.month) == (date.day, date.month)

    def full(self) -> dt.date | None:
        if self.year is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day)
        except ValueError:
            return None


def dates_in(quote: str) -> list[Mention]:
    """Every single date a quote states (spans are not single dates)."""
    text = fold_keep_marks(quote)
    found: list[Mention] = []

    def add(m: re.Match[str], day: str, month: str, year: str | None) -> None:
        found.append(Mention(int(day), int(month), int(year) if year else None, m.span()))

    for m in _NUMERIC.finditer(text):
        add(m, m.group(1), m.group(2), m.group(3))
    for m in _ISO.finditer(text):
        add(m, m.group(3), m.group(2), m.group(1))
    for m in _VI_WORDS.finditer(text):
        add(m, m.group(1), m.group(2), m.group(3))
    for m in _DASHED.finditer(text):
        if 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12:
            add(m, m.group(1), m.group(2), m.group(3))
    for m in _EN_DAY_MONTH.finditer(text):
        add(m, m.group(1), str(MONTHS[m.group(2)]), m.group(3))
    for m in _EN_MONTH_DAY.finditer(text):
        add(m, m.group(2), str(MONTHS[m.group(1)]), m.group(3))
    for m in _DOTTED.finditer(text):
        add(m, m.group(1), m.group(2), m.group(3))
    return found


def spans_in(quote: str) -> list[tuple[Mention, Mention]]:
    """Every span a quote states ("7-8/5"): its first and last day."""
    text = fold_keep_marks(quote)
    found = []
    for m in _SPAN_NUMERIC.finditer(text):
        year = int(m.group(4)) if m.group(4) else None
        month = int(m.group(3))
        found.append((Mention(int(m.group(1)), month, year), Mention(int(m.group(2)), month, year)))
    for m in _SPAN_VI.finditer(text):
        month = int(m.group(3))
        found.append((Mention(int(m.group(1)), month, None), Mention(int(m.group(2)), month, None)))
    for m in _SPAN_EN.finditer(text):
        month = MONTHS[m.group(3)]
        year = int(m.group(4)) if m.group(4) else None
        found.append((Mention(int(m.group(1)), month, year), Mention(int(m.group(2)), month, year)))
    return found


def year_in(text: str, year: str) -> bool:
    return year in text and _year_pattern(year).search(text) is not None


@functools.lru_cache(maxsize=1024)
def _year_pattern(year: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![0-9]){re.escape(year)}(?![0-9])")


_MONTH_YEAR = (
    re.compile(r"tháng (\d{1,2})(?:/| năm )(\d{4})"),
    re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{4})(?!\d)"),
)


_WORD_MONTH_YEAR = re.compile(rf"(?<!\w)({_MONTH_WORDS}),? (\d{{4}})(?!\d)")


_ISO_MONTH = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?![\d])")


def months_in(folded: str) -> set[tuple[int, int]]:
    """Every (year, month) a folded quote states: "tháng 7/2025", "July 2025", "7/2025",
    "2025-07", and the month of every full date it states."""
    found = {(m.year, m.month) for m in dates_in(folded) if m.year is not None}
    for pattern in _MONTH_YEAR:
        found |= {(int(m.group(2)), int(m.group(1))) for m in pattern.finditer(folded)}
    found |= {(int(m.group(2)), MONTHS[m.group(1)]) for m in _WORD_MONTH_YEAR.finditer(folded)}
    found |= {(int(m.group(1)), int(m.group(2))) for m in _ISO_MONTH.finditer(folded)}
    return found


# --- datelines -----------------------------------------------------------------------------

# "Hà Nội, 9/5 (TTXVN) –", "BAKU, May 7 (Reuters) -", "Thursday, 08/05/2025", "2025-05-10".
# "(TTXVN) –", "(Reuters) -", and TASS's "БАКУ, 8 мая. /ТАСС/."
_AGENCY_DATELINE = re.compile(
    r"^[^\n]{0,60}?(?:\(\s*[\w .-]{2,20}\s*\)\s*[-–—:]|/\s*[^\W\d][\w .-]{1,19}\s*/\s*[-–—:.]?)"
)
_DATE_ONLY = re.compile(
    r"^\s*(?:[^\W\d]+,?\s+)?(?:\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?|\d{1,2}\.?\s+[^\W\d]+"
    r"(?:\s+\d{4})?|[^\W\d]+\s+\d{1,2}(?:,\s*\d{4})?)\s*$"
)


_FULL_DATE = re.compile(
    r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+[^\W\d]+,?\s+\d{4}"
    r"|[^\W\d]+\s+\d{1,2},?\s+\d{4}"
)


# "Baku, 7/5 –", "BAKU, May 7 (Reuters) -", "Hà Nội, 9/5 (TTXVN) –": a place, a date with
# a digit, perhaps an agency, and a dash, at the very start of an article.
_OPENING_DATELINE = re.compile(
    r"^[^\W\d][^,\n]{0,40},\s*[^\n]{0,25}?\d[^\n]{0,15}?(?:\([^)\n]{1,25}\))?\s*[-–—]\s"
)


@functools.lru_cache(maxsize=256)
def dateline_end(text: str) -> int:
    """Where an article's dateline ends in its (NFC) text, or 0 if it has none: a first
    line that is only a date, or a place and a date ("Hà Nội, ngày 12/3/2026",
    "Thursday, 08/05/2025"), or an opening "Place, date (Agency) –".

    Cached by text: every quote of a source asks three times, and the cache finds a
    source's text by the object it is (its hash is kept with it)."""
    newline = text.find("\n")
    first = text if newline < 0 else text[:newline]  # not split(): no copy of the rest
    if first.strip() and _DATE_ONLY.match(first) and len(first) <= 40:
        return len(first)
    if 0 < len(first.strip()) <= 50 and _FULL_DATE.search(first):
        rest = _FULL_DATE.sub("", first)
        if not has_word(fold_keep_marks(rest), SIGN_VERBS) and len(rest.split()) <= 5:
            return len(first)
    match = _AGENCY_DATELINE.match(text) or _OPENING_DATELINE.match(text)
    if match and re.search(r"\d", match.group()):
        return match.end()
    return 0


def in_dateline(text: str, start: int, end: int) -> bool:
    """Whether [start, end) of an article lies within its dateline."""
    stop = dateline_end(text)
    return stop > 0 and start < stop and end <= stop + 1
