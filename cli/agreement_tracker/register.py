"""Load a register into models, collecting findings (`location` finds it).

A register is a folder with `agreements/` (one YAML file per record, and the
registries under `agreements/registry/`) and `seeds/` (the source texts and
their manifest `sources.yaml`). Loading never stops at the first problem: it
returns the register it could build and every finding on the way, each with
the file and line it concerns, so a curator sees them all at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from agreement_tracker.errors import RegisterUnreadable
from agreement_tracker.findings import Finding
from agreement_tracker.location import MANIFEST, RECORDS_DIR, REGISTRY_DIR, SEEDS_DIR, Location
from agreement_tracker.model import (
    Agreement,
    Kind,
    Occasion,
    Organisation,
    Sector,
    Source,
    Status,
)
from agreement_tracker.quotes import SourceText
from agreement_tracker.yamlread import Document, read_yaml

# Registry file -> (top-level key, model). Order matters for references only
# in reporting, not in loading.
REGISTRIES: dict[str, tuple[str, type[BaseModel]]] = {
    "organisations.yaml": ("organisations", Organisation),
    "sectors.yaml": ("sectors", Sector),
    "kinds.yaml": ("kinds", Kind),
    "statuses.yaml": ("statuses", Status),
    "occasions.yaml": ("occasions", Occasion),
}


@dataclass
class Register:
    """A loaded register: records and registries by id, and where each came from."""

    location: Location
    agreements: dict[str, Agreement] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    sectors: dict[str, Sector] = field(default_factory=dict)
    kinds: dict[str, Kind] = field(default_factory=dict)
    statuses: dict[str, Status] = field(default_factory=dict)
    occasions: dict[str, Occasion] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    # id -> the document it was read from, for locating findings later.
    documents: dict[tuple[str, str], Document] = field(default_factory=dict)
    record_files: dict[str, str] = field(default_factory=dict)
    # (registry key, entry id) -> index of the entry in its file's list.
    positions: dict[tuple[str, str], int] = field(default_factory=dict)
    # Registry entries that exist but failed validation: references to them are
    # not "unknown", the entry's own finding says what is wrong.
    invalid: set[tuple[str, str]] = field(default_factory=set)
    # The stems of every record file, loaded or not (for "did you mean").
    record_names: list[str] = field(default_factory=list)
    _texts: dict[str, SourceText | None] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> Path:
        return self.location.root

    def source_path(self, source: Source) -> Path:
        return self.root / SEEDS_DIR / source.file

    def holds(self, path: Path) -> bool:
        """Whether `path`, links followed, is inside the register (a link may point anywhere)."""
        return not links_outside(self.root, path)

    def source_text(self, source_id: str) -> SourceText | None:
        """A source's text, read once; None if it is unknown, outside or not UTF-8."""
        if source_id not in self._texts:
            source = self.sources.get(source_id)
            path = self.source_path(source) if source else None
            try:
                text = SourceText.read(path) if path and self.holds(path) else None
            except (OSError, UnicodeDecodeError):
                text = None
            self._texts[source_id] = text
        return self._texts[source_id]

    def sector_and_descendants(self, sector_id: str) -> set[str]:
        """A sector with every sector below it in the hierarchy."""
        found = {sector_id}
        changed = True
        while changed:
            changed = False
            for sector in self.sectors.values():
                if sector.parent in found and sector.id not in found:
                    found.add(sector.id)
                    changed = True
        return found


# --- loading -------------------------------------------------------------------


