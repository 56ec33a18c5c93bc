"""The index around a reader: answers for the register's files that did not change and
hands the rest to the loader's own reader, storing what it gives (as beancount's cache
wraps its loader). Apart from `index.py`, which keeps the database itself."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

# Stat keys through the module, so a test's coarse clock (one-second timestamps) reaches
# them as it reaches the index's own.
from agreement_tracker.store import index as stamps
from agreement_tracker.store.files import LIST_FILES, OPTIONAL, is_parsed, is_record
from agreement_tracker.store.index import (
    Index,
    Key,
    Row,
    file_sha256,
    racy,
)
from agreement_tracker.store.location import Location

if TYPE_CHECKING:
    from agreement_tracker.store.files import Parsed

# --- the index around a reader ----------------------------------------------------------

# Rows written to the index at a time when many files were parsed.
WRITE_BATCH = 500


class FileReader(Protocol):
    """What the index wraps: the loader's own reader, which parses each file."""

    root: Path

    def record_files(self) -> list[str]: ...

    def read(self, rels: list[str]) -> dict[str, Parsed]: ...

    def claiming(self, record_id: str, others: list[str]) -> dict[str, Parsed]: ...

    def close(self) -> None: ...


class IndexedReader:
    """A reader of the register's files that answers from the index where a file did not
    change and hands the rest to the reader it wraps, storing what that reader gives.

    The loader knows nothing of it (it asks a reader for files), and it knows nothing of
    models: what a file's row keeps is the loader's `encode` of the parsed file, rebuilt
    by its `decode`. A writer (`writing`) reads the registries and its one record through
    it, and each record with the digest of the bytes it was read from: the writer reads
    the file again under the lock, and uses the record only if those bytes are the same.
    """

    def __init__(
        self,
        index: Index,
        reader: FileReader,
        encode: Callable[[Parsed], str],
        decode: Callable[[Path, str, str], Parsed],
        writing: bool,
    ) -> None:
        self.index = index
        self.reader = reader
        self.root = reader.root
        self.encode = encode
        self.decode = decode
        self.writing = writing
        self._current: dict[str, Key] | None = None

    def _snapshot(self) -> dict[str, Key]:
        """The stat of every file of the register (a writer's: of the registries only),
        taken once, when first needed."""
        if self._current is None:
            if self.writing:
                self._current = {
                    rel: key
                    for rel in LIST_FILES
                    if (key := stamps.stat_key(self.root / rel)) is not None
                }
            else:
                self._current = stamps.snapshot(self.root)
        return self._current

    @classmethod
    def around(
        cls,
        location: Location,
        reader: FileReader,
        *,
        encode: Callable[[Parsed], str],
        decode: Callable[[Path, str, str], Parsed],
        writing: bool,
    ) -> FileReader:
        """`reader` wrapped in the register's index; `reader` itself where there is no index."""
        index = Index.open(location)
        return reader if index is None else cls(index, reader, encode, decode, writing)

    def record_files(self) -> list[str]:
        """Every record file, from the stat snapshot of the register."""
        return sorted(rel for rel in self._snapshot() if is_record(rel))

    def read(self, rels: list[str]) -> dict[str, Parsed]:
        """Each file of `rels`: from its row where the file is unchanged, else from the
        reader (and stored). A whole register's read also records the stat of the files it
        does not parse and drops the rows of files gone."""
        root, index, current = self.root, self.index, self._snapshot()
        if self.writing:  # the writer's record, beside the registries
            for rel in rels:
                if is_record(rel) and (key := stamps.stat_key(root / rel)) is not None:
                    current[rel] = key
        wanted = set(rels)
        files: dict[str, Parsed] = {}
        changed: dict[str, Row] = {}
        # Rows are taken one at a time and rebuilt at once, so no more than one payload is
        # held: the index of 100,000 records holds hundreds of megabytes of them.
        fresh: set[str] = set()
        for rel, stored in index.iter_rows(current if self.writing else None):
            row, confirmed = index.fresh_row(rel, current.get(rel), stored)
            if row is None:
                continue
            fresh.add(rel)
            if confirmed and not row.racy:
                changed[rel] = row  # hashed again long enough after its change: no need next time
            if row.payload is not None and rel in wanted:
                files[rel] = parsed = self.decode(root, rel, row.payload)
                if self.writing:
                    # The bytes the record was read from: the writer reads the file again
                    # under the lock and reuses this record only if they are the same.
                    parsed.sha256 = row.sha256
        for rel in rels:
            if rel in files:
                continue
            if rel in OPTIONAL and rel not in current and not os.path.lexists(root / rel):
                continue  # an older register without it (a FIFO or a link is read, and refused)
            checked = time.time_ns()
            got = self.reader.read([rel])
            if rel not in got:
                continue
            files[rel] = parsed = got[rel]
            key = current.get(rel)
            # Stored only if the file kept one stat from before the read to after it.
            if parsed.sha256 and key and stamps.stat_key(root / rel) == key:
                record_id = parsed.entries[0][1].id if is_record(rel) and parsed.entries else None
                changed[rel] = Row(key, parsed.sha256, checked, self.encode(parsed), record_id)
                if len(changed) >= WRITE_BATCH:  # a first run over 10,000 files: bounded memory
                    index.write(changed, ())
                    changed = {}
        now = time.time_ns()
        for rel, key in current.items():
            if rel not in fresh and not is_parsed(rel):
                sha = file_sha256(root / rel) if racy(key, now) else None
                changed[rel] = Row(key, sha, now, None)
        index.write(changed, () if self.writing else index.known - set(current))
        return files

    def claiming(self, record_id: str, others: list[str]) -> dict[str, Parsed]:
        """The files of `others` whose record has `record_id`: a file the index knows is
        unchanged and claims another id is not read; the rest go to the reader."""
        stored = self.index.record_keys()
        unknown = []
        for rel in others:
            known = stored.get(rel)
            if known is not None:
                key, checked, claimed = known
                fresh = key == stamps.stat_key(self.root / rel) and not racy(key, checked)
                if fresh and claimed != record_id:
                    continue
            unknown.append(rel)
        return self.reader.claiming(record_id, unknown)

    def close(self) -> None:
        self.index.close()
        self.reader.close()
