"""The index: the validated register, file by file, valid while each file's stat holds.

Read commands load the register from here instead of parsing YAML and
running pydantic, which is most of a cold start. Like beancount's cache of
the loaded result and git's index:

- One row per file under `agreements/` and `seeds/`: its stat snapshot
  (size, mtime, ctime, inode), its sha256 where needed, and for the files
  the register parses, what parsing and validating it gave (`store.files`).
  A file whose snapshot changed is parsed again; only its row is rewritten.
- Racy timestamps: a row whose file was modified less than `RACY_NS` before
  it was read may hide a second edit within the file system's timestamp
  granularity, so its content hash is compared too (git's "racy git" rule).
- Trust: the index holds nothing from the environment and lives where no
  pull request reaches: in the tool's private folder in the user's cache
  (`store.cachedir.private_folder`), one file per register named by a sha256
  of its real path. `.agreements/` inside a register, where earlier versions
  kept it, is never read: git checks out a file planted there as the
  user's own. A file that is not the user's own, is writable by others or is
  linked is not read; a file whose schema is anything but the tables and
  indexes this module makes (a trigger, a view, another table) is not used
  and is made anew, and SQLite is told to trust no schema (`_harden`). Each
  row carries a digest of its contents, so an edited row is parsed afresh;
  an index from another version of the tool, another register or that SQLite
  cannot read is rebuilt.
- `validate` never reads it: the proof always reads the files.

Everything here is best effort: an index that cannot be opened or written
makes a command slower, never wrong or failing.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agreement_tracker import __version__
from agreement_tracker.store.cachedir import private_folder
from agreement_tracker.store.digest import sha256
from agreement_tracker.store.location import RECORDS_DIR, SEEDS_DIR, Location

if TYPE_CHECKING:
    pass

FORMAT = 2
# A file modified this recently when it was read may be modified again within the
# file system's timestamp granularity (2 s on FAT) without its stat changing.
RACY_NS = 2_000_000_000
# Where earlier versions kept the index, inside the register: never read now (a pull
# request can carry it), and never deleted (it is a file in the user's folder).
INDEX_DIR = ".agreements"
INDEX_FILE = "index.sqlite"

Key = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


# --- the stat snapshot ------------------------------------------------------------------


def stat_key(path: str | os.PathLike[str]) -> Key | None:
    """Size, mtime, ctime and inode, links followed; None when it cannot be stat'ed.

    An edit changes mtime or size; a replacement (editors, os.replace) changes
    the inode; a restored timestamp (touch -d, rsync -t) still changes ctime.
    """
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def snapshot(root: Path) -> dict[str, Key]:
    """The stat key of every file under the register's agreements/ and seeds/.

    Folders that are links are not followed (a loop would never end); files
    that are links are stat'ed through, as they are read.
    """
    found: dict[str, Key] = {}
    pending = [RECORDS_DIR, SEEDS_DIR]
    while pending:
        rel_dir = pending.pop()
        try:
            entries = list(os.scandir(root / rel_dir))
        except OSError:
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}"
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(rel)
                    continue
                st = entry.stat()
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                found[rel] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    return found


# --- where the index lives, and whether it can be trusted ------------------------------


def index_path(location: Location) -> Path | None:
    """Where this register's index is: the tool's private cache folder; None if there is none.

    Never inside the register, where a pull request could put one. One file per register,
    named by its real path, so two names of one folder share one index.
    """
    folder = private_folder()
    if folder is None:
        return None
    real = os.path.realpath(location.root)
    return Path(folder) / f"index-{sha256(os.fsencode(real)).hexdigest()}.sqlite"


def _trusted_file(path: Path) -> bool:
    """The user's own regular file, not linked, that nobody else can write."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_ISREG(st.st_mode)
        and st.st_uid == os.geteuid()
        and not st.st_mode & 0o022
        and st.st_nlink == 1
    )


def _code_fingerprint() -> str:
    """The tool's version and the code that shapes what a row holds: a change rebuilds.
    Read as files beside this package's (not imported: the loader is above this layer)."""
    package = Path(__file__).resolve().parent.parent
    parts = [f"{FORMAT}:{__version__}"]
    for name in _SHAPING:
        try:
            parts.append(f"{zlib.crc32((package / name).read_bytes()):08x}")
        except OSError:
            parts.append("?")
    return ":".join(parts)


# The modules whose code decides what a row keeps: the models and their values, how
# they become plain data, the languages, how a file is parsed, and the loader's encoding.
_SHAPING = (
    "model.py", "registries.py", "model_kit.py", "values.py", "plain.py", "languages.py",
    "store/files.py", "loader.py",
)  # fmt: skip


# --- rows -------------------------------------------------------------------------------


