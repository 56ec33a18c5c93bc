"""Find evidence quotes in source texts.

A quote matches its source exactly except for Unicode normalisation (NFC)
and runs of white space, so a quote typed in NFD or re-wrapped across lines
in YAML still matches. Positions are reported in the source's own lines and
columns, so a reader can open the file and see the passage.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from agreement_tracker.text import nfc, squash

_RUN = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Span:
    """Where a quote stands in a source: offsets into the NFC text, and line:column."""

    start: int
    end: int
    line: int
    column: int


class SourceText:
    """A source's text, NFC-normalised, searchable with white space folded."""

    def __init__(self, text: str) -> None:
        self.text = nfc(text)

    @classmethod
    def read(cls, path: Path) -> SourceText:
        """Read a source file as UTF-8 (a BOM is not part of the text)."""
        return cls(path.read_text(encoding="utf-8-sig"))

    @cached_property
    def _folded(self) -> tuple[str, list[int], list[int]]:
        # Each run of white space becomes one space; remember, after each run,
        # where the folded text resumes and how many characters were dropped,
        # so a folded offset maps back to the original one with a bisect.
        pieces: list[str] = []
        resume: list[int] = []
        dropped: list[int] = []
        last = 0
        removed = 0
        for match in _RUN.finditer(self.text):
            pieces.append(self.text[last : match.start()])
            pieces.append(" ")
            removed += match.end() - match.start() - 1
            last = match.end()
            resume.append(match.end() - removed)
            dropped.append(removed)
        pieces.append(self.text[last:])
        return "".join(pieces), resume, dropped

    @property
    def folded(self) -> str:
        """The text with every run of white space as one space."""
        return self._folded[0]

    def original_offset(self, folded_offset: int) -> int:
        """Map an offset in `folded` back to the NFC text."""
        _, resume, dropped = self._folded
        k = bisect_right(resume, folded_offset) - 1
        return folded_offset + (dropped[k] if k >= 0 else 0)

    def find(self, quote: str) -> Span | None:
        """Where the quote stands, or None if it does not appear."""
        needle = squash(quote)
        if not needle:
            return None
        at = self.folded.find(needle)
        if at < 0:
            return None
        start = self.original_offset(at)
        end = self.original_offset(at + len(needle) - 1) + 1
        line, column = self.line_column(start)
        return Span(start, end, line, column)

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset in the NFC text."""
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, column

    def context(self, span: Span, chars: int = 240) -> tuple[str, str, str]:
        """The quote's line around it, at most `chars` either side; "…" marks a cut."""
        line_start = self.text.rfind("\n", 0, span.start) + 1
        line_end = self.text.find("\n", span.end)
        line_end = len(self.text) if line_end < 0 else line_end
        start = max(line_start, span.start - chars)
        end = min(line_end, span.end + chars)
        before = ("…" if start > line_start else "") + self.text[start : span.start]
        after = self.text[span.end : end] + ("…" if end < line_end else "")
        return before, self.text[span.start : span.end], after
