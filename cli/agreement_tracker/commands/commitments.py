"""`commitment add` and `commitment review`: what a document promised, by when, and
whether it happened, each proven by the sentence that says so."""

from __future__ import annotations

import datetime as dt

import click

from agreement_tracker.commands.options import dry_run_option, parse_day
from agreement_tracker.commands.shared import load_register, say_change
from agreement_tracker.output.console import say

_TYPES = ("meeting", "delivery", "financing", "legal", "exchange", "other")
_STATUSES = ("scheduled", "met", "not-met", "partly-met")


def _report(what: str, changed: object) -> None:
    detail = getattr(changed, "detail", [])
    if not getattr(changed, "written", False):
        say_change(
            f"Dry run: nothing was written. {changed.file} would change so:",  # type: ignore[attr-defined]
            changed.change,  # type: ignore[attr-defined]
        )
    else:
        say(f"{what}: {changed.file}")  # type: ignore[attr-defined]
    for line in detail:
        say(f"  {line}")


@click.group("commitment")
def commitment_group() -> None:
    """What a document promised, by when, and whether it was kept.

    \b
    Example:
      agreements commitment add vn-az-2025-joint-statement --type other \\
        --text "Deepen cooperation in all areas" \\
        --source vov-strategic-partnership-en \\
        --quote "Vietnam and Azerbaijan will further deepen cooperation"
      agreements commitment review vn-az-2025-joint-statement 1 --status not-met \\
        --as-of 2026-06-01 --source vov-strategic-partnership-en
    """


@commitment_group.command("add")
@click.argument("agreement_id", metavar="ID")
@click.option("--text", required=True, help="What was promised, in a few words.")
@click.option("--type", "kind", required=True, type=click.Choice(_TYPES), help="What sort.")
@click.option(
    "--due",
    metavar="DATE",
    help="YYYY, YYYY-MM or YYYY-MM-DD as the quote states it. Default: read from the quote.",
)
@click.option("--by", "by", multiple=True, metavar="ORG", help="Who promised it (repeatable).")
@click.option("--source", "source_id", required=True, metavar="SOURCE_ID", help="The source.")
@click.option("--quote", required=True, help="The sentence that makes the promise, verbatim.")
@dry_run_option
@click.pass_context
def commitment_add_command(
    ctx: click.Context,
    agreement_id: str,
    text: str,
    kind: str,
    due: str | None,
    by: tuple[str, ...],
    source_id: str,
    quote: str,
    dry_run: bool,
) -> None:
    """Add a commitment of record ID, proven by the quote that makes it.

    The quote's sentence names the document or its parties and holds a promise
    ("will", "agreed to", "sẽ", "nhất trí", "vereinbarten", "conviennent de",
    "договорились"). A due date is the one the same quote states: a date, month,
    year, quarter ("Q3 2026", "quý III/2026") or a period counted from the signing
    ("within six months", "trong vòng 6 tháng"), as precise as the quote: give a
    quarter as its last month (--due 2026-09), a period as its last day. "Soon" is
    no date: the commitment is undated.

    \b
    Example:
      agreements commitment add vn-az-2025-joint-statement --dry-run \\
        --type other --text "Enhance relations between the two parties" \\
        --source vov-strategic-partnership-en \\
        --quote "Both sides expressed a desire to enhance relations"
    """
    from agreement_tracker.curate_commitments import commitment_add

    register = load_register(ctx, only=agreement_id)
    changed = commitment_add(
        register,
        agreement_id,
        text=text,
        type=kind,
        due=due,
        by=list(by),
        source=source_id,
        quote=quote,
        today=dt.date.today(),
        dry_run=dry_run,
    )
    _report(f"Added a commitment to {agreement_id}", changed)


@commitment_group.command("review")
@click.argument("agreement_id", metavar="ID")
@click.argument("number", metavar="N", type=click.IntRange(min=1))
@click.option("--status", required=True, type=click.Choice(_STATUSES), help="Where it stood.")
@click.option(
    "--as-of", "as_of", required=True, callback=parse_day, metavar="YYYY-MM-DD",
    help="The review's day.",
)  # fmt: skip
@click.option(
    "--met-on", "met_on", callback=parse_day, metavar="YYYY-MM-DD", help="The day it was met."
)
@click.option("--source", "source_id", required=True, metavar="SOURCE_ID", help="The source.")
@click.option("--quote", help="The passage that reports it, verbatim (needed for met).")
@click.option("--note", help="What a reader should know.")
@dry_run_option
@click.pass_context
def commitment_review_command(
    ctx: click.Context,
    agreement_id: str,
    number: int,
    status: str,
    as_of: dt.date,
    met_on: dt.date | None,
    source_id: str,
    quote: str | None,
    note: str | None,
    dry_run: bool,
) -> None:
    """Record where commitment N of record ID stood on a day.

    met and partly-met need a registered source and a quote that reports it done.
    No date may be in the future or before the signing; a met date only on a
    met or partly met commitment.

    \b
    Example:
      agreements commitment review vn-az-2025-joint-statement 1 --status not-met \\
        --as-of 2026-06-01 --source vov-strategic-partnership-en --dry-run
    """
    from agreement_tracker.curate_commitments import commitment_review

    register = load_register(ctx, only=agreement_id)
    changed = commitment_review(
        register,
        agreement_id,
        number,
        status=status,
        as_of=as_of,
        met_on=met_on,
        source=source_id,
        quote=quote,
        note=note,
        today=dt.date.today(),
        dry_run=dry_run,
    )
    _report(f"Reviewed commitment {number} of {agreement_id}", changed)