def load(
    location: Location, *, only: str | None = None, cache: bool = True
) -> tuple[Register, list[Finding]]:
    """Load the register; return what could be built and every finding.

    `only` loads the registries and that one record (a writer touching one
    record need not read ten thousand); `only=""` loads no record at all.
    Parsed files come from the parse cache where their stat key still holds.
    """
    from agreement_tracker.cache import ParseCache

    register = Register(location)
    findings: list[Finding] = []
    root = location.root
    parsed = ParseCache(root) if cache else None

    def read(rel: str) -> Document | None:
        return _read_cached(root, rel, findings, parsed)

    manifest = read(MANIFEST)
    if manifest is not None:
        register.documents[("manifest", "")] = manifest
        for index, source in _entries(manifest, "sources", Source, findings, register.invalid):
            _add_unique(register, "sources", index, source, manifest, findings)

    for file_name, (key, model) in REGISTRIES.items():
        doc = read(f"{REGISTRY_DIR}/{file_name}")
        if doc is None:
            continue
        register.documents[("registry", key)] = doc
        for index, entry in _entries(doc, key, model, findings, register.invalid):
            _add_unique(register, key, index, entry, doc, findings)

    all_paths = sorted((root / RECORDS_DIR).glob("*.yaml"))
    register.record_names = [p.stem for p in all_paths]
    # `only` is looked up among the files found, never joined into a path: `..` reaches nothing.
    paths = all_paths if only is None else [p for p in all_paths if p.stem == only]
    for path in paths:
        rel = f"{RECORDS_DIR}/{path.name}"
        # One record is read directly: the records' cache is for whole-register commands.
        doc = read(rel) if only is None else _read(root, rel, findings)
        if doc is None:
            continue
        agreement = _record(doc, findings)
        if agreement is None:
            continue
        expected = path.stem
        if agreement.id != expected:
            findings.append(
                doc.finding(
                    ("id",),
                    "id-mismatch",
                    f"id {agreement.id!r} differs from the file name: rename the file to "
                    f"{agreement.id}.yaml or set id: {expected}",
                    record=agreement.id,
                    field="id",
                )
            )
        if agreement.id in register.agreements:
            findings.append(
                doc.finding(
                    ("id",),
                    "duplicate-id",
                    f"id {agreement.id!r} is used by {register.record_files[agreement.id]} too",
                    record=agreement.id,
                    field="id",
                )
            )
            continue
        register.agreements[agreement.id] = agreement
        register.record_files[agreement.id] = rel
        # The model holds the record now; the document stays for its marks only.
        doc.data = None
        register.documents[("record", agreement.id)] = doc

    findings.extend(check_references(register))
    if parsed is not None:
        parsed.save()
    return register, findings


def links_outside(root: Path, path: Path) -> bool:
    """A link that leads out of the register; a loop is not (reading it will say so).

    `root` is resolved already (see `locate`); only links need resolving.
    """
    if not os.path.islink(path):
        return False
    try:
        return not path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def _read_cached(root: Path, rel: str, findings: list[Finding], parsed: Any) -> Document | None:
    """`_read`, served from the parse cache when the file's stat key is unchanged."""
    if parsed is None:
        return _read(root, rel, findings)
    from agreement_tracker.filestate import stat_key

    path = root / rel
    key = stat_key(path)
    hit, data = parsed.get(rel, key)
    if hit and not links_outside(root, path):
        return Document(rel, data, reread=lambda: _read(root, rel, []))
    doc = _read(root, rel, findings)
    if doc is None:
        return None
    # Cache only what was read under one key from start to end (no edit in between).
    if stat_key(path) == key:
        parsed.put(rel, key, doc.data)
    # Marks are needed only for findings, which are rare: ten thousand records'
    # marks would double the memory, so they are read again when asked for.
    doc.marks = {}
    doc.reread = lambda: _read(root, rel, [])
    return doc


def _read(root: Path, rel: str, findings: list[Finding]) -> Document | None:
    if links_outside(root, root / rel):
        findings.append(
            Finding(
                rel,
                None,
                None,
                "error",
                "file-outside",
                f"links to {(root / rel).resolve()}, outside the register: "
                "put the file itself here",
            )
        )
        return None
    text, problem = _read_text(root / rel, rel)
    if problem is not None:
        findings.append(problem)
        return None
    assert text is not None
    doc = read_yaml(text, rel)
    findings.extend(doc.findings)
    if doc.findings:
        return None
    return doc


def read_text(path: Path, rel: str) -> str:
    """A register file's text, for writers; unreadable bytes raise with the file and line."""
    text, problem = _read_text(path, rel)
    if problem is not None:
        raise RegisterUnreadable(f"cannot use {rel}: nothing was written", [problem])
    assert text is not None
    return text


