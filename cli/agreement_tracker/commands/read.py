"""The commands that only read the register: list, show, orgs, sectors, report, timeline,
schema. None writes a record; report writes only the HTML or SVG file it is asked for."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from agreement_tracker.commands.options import (
    filter_options,
    filters,
    format_option,
    lang_option,
    parse_day,
    sort_options,
)
from agreement_tracker.commands.shared import check_outputs, find_agreement, load_register
from agreement_tracker.errors import EXIT_FINDINGS

if TYPE_CHECKING:
    from agreement_tracker.loader import Register


def _sorted(agreements: list[Any], options: dict[str, Any]) -> list[Any]:
    from agreement_tracker.query import sort_key

    return sorted(agreements, key=sort_key(options.pop("sort")), reverse=options.pop("reverse"))


def _with_hint(listing: Any, register: Register, options: dict[str, Any]) -> Any:
    """An empty listing says which filter matched nothing, and the nearest names."""
    if not listing.rows:
        from agreement_tracker.query import explain_empty

        listing.hint = explain_empty(register, filters(options))
    return listing


@click.command("list")
@filter_options
@sort_options
@lang_option
@format_option("table", "json", "csv", "markdown")
@click.pass_context
def list_command(ctx: click.Context, lang: str, fmt: str, **options: Any) -> None:
    """List agreements, filtered; the filters combine (AND).

    --since and --until are signing dates: YYYY, YYYY-MM or YYYY-MM-DD.

    \b
    Example:
      agreements list --ministry "bo tu phap"
      agreements list --sector energy --format json
      agreements list --org socar --lang vi --format markdown
      agreements list --status open --sort last-note --reverse
    """
    from agreement_tracker.output.formats import emit
    from agreement_tracker.output.listings import agreements_listing
    from agreement_tracker.query import select

    register = load_register(ctx, reading=True)
    agreements = _sorted(select(register, filters(options)), options)
    listing = agreements_listing(register, agreements, lang, fmt)
    emit(_with_hint(listing, register, options), fmt)


@click.command("show")
@click.argument("agreement_id", metavar="ID")
@click.option(
    "--proof",
    is_flag=True,
    help="Each claim (parties, kind, date, place, term, title) with the quote that proves it.",
)
@lang_option
@format_option("table", "json")
@click.pass_context
def show_command(ctx: click.Context, agreement_id: str, proof: bool, lang: str, fmt: str) -> None:
    """Everything about one agreement, with its quotes.

    \b
    Example:
      agreements show vn-az-2025-binh-son-crude-mou
      agreements show vn-az-2025-energy-mou --format json
      agreements show vn-az-2025-energy-mou --proof

    With --proof, exit 1 when a claim is not proven (a quote not in its source
    proves nothing).
    """
    register = load_register(ctx, reading=True)
    agreement = find_agreement(register, agreement_id)
    if proof:
        from agreement_tracker.output.formats import to_json
        from agreement_tracker.output.listings import proof_rows

        rows = proof_rows(register, agreement)
        if fmt == "json":
            click.echo(to_json(rows))
        else:
            from agreement_tracker.output.console import stdout_console
            from agreement_tracker.output.tables import show_proof

            show_proof(register, agreement, stdout_console())
        if any(not row["proven"] and row["checked"] for row in rows):
            ctx.obj["exit_code"] = EXIT_FINDINGS  # a claim no quote proves fails the proof
        return
    if fmt == "json":
        from agreement_tracker.output.formats import to_json
        from agreement_tracker.output.listings import show_json

        click.echo(to_json(show_json(register, agreement)))
    else:
        from agreement_tracker.output.console import stdout_console
        from agreement_tracker.output.tables import show_agreement

        show_agreement(register, agreement, lang, stdout_console())


@click.command("orgs")
@lang_option
@format_option("table", "json", "csv", "markdown")
@click.pass_context
def orgs_command(ctx: click.Context, lang: str, fmt: str) -> None:
    """The organisations registry: ids, countries, names and aliases.

    \b
    Example:
      agreements orgs --lang vi
    """
    from agreement_tracker.output.formats import emit
    from agreement_tracker.output.listings import organisations_listing

    register = load_register(ctx, reading=True)
    emit(organisations_listing(register, lang, fmt), fmt)


@click.command("sectors")
@lang_option
@format_option("table", "json", "csv", "markdown")
@click.pass_context
def sectors_command(ctx: click.Context, lang: str, fmt: str) -> None:
    """The sector hierarchy, with how many agreements each covers.

    \b
    Example:
      agreements sectors --format markdown
    """
    from agreement_tracker.output.formats import emit
    from agreement_tracker.output.listings import sectors_listing

    register = load_register(ctx, reading=True)
    emit(sectors_listing(register, lang), fmt)


@click.command("schema")
def schema_command() -> None:
    """The JSON Schema of agreement records, for editors.

    Each shipped record starts with a `# yaml-language-server: $schema=…`
    comment pointing at agreements/agreement.schema.json, which is this
    output.

    \b
    Example:
      agreements schema > agreements/agreement.schema.json
    """
    from agreement_tracker.output.formats import to_json
    from agreement_tracker.schema import record_json_schema

    click.echo(to_json(record_json_schema()))


@click.command("report")
@filter_options
@click.option(
    "--stale",
    "stale_after",
    type=click.IntRange(min=0),
    default=90,
    show_default=True,
    metavar="DAYS",
    help="List open agreements with no follow-up (note or signing) for more than DAYS.",
)
@click.option(
    "--ending",
    "ending_within",
    type=click.IntRange(min=0),
    default=180,
    show_default=True,
    metavar="DAYS",
    help="List open agreements whose term ends within DAYS, or has ended.",
)
@click.option(
    "--latest",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    metavar="N",
    help="How many of the latest notes to show.",
)
@click.option(
    "--rows",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    metavar="N",
    help="Longest list of organisations, stale agreements or ending terms on a terminal "
    "or in Markdown (0: all); JSON lists all.",
)
@click.option(
    "--as-of",
    "as_of",
    callback=parse_day,
    metavar="YYYY-MM-DD",
    help="Report as things stood on this date (later notes and signings left out). Default: today.",
)
@click.option("--svg", "svg", metavar="FILE", help="Also save what the terminal shows as SVG.")
@click.option(
    "--html",
    "html",
    metavar="FILE",
    help="Also save a briefing to forward as one self-contained HTML file: a cover with "
    "the counts and what changed since --since, then each record with its quotes, "
    "sources, accounts and timeline; prints on A4 or Letter.",
)
@lang_option
@format_option("table", "markdown", "json")
@click.pass_context
def report_command(
    ctx: click.Context,
    stale_after: int,
    ending_within: int,
    latest: int,
    rows: int,
    as_of: dt.date | None,
    svg: str | None,
    html: str | None,
    lang: str,
    fmt: str,
    **options: Any,
) -> None:
    """A briefing: counts, and what needs attention.

    Counts use each agreement's current status. "Open" agreements are those
    whose status is not final in statuses.yaml (implemented, lapsed,
    superseded and withdrawn are). Filters select the agreements as in `list`,
    except --since: it selects no records, but adds what changed from that day
    to --as-of (signings, notes and commitment reviews), in every format. The
    --html briefing always says what changed: without --since, in the last 90
    days.

    \b
    Example:
      agreements report
      agreements report --stale 180 --format markdown > briefing.md
      agreements report --as-of 2025-12-31 --svg q4.svg
      agreements report --since 2025-07 --html briefing.html
    """
    from agreement_tracker.briefing import build_report
    from agreement_tracker.output import report as render_report
    from agreement_tracker.query import select

    register = load_register(ctx, reading=True)
    check_outputs(register, (html, "an HTML report"), (svg, "an SVG report"))
    since = options.pop("since")  # what changed starts here: it selects no record
    report = build_report(
        register,
        select(register, filters({**options, "since": None})),
        today=as_of or dt.date.today(),
        stale_after=stale_after,
        ending_within=ending_within,
        latest=latest,
        since=since,
    )
    # The files first: a reader of standard output that leaves early (`| head`) must not
    # cost the briefing the user asked for.
    if html:
        _save_html_report(report, register, lang, since, html)
    if svg:
        from agreement_tracker.store.write import write_output

        image = render_report.terminal_view_svg(
            lambda c: render_report.print_report(report, register, lang, c, rows)
        )
        write_output(register.root, svg, image.encode("utf-8"), "a report")
    if fmt == "json":
        click.echo(render_report.report_json(report, register))
    elif fmt == "markdown":
        click.echo(render_report.report_markdown(report, register, lang, rows), nl=False)
    else:
        from agreement_tracker.output.console import stdout_console

        render_report.print_report(report, register, lang, stdout_console(), rows)


def _save_html_report(
    report: Any, register: Register, lang: str, since: dt.date | None, target: str
) -> None:
    """The briefing as one HTML file, written atomically outside the register's files;
    what changed is counted from `since`, else from 90 days before the report's day."""
    from agreement_tracker.output.briefing_html import briefing_html
    from agreement_tracker.store.write import write_output

    start = since if since is not None else report.as_of - dt.timedelta(days=CHANGED_DAYS)
    text = briefing_html(report, register, lang, start, given=since is not None)
    write_output(register.root, target, text.encode("utf-8"), "an HTML report")


