"""A record's commitments as `show` lists them: each with its status on a day, its due
date as the source gives it, and its latest review. Apart from `report.py`, so that
`show` imports no more than a table needs."""

from __future__ import annotations

import datetime as dt

from agreement_tracker.model import Agreement
from agreement_tracker.output.formats import Listing


def commitment_listing(agreement: Agreement, today: dt.date) -> Listing:
    """One row per commitment, numbered as `commitment review` takes them."""
    listing = Listing(
        f"Commitments: {len(agreement.commitments)}",
        ["N", "Commitment", "Type", "Due", "Status", "Latest review"],
        narrow=[("Type", "N"), ("Latest review", "Commitment"), ("Status", "Due")],
    )
    for number, commitment in enumerate(agreement.commitments, start=1):
        review = commitment.latest(today)
        if review is None:
            latest = "none"
        else:
            met = f", met on {review.met_on.isoformat()}" if review.met_on else ""
            latest = f"{review.status} as of {review.as_of.isoformat()}{met} · {review.source}"
        due = commitment.due or "undated"
        if commitment.due_said:
            due += f" ({commitment.due_said})"
        listing.rows.append(
            [str(number), commitment.text, commitment.type, due, commitment.status(today), latest]
        )
    return listing
