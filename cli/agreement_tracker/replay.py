"""Replay what a read-only command printed last time, when nothing it depends on changed.

`agreements list` on the shipped register spends ~300 ms importing click, rich
and pydantic to print the same few kilobytes as the last time it ran. Its
output is a function of the arguments, the environment, the terminal, today's
date, the register's files and the code; this module stores the output under
all of them and prints it again without importing any of that. When it cannot
vouch for a stored output, the command simply runs.

Staleness rules:
- the key holds the arguments, the environment (all of it but the shell's
  OLDPWD and `_`), the working folder, today's date, whether stdin/stdout/
  stderr are terminals and their sizes, the Python build and the tool's
  version, and the register the command would read;
- every file and folder under the register's agreements/ and seeds/ is stat'ed
  on every replay (size, mtime, ctime, inode: a folder's change when an entry
  is added, removed or renamed), and so is every module file the command
  imported, so an edit, an upgrade or an editable checkout's change is seen;
- an output is stored only when the command exited 0, wrote nothing to stderr,
  wrote to stdout only as text and at most MAX_OUTPUT characters, nothing it
  depends on changed while it ran, and nothing was modified within the racy
  window (see `filestate.too_recent`).
"""

from __future__ import annotations

import os
import sys
import time
import zlib

from agreement_tracker import __version__
from agreement_tracker.filestate import Key, cache_folder, stat_key, too_recent, write_cache_file

# Not `typing.TYPE_CHECKING`: importing typing would cost a replay more than it prints.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO

FORMAT = "agreements output cache 1"
DISABLE_ENV = "AGREEMENTS_OUTPUT_CACHE"
MAX_OUTPUT = 8 << 20  # characters: 10,000 records listed as a table are 7 million
KEEP_ENTRIES = 200
KEEP_BYTES = 64 << 20  # the folder's size after pruning, the newest entry always kept
FOLDER = "output"

# Commands whose output depends only on what the key and the snapshot cover.
READ_ONLY = frozenset({"list", "show", "orgs", "sectors", "timeline", "report", "schema"})
# Options of those commands that also write a file, which a replay would not do.
WRITES_FILES = ("--svg", "--html")
# Shell bookkeeping that nothing here reads; `cd` changes OLDPWD, and with it every key.
IGNORED_ENV = frozenset({"OLDPWD", "_"})
# Whole command lines that read no register at all.
NO_REGISTER = (["--help"], ["-h"], ["--version"])

Snapshot = list[tuple[str, Key | None]]


def command_line(argv: list[str]) -> tuple[str | None, str | None]:
    """The command name and the --register value, read as click reads them."""
    register = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--register":
            if i + 1 >= len(argv):
                return None, None
            register = argv[i + 1]
            i += 2
        elif arg.startswith("--register="):
            register = arg.partition("=")[2]
            i += 1
        else:
            return arg, register
    return None, register


def register_snapshot(root: str) -> Snapshot | None:
    """Every file and folder under agreements/ and seeds/ with its stat key.

    None when a folder in there is a link: what lies behind it could change
    without anything here changing.
    """
    from agreement_tracker.location import RECORDS_DIR, SEEDS_DIR

    entries: Snapshot = []
    for top in (RECORDS_DIR, SEEDS_DIR):
        pending = [top]
        while pending:
            rel = pending.pop()
            folder = os.path.join(root, rel)
            entries.append((rel, stat_key(folder)))
            try:
                names = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue  # missing or unreadable: its stat key (None) says so
            for entry in names:
                path = f"{rel}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                elif entry.is_symlink() and entry.is_dir():
                    return None
                else:
                    entries.append((path, stat_key(entry.path)))
    return entries


def _terminal() -> tuple[object, ...]:
    """Which of stdin/stdout/stderr are terminals, and how big: rich and click both ask."""
    seen: list[object] = []
    for fd in (0, 1, 2):
        try:
            seen.append(tuple(os.get_terminal_size(fd)) if os.isatty(fd) else None)
        except OSError:
            seen.append(None)
    return tuple(seen)


