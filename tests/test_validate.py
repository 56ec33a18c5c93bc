"""`agreements validate`: each rule firing on a copy of the register, and the schema export."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import jsonschema
import pytest

from agreement_tracker.store.yamlread import read_yaml
from conftest import REPO, edit, invoke, run, tree_digest

ENERGY = "agreements/vn-az-2025-energy-mou.yaml"
QUOTE = "Bộ Công thương Việt Nam và Bộ Năng lượng Azerbaijan trao đổi bản ghi nhớ"


def validate(root: Path, *args: str) -> tuple[int, list[dict]]:
    result = invoke("--register", str(root), "validate", "--format", "json", *args)
    return result.code, result.json()


def codes(findings: list[dict]) -> list[str]:
    return [f["code"] for f in findings]


def test_shipped_register_is_clean_and_says_what_it_checked() -> None:
    result = run("validate", cwd=REPO)
    assert result.code == 0, result.stdout
    assert result.stdout.strip() == "checked 8 records, 24 quotes, 5 sources: all good"


def test_one_character_changed_in_a_quote_shows_the_nearest_passage(register: Path) -> None:
    edit(register, ENERGY, "trao đổi bản ghi nhớ\n", "trao dổi bản ghi nhớ\n")
    code, findings = validate(register)
    assert code == 1
    [finding] = [f for f in findings if f["severity"] == "error"]
    assert finding["code"] == "quote-not-found"
    assert (finding["file"], finding["line"], finding["column"]) == (ENERGY, 27, 12)
    assert finding["record"] == "vn-az-2025-energy-mou"
    score = float(finding["detail"][0].split("similarity ")[1].split("/")[0])
    assert score > 90
    assert QUOTE in finding["detail"][0]
    assert "  - quote:  dổi" in finding["detail"] and "  + source: đổi" in finding["detail"]


def test_text_report_is_compiler_style_with_a_summary(register: Path) -> None:
    edit(register, ENERGY, "trao đổi bản ghi nhớ\n", "trao dổi bản ghi nhớ\n")
    result = run("--register", str(register), "validate")
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{ENERGY}:27:12: error[quote-not-found]: ")
    assert lines[1].startswith("    nearest passage (similarity 9")
    assert lines[-1] == "checked 8 records, 24 quotes, 5 sources: 1 error, 1 warning"
    assert any("warning[uncovered-mention]" in line for line in lines), "its mention is now bare"


def test_a_quote_in_nfd_passes(register: Path) -> None:
    path = register / ENERGY
    path.write_text(
        unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8"
    )
    assert validate(register) == (0, [])


def test_a_quote_rewrapped_across_lines_passes(register: Path) -> None:
    edit(
        register,
        ENERGY,
        "Bộ Năng lượng Azerbaijan trao đổi bản ghi nhớ\n",
        "Bộ Năng lượng\n      Azerbaijan   trao đổi\n      bản ghi nhớ\n",
    )
    assert validate(register) == (0, [])


def test_a_party_not_named_in_any_quote(register: Path) -> None:
    edit(register, ENERGY, "  - org: az-ministry-of-energy", "  - org: az-ministry-of-culture")
    code, findings = validate(register)
    assert code == 1
    assert codes(findings) == ["ungrounded-party"]
    assert findings[0]["field"] == "parties.1.org"
    assert findings[0]["line"] == 12


def test_a_kind_whose_term_is_not_in_the_quotes(register: Path) -> None:
    edit(register, ENERGY, "kind: memorandum-of-understanding", "kind: letter-of-intent")
    code, findings = validate(register)
    assert code == 1
    # …its English title names a memorandum, and its quote calls it a memorandum beside
    # the signatories: a disagreement too.
    assert codes(findings) == ["ungrounded-kind", "title-names-another-kind", "disputed-kind"]
    assert "ý định thư" in findings[0]["message"]


def test_a_term_not_stated(register: Path) -> None:
    edit(register, "agreements/vn-az-2025-justice-programme.yaml", "  end: 2027", "  end: 2028")
    _, findings = validate(register)
    assert codes(findings) == ["ungrounded-term"]


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        pytest.param("date: 2025-05-07", "date: 2025-05-08", "ungrounded-date", id="date"),
        pytest.param(
            "date: 2025-05-07", "date: 2025-05-09", "date-outside-occasion", id="outside-occasion"
        ),
        pytest.param(
            "place: Baku, Azerbaijan", "place: Ganja, Azerbaijan", "unknown-place", id="place"
        ),
        pytest.param(
            "place: Baku, Azerbaijan",
            "place: Baku, Armenia",
            "place-wrong-country",
            id="place-country",
        ),
    ],
)
def test_date_and_place_need_support(register: Path, old: str, new: str, code: str) -> None:
    edit(register, ENERGY, old, new)
    assert codes(validate(register)[1]) == [code]


def test_one_byte_of_a_source_changed(register: Path) -> None:
    path = register / "seeds" / "002_ec99982f26183d59.txt"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))
    code, findings = validate(register)
    assert code == 1
    assert codes(findings) == ["source-changed"]
    assert "seeds/002_ec99982f26183d59.txt has changed" in findings[0]["message"]
    assert findings[0]["file"] == "seeds/sources.yaml"


def test_a_source_file_missing(register: Path) -> None:
    (register / "seeds" / "004_f2abfe0f3f15c223.txt").unlink()
    code, findings = validate(register)
    assert code == 1
    assert "source-missing" in codes(findings)
    assert "004_f2abfe0f3f15c223.txt is missing" in findings[0]["message"]


def test_a_removed_record_is_an_uncovered_mention(register: Path) -> None:
    (register / "agreements" / "vn-az-2025-defence-loi.yaml").unlink()
    code, findings = validate(register)
    assert code == 0, "warnings alone pass"
    assert codes(findings) == ["uncovered-mention"]
    assert findings[0]["severity"] == "warning"
    assert findings[0]["file"] == "seeds/001_2b84120ea9e1bc77.txt"
    assert findings[0]["line"] == 3
    assert "'Ý định thư'" in findings[0]["message"]
    strict = invoke("--register", str(register), "validate", "--strict")
    assert strict.code == 1


def test_an_excuse_that_is_not_in_its_source(register: Path) -> None:
    edit(
        register,
        "seeds/sources.yaml",
        "effectively implement signed agreements",
        "effectively implement all signed agreements",
    )
    code, findings = validate(register)
    assert code == 1
    assert sorted(codes(findings)) == ["quote-not-found", "uncovered-mention"]


def test_a_duplicate_id(register: Path) -> None:
    (register / "agreements" / "copy.yaml").write_bytes((register / ENERGY).read_bytes())
    code, findings = validate(register)
    assert code == 1
    assert "id-mismatch" in codes(findings)


def test_an_unknown_organisation_id(register: Path) -> None:
    edit(register, ENERGY, "org: az-ministry-of-energy", "org: az-ministry-of-enrgy")
    code, findings = validate(register)
    assert code == 1
    assert codes(findings) == ["unknown-ref"]
    assert (findings[0]["line"], findings[0]["column"]) == (12, 10)


def test_a_yaml_syntax_error_exits_2_with_file_line_col(register: Path) -> None:
    edit(register, ENERGY, "sectors: [energy]", "sectors: [energy")
    before = tree_digest(register)
    result = run("--register", str(register), "validate")
    assert result.code == 2
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{ENERGY}:") and "error[yaml-syntax]" in first
    assert first.split(":")[1].isdigit() and first.split(":")[2].isdigit()
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_digest(register) == before


def test_all_findings_are_collected_together(register: Path) -> None:
    edit(register, ENERGY, "trao đổi bản ghi nhớ\n", "trao dổi bản ghi nhớ\n")
    edit(register, "agreements/vn-az-2025-culture-mou.yaml", "status: signed", "status: sined")
    (register / "seeds" / "003_373479f16b438832.txt").write_text("changed", encoding="utf-8")
    _, findings = validate(register)
    errors = [f for f in findings if f["severity"] == "error"]
    # the occasion's quote, the not_agreements passage and the erratum's passage of source
    # 003 are gone with the text
    assert sorted(codes(errors)) == [
        "erratum-not-found",
        "quote-not-found",
        "quote-not-found",
        "quote-not-found",
        "source-changed",
        "unknown-ref",
    ]


def test_paths_limit_the_report_to_those_records(register: Path) -> None:
    edit(register, ENERGY, "trao đổi bản ghi nhớ\n", "trao dổi bản ghi nhớ\n")
    culture = str(register / "agreements" / "vn-az-2025-culture-mou.yaml")
    assert validate(register, culture) == (0, [])
    code, findings = validate(register, str(register / ENERGY))
    assert code == 1 and codes(findings) == ["quote-not-found"], "no warnings from seeds/"


def test_finding_json_has_the_documented_keys(register: Path) -> None:
    edit(register, ENERGY, "trao đổi bản ghi nhớ\n", "trao dổi bản ghi nhớ\n")
    _, findings = validate(register)
    assert list(findings[0]) == [
        "file",
        "line",
        "column",
        "severity",
        "code",
        "message",
        "record",
        "field",
        "detail",
    ]


def test_schema_command_matches_the_committed_schema_file() -> None:
    printed = json.loads(invoke("schema").stdout)
    committed = json.loads((REPO / "agreements" / "agreement.schema.json").read_text())
    assert printed == committed


def test_shipped_records_pass_the_exported_schema_and_name_it() -> None:
    schema = json.loads(invoke("schema").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((REPO / "agreements").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=agreement.schema.json\n"), path
        data = read_yaml(text, path.name).data
        assert list(validator.iter_errors(data)) == [], path.name


def test_the_schema_rejects_what_the_model_rejects() -> None:
    schema = json.loads(invoke("schema").stdout)
    data = read_yaml((REPO / ENERGY).read_text(encoding="utf-8"), "x").data
    data["unknown"] = 1
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)
