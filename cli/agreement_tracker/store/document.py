"""A register file read into plain data, with where each value stands.

Apart from the YAML reader so that a register loaded from the index can hold
documents (for locating findings) without importing PyYAML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agreement_tracker.findings import Finding

# Where a value stands in a file's data: the keys and list indexes that lead to it.
KeyPath = tuple[str | int, ...]
Mark = tuple[int, int]  # 1-based line and column


class Document:
    """A YAML file read into plain data, with where each value stands.

    A document rebuilt from the index has neither data nor marks; `reread`
    parses the file again the first time a finding needs a line number.

    A plain class, not a dataclass: generating its methods took 0.3 ms of every start.
    Read commands import neither this class's findings nor their module until one is made.
    """

    __slots__ = ("data", "file", "findings", "marks", "reread")

    def __init__(
        self,
        file: str,
        data: Any = None,
        marks: dict[KeyPath, Mark] | None = None,
        findings: list[Finding] | None = None,
        reread: Callable[[], Document | None] | None = None,
    ) -> None:
        self.file = file
        self.data = data
        self.marks: dict[KeyPath, Mark] = {} if marks is None else marks
        self.findings: list[Finding] = [] if findings is None else findings
        self.reread = reread

    def mark(self, path: KeyPath) -> Mark | None:
        """The line and column of the value at `path`, or of its nearest parent."""
        if self.reread is not None:
            fresh, self.reread = self.reread(), None
            if fresh is not None:
                self.marks = fresh.marks
        while True:
            if path in self.marks:
                return self.marks[path]
            if not path:
                return None
            path = path[:-1]

    def finding(self, path: KeyPath, code: str, message: str, **extra: Any) -> Finding:
        """An error located at `path` in this document; its field is the dotted path."""
        mark = self.mark(path)
        line, column = mark if mark else (None, None)
        extra.setdefault("field", ".".join(str(p) for p in path) or None)
        from agreement_tracker.findings import Finding

        return Finding(self.file, line, column, "error", code, message, **extra)