class Replay:
    """One command line's stored output: find it, check it, print it, or record it."""

    def __init__(self, key: str, root: str | None) -> None:
        self.key = key
        self.root = root
        digest = zlib.crc32(key.encode("utf-8", "surrogatepass"))
        second = zlib.adler32(key.encode("utf-8", "surrogatepass"))
        self.path = os.path.join(cache_folder(), FOLDER, f"{digest:08x}{second:08x}.txt")

    @classmethod
    def prepare(cls, argv: list[str]) -> Replay | None:
        """A Replay for a command line whose output may be stored, else None."""
        if os.environ.get(DISABLE_ENV, "").lower() in {"off", "0", "no", "false"}:
            return None
        root = origin = None
        if argv not in NO_REGISTER:
            command, option = command_line(argv)
            if command not in READ_ONLY or any(a.startswith(WRITES_FILES) for a in argv):
                return None
            from agreement_tracker.errors import AgreementsError
            from agreement_tracker.location import locate

            try:
                location = locate(option)
            except (AgreementsError, OSError, ValueError, RuntimeError):
                return None  # the command will say what is wrong
            root, origin = str(location.root), location.origin
        try:
            cwd = os.getcwd()
        except OSError:
            return None
        key = repr(
            (
                FORMAT,
                __version__,
                sys.version,
                sys.executable,
                cwd,
                time.localtime()[:3],
                _terminal(),
                root,
                origin,
                tuple(argv),
                tuple(sorted(i for i in os.environ.items() if i[0] not in IGNORED_ENV)),
            )
        )
        return cls(key, root)

    # --- replaying -----------------------------------------------------------

    def stored(self) -> str | None:
        """The stored output, if it exists and everything it depends on is unchanged."""
        try:
            with open(self.path, encoding="utf-8", errors="surrogatepass") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError, ValueError):
            return None
        first = text.find("\n")
        second = text.find("\n", first + 1)
        try:
            lengths = [int(n) for n in text[first + 1 : second].split()]
        except ValueError:
            return None
        if first < 0 or second < 0 or text[:first] != FORMAT or len(lengths) != 3:
            return None  # not an entry, or another version's
        if min(lengths) < 0:
            return None
        key_end = second + 1 + lengths[0]
        paths_end = key_end + lengths[1]
        deps_end = paths_end + lengths[2]
        if deps_end > len(text) or text[second + 1 : key_end] != self.key:
            return None  # cut short, or another command line sharing the file name
        code_files = text[key_end:paths_end].split("\0") if lengths[1] else []
        if text[paths_end:deps_end] != self._dependencies(code_files):
            return None
        return text[deps_end:]

    # --- recording -----------------------------------------------------------

    def record(self, run: Callable[[], None]) -> None:
        """Run the command, passing its output through; store it if it may be replayed."""
        before = self.register_state()
        out, err = _Tee(sys.stdout), _Tee(sys.stderr)
        sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
        code: object = 1
        try:
            run()
            code = 0
        except SystemExit as exc:
            code = 0 if exc.code is None else exc.code
            raise
        finally:
            sys.stdout, sys.stderr = out.stream, err.stream
            if code == 0 and out.usable and err.usable and err.size == 0:
                self._store(out.parts, before)

    def register_state(self) -> Snapshot | None:
        return register_snapshot(self.root) if self.root is not None else []

    def _dependencies(self, code_files: list[str]) -> str | None:
        """The stat keys of the register and of the code now, as one comparable string."""
        register = self.register_state()
        if register is None:
            return None
        return repr((register, [(path, stat_key(path)) for path in code_files]))

    def _store(self, output: list[str], before: Snapshot | None) -> None:
        """Write the entry atomically; a cache that cannot be written is simply not kept."""
        after = self.register_state()
        if before is None or after != before:
            return  # something changed while the command ran
        code_files = _code_files()
        code = [(path, stat_key(path)) for path in code_files]
        if any(key is None or too_recent(key) for _, key in after + code):
            return
        deps = repr((after, code))
        paths = "\0".join(code_files)
        head = f"{FORMAT}\n{len(self.key)} {len(paths)} {len(deps)}\n{self.key}{paths}{deps}"
        if write_cache_file(self.path, [head, *output]):
            _prune(os.path.dirname(self.path))


def _code_files() -> list[str]:
    """The files of every module imported from outside the standard library, sorted.

    Installed packages may live below the standard library's folder (a system
    install's site-packages), so their folders are kept explicitly.
    """
    import site
    import sysconfig

    stdlib = os.path.join(os.path.dirname(os.__file__), "")
    installed = tuple(
        os.path.join(folder, "")
        for folder in (
            sysconfig.get_paths()["purelib"],
            sysconfig.get_paths()["platlib"],
            site.getusersitepackages(),
        )
    )
    files = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and (not path.startswith(stdlib) or path.startswith(installed)):
            files.add(path)
    return sorted(files)


def _prune(folder: str) -> None:
    """Keep the newest entries, at most KEEP_ENTRIES and KEEP_BYTES: old dates pile up."""
    try:
        found = []
        for entry in os.scandir(folder):
            if entry.name.endswith(".txt"):
                st = entry.stat()
                found.append((st.st_mtime_ns, st.st_size, entry.path))
        total = 0
        for number, (_, size, path) in enumerate(sorted(found, reverse=True)):
            total += size
            if number and (number >= KEEP_ENTRIES or total > KEEP_BYTES):
                os.unlink(path)
    except OSError:
        pass


class _Tee:
    """A text stream that passes everything through and keeps a copy.

    Anything that goes around the text layer (the binary buffer, the file
    descriptor) or fails makes the copy unusable: it would not be the whole output.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.parts: list[str] = []
        self.size = 0
        self.usable = True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            # click probes for a binary stream with write(b""); the text layer refuses it.
            return self.stream.write(text)
        try:
            written = self.stream.write(text)
        except BaseException:
            self.usable = False
            raise
        if self.usable and text:
            self.size += len(text)
            if self.size > MAX_OUTPUT:
                self.usable = False
                self.parts.clear()
            else:
                self.parts.append(text)
        return written

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BaseException:
            self.usable = False
            raise

    @property
    def buffer(self) -> object:
        self.usable = False
        return self.stream.buffer

    def fileno(self) -> int:
        self.usable = False
        return self.stream.fileno()

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)
