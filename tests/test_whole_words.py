"""`whole_words` finds what a regex's `(?<!\\w)NEEDLE(?!\\w)` finds (none at the ends of
names in scripts written without spaces), without compiling a pattern per needle."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from agreement_tracker.text import UNSPACED, whole_words

ALPHABET = "ab _1é\u0303,.-Ба東京ไทย"


def by_regex(haystack: str, needle: str) -> list[tuple[int, int]]:
    before = "" if UNSPACED.match(needle[0]) else r"(?<!\w)"
    after = "" if UNSPACED.match(needle[-1]) else r"(?!\w)"
    return [m.span() for m in re.finditer(before + re.escape(needle) + after, haystack)]


@given(st.text(ALPHABET, max_size=16), st.text(ALPHABET, min_size=1, max_size=4))
def test_whole_words_finds_what_the_regex_finds(haystack: str, needle: str) -> None:
    assert whole_words(haystack, needle) == by_regex(haystack, needle)


def test_a_word_inside_a_longer_one_is_not_found() -> None:
    assert whole_words("văn kiện và văn hóa", "văn hóa") == [(12, 19)]
    assert whole_words("energieministerium", "energie") == []
    assert whole_words("東京で", "東京") == [(0, 2)]
