"""Messages that say what happened and a fix that works (issue 23, item 6): each advice is
followed as printed, and it works."""

from __future__ import annotations

import shlex
from pathlib import Path

from conftest import invoke


def test_a_note_text_that_begins_with_a_dash_is_told_to_go_after_dashes(register: Path) -> None:
    args = ["--register", str(register), "note", "add", "vn-az-2025-energy-mou"]
    refused = invoke(*args, "-5% less crude", "--dry-run")
    assert refused.code == 2
    advice = refused.stderr.rsplit("`--`: ", 1)[1].strip()
    assert advice.endswith("-- '-5% less crude'")
    # Followed as printed (ID and [OPTIONS] filled in): the note is taken, text intact.
    command = shlex.split(advice.replace("ID [OPTIONS]", "vn-az-2025-energy-mou --dry-run"))
    followed = invoke("--register", str(register), *command[1:])
    assert followed.code == 0, followed.stderr
    assert "text: -5% less crude" in followed.stdout


def test_a_mistyped_long_option_gets_no_dash_advice(register: Path) -> None:
    result = invoke("--register", str(register), "note", "add", "vn-az-2025-energy-mou", "x",
                    "--stauts", "signed")  # fmt: skip
    assert result.code == 2
    assert "--status" in result.stderr and "`--`" not in result.stderr
