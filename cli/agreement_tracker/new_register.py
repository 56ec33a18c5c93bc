"""Starting a register: `agreements init`, empty or as a copy of the shipped one.

A new register is built in a temporary folder beside its destination and
renamed into place, so an interrupted init leaves no half-made register.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from agreement_tracker.errors import BadArgument, WriteRefused
from agreement_tracker.store.location import RECORDS_DIR, REGISTRY_DIR, SEEDS_DIR, shipped_root
from agreement_tracker.store.write import LOCK_FILE, os_problem

# Registries a new register starts from: they describe the field, not a visit.
SHARED_REGISTRIES = (
    "organisations.yaml",
    "sectors.yaml",
    "kinds.yaml",
    "statuses.yaml",
    "countries.yaml",
)

SCHEMA_FILE = "agreement.schema.json"

EMPTY_OCCASIONS = """\
# Visits and events on which documents were signed; records name one in `occasion`.
# Every fact here (start, end, place) is grounded in the quotes under `evidence`.
occasions: []
"""

EMPTY_MANIFEST = """\
# The source texts in this folder, byte for byte as published, with what each
# text itself says about its title, publisher and date ("unknown" where silent).
# `agreements source add FILE` adds an entry; sha256 proves the file is unchanged.
sources: []
"""

README_STUB = """\
# {name}: a register of bilateral agreements

Kept with the `agreements` command-line tool. Every record in
`agreements/` cites verbatim quotes from the source texts in `seeds/`.

    agreements validate      # prove every record against its sources
    agreements list          # what is here
    agreements note add ID "what happened"

Registries (organisations, sectors, kinds of document, the status lifecycle,
occasions) are in `agreements/registry/`.
"""

GITIGNORE = (
    f"# the write lock of `agreements note add` and friends\n{LOCK_FILE}\n"
    "# where earlier versions kept the index (it is in your cache folder now)\n"
    ".agreements/\n"
    "# a write's temporary file (.NAME.XXXXXXXX.tmp), left only if the writer was killed;\n"
    "# the next write removes it\n.*.tmp\n"
    "# exports and reports written by default inside the register\nexports/\n"
)


@dataclass(frozen=True)
class Created:
    """What init made (or would make, on a dry run)."""

    root: Path
    files: list[str]
    written: bool


def init_register(target: Path, *, from_shipped: bool, dry_run: bool = False) -> Created:
    """A new register at `target`: empty, or a copy of the shipped one."""
    shipped = shipped_root()
    if shipped is None:
        raise BadArgument("the shipped register is not installed, so there is nothing to copy")
    shown = str(target) if len(str(target)) <= 80 else str(target)[:77] + "…"
    try:
        exists = target.exists()
        if exists and (not target.is_dir() or any(target.iterdir())):
            raise BadArgument(
                f"{target} already exists and is not an empty folder: choose a new folder"
            )
        # Root may write anywhere: a folder whose mode says nobody writes is refused.
        if exists and (not os.access(target, os.W_OK) or not target.stat().st_mode & 0o200):
            raise BadArgument(f"{target} is not writable: choose a folder you may write")
    except OSError as exc:
        raise BadArgument(f"init {shown}: {exc.strerror}") from None
    files = _plan(shipped, from_shipped, target.name)
    if dry_run:
        return Created(target.resolve(), sorted(files), written=False)
    parent = target.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}."))
    except OSError as exc:
        raise WriteRefused(os_problem(exc, target)) from None
    try:
        for rel, content in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, path)
            else:
                path.write_text(content, encoding="utf-8")
        (staging / RECORDS_DIR).mkdir(exist_ok=True)
        (staging / SEEDS_DIR).mkdir(exist_ok=True)
        # mkdtemp made the staging folder 0700: the register gets the umask's mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
        if target.exists():
            target.rmdir()
        os.rename(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteRefused(os_problem(exc, target)) from None
    return Created(target.resolve(), sorted(files), written=True)


def _plan(shipped: Path, from_shipped: bool, register_name: str) -> dict[str, Path | str]:
    """Register-relative path -> a file to copy or the text to write."""
    files: dict[str, Path | str] = {}
    if from_shipped:
        for folder in (RECORDS_DIR, SEEDS_DIR):
            for path in sorted((shipped / folder).rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(shipped).as_posix()] = path
    else:
        for name in SHARED_REGISTRIES:
            files[f"{REGISTRY_DIR}/{name}"] = shipped / REGISTRY_DIR / name
        files[f"{REGISTRY_DIR}/occasions.yaml"] = EMPTY_OCCASIONS
        files[f"{RECORDS_DIR}/{SCHEMA_FILE}"] = shipped / RECORDS_DIR / SCHEMA_FILE
        files[f"{SEEDS_DIR}/sources.yaml"] = EMPTY_MANIFEST
        files["README.md"] = README_STUB.format(name=register_name)
    files[".gitignore"] = GITIGNORE
    return files
