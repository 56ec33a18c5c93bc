"""Load a register into models, collecting findings (`store` finds and reads its files).

A register is a folder with `agreements/` (one YAML file per record, and the
registries under `agreements/registry/`) and `seeds/` (the source texts and
their manifest `sources.yaml`). Loading never stops at the first problem: it
returns the register it could build and every finding on the way, each with
the file and line it concerns, so a curator sees them all at once.

Each file is parsed and validated on its own (`store.files`); read commands
take the result from the index (`store.index`) where the file is unchanged,
so they import neither PyYAML nor pydantic. What spans files (duplicate ids,
references between records and registries) is checked here on every load.
"""

from __future__ import annotations

import os
import stat
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from agreement_tracker.model import (
    Agreement,
    Country,
    Kind,
    Occasion,
    Organisation,
    Sector,
    Source,
    Status,
)
from agreement_tracker.plain import from_plain, to_plain
from agreement_tracker.store.document import Document
from agreement_tracker.store.files import (
    LIST_FILES,
    OPTIONAL,
    Parsed,
    is_record,
    links_outside,
    parse,
    reread_marks,
)
from agreement_tracker.store.location import MANIFEST, RECORDS_DIR, SEEDS_DIR, Location

if TYPE_CHECKING:
    from agreement_tracker.findings import Finding
    from agreement_tracker.quotes import SourceText


# Source texts a loaded register keeps in memory at once (least recently used go first).
TEXTS_KEPT = 256


# Where each kind of reference is defined, for the fix an unknown one is told.
_TABLE_FILES = {
    "organisations": "agreements/registry/organisations.yaml (`agreements orgs` lists them)",
    "sectors": "agreements/registry/sectors.yaml (`agreements sectors` lists them)",
    "kinds": "agreements/registry/kinds.yaml",
    "statuses": "agreements/registry/statuses.yaml",
    "occasions": "agreements/registry/occasions.yaml",
    "sources": "seeds/sources.yaml",
    "countries": "agreements/registry/countries.yaml",
}


class Register:
    """A loaded register: records and registries by id, and where each came from.

    A plain class, not a dataclass, which would compile its `__init__` on every start.
    """

    def __init__(self, location: Location) -> None:
        self.location = location
        self.agreements: dict[str, Agreement] = {}
        self.organisations: dict[str, Organisation] = {}
        self.sectors: dict[str, Sector] = {}
        self.kinds: dict[str, Kind] = {}
        self.statuses: dict[str, Status] = {}
        self.occasions: dict[str, Occasion] = {}
        self.countries: dict[str, Country] = {}
        self.sources: dict[str, Source] = {}
        # id -> the document it was read from, for locating findings later.
        self.documents: dict[tuple[str, str], Document] = _Documents(self)
        self.record_files: dict[str, str] = {}
        # (registry key, entry id) -> index of the entry in its file's list.
        self.positions: dict[tuple[str, str], int] = {}
        # Registry entries that exist but failed validation: references to them are
        # not "unknown", the entry's own finding says what is wrong.
        self.invalid: set[tuple[str, str]] = set()
        # The stems of every record file, loaded or not (for "did you mean").
        self.record_names: list[str] = []
        # id -> the SHA-256 of the bytes its record was read from (for a writer's load,
        # from its file or the index): a writer that finds the same bytes under the lock
        # reuses the record instead of validating it again.
        self.record_sha256: dict[str, str] = {}
        # The stems of record files that were read and failed to load (their findings say
        # why): a link to one is not to an "unknown record".
        self.failed: set[str] = set()
        self._texts: dict[str, SourceText | None] = {}

    @property
    def root(self) -> Path:
        return self.location.root

    def source_path(self, source: Source) -> Path:
        return self.root / SEEDS_DIR / source.file

    def holds(self, path: Path) -> bool:
        """Whether `path`, links followed, is inside the register (a link may point anywhere)."""
        return not links_outside(self.root, path)

    def verifiable(self, source: str | None) -> bool:
        """Whether a note, commitment or review cites a registered source text, one a
        reader can check here (a URL is cited, not verifiable)."""
        return source is not None and source in self.sources

    def source_text(self, source_id: str) -> SourceText | None:
        """A source's text; None if it is unknown, outside or not UTF-8. The texts last
        used are kept (records citing one source stand together), not all of 10,000."""
        from agreement_tracker.quotes import SourceText

        if source_id in self._texts:
            text = self._texts.pop(source_id)
        else:
            source = self.sources.get(source_id)
            path = self.source_path(source) if source else None
            try:
                text = SourceText.read(path, self.root) if path and self.holds(path) else None
            except (OSError, UnicodeDecodeError):
                text = None
            if len(self._texts) >= TEXTS_KEPT:
                del self._texts[next(iter(self._texts))]  # the least recently used
        self._texts[source_id] = text
        return text

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


