"""Help that fits an 80- and a 60-column terminal (issue 23, item 2): no summary cut with
"...", no line wider than the terminal (which would cut it mid-word), and an example
broken to fit still runs: its lines join to the command the 80-column help shows
(tests/test_help_examples.py runs those). In-process for every command and subcommand the
group lists, and in a real pseudo-terminal for the group and the widest examples."""

from __future__ import annotations

import os
import re
import subprocess

import click
import pexpect
import pytest

from agreement_tracker.cli import COMMANDS, cli
from conftest import help_text, installed_command


def every_command() -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = [()]
    context = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(context, name)
        paths.append((name,))
        if isinstance(command, click.Group):
            paths.extend((name, sub) for sub in command.list_commands(context))
    return paths


def test_help_text_is_what_the_command_prints() -> None:
    """The control for `help_text`: it is the installed command's own --help."""
    env = {k: v for k, v in os.environ.items() if k not in {"LINES"}}
    for path, columns in [((), 80), (("note", "add"), 60)]:
        printed = subprocess.run(
            [installed_command(), *path, "--help"],
            capture_output=True, text=True, env={**env, "COLUMNS": str(columns)}, check=True,
        )  # fmt: skip
        assert printed.stdout == help_text(path, columns) + "\n"


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("path", every_command(), ids=lambda p: " ".join(p) or "agreements")
def test_help_fits(path: tuple[str, ...], width: int) -> None:
    lines = help_text(path, width).splitlines()
    # Broken at a hyphen inside a word ("--as-" / "of"): an option cut in two.
    hyphen = [line for line in lines if re.search(r"\w-$", line.rstrip())]
    assert not hyphen, hyphen
    wide = [line for line in lines if len(line) > width]
    assert not wide, wide
    cut = [line for line in lines if line.rstrip().endswith("...") and "Usage:" not in line
           and "[PATH]..." not in line]  # fmt: skip
    assert not cut, cut


def joined_examples(text: str) -> list[str]:
    """The example commands of a help text, as bash reads them: a backslash-newline is
    removed, inside double quotes too; outside quotes runs of spaces only part words."""
    block = text.split("Example:", 1)[1].split("\n\n", 1)[0] if "Example:" in text else ""
    commands, current, quoted = [], "", False
    i = 0
    while i < len(block):
        char = block[i]
        if char == "\\" and block[i + 1 : i + 2] == "\n":
            i += 2
            continue
        if char == "\n" and not quoted:
            commands.append(current)
            current = ""
        elif not (char == " " and not quoted and (not current or current.endswith(" "))):
            quoted = quoted != (char == '"')
            current += char
        i += 1
    commands.append(current)
    return [c.strip() for c in commands if c.strip()]


@pytest.mark.parametrize("path", every_command(), ids=lambda p: " ".join(p) or "agreements")
def test_an_example_broken_to_fit_is_the_same_command(path: tuple[str, ...]) -> None:
    wide = joined_examples(help_text(path, 200))
    narrow = joined_examples(help_text(path, 60))
    assert narrow == wide


@pytest.mark.slow
@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize(
    "path", [(), ("account",), ("evidence", "add"), ("note", "add"), ("org", "add")], ids=str
)
def test_help_in_a_terminal_is_never_cut(path: tuple[str, ...], width: int) -> None:
    """What a person sees: click finds the width from the terminal itself."""
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES"}}
    child = pexpect.spawn(installed_command(), [*path, "--help"], env=env,
                          dimensions=(200, width), encoding="utf-8", timeout=60)  # fmt: skip
    screen = child.read().replace("\r\n", "\n")
    child.close()
    lines = screen.splitlines()
    assert any("Options:" in line for line in lines), screen
    assert all(len(line) <= width for line in lines), [ln for ln in lines if len(ln) > width]
    assert not [line for line in lines if line.rstrip().endswith("...") and "Usage" not in line]
