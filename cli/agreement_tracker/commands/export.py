"""`agreements export`: the register, or a filtered part of it, for other tools."""

from __future__ import annotations

from typing import Any

import click

from agreement_tracker.commands.options import as_of_day, filter_options, filters
from agreement_tracker.commands.shared import check_outputs, load_register
from agreement_tracker.output.console import say


@click.group("export")
def export_group() -> None:
    """Data out: a SQLite database, FollowTheMoney entities.

    Both take `list`'s filters, to export a subset. They need the `export` extra:
    pip install 'agreement-tracker[export]'.

    \b
    Example:
      agreements export sqlite register.db
      agreements export ftm --country AZ --output az.ftm.json
    """


@export_group.command("sqlite")
@click.argument("target", metavar="[FILE]", required=False)
@filter_options
@click.pass_context
def export_sqlite_command(ctx: click.Context, target: str | None, **options: Any) -> None:
    """Write the register as a SQLite database, for Datasette.

    A Datasette metadata file is written beside it.

    Tables for agreements, parties, organisations (names per language, aliases),
    sectors, sources, evidence quotes, notes, accounts and links, with declared
    keys; FTS5 indexes over titles, quotes and notes. FILE is replaced atomically;
    without it, inside a register of your own, it is exports/register.db there
    (a folder `init` keeps out of git). Browse it with
    `datasette FILE --metadata FILE-STEM.metadata.json`.

    \b
    Example:
      agreements export sqlite register.db
      agreements export sqlite energy.db --sector energy
    """
    from agreement_tracker.export.database import metadata_path, write
    from agreement_tracker.query import select

    register = load_register(ctx, reading=True)
    if target is None:
        target = _default_export(register, "register.db")
    check_outputs(
        register, (target, "a database export"), (metadata_path(target), "its Datasette metadata")
    )
    agreements = select(register, filters(options))
    meta = write(register, agreements, target)
    say(f"Wrote {len(agreements)} agreement{'s' if len(agreements) != 1 else ''} to {target} "
        f"and Datasette metadata to {meta}")  # fmt: skip
    say(f"Browse it: datasette {target} --metadata {meta}")


@export_group.command("ftm")
@click.option("--output", "-o", "target", metavar="FILE", help="Write here (default: stdout).")
@filter_options
@click.pass_context
def export_ftm_command(ctx: click.Context, target: str | None, **options: Any) -> None:
    """Write FollowTheMoney entities, for Aleph and FtM tools.

    One JSON object a line.

    Organisations become PublicBody, Company, Person or Organization; each
    agreement an Event with its parties; sources Documents with their hashes;
    quotes Documentation; notes Notes. Ids are the same on every run.

    \b
    Example:
      agreements export ftm --output register.ftm.json
      agreements export ftm --country AZ
    """
    from agreement_tracker.export.ftm import lines
    from agreement_tracker.query import select
    from agreement_tracker.store.write import write_output

    register = load_register(ctx, reading=True)
    check_outputs(register, (target, "an FtM export"))
    agreements = select(register, filters(options))
    output = lines(register, agreements)
    if target is None:
        for line in output:
            click.echo(line, nl=False)
        return
    text = "".join(output)
    write_output(register.root, target, text.encode("utf-8"), "an FtM export")
    say(f"Wrote {text.count(chr(10))} entities of {len(agreements)} agreement"
        f"{'s' if len(agreements) != 1 else ''} to {target}")  # fmt: skip


@export_group.command("ics")
@click.argument("target", metavar="FILE")
@click.option(
    "--as-of",
    "as_of",
    callback=as_of_day,
    metavar="YYYY[-MM[-DD]]",
    help="Open on this day (a month or year: its last day). Default: today.",
)
@filter_options
@click.pass_context
def export_ics_command(ctx: click.Context, target: str, as_of: Any, **options: Any) -> None:
    """A calendar of the open commitments: an event on each due day.

    An all-day event per dated commitment that no review dated by --as-of
    (default: today) says met; its UID is RECORD/N. The same --as-of gives the
    same file. Needs the `export` extra (icalendar).

    \b
    Example:
      agreements export ics commitments.ics --as-of 2026-06-01
    """
    import datetime as dt

    from agreement_tracker.export.ics import build, open_dated
    from agreement_tracker.query import select
    from agreement_tracker.store.write import write_output

    register = load_register(ctx, reading=True)
    check_outputs(register, (target, "a calendar export"))
    day = as_of or dt.date.today()
    agreements = select(register, filters(options))
    data = build(register, agreements, day)
    write_output(register.root, target, data, "a calendar export")
    count = len(open_dated(agreements, day))
    say(f"Wrote {count} open dated commitment{'s' if count != 1 else ''} to {target}")


def _default_export(register: Any, name: str) -> str:
    """exports/NAME in a register of one's own (made if missing); the shipped example is
    read-only, so there a FILE must be given."""
    import os

    from agreement_tracker.errors import BadArgument

    if register.location.read_only:
        raise BadArgument(
            "the register shipped with the tool is read-only: give FILE, e.g. "
            f"`agreements export sqlite {name}`, or run it in a register of your own"
        )
    folder = register.root / "exports"
    if os.path.islink(folder) or (os.path.lexists(folder) and not folder.is_dir()):
        # A link a pull request carried must not choose where the tool writes.
        raise BadArgument(f"{folder} is a link or not a folder: give FILE; nothing was written")
    if not os.path.lexists(folder):
        folder.mkdir(mode=0o755)
    return str(folder / name)
