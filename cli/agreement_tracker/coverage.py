"""Coverage: every document a source names is recorded, or excused with a reason
(`not_agreements` in seeds/sources.yaml). A mention no record quotes is a warning
(`uncovered-mention`), an error with `validate --strict`.
"""

from __future__ import annotations

import re

from agreement_tracker.findings import Finding
from agreement_tracker.loader import Register
from agreement_tracker.text import fold_keep_marks, squash


def check_coverage(register: Register) -> list[Finding]:
    """Every mention of an agreement document in a source is quoted by a record or excused.

    A mention is any kind's term. It is covered when it stands inside a quote
    of some record from that source, or inside a passage listed under the
    source's `not_agreements` (with a reason). Otherwise it is a warning: the
    curator may be missing an agreement.
    """
    findings = []
    terms = {
        lang: sorted(
            {fold_keep_marks(t) for k in register.kinds.values() for t in k.terms.get(lang)},
            key=len,
            reverse=True,
        )
        for lang in {source.lang for source in register.sources.values()}
    }
    from agreement_tracker.names import Parties

    # A record's quote covers only the mentions in its own clause: a quote widened to a
    # whole list sentence does not account for the other documents the list names.
    quoted: dict[str, list[tuple[str, list[bool] | None]]] = {}
    parties = Parties.of(register)
    for agreement in register.agreements.values():
        summary = parties.summary(agreement)
        for i, evidence in enumerate(agreement.evidence):
            quoted.setdefault(evidence.source, []).append((evidence.quote, list(summary.flags[i])))
        # An account's quote accounts for its mention: it says what the document is.
        for account in agreement.accounts:
            quoted.setdefault(account.source, []).append((account.quote, None))
        # So does a commitment's, and a review's: each is about this document (their own
        # check proves it).
        for commitment in agreement.commitments:
            quoted.setdefault(commitment.source, []).append((commitment.quote, None))
            for review in commitment.reviews:
                if review.quote:
                    quoted.setdefault(review.source, []).append((review.quote, None))
    for source in register.sources.values():
        text = register.source_text(source.id)
        if text is None or not terms[source.lang]:
            continue
        covered: list[tuple[int, int]] = []
        manifest = register.documents[("manifest", "")]
        index = register.positions[("sources", source.id)]
        for j, excuse in enumerate(source.not_agreements):
            if text.find(excuse.quote) is None:
                path = ("sources", index, "not_agreements", j, "quote")
                findings.append(
                    manifest.finding(
                        path,
                        "quote-not-found",
                        f"not_agreements passage is not in source {source.id!r}: copy it verbatim",
                    )
                )
        haystack = text.folded.casefold()
        if len(haystack) != len(text.folded):  # casefold changed lengths: fall back to lower()
            haystack = text.folded.lower()
        pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in terms[source.lang]) + ")")
        excused = [(n.quote, None) for n in source.not_agreements]
        for quote, flags in quoted.get(source.id, []) + excused:
            folded_quote = squash(quote)
            start = text.folded.find(folded_quote)
            if start < 0:  # a quote that differs in letter case only still covers its passage
                at, length = text.find_caseless(folded_quote)
                if at >= 0:
                    covered.append((at, at + length))
            while start >= 0:
                end = start + len(folded_quote)
                inside = [m.span() for m in pattern.finditer(haystack, start, end)]
                if flags is not None and len(flags) == len(inside):
                    covered.extend(span for span, own in zip(inside, flags, strict=True) if own)
                else:
                    covered.append((start, end))
                start = text.folded.find(folded_quote, start + 1)
        for match in pattern.finditer(haystack):
            if any(lo <= match.start() and match.end() <= hi for lo, hi in covered):
                continue
            offset = text.original_offset(match.start())
            line, column = text.line_column(offset)
            mention = text.folded[match.start() : match.end()]
            findings.append(
                Finding(
                    f"seeds/{source.file}",
                    line,
                    column,
                    "warning",
                    "uncovered-mention",
                    f"{mention!r} names a document that no record quotes: add a record for it, or "
                    f"list the passage under not_agreements of source {source.id!r} in "
                    "seeds/sources.yaml with a reason",
                    detail=(f"context: {_around(text.folded, match.start(), match.end())}",),
                )
            )
    return findings


def _around(text: str, start: int, end: int, chars: int = 60) -> str:
    """The words around text[start:end], cut between words; "…" marks a cut."""
    first, last = max(0, start - chars), min(len(text), end + chars)
    if first > 0:
        space = text.find(" ", first, start)
        first = space + 1 if space >= 0 else start
    if last < len(text):
        space = text.rfind(" ", end, last)
        last = space if space >= 0 else end
    return ("…" if first > 0 else "") + text[first:last] + ("…" if last < len(text) else "")
