"""Running out of memory, told apart from a defect, and the words that say it.

Imported with the command group, before any memory can run out: its words are made at
import, and nothing it does when memory is gone needs another import but `resource`,
whose failure to load is itself the answer."""

from __future__ import annotations

import errno
import os

import click

OUT_OF_MEMORY = object()
# Made before any memory can run out: the words when nothing more can be said.
OUT_OF_MEMORY_WORDS = (
    "agreements: the command ran out of memory. Nothing was written. Free memory or raise "
    "the limit (ulimit -v) and run again"
)
OUT_OF_MEMORY_BYTES = (OUT_OF_MEMORY_WORDS + "\n").encode()


def _address_space_capped() -> bool:
    """Whether `ulimit -v` (or a data limit) caps this process. Asked only once something
    failed, not at every start; a `resource` module that cannot even be loaded then is
    the memory gone."""
    try:
        import resource
    except ModuleNotFoundError:  # not a POSIX system: no limits to read
        return False
    except (ImportError, MemoryError, OSError):
        return True
    return any(
        resource.getrlimit(limit)[0] != resource.RLIM_INFINITY
        for limit in (resource.RLIMIT_AS, resource.RLIMIT_DATA)
    )


def starved(exc: BaseException) -> bool:
    """Whether `exc` is the memory running out: a MemoryError, a system call refused for
    want of memory (OSError ENOMEM, as when a module's files are read), or, under a capped
    address space, a library that could not be mapped (ImportError) or an interpreter call
    that failed without saying why (SystemError)."""
    if isinstance(exc, MemoryError) or (isinstance(exc, OSError) and exc.errno == errno.ENOMEM):
        return True
    return isinstance(exc, (ImportError, SystemError)) and _address_space_capped()


def out_of_memory(ctx: click.Context | None) -> str:
    """What to say when the memory ran out: what the register holds that is large (its
    records, its largest file), and what to do. Found by listing folders only: little
    memory is needed, and any failure leaves the general words."""
    command = f"`agreements {ctx.invoked_subcommand}`" if ctx and ctx.invoked_subcommand else ""
    said = f"{command or 'the command'} ran out of memory"
    try:
        from agreement_tracker.store.location import locate

        root = locate((ctx.obj or {}).get("register") if ctx else None).root
        records, largest, size = 0, "", -1
        for folder in ("agreements", "agreements/registry", "seeds"):
            with os.scandir(root / folder) as entries:
                for entry in entries:
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    records += folder == "agreements" and entry.name.endswith(".yaml")
                    st = entry.stat(follow_symlinks=False)
                    if st.st_size > size:
                        largest, size = f"{folder}/{entry.name}", st.st_size
        said += (
            f" on the register at {root}: {records:,} record files; the largest file is "
            f"{largest} ({size / 1_000_000:.1f} MB)"
        )
    except Exception:  # the words below still hold
        pass
    return (
        f"{said}. Nothing was written. Free memory or raise the limit (ulimit -v) and run "
        "again; if one file is far larger than the rest, check that it holds only what belongs "
        "there"
    )
