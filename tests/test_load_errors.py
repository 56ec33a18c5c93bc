"""Bad input in the register: one clear line with file:line:col, no traceback.

A read command shows what loads and exits 1; a file it cannot use at all
is named the same way. Writers refuse such a register (exit 2).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RECORD_IDS, edit, invoke, run, tree_digest

ENERGY = "agreements/vn-az-2025-energy-mou.yaml"


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        pytest.param(
            ENERGY,
            "kind: memorandum-of-understanding",
            "kind: [memorandum",
            f"{ENERGY}:",
            id="yaml-syntax",
        ),
        pytest.param(
            ENERGY,
            "sectors: [energy]",
            "sectors: [energy]\nsector: energy",
            f"{ENERGY}:8:9: error[unknown-key]: unknown key 'sector'",
            id="unknown-key",
        ),
        pytest.param(
            ENERGY,
            "org: az-ministry-of-energy",
            "org: az-ministry-of-enrgy",
            f"{ENERGY}:12:10: error[unknown-ref]: unknown organisation "
            "'az-ministry-of-enrgy'; did you mean az-ministry-of-energy",
            id="unknown-organisation",
        ),
        pytest.param(
            ENERGY,
            "date: 2025-05-07",
            "date: 2025-13-01",
            f"{ENERGY}:21:7: error[invalid-value]: date:",
            id="impossible-date",
        ),
        pytest.param(
            ENERGY,
            "date: 2025-05-07",
            "date: 7/5/2025",
            f"{ENERGY}:21:7: error[invalid-value]: date:",
            id="slash-date",
        ),
        pytest.param(
            ENERGY,
            "place: Baku, Azerbaijan",
            "place: Baku\nplace: Ganja",
            f"{ENERGY}:23:1: error[yaml-duplicate-key]: duplicate key 'place' (first at line 22)",
            id="duplicate-key",
        ),
        pytest.param(
            ENERGY,
            "id: vn-az-2025-energy-mou",
            "id: 2025",
            f"{ENERGY}:2:5: error[invalid-value]: id: ",  # the words after are pydantic's
            id="id-as-number",
        ),
        pytest.param(
            ENERGY,
            "id: vn-az-2025-energy-mou",
            "id: vn-az-2025-culture-mou",
            f"{ENERGY}:2:5: error[id-mismatch]",
            id="id-differs-from-file-name",
        ),
        pytest.param(
            ENERGY,
            "status: signed",
            "status: !!python/object/apply:os.system [echo hi]",
            f"{ENERGY}:24:9: error[yaml-tag]",
            id="python-tag",
        ),
        pytest.param(
            ENERGY,
            "status: signed\n",
            "",
            f"{ENERGY}:2:1: error[missing-field]: required field 'status' is missing",
            id="missing-field",
        ),
        pytest.param(
            "agreements/registry/organisations.yaml",
            "  - id: az-ministry-of-energy",
            "  - id: vn-ministry-of-industry-and-trade",
            "agreements/registry/organisations.yaml:22:9: error[duplicate-id]",
            id="duplicate-registry-id",
        ),
        pytest.param(
            "seeds/sources.yaml",
            "lang: en",
            "lang: french",
            "seeds/sources.yaml:125:11: error[invalid-value]: sources.4.lang",
            id="bad-language",
        ),
    ],
)
def test_a_broken_file_is_located_and_the_rest_still_listed(
    register: Path, rel: str, old: str, new: str, expected: str
) -> None:
    edit(register, rel, old, new)
    before = tree_digest(register)
    result = invoke("--register", str(register), "list", "--format", "csv")
    assert result.code == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    listed = {line.split(",")[0] for line in result.stdout.splitlines()[1:]}
    assert RECORD_IDS - {"vn-az-2025-energy-mou"} <= listed  # every other record is there
    assert tree_digest(register) == before


def test_yaml_syntax_error_names_line_and_column(register: Path) -> None:
    edit(register, ENERGY, "kind: memorandum-of-understanding", "kind: [memorandum")
    result = run("--register", str(register), "list")
    assert result.code == 1
    line = result.stderr.splitlines()[0]
    assert line.startswith(f"{ENERGY}:")
    assert "error[yaml-syntax]" in line
    _file, lineno, col = line.split(":")[:3]
    assert lineno.isdigit() and col.isdigit()
    assert "Traceback" not in result.stderr


def test_tab_indentation_says_so(register: Path) -> None:
    edit(register, ENERGY, "  - org: az-ministry-of-energy", "\t- org: az-ministry-of-energy")
    result = invoke("--register", str(register), "list")
    assert result.code == 1
    assert "tab" in result.stderr


def test_a_duplicate_record_id_across_files(register: Path) -> None:
    src = register / ENERGY
    (register / "agreements" / "copy.yaml").write_bytes(src.read_bytes())
    result = invoke("--register", str(register), "list")
    assert result.code == 1
    assert "agreements/copy.yaml:2:5: error[id-mismatch]" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"\xff\xfei\x00d\x00", "is UTF-16 text, not UTF-8", id="utf16"),
        # "Bình Sơn" in Windows-1258: a combining grave (0xCC) and ơ (0xF5).
        pytest.param(
            b"id: vn-az-2025-energy-mou\nplace: Bi\xccnh S\xf5n\n",
            "is not UTF-8 text",
            id="windows-1258",
        ),
        pytest.param(b"id: x\x00\n", "NUL byte", id="nul"),
        pytest.param(b"", "this file is empty", id="empty"),
        pytest.param(b"- a\n- b\n", "this file is a list", id="list-not-mapping"),
        pytest.param(b"a: &x [1]\nb: *x\n", "aliases", id="alias"),
    ],
)
def test_unusable_files(register: Path, content: bytes, expected: str) -> None:
    (register / ENERGY).write_bytes(content)
    result = invoke("--register", str(register), "list")
    assert result.code == 1
    assert ENERGY in result.stderr
    assert expected in result.stderr
    assert "7 agreements" in result.stdout


def test_all_errors_are_reported_together(register: Path) -> None:
    edit(register, ENERGY, "sectors: [energy]", "sectors: [enrgy]")
    edit(register, "agreements/vn-az-2025-culture-mou.yaml", "status: signed", "status: sined")
    result = invoke("--register", str(register), "list")
    assert "unknown sector 'enrgy'" in result.stderr
    assert "unknown status 'sined'" in result.stderr
    assert "2 errors in 2 files" in result.stderr


def test_utf8_bom_and_crlf_are_accepted(register: Path) -> None:
    path = register / ENERGY
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = invoke("--register", str(register), "list", "--format", "json")
    assert result.code == 0, result.stderr
    assert len(result.json()) == 8


def test_show_of_a_record_that_did_not_load_says_so(register: Path) -> None:
    """Not "no agreement with id X; did you mean X?": the record is there and broken."""
    edit(register, "agreements/vn-az-2025-energy-mou.yaml", "kind: ", "kind: [oops ")
    result = invoke("--register", str(register), "show", "vn-az-2025-energy-mou")
    assert result.code == 2
    assert "record 'vn-az-2025-energy-mou' did not load" in result.stderr
    assert "did you mean" not in result.stderr


def test_a_drafts_placeholder_where_an_id_belongs_is_a_placeholder(register: Path) -> None:
    """`new` writes "TODO: a sector id from sectors.yaml" where it read no sector: the
    finding says it is a placeholder to fill, not that it fails an id pattern."""
    edit(register, "agreements/vn-az-2025-energy-mou.yaml", "sectors: [energy]",
         "sectors: ['TODO: a sector id from sectors.yaml']")  # fmt: skip
    result = invoke("--register", str(register), "validate")
    assert result.code == 1
    assert "error[placeholder]: sectors.0 is still a placeholder: fill it in" in result.stdout


def test_an_unknown_sector_says_where_the_ids_are(register: Path) -> None:
    edit(register, "agreements/vn-az-2025-energy-mou.yaml", "sectors: [energy]",
         "sectors: [health]")  # fmt: skip
    result = invoke("--register", str(register), "validate")
    assert result.code == 1
    assert "unknown sector 'health'" in result.stdout
    assert "agreements/registry/sectors.yaml (`agreements sectors` lists them)" in result.stdout