def _read_text(path: Path, rel: str) -> tuple[str | None, Finding | None]:
    """The file decoded as UTF-8, or the finding that says why it cannot be."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, Finding(rel, None, None, "error", "file-missing", "file is missing")
    except OSError as exc:
        return None, Finding(
            rel, None, None, "error", "file-unreadable", f"cannot read: {exc.strerror}"
        )
    return decode_text(raw, rel)


def decode_text(raw: bytes, rel: str) -> tuple[str | None, Finding | None]:
    """Bytes as UTF-8 text, or the finding (with its line) that says why they are not."""

    def problem(code: str, message: str, line: int | None = None) -> tuple[None, Finding]:
        return None, Finding(rel, line, None, "error", code, message)

    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return problem(
            "encoding", "is UTF-16 text, not UTF-8: save it as UTF-8 (without changing its content)"
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return problem("encoding", "contains a NUL byte: not a text file", line)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return problem(
            "encoding", "is not UTF-8 text: save it as UTF-8 (without changing its content)", line
        )


def _entries(
    doc: Document,
    key: str,
    model: type[BaseModel],
    findings: list[Finding],
    invalid: set[tuple[str, str]],
) -> Iterable[tuple[int, Any]]:
    """Validate each entry of a registry list on its own, so one bad entry hides no other."""
    data = doc.data
    if not isinstance(data, dict) or set(data) != {key}:
        findings.append(
            doc.finding(
                (),
                "schema",
                f"the file must be a mapping with the single key {key!r}: a list under it",
            )
        )
        return
    entries = data[key]
    if entries is None:
        return
    if not isinstance(entries, list):
        findings.append(doc.finding((key,), "schema", f"{key!r} must be a list"))
        return
    for index, entry in enumerate(entries):
        built = _validate(doc, model, entry, (key, index), findings)
        if built is not None:
            yield index, built
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            invalid.add((key, entry["id"]))


def _record(doc: Document, findings: list[Finding]) -> Agreement | None:
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else f"a {type(doc.data).__name__}"
        findings.append(
            doc.finding((), "schema", f"a record must be a mapping of fields, this file is {kind}")
        )
        return None
    return _validate(doc, Agreement, doc.data, (), findings)  # type: ignore[return-value]


def _validate(
    doc: Document, model: type[BaseModel], data: Any, prefix: tuple, findings: list[Finding]
) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        record = data.get("id") if isinstance(data, dict) and model is Agreement else None
        for error in exc.errors(include_url=False):
            loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
            findings.append(_schema_finding(doc, prefix + loc, error, record))
        return None


def _is_union_tag(part: object) -> bool:
    # pydantic names the union member or validator it tried in loc ("function-after[…]").
    return isinstance(part, str) and part.startswith(("literal[", "function-"))


# What to do about each kind of pydantic error, in the curator's terms.
_DATE_HINT = "write the date as YYYY-MM-DD, e.g. 2025-05-07"
_HINTS = {
    "date_parsing": _DATE_HINT,
    "date_from_datetime_parsing": _DATE_HINT,
    "date_from_datetime_inexact": _DATE_HINT,
    "date_type": _DATE_HINT,
    "string_type": "write it as text (in quotes if it looks like a number or a date)",
    "list_type": "write a list, one `- item` per line",
    "dict_type": "write a mapping of fields, one `key: value` per line",
    "model_type": "write a mapping of fields, one `key: value` per line",
    "string_pattern_mismatch": "ids are lower-case words joined by hyphens; "
    "country codes are two capital letters",
    "string_too_short": "write the text, or remove the field if it is optional",
    "too_short": "add at least one",
    "literal_error": "use one of the values listed",
    "bool_type": "write true or false",
    "value_error": "fix the value as the message says",
}


def _schema_finding(doc: Document, loc: tuple, error: dict, record: Any) -> Finding:
    dotted = ".".join(str(p) for p in loc) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        code, message = "unknown-key", f"unknown key {dotted!r}: check its spelling or remove it"
    elif kind == "missing":
        code, message = "missing-field", f"required field {dotted!r} is missing: add it"
    else:
        value = error.get("input")
        shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
        hint = _HINTS.get(kind, "fix the value (the README's register format shows each field)")
        code, message = "invalid-value", f"{dotted}: {error['msg']} (got {shown}): {hint}"
    return doc.finding(
        loc,
        code,
        message,
        record=record if isinstance(record, str) else None,
        field=dotted,
    )


def _add_unique(
    register: Register, key: str, index: int, entry: Any, doc: Document, findings: list[Finding]
) -> None:
    table: dict[str, Any] = getattr(register, key)
    if entry.id in table:
        findings.append(
            doc.finding(
                (key, index, "id"),
                "duplicate-id",
                f"{key[:-1]} id {entry.id!r} is defined twice: keep one",
                field="id",
            )
        )
        return
    table[entry.id] = entry
    register.positions[(key, entry.id)] = index


# --- references -------------------------------------------------------------------


def check_references(register: Register) -> list[Finding]:
    """Every id a record or registry entry names must exist in its registry.

    A reference into a registry that failed to load is not checked: its own
    findings say what is wrong, and repeating them per record would bury them.
    """
    findings: list[Finding] = []
    loaded = {key for kind, key in register.documents if kind == "registry"}
    if ("manifest", "") in register.documents:
        loaded.add("sources")
    tables = {key: getattr(register, key) for key in loaded}
    names = {
        "organisations": "organisation",
        "sectors": "sector",
        "kinds": "kind",
        "statuses": "status",
        "occasions": "occasion",
        "sources": "source",
    }

    def check(doc: Document, path: tuple, target: str, value: str, record: str | None) -> None:
        if target not in tables or value in tables[target] or (target, value) in register.invalid:
            return
        findings.append(
            doc.finding(
                path,
                "unknown-ref",
                f"unknown {names[target]} {value!r}{_suggest(value, tables[target])}",
                record=record,
            )
        )

    for agreement in register.agreements.values():
        doc, a = register.documents[("record", agreement.id)], agreement.id
        check(doc, ("kind",), "kinds", agreement.kind, a)
        check(doc, ("status",), "statuses", agreement.status, a)
        if agreement.occasion is not None:
            check(doc, ("occasion",), "occasions", agreement.occasion, a)
        for i, sector in enumerate(agreement.sectors):
            check(doc, ("sectors", i), "sectors", sector, a)
        for i, party in enumerate(agreement.parties):
            check(doc, ("parties", i, "org"), "organisations", party.org, a)
        for i, evidence in enumerate(agreement.evidence):
            check(doc, ("evidence", i, "source"), "sources", evidence.source, a)
        for i, note in enumerate(agreement.follow_up):
            if note.status is not None:
                check(doc, ("follow_up", i, "status"), "statuses", note.status, a)

    def registry(key: str) -> tuple[Document, dict[str, Any]] | None:
        if key not in loaded or key == "sources":
            return None
        return register.documents[("registry", key)], getattr(register, key)

    if found := registry("sectors"):
        doc, table = found
        for sector in table.values():
            i = register.positions[("sectors", sector.id)]
            if sector.parent is not None:
                check(doc, ("sectors", i, "parent"), "sectors", sector.parent, None)
    if found := registry("statuses"):
        doc, table = found
        for status in table.values():
            i = register.positions[("statuses", status.id)]
            for j, nxt in enumerate(status.next):
                check(doc, ("statuses", i, "next", j), "statuses", nxt, None)
    if found := registry("occasions"):
        doc, table = found
        for occasion in table.values():
            i = register.positions[("occasions", occasion.id)]
            if occasion.part_of is not None:
                check(doc, ("occasions", i, "part_of"), "occasions", occasion.part_of, None)
            for j, evidence in enumerate(occasion.evidence):
                check(
                    doc, ("occasions", i, "evidence", j, "source"), "sources", evidence.source, None
                )
    return findings


def _suggest(value: str, table: dict) -> str:
    import difflib

    close = difflib.get_close_matches(value, list(table), n=3, cutoff=0.6)
    if close:
        return ": did you mean " + " or ".join(repr(c) for c in close) + "?"
    return ": it is not in the registry"
