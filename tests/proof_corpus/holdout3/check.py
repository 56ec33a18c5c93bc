"""Check the third hold-out proof corpus itself (it imports nothing of the tool).

    python tests/proof_corpus/holdout3/check.py [--register DIR]

The second hold-out corpus's checker (`../holdout2/check.py`), run on this folder with
this corpus's minimums: each mistake class at least 3 times over at least 3 records; each
statement class at least 4 times, each language at least 5 times.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

spec = importlib.util.spec_from_file_location(
    "holdout2_check", HERE.parent / "holdout2" / "check.py"
)
assert spec is not None and spec.loader is not None
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)
checker.__doc__ = __doc__
checker.HERE = HERE
checker.MIN_MISTAKES_PER_CLASS = 3
checker.MIN_RECORDS_PER_CLASS = 3
checker.MIN_STATEMENTS_PER_CLASS = 4
checker.MIN_STATEMENTS_PER_LANGUAGE = 5

if __name__ == "__main__":
    sys.exit(checker.main())
