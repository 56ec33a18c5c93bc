"""Findings: what loading and checking a register found wrong.

A finding is a small immutable value with a location, so every layer can
collect them instead of stopping at the first problem, and the CLI prints
them in the `file:line:col: severity[code]: message` form editors jump to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, located in a file of the register."""

    file: str
    line: int | None
    column: int | None
    severity: Severity
    code: str
    message: str
    record: str | None = None
    field: str | None = None
    detail: tuple[str, ...] = ()

    @property
    def location(self) -> str:
        """`file:line:col`, shortened where line or column is unknown."""
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def headline(self) -> str:
        """The one-line, compiler-style form. One line whatever the file's name or the
        message holds (`visible(line=True)`): a name with a line break in it cannot
        print a line that reads as another finding or as "all good"."""
        from agreement_tracker.text import visible

        return visible(f"{self.location}: {self.severity}[{self.code}]: {self.message}", line=True)

    def as_json(self) -> dict[str, object]:
        """Stable keys for `--format json` consumers (CI, editors)."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "record": self.record,
            "field": self.field,
            "detail": list(self.detail),
        }


def count(findings: list[Finding], severity: Severity) -> int:
    """How many findings have this severity."""
    return sum(1 for f in findings if f.severity == severity)
