"""The words of promising and of a thing done, in each language the register reads: what
makes a commitment's sentence a promise, and a review's sentence a report that it was kept.
"""

from __future__ import annotations

import re

from agreement_tracker.mentions import has_word

# What makes a sentence a promise, in each language the register reads.
PROMISE = (
    "will",
    "shall",
    "agreed to",
    "agree to",
    "agreed that",
    "vowed to",
    "pledged to",
    "committed to",
    "consented to",
    "undertook to",
    "undertake to",
    "are willing to",
    "expressed readiness to",
    "expressed a desire to",
    "expressed willingness to",
    "sẽ",
    "nhất trí",
    "thống nhất",
    "cam kết",
    "đồng ý",
    "vereinbarten",
    "vereinbart",
    "werden",
    "wird",
    "verpflichten sich",
    "sagten zu",
    "conviennent de",
    "sont convenus de",
    "se sont engagés à",
    "s'engagent à",
    "vont",
    "договорились",
    "обязуются",
    "будут",
    "будет",
    "намерены",
)
# The French future's third persons ("formera", "organiseront", "tiendra"): a promise in
# a French source, as "will" is in English. Words that only look like one are not.
_FR_FUTURE = re.compile(
    r"(?<!\w)(?:[^\W\d_]{2,}(?:er|ir|ndr|tr|vr|rr|ur)|ser|fer|aur|ir)(?:a|ont)(?!\w)"
)
_NOT_FUTURE = frozenset(("extra", "ultra", "contra", "front", "affront", "opéra", "caméra"))


def promises(folded: str, end: int, lang: str | None) -> bool:
    """Whether text[:end] holds a promise: one of PROMISE, or in French the future."""
    if has_word(folded, PROMISE, 0, end):
        return True
    return lang == "fr" and any(
        m.group() not in _NOT_FUTURE for m in _FR_FUTURE.finditer(folded, 0, end)
    )


# What makes a sentence report a thing done: a review that says met quotes one.
DONE = (
    "held",
    "took place",
    "organised",
    "organized",
    "opened",
    "signed",
    "completed",
    "launched",
    "implemented",
    "carried out",
    "delivered",
    "visited",
    "was",
    "were",
    "has been",
    "have been",
    "đã",
    "diễn ra",
    "fand",
    "fanden",
    "wurde",
    "wurden",
    "abgeschlossen",
    "a eu lieu",
    "ont eu lieu",
    "a été",
    "ont été",
    "s'est tenu",
    "s'est tenue",
    "состоялся",
    "состоялась",
    "состоялось",
    "прошел",
    "прошла",
    "провели",
    "был",
    "была",
    "были",
)
# A past tense of promising is the promise again, not a report of it done: "đã cam kết sẽ
# thành lập" (had committed to set up), "had agreed to", "hatten vereinbart".
_PROMISED = re.compile(
    r"(?<!\w)(?:đã (?=cam kết|nhất trí|thống nhất|đồng ý|thỏa thuận|thoả thuận|hứa|sẽ)|"
    r"(?:was|were|has been|have been|had been) (?=agreed|promised|planned|scheduled|"
    r"expected|committed)|"
    r"(?:wurde|wurden) (?=vereinbart|zugesagt|geplant)|"
    r"(?:a été|ont été) (?=convenu|prévu|décidé)|"
    r"(?:был|была|было|были) (?=согласован|запланирован|обещан))"
)


def promised(folded: str) -> str:
    """The text with each past tense of promising blanked, same length: what is left
    of DONE's words reports a thing done."""
    return _PROMISED.sub(lambda m: " " * len(m.group()), folded)


def reports_done(folded: str, end: int) -> bool:
    """Whether text[:end] reports a thing done (one of DONE, not a past tense of promising)."""
    return has_word(promised(folded), DONE, 0, end)
