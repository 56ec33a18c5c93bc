"""`agreements validate`: the checks that prove a register against its sources.

Each check is a small function `(register) -> list[Finding]`; `validate` runs
them all after loading (which already checked the schema and references). A
check that crashes becomes a finding and the others still run.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agreement_tracker.coverage import check_coverage
from agreement_tracker.findings import Finding, count
from agreement_tracker.loader import Register
from agreement_tracker.model import Agreement, Evidence
from agreement_tracker.passages import not_found_lines
from agreement_tracker.store.files import FileRefused, read_source
from agreement_tracker.store.location import MANIFEST
from agreement_tracker.text import fold_keep_marks, whole_words
from agreement_tracker.values import LanguageMap, period

RegisterCheck = Callable[[Register], list[Finding]]


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
            raw = read_source(path, register.root)
        except FileRefused as exc:
            # A link out of the register, a FIFO, a device, a folder, or over the size cap.
            said = (
                f"seeds/{source.file} {exc.strerror}"
                if exc.code in {"outside", "too-large"}
                else f"cannot read seeds/{source.file}: {exc.strerror}"
            )
            findings.append(at("file", f"source-{exc.code}", f"source {source.id!r}: {said}"))
            continue
        except FileNotFoundError:
            findings.append(
                at(
                    "file",
                    "source-missing",
                    f"source {source.id!r}: file seeds/{source.file} is missing: restore it (from "
                    "git, or the original download), or, if no record cites it, remove its "
                    "entry from seeds/sources.yaml",
                )
            )
            continue
        except OSError as exc:
            findings.append(
                at(
                    "file",
                    "source-unreadable",
                    f"source {source.id!r}: cannot read seeds/{source.file}: {exc.strerror}: "
                    "make it a readable file again",
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
                    f"source {source.id!r}: seeds/{source.file} is not UTF-8 text: register a "
                    "UTF-8 copy of the original with `agreements source add`",
                )
            )
    return findings


# --- quotes ----------------------------------------------------------------------------


def _evidence_sites(
    register: Register,
) -> list[tuple[tuple[str, str], tuple[Any, ...], Evidence, str | None]]:
    """Every quote in the register: (document key, path to it, evidence, record id)."""
    sites: list[tuple[tuple[str, str], tuple[Any, ...], Evidence, str | None]] = []
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
    """Each quote appears in its source (NFC, white space folded); one that differs only in
    letter case is found but a warning; else show the nearest passage."""
    findings = []
    for doc_key, path, evidence, record in _evidence_sites(register):
        text = register.source_text(evidence.source)
        if text is None:
            continue  # the source's own finding says why
        span = text.find(evidence.quote)
        if span is not None and span.case_differs:
            finding = register.documents[doc_key].finding(
                path,
                "quote-case",
                f"the quote differs from source {evidence.source!r} in letter case only: "
                f"copy it as the source writes it ({text.text[span.start : span.end]!r})",
                record=record,
            )
            findings.append(dataclasses.replace(finding, severity="warning"))
        if span is not None:
            continue
        doc = register.documents[doc_key]
        detail = tuple(not_found_lines(text, evidence.quote))
        findings.append(
            doc.finding(
                path,
                "quote-not-found",
                f"quote not found in source {evidence.source!r}: copy it verbatim from the source",
                record=record,
                detail=detail,
            )
        )
    return findings


# --- proof ------------------------------------------------------------------------------


def check_proof(register: Register) -> list[Finding]:
    """Each claim of each record and occasion is proven by one quote (see `proof`)."""
    from agreement_tracker.proof import all_claims

    findings = []
    unfound: dict[str, bool] = {}
    for owner_kind, owner, claim in all_claims(register):
        if claim.proven or not claim.finding or claim.code is None:
            continue
        if isinstance(owner, Agreement) and _has_unfound_quote(register, owner, unfound):
            # A quote not in its source proves nothing, so the claims it stated fail too;
            # `quote-not-found` is the one finding to fix first, as a compiler reports
            # the first error and not its cascade. `show --proof` shows every claim.
            continue
        if owner_kind == "record":
            doc = register.documents[("record", owner.id)]
            path, record = claim.path, owner.id
        else:
            doc = register.documents[("registry", "occasions")]
            path = ("occasions", register.positions[("occasions", owner.id)], *claim.path)
            record = None
        findings.append(doc.finding(path, claim.code, claim.message or claim.code, record=record))
    return findings


def _has_unfound_quote(register: Register, agreement: Agreement, memo: dict[str, bool]) -> bool:
    if agreement.id not in memo:
        memo[agreement.id] = any(
            (text := register.source_text(e.source)) is not None and text.find(e.quote) is None
            for e in agreement.evidence
        )
    return memo[agreement.id]


def check_accounts(register: Register) -> list[Finding]:
    """Each account is proven like the record's own claim; a kind the record's quotes give
    beside a signatory that is neither the record's nor an account's is a disagreement
    nobody has recorded (a warning, an error with --strict)."""
    from agreement_tracker.names import Parties
    from agreement_tracker.proof import kind_disputes, prove_account

    parties = Parties.of(register)
    findings = []
    for agreement in register.agreements.values():
        doc = register.documents[("record", agreement.id)]
        for i, account in enumerate(agreement.accounts):
            claim = prove_account(register, agreement, account, parties)
            if not claim.proven:
                remove = f"`agreements account remove {agreement.id} {i + 1}`"
                findings.append(
                    doc.finding(("accounts", i, "quote"), claim.code or "unproven-account",
                                f"{claim.message or 'not proven'}; or remove the account "
                                f"({remove})", record=agreement.id)
                )  # fmt: skip
        for kind in kind_disputes(register, agreement, parties):
            finding = doc.finding(
                ("kind",),
                "disputed-kind",
                f"a quote of the record calls the document a {kind!r} beside a signatory, "
                f"not a {agreement.kind!r}: record that reading as an account "
                f"(`agreements account add {agreement.id} --field kind --value {kind} …`), "
                "or quote the passage that names the record's own kind",
                record=agreement.id,
            )
            findings.append(dataclasses.replace(finding, severity="warning"))
    return findings


def check_commitments(register: Register) -> list[Finding]:
    """Each commitment is proven by the sentence that makes it, its due date by the same
    quote, and each review by the passage that reports it (`proof.commitments`)."""
    import datetime as dt

    from agreement_tracker.names import Parties
    from agreement_tracker.proof.commitments import commitment_problems

    parties = Parties.of(register)
    today = dt.date.today()
    findings = []
    for agreement in register.agreements.values():
        doc = register.documents[("record", agreement.id)]
        for i, commitment in enumerate(agreement.commitments):
            for path, code, message in commitment_problems(
                register, agreement, i, commitment, today=today, parties=parties
            ):
                findings.append(doc.finding(path, code, message, record=agreement.id))
    return findings


# --- errata -------------------------------------------------------------------------------


def check_errata(register: Register) -> list[Finding]:
    """Each erratum's passage is in its source, and the quote given for the correct reading
    is in its own source and states that reading."""
    findings: list[Finding] = []
    manifest = register.documents.get(("manifest", ""))
    if manifest is None:
        return findings
    for source in register.sources.values():
        index = register.positions[("sources", source.id)]
        text = register.source_text(source.id)
        for j, erratum in enumerate(source.errata):
            path = ("sources", index, "errata", j)
            if text is not None and text.find(erratum.quote) is None:
                findings.append(manifest.finding((*path, "quote"), "erratum-not-found",
                    f"erratum {j + 1} of source {source.id!r}: its passage is not in the "
                    "source: copy it verbatim"))  # fmt: skip
            evidence = erratum.evidence
            if evidence is None or evidence.source not in register.sources:
                continue  # no evidence, or an unknown source: a reference finding of its own
            proof = register.source_text(evidence.source)
            if proof is not None and proof.find(evidence.quote) is None:
                findings.append(manifest.finding((*path, "evidence", "quote"), "quote-not-found",
                    f"erratum {j + 1} of source {source.id!r}: the quote for the correct reading "
                    f"is not in source {evidence.source!r}: copy it verbatim"))  # fmt: skip
            elif not whole_words(fold_keep_marks(evidence.quote), fold_keep_marks(erratum.correct)):
                findings.append(manifest.finding((*path, "correct"), "erratum-unproven",
                    f"erratum {j + 1} of source {source.id!r}: the quote given for it does not "
                    f"state the correct reading {erratum.correct!r}: quote the passage that "
                    "does"))  # fmt: skip
    return findings


# --- follow-up notes ---------------------------------------------------------------------


def check_notes(register: Register) -> list[Finding]:
    """Follow-up notes are dated after the signing, cite a source that exists (a registered
    id or a URL), and a note's quote is in its source."""
    from agreement_tracker.notes import is_url

    findings = []
    for agreement in register.agreements.values():
        doc = register.documents[("record", agreement.id)]

        def problem(path: tuple, code: str, message: str, _doc=doc, _a=agreement.id) -> None:
            findings.append(_doc.finding(path, code, message, record=_a))

        for i, note in enumerate(agreement.follow_up):
            source = note.source
            if source is not None and not is_url(source) and not register.verifiable(source):
                problem(("follow_up", i, "source"), "note-source-unknown",
                        f"note {i + 1} cites {source!r}, which is neither a source id in "
                        "seeds/sources.yaml nor a URL: register the source "
                        "(`agreements source add`) or give its URL")  # fmt: skip
            if note.quote is not None:
                if source is None or source not in register.sources:
                    problem(("follow_up", i, "quote"), "note-quote-unverifiable",
                            f"note {i + 1} has a quote but its source is not a registered "
                            "source: a quote can only be checked against a text in seeds/; "
                            "register the source (`agreements source add`) or remove the "
                            "quote",
                            )  # fmt: skip
                else:
                    text = register.source_text(source)
                    if text is not None and text.find(note.quote) is None:
                        problem(("follow_up", i, "quote"), "note-quote-not-found",
                                f"note {i + 1}: quote not found in source {source!r}: copy "
                                "it verbatim from the source")  # fmt: skip
            if agreement.date is not None and note.last_day < period(agreement.date)[0]:
                findings.append(
                    doc.finding(
                        ("follow_up", i, "date"),
                        "note-before-signing",
                        f"note dated {note.date} is before the signing on {agreement.date}: "
                        f"correct the note's date (`agreements note edit {agreement.id} {i + 1}`) "
                        "or the record's",
                        record=agreement.id,
                    )
                )
    return findings


