"""Shared fixtures: copies of the shipped register in temporary folders, and two ways to run
the command: the installed console script as a subprocess (end to end) and click's CliRunner."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from agreement_tracker.cli import cli
from agreement_tracker.store.index import INDEX_DIR

REPO = Path(__file__).resolve().parent.parent

# The tests' own cache folder (indexes of read-only registers): never the user's.
os.environ["AGREEMENTS_CACHE_DIR"] = tempfile.mkdtemp(prefix="agreements-test-cache-")


def installed_command() -> str:
    """The `agreements` script of the environment running the tests."""
    beside = Path(sys.executable).parent / "agreements"
    found = str(beside) if beside.exists() else shutil.which("agreements")
    assert found, "the `agreements` console script is not installed: pip install -e '.[test]'"
    return found


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> object:
        return json.loads(self.stdout)


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input: str | None = None
) -> Result:
    """Run the installed command in a clean environment (no colour, no register override)."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"AGREEMENTS_REGISTER", "COLUMNS", "FORCE_COLOR", "NO_COLOR"}
    }
    full_env.update(env or {})
    proc = subprocess.run(
        [installed_command(), *args],
        cwd=cwd,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run the CLI in-process with CliRunner; stdout and stderr kept apart."""
    runner = CliRunner()
    result = runner.invoke(
        cli, list(args), env={"AGREEMENTS_REGISTER": None, **(env or {})}, catch_exceptions=False
    )
    return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """A writable copy of the shipped register."""
    root = tmp_path / "register"
    shutil.copytree(REPO / "agreements", root / "agreements")
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root


@pytest.fixture
def aged(register: Path) -> Path:
    """The register with every file last modified an hour ago (older than the racy window)."""
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in register.rglob("*"):
        os.utime(path, ns=(hour_ago, hour_ago))
    return register


def tree_digest(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, to prove a command changed nothing.

    The index (`.agreements/`) is left out: read commands keep it up to date.
    """
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and INDEX_DIR not in p.relative_to(root).parts
    }


RECORD_IDS = frozenset(
    {
        "vn-az-2025-energy-mou",
        "vn-az-2025-defence-loi",
        "vn-az-2025-justice-programme",
        "vn-az-2025-petrovietnam-mou",
        "vn-az-2025-binh-son-crude-mou",
        "vn-az-2025-science-mou",
        "vn-az-2025-culture-mou",
        "vn-az-2025-joint-statement",
    }
)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the first `old` with `new` in a register file; fail loudly if it is absent."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