class Row:
    """What the index knows of one file. A plain class: a dataclass compiles its methods
    on every start (about 1 ms for this one), and a row is only ever built and read."""

    __slots__ = ("checked_ns", "key", "payload", "record_id", "sha256")

    def __init__(
        self,
        key: Key,
        sha256: str | None,
        checked_ns: int,
        payload: str | None,
        record_id: str | None = None,
    ) -> None:
        self.key = key
        self.sha256 = sha256
        # When the file was read: before this, its stat could not change unseen.
        self.checked_ns = checked_ns
        # The parsed file as JSON; None for files the register does not parse.
        self.payload = payload
        # A record file's id: a writer finds duplicates without reading payloads.
        self.record_id = record_id

    def digest(self, rel: str) -> str:
        """A check of the row's contents: an edited or damaged row is parsed afresh.

        Not a signature: whoever can write the index is its owner, who could
        write the records too (see `_trusted_file`).
        """
        text = f"{rel}\0{list(self.key)}\0{self.sha256}\0{self.record_id}\0{self.payload}"
        return f"{zlib.crc32(text.encode('utf-8', 'surrogatepass')):08x}"

    @property
    def racy(self) -> bool:
        return racy(self.key, self.checked_ns)


def racy(key: Key, checked_ns: int) -> bool:
    """Whether a file read at `checked_ns` was modified too recently for its stat to be trusted."""
    return checked_ns - key[1] < RACY_NS