# Without --since, a briefing's "what changed" covers this many days up to its day.
CHANGED_DAYS = 90


def _report_since_help(command: click.Command) -> None:
    """`report --since` starts what the briefing says changed, where `list`'s selects
    records signed from it: its help says so (the filters' shared help says the other)."""
    for param in command.params:
        if isinstance(param, click.Option) and param.name == "since":
            param.help = (
                "Also list what changed from this day to --as-of (the --html briefing: "
                "the last 90 days by default); selects no records."
            )


_report_since_help(report_command)


@click.command("timeline")
@filter_options
@sort_options
@lang_option
@format_option("table", "json", "csv", "markdown")
@click.pass_context
def timeline_command(ctx: click.Context, lang: str, fmt: str, **options: Any) -> None:
    """Signings, follow-up notes and term ends in date order.

    Filters select agreements as in `list`, except that --since and --until
    bound the events' dates, not the signing dates.

    \b
    Example:
      agreements timeline --sector energy
      agreements timeline --since 2025-06-01 --format markdown
      agreements timeline --sort id --reverse
    """
    from agreement_tracker.briefing import timeline
    from agreement_tracker.output.formats import emit
    from agreement_tracker.output.report import timeline_listing
    from agreement_tracker.query import select, sort_key

    register = load_register(ctx, reading=True)
    key, reverse = options.pop("sort"), options.pop("reverse")
    events = timeline(
        select(register, filters(options, dates=False)),
        options["since"],
        options["until"],
        commitments=True,
    )
    if key != "date":  # grouped by the agreement's KEY, each group in date order
        by = sort_key(key)
        events.sort(key=lambda e: by(e.agreement)[0])  # stable: date order kept within
    if reverse:
        events.reverse()
    listing = timeline_listing(register, events, lang)
    emit(_with_hint(listing, register, options), fmt)
