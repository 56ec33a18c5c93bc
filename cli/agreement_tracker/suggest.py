"""One way to say "did you mean": for ids, sources and registry entries alike."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_matches(word: str, candidates: Iterable[str], cutoff: float = 0.5) -> list[str]:
    """Up to three candidates like `word`: by spelling, else those that contain it."""
    known = list(candidates)
    close = difflib.get_close_matches(word, known, n=3, cutoff=cutoff)
    if not close and word:
        close = [c for c in known if word.lower() in c][:3]
    return close


def did_you_mean(word: str, candidates: Iterable[str], otherwise: str = "") -> str:
    """`; did you mean a, b?` to end a message with, or `otherwise` when nothing is close."""
    close = close_matches(word, candidates)
    return f"; did you mean {', '.join(close)}?" if close else otherwise
