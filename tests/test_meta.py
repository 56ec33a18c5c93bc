"""Cheap checks that catch rot: help texts, examples, README coverage, importable modules."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys

import click
import pytest

import agreement_tracker
from agreement_tracker.cli import cli
from conftest import REPO, invoke

COMMANDS = cli.list_commands(click.Context(cli))


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = invoke(command, "--help")
    assert result.code == 0
    assert "Example:" in result.stdout
    assert f"agreements {command}" in result.stdout.split("Example:")[1]


@pytest.mark.parametrize("command", ["show", "report", "validate", "list"])
def test_format_help_lists_exactly_the_formats_the_command_takes(command: str) -> None:
    help_text = " ".join(invoke(command, "--help").stdout.split())
    choices = help_text.split("--format [")[1].split("]")[0].split("|")
    described = help_text.split("Output format: ")[1].split(".")[0]
    assert [part.split()[0] for part in described.split(", ")] == choices


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"agreements {command}" in readme


# __main__ runs the command when imported, by design.
MODULES = sorted(
    m.name.removeprefix("agreement_tracker.")
    for m in pkgutil.walk_packages(agreement_tracker.__path__, "agreement_tracker.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("module", MODULES)
def test_every_module_imports_on_its_own(module: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", f"import agreement_tracker.{module}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from agreement_tracker.cli import cli\n"
        "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit: pass\n"
        "print(sorted(m for m in ('pydantic', 'rich', 'yaml', 'rapidfuzz') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_the_table_of_commands_holds_each_commands_own_summary() -> None:
    """The group's --help shows the summaries of cli.COMMANDS without importing a command:
    each must be the first paragraph of the command's own help."""
    from agreement_tracker.cli import COMMANDS

    ctx = click.Context(cli)
    for name, (_where, summary) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.help is not None, name
        assert " ".join(command.help.partition("\n\n")[0].split()) == summary, name


def families_imported(args: list[str]) -> list[str]:
    """The modules of agreement_tracker.commands that running `agreements ARGS` imports."""
    code = (
        "import sys; from agreement_tracker.cli import cli\n"
        f"try:\n    cli.main({args!r}, prog_name='agreements')\nexcept SystemExit: pass\n"
        "print(*sorted(m for m in sys.modules if m.startswith('agreement_tracker.commands.')),"
        " file=sys.stderr)"
    )
    env = {**os.environ, "AGREEMENTS_REGISTER": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert proc.returncode == 0, proc.stderr
    return [m.removeprefix("agreement_tracker.commands.") for m in proc.stderr.split()]


@pytest.mark.parametrize(
    ("args", "imported"),
    [
        pytest.param(["--help"], ["group", "options"], id="--help"),
        pytest.param(
            ["list", "--format", "json"],
            ["group", "options", "read", "shared"],
            id="list --format json",
        ),
        pytest.param(
            ["note", "add", "--help"], ["group", "notes", "options", "shared"], id="note add --help"
        ),
        pytest.param(
            ["validate", "--help"], ["group", "options", "validate"], id="validate --help"
        ),
        pytest.param(
            ["org", "add", "--help"], ["curate", "group", "options", "shared"], id="org add --help"
        ),
        pytest.param(
            ["account", "list", "--help"],
            ["group", "options", "records", "shared"],
            id="account list --help",
        ),
        pytest.param(
            ["export", "--help"], ["export", "group", "options", "shared"], id="export --help"
        ),
    ],
)
def test_a_command_imports_only_its_own_family(args: list[str], imported: list[str]) -> None:
    """Commands load lazily: the group's --help imports no family, a command only its own
    (and the group's machinery and shared options, which every command needs)."""
    assert families_imported(args) == imported


def test_changelog_has_an_unreleased_section() -> None:
    assert "## [Unreleased]" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")


def test_importing_the_package_is_cheap() -> None:
    """The package itself loads nothing: every command pays only for what it uses."""
    code = (
        "import sys; before = set(sys.modules)\n"
        "import agreement_tracker\n"
        "print(sorted(m for m in set(sys.modules) - before if m != 'agreement_tracker'))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert importlib.import_module("agreement_tracker").__version__


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean(args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", *args, "cli", "tests"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_layers_import_downwards_only() -> None:
    """store/ imports nothing above the model (docs/architecture.md), and output/ never
    writes a file: it returns text, which a command writes through the store."""
    import ast

    package = REPO / "cli" / "agreement_tracker"
    below_store = ("store", "model", "findings", "errors", "text", "languages", "schema")
    for path in sorted((package / "store").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "agreement_tracker."
            ):
                top = node.module.split(".")[1]
                assert top in below_store, f"{path.name} imports {node.module}"
    for path in sorted((package / "output").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for call in ("open(", ".write_text(", ".write_bytes(", "write_output(", "os.replace("):
            assert call not in text, f"output/{path.name} writes a file ({call})"


def test_no_module_is_over_600_lines() -> None:
    """Issue 25's bound: a module a maintainer can read whole. A module that grows past it
    is split along its seams (as model.py into model, registries and model_kit)."""
    package = REPO / "cli" / "agreement_tracker"
    long = {
        str(p.relative_to(package)): n
        for p in package.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert not long, long
