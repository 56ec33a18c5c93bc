"""Putting a change on disk: the register's lock, the atomic replace, the output rule.

Writes hold the register's lock and replace the file atomically (a temporary
file in the same folder, fsync, os.replace), so concurrent writers queue and a
killed process leaves the old file or the new one, never half of one. What a
register file's new text is comes from `store.splice`, which is imported only
by the writes that change YAML: a report or an export written here needs no
PyYAML.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agreement_tracker.errors import WriteRefused

if TYPE_CHECKING:
    from agreement_tracker.store.splice import Change

LOCK_FILE = ".agreements.lock"
LOCK_TIMEOUT = 30.0


# --- locking and replacing ------------------------------------------------------------


@contextmanager
def locked(root: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the register's write lock.

    The lock is an OS lock (flock) on `.agreements.lock`: the kernel drops it
    when its process dies, so a lock file left by a killed process is reused,
    never waited on.
    """
    from filelock import FileLock, Timeout

    path = root / LOCK_FILE
    _check_lock_file(path)
    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise WriteRefused(
            f"another `agreements` command has held the lock {path} for {timeout:.0f} s; "
            "nothing was written: run again when it has finished"
        ) from None
    except OSError as exc:
        raise WriteRefused(os_problem(exc, path)) from None
    try:
        remove_leftovers(root)
        yield
    finally:
        lock.release()


