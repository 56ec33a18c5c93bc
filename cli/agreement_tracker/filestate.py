"""What identifies one version of a file, and where the caches keyed by it live.

Shared by the parse cache and the output cache, and light (no pathlib) because
the output cache runs before anything else is imported.
"""

from __future__ import annotations

import contextlib
import os
import time

# Not `typing.TYPE_CHECKING`: the output cache's start-up must not import typing.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

CACHE_ENV = "AGREEMENTS_CACHE_DIR"

# A file modified this recently may be modified again within the file system's
# timestamp granularity and keep the same key ("racy git"): it is not cached.
RACY_SECONDS = 2.0

Key = list[int]


def cache_folder() -> str:
    """$AGREEMENTS_CACHE_DIR, else $XDG_CACHE_HOME/agreements, else ~/.cache/agreements."""
    if os.environ.get(CACHE_ENV):
        return os.environ[CACHE_ENV]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "agreements")


def stat_key(path: str | os.PathLike[str]) -> Key | None:
    """Size, mtime, ctime and inode, links followed; None when it cannot be stat'ed.

    An edit changes mtime or size; a replacement (editors, os.replace) changes
    the inode; a restored timestamp (touch -d, rsync -t) still changes ctime.
    """
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def too_recent(key: Key) -> bool:
    """Whether the file changed within the racy window, so its key cannot be trusted yet."""
    return time.time_ns() - key[1] < RACY_SECONDS * 1e9


def write_cache_file(path: str, chunks: Iterable[str]) -> bool:
    """Write a cache file that readers see whole or not at all; False if it could not be.

    Caches are best effort: a full disk, a read-only folder or data that cannot
    be encoded leaves the old file (or none), never half a file.
    """
    import tempfile

    folder = os.path.dirname(path)
    tmp = None
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".cache.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogatepass") as handle:
            handle.writelines(chunks)
        os.replace(tmp, path)
        return True
    except (OSError, ValueError, TypeError):
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