class _Documents(dict[tuple[str, str], Document]):
    """The documents findings are placed in. A record's is made when asked for, not kept:
    100,000 records' documents (each with its way to reread the file) are 50 MB that a
    read command never uses. A file's marks, read for a finding, are kept for the next
    findings on it (checks go record by record) but only for the last few files: validate
    of a register where every record has a finding would otherwise hold every file's
    line map (80 MB for 10,000 records)."""

    KEEP = 16

    def __init__(self, register: Register) -> None:
        super().__init__()
        self._register = register
        self._reread: dict[str, Document | None] = {}

    def __missing__(self, key: tuple[str, str]) -> Document:
        kind, name = key
        rel = self._register.record_files.get(name) if kind == "record" else None
        if rel is None:
            raise KeyError(key)
        return Document(rel, reread=partial(self._marks, rel))

    def _marks(self, rel: str) -> Document | None:
        if rel in self._reread:
            fresh = self._reread.pop(rel)
        else:
            fresh = reread_marks(self._register.root, rel)
            if fresh is not None:
                fresh.data = None  # the marks are what is kept
            while len(self._reread) >= self.KEEP:
                del self._reread[next(iter(self._reread))]  # the least recently used
        self._reread[rel] = fresh
        return fresh


# --- loading -------------------------------------------------------------------


def load(
    location: Location, *, only: str | None = None, use_index: bool = True
) -> tuple[Register, list[Finding]]:
    """Load the register; return what could be built and every finding.

    `only` loads the registries and that one record (a
    writer touching one record need not read ten thousand); `only=""` loads no
    record at all. `use_index=False` parses every file, as `validate` must.

    The files are read by a `FileReader`, which parses each one; a read command's is
    wrapped in the index (`store.indexed.IndexedReader`), which answers for the files
    that did not change and hands the rest to the reader it wraps, as beancount's
    cache wraps its loader.
    """
    parser = FileReader(location.root)
    reader: Reader = parser
    if use_index:
        from agreement_tracker.store.indexed import IndexedReader

        reader = IndexedReader.around(
            location, parser, encode=_payload, decode=_from_payload, writing=only is not None
        )
    try:
        files, records = _read_files(location.root, only, reader)
    finally:
        reader.close()
    return _assemble(location, files, records)


class Reader(Protocol):
    """What the loader reads the register's files with: `FileReader`, or the index
    around one."""

    def record_files(self) -> list[str]: ...

    def read(self, rels: list[str]) -> dict[str, Parsed]: ...

    def claiming(self, record_id: str, others: list[str]) -> dict[str, Parsed]: ...

    def close(self) -> None: ...