def file_sha256(path: Path) -> str | None:
    """A file's sha256, or None if it cannot be read (needed only for racy rows)."""
    # Without following a link and without blocking: a FIFO swapped in must not hang the
    # command, and only a regular file is hashed.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            digest = sha256()
            while chunk := handle.read(1 << 18):
                digest.update(chunk)
            return digest.hexdigest()
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY,
    size INTEGER NOT NULL, mtime INTEGER NOT NULL, ctime INTEGER NOT NULL, ino INTEGER NOT NULL,
    sha256 TEXT, checked INTEGER NOT NULL, payload TEXT, record_id TEXT, digest TEXT NOT NULL
);
"""
_COLUMNS = "rel, size, mtime, ctime, ino, sha256, checked, payload, record_id, digest"


class Index:
    """An open index of one register. Use `Index.open`; every method is best effort."""

    def __init__(self, connection: sqlite3.Connection, root: Path) -> None:
        self.connection = connection
        self.root = root
        meta = dict(connection.execute("SELECT name, value FROM meta"))
        self.expected = {"format": str(FORMAT), "code": _code_fingerprint(), "root": str(root)}
        # Another version's or another register's rows are not read, and are replaced.
        self.foreign = any(meta.get(k) != v for k, v in self.expected.items())
        # Every file the index has a row for, trusted or not (rows of files gone are dropped).
        self.known: set[str] = set()

    @classmethod
    def open(cls, location: Location) -> Index | None:
        """The register's index, made if missing and made anew if unusable; None if there is no
        trusted place for one."""
        path = index_path(location)
        if path is None:
            return None
        for _attempt in range(2):
            if os.path.lexists(path) and not _trusted_file(path):
                # Not the user's own: never read. Its folder is the tool's, so replace it.
                _remove(path)
            try:
                if not os.path.lexists(path):
                    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
                    os.close(fd)
                connection = sqlite3.connect(path, timeout=2.0, isolation_level=None)
                try:
                    _harden(connection)
                    if not _schema(connection):  # a new, empty file: both tables at once
                        connection.execute("BEGIN IMMEDIATE")
                        for statement in _SCHEMA.split(";"):
                            if statement.strip():
                                connection.execute(statement)
                        connection.execute("COMMIT")
                    if _schema(connection) != _expected_schema():
                        # A trigger, a view, another table or another layout: nothing of it
                        # is read or run. Made anew, not migrated.
                        raise sqlite3.DatabaseError("not the index's own schema")
                    return cls(connection, location.root)
                except BaseException:
                    connection.close()
                    raise
            except sqlite3.DatabaseError:
                _remove(path)  # corrupt, not SQLite, or not the tool's: start afresh, once
            except (OSError, sqlite3.Error):
                return None
        return None

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()

    def rows(self, rels: Iterable[str] | None = None) -> dict[str, Row]:
        """The rows whose digest holds, for `rels` or for every file."""
        return dict(self.iter_rows(rels))

    def iter_rows(self, rels: Iterable[str] | None = None) -> Iterator[tuple[str, Row]]:
        """The rows whose digest holds, for `rels` or for every file, one at a time: the
        payloads of 100,000 records are hundreds of megabytes, never needed at once.
        An index that fails midway ends the rows there (the rest is parsed)."""
        if self.foreign:
            return
        query = f"SELECT {_COLUMNS} FROM files"
        try:
            if rels is None:
                found: Iterable[tuple[Any, ...]] = self.connection.execute(query)
            else:
                found = (
                    r
                    for rel in list(rels)
                    for r in self.connection.execute(query + " WHERE rel = ?", (rel,))
                )
            for rel, size, mtime, ctime, ino, sha, checked, payload, record_id, digest in found:
                self.known.add(rel)
                row = Row((size, mtime, ctime, ino), sha, checked, payload, record_id)
                if row.digest(rel) == digest:
                    yield rel, row
        except sqlite3.Error:
            return

    def fresh_row(self, rel: str, key: Key | None, row: Row) -> tuple[Row | None, bool]:
        """`row` if it is still true of the file (same stat, and for a racy row the same
        content), else None; and whether it was racy and is now confirmed (the caller
        writes it back, so the next run need not hash the file)."""
        if key is None or row.key != key:
            return None, False
        if not row.racy:
            return row, False
        now = time.time_ns()
        if row.sha256 is None or file_sha256(self.root / rel) != row.sha256:
            return None, False
        return Row(row.key, row.sha256, now, row.payload, row.record_id), True

    def record_keys(self) -> dict[str, tuple[Key, int, str | None]]:
        """Every record file's stored stat, read time and id, without the payloads: what a
        writer of one record needs to know that no other file claims its id."""
        if self.foreign:
            return {}
        try:
            found = self.connection.execute(
                "SELECT rel, size, mtime, ctime, ino, checked, record_id FROM files "
                "WHERE rel LIKE 'agreements/%'"
            ).fetchall()
        except sqlite3.Error:
            return {}
        return {rel: ((s, m, c, i), checked, rid) for rel, s, m, c, i, checked, rid in found}

    def fresh(self, current: dict[str, Key], rows: dict[str, Row]) -> dict[str, Row]:
        """The rows still true of the files: same stat, and for racy rows the same content.

        A racy row whose content is confirmed long enough after its last
        modification is marked checked now, so the next run need not hash it.
        """
        fresh: dict[str, Row] = {}
        confirmed: dict[str, Row] = {}
        for rel, key in current.items():
            row = rows.get(rel)
            if row is None:
                continue
            kept, was_racy = self.fresh_row(rel, key, row)
            if kept is None:
                continue
            if was_racy:
                confirmed[rel] = kept
            fresh[rel] = kept
        if confirmed:
            self.write({rel: r for rel, r in confirmed.items() if not r.racy}, ())
        return fresh

    def write(self, changed: dict[str, Row], removed: Iterable[str]) -> None:
        """Store new rows and drop those of files gone, in one transaction; skipped when another
        process holds the index or the disk refuses."""
        removed = list(removed)
        # A file name with an undecodable byte (kept as a surrogate) cannot be stored in
        # SQLite's UTF-8: such a file is simply parsed on every run.
        changed = {rel: row for rel, row in changed.items() if _storable(rel, row.payload)}
        if not changed and not removed and not self.foreign:
            return
        try:
            with self._transaction() as db:
                if self.foreign:
                    db.execute("DELETE FROM files")
                    db.executemany(
                        "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)",
                        self.expected.items(),
                    )
                    self.foreign = False
                db.executemany("DELETE FROM files WHERE rel = ?", [(r,) for r in removed])
                db.executemany(
                    f"INSERT OR REPLACE INTO files ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            rel,
                            *row.key,
                            row.sha256,
                            row.checked_ns,
                            row.payload,
                            row.record_id,
                            row.digest(rel),
                        )
                        for rel, row in changed.items()
                    ],
                )
        except sqlite3.Error:
            pass

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self.connection
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def _harden(connection: sqlite3.Connection) -> None:
    """Tell SQLite to run nothing the file itself defines, and to check what it reads.

    The schema is compared with the tool's own before any table is read (`Index.open`);
    this is the second line: no view, trigger or function from the file runs.
    """
    setconfig = getattr(connection, "setconfig", None)  # Python 3.12 and later
    if setconfig is not None:
        for name, value in (
            ("SQLITE_DBCONFIG_ENABLE_TRIGGER", False),
            ("SQLITE_DBCONFIG_ENABLE_VIEW", False),
            ("SQLITE_DBCONFIG_TRUSTED_SCHEMA", False),
            ("SQLITE_DBCONFIG_DEFENSIVE", True),
        ):
            option = getattr(sqlite3, name, None)
            if option is not None:
                setconfig(option, value)
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA cell_size_check = ON")


def _schema(connection: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Every object the file defines, as SQLite lists it (reading it runs none of them)."""
    return sorted(
        connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"),
        key=repr,
    )


_expected: list[tuple[Any, ...]] = []


def _expected_schema() -> list[tuple[Any, ...]]:
    """What `_SCHEMA` makes, as SQLite lists it: the only schema an index may have."""
    if not _expected:
        with contextlib.closing(sqlite3.connect(":memory:")) as db:
            db.executescript(_SCHEMA)
            _expected.extend(_schema(db))
    return _expected


def _storable(*texts: str | None) -> bool:
    try:
        for text in texts:
            if text is not None:
                text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.unlink(f"{path}{suffix}")


def encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def decode(payload: str) -> Any:
    return json.loads(payload)
