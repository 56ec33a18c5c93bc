"""Every listing format, for list, orgs, sectors and show."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import REPO, invoke

LISTINGS = ["list", "orgs", "sectors"]


def out(*args: str) -> str:
    result = invoke("--register", str(REPO), *args)
    assert result.code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("command", LISTINGS)
def test_json_is_an_array_of_objects_with_ids(command: str) -> None:
    data = invoke("--register", str(REPO), command, "--format", "json").json()
    assert isinstance(data, list) and data
    assert all(isinstance(item["id"], str) for item in data)


@pytest.mark.parametrize(("command", "rows"), [("list", 8), ("orgs", 18), ("sectors", 13)])
def test_csv_has_a_header_and_one_row_per_item(command: str, rows: int) -> None:
    parsed = list(csv.reader(io.StringIO(out(command, "--format", "csv"))))
    assert parsed[0][0] == "ID"
    assert len(parsed) == rows + 1
    assert all(len(row) == len(parsed[0]) for row in parsed)


@pytest.mark.parametrize(("command", "rows"), [("list", 8), ("orgs", 18), ("sectors", 13)])
def test_markdown_is_a_table(command: str, rows: int) -> None:
    lines = out(command, "--format", "markdown").splitlines()
    assert lines[0].startswith("| ID |")
    assert set(lines[1].replace("|", "").split()) == {"---"}
    assert len(lines) == rows + 2


@pytest.mark.parametrize("command", LISTINGS)
def test_table_lists_every_id(command: str) -> None:
    data = invoke("--register", str(REPO), command, "--format", "json").json()
    text = out(command)
    assert all(item["id"] in text for item in data)


def test_list_json_keys_are_stable() -> None:
    item = invoke("--register", str(REPO), "list", "--org", "socar", "--format", "json").json()[0]
    assert list(item) == [
        "id",
        "title",
        "kind",
        "sectors",
        "parties",
        "date",
        "place",
        "occasion",
        "term",
        "status",
        "evidence",
        "follow_up",
        "accounts",
        "links",
        "commitments",
        "current_status",
        "signed",
    ]
    assert item["parties"][0] == {
        "org": "vn-binh-son-refining",
        "side": "VN",
        "role": "signatory",
        "signer": None,
        "name": {
            "en": "Binh Son Refining and Petrochemical JSC",
            "vi": "Công ty Cổ phần Lọc hóa dầu Bình Sơn",
        },
    }
    assert item["date"] == "2025-05-07"
    assert item["follow_up"] == []


def test_lang_vi_shows_vietnamese_titles_and_names() -> None:
    text = out("list", "--lang", "vi", "--format", "csv", "--org", "socar")
    assert "Bản ghi nhớ về cung cấp dầu thô dài hạn cho Nhà máy lọc dầu Dung Quất" in text
    assert "Công ty Cổ phần Lọc hóa dầu Bình Sơn" in text
    assert "Đã ký" in text


def test_markdown_escapes_pipes(register) -> None:
    path = register / "agreements" / "vn-az-2025-culture-mou.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "Memorandum of understanding on cooperation between the two ministries of\n    culture",
        "Culture | arts",
    )
    path.write_text(text, encoding="utf-8")
    result = invoke("--register", str(register), "list", "--format", "markdown", "-q", "arts")
    assert "Culture \\| arts" in result.stdout


def test_show_json_locates_each_quote_in_its_source() -> None:
    data = invoke(
        "--register", str(REPO), "show", "vn-az-2025-energy-mou", "--format", "json"
    ).json()
    assert data["id"] == "vn-az-2025-energy-mou"
    first = data["evidence"][0]
    assert first["source_file"] == "seeds/001_2b84120ea9e1bc77.txt"
    assert first["found"] == {"line": 3, "column": 21}


def test_show_table_has_fields_parties_evidence_and_timeline() -> None:
    text = out("show", "vn-az-2025-justice-programme")
    for expected in (
        "Cooperation programme for 2025–2027",
        "2025 – 2027",
        "Ministry of Justice of Azerbaijan",
        "seeds/001_2b84120ea9e1bc77.txt:3:",
        "giai đoạn 2025-2027",
        "Timeline",
        "2025-05-07  signed     Signed · Baku, Azerbaijan",
        "2027-12-31  term ends  term 2025–2027",
        "No follow-up notes yet: `agreements note add vn-az-2025-justice-programme",
    ):
        assert expected in text


def test_show_unknown_id_suggests_close_ids() -> None:
    result = invoke("--register", str(REPO), "show", "vn-az-2025-energy")
    assert result.code == 2
    assert "did you mean vn-az-2025-energy-mou" in result.stderr


def test_a_long_table_is_printed_in_aligned_chunks() -> None:
    import io

    from rich.console import Console

    from agreement_tracker.output.formats import Listing, emit
    from agreement_tracker.output.tables import CHUNK_ROWS

    rows = [
        [
            f"rec-{i:04d}",
            "2025-05-07",
            "Signed",
            "MoU",
            "VN Ministry of Justice\nAZ Ministry",
            "Law",
        ]
        for i in range(CHUNK_ROWS * 2 + 7)
    ]
    listing = Listing("many", ["ID", "Date", "Status", "Kind", "Parties", "Sectors"], rows)
    buffer = io.StringIO()
    emit(listing, "table", Console(file=buffer, width=100, markup=False))
    lines = buffer.getvalue().splitlines()
    assert sum(line.startswith("ID ") for line in lines) == 1  # one header
    data = [line for line in lines if line.startswith("rec-")]
    assert [line[:8] for line in data] == [f"rec-{i:04d}" for i in range(len(rows))]
    assert {line.index("2025-05-07") for line in data} == {10}  # one column, all chunks
    assert all(len(line) <= 100 for line in lines)


@pytest.mark.parametrize(
    "items",
    [
        pytest.param([], id="empty"),
        pytest.param([{"a": 1, "b": [1, {"c": "x\ny"}]}, {"d": "Bộ \u202e"}], id="records"),
        pytest.param([[]], id="nested-empty"),
    ],
)
def test_streamed_json_is_the_same_text_as_one_dump(items: list) -> None:
    import io

    from agreement_tracker.output.formats import to_json, write_json_array

    buffer = io.StringIO()
    write_json_array(iter(items), buffer.write)
    assert buffer.getvalue() == to_json(items) + "\n"
