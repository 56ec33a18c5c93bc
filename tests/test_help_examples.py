"""Help you can trust: every `Example:` of every command's --help runs, as typed, against a
temporary register, and exits 0 (issue 16).

A line that uses the shell (a pipe, `~`, a redirection, `&&`) runs in bash with the installed
command; a plain line is split into words as the shell would split it (`shlex`) and runs
in-process, without a process's start-up for each of some fifty lines."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import click
import pytest

from agreement_tracker.cli import cli
from conftest import REPO, help_text, installed_command, invoke

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
    text = help_text(tuple(name.split()), 80)
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


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped register with the sources the examples cite, the files they read, a
    $HOME of its own and `pbpaste`: made once, copied for each test (the examples write)."""
    base = tmp_path_factory.mktemp("workplace")
    register = base / "register"
    shutil.copytree(REPO / "agreements", register / "agreements")
    shutil.copytree(REPO / "seeds", register / "seeds")
    home = base / "home"
    (home / "Downloads").mkdir(parents=True)
    (home / "Downloads" / "announcement.txt").write_text(LAO_TEXT + "Thông báo.\n", "utf-8")
    (register / "press-release.txt").write_text(LAO_TEXT + "Thông cáo báo chí.\n", "utf-8")
    # Made before each test's own environment (tests/conftest.py): this one said in full.
    env = {"AGREEMENTS_CACHE_DIR": str(base / "cache"), "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1", "EDITOR": "true", "VISUAL": "true"}  # fmt: skip
    for name, text, lang in (("la-visit", LAO_TEXT, "vi"), ("az-press", AZ_TEXT, "en")):
        (base / f"{name}.txt").write_text(text, "utf-8")
        added = invoke("--register", str(register), "source", "add", str(base / f"{name}.txt"),
                       "--lang", lang, "--id", name, env=env)  # fmt: skip
        assert added.code == 0, added.stderr
    for date in ("2025-08-01", "2025-09-01"):
        assert invoke("--register", str(register), "note", "add", "vn-az-2025-energy-mou",
                      "Met.", "--date", date, env=env).code == 0  # fmt: skip
    shutil.rmtree(base / "cache")
    bin_dir = base / "bin"
    bin_dir.mkdir()
    (bin_dir / "pbpaste").write_text("#!/bin/sh\necho 'Pasted from the clipboard.'\n")
    (bin_dir / "pbpaste").chmod(0o755)
    return base


@pytest.fixture
def workplace(prepared: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the prepared register, $HOME and `pbpaste`, and an $EDITOR that saves
    without changing."""
    for name in ("register", "home", "bin"):
        shutil.copytree(prepared / name, tmp_path / name, symlinks=True)
    agreements = Path(installed_command())
    env = {k: v for k, v in os.environ.items() if k not in {"AGREEMENTS_REGISTER", "COLUMNS"}}
    env.update({
        "HOME": str(tmp_path / "home"), "EDITOR": "true", "VISUAL": "true",
        "PATH": os.pathsep.join([str(tmp_path / "bin"), str(agreements.parent),
                                 env.get("PATH", "")]),
        "AGREEMENTS_CACHE_DIR": str(tmp_path / "cache"),
    })  # fmt: skip
    return tmp_path / "register", env


# What makes a line the shell's to read, not only to split into words.
SHELL_SYNTAX = re.compile(r"[|&;<>$`~*?(){}\\\[\]]")


def test_a_plain_line_splits_as_bash_splits_it() -> None:
    """The control for the in-process runs: quotes and non-ASCII words come out as bash's."""
    lines = [line for name, command in COMMANDS for line in examples(command, name)]
    plain = [line for line in lines if not SHELL_SYNTAX.search(line)]
    assert len(plain) >= 40
    script = "".join(f"printf '%s\\0' {line}; printf '\\n'\n" for line in plain)
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    split_by_bash = [words.split("\0")[:-1] for words in done.stdout.split("\n")[:-1]]
    assert split_by_bash == [shlex.split(line) for line in plain]


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_help_example_runs(
    workplace: tuple[Path, dict[str, str]], name: str, command: click.Command
) -> None:
    root, env = workplace
    for line in examples(command, name):
        assert "agreements" in line, line
        words = shlex.split(line)
        if not SHELL_SYNTAX.search(line) and words[0] == "agreements":
            ran = invoke(*words[1:], cwd=root, env=env)
            assert ran.code == 0, f"{line}\n{ran.stdout}\n{ran.stderr}"
            continue
        done = subprocess.run(["bash", "-c", line], cwd=root, env=env, capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)  # fmt: skip
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr
