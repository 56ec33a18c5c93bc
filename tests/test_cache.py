"""The parse cache: used when valid, never stale, and harmless when broken."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import edit, invoke

ENERGY = "agreements/vn-az-2025-energy-mou.yaml"


def listed(root: Path, cache: Path) -> dict[str, str]:
    result = invoke(
        "--register", str(root), "list", "--format", "json",
        env={"AGREEMENTS_CACHE_DIR": str(cache)},
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return {item["id"]: item["title"]["en"] for item in result.json()}  # type: ignore[union-attr]


def cache_file(cache: Path) -> Path:
    (found,) = cache.glob("*.records.json")
    return found


def test_the_cache_is_filled_and_then_served(aged: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    listed(aged, cache)
    data = json.loads(cache_file(cache).read_text())
    assert ENERGY in data["files"]
    # Prove the next run reads the cache: a title changed only there is what it shows.
    data["files"][ENERGY][1]["title"]["en"] = "Served from the cache"
    cache_file(cache).write_text(json.dumps(data))
    assert listed(aged, cache)["vn-az-2025-energy-mou"] == "Served from the cache"


def test_an_edit_with_the_same_size_and_mtime_is_seen(aged: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    listed(aged, cache)
    path = aged / ENERGY
    before = path.stat()
    edit(aged, ENERGY, "cooperation in the field of energy", "cooperation in the field of ENERGY")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    assert path.stat().st_size == before.st_size
    assert "ENERGY" in listed(aged, cache)["vn-az-2025-energy-mou"]


def test_added_and_deleted_records_are_seen_at_once(aged: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert len(listed(aged, cache)) == 8
    text = (aged / ENERGY).read_text(encoding="utf-8")
    (aged / "agreements/vn-az-2025-energy-mou-copy.yaml").write_text(
        text.replace("id: vn-az-2025-energy-mou", "id: vn-az-2025-energy-mou-copy"),
        encoding="utf-8",
    )
    assert "vn-az-2025-energy-mou-copy" in listed(aged, cache)
    (aged / ENERGY).unlink()
    after = listed(aged, cache)
    assert "vn-az-2025-energy-mou" not in after and len(after) == 8
    assert ENERGY not in json.loads(cache_file(cache).read_text())["files"]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\x00\xff not json", id="corrupt"),
        pytest.param(b'{"format": 1, "version": "0.0.0", "root": "/elsewhere", "files": {}}',
                     id="foreign"),
        pytest.param(b'{"format": 1, "files": {"agreements/x.yaml": [[1], 2]}}', id="malformed"),
        pytest.param(b"[" * 100_000, id="deeply-nested"),
    ],
)  # fmt: skip
def test_a_broken_cache_is_ignored_and_rebuilt(aged: Path, tmp_path: Path, content: bytes) -> None:
    cache = tmp_path / "cache"
    listed(aged, cache)
    cache_file(cache).write_bytes(content)
    assert len(listed(aged, cache)) == 8
    rebuilt = json.loads(cache_file(cache).read_text())
    assert ENERGY in rebuilt["files"]


def test_files_modified_within_the_racy_window_are_not_cached(
    register: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    for path in register.rglob("*"):
        os.utime(path)  # every file modified just now
    listed(register, cache)
    assert not list(cache.glob("*.json")) or not json.loads(cache_file(cache).read_text())["files"]


def test_findings_on_a_cached_record_still_have_line_numbers(aged: Path, tmp_path: Path) -> None:
    env = {"AGREEMENTS_CACHE_DIR": str(tmp_path / "cache")}
    assert invoke("--register", str(aged), "validate", env=env).code == 0
    # The record is unchanged (served from the cache); the registry it refers to is not.
    edit(aged, "agreements/registry/kinds.yaml", "id: memorandum-of-understanding", "id: mou")
    result = invoke("--register", str(aged), "validate", env=env)
    assert f"{ENERGY}:6:7: error[unknown-ref]" in result.stdout
