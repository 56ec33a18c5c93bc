"""The `agreements` command: the group, its table of commands, and the one mapping from
errors to exit codes.

The commands live in `commands/`, one module per family, and are imported only when
they run (click's lazily loaded subcommands): `agreements list` imports what `list`
needs and nothing of `note` or `export`. The table keeps each command's summary, so
the group's `--help` lists them all without importing one.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

import click

from agreement_tracker import __version__
from agreement_tracker.commands.group import HelpContext, LazyGroup
from agreement_tracker.commands.options import parse_language
from agreement_tracker.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_UNUSABLE, AgreementsError
from agreement_tracker.memory import (
    OUT_OF_MEMORY,
    OUT_OF_MEMORY_BYTES,
    OUT_OF_MEMORY_WORDS,
    out_of_memory,
    starved,
)
from agreement_tracker.output.console import print_finding, say

DEBUG_ENV = "AGREEMENTS_DEBUG"

_READ = "agreement_tracker.commands.read"
_CURATE = "agreement_tracker.commands.curate"
_RECORDS = "agreement_tracker.commands.records"
# Each command: where it is defined ("module:attribute"), and its summary for the group's
# --help (the first paragraph of its docstring; a test holds the two equal).
COMMANDS: dict[str, tuple[str, str]] = {
    "list": (f"{_READ}:list_command", "List agreements, filtered; the filters combine (AND)."),
    "show": (f"{_READ}:show_command",
             "Everything about one agreement, with its quotes."),
    "orgs": (f"{_READ}:orgs_command",
             "The organisations registry: ids, countries, names and aliases."),
    "sectors": (f"{_READ}:sectors_command",
                "The sector hierarchy, with how many agreements each covers."),
    "report": (f"{_READ}:report_command", "A briefing: counts, and what needs attention."),
    "timeline": (f"{_READ}:timeline_command",
                 "Signings, follow-up notes and term ends in date order."),
    "schema": (f"{_READ}:schema_command",
               "The JSON Schema of agreement records, for editors."),
    "validate": ("agreement_tracker.commands.validate:validate_command",
                 "Prove every record against its sources."),
    "note": ("agreement_tracker.commands.notes:note_group",
             "Follow-up notes: what happened after the signing."),
    "export": ("agreement_tracker.commands.export:export_group",
               "Data out: a SQLite database, FollowTheMoney entities."),
    "init": (f"{_CURATE}:init_command",
             "Start a register of your own in DIR (a new or empty folder)."),
    "source": (f"{_CURATE}:source_group", "The source texts in seeds/ and their manifest."),
    "org": (f"{_CURATE}:org_group", "The organisations registry."),
    "occasion": (f"{_CURATE}:occasion_group",
                 "Visits and events on which documents were signed."),
    "new": (f"{_RECORDS}:new_command", "Draft a record from what a quote of a source states."),
    "account": (f"{_RECORDS}:account_group", "Other sources' readings of a record's fields."),
    "evidence": (f"{_RECORDS}:evidence_group",
                 "The quotes that prove a record; cite one more that agrees."),
    "commitment": ("agreement_tracker.commands.commitments:commitment_group",
                   "What a document promised, by when, and whether it was kept."),
}  # fmt: skip


class AgreementsGroup(LazyGroup):
    """Maps domain errors to exit codes in one place, for the real command and CliRunner alike."""

    context_class = HelpContext

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except AgreementsError as exc:
            for finding in getattr(exc, "findings", []):
                print_finding(finding, err=True)
            say(f"agreements: {exc}", "bold red", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # `agreements report | head`: the reader left, which is no error (click's own
            # handling would exit 1, the code for findings). What is left goes nowhere.
            with contextlib.suppress(OSError, ValueError):  # a test's stream has no file
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(EXIT_OK)
        except MemoryError:
            if os.environ.get(DEBUG_ENV):
                raise
            result = OUT_OF_MEMORY  # said below, once the frames that held the memory are gone
        except Exception as exc:  # the last line of defence: no traceback for users
            if os.environ.get(DEBUG_ENV):
                raise
            if starved(exc):
                try:  # `say` imports what may no longer load
                    say(f"agreements: {out_of_memory(ctx)} ({type(exc).__name__}: {exc})", err=True)
                except Exception:
                    print(OUT_OF_MEMORY_WORDS, file=sys.stderr)
                ctx.exit(EXIT_UNUSABLE)
            say(
                f"agreements: internal error: {type(exc).__name__}: {exc}\n"
                f"Please report it; set {DEBUG_ENV}=1 to see the traceback.",
                err=True,
            )
            ctx.exit(EXIT_UNUSABLE)
        if result is OUT_OF_MEMORY:
            try:
                message = f"agreements: {out_of_memory(ctx)}"
            except MemoryError:
                message = OUT_OF_MEMORY_WORDS
            print(message, file=sys.stderr)
            ctx.exit(EXIT_UNUSABLE)
        # A read command that showed what loaded of a register with broken files.
        ctx.exit((ctx.obj or {}).get("exit_code", EXIT_OK))
        return result


@click.group(
    cls=AgreementsGroup,
    lazy_subcommands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="agreements")
@click.option(
    "--register",
    "register_dir",
    metavar="DIR",
    help="The register folder (holding agreements/ and seeds/). "
    "Default: $AGREEMENTS_REGISTER, else the nearest such folder at or above the "
    "current one, else the register shipped with the tool.",
)
@click.option(
    "--lang",
    "group_lang",
    metavar="XX",
    callback=parse_language,
    help="Language of names and titles, for commands that show them (also after the command).",
)
@click.pass_context
def cli(ctx: click.Context, register_dir: str | None, group_lang: str | None) -> None:
    """A source-verified register of bilateral agreements.

    Every record cites verbatim quotes from the source texts in seeds/;
    `agreements validate` proves them.

    \b
    Example:
      agreements list --sector energy
      agreements show vn-az-2025-justice-programme
    """
    ctx.ensure_object(dict)
    ctx.obj["register"] = register_dir
    if group_lang is not None:
        # `agreements --lang vi list` as `agreements list --lang vi`: the subcommand's own
        # --lang, where given, still wins.
        ctx.default_map = {name: {"lang": group_lang} for name in cli.list_commands(ctx)}


def main() -> None:
    """The console script: run the command; a closed pipe or Ctrl-C ends it quietly."""
    try:
        try:
            cli.main(prog_name="agreements")
        except SystemExit:
            # What the command printed is flushed here, where running out of memory is
            # still ours to say, not at the interpreter's exit (a bare "MemoryError").
            sys.stdout.flush()
            raise
    except MemoryError:
        # Outside a command's own handling (reading the arguments, or in the handling
        # itself): the same words, without a traceback, and an exit that allocates next to
        # nothing (plain try blocks: even a context manager is an allocation that can fail).
        try:
            message = f"agreements: {out_of_memory(None)}\n".encode()
        except MemoryError:
            message = OUT_OF_MEMORY_BYTES
        try:  # noqa: SIM105 - contextlib.suppress allocates, and can fail here
            sys.stdout.flush()
        except BaseException:
            pass
        try:  # noqa: SIM105
            os.write(2, message)
        except BaseException:
            pass
        os._exit(EXIT_UNUSABLE)
    except BrokenPipeError:
        # `agreements list | head`: the reader left, which is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
