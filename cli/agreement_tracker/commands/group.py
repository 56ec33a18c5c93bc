"""The command group's machinery: commands imported when they run (click's lazily loaded
subcommands), each listed in the group's help from its table entry, and help as wide as
the terminal, found without importing shutil."""

from __future__ import annotations

import importlib
import re
from typing import Any

import click

from agreement_tracker.commands.options import accept_register_anywhere

# A shell word: a quoted string (kept whole), or a run of other characters.
_SHELL_WORD = re.compile(r"""(?:"[^"]*"|'[^']*'|[^\s"']+)+""")
_COMMAND_START = ("agreements ", "echo ", "cd ", "cat ", "pbpaste")


def fit_lines(lines: list[str], width: int) -> list[str]:
    """Help lines within `width` columns, broken between words, never inside one.

    A line of an example command (one that starts one, or continues one after a ` \\`)
    is broken between its shell words, an option kept with its value, each piece ending in
    ` \\` so the command still runs when pasted. A double-quoted word too long for any
    line is broken at a space inside the quotes, where bash's backslash-newline joins it
    again; its continuation starts the next line, as it must. Prose is broken at spaces."""
    out: list[str] = []
    command = continuing = False
    for line in lines:
        body = line.strip()
        starts = body.startswith(_COMMAND_START)
        command = command or starts
        if len(line) <= width:
            out.append(line)
        elif command and body.count('"') % 2 == 0:
            out += _fit_command(line, width, more="  " if starts and not continuing else "")
        elif command:
            out += _split_quoted(line, width)
        else:
            out += _fit_prose(line, width)
        continuing = command and body.endswith("\\")
        command = continuing
    return out