class FileReader:
    """The register's files read by parsing each one (`store.files.parse`): the loader's
    own way, which knows nothing of an index."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def record_files(self) -> list[str]:
        """Every record file (a regular file, links followed) in agreements/, sorted."""
        found = []
        try:
            entries = list(os.scandir(self.root / RECORDS_DIR))
        except OSError:
            return []
        for entry in entries:
            rel = f"{RECORDS_DIR}/{entry.name}"
            if not is_record(rel):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    continue
                mode = entry.stat().st_mode
            except OSError:
                continue
            if stat.S_ISREG(mode):
                found.append(rel)
        return sorted(found)

    def read(self, rels: list[str]) -> dict[str, Parsed]:
        """Each file of `rels`, parsed; an optional registry the register lacks is left out
        (a FIFO or a link in its place is read, and refused)."""
        return {
            rel: parse(self.root, rel)
            for rel in rels
            if rel not in OPTIONAL or os.path.lexists(self.root / rel)
        }

    def claiming(self, record_id: str, others: list[str]) -> dict[str, Parsed]:
        """The record files of `others` whose record has `record_id` (only a file whose
        bytes hold the id is parsed).

        A file that read commands would not read (a link to a device or out of the
        register, a FIFO, one over the size cap) claims nothing, so it is skipped unread:
        its own finding is for `validate` and the read commands to give.
        """
        from agreement_tracker.store.files import RECORD_MAX, read_file

        found: dict[str, Parsed] = {}
        needle = record_id.encode()
        for rel in others:
            try:
                if needle not in read_file(self.root / rel, RECORD_MAX, root=self.root):
                    continue
            except OSError:  # FileRefused among them
                continue
            parsed = parse(self.root, rel)
            if parsed.entries and parsed.entries[0][1].id == record_id:
                found[rel] = parsed
        return found

    def close(self) -> None:
        pass


def _read_files(
    root: Path, only: str | None, reader: Reader
) -> tuple[dict[str, Parsed], list[str]]:
    """Every file the register needs, and the record files it has (read or not)."""
    if only is None:
        records = reader.record_files()
    else:
        # `only` is looked up among the files found, never joined into a path: `..` reaches nothing.
        everything = _record_files(root)
        records = [r for r in everything if r == f"{RECORDS_DIR}/{only}.yaml"]
    files = reader.read([*LIST_FILES, *records])
    if only is not None:
        # A writer reads one record, but another file claiming the same id makes the
        # register unreadable for every read command: find it, and let it be reported.
        files.update(reader.claiming(only, [r for r in everything if r not in records]))
    return files, records if only is None else everything


def _record_files(root: Path) -> list[str]:
    """Every record file's register-relative name, sorted."""
    try:
        names = sorted(os.listdir(root / RECORDS_DIR))
    except OSError:
        return []
    return [f"{RECORDS_DIR}/{n}" for n in names if n.endswith(".yaml")]


def _payload(parsed: Parsed) -> str:
    """What the index keeps of a parsed file: its models as plain data, and its findings."""
    from agreement_tracker.store.index import encode

    return encode(
        {
            "document": parsed.document is not None,
            "entries": [[i, to_plain(model)] for i, model in parsed.entries],
            "invalid": parsed.invalid,
            "findings": [f.as_json() for f in parsed.findings],
        }
    )


def _from_payload(root: Path, rel: str, payload: str) -> Parsed:
    """A parsed file rebuilt from what `_payload` kept."""
    from agreement_tracker.store.index import decode

    data = decode(payload)
    if data["findings"]:  # a register without findings never imports their module
        from agreement_tracker.findings import Finding
    model = Agreement if is_record(rel) else LIST_FILES[rel][1]
    document = None
    if data["document"] and not is_record(rel):  # a record's is made when a finding needs it
        # Marks only when a finding needs them: reading them means parsing the YAML.
        document = Document(rel, reread=partial(reread_marks, root, rel))
    return Parsed(
        rel,
        entries=[(i, from_plain(model, plain)) for i, plain in data["entries"]],
        invalid=[tuple(pair) for pair in data["invalid"]],
        findings=[Finding(**{**f, "detail": tuple(f["detail"])}) for f in data["findings"]],
        document=document,
    )


def _assemble(
    location: Location, files: dict[str, Parsed], records: list[str]
) -> tuple[Register, list[Finding]]:
    """The register from its parsed files, with the checks that span files.

    `records` names every record file; those not in `files` were not asked for.
    """
    register = Register(location)
    findings: list[Finding] = []
    for rel, (key, _model) in LIST_FILES.items():
        parsed = files.get(rel)
        if parsed is None:
            continue  # an optional registry the register does not have
        findings.extend(parsed.findings)
        register.invalid.update(parsed.invalid)
        doc = parsed.document
        if doc is None:
            continue
        register.documents[("manifest", "") if rel == MANIFEST else ("registry", key)] = doc
        for index, entry in parsed.entries:
            _add_unique(register, key, index, entry, doc, findings)

    register.record_names = [rel[len(RECORDS_DIR) + 1 : -len(".yaml")] for rel in records]
    for rel in records:
        parsed = files.get(rel)
        if parsed is None:
            continue
        findings.extend(parsed.findings)
        if not parsed.entries:  # a record with a model was read from a document
            register.failed.add(rel[len(RECORDS_DIR) + 1 : -len(".yaml")])
            continue
        agreement = parsed.entries[0][1]
        doc = parsed.document or Document(rel, reread=partial(reread_marks, location.root, rel))
        expected = rel[len(RECORDS_DIR) + 1 : -len(".yaml")]
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
        if parsed.sha256 is not None:
            register.record_sha256[agreement.id] = parsed.sha256
        # The model holds the record now; its document is made again if a finding needs it.

    findings.extend(check_references(register))
    return register, findings


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


