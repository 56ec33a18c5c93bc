"""Where a register is: its layout, and how the command finds it.

Free of pydantic, YAML and rich: every command, however light, starts here.
"""

from __future__ import annotations

import os
from pathlib import Path

from agreement_tracker.errors import RegisterNotFound

REGISTER_ENV = "AGREEMENTS_REGISTER"
RECORDS_DIR = "agreements"
REGISTRY_DIR = "agreements/registry"
SEEDS_DIR = "seeds"
MANIFEST = "seeds/sources.yaml"

# How a register was found: "option", "environment", "working folder" or "shipped".
ORIGINS = ("option", "environment", "working folder", "shipped")


class Location:
    """Where a register is, how it was found, and whether it may be written."""

    __slots__ = ("origin", "root")

    def __init__(self, root: Path, origin: str) -> None:
        if origin not in ORIGINS:
            raise ValueError(f"unknown origin {origin!r}")
        self.root = root
        self.origin = origin

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Location) and (self.root, self.origin) == (
            other.root,
            other.origin,
        )

    def __hash__(self) -> int:
        return hash((self.root, self.origin))

    def __repr__(self) -> str:
        return f"Location({self.root!r}, {self.origin!r})"

    @property
    def read_only(self) -> bool:
        """The register shipped inside the package is never written to."""
        return self.origin == "shipped"


def shipped_root() -> Path | None:
    """The register installed with the package, or the checkout's in an editable install."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "shipped", package.parent.parent):
        if _is_register(candidate):
            return candidate
    return None


def _is_register(path: Path) -> bool:
    return (path / RECORDS_DIR).is_dir() and (path / SEEDS_DIR).is_dir()


def locate(option: str | None, cwd: Path | None = None) -> Location:
    """`--register` > $AGREEMENTS_REGISTER > nearest folder upwards > the shipped register."""
    for value, origin in ((option, "option"), (os.environ.get(REGISTER_ENV), "environment")):
        if value is None:
            continue
        label = "--register" if origin == "option" else f"${REGISTER_ENV}"
        path = Path(value)
        if "\x00" in value or not value.strip():
            raise RegisterNotFound(f"{label} is empty or not a valid path")
        try:
            os.stat(path)
        except FileNotFoundError:
            raise RegisterNotFound(f"{label} {value}: no such folder") from None
        except OSError as exc:  # a name too long, a loop of links, no permission
            shown = value if len(value) <= 80 else value[:77] + "…"
            raise RegisterNotFound(f"{label} {shown}: {exc.strerror}") from None
        if not path.is_dir():
            raise RegisterNotFound(f"{label} {value}: is a file, not a register folder")
        if not _is_register(path):
            raise RegisterNotFound(
                f"{label} {value}: not a register (it needs agreements/ and seeds/ folders); "
                "`agreements init DIR` makes one"
            )
        return Location(path.resolve(), origin)
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if _is_register(folder):
            return Location(folder, "working folder")
    shipped = shipped_root()
    if shipped is None:
        raise RegisterNotFound("no register found here or above, and none is installed")
    return Location(shipped, "shipped")
