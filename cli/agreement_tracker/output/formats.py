"""Output formats for scripts and briefings: JSON, CSV and Markdown, and the one `emit`.

Text from the data is never interpreted: JSON escapes terminal-active
characters, CSV and Markdown show control characters as escapes. A table
for people is drawn by `output.tables`, imported only when one is asked for,
so `--format json` and `--format csv` never load rich.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from agreement_tracker.text import escape_json, visible

if TYPE_CHECKING:
    from rich.console import Console


def to_json(data: Any) -> str:
    """JSON with non-ASCII text kept readable and terminal-active characters escaped
    (`text.escape_json`: identical in meaning, harmless on a terminal)."""
    import json  # a table or CSV needs none of it

    return escape_json(json.dumps(data, ensure_ascii=False, indent=2))


class Listing:
    """A listing in two shapes: rows of display text, and records for JSON.

    `narrow` says how the table gives way on a narrow terminal, in order:
    (column, host) folds the column under the host column's value in the same
    row; (column, None) leaves it out, with a footnote that says so.

    A plain class, not a dataclass, which would compile its `__init__` on every start.
    """

    __slots__ = ("columns", "hint", "narrow", "records", "rows", "title")

    def __init__(
        self,
        title: str,
        columns: list[str],
        rows: list[list[str]] | None = None,
        records: Iterable[dict[str, Any]] | None = None,
        narrow: list[tuple[str, str | None]] | None = None,
        hint: str | None = None,
    ) -> None:
        self.title = title
        self.columns = columns
        self.rows: list[list[str]] = [] if rows is None else rows
        # A list, or a generator where building every record at once would be costly.
        self.records: Iterable[dict[str, Any]] = [] if records is None else records
        self.narrow: list[tuple[str, str | None]] = [] if narrow is None else narrow
        # Shown when a filter matched nothing: what to try instead.
        self.hint = hint

    def replace(self, **changes: Any) -> Listing:
        """A copy with `changes` made, as `dataclasses.replace` would."""
        return Listing(**{**{name: getattr(self, name) for name in self.__slots__}, **changes})


def write_json_array(items: Iterable[Any], write: Callable[[str], object]) -> None:
    """A JSON array written element by element: the text `to_json(list(items))` gives,
    without holding all of it (10,000 records are 40 MB of JSON) in memory at once."""
    write("[")
    first = True
    for item in items:
        write(("\n  " if first else ",\n  ") + to_json(item).replace("\n", "\n  "))
        first = False
    write("]\n" if first else "\n]\n")


# Markdown's inline syntax: emphasis, code, links and images, strikethrough, table pipes.
_MARKDOWN_ACTIVE = r"([`*_\[\]|~])"  # compiled by re on first use, not at every start


def markdown_text(value: str) -> str:
    """Text from data as Markdown that shows it as typed: HTML escaped as entities (no
    `<script>`), the inline syntax escaped (no links, no emphasis), line breaks as <br>."""
    text = visible(value).replace("\\", "\\\\")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(_MARKDOWN_ACTIVE, r"\\\1", text).replace("\n", "<br>")


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """Text from data for a CSV cell: control characters visible, and a leading formula
    character neutralised with a single quote, as OWASP recommends."""
    text = visible(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table; every cell through `markdown_text`."""
    cell = markdown_text
    lines = ["| " + " | ".join(cell(c) for c in columns) + " |"]
    lines.append("|" + "|".join(" --- " for _ in columns) + "|")
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def emit(listing: Listing, fmt: str, out: Console | None = None) -> None:
    """Print a listing in the chosen format: the one place formats are decided.

    `out` is the console a table is drawn on (default: standard output's);
    the other formats are plain text written to its file or to stdout.
    """
    write = out.file.write if out is not None else sys.stdout.write
    if fmt == "json":
        write_json_array(listing.records, write)
    elif fmt == "csv":
        import csv

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([csv_cell(column) for column in listing.columns])
        writer.writerows([[csv_cell(cell) for cell in row] for row in listing.rows])
        write(buffer.getvalue())
    elif fmt == "markdown":
        write(markdown_table(listing.columns, listing.rows))
    elif out is None and not sys.stdout.isatty():
        write(plain_table(listing))  # piped: no rich, one line a row
    else:
        from agreement_tracker.output.console import stdout_console
        from agreement_tracker.output.tables import print_table

        print_table(listing, out or stdout_console())
    if listing.hint and not listing.rows:
        from agreement_tracker.output.console import say

        say(listing.hint, err=True)


def plain_table(listing: Listing) -> str:
    """A table for a pipe or a file: each row on one line, whole (a cell's lines joined
    by "; "), columns aligned by display width, so grep, sort and less -S work."""
    from agreement_tracker.text import display_width

    rows = [[visible(cell).replace("\n", "; ") for cell in row] for row in listing.rows]
    # Names of columns come from data too (a status's name): each stays on its line.
    columns = [visible(column, line=True) for column in listing.columns]
    widths = [display_width(c) for c in columns]
    for row in rows:
        widths = [max(w, display_width(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True)]
        return "  ".join(padded).rstrip() + "\n"

    parts = [visible(listing.title, line=True) + "\n", line(columns)]
    parts.append("─" * (sum(widths) + 2 * (len(widths) - 1)) + "\n")
    parts += [line(row) for row in rows]
    return "".join(parts)
