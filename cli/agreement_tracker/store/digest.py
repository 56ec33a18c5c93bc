"""SHA-256 without loading OpenSSL, for the digests a command's start needs.

hashlib loads OpenSSL (`_hashlib`, with blake2 and sha512: about 3 ms) on its
first import; the interpreter's own SHA-256 module gives the same digest. Reads
of a register name the index file and check a racy row with it, and `note add`
compares the bytes it reads under the lock with those it loaded: all small. What
hashes many or large files (`validate`'s sources) keeps hashlib, which is faster
per byte.
"""

from __future__ import annotations

from typing import Protocol


class Digest(Protocol):
    """What hashlib's and the interpreter's SHA-256 objects both offer."""

    def update(self, data: bytes, /) -> None: ...
    def digest(self) -> bytes: ...
    def hexdigest(self) -> str: ...


def sha256(data: bytes = b"") -> Digest:
    """A SHA-256 object (`update`, `hexdigest`), from the interpreter's own module
    where there is one."""
    try:
        from _sha2 import sha256 as new  # type: ignore[import-not-found]  # Python 3.12 and later
    except ImportError:
        try:
            from _sha256 import sha256 as new  # type: ignore[import-not-found]  # Python 3.11
        except ImportError:  # an interpreter built without them
            from hashlib import sha256 as new
    made: Digest = new(data)
    return made