def _check_lock_file(path: Path) -> None:
    """The lock file must be a plain file of its own (or not yet made). A pull request can
    carry `.agreements.lock` as a link or a hard link to a record, and filelock 3.x (which
    pyproject allows) opens it with O_TRUNC, following a link: the record would be emptied."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise WriteRefused(os_problem(exc, path)) from None
    if stat.S_ISREG(st.st_mode) and st.st_nlink == 1:
        return
    kind = _KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
    problem = kind if not stat.S_ISREG(st.st_mode) else f"a file with {st.st_nlink} hard links"
    raise WriteRefused(
        f"{path} is {problem}: the write lock must be a plain file of its own, so nothing "
        f"was written; remove it (rm {path}) and run again: the tool makes a new one"
    )


# What replace_atomically's temporary files are called: `.NAME.` + mkstemp's eight
# characters + `.tmp`. Nothing else is ever removed.
_LEFTOVER = re.compile(r"\.(.+)\.[a-z0-9_]{8}\.tmp")


def remove_leftovers(root: Path) -> None:
    """Remove the temporary files a writer killed mid-write (SIGKILL, power loss) left.

    Called under the lock, when no other writer of ours can have one open. Only the
    folders writers write are looked at, and only regular files of the user's, named
    exactly as replace_atomically names them: never a link, a folder or another's file.
    A file that cannot be removed stays; the write goes on.
    """
    from agreement_tracker.store.location import RECORDS_DIR, REGISTRY_DIR, SEEDS_DIR

    uid = os.geteuid()
    for folder in (RECORDS_DIR, REGISTRY_DIR, SEEDS_DIR):
        with suppress(OSError), os.scandir(root / folder) as entries:
            for entry in entries:
                if not entry.name.startswith(".") or not _LEFTOVER.fullmatch(entry.name):
                    continue
                with suppress(OSError):
                    st = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(st.st_mode) and st.st_uid == uid and st.st_nlink == 1:
                        os.unlink(entry.path)


SHIPPED_IS_READ_ONLY = (
    "the register shipped with the tool is read-only. Start a register of your own "
    "with `agreements init DIR --from-shipped` (a copy of this one) or `agreements init DIR` "
    "(an empty one), then run commands inside DIR or with --register DIR"
)


def ensure_own_register(read_only: bool) -> None:
    """Every writing command refuses the shipped register, with the same way out."""
    if read_only:
        raise WriteRefused(SHIPPED_IS_READ_ONLY)


def add_entry(
    root: Path,
    rel: str,
    key: str,
    entry: dict[str, Any],
    *,
    dry_run: bool = False,
    first: tuple[Path, bytes] | None = None,
    check: Callable[[str], object] | None = None,
) -> Change:
    """Append `entry` to the list `key` of the register file `rel`, under the lock.

    The file is read under the lock, so concurrent writers each add to what
    the one before wrote; `check` sees that text first and may refuse.
    `first` is a file written before the append (a source text before its
    manifest entry) and removed again if the append fails, so neither stands
    without the other. A dry run computes the change and writes nothing, not
    even the lock file.
    """
    from agreement_tracker.store.files import read_text
    from agreement_tracker.store.splice import append_entry

    path = root / rel
    ensure_writable(path, rel)
    with nullcontext() if dry_run else locked(root):
        text = read_text(path, rel)
        if check is not None:
            check(text)
        change = append_entry(text, rel, key, entry)
        if dry_run:
            return change
        if first is not None:
            replace_atomically(*first, root)
        try:
            replace_atomically(path, change.new.encode("utf-8"), root)
        except BaseException:
            if first is not None:
                first[0].unlink(missing_ok=True)
            raise
    return change


def change_item(
    root: Path,
    rel: str,
    key: str,
    index: int,
    entry: dict[str, Any] | None,
    *,
    check: Callable[[str], object] | None = None,
) -> Change:
    """Replace (or, with `entry` None, remove) item `index` of the list `key` of the
    register file `rel`, under the lock; `check` sees the text under the lock first."""
    from agreement_tracker.store.splice import replace_item

    def change_of(text: str) -> Change:
        if check is not None:
            check(text)
        return replace_item(text, rel, key, index, entry)

    return rewrite(root, rel, change_of)


def rewrite(
    root: Path, rel: str, change_of: Callable[[str], Change], *, dry_run: bool = False
) -> Change:
    """Change the register file `rel` as `change_of` computes from its text under the lock
    (lock, read, compute, atomic replace); a dry run reads the file, computes the change and
    writes nothing, not even the lock file."""
    from agreement_tracker.store.files import read_text

    path = root / rel
    ensure_writable(path, rel)
    with nullcontext() if dry_run else locked(root):
        change = change_of(read_text(path, rel))
        if not dry_run:
            replace_atomically(path, change.new.encode("utf-8"), root)
    return change


def ensure_writable(path: Path, rel: str) -> None:
    """Refuse a file or folder its owner marked read-only (a file not yet made: its folder).

    The mode bits are read rather than os.access asked, because root may write
    anything: a curator who made a record read-only meant it for everyone.
    """
    targets = [(path, rel), (path.parent, str(Path(rel).parent))]
    for target, name in targets if path.exists() else targets[1:]:
        try:
            mode = target.stat().st_mode
        except OSError as exc:
            raise WriteRefused(os_problem(exc, target)) from None
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise WriteRefused(
                f"{name} is read-only, so nothing was written: make it writable "
                f"(chmod u+w {name}) if it should change"
            )


# --- files written outside the records: reports and exports --------------------------

# The register's own places. Nothing but the writers of records writes there: an output
# there would replace a record, a source, git's data (a hook runs code) or the index.
_OWN_FOLDERS = (".git", "agreements", "seeds", ".agreements")

_KINDS = {
    stat.S_IFLNK: "a link",
    stat.S_IFDIR: "a folder",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
}


def ensure_output_target(root: Path, target: str | Path, what: str) -> Path:
    """Where a report or an export may go, checked before anything is built or opened.

    The one rule for every file the tool writes outside a record (`write_output`
    applies it again just before writing): never through a link (even a dangling
    one), never over a device, FIFO, socket or a file with other hard links, never
    inside the register's `.git/`, records, sources or index, whatever path or
    linked folder leads there, and not over a file or into a folder marked
    read-only. Only `lstat` is used, so a FIFO is never opened and cannot hang the
    command. Returns the file's path in its real folder, where it is written.
    """
    path = Path(target)
    name = str(target)
    if path.name in ("", ".", ".."):
        raise WriteRefused(f"{name} is a folder: give a file name, e.g. {name.rstrip('/')}/out")
    _refuse_special(path, name, what)
    try:
        folder = Path(os.path.realpath(path.parent, strict=True))
    except (OSError, RuntimeError) as exc:
        raise WriteRefused(
            f"cannot write {name}: its folder {path.parent} does not exist or cannot be "
            f"reached ({getattr(exc, 'strerror', None) or exc}); nothing was written: make "
            "the folder first or give another name"
        ) from None
    if not folder.is_dir():
        raise WriteRefused(
            f"cannot write {name}: {path.parent} is not a folder; nothing was written"
        )
    _refuse_own_places(root, [Path(os.path.abspath(path)), folder / path.name], name, what)
    ensure_writable(path, name)
    return folder / path.name


def _refuse_special(path: Path, name: str, what: str) -> os.stat_result | None:
    """Refuse anything but a missing name or a plain file of its own (lstat: no link is
    followed and nothing is opened); the plain file's status, None for a new name."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteRefused(f"cannot write {name}: {exc.strerror}; nothing was written") from None
    kind = _KINDS.get(stat.S_IFMT(st.st_mode))
    if stat.S_ISLNK(st.st_mode):
        raise WriteRefused(
            f"{name} is a link (to {os.readlink(path)}): {what} is never written through a "
            f"link, so nothing was written; remove the link first (rm {name}) or give "
            "another name"
        )
    if kind is not None or not stat.S_ISREG(st.st_mode):
        raise WriteRefused(
            f"{name} is {kind or 'not a regular file'}: {what} is written only to a new or "
            "ordinary file, so nothing was written; give another name"
        )
    if st.st_nlink > 1:
        raise WriteRefused(
            f"{name} has {st.st_nlink} hard links: writing {what} there would change or "
            f"split another name's file, so nothing was written; give another name, or "
            f"remove this one first (rm {name}; the other names keep their file)"
        )
    return st


