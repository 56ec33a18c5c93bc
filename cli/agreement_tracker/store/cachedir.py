"""The user's cache folder, the tool's private folder inside it, and what older versions left.

What older versions left is removed once, when this version first makes its own
folder (the first command that uses the index), not at every start.

The folder the user names (`$AGREEMENTS_CACHE_DIR`, which may be a shared
folder such as /tmp) is never changed: not its mode, not its files. The tool
keeps its files in a folder of its own inside it, `agreements-<uid>`, which it
makes 0700 and uses only while it is a real folder of the user's that nobody
else can write, in a path nobody else can rearrange.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat

CACHE_ENV = "AGREEMENTS_CACHE_DIR"


def cache_folder() -> str:
    """$AGREEMENTS_CACHE_DIR, else $XDG_CACHE_HOME/agreements, else ~/.cache/agreements.

    A string, not a Path: every command, `--help` included, asks for it, and pathlib
    costs 3 ms to import.
    """
    if os.environ.get(CACHE_ENV):
        return os.environ[CACHE_ENV]
    return _default_folder()


def _default_folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "agreements")


def private_folder() -> str | None:
    """The tool's own folder in the cache folder, made 0700 if missing; None if there is no
    safe one (a command is then slower, never wrong).

    Not used: a folder that is a link, is another user's, or that the group or others can
    write; and any folder in a path someone else could rename (see `_safe_path`). Such a
    folder is left as it is: the tool did not make it.
    """
    try:
        base = cache_folder()
        os.makedirs(base, exist_ok=True)  # made if missing, as it is; never changed
        base = os.path.realpath(base)
        if not _safe_path(base):
            return None
        folder = os.path.join(base, f"agreements-{os.geteuid()}")
        try:
            os.mkdir(folder, 0o700)
            os.chmod(folder, 0o700)  # ours, just made: whatever the umask left
            # The first run of a version with this folder: what older versions left goes,
            # once, not at every start.
            remove_old_caches()
        except FileExistsError:
            pass
        st = os.lstat(folder)
    except (OSError, ValueError):
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
        return None
    return folder


def _safe_path(folder: str) -> bool:
    """Whether only the user (or root) can rename anything on the way to `folder`.

    Each folder from the root down must be the user's or root's, and writable by the group
    or others only with the sticky bit (as /tmp is), which stops them renaming what is not
    theirs. `folder` has its links resolved.
    """
    uid = os.geteuid()
    path = folder
    while True:
        st = os.lstat(path)
        if st.st_uid not in (uid, 0):
            return False
        if st.st_mode & 0o022 and not st.st_mode & stat.S_ISVTX:
            return False
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


# What versions before the index wrote, by name: nothing else is ever deleted. The first
# index kept a shipped register's index in the cache folder itself. Compiled only when
# they are looked for (once, when the tool's folder is made), not at every start.
_OLD_OUTPUT = r"^(?:[0-9a-f]{16}\.txt|\.cache\..*\.tmp)$"
_OLD_PARSE = (
    r"^(?:[0-9a-f]{24}\.(?:records|registries)\.json|\.cache\..*\.tmp"
    r"|index-[0-9a-f]{16}\.sqlite(?:-journal)?)$"
)


def remove_old_caches() -> None:
    """Delete what older versions left in the tool's own cache folder.

    Their output cache stored whole environments in plain text (`output/`), and
    their parse cache trusted any file in a folder others could write. Only
    files named as those caches named theirs are removed, and only from the
    default folder (`$XDG_CACHE_HOME/agreements`, `~/.cache/agreements`) while it
    is the user's and closed to others: never from a folder `$AGREEMENTS_CACHE_DIR`
    names, which may be shared or hold the user's own files.
    """
    if os.environ.get(CACHE_ENV):
        return
    folder = _default_folder()
    try:
        st = os.lstat(folder)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
            return
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.name == "output" and entry.is_dir(follow_symlinks=False):
                _remove_matching(entry.path, re.compile(_OLD_OUTPUT))
                os.rmdir(entry.path)  # only if nothing else is left in it
            elif entry.is_file(follow_symlinks=False) and re.match(_OLD_PARSE, entry.name):
                os.unlink(entry.path)


def _remove_matching(folder: str, pattern: re.Pattern[str]) -> None:
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and pattern.match(entry.name):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
