"""Find evidence quotes in source texts.

A quote matches its source exactly except for Unicode normalisation (NFC)
and runs of white space, so a quote typed in NFD or re-wrapped across lines
in YAML still matches. Failing that, it is looked for with letter case folded
(Latin, Vietnamese, Cyrillic, Greek…; scripts without case are unchanged by
it): such a quote is found, and marked, so `validate` can ask for the
source's own spelling. Positions are reported in the source's own lines and
columns, so a reader can open the file and see the passage.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from agreement_tracker.text import nfc, squash

# A run of white space that folding changes: two or more characters, or one that is not a
# plain space. Single spaces (nearly every run in prose) are left alone, so folding a 50 MB
# source makes one piece per line break, not one per word.
_RUN = re.compile(r"\s{2,}|[^\S ]")
_NEWLINE = re.compile("\n")
# Up to this many characters a source is searched in a folded copy (one str.find per
# quote); a larger one by a pattern over the text itself, so it is held once in memory.
_FOLD_LIMIT = 4_000_000


@dataclass(frozen=True, slots=True)
class Span:
    """Where a quote stands in a source: offsets into the NFC text, and line:column."""

    start: int
    end: int
    line: int
    column: int
    case_differs: bool = False  # found only with letter case folded


class SourceText:
    """A source's text, NFC-normalised, searchable with white space folded."""

    def __init__(self, text: str) -> None:
        self.text = nfc(text)
        self._found: dict[str, Span | None] = {}

    @classmethod
    def read(cls, path: Path, root: Path | None = None) -> SourceText:
        """Read a source file as UTF-8 (a BOM is not part of the text), as every register
        file is read: a FIFO or device never, a large file only up to its cap, and with
        `root` a link out of the register never (FileRefused, an OSError)."""
        from agreement_tracker.store.files import read_source

        return cls(read_source(path, root).decode("utf-8-sig"))

    @cached_property
    def _folded(self) -> tuple[str, array, array]:
        # Each run of white space becomes one space. Only runs that are not a single
        # plain space change offsets: for each, remember where the folded text
        # resumes after it and how many characters were dropped so far, so a folded
        # offset maps back with a bisect. Arrays of machine integers keep this at a
        # few bytes per run (a list of Python ints was ~37x the source in memory).
        resume = array("q")
        dropped = array("q")
        removed = 0
        for match in _RUN.finditer(self.text):
            if match.end() - match.start() == 1:
                continue  # one character for one space: no offset moves
            removed += match.end() - match.start() - 1
            resume.append(match.end() - removed)
            dropped.append(removed)
        return _RUN.sub(" ", self.text), resume, dropped

    @property
    def folded(self) -> str:
        """The text with every run of white space as one space."""
        return self._folded[0]

    def original_offset(self, folded_offset: int) -> int:
        """Map an offset in `folded` back to the NFC text."""
        _, resume, dropped = self._folded
        k = bisect_right(resume, folded_offset) - 1
        return folded_offset + (dropped[k] if k >= 0 else 0)

    @cached_property
    def _line_starts(self) -> array:
        starts = array("q", [0])
        starts.extend(m.end() for m in _NEWLINE.finditer(self.text))
        return starts

    def find(self, quote: str) -> Span | None:
        """Where the quote stands, or None if it does not appear (remembered: validate and
        the proof look each quote up more than once)."""
        if quote not in self._found:
            self._found[quote] = self._find(quote)
        return self._found[quote]

    def _find(self, quote: str) -> Span | None:
        needle = squash(quote)
        if not needle:
            return None
        if len(self.text) <= _FOLD_LIMIT:
            at = self.folded.find(needle)
            if at >= 0:
                start = self.original_offset(at)
                end = self.original_offset(at + len(needle) - 1) + 1
                return Span(start, end, *self.line_column(start))
        else:
            # A large source: the needle's words with any run of white space between them,
            # searched in the text itself, the same first match as in `folded` without a
            # second copy of the source in memory.
            exact = re.search(r"\s+".join(map(re.escape, needle.split(" "))), self.text)
            if exact is not None:
                start, end = exact.span()
                return Span(start, end, *self.line_column(start))
        at, length = self.find_caseless(needle)
        if at < 0:
            return None
        start = self.original_offset(at)
        end = self.original_offset(at + length - 1) + 1
        line, column = self.line_column(start)
        return Span(start, end, line, column, True)

    @cached_property
    def _caseless(self) -> str:
        return self.folded.casefold()

    def find_caseless(self, needle: str) -> tuple[int, int]:
        """(offset, length) in `folded` of `needle` with case folded on both sides, or
        (-1, 0). Casefolding may change lengths ("ß" → "ss"): offsets are then walked back."""
        caseless = self._caseless
        at = caseless.find(needle.casefold())
        if at < 0:
            return -1, 0
        end = at + len(needle.casefold())
        if len(caseless) == len(self.folded):
            return at, end - at
        position, start, stop = 0, None, None
        for index, ch in enumerate(self.folded):
            if start is None and position >= at:
                start = index
            position += len(ch.casefold())
            if position >= end:
                stop = index + 1
                break
        if start is None or stop is None:
            return -1, 0
        return start, stop - start

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset in the NFC text (line starts are found
        once: a source with 100,000 mentions is not read 100,000 times)."""
        starts = self._line_starts
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def context(self, span: Span, chars: int = 240) -> tuple[str, str, str]:
        """The quote's line around it, at most `chars` either side; "…" marks a cut."""
        line_start = self.text.rfind("\n", 0, span.start) + 1
        line_end = self.text.find("\n", span.end)
        line_end = len(self.text) if line_end < 0 else line_end
        start = max(line_start, span.start - chars)
        end = min(line_end, span.end + chars)
        # Cut only between words: "…dịch vụ" rather than "…dịch vụ k".
        if start > line_start and not self.text[start - 1].isspace():
            space = self.text.find(" ", start, span.start)
            start = space + 1 if space >= 0 else span.start
        if end < line_end and not self.text[end].isspace():
            space = self.text.rfind(" ", span.end, end)
            end = space if space >= 0 else span.end
        before = ("…" if start > line_start else "") + self.text[start : span.start]
        after = self.text[span.end : end] + ("…" if end < line_end else "")
        return before, self.text[span.start : span.end], after
