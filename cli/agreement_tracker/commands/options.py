"""Options several commands share, each defined once and stacked as a decorator.

Only click is imported here: what a callback needs (the model's rule for dates, the
language check, the query layer) is imported when it runs, so `--help` pays for none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

# What each format is for, as `--format` help says it.
_FORMAT_USES = {
    "table": "table for people",
    "text": "text for people",
    "json": "json for scripts",
    "csv": "csv for spreadsheets",
    "markdown": "markdown for briefings",
}


def format_option(*choices: str, default: str = "table") -> Callable[[Callable], Callable]:
    """`--format`, with the choices the command supports, and only those in its help."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format: " + ", ".join(_FORMAT_USES[c] for c in choices) + ".",
    )


def parse_language(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """An ISO 639-1 code, checked by the one rule the records follow."""
    from agreement_tracker.languages import check_language

    if value is None:
        return None
    try:
        return check_language(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


lang_option = click.option(
    "--lang",
    metavar="XX",
    default="en",
    show_default=True,
    callback=parse_language,
    help="Language of names and titles (ISO 639-1: en, vi, de…); English where a name "
    "has no text in it.",
)


def parse_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """A day, read by the model's one rule for dates (ASCII digits, years in range), so
    an option takes what a record may hold and nothing else."""
    if value is None:
        return None
    from agreement_tracker.values import day

    try:
        return day(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def parse_vague_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A day, or a month or year where the source gives no more (2025-07-15, 2025-07, 2025)."""
    if value is None:
        return None
    from agreement_tracker.values import partial_date

    try:
        partial_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def _period_end(last: bool) -> Callable[[click.Context, click.Parameter, str | None], Any]:
    """A callback reading YYYY, YYYY-MM or YYYY-MM-DD with the one rule for vague dates, as
    the first (`--since`) or last (`--until`) day it may mean: `--since 2025-07` is from
    1 July, `--until 2025` to 31 December."""

    def parse(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
        checked = parse_vague_date(ctx, param, value)
        if checked is None:
            return None
        from agreement_tracker.values import period

        return period(checked)[1 if last else 0]

    return parse


# `--as-of`: as things stood at the end of the day, month or year given (2025-12, 2025).
as_of_day = _period_end(True)


dry_run_option = click.option(
    "--dry-run", is_flag=True, help="Show what would change and write nothing."
)


def filter_options(func: Callable) -> Callable:
    """The record filters of `list`, shared by `report` and `timeline`; they combine (AND)."""
    options = [
        click.option(
            "--ministry",
            "--org",
            "orgs",
            multiple=True,
            metavar="TEXT",
            help="A party's name or alias contains TEXT (any language; case and diacritics "
            "ignored). Repeat to require several.",
        ),
        click.option(
            "--sector", metavar="SECTOR", help="Sector id or name; includes its sub-sectors."
        ),
        click.option("--kind", metavar="KIND", help="Kind id, name or term (e.g. MoU)."),
        click.option(
            "--status",
            "statuses",
            multiple=True,
            metavar="STATUS",
            help="Current status id or name; repeat for any of several; `open` is every "
            "status that is not final.",
        ),
        click.option(
            "--country", metavar="XX", help="A party is on this side (ISO code, e.g. VN, AZ)."
        ),
        click.option(
            "--since", callback=_period_end(False), metavar="YYYY[-MM[-DD]]", help="On or after."
        ),
        click.option(
            "--until", callback=_period_end(True), metavar="YYYY[-MM[-DD]]", help="On or before."
        ),
        click.option(
            "--query", "-q", metavar="TEXT", help="Free text in titles, quotes and notes."
        ),
        click.option(
            "--disputed",
            is_flag=True,
            help="Only agreements with open accounts: sources that disagree with the register.",
        ),
        click.option(
            "--overdue",
            is_flag=True,
            help="Only agreements with a commitment overdue (due, not met) on --as-of where "
            "the command has it, else today.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def filters(options: dict[str, Any], *, dates: bool = True) -> Any:
    """The Filters of `filter_options`; without `dates`, --since/--until are left to the caller."""
    from agreement_tracker.query import Filters

    return Filters(
        tuple(options["orgs"]),
        options["sector"],
        options["kind"],
        tuple(options["statuses"]),
        options["country"],
        options["since"] if dates else None,
        options["until"] if dates else None,
        options["query"],
        options["disputed"],
        _overdue_day() if options.get("overdue") else None,
    )


def _overdue_day() -> dt.date:
    """The day --overdue is read on: the command's --as-of where it has one and it is
    given (a report as of a day reads the same whenever it is run), else today."""
    ctx = click.get_current_context(silent=True)
    as_of = ctx.params.get("as_of") if ctx is not None else None
    return as_of if isinstance(as_of, dt.date) else dt.date.today()


def sort_options(func: Callable) -> Callable:
    """`--sort KEY` and `--reverse`, for `list` and `timeline`: the keys are the query
    layer's, read when a command that sorts is loaded (never for the group's `--help`)."""
    from agreement_tracker.query import SORT_KEYS

    func = click.option("--reverse", is_flag=True, help="Reverse the order.")(func)
    return click.option(
        "--sort",
        "sort",
        type=click.Choice(SORT_KEYS),
        default="date",
        show_default=True,
        help="Order by this field; ties by date, then id.",
    )(func)


def _register_after(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """`--register DIR` after the subcommand means what it means before it."""
    if value is not None:
        ctx.ensure_object(dict)
        ctx.obj["register"] = value


def accept_register_anywhere(command: click.Command) -> None:
    """Give a command (or every command of a group, and of its subgroups) a `--register`
    option, last among its options, as the group's own."""
    if isinstance(command, click.Group):
        for each in command.commands.values():
            accept_register_anywhere(each)
        return
    command.params.append(
        click.Option(
            ["--register"],
            metavar="DIR",
            expose_value=False,
            callback=_register_after,
            help="The register folder, as `agreements --register DIR …`.",
        )
    )