def _refuse_own_places(root: Path, candidates: list[Path], name: str, what: str) -> None:
    """Refuse a file inside the register's own folders or its lock file, as given and as
    its real folder says (a linked folder cannot lead there)."""
    places = [(folder + "/", root / folder) for folder in _OWN_FOLDERS]
    places.append((f"lock file {LOCK_FILE}", root / LOCK_FILE))
    for label, place in places:
        for base in {Path(os.path.abspath(place)), Path(os.path.realpath(place))}:
            if any(c == base or c.is_relative_to(base) for c in candidates):
                raise WriteRefused(
                    f"{name} is inside the register's {label}: {what} is never written over "
                    "the register's records, sources, git data, index or lock, so nothing "
                    "was written; choose a file outside them (e.g. in the register's top "
                    "folder or elsewhere)"
                )


def write_output(root: Path, target: str | Path, data: bytes, what: str) -> None:
    """Write a report or an export under the one rule (`ensure_output_target`), atomically
    and without following a link: a temporary file beside it (O_EXCL), fsync, then
    os.replace onto the name, which is checked once more just before the replace."""
    name = str(target)
    path = ensure_output_target(root, target, what)
    old = _refuse_special(path, name, what)
    _replace_with(path, data, old, Path(target), lambda: _refuse_special(path, name, what))


def replace_atomically(path: Path, data: bytes, root: Path | None = None) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a mix.

    A file that is a link is written through to its target (which must be inside
    `root`, the register), so the link stays a link; the new file keeps the old
    one's mode, and its owner and group where the user may set them. A file with
    hard links is refused: a new file in its place would split them.
    """
    # Over a file-size limit the write fails with EFBIG and is cleaned up below:
    # CPython ignores SIGXFSZ from start-up, so the kernel does not kill us.
    path = _through_link(path, root)
    try:
        old: os.stat_result | None = path.stat()
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise WriteRefused(os_problem(exc, path)) from None
    if old is not None and old.st_nlink > 1:
        raise WriteRefused(
            f"{path.name} has {old.st_nlink} hard links: writing it would split them, so "
            f"nothing was written; make it a file of its own first (cp {path.name} copy && "
            f"mv copy {path.name})"
        )
    _replace_with(path, data, old, path)


def _replace_with(
    path: Path,
    data: bytes,
    old: os.stat_result | None,
    shown: Path,
    recheck: Callable[[], object] | None = None,
) -> None:
    """The one atomic write: a temporary file beside `path` (O_EXCL) with the old file's
    mode, and owner where permitted, fsynced, `recheck` run, then renamed onto `path`.
    Any failure removes the temporary file and is a WriteRefused naming `shown`."""
    mode = stat.S_IMODE(old.st_mode) if old is not None else 0o644
    import tempfile  # shutil, random, bz2 and lzma with it: only where a file is written

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            if old is not None and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                with suppress(PermissionError):  # where permitted: root, or a group of one's own
                    os.fchown(handle.fileno(), old.st_uid, old.st_gid)
            os.fsync(handle.fileno())
        if recheck is not None:
            recheck()  # e.g. a link or FIFO put in its place while we wrote
        os.replace(tmp, path)
        tmp = None
        _fsync_folder(path.parent)
    except OSError as exc:
        raise WriteRefused(os_problem(exc, shown)) from None
    finally:
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)


def _through_link(path: Path, root: Path | None) -> Path:
    """The file a link leads to, if it stays inside the register; `path` itself otherwise."""
    if not path.is_symlink():
        return path
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise WriteRefused(
            f"{path.name} is a link that leads nowhere ({exc}): nothing was written"
        ) from None
    if root is not None and not target.is_relative_to(root.resolve()):
        raise WriteRefused(
            f"{path.name} links to {target}, outside the register: nothing was written"
        )
    return target


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder is synced (not possible on Windows).
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def os_problem(exc: OSError, path: Path) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return (
            f"cannot write {path}: the disk is full or a file-size limit was reached; "
            "nothing was changed: free some space and run again"
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"cannot write in {path.parent}: {exc.strerror}; nothing was changed: "
            "check the folder's permissions, or work on a copy (`agreements init DIR "
            "--from-shipped`)"
        )
    return f"cannot write {path}: {exc.strerror}; nothing was changed"
