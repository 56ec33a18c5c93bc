"""`agreements list` in a real pseudo-terminal, at a fixed width: what a person sees."""

from __future__ import annotations

import os
import re

import pexpect

from conftest import REPO, installed_command

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def screen(*args: str, width: int = 120, env: dict[str, str] | None = None) -> str:
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"COLUMNS", "LINES", "NO_COLOR", "AGREEMENTS_REGISTER"}
    }
    full_env.update({"TERM": "xterm-256color", **(env or {})})
    child = pexpect.spawn(
        installed_command(),
        list(args),
        cwd=str(REPO),
        env=full_env,
        dimensions=(60, width),
        encoding="utf-8",
        timeout=30,
    )
    output = child.read()
    child.close()
    assert child.exitstatus == 0, output
    return output.replace("\r\n", "\n")


def test_list_on_a_terminal_is_a_coloured_table_that_fits_the_width() -> None:
    raw = screen("list")
    assert "\x1b[" in raw, "a terminal gets styling"
    text = ANSI.sub("", raw)
    lines = text.splitlines()
    assert lines[0].startswith("8 agreements")
    assert lines[1].split() == ["ID", "Date", "Status", "Kind", "Parties", "Sectors"]
    assert all(len(line) <= 120 for line in lines)
    row = next(line for line in lines if line.startswith("vn-az-2025-justice-programme"))
    assert row.split()[:4] == ["vn-az-2025-justice-programme", "2025-05-07", "Signed", "Programme"]
    assert "VN Ministry of Justice" in row
    ids = [line.split()[0] for line in lines[3:] if line.startswith("vn-az-")]
    assert len(ids) == 8


def test_no_color_is_honoured_on_a_terminal() -> None:
    raw = screen("list", env={"NO_COLOR": "1"})
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m", raw), "no foreground colours with NO_COLOR"


def test_a_narrow_terminal_keeps_ids_whole() -> None:
    text = ANSI.sub("", screen("list", width=80))
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "vn-az-2025-binh-son-crude-mou" in text
