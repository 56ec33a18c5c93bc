"""Data out for other tools: a SQLite database (Datasette, sqlite-utils, pandas) and
FollowTheMoney entities (Aleph, OpenSanctions' tools).

Both need libraries the rest of the tool does not: they are the `export` extra,
imported only here, and their absence is a usage error that names the extra.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from agreement_tracker.errors import BadArgument

EXTRA = "export"


def require(module: str, package: str) -> ModuleType:
    """Import `module`, or say which extra installs it (exit 2)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise BadArgument(
            f"this export needs {package}, which is not installed: "
            f"pip install 'agreement-tracker[{EXTRA}]' (from a clone of the repository: "
            f"pip install -e '.[{EXTRA}]'; or pip install {package})"
        ) from None
