"""Help you can trust: every `Example:` of every command's --help runs, as typed, in a shell
against a temporary register, and exits 0 (issue 16)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import click
import pytest

from agreement_tracker.cli import cli
from conftest import installed_command, invoke

LAO_TEXT = """\
Hà Nội, ngày 12/3/2026
Chuyến thăm chính thức Việt Nam của Thủ tướng Lào diễn ra từ ngày 11-13/3 tại Hà Nội.
Bộ Tư pháp Việt Nam và Bộ Tư pháp Lào trao đổi Bản ghi nhớ về hợp tác pháp luật.
"""
AZ_TEXT = """\
Baku, 7 May 2025
Azerbaijan's Ministry of Defence signed a memorandum of understanding with Vietnam's \
Ministry of National Defence on 7 May 2025 in Baku.
"""


def _commands(group: click.Group, path: list[str]) -> list[tuple[str, click.Command]]:
    found = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the lazily loaded commands too
        command = group.get_command(ctx, name)
        assert command is not None, name
        found.append((" ".join([*path, name]), command))
        if isinstance(command, click.Group):
            found += _commands(command, [*path, name])
    return found


def examples(command: click.Command, name: str) -> list[str]:
    """The example lines of a command's help, each continued line joined."""
    text = command.get_help(click.Context(command, info_name=name))
    block = text.split("Example:", 1)[1].split("\n\n", 1)[0] if "Example:" in text else ""
    lines: list[str] = []
    for raw in block.splitlines():
        line = raw.strip()
        if lines and lines[-1].endswith("\\"):
            lines[-1] = lines[-1][:-1].rstrip() + " " + line
        elif line:
            lines.append(line)
    return lines


COMMANDS = _commands(cli, [])


def test_every_command_shows_examples() -> None:
    assert all(examples(command, name) for name, command in COMMANDS), [
        name for name, command in COMMANDS if not examples(command, name)
    ]


@pytest.fixture
def workplace(register: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The shipped register with the sources the examples cite, the files they read, a
    $HOME of its own, `pbpaste`, and an $EDITOR that saves without changing."""
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    (home / "Downloads" / "announcement.txt").write_text(LAO_TEXT + "Thông báo.\n", "utf-8")
    (register / "press-release.txt").write_text(LAO_TEXT + "Thông cáo báo chí.\n", "utf-8")
    for name, text, lang in (("la-visit", LAO_TEXT, "vi"), ("az-press", AZ_TEXT, "en")):
        (tmp_path / f"{name}.txt").write_text(text, "utf-8")
        added = invoke("--register", str(register), "source", "add",
                       str(tmp_path / f"{name}.txt"), "--lang", lang, "--id", name)  # fmt: skip
        assert added.code == 0, added.stderr
    for date in ("2025-08-01", "2025-09-01"):
        assert invoke("--register", str(register), "note", "add", "vn-az-2025-energy-mou",
                      "Met.", "--date", date).code == 0  # fmt: skip
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pbpaste").write_text("#!/bin/sh\necho 'Pasted from the clipboard.'\n")
    (bin_dir / "pbpaste").chmod(0o755)
    agreements = Path(installed_command())
    env = {k: v for k, v in os.environ.items() if k not in {"AGREEMENTS_REGISTER", "COLUMNS"}}
    env.update({
        "HOME": str(home), "EDITOR": "true", "VISUAL": "true",
        "PATH": os.pathsep.join([str(bin_dir), str(agreements.parent), env.get("PATH", "")]),
        "AGREEMENTS_CACHE_DIR": str(tmp_path / "cache"),
    })  # fmt: skip
    return register, env


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_help_example_runs(
    workplace: tuple[Path, dict[str, str]], name: str, command: click.Command
) -> None:
    root, env = workplace
    for line in examples(command, name):
        assert "agreements" in line, line
        done = subprocess.run(["bash", "-c", line], cwd=root, env=env, capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)  # fmt: skip
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr
