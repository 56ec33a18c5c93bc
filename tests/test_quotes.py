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


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join), st.data(), st.booleans())
def test_find_gives_the_first_match_of_the_folded_reading(
    text: str, data: st.DataObject, large: bool
) -> None:
    """`find` searches a large source's text itself (no folded copy in memory), a small one
    in its folded copy: both must agree with finding the squashed quote in the folded text
    and mapping the offsets back."""
    import agreement_tracker.quotes as quotes

    source = SourceText(text)
    limit = quotes._FOLD_LIMIT
    quotes._FOLD_LIMIT = 0 if large else limit
    folded = source.folded
    start = data.draw(st.integers(0, len(folded)))
    quote = data.draw(st.sampled_from([folded[start:end] for end in range(start, len(folded) + 1)]))
    needle = " ".join(quote.split())
    try:
        span = source.find(quote)
    finally:
        quotes._FOLD_LIMIT = limit
    at = folded.find(needle) if needle else -1
    if at < 0:
        assert span is None or span.case_differs
        return
    assert span is not None and not span.case_differs
    assert (span.start, span.end) == (
        source.original_offset(at),
        source.original_offset(at + len(needle) - 1) + 1,
    )


def test_a_quote_across_lines_is_found_where_it_starts() -> None:
    source = SourceText("first line\nBộ Tư pháp\n   Việt Nam và\tBộ Tư pháp Azerbaijan\n")
    span = source.find("Việt Nam và Bộ Tư pháp")
    assert span is not None and (span.line, span.column) == (3, 4)
    assert source.text[span.start : span.end] == "Việt Nam và\tBộ Tư pháp"


def test_context_is_cut_between_words_only() -> None:
    """`show` and `validate` cut a long line around a quote; never inside a word."""
    from agreement_tracker.coverage import _around
    from agreement_tracker.quotes import SourceText

    words = " ".join(f"word{i}" for i in range(200))
    text = SourceText(words + " THE QUOTE " + words)
    span = text.find("THE QUOTE")
    assert span is not None
    for chars in range(1, 60):
        before, quote, after = text.context(span, chars)
        assert quote == "THE QUOTE"
        assert before.startswith("…word") or before == "…" or before == "… "
        assert after.endswith(("…",)) and not after[:-1].rstrip().endswith("word")
        for piece in (before.strip("… "), after.strip("… ")):
            assert all(w.startswith("word") and w[4:].isdigit() for w in piece.split()), piece
        around = _around(text.folded, span.start, span.end, chars)
        assert all(
            w in {"THE", "QUOTE"} or (w.startswith("word") and w[4:].isdigit())
            for w in around.strip("…").split()
        ), around


def test_a_quote_differing_in_letter_case_is_found_and_marked() -> None:
    """Case folding fits each script: Vietnamese and Cyrillic fold, German ß becomes ss
    (lengths change, offsets still map back), Chinese has no case."""
    from agreement_tracker.quotes import SourceText

    text = SourceText("Dòng một.\nBộ Tư pháp Việt Nam và МИНИСТЕРСТВО Straße 5 号 越南国防部\n")
    exact = text.find("Bộ Tư pháp Việt Nam")
    assert exact is not None and not exact.case_differs
    for quote, source_text in (("BỘ TƯ PHÁP việt nam", "Bộ Tư pháp Việt Nam"),
                               ("министерство", "МИНИСТЕРСТВО"),
                               ("STRASSE 5", "Straße 5")):  # fmt: skip
        span = text.find(quote)
        assert span is not None and span.case_differs, quote
        assert text.text[span.start : span.end] == source_text
        assert span.line == 2
    assert text.find("越南国防部") is not None
    assert text.find("Bộ Tư Pháp Lào") is None  # different words stay different


def test_validate_warns_of_a_quote_in_other_letter_case(register) -> None:
    from conftest import invoke

    path = register / "agreements/vn-az-2025-justice-programme.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Bộ Tư pháp Việt Nam và Bộ Tư pháp Azerbaijan trao đổi",
                                 "BỘ TƯ PHÁP Việt Nam và Bộ Tư pháp Azerbaijan trao đổi", 1),
                    encoding="utf-8")  # fmt: skip
    result = invoke("--register", str(register), "validate", "--format", "json")
    assert result.code == 0
    assert [(f["code"], f["severity"]) for f in result.json()] == [("quote-case", "warning")]
    assert invoke("--register", str(register), "validate", "--strict").code == 1
