"""The user's cache folder, and what older versions left in it.

Light on purpose: the console script calls `remove_old_caches` before every
command, `--help` included.
"""

from __future__ import annotations

import contextlib
import os
import re

CACHE_ENV = "AGREEMENTS_CACHE_DIR"


def cache_folder() -> str:
    """$AGREEMENTS_CACHE_DIR, else $XDG_CACHE_HOME/agreements, else ~/.cache/agreements.

    A string, not a Path: every command, `--help` included, asks for it, and pathlib
    costs 3 ms to import.
    """
    if os.environ.get(CACHE_ENV):
        return os.environ[CACHE_ENV]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "agreements")


# What versions before the index wrote, by name: nothing else is ever deleted, even in a
# folder $AGREEMENTS_CACHE_DIR points at that holds files of the user's own.
_OLD_OUTPUT = re.compile(r"^(?:[0-9a-f]{16}\.txt|\.cache\..*\.tmp)$")
_OLD_PARSE = re.compile(r"^(?:[0-9a-f]{24}\.(?:records|registries)\.json|\.cache\..*\.tmp)$")


def remove_old_caches() -> None:
    """Delete what versions before the index left in the user's cache folder.

    Their output cache stored whole environments in plain text (`output/`), and
    their parse cache trusted any file in a folder others could write. Only
    files named as those caches named theirs are removed.
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
                _remove_matching(entry.path, _OLD_OUTPUT)
                os.rmdir(entry.path)  # only if nothing else is left in it
            elif entry.is_file(follow_symlinks=False) and _OLD_PARSE.match(entry.name):
                os.unlink(entry.path)


def _remove_matching(folder: str, pattern: re.Pattern[str]) -> None:
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and pattern.match(entry.name):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
