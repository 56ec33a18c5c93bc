"""The installed `agreements` command, run as a subprocess on real folders."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, run, tree_digest

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_list_works_from_any_folder_with_the_shipped_register(tmp_path: Path) -> None:
    result = run("list", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert len(result.json()) == 8


def test_the_nearest_register_above_the_working_folder_wins(register: Path) -> None:
    (register / "agreements" / "vn-az-2025-culture-mou.yaml").unlink()
    deep = register / "notes" / "2026"
    deep.mkdir(parents=True)
    result = run("list", "--format", "json", cwd=deep)
    assert result.code == 0, result.stderr
    assert len(result.json()) == 7


def test_register_option_beats_environment_beats_working_folder(
    register: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    shutil.copytree(register, other)
    (other / "agreements" / "vn-az-2025-culture-mou.yaml").unlink()
    (other / "agreements" / "vn-az-2025-science-mou.yaml").unlink()
    (register / "agreements" / "vn-az-2025-culture-mou.yaml").unlink()
    by_cwd = run("list", "--format", "json", cwd=register)
    by_env = run("list", "--format", "json", cwd=register, env={"AGREEMENTS_REGISTER": str(other)})
    by_option = run(
        "--register",
        str(REPO),
        "list",
        "--format",
        "json",
        cwd=register,
        env={"AGREEMENTS_REGISTER": str(other)},
    )
    assert [len(r.json()) for r in (by_cwd, by_env, by_option)] == [7, 6, 8]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("does-not-exist", "no such folder", id="missing"),
        pytest.param("README.md", "is a file, not a register folder", id="file"),
        pytest.param("cli", "not a register", id="folder-without-register"),
        pytest.param("", "is empty", id="empty"),
    ],
)
def test_register_option_naming_nothing_usable(value: str, message: str) -> None:
    result = run("--register", value, "list", cwd=REPO)
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_piped_output_has_no_colour_codes() -> None:
    for args in (["list"], ["show", "vn-az-2025-energy-mou"], ["orgs"], ["validate"]):
        result = run(*args, cwd=REPO)
        assert result.code == 0, result.stderr
        assert "\x1b" not in result.stdout


def test_version_and_help() -> None:
    version = run("--version")
    assert version.code == 0
    assert re.fullmatch(r"agreements, version \d+\.\d+\.\d+\n", version.stdout)
    helped = run("--help")
    assert "Example:" in helped.stdout


def test_markup_and_escape_codes_in_data_are_shown_literally(register: Path) -> None:
    path = register / "agreements" / "vn-az-2025-culture-mou.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("place: Baku, Azerbaijan", 'place: "[bold red]Baku[/] \\e[31mred\\u202e"')
    path.write_text(text, encoding="utf-8")
    before = tree_digest(register)
    for env in ({}, {"FORCE_COLOR": "1", "COLUMNS": "200"}):
        result = run("show", "vn-az-2025-culture-mou", cwd=register, env=env)
        assert result.code == 0, result.stderr
        plain = ANSI.sub("", result.stdout)
        assert "[bold red]Baku[/]" in plain
        assert "\\x1b[31mred\\u202e" in plain
        assert "\u202e" not in result.stdout
        assert "\x1b[31mred" not in result.stdout
    shown = run("show", "vn-az-2025-culture-mou", "--format", "json", cwd=register).json()
    assert shown["place"] == "[bold red]Baku[/] \x1b[31mred\u202e"
    assert tree_digest(register) == before


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    import subprocess

    from conftest import installed_command

    proc = subprocess.run(
        f"'{installed_command()}' orgs --format csv | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.stdout.startswith("ID,")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "command",
    [
        "report --as-of 2026-01-01 --html briefing.html --svg report.svg",
        "export ftm",
        "list --format json",
        "show vn-az-2025-energy-mou --proof",
    ],
)
def test_a_reader_that_leaves_early_is_no_error_and_costs_no_file(
    command: str, register: Path
) -> None:
    """`… | head -n 1`: the command ends with exit 0 and no message, as `list` did, and the
    files asked for are written (rich and click would each exit 1, the code for findings,
    and `report` wrote its files after printing)."""
    from conftest import installed_command

    # The reading end closed before the command writes a byte: every write finds the
    # pipe closed, whatever the size of the output.
    proc = subprocess.Popen([installed_command(), *command.split()], cwd=register,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    stderr = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=60) == 0, stderr
    assert stderr == ""
    if "--html" in command:
        assert (register / "briefing.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
        assert (register / "report.svg").read_text(encoding="utf-8").startswith("<svg")
