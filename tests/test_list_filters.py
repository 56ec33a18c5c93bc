"""`agreements list` filters on the shipped register, through CliRunner and JSON output."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from conftest import RECORD_IDS, REPO, invoke

ALL = RECORD_IDS
MOUS = {
    "vn-az-2025-energy-mou",
    "vn-az-2025-petrovietnam-mou",
    "vn-az-2025-binh-son-crude-mou",
    "vn-az-2025-science-mou",
    "vn-az-2025-culture-mou",
}


def listed(*args: str) -> set[str]:
    result = invoke("--register", str(REPO), "list", *args, "--format", "json")
    assert result.code == 0, result.stderr
    return {item["id"] for item in result.json()}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param((), ALL, id="no-filter"),
        pytest.param(
            ("--ministry", "Ministry of Economy"),
            {"vn-az-2025-petrovietnam-mou", "vn-az-2025-binh-son-crude-mou"},
            id="ministry-of-economy",
        ),
        pytest.param(
            ("--sector", "energy"),
            {
                "vn-az-2025-energy-mou",
                "vn-az-2025-petrovietnam-mou",
                "vn-az-2025-binh-son-crude-mou",
            },
            id="sector-includes-sub-sectors",
        ),
        pytest.param(
            ("--sector", "oil-and-gas"),
            {"vn-az-2025-petrovietnam-mou", "vn-az-2025-binh-son-crude-mou"},
            id="sub-sector-only",
        ),
        pytest.param(
            ("--sector", "Năng lượng"),
            {
                "vn-az-2025-energy-mou",
                "vn-az-2025-petrovietnam-mou",
                "vn-az-2025-binh-son-crude-mou",
            },
            id="sector-by-vietnamese-name",
        ),
        pytest.param(("--org", "socar"), {"vn-az-2025-binh-son-crude-mou"}, id="org-socar"),
        pytest.param(("--ministry", "bo van hoa"), {"vn-az-2025-culture-mou"}, id="bo-van-hoa"),
        pytest.param(
            ("--ministry", "Bộ Văn hoá"), {"vn-az-2025-culture-mou"}, id="hoa-variant-spelling"
        ),
        pytest.param(
            ("--ministry", "bo tu phap"), {"vn-az-2025-justice-programme"}, id="bo-tu-phap-no-marks"
        ),
        pytest.param(
            ("--ministry", "Bộ Tư pháp"), {"vn-az-2025-justice-programme"}, id="bo-tu-phap-nfc"
        ),
        pytest.param(
            ("--ministry", unicodedata.normalize("NFD", "BỘ TƯ PHÁP")),
            {"vn-az-2025-justice-programme"},
            id="bo-tu-phap-nfd-upper",
        ),
        pytest.param(("--ministry", "justice"), {"vn-az-2025-justice-programme"}, id="justice"),
        pytest.param(
            ("--org", "Cong nghiep - Nang luong"),
            {"vn-az-2025-petrovietnam-mou"},
            id="hyphen-spacing",
        ),
        pytest.param(("--org", "PV OIL"), {"vn-az-2025-binh-son-crude-mou"}, id="pv-oil-alias"),
        pytest.param(
            ("--org", "tổng công ty dầu"), {"vn-az-2025-binh-son-crude-mou"}, id="pv-oil-vietnamese"
        ),
        pytest.param(
            ("--org", "Ministry of Economy", "--org", "socar"),
            {"vn-az-2025-binh-son-crude-mou"},
            id="two-orgs-and",
        ),
        pytest.param(("--org", "Ilham Aliyev"), ALL, id="witness-counts-as-party"),
        pytest.param(("--kind", "mou"), MOUS, id="kind-by-term"),
        pytest.param(("--kind", "letter-of-intent"), {"vn-az-2025-defence-loi"}, id="kind-by-id"),
        pytest.param(
            ("--kind", "Tuyên bố chung"),
            {"vn-az-2025-joint-statement"},
            id="kind-by-vietnamese-name",
        ),
        pytest.param(("--status", "signed"), ALL, id="status"),
        pytest.param(("--status", "implemented"), set(), id="status-none"),
        pytest.param(("--country", "az"), ALL, id="country-lowercase"),
        pytest.param(("--since", "2025-05-08"), set(), id="since-after"),
        pytest.param(("--until", "2025-05-07"), ALL, id="until-inclusive"),
        pytest.param(("--since", "2025-05-07", "--until", "2025-05-07"), ALL, id="one-day"),
        # A month or a year, as a note's --date takes them: the first or last day it means.
        pytest.param(("--since", "2025-05"), ALL, id="since-a-month"),
        pytest.param(("--since", "2025-06"), set(), id="since-the-next-month"),
        pytest.param(("--until", "2025-05"), ALL, id="until-a-month-means-its-last-day"),
        pytest.param(("--until", "2025-04"), set(), id="until-the-month-before"),
        pytest.param(("--since", "2025", "--until", "2025"), ALL, id="one-year"),
        pytest.param(
            ("--query", "dung quat"), {"vn-az-2025-binh-son-crude-mou"}, id="query-title-no-marks"
        ),
        pytest.param(("--query", "2025-2027"), {"vn-az-2025-justice-programme"}, id="query-term"),
        pytest.param(("-q", "Phát triển số"), {"vn-az-2025-science-mou"}, id="query-in-quote"),
        pytest.param(
            ("--sector", "energy", "--ministry", "ministry of economy"),
            {"vn-az-2025-petrovietnam-mou", "vn-az-2025-binh-son-crude-mou"},
            id="combined",
        ),
        pytest.param(("--sector", "culture", "--org", "socar"), set(), id="combined-empty"),
    ],
)
def test_filters(args: tuple[str, ...], expected: set[str]) -> None:
    assert listed(*args) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("--sector", "oil"), "unknown sector 'oil'", id="unknown-sector"),
        pytest.param(("--kind", "treaty"), "unknown kind 'treaty'", id="unknown-kind"),
        pytest.param(("--status", "done"), "unknown status 'done'", id="unknown-status"),
    ],
)
def test_unknown_vocabulary_is_a_usage_error(args: tuple[str, ...], message: str) -> None:
    result = invoke("--register", str(REPO), "list", *args)
    assert result.code == 2
    assert message in result.stderr
    assert "choose one of" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("value", ["2025-13-01", "2025-13", "7/5/2025", "yesterday"])
def test_impossible_dates_are_usage_errors(value: str) -> None:
    result = invoke("--register", str(REPO), "list", "--since", value)
    assert result.code == 2
    assert f"'{value}'" in result.stderr and "YYYY-MM-DD" in result.stderr


def test_a_date_option_says_what_a_notes_date_says() -> None:
    """One parser and one message for every date option: `list --since` and `note add
    --date` refuse the same value in the same words."""
    listed = invoke("--register", str(REPO), "list", "--since", "2025-13")
    noted = invoke("--register", str(REPO), "note", "add", "vn-az-2025-energy-mou", "x",
                   "--date", "2025-13", "--dry-run")  # fmt: skip
    assert listed.code == noted.code == 2
    said = [r.stderr.rsplit(": ", 1)[1].strip() for r in (listed, noted)]
    assert said[0] == said[1] and "YYYY-MM-DD" in said[0]


def test_results_are_sorted_by_date_then_id() -> None:
    result = invoke("--register", str(REPO), "list", "--format", "json")
    ids = [item["id"] for item in result.json()]
    assert ids == sorted(ids)


def test_register_and_lang_work_before_or_after_the_command(register: Path) -> None:
    """Issue 16: `--register` after the subcommand; `--lang` before it."""
    from conftest import edit

    edit(register, "agreements/vn-az-2025-energy-mou.yaml", "field of energy", "field of ENERGY")
    after = invoke("list", "--register", str(register), "--format", "json")
    assert after.code == 0, after.stderr
    titles = {a["id"]: a["title"]["en"] for a in after.json()}
    assert titles["vn-az-2025-energy-mou"].endswith("ENERGY")  # the copy, not the shipped one
    before = invoke("--lang", "vi", "--register", str(register), "list", "--format", "csv")
    assert ",Bản ghi nhớ," in before.stdout
    own = invoke("--lang", "vi", "--register", str(register), "list", "--lang", "en", "--format",
                 "csv")  # fmt: skip
    assert ",Memorandum of understanding," in own.stdout  # the command's own --lang wins
    note = invoke("note", "add", "vn-az-2025-energy-mou", "x", "--date", "2025-06-01",
                  "--author", "A", "--register", str(register))  # fmt: skip
    assert note.code == 0, note.stderr
