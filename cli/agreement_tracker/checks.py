"""`agreements validate`: the checks that prove a register against its sources.

Each check is a small function `(register) -> list[Finding]`; `validate` runs
them all after loading (which already checked the schema and references). A
check that crashes becomes a finding and the others still run.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from agreement_tracker.findings import Finding, count
from agreement_tracker.model import Evidence
from agreement_tracker.quotes import SourceText
from agreement_tracker.register import MANIFEST, Register
from agreement_tracker.text import squash

Check = Callable[[Register], list[Finding]]


@dataclass
class Counted:
    """What a validation run looked at, for its summary line."""

    records: int = 0
    quotes: int = 0
    sources: int = 0


# --- source integrity ---------------------------------------------------------------


def check_sources(register: Register) -> list[Finding]:
    """Every source file exists, is UTF-8 text, and its sha256 matches the manifest."""
    findings = []
    manifest = register.documents.get(("manifest", ""))
    for source in register.sources.values():
        index = register.positions[("sources", source.id)]

        def at(field: str, code: str, message: str, _i: int = index) -> Finding:
            assert manifest is not None
            return manifest.finding(("sources", _i, field), code, message, field=field)

        path = register.source_path(source)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            findings.append(
                at(
                    "file",
                    "source-missing",
                    f"source {source.id!r}: file seeds/{source.file} is missing",
                )
            )
            continue
        except OSError as exc:
            findings.append(
                at(
                    "file",
                    "source-unreadable",
                    f"source {source.id!r}: cannot read seeds/{source.file}: {exc.strerror}",
                )
            )
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest != source.sha256:
            findings.append(
                at(
                    "sha256",
                    "source-changed",
                    f"source {source.id!r}: seeds/{source.file} has changed "
                    f"(sha256 {digest[:12]}…, manifest says {source.sha256[:12]}…); "
                    "sources are evidence: restore the "
                    "original file, or register a new version as a new source",
                )
            )
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            findings.append(
                at(
                    "file",
                    "source-encoding",
                    f"source {source.id!r}: seeds/{source.file} is not UTF-8 text",
                )
            )
    return findings


# --- quotes ----------------------------------------------------------------------------


def _evidence_sites(
    register: Register,
) -> list[tuple[tuple[str, str], tuple, Evidence, str | None]]:
    """Every quote in the register: (document key, path to it, evidence, record id)."""
    sites = []
    for agreement in register.agreements.values():
        for i, evidence in enumerate(agreement.evidence):
            sites.append(
                (("record", agreement.id), ("evidence", i, "quote"), evidence, agreement.id)
            )
    for occasion in register.occasions.values():
        index = register.positions[("occasions", occasion.id)]
        for i, evidence in enumerate(occasion.evidence):
            sites.append(
                (
                    ("registry", "occasions"),
                    ("occasions", index, "evidence", i, "quote"),
                    evidence,
                    None,
                )
            )
    return sites


def check_quotes(register: Register) -> list[Finding]:
    """Each quote appears in its source (NFC, white space folded); else show the nearest passage."""
    findings = []
    for doc_key, path, evidence, record in _evidence_sites(register):
        text = register.source_text(evidence.source)
        if text is None:
            continue  # the source's own finding says why
        if text.find(evidence.quote) is not None:
            continue
        doc = register.documents[doc_key]
        score, passage = nearest_passage(text, evidence.quote)
        detail = (
            f"nearest passage (similarity {score:.0f}/100): {passage}",
            *quote_diff(squash(evidence.quote), passage),
        )
        findings.append(
            doc.finding(
                path,
                "quote-not-found",
                f"quote not found in source {evidence.source!r}: copy it verbatim from the source",
                record=record,
                field=".".join(str(p) for p in path),
                detail=detail,
            )
        )
    return findings


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


# --- running --------------------------------------------------------------------------

CHECKS: list[Check] = [check_sources, check_quotes]


def validate(register: Register, findings: list[Finding]) -> tuple[list[Finding], Counted]:
    """Run every check on a loaded register; loading findings come first."""
    all_findings = list(findings)
    for check in CHECKS:
        try:
            all_findings.extend(check(register))
        except Exception as exc:  # a broken check must not hide the others
            all_findings.append(
                Finding(
                    MANIFEST,
                    None,
                    None,
                    "error",
                    "check-crashed",
                    f"check {check.__name__} failed: {type(exc).__name__}: {exc}",
                )
            )
    counted = Counted(
        records=len(register.agreements),
        quotes=len(_evidence_sites(register)),
        sources=len(register.sources),
    )
    return all_findings, counted


def summary(findings: list[Finding], counted: Counted) -> str:
    """The closing line: what was checked and what was found."""
    errors, warnings = count(findings, "error"), count(findings, "warning")
    checked = (
        f"checked {counted.records} records, {counted.quotes} quotes, {counted.sources} sources"
    )
    if not errors and not warnings:
        return f"{checked}: all good"
    return (
        f"{checked}: {errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )
