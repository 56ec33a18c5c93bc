"""Curating a record's commitments: `commitment add` and `commitment review`, each proven
before it is written, then written under the lock as an account or a quote is."""

from __future__ import annotations

import datetime as dt
from typing import Any

from agreement_tracker.commitments import as_written
from agreement_tracker.curate import Changed, known_source
from agreement_tracker.curate_records import check_quote_text, item_index, known_record
from agreement_tracker.errors import BadArgument, WriteRefused
from agreement_tracker.store.splice import replace_item
from agreement_tracker.store.write import (
    add_entry,
    ensure_own_register,
    rewrite,
)


def _refuse(problems: list[Any]) -> None:
    """Refuse with each problem's code (the rule) and message (its own fix), exit 1."""
    from agreement_tracker.errors import QuoteNotFound

    if problems:
        raise QuoteNotFound(
            "\n".join(f"{code}: {message}" for _, code, message in problems) + "\nnothing was added"
        )


def _found_quote(register: Any, source: str, quote: str) -> None:
    from agreement_tracker.errors import QuoteNotFound
    from agreement_tracker.passages import not_found_lines
    from agreement_tracker.text import visible

    text = register.source_text(source)
    if text is None:
        raise BadArgument(
            f"source {source!r} cannot be read (`agreements validate` says why); nothing was added"
        )
    if text.find(quote) is None:
        shown = "".join(f"\n  {visible(line)}" for line in not_found_lines(text, quote))
        raise QuoteNotFound(
            f"quote-not-found: the quote is not in source {source!r}: copy it verbatim from "
            f"the source; nothing was added{shown}"
        )


def commitment_add(
    register: Any,
    agreement_id: str,
    *,
    text: str,
    type: str,
    due: str | None,
    by: list[str],
    source: str,
    quote: str,
    today: Any,
    dry_run: bool = False,
) -> Changed:
    """Add what the document commits its parties to, proven by the sentence that makes the
    promise; its due date is the one that quote states (read from it when --due is not
    given), a period counted from the record's signing date. Added lines only, under the
    lock; the proof runs again on the record as it is then."""
    import dataclasses

    from agreement_tracker.model import Commitment
    from agreement_tracker.notes import parse_record
    from agreement_tracker.proof.commitments import commitment_problems, stated_due
    from agreement_tracker.schema import from_arguments
    from agreement_tracker.suggest import did_you_mean
    from agreement_tracker.values import partial_date

    ensure_own_register(register.location.read_only)
    agreement = known_record(register, agreement_id)
    known_source(register, source, "--source", "; `agreements source add` adds one")
    check_quote_text(quote)
    if not text.strip():
        raise BadArgument("--text is empty: say what was promised; nothing was added")
    for org in by:
        if org not in register.organisations:
            hint = did_you_mean(org, register.organisations, "; `agreements orgs` lists them")
            raise BadArgument(f"--by {org!r} is not an organisation id{hint}; nothing was added")
    if due is not None:
        try:
            due = partial_date(due)
        except ValueError as exc:
            raise BadArgument(f"--due {exc}; nothing was added") from None
    _found_quote(register, source, quote)
    stated = stated_due(register, agreement, source, quote)
    detail: list[str] = []
    entry: dict[str, Any] = {"text": text, "type": type}
    if stated is not None and stated.dated:
        if due is None and stated.value is not None:
            due = stated.value
            detail.append(f"due {due}, read from {as_written(quote, stated.said)!r}")
        entry["due"] = due
        entry["due_said"] = as_written(quote, stated.said)
    elif due is not None:
        entry["due"] = due
    else:
        detail.append("undated: the quote states no deadline for this document")
    if stated is not None and stated.how == "period" and stated.start == "other" and due is None:
        detail.append(
            f"undated: {as_written(quote, stated.said)!r} is counted from a day the quote "
            "does not give"
        )
    if entry.get("due") is None:
        entry.pop("due", None)
        entry.pop("due_said", None)
    if by:
        entry["by"] = list(dict.fromkeys(by))
    entry.update({"source": source, "quote": quote})
    commitment = from_arguments(Commitment, entry, "the commitment cannot be added")
    rel = register.record_files[agreement_id]

    def check(record_text: str) -> None:
        current = parse_record(record_text, rel)
        for number, existing in enumerate(current.commitments, start=1):
            if existing.source == source and existing.quote == quote and existing.text == text:
                raise BadArgument(
                    f"commitment {number} of {agreement_id} already records this promise "
                    f"from this quote; nothing was added"
                )
        extended = dataclasses.replace(current, commitments=[*current.commitments, commitment])
        index = len(current.commitments)
        _refuse(commitment_problems(register, extended, index, commitment, today=today))

    change = add_entry(register.root, rel, "commitments", entry, dry_run=dry_run, check=check)
    return Changed(rel, change, not dry_run, detail)


def commitment_index(agreement: Any, number: int) -> int:
    """The list index of commitment `number` as `show` numbers them."""
    return item_index(agreement.id, len(agreement.commitments), number, "commitment", "show")


def commitment_review(
    register: Any,
    agreement_id: str,
    number: int,
    *,
    status: str,
    as_of: str | dt.date,
    met_on: str | dt.date | None,
    source: str,
    quote: str | None,
    note: str | None,
    today: Any,
    dry_run: bool = False,
) -> Changed:
    """Record where commitment `number` stood on `as_of`, as a registered source reports
    it: met and partly met need the quote that says so. Only the commitment's lines
    change, under the lock, and only if it is still the one the command read."""
    import dataclasses

    from agreement_tracker.model import Review
    from agreement_tracker.notes import parse_record
    from agreement_tracker.plain import to_plain
    from agreement_tracker.proof.commitments import commitment_problems
    from agreement_tracker.schema import from_arguments
    from agreement_tracker.values import day

    ensure_own_register(register.location.read_only)
    agreement = known_record(register, agreement_id)
    index = commitment_index(agreement, number)
    known_source(register, source, "--source", "; `agreements source add` adds one")
    days: dict[str, Any] = {}
    for option, value in (("as_of", as_of), ("met_on", met_on)):
        if value is None:
            continue
        try:
            days[option] = day(value)
        except ValueError as exc:
            raise BadArgument(f"--{option.replace('_', '-')} {exc}; nothing was added") from None
    if quote is not None:
        check_quote_text(quote)
        _found_quote(register, source, quote)
    review_entry: dict[str, Any] = {"status": status, **days, "source": source}
    if quote is not None:
        review_entry["quote"] = quote
    if note:
        review_entry["note"] = note
    review = from_arguments(Review, review_entry, "the review cannot be added")
    old = agreement.commitments[index]
    rel = register.record_files[agreement_id]
    placed: list[str] = []

    def change_of(record_text: str) -> Any:
        # Read under the lock: a review another writer added meanwhile is kept, and this
        # one goes in date order among them (a backfill, as a note dated earlier is).
        current = parse_record(record_text, rel)
        if index >= len(current.commitments) or _promise(current.commitments[index]) != _promise(
            old
        ):
            raise WriteRefused(
                f"commitment {number} of {agreement_id} changed on disk since it was read; "
                "nothing was written: run the command again"
            )
        now = current.commitments[index]
        mine = to_plain(review, exclude_none=True)
        for r, existing in enumerate(now.reviews, start=1):
            if to_plain(existing, exclude_none=True) == mine:
                raise BadArgument(
                    f"review {r} of commitment {number} of {agreement_id} already records "
                    "this review; nothing was written"
                )
        at = next((r for r, e in enumerate(now.reviews) if e.as_of > review.as_of),
                  len(now.reviews))  # fmt: skip
        placed.clear()
        if at < len(now.reviews):
            later = now.reviews[at]
            placed.append(
                f"backfilled as review {at + 1}, before the review as of "
                f"{later.as_of.isoformat()}: reviews stay in date order"
            )
        reviewed = dataclasses.replace(now, reviews=[*now.reviews[:at], review, *now.reviews[at:]])
        commitments = list(current.commitments)
        commitments[index] = reviewed
        extended = dataclasses.replace(current, commitments=commitments)
        problems = commitment_problems(register, extended, index, reviewed, today=today)
        own = ("commitments", index, "reviews", at)
        _refuse([p for p in problems if p[0][: len(own)] == own])
        entry = to_plain(reviewed, exclude_none=True, dates=True)
        return replace_item(record_text, rel, "commitments", index, entry)

    change = rewrite(register.root, rel, change_of, dry_run=dry_run)
    detail = [f"commitment {number}: {status} as of {days['as_of'].isoformat()}", *placed]
    return Changed(rel, change, not dry_run, detail)


def _promise(commitment: Any) -> Any:
    """A commitment without its reviews: what a review may not find changed."""
    import dataclasses

    from agreement_tracker.plain import to_plain

    return to_plain(dataclasses.replace(commitment, reviews=[]))