def _unlisted_records(register: Register) -> list[Finding]:
    """A finding for each record file that loading left out because it is no regular file:
    a link to a device, to a FIFO or to nothing, or a FIFO itself.

    The listing of the register's files keeps regular files only, so without this such a
    record would vanish without a word ("all good"). It is named here, found without being
    opened; this runs on every load, as the reference checks do. A writer loads one record,
    and lists every record file (`record_names`), so nothing is left out for it.
    """
    from agreement_tracker.store.files import unreadable

    listed = set(register.record_names)
    findings = []
    for rel in _record_files(register.root):
        stem = rel[len(RECORDS_DIR) + 1 : -len(".yaml")]
        if stem not in listed:
            finding = unreadable(register.root, rel)
            if finding is not None:
                findings.append(finding)
                register.failed.add(stem)
    return findings


def check_references(register: Register) -> list[Finding]:
    """Every id a record or registry entry names must exist in its registry.

    A reference into a registry that failed to load is not checked: its own
    findings say what is wrong, and repeating them per record would bury them.
    A record file that loading left out unread (a FIFO, a link to a device) is named
    first: a reference to its record must not be the only word about it.
    """
    findings: list[Finding] = _unlisted_records(register)
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
        "countries": "country",
    }

    def check(doc: Document, path: tuple, target: str, value: str, record: str | None) -> None:
        if target not in tables or value in tables[target] or (target, value) in register.invalid:
            return
        from agreement_tracker.suggest import did_you_mean

        findings.append(
            doc.finding(
                path,
                "unknown-ref",
                f"unknown {names[target]} {value!r}"
                f"{did_you_mean(value, tables[target], '; it is not in the registry')}: "
                f"use an id of {_TABLE_FILES.get(target, 'the registry')}, or add this one "
                "there",
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
            if party.side is not None:
                check(doc, ("parties", i, "side"), "countries", party.side, a)
            if party.signer is not None:
                check(doc, ("parties", i, "signer"), "organisations", party.signer, a)
        for i, evidence in enumerate(agreement.evidence):
            check(doc, ("evidence", i, "source"), "sources", evidence.source, a)
        for i, account in enumerate(agreement.accounts):
            check(doc, ("accounts", i, "source"), "sources", account.source, a)
        for i, link in enumerate(agreement.links):
            path = ("links", i, "target")
            if link.target == agreement.id:
                findings.append(doc.finding(path, "link-to-itself",
                                            "a record cannot link to itself: name another record",
                                            record=a))  # fmt: skip
            elif link.target in register.failed and link.target not in register.agreements:
                message = (
                    f"the linked record {link.target!r} failed to load: see the findings on "
                    f"{RECORDS_DIR}/{link.target}.yaml and fix that record"
                )
                findings.append(doc.finding(path, "link-to-broken-record", message, record=a))
            elif link.target not in register.agreements:
                from agreement_tracker.suggest import did_you_mean

                hint = did_you_mean(link.target, register.record_names, "; it is not a record")
                message = f"unknown record {link.target!r}{hint}"
                findings.append(doc.finding(path, "unknown-ref", message, record=a))
        for i, note in enumerate(agreement.follow_up):
            if note.status is not None:
                check(doc, ("follow_up", i, "status"), "statuses", note.status, a)

    def registry(key: str) -> tuple[Document, dict[str, Any]] | None:
        if key not in loaded or key == "sources":
            return None
        return register.documents[("registry", key)], getattr(register, key)

    if ("manifest", "") in register.documents:
        doc = register.documents[("manifest", "")]
        for source in register.sources.values():
            i = register.positions[("sources", source.id)]
            for j, erratum in enumerate(source.errata):
                if erratum.evidence is not None:
                    where = ("sources", i, "errata", j, "evidence", "source")
                    check(doc, where, "sources", erratum.evidence.source, None)
    if found := registry("organisations"):
        doc, table = found
        for org in table.values():
            i = register.positions[("organisations", org.id)]
            if org.country is not None:
                check(doc, ("organisations", i, "country"), "countries", org.country, None)
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
