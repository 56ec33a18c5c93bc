"""A cache of parsed register files, so large registers load in a fraction of the time.

Each file's parsed data is stored under its stat key (size, mtime, ctime,
inode): any edit, addition or removal changes or drops a key, so the cache
never serves stale data. It lives in the user's cache folder, never in the
register, so the register's files stay exactly as the curator left them. A
cache file that is corrupt, from another version or for another register is
ignored and rebuilt. Files modified in the last two seconds are not cached,
since a second edit within the file system's timestamp granularity could
keep the same key ("racy git").
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from agreement_tracker import __version__, filestate
from agreement_tracker.filestate import Key

FORMAT = 1


def _group(rel: str) -> str:
    """Records and registries are cached apart, so a one-record command reads the small part."""
    if rel.startswith("agreements/") and not rel.startswith("agreements/registry/"):
        return "records"
    return "registries"


class ParseCache:
    """Parsed data per register-relative file, valid while the file's stat key holds."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stem = hashlib.sha256(str(root).encode()).hexdigest()[:24]
        self.groups: dict[str, dict[str, tuple[Key, Any]]] = {}
        self.seen: set[str] = set()
        self.changed: set[str] = set()

    def path(self, group: str) -> Path:
        return Path(filestate.cache_folder()) / f"{self.stem}.{group}.json"

    def _entries(self, group: str) -> dict[str, tuple[Key, Any]]:
        if group not in self.groups:
            self.groups[group] = self._read(group)
        return self.groups[group]

    def _read(self, group: str) -> dict[str, tuple[Key, Any]]:
        try:
            raw = json.loads(self.path(group).read_bytes())
        except (OSError, ValueError, RecursionError):
            return {}  # missing, unreadable or corrupt: start afresh
        if (
            not isinstance(raw, dict)
            or raw.get("format") != FORMAT
            or raw.get("version") != __version__
            or raw.get("root") != str(self.root)
            or not isinstance(raw.get("files"), dict)
        ):
            return {}  # another version's or another register's: ignore it
        entries = {}
        for rel, entry in raw["files"].items():
            if (
                isinstance(entry, list)
                and len(entry) == 2
                and isinstance(entry[0], list)
                and len(entry[0]) == 4
                and all(isinstance(n, int) for n in entry[0])
            ):
                entries[rel] = (entry[0], entry[1])
        return entries

    def get(self, rel: str, key: Key | None) -> tuple[bool, Any]:
        """(True, data) when `rel` is cached under exactly this key."""
        self.seen.add(rel)
        entry = self._entries(_group(rel)).get(rel)
        if key is not None and entry is not None and entry[0] == key:
            return True, entry[1]
        return False, None

    def put(self, rel: str, key: Key | None, data: Any) -> None:
        """Remember a clean parse, unless the file was modified too recently to trust its key."""
        self.seen.add(rel)
        group = _group(rel)
        entries = self._entries(group)
        if key is None or filestate.too_recent(key):
            if entries.pop(rel, None) is not None:
                self.changed.add(group)
            return
        entries[rel] = (key, data)
        self.changed.add(group)

    def save(self) -> None:
        """Write what changed; entries of files gone from the register are dropped.

        A cache that cannot be written is simply not kept.
        """
        for group, entries in self.groups.items():
            gone = set(entries) - self.seen
            for rel in gone:
                del entries[rel]
            if group in self.changed or gone:
                self._write(group, entries)

    def _write(self, group: str, entries: dict[str, tuple[Key, Any]]) -> None:
        payload = {
            "format": FORMAT,
            "version": __version__,
            "root": str(self.root),
            "files": {rel: [key, data] for rel, (key, data) in entries.items()},
        }
        encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
        filestate.write_cache_file(str(self.path(group)), encoder.iterencode(payload))