def _fit_prose(line: str, width: int) -> list[str]:
    import textwrap

    indent = line[: len(line) - len(line.lstrip(" "))]
    return textwrap.wrap(line, width, initial_indent="", subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [line]  # fmt: skip


def _fit_command(line: str, width: int, more: str) -> list[str]:
    """One line of a shell command as pieces ending in ` \\`, an option with its value."""
    indent = line[: len(line) - len(line.lstrip(" "))]
    body = line.strip()
    continued = body.endswith("\\")
    body = body[:-1].rstrip() if continued else body
    words = _SHELL_WORD.findall(body)
    if " ".join(words) != body:  # not plain single-spaced shell words: leave it whole
        return [line]
    units: list[str] = []
    for word in words:  # "--source az-press" stays together
        option = units and units[-1].startswith("-") and " " not in units[-1]
        if option and not word.startswith("-"):
            units[-1] += " " + word
        else:
            units.append(word)
    pieces, current = [], indent + units[0]
    for unit in units[1:]:
        if len(current) + 1 + len(unit) + 2 <= width:
            current += " " + unit
        else:
            pieces.append(current + " \\")
            current = indent + more + unit
    pieces.append(current + (" \\" if continued else ""))
    out = []
    for piece in pieces:
        out += _split_quoted(piece, width) if len(piece) > width and '"' in piece else [piece]
    return out


def _split_quoted(line: str, width: int) -> list[str]:
    """A line holding a long double-quoted word, broken at spaces inside the quotes: each
    piece ends in a backslash, which bash removes with the newline inside double quotes,
    so the continuation must start at the line's first column."""
    out, rest, first = [], line, True
    while len(rest) > width - 2:
        cut = rest.rfind(" ", 0, width - 2)
        if cut <= (len(rest) - len(rest.lstrip()) if first else 0):
            break
        out.append(rest[: cut + 1] + "\\")
        rest, first = rest[cut + 1 :], False
    return [*out, rest]


# A hyphen inside a word ("--as-of", "vn-az-2025-energy-mou"), held while click wraps:
# its wrapper would break a line there, and an option cut in two is not one to type.
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_HELD = "\u2011"  # a non-breaking hyphen, which no help text holds


class HelpFormatter(click.HelpFormatter):
    """Help wrapped between words, never at a hyphen inside one, and whose unwrapped blocks
    (click's `\\b`: examples) fit the width too."""

    def write_text(self, text: str) -> None:
        start = len(self.buffer)
        super().write_text(_INNER_HYPHEN.sub(_HELD, text))
        written = "".join(self.buffer[start:]).replace(_HELD, "-")
        del self.buffer[start:]
        self.buffer.append("\n".join(fit_lines(written.split("\n"), self.width)))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        start = len(self.buffer)
        held = [(term, _INNER_HYPHEN.sub(_HELD, text)) for term, text in rows]
        super().write_dl(held, col_max, col_spacing)
        written = "".join(self.buffer[start:]).replace(_HELD, "-")
        del self.buffer[start:]
        self.buffer.append(written)


class HelpContext(click.Context):
    """A context whose help and usage are as wide as click makes them, the terminal's
    width found without importing shutil (`output.console.terminal_columns`)."""

    formatter_class = HelpFormatter

    def make_formatter(self) -> click.HelpFormatter:
        width = self.terminal_width
        if width is None and click.formatting.FORCED_WIDTH is None:
            from agreement_tracker.output.console import terminal_columns

            width = max(min(terminal_columns(), self.max_content_width or 80) - 2, 50)
        return self.formatter_class(width=width, max_width=self.max_content_width)


def _whole_summaries(
    formatter: click.HelpFormatter, rows: list[tuple[str, click.Command | str]]
) -> None:
    """A group's commands, each with its whole first sentence, wrapped by the formatter at
    word boundaries: click would cut a summary with "..." to fit one line."""
    shown = []
    for name, command in rows:
        summary = command if isinstance(command, str) else command.short_help or command.help
        shown.append((name, click.Command(name, help=summary).get_short_help_str(10_000)))
    with formatter.section("Commands"):
        formatter.write_dl(shown)


class Group(click.Group):
    """A group of subcommands listed with whole summaries."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        commands = [(n, c) for n in names if (c := self.get_command(ctx, n)) and not c.hidden]
        if commands:
            _whole_summaries(formatter, commands)  # type: ignore[arg-type]


def _with_help_context(command: click.Command) -> None:
    """The command, and every command of a group, makes its help with `HelpContext`; a
    group lists its commands with whole summaries."""
    command.context_class = HelpContext
    if isinstance(command, click.Group):
        if type(command) is click.Group:
            command.__class__ = Group  # adds only how the help lists the commands
        for each in command.commands.values():
            _with_help_context(each)


def closest_first(exc: click.NoSuchOption) -> click.NoSuchOption:
    """An unknown option's suggestions by closeness, the closest first and only those about
    as close: click lists every option over its cutoff in alphabetical order ("--sinse":
    "--kind, --since")."""
    import difflib

    scored = sorted(
        (
            (difflib.SequenceMatcher(None, exc.option_name, p).ratio(), p)
            for p in exc.possibilities or ()
        ),
        reverse=True,
    )
    if not scored:
        return exc
    best = [p for score, p in scored if score >= scored[0][0] - 0.1]
    said = f"No such option: {exc.option_name}. Did you mean {' or '.join(best)}?"
    return click.NoSuchOption(exc.option_name, message=said, possibilities=None, ctx=exc.ctx)


class LazyGroup(click.Group):
    """A group whose commands are imported when one is run or asked for (click's "lazily
    loading subcommands" pattern), each given the `--register` option on arrival."""

    def __init__(self, *args: Any, lazy_subcommands: dict[str, tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = lazy_subcommands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_subcommands})

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            raise closest_first(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.NoSuchOption as exc:  # a subcommand's options are read in here
            raise closest_first(exc) from None

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_subcommands:
            module, _, attribute = self.lazy_subcommands[cmd_name][0].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            accept_register_anywhere(command)
            _with_help_context(command)
            self.commands[cmd_name] = command  # once: the option is added once
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Every command with its whole summary, from the table: `--help` imports no
        command module."""
        rows: list[tuple[str, click.Command | str]] = [
            (name, self.commands[name] if name in self.commands else self.lazy_subcommands[name][1])
            for name in self.list_commands(ctx)
        ]
        _whole_summaries(formatter, rows)


class TextCommand(click.Command):
    """A command whose argument is free text: a text that begins with "-" ("-5% of the
    volume") reads as an option to click, so the refusal says to put `--` before it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        typed = list(args)  # the parser consumes `args`
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            # What was typed: "-5% of the volume" is reported as the option "-5".
            raw = next((a for a in typed if a.startswith(exc.option_name)), exc.option_name)
            if not raw.startswith("--") and (len(raw) > 2 or not raw[1:2].isalpha()):
                import shlex  # only for this advice, not at every start

                raise click.UsageError(
                    f"{exc.format_message()} A text that begins with '-' goes last, after the "
                    f"options and `--`: {ctx.command_path} ID [OPTIONS] -- {shlex.quote(raw)}",
                    ctx,
                ) from None
            raise
