"""Follow-ups of issue 21's hardening: places where a register file that is a FIFO, a
device or a link was still skipped silently, read unbounded or opened blocking."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run

COUNTRIES = "agreements/registry/countries.yaml"


def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _to_device(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/null")


@pytest.mark.parametrize(
    "make", [pytest.param(_fifo, id="fifo"), pytest.param(_to_device, id="link-to-device")]
)
def test_an_optional_registry_that_is_no_regular_file_is_reported(register: Path, make) -> None:
    """countries.yaml may be missing (an older register), but a FIFO or a link to a device
    in its place is reported, not skipped as if it were missing ("all good" before)."""
    make(register / COUNTRIES)
    result = run("--register", str(register), "validate")
    assert result.code == 2, result.stdout
    assert f"{COUNTRIES}" in result.stdout and "file-not-regular" in result.stdout


def _to_zero(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")


@pytest.mark.parametrize(
    "make", [pytest.param(_fifo, id="fifo"), pytest.param(_to_zero, id="link-to-dev-zero")]
)
def test_source_add_over_a_seed_name_that_is_no_regular_file_refuses_at_once(
    register: Path, tmp_path: Path, make
) -> None:
    """Before: a FIFO at seeds/NAME hung `source add`, a link to /dev/zero read until
    MemoryError. Now the name counts as taken, with a message that says so."""
    text = tmp_path / "new-source.txt"
    text.write_text("Hai bên đã ký bản ghi nhớ.\n", encoding="utf-8")
    make(register / "seeds" / text.name)
    result = run("--register", str(register), "source", "add", str(text), "--title", "t",
                 "--publisher", "p", "--published", "2025-05-07", "--lang", "vi")  # fmt: skip
    assert result.code == 2, result.stdout + result.stderr
    assert f"seeds/{text.name} exists already" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_the_index_never_hashes_through_a_fifo_or_a_link(tmp_path: Path) -> None:
    """file_sha256 (racy rows) opens without following a link and without blocking: a FIFO
    swapped in gives no hash instead of hanging the command."""
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    plain = tmp_path / "plain.yaml"
    plain.write_text("a: 1\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(plain)
    code = (
        "import sys; from pathlib import Path; "
        "from agreement_tracker.store.index import file_sha256 as h; "
        "print([h(Path(p)) is None for p in sys.argv[1:]])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(fifo), str(link), str(plain)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert proc.stdout.strip() == "[True, True, False]", proc.stderr
