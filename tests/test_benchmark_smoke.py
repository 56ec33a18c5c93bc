"""The benchmark, small: the generator's registers validate and the runner measures every row.

No timing is asserted here (shared machines are noisy); this keeps the
benchmark from rotting. The real run: `python tests/benchmarks/run.py`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run

pytestmark = pytest.mark.slow  # registers generated and whole processes timed

BENCH = REPO / "tests" / "benchmarks"
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402


def test_generated_registers_pass_validate_and_are_deterministic(tmp_path: Path) -> None:
    generate(tmp_path / "a", 60, 7)
    generate(tmp_path / "b", 60, 7)
    result = run("--register", str(tmp_path / "a"), "validate", "--strict")
    assert result.code == 0, result.stdout
    assert "checked 60 records" in result.stdout and "7 sources: all good" in result.stdout
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.*"))
    assert all(
        (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a
    )


def test_the_runner_measures_every_command(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--sizes", "20", "--runs", "1",
         "--startup-runs", "1", "--json", str(out), "--workdir", str(tmp_path / "work"),
         "--big-source", "1", "1000"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    results = json.loads(out.read_text())
    rows = results["rows"]
    names = {(r["name"], r["size"]) for r in rows}
    assert ("agreements note add", "shipped") in names
    # The start-up targets: each command against the floor of the libraries it imports.
    startup = {r["name"]: r for r in results["startup"]}
    assert set(startup) == {
        "agreements --help",
        "agreements list",
        "agreements list --format json",
        "agreements show ID",
        "agreements note add --dry-run",
    }
    assert startup["agreements --help"]["floor"] == "import click"
    assert startup["agreements show ID"]["floor"] == "import click, rich.console, rich.table"
    assert startup["agreements note add --dry-run"]["target"] == 1.3
    for row in startup.values():
        assert row["median_ms"] > 0 and row["floor_ms"] > 0 and row["interpreter_ms"] > 0
        assert row["met"] == (row["vs_floor"] <= row["target"])
        result = "met" if row["met"] else "**missed**"
        assert f"| `{row['name']}` | `python -c '{row['floor']}'` |" in proc.stdout
        assert f"| ≤ {row['target']:.1f} | {result} |" in proc.stdout
    assert ("agreements validate (one 1 MB source, 1,000 mentions)", "1") in names
    for name in (
        "floor: bare read",
        "agreements list",
        "agreements list --sector energy --format json",
        "… right after one record was edited",
        "agreements validate",
        "agreements report",
        "agreements note add",
    ):
        assert (name, "20") in names
    assert all(r["median_ms"] > 0 and r["peak_mb"] > 0 for r in rows)
    assert "| `agreements validate` | 20 |" in proc.stdout
