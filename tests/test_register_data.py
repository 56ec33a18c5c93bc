"""The shipped register itself: sources byte for byte, the eight records, every quote verbatim."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest
import yaml

from conftest import RECORD_IDS, REPO

RECORDS = RECORD_IDS


def manifest() -> list[dict]:
    return yaml.safe_load((REPO / "seeds" / "sources.yaml").read_text(encoding="utf-8"))["sources"]


# The sha256 of each source text as it was handed over: sources are never edited, so
# these never change. Checked on every machine (no folder beside the checkout is needed),
# against the files and against the manifest, which `validate` checks the files against.
SEED_HASHES = {
    "000_e19e8333a4d2ae90.txt": "a77a9c9b411456ef09717bdcffde8f878ebe8c72efb0f1baa0e9c996dca40645",
    "001_2b84120ea9e1bc77.txt": "a4f4c0f900eda87e1782c6a2b626f2b3841ae269cbea0d3c4830558fbac0bf44",
    "002_ec99982f26183d59.txt": "2ebe27478fffa7a2bf89ba6777a6b4b059f728ca5801732c266cb3065240d3bc",
    "003_373479f16b438832.txt": "deed0f9712fcff9d5923312280d447c811d20707ef26d2207d5a00ae6471561a",
    "004_f2abfe0f3f15c223.txt": "b0ee48010bf6c6ad537f4b590ae12869b159ca0ea9af548c579ecc7b393854ed",
}


def test_the_seeds_are_the_texts_handed_over_byte_for_byte() -> None:
    ours = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (REPO / "seeds").glob("*.txt")
    }
    assert ours == SEED_HASHES
    assert {e["file"]: e["sha256"] for e in manifest()} == SEED_HASHES


def test_manifest_hashes_match_files_and_describe_each_source_once() -> None:
    entries = manifest()
    files = sorted(p.name for p in (REPO / "seeds").glob("*.txt"))
    assert sorted(e["file"] for e in entries) == files
    assert len({e["id"] for e in entries}) == len(entries)
    for entry in entries:
        data = (REPO / "seeds" / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
        assert entry["lang"] in {"vi", "en"}
        for key in ("title", "publisher", "published"):
            assert entry[key], f"{entry['id']}: {key} must be a value or 'unknown'"


def test_the_eight_records_exist_with_file_name_equal_to_id() -> None:
    found = {}
    for path in (REPO / "agreements").glob("*.yaml"):
        found[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))["id"]
    assert set(found) == RECORDS
    assert all(stem == record_id for stem, record_id in found.items())


def _fold(text: str) -> str:
    # Written independently of the tool's own matcher on purpose.
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.parametrize("record_id", sorted(RECORDS))
def test_every_quote_appears_verbatim_in_its_own_source(record_id: str) -> None:
    sources = {e["id"]: e["file"] for e in manifest()}
    record = yaml.safe_load((REPO / "agreements" / f"{record_id}.yaml").read_text(encoding="utf-8"))
    assert record["evidence"], "a record needs at least one quote"
    for evidence in record["evidence"]:
        text = (REPO / "seeds" / sources[evidence["source"]]).read_text(encoding="utf-8")
        assert _fold(evidence["quote"]) in _fold(text)


def test_justice_programme_has_a_term_with_start_and_end() -> None:
    record = yaml.safe_load((REPO / "agreements" / "vn-az-2025-justice-programme.yaml").read_text())
    assert record["term"] == {"start": 2025, "end": 2027}
