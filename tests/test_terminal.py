"""`agreements list` in a real pseudo-terminal, at a fixed width: what a person sees."""

from __future__ import annotations

import functools
import os
import re

import pexpect
import pytest

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


# --- every word whole, at 80 and 60 columns (issue 16) ------------------------------------

BOX = "│┃┏┓┗┛━─┳┻╋┡┩╇└┘┴┬├┤┼┠┨┯┷"
WIDE_COMMANDS = [
    ["list"],
    ["list", "--lang", "vi"],
    ["orgs"],
    ["sectors"],
    ["timeline"],
    ["report", "--as-of", "2026-01-01"],
    ["show", "vn-az-2025-binh-son-crude-mou"],
    ["show", "vn-az-2025-science-mou", "--lang", "vi"],
]


def words(text: str) -> list[str]:
    """Words between spaces and box lines, without the separators a pipe adds (; ,)."""
    return [w.strip(";,") for w in re.findall(rf"[^\s{BOX}]+", text) if w.strip(";,")]


@functools.cache  # the shipped register, read-only: one run serves both widths
def piped(*args: str) -> str:
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "AGREEMENTS_REGISTER"}}
    done = subprocess.run([installed_command(), *args], cwd=str(REPO), env=env,
                          capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    return done.stdout


# The layout's own words on a terminal: folded column names and the footnote.
LAYOUT = set(words("/ Left out at 60 80 columns: Parent. Aliases. Sectors. A wider terminal "
                   "shows them, as do --format csv and json."))  # fmt: skip


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("args", WIDE_COMMANDS, ids=" ".join)
def test_every_word_on_the_screen_is_whole(args: list[str], width: int) -> None:
    """Each word a person sees is a word of the data or the layout: piped, the same
    command prints every value whole, so a cut word ("Cul", "Aliye") is in neither."""
    whole = set(words(piped(*args))) | LAYOUT
    text = ANSI.sub("", screen(*args, width=width))
    lines = text.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines), text
    cut = [w for w in words(text) if w not in whole]
    assert not cut, f"cut words at {width} columns: {cut}\n{text}"
    assert not re.search(r"\w…", text.replace("k…", "")), text  # no ellipsis after a cut word


def test_piped_list_keeps_each_agreement_on_one_line() -> None:
    """`agreements list | grep …` finds the whole row: id, date, parties, sectors."""
    import json

    out = piped("list")
    records = json.loads(piped("list", "--format", "json"))
    orgs = {o["id"]: o for o in json.loads(piped("orgs", "--format", "json"))}
    sectors = {s["id"]: s["name"]["en"] for s in json.loads(piped("sectors", "--format", "json"))}
    for record in records:
        [line] = [x for x in out.splitlines() if x.startswith(record["id"] + " ")]
        assert record["date"] in line
        for party in record["parties"]:
            if party["role"] != "witness":
                org = orgs[party["org"]]
                assert (org["short"] or org["name"])["en"] in line, (party, line)
        for sector in record["sectors"]:
            assert sectors[sector] in line
    assert len(max(out.splitlines(), key=len)) > 120  # not wrapped to any width


def test_show_proof_on_a_terminal_marks_the_words_that_prove_each_claim() -> None:
    """On a terminal the proving words are underlined in the quote, printed once however
    many claims it proves; nothing runs past the screen's 80 columns."""
    shown = screen("show", "vn-az-2025-justice-programme", "--proof", width=80)
    underlined = re.findall(r"\x1b\[[0-9;]*4[0-9;]*m([^\x1b]+)\x1b\[0m", shown)
    assert "Bộ Tư pháp Việt Nam" in underlined and "Bộ Tư pháp Azerbaijan" in underlined
    assert "Chương trình hợp tác" in underlined and "7/5" in underlined
    assert "trao đổi" not in underlined  # a verb proves the role, not a name: not marked
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    assert plain.count("“Bộ Tư pháp Việt Nam và Bộ Tư pháp Azerbaijan") == 1
    assert max(len(line) for line in plain.splitlines()) <= 80


def test_piped_show_proof_is_not_padded() -> None:
    out = piped("show", "vn-az-2025-justice-programme", "--proof")
    assert out.strip() and not [line for line in out.splitlines() if line != line.rstrip()]
    assert "\x1b" not in out
