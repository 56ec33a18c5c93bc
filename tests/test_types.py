"""mypy over the package, as pyproject.toml configures it (strict on store/ and model).

CI runs only the test suite, so the type check runs inside it, as ruff does in test_meta.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow  # twenty seconds on a clean clone (no .mypy_cache)
def test_mypy_is_clean() -> None:
    proc = subprocess.run(
        # Its cache (.mypy_cache) makes a second run take a second instead of twenty.
        [sys.executable, "-m", "mypy"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