def check_placeholders(register: Register) -> list[Finding]:
    """No "TODO:" placeholder of `agreements new` is left in a record."""
    findings = []
    for agreement in register.agreements.values():
        found: list[tuple] = []
        _placeholders(agreement, (), found)
        if not found:
            continue
        doc = register.documents[("record", agreement.id)]
        for path in found:
            findings.append(
                doc.finding(
                    path,
                    "placeholder",
                    f"{'.'.join(str(p) for p in path)} is still a placeholder: fill it in",
                    record=agreement.id,
                )
            )
    return findings


# Each model class's field names, in order: the walk reads the records themselves, not a
# `to_plain` copy of each (6 % of `validate` at 10,000 records).
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _placeholders(value: object, path: tuple, found: list[tuple]) -> None:
    """The paths (as `to_plain` would key them) of every text in `value` that begins
    "TODO:", in field order."""
    if isinstance(value, str):
        if value.startswith("TODO:"):
            found.append(path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _placeholders(item, (*path, index), found)
    elif isinstance(value, LanguageMap):
        for key, item in value.by_lang.items():
            _placeholders(item, (*path, key), found)
    elif isinstance(value, dict):
        for key, item in value.items():
            _placeholders(item, (*path, key), found)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES.get(type(value))
        if names is None:
            names = _FIELD_NAMES[type(value)] = tuple(f.name for f in dataclasses.fields(value))
        for name in names:
            item = getattr(value, name)
            if item is not None:
                _placeholders(item, (*path, name), found)


# --- running --------------------------------------------------------------------------

CHECKS: list[RegisterCheck] = [
    check_sources,
    check_quotes,
    check_proof,
    check_accounts,
    check_commitments,
    check_coverage,
    check_errata,
    check_notes,
    check_placeholders,
]


def _crashed_on(exc: BaseException) -> str | None:
    """The id of the record a check was looking at when it crashed: the innermost frame of
    the traceback that holds an Agreement. A check loops over records; naming the one it
    failed on points the curator at the value the code could not use."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        for value in frame.f_locals.values():
            if isinstance(value, Agreement):
                return value.id
    return None


def validate(register: Register, findings: list[Finding]) -> tuple[list[Finding], Counted]:
    """Run every check on a loaded register; loading findings come first."""
    all_findings = list(findings)
    for check in CHECKS:
        try:
            all_findings.extend(check(register))
        except MemoryError:
            raise  # not a broken check: the command says what ran out
        except Exception as exc:  # a broken check must not hide the others
            record = _crashed_on(exc)
            rel = register.record_files.get(record) if record else None
            all_findings.append(
                Finding(
                    rel or MANIFEST,
                    None,
                    None,
                    "error",
                    "check-crashed",
                    f"check {check.__name__} failed"
                    f"{f' on record {record}' if rel else ''}: {type(exc).__name__}: {exc}",
                    record=record if rel else None,
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

    def many(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    checked = (
        f"checked {many(counted.records, 'record')}, {many(counted.quotes, 'quote')}, "
        f"{many(counted.sources, 'source')}"
    )
    if not errors and not warnings:
        return f"{checked}: all good"
    return f"{checked}: {many(errors, 'error')}, {many(warnings, 'warning')}"
