"""Allow `python -m agreement_tracker`."""

from agreement_tracker.cli import main

main()
