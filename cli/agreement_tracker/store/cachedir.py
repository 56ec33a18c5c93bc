"""The user's cache folder, and what older versions left in it.

Light on purpose: the console script calls `remove_old_caches` before every
command, `--help` included.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

CACHE_ENV = "AGREEMENTS_CACHE_DIR"


def cache_folder() -> Path:
    """$AGREEMENTS_CACHE_DIR, else $XDG_CACHE_HOME/agreements, else ~/.cache/agreements."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "agreements"


def remove_old_caches() -> None:
    """Delete what versions before the index left in the user's cache folder.

    Their output cache stored whole environments in plain text (`output/`),
    and their parse cache trusted any file in a folder others could write.
    """
    folder = cache_folder()
    try:
        if os.lstat(folder).st_uid != os.geteuid():
            return
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.name == "output" and entry.is_dir(follow_symlinks=False):
                import shutil

                shutil.rmtree(entry.path, ignore_errors=True)
            elif entry.name.endswith((".records.json", ".registries.json")):
                os.unlink(entry.path)
