"""Allow `python -m agreement_tracker`."""

from agreement_tracker.launch import main

main()
