"""Check the third hold-out proof corpus itself (it imports nothing of the tool).

    python tests/proof_corpus/holdout3/check.py [--register DIR]

The second hold-out corpus's checker (`../holdout2/check.py`), run on this folder with
this corpus's minimums: each mistake class at least 3 times over at least 3 records; each
statement class at least 4 times, each language at least 5 times.
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
            MIN_MISTAKES_PER_CLASS=3,
            MIN_RECORDS_PER_CLASS=3,
            MIN_STATEMENTS_PER_CLASS=4,
            MIN_STATEMENTS_PER_LANGUAGE=5,
        )
    )
