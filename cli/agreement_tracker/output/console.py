"""Where output goes: the console tables are drawn on, and messages for people.

Messages (confirmations, findings, errors) are plain lines written with
click, so commands that only write or fail never import rich. Anything taken
from data or paths goes through `text.visible`: it is never markup and
never drives the terminal.
"""

from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.console import Console

    from agreement_tracker.findings import Finding

# Written to a pipe or file, text is this wide unless $COLUMNS says otherwise: a quote or
# a note stays one line for grep (rich's default of 80 would fold every line).
PIPE_WIDTH = 10_000

_STYLES = {
    "red": {"fg": "red"},
    "bold red": {"fg": "red", "bold": True},
    "yellow": {"fg": "yellow"},
    "green": {"fg": "green"},
}


def stdout_console() -> Console:
    """Results: colour only on a terminal (rich checks isatty and NO_COLOR); no emoji codes."""
    from rich.console import Console

    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit 1 (our code for findings) in silence; a reader that left
            # (`| head`) is no error: `main` ends it as it does for a plain print, exit 0.
            raise BrokenPipeError

    return _Console(highlight=False, emoji=False, markup=False, width=width)


def terminal_columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` finds it: $COLUMNS, else standard
    output's terminal, else 80. Without shutil, which imports three compression modules
    for its archives: 2-3 ms of every `--help`."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def _colour(stream: IO[str]) -> bool:
    """Colour as rich decides it: FORCE_COLOR, else a terminal without NO_COLOR or TERM=dumb."""
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def say(
    text: str, style: str | None = None, *, err: bool = False, wrap: bool | None = None
) -> None:
    """Print a message line: control characters made visible, coloured only on a terminal.
    Messages (on stderr, or with `wrap`: findings), on a terminal, are wrapped at word
    boundaries to its width with a hanging indent; on a pipe each stays one line, for grep."""
    from agreement_tracker.text import visible  # only when there is something to say

    stream = sys.stderr if err else sys.stdout
    line = visible(text)
    isatty = getattr(stream, "isatty", None)
    if (err if wrap is None else wrap) and isatty is not None and isatty():
        line = _wrapped(line)
    colour = style is not None and _colour(stream)
    if colour and style is not None:
        line = click.style(line, **_STYLES[style])  # type: ignore[arg-type]
    click.echo(line, err=err, color=colour)


def _wrapped(text: str) -> str:
    """Each line of `text` at word boundaries within the terminal's width, its own indent
    kept and two more for what it continues onto; a word longer than the width (a path,
    a URL) is kept whole."""
    import textwrap

    width = terminal_columns()
    out = []
    for line in text.split("\n"):
        if len(line) < width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        out.append(
            textwrap.fill(
                line,
                width=max(width - 1, 20),
                subsequent_indent=indent + "  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


def print_finding(finding: Finding, *, err: bool = False) -> None:
    """A finding in the `file:line:col: severity[code]: message` form, then its detail."""
    colour = "red" if finding.severity == "error" else "yellow"
    say(finding.headline(), colour, err=err, wrap=True)
    from agreement_tracker.text import visible

    for line in finding.detail:
        say("    " + visible(line, line=True), err=err, wrap=True)
