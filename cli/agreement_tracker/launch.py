"""The console script: print a stored output when it still holds, else run the command.

Nothing heavy is imported before the replay check; see `replay` for when a
stored output is used. A closed pipe or Ctrl-C ends either path quietly.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    try:
        _replay_or_run(sys.argv[1:])
    except BrokenPipeError:
        # `agreements list | head`: the reader left, which is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)


def _replay_or_run(argv: list[str]) -> None:
    from agreement_tracker.replay import Replay

    replay = Replay.prepare(argv)
    output = replay.stored() if replay is not None else None
    if output is not None:
        sys.stdout.write(output)
        sys.stdout.flush()
        sys.exit(0)

    from agreement_tracker.cli import main as run

    if replay is None:
        run()
    else:
        replay.record(run)
