"""The command group's machinery: commands imported when they run (click's lazily loaded
subcommands), each listed in the group's help from its table entry, and help as wide as
the terminal, found without importing shutil."""

from __future__ import annotations

import importlib
from typing import Any

import click

from agreement_tracker.commands.options import accept_register_anywhere


class HelpContext(click.Context):
    """A context whose help and usage are as wide as click makes them, the terminal's
    width found without importing shutil (`output.console.terminal_columns`)."""

    def make_formatter(self) -> click.HelpFormatter:
        width = self.terminal_width
        if width is None and click.formatting.FORCED_WIDTH is None:
            from agreement_tracker.output.console import terminal_columns

            width = max(min(terminal_columns(), self.max_content_width or 80) - 2, 50)
        return self.formatter_class(width=width, max_width=self.max_content_width)


def _with_help_context(command: click.Command) -> None:
    """The command, and every command of a group, makes its help with `HelpContext`."""
    command.context_class = HelpContext
    if isinstance(command, click.Group):
        for each in command.commands.values():
            _with_help_context(each)


class LazyGroup(click.Group):
    """A group whose commands are imported when one is run or asked for (click's "lazily
    loading subcommands" pattern), each given the `--register` option on arrival."""

    def __init__(self, *args: Any, lazy_subcommands: dict[str, tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = lazy_subcommands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_subcommands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_subcommands:
            module, _, attribute = self.lazy_subcommands[cmd_name][0].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            accept_register_anywhere(command)
            _with_help_context(command)
            self.commands[cmd_name] = command  # once: the option is added once
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Every command with its summary, as click shows them, from the table: `--help`
        imports no command module."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
            else:
                summary = self.lazy_subcommands[name][1]
                rows.append((name, click.Command(name, help=summary).get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


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
