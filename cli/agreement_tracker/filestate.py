"""What identifies one version of a file, and where the caches keyed by it live.

Shared by the parse cache and the output cache, and light (no pathlib) because
the output cache runs before anything else is imported.
"""

from __future__ import annotations

import os
import time

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


def too_recent(key: Key, now_ns: int | None = None) -> bool:
    """Whether the file changed within the racy window, so its key cannot be trusted yet."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    return now_ns - key[1] < RACY_SECONDS * 1e9
