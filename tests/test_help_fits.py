"""Help that fits an 80-column terminal (issue 23, item 2): no summary cut with "...", no
example line wider than the terminal. In-process, at COLUMNS=80, for every command and
subcommand the group lists."""

from __future__ import annotations

import click
import pytest

from agreement_tracker.cli import COMMANDS, cli
from conftest import invoke


def every_command() -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = [()]
    context = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(context, name)
        paths.append((name,))
        if isinstance(command, click.Group):
            paths.extend((name, sub) for sub in command.list_commands(context))
    return paths


@pytest.mark.parametrize("path", every_command(), ids=lambda p: " ".join(p) or "agreements")
def test_help_fits_80_columns(path: tuple[str, ...]) -> None:
    shown = invoke(*path, "--help", env={"COLUMNS": "80"})
    assert shown.code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    wide = [line for line in lines if len(line) > 80]
    assert not wide, wide
    cut = [line for line in lines if line.rstrip().endswith("...") and "Usage:" not in line
           and "[PATH]..." not in line]  # fmt: skip
    assert not cut, cut
