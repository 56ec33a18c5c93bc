"""Follow-ups of issue 21's hardening: places where a register file that is a FIFO, a
device or a link was still skipped silently, read unbounded or opened blocking."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import invoke, run

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
    result = invoke("--register", str(register), "validate")  # a FIFO: conftest's watchdog
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


def test_validate_of_a_record_path_that_is_a_link_reports_that_record(register: Path) -> None:
    """`validate agreements/X.yaml` where X.yaml is a link to a device: the path is that
    record's file (its finding is shown), not "not inside the register" (a usage error,
    since the link was resolved to /dev/null before)."""
    rel = "agreements/vn-az-2025-energy-mou.yaml"
    (register / rel).unlink()
    (register / rel).symlink_to("/dev/null")
    result = invoke("validate", rel, cwd=register)
    assert "not inside the register" not in result.stderr
    assert result.code == 2, result.stdout + result.stderr
    assert rel in result.stdout and "file-not-regular" in result.stdout


def test_source_add_max_size_is_capped_at_what_the_register_reads(
    register: Path, tmp_path: Path
) -> None:
    """A source larger than SOURCE_MAX would be refused by validate and show after it was
    added: --max-size cannot go past it."""
    from agreement_tracker.store.files import SOURCE_MAX

    text = tmp_path / "s.txt"
    text.write_text("Hai bên đã ký bản ghi nhớ.\n", encoding="utf-8")
    over = str(SOURCE_MAX // 1_000_000 + 1)
    result = invoke("--register", str(register), "source", "add", str(text), "--lang", "vi",
                    "--max-size", over, "--dry-run")  # fmt: skip
    assert result.code == 2 and "--max-size" in result.stderr
    at_cap = str(SOURCE_MAX // 1_000_000)
    result = invoke("--register", str(register), "source", "add", str(text), "--lang", "vi",
                    "--max-size", at_cap, "--dry-run")  # fmt: skip
    assert result.code == 0, result.stderr


LINKING = "vn-az-2025-culture-mou"
LINKED = "vn-az-2025-energy-mou"


def _break_by_yaml(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "status: [\n", encoding="utf-8")


def _break_by_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nplace:", "\nplaec:", 1), encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_break_by_yaml, id="yaml-syntax"),
        pytest.param(_break_by_schema, id="schema"),
        pytest.param(_fifo, id="fifo"),
    ],
)
def test_a_link_to_a_record_that_failed_to_load_says_so(register: Path, damage) -> None:
    """Before: "unknown record 'X'; did you mean X" for a record whose file is there."""
    linking = register / "agreements" / f"{LINKING}.yaml"
    with linking.open("a", encoding="utf-8") as handle:
        handle.write(f"links:\n  - type: related\n    target: {LINKED}\n")
    damage(register / "agreements" / f"{LINKED}.yaml")
    result = invoke("--register", str(register), "validate")  # a FIFO: conftest's watchdog
    assert result.code in (1, 2), result.stdout
    assert f"unknown record {LINKED!r}" not in result.stdout
    assert f"the linked record {LINKED!r} failed to load" in result.stdout
    assert f"agreements/{LINKING}.yaml" in result.stdout


def test_a_check_that_crashes_on_a_record_names_that_record(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check that fails on one record's value is labelled with that record's file, not
    with seeds/sources.yaml. The fault is injected into the plain-data conversion that
    check_placeholders runs on each record."""
    from agreement_tracker import checks
    from agreement_tracker.loader import load
    from agreement_tracker.store.location import locate

    real = checks._placeholders

    def failing(value, path, found):
        if getattr(value, "id", None) == LINKED:
            raise ValueError("year 10000 is out of range")
        return real(value, path, found)

    monkeypatch.setattr(checks, "_placeholders", failing)
    loaded, findings = load(locate(str(register)), use_index=False)
    findings, _ = checks.validate(loaded, findings)
    crashed = [f for f in findings if f.code == "check-crashed"]
    assert len(crashed) == 1
    assert crashed[0].file == f"agreements/{LINKED}.yaml" and crashed[0].record == LINKED
    assert "check_placeholders failed on record" in crashed[0].message
