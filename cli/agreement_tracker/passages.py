"""The passage of a source nearest a quote that is not in it, and how the two differ.

What `validate`, `evidence add` and `new` show when a quote cannot be found, so the
curator sees the source's own words beside theirs.
"""

from __future__ import annotations

import difflib

from agreement_tracker.quotes import SourceText
from agreement_tracker.text import squash


def nearest_passage(text: SourceText, quote: str) -> tuple[float, str]:
    """The passage of the source most like the quote, in whole words, and its similarity (0-100).

    rapidfuzz finds the best-scoring window fast on long sources; the window is
    then widened and re-cut on word boundaries so that it lines up with the
    quote's first and last words, which keeps the word diff honest.
    """
    from rapidfuzz import fuzz

    needle = squash(quote)
    haystack = text.folded
    best = fuzz.partial_ratio_alignment(needle, haystack)
    if best is None or not needle:
        return 0.0, ""
    slack = max(0, len(needle) - (best.dest_end - best.dest_start)) + 40
    start = max(0, best.dest_start - slack)
    end = min(len(haystack), best.dest_end + slack)
    region = haystack[start:end].split()
    if start > 0:
        region = region[1:]  # a word cut by the slice
    if end < len(haystack):
        region = region[:-1]
    words = needle.split()
    matcher = difflib.SequenceMatcher(a=words, b=region, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return best.score, haystack[best.dest_start : best.dest_end]
    first, last = blocks[0], blocks[-1]
    lo = max(0, first.b - first.a)
    hi = min(len(region), last.b + last.size + (len(words) - (last.a + last.size)))
    passage = region[lo:hi]
    # "lượng;" in the source ends the quote's "lượng": punctuation is not a difference.
    if passage and passage[-1] != words[-1] and passage[-1].startswith(words[-1]):
        passage[-1] = words[-1]
    if passage and passage[0] != words[0] and passage[0].endswith(words[0]):
        passage[0] = words[0]
    return best.score, " ".join(passage)


def not_found_lines(text: SourceText, quote: str) -> list[str]:
    """What a curator reads under a quote that is not in its source: the nearest passage
    with its similarity, then the words that differ."""
    score, passage = nearest_passage(text, quote)
    return [
        f"nearest passage (similarity {score:.0f}/100): {passage}",
        *quote_diff(squash(quote), passage),
    ]


def quote_diff(quote: str, passage: str) -> list[str]:
    """A word-level diff: `-word` in the quote only, `+word` in the source only."""
    matcher = difflib.SequenceMatcher(a=quote.split(), b=passage.split(), autojunk=False)
    lines = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed = " ".join(quote.split()[a1:a2])
        added = " ".join(passage.split()[b1:b2])
        if removed:
            lines.append(f"  - quote:  {removed}")
        if added:
            lines.append(f"  + source: {added}")
    return lines[:12]
