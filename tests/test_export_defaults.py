"""Where an export goes when no FILE is given (issue 23, item 7): exports/ inside a register
of one's own, a folder `init` keeps out of git; never through a link; the shipped example
is read-only."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from conftest import invoke


def test_an_export_without_a_file_goes_to_exports_which_git_ignores(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    assert invoke("init", str(mine), "--from-shipped").code == 0
    assert "exports/" in (mine / ".gitignore").read_text(encoding="utf-8").splitlines()
    result = invoke("export", "sqlite", cwd=mine)
    assert result.code == 0, result.stderr
    database = mine / "exports" / "register.db"
    with sqlite3.connect(database) as connection:
        assert connection.execute("select count(*) from agreements").fetchone()[0] == 8
    assert (mine / "exports" / "register.metadata.json").is_file()


def test_a_linked_exports_folder_is_not_followed(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    assert invoke("init", str(mine), "--from-shipped").code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, mine / "exports")
    result = invoke("export", "sqlite", cwd=mine)
    assert result.code == 2
    assert "is a link" in result.stderr and "give FILE" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_the_shipped_example_needs_a_file(tmp_path: Path) -> None:
    result = invoke("export", "sqlite", cwd=tmp_path)
    assert result.code == 2
    assert "read-only: give FILE" in result.stderr
    assert list(tmp_path.iterdir()) == []
