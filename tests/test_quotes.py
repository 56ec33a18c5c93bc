"""Locating quotes: white space folded, offsets mapped back, lines and columns, at any size."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from agreement_tracker.quotes import SourceText

PIECES = st.sampled_from(["a", "bb", "Bộ", "\n", "  ", "\t\n ", " ", "\r\n", "\u00a0"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=80).map("".join))
def test_folding_and_positions_match_a_naive_reading(text: str) -> None:
    source = SourceText(text)
    nfc = source.text
    assert source.folded == re.sub(r"\s+", " ", nfc)
    for i, ch in enumerate(source.folded):
        if ch != " ":
            assert nfc[source.original_offset(i)] == ch
    for offset in range(len(nfc) + 1):
        line = nfc.count("\n", 0, offset) + 1
        column = offset - (nfc.rfind("\n", 0, offset) + 1) + 1
        assert source.line_column(offset) == (line, column)


def test_a_quote_across_lines_is_found_where_it_starts() -> None:
    source = SourceText("first line\nBộ Tư pháp\n   Việt Nam và\tBộ Tư pháp Azerbaijan\n")
    span = source.find("Việt Nam và Bộ Tư pháp")
    assert span is not None and (span.line, span.column) == (3, 4)
    assert source.text[span.start : span.end] == "Việt Nam và\tBộ Tư pháp"
