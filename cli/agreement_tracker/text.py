"""Text normalisation shared by search, quote matching and grounding.

Sources mix Vietnamese spelling variants (hòa/hoà), NFD input from some
editors, re-wrapped lines and inconsistent hyphen spacing ("Công nghiệp-Năng
lượng" vs "Công nghiệp - Năng lượng"). Everything that compares text goes
through these functions so the rules are the same everywhere.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# The patterns below are compiled when first used, not at import: every command imports
# this module, and compiling them all took 3-6 ms of each start (`UNSPACED` alone, a class
# of CJK and South-East Asian ranges, over 2 ms).
_SOURCES = {
    # Hyphen-like characters, with any white space around them.
    "_HYPHEN": r"\s*[-‐‑‒–—―]\s*",
    # Characters that change how a terminal behaves or how text reads on screen:
    # C0/C1 controls (ESC starts escape sequences), Unicode bidi controls (U+061C,
    # U+200E/F, U+202A-E, U+2066-9), the line and paragraph separators U+2028/9, and lone
    # surrogates: a file name's undecodable byte (0x9b, an 8-bit CSI) arrives as U+DC9B
    # and would be written back raw; and U+FFFE/U+FFFF, which XML (the SVG report)
    # refuses. The one class of characters no output carries raw: `visible` shows them as
    # escapes for people, `escape_json` as JSON escapes that read back as the same data.
    # Every one of them is unprintable (`str.isprintable`), which `_clean` relies on.
    "_UNSAFE": "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069\ud800-\udfff\ufffe\uffff]",
    # Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
    # Burmese): a name in them has no word boundary to require at its ends.
    "UNSPACED": "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]",
}


@functools.cache
def _pattern(name: str) -> re.Pattern[str]:
    """The pattern `name` of `_SOURCES`, compiled on first use."""
    return re.compile(_SOURCES[name])


def __getattr__(name: str) -> re.Pattern[str]:
    """`from agreement_tracker.text import UNSPACED` compiles it then (PEP 562)."""
    if name in _SOURCES:
        return _pattern(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _clean(text: str) -> bool:
    """Whether `text` holds none of `_UNSAFE`'s characters, found without the pattern:
    each of them is unprintable, and line breaks and tabs (unprintable too) are not
    among them. Most text is clean, so most commands never compile `_UNSAFE`."""
    return text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable()


def nfc(text: str) -> str:
    """Unicode NFC: a quote typed in NFD must equal the same quote in NFC."""
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """NFC, then every run of white space as one space (YAML re-wrapping)."""
    return " ".join(nfc(text).split())


def strip_marks(text: str) -> str:
    """Drop diacritics; đ/Đ are letters of their own and are mapped by hand."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def fold(text: str) -> str:
    """The search key: case-, diacritics-, white-space- and hyphen-spacing-insensitive.

    `bo tu phap`, `Bộ Tư pháp` and `BỘ TƯ PHÁP` fold alike, and so do the
    spelling variants hòa/hoà, which differ only in where the mark sits.
    """
    folded = strip_marks(nfc(text)).casefold()
    folded = _pattern("_HYPHEN").sub("-", folded)
    return " ".join(folded.split())


@functools.lru_cache(maxsize=1 << 16)
def fold_keep_marks(text: str) -> str:
    """Case-, white-space- and hyphen-spacing-insensitive, diacritics kept.

    Grounding uses this: "Bộ Công thương" and "Bộ Công Thương" are one name,
    but "Bộ" and "Bố" are not. Cached: validate folds each name and quote for
    every claim that reads it (480,000 calls for 10,000 records).
    """
    folded = nfc(text).casefold().replace("i\u0307", "i")  # Azerbaijani/Turkish İ as I
    folded = _pattern("_HYPHEN").sub("-", folded)
    return " ".join(folded.split())


def visible(text: str, *, line: bool = False) -> str:
    """Make control and bidi characters visible as escapes: the rule for every output.

    Data must never drive the terminal: ESC sequences, carriage returns and
    U+202E would otherwise recolour, overwrite or reverse what is shown. `line`:
    the text must stay one line (a finding, a table header), so line breaks and
    tabs show as \\n and \\t too, and a file name cannot forge a line of its own.
    """
    shown = text if _clean(text) else _pattern("_UNSAFE").sub(_escape_match, text)
    return shown.replace("\n", "\\n").replace("\t", "\\t") if line else shown


def escape_json(text: str) -> str:
    """JSON text (from json.dumps, which escapes C0 itself) with the rest of `visible`'s
    characters as \\uXXXX escapes: the same data once parsed, harmless on a terminal."""
    if _clean(text):
        return text
    return _pattern("_UNSAFE").sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _escape_match(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte Python could not decode: show that byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


# English month names, lower case, January first: dates in sources ("7 May", "May 7").
MONTHS_EN = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

# Month names of the other languages sources come in (lower case, as folded; Russian
# in the genitive that dates use: "7 мая 2025"), to the month's number.
_MONTHS_OTHER = {
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "az": "yanvar fevral mart aprel may iyun iyul avqust sentyabr oktyabr noyabr dekabr",
}
MONTHS: dict[str, int] = {name: number for number, name in enumerate(MONTHS_EN, start=1)}
for _names in _MONTHS_OTHER.values():
    MONTHS.update({name: number for number, name in enumerate(_names.split(), start=1)})


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal: wide East Asian characters two, combining
    marks none (rich's cell_len, without importing rich for piped output)."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d":
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def whole_words(haystack: str, needle: str) -> list[tuple[int, int]]:
    r"""Where `needle` stands in `haystack` as whole words (pass both folded alike): not
    inside a longer word, as a regex's `(?<!\w)…(?!\w)` would find it, but with `str.find`
    and no pattern compiled per needle (every title and name of 100,000 records is one).
    Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
    Burmese) have no word boundary to require at a name's ends."""
    if not needle or needle not in haystack:  # the common case
        return []
    unspaced = _pattern("UNSPACED")
    before = not unspaced.match(needle[0])
    after = not unspaced.match(needle[-1])
    found = []
    size, length = len(needle), len(haystack)
    at = haystack.find(needle)
    while at >= 0:
        end = at + size
        if (not before or at == 0 or not _word_char(haystack[at - 1])) and (
            not after or end == length or not _word_char(haystack[end])
        ):
            found.append((at, end))
            at = haystack.find(needle, end)
        else:
            at = haystack.find(needle, at + 1)
    return found


def _word_char(ch: str) -> bool:
    r"""A regex's `\w`: a letter or digit of any script (`str.isalnum`), or "_"."""
    return ch.isalnum() or ch == "_"
