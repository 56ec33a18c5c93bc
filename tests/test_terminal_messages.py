"""Messages and findings in a real pseudo-terminal at 80 and 60 columns (issue 23, item 2):
wrapped at word boundaries with a hanging indent, never cut mid-word; on a pipe each
stays one line, for grep."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pexpect
import pytest

from conftest import REPO, installed_command

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the shipped register whose energy quote is misspelt: validate explains
    it in findings longer than any terminal line."""
    root = tmp_path / "register"
    shutil.copytree(REPO / "agreements", root / "agreements")
    shutil.copytree(REPO / "seeds", root / "seeds")
    path = root / "agreements/vn-az-2025-energy-mou.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Bộ Năng lượng Azerbaijan", "Bộ Năng lương Azerbaijan"), "utf-8")
    return root


def on_screen(root: Path, width: int, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "NO_COLOR"}}
    child = pexpect.spawn(installed_command(), ["--register", str(root), *args], env=env,
                          dimensions=(50, width), encoding="utf-8", timeout=60)  # fmt: skip
    output = child.read()
    child.close()
    return ANSI.sub("", output.replace("\r\n", "\n"))


@pytest.mark.slow
@pytest.mark.parametrize("width", [80, 60])
def test_findings_wrap_at_words_with_a_hanging_indent(broken: Path, width: int) -> None:
    piped = subprocess.run([installed_command(), "--register", str(broken), "validate"],
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    one_line = [line for line in piped.stdout.splitlines() if "quote-not-found" in line]
    assert len(one_line) == 1 and len(one_line[0]) > width  # a pipe: one line, for grep
    screen = on_screen(broken, width, "validate")
    lines = screen.splitlines()
    assert all(len(line) <= width for line in lines), [ln for ln in lines if len(ln) > width]
    found = next(i for i, line in enumerate(lines) if "quote-not-found" in line)
    start = found if lines[found].startswith("agreements/") else found - 1  # the file leads
    continued = []
    for line in lines[start + 1 :]:
        if not line.startswith("  ") or line.startswith("    "):
            break  # the next finding, or this one's detail (indented four)
        continued.append(line)
    assert continued, screen  # it went on, with a hanging indent of two
    # Every word of the piped finding stands whole on the screen, in the same order.
    assert " ".join([lines[start], *continued]).split() == one_line[0].split()
