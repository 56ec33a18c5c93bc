"""Check the hold-out proof corpus itself (it imports nothing of the tool).

    python tests/proof_corpus/holdout/check.py [--register DIR]

The hold-out corpora share one checker (`../holdout2/check.py`, which its author grew
from this corpus's first one): mistakes apply once each to an in-memory copy of the
register, edited files still parse, every quote of an edited record is verbatim in its
source (but the one misspelt character of a misspelt-quote case), statements are
verbatim in their press files. Run here with this corpus's minimums: each mistake class
at least 5 times over at least 5 records; each statement class at least 5 times, each
language at least 7 times.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "holdout2"))  # the hold-out corpora's one checker

from check import run_for  # noqa: E402

if __name__ == "__main__":
    sys.exit(
        run_for(
            HERE,
            __doc__ or "",
            MIN_MISTAKES_PER_CLASS=5,
            MIN_RECORDS_PER_CLASS=5,
            MIN_STATEMENTS_PER_CLASS=5,
            MIN_STATEMENTS_PER_LANGUAGE=7,
        )
    )
