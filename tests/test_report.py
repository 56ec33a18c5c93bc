"""`agreements report` and `agreements timeline`: counts, stale and ending lists on fixed dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RECORD_IDS, REPO, invoke, run

SIGNED = "2025-05-07"


def report(root: Path, *args: str) -> dict:
    result = invoke("--register", str(root), "report", "--format", "json", *args)
    assert result.code == 0, result.stderr
    return result.json()  # type: ignore[return-value]


def note(root: Path, record: str, date: str, *args: str) -> None:
    result = invoke(
        "--register", str(root), "note", "add", record, f"note of {date}", "--date", date,
        "--author", "Test", *args,
    )  # fmt: skip
    assert result.code == 0, result.stderr


# --- the shipped register ------------------------------------------------------------


def test_report_counts_on_the_shipped_register() -> None:
    data = report(REPO, "--as-of", "2026-11-23")
    assert data["agreements"] == 8
    assert data["by_status"] == {"signed": 8}
    sectors = {row["sector"]: row["total"] for row in data["by_sector"]}
    assert sectors == {
        "oil-and-gas": 2,
        "energy": 1,
        "defence": 1,
        "justice": 1,
        "science-and-technology": 1,
        "education-and-training": 1,
        "culture": 1,
        "diplomacy": 1,
    }
    orgs = {row["organisation"]: row["total"] for row in data["by_organisation"]}
    assert orgs["az-ministry-of-economy"] == 2  # the energy MoU and the crude supply MoU
    assert "vn-to-lam" in orgs  # an adopting party of the joint statement
    assert data["latest_notes"] == []


def test_every_shipped_agreement_is_stale_on_a_fixed_date() -> None:
    stale = report(REPO, "--as-of", "2026-11-23", "--stale", "90")["stale"]
    assert {s["id"] for s in stale["agreements"]} == RECORD_IDS
    assert {(s["last_activity"], s["days"]) for s in stale["agreements"]} == {(SIGNED, 565)}


@pytest.mark.parametrize(
    ("as_of", "stale_count"),
    [
        pytest.param("2025-08-05", 0, id="day-90-is-not-stale"),
        pytest.param("2025-08-06", 8, id="day-91-is-stale"),
        pytest.param("2025-05-06", 0, id="before-the-signing-nothing-exists"),
    ],
)
def test_stale_counts_more_than_n_days(as_of: str, stale_count: int) -> None:
    assert len(report(REPO, "--as-of", as_of)["stale"]["agreements"]) == stale_count


@pytest.mark.parametrize(
    ("as_of", "within", "expected"),
    [
        pytest.param("2026-11-23", "180", [], id="too-far-off"),
        pytest.param("2026-11-23", "403", [("2027-12-31", 403)], id="ends-within-403-days"),
        pytest.param("2026-11-23", "402", [], id="one-day-short"),
        pytest.param("2028-01-10", "0", [("2027-12-31", -10)], id="already-ended"),
    ],
)
def test_terms_ending_or_ended(as_of: str, within: str, expected: list) -> None:
    ending = report(REPO, "--as-of", as_of, "--ending", within)["ending"]["agreements"]
    assert [(e["term_ends"], e["days_left"]) for e in ending] == expected
    assert all(e["id"] == "vn-az-2025-justice-programme" for e in ending)


# --- a register with notes ---------------------------------------------------------------


@pytest.fixture
def noted(register: Path) -> Path:
    note(register, "vn-az-2025-binh-son-crude-mou", "2026-01-05", "--status", "in-progress")
    note(register, "vn-az-2025-energy-mou", "2026-06-01", "--status", "implemented")
    note(register, "vn-az-2025-justice-programme", "2026-10-01")
    return register


def test_report_counts_after_notes(noted: Path) -> None:
    data = report(noted, "--as-of", "2026-11-23")
    assert data["by_status"] == {"signed": 6, "in-progress": 1, "implemented": 1}
    by_sector = {row["sector"]: row["by_status"] for row in data["by_sector"]}
    assert by_sector["oil-and-gas"] == {"signed": 1, "in-progress": 1}
    assert by_sector["energy"] == {"implemented": 1}
    stale = {s["id"]: s["days"] for s in data["stale"]["agreements"]}
    # Implemented is final (no follow-up expected); the justice note is 53 days old.
    assert "vn-az-2025-energy-mou" not in stale
    assert "vn-az-2025-justice-programme" not in stale
    assert stale["vn-az-2025-binh-son-crude-mou"] == 322
    assert len(stale) == 6
    assert [(n["id"], n["date"]) for n in data["latest_notes"]] == [
        ("vn-az-2025-justice-programme", "2026-10-01"),
        ("vn-az-2025-energy-mou", "2026-06-01"),
        ("vn-az-2025-binh-son-crude-mou", "2026-01-05"),
    ]


def test_report_as_of_an_earlier_date_ignores_later_notes(noted: Path) -> None:
    data = report(noted, "--as-of", "2026-03-01")
    assert data["by_status"] == {"signed": 7, "in-progress": 1}
    assert [n["date"] for n in data["latest_notes"]] == ["2026-01-05"]


def test_report_filters_like_list(noted: Path) -> None:
    data = report(noted, "--as-of", "2026-11-23", "--sector", "energy")
    assert data["agreements"] == 3
    assert data["by_status"] == {"signed": 1, "in-progress": 1, "implemented": 1}


def test_report_on_a_terminal_markdown_svg_and_html(noted: Path, tmp_path: Path) -> None:
    svg, html = tmp_path / "report.svg", tmp_path / "report.html"
    shown = run(
        "--register", str(noted), "report", "--as-of", "2026-11-23",
        "--svg", str(svg), "--html", str(html),
    )  # fmt: skip
    assert shown.code == 0, shown.stderr
    assert "Report as of 2026-11-23 · 8 agreements" in shown.stdout
    assert "Signed       6           ████████████████████████" in shown.stdout
    assert "No follow-up for more than 90 days: 6" in shown.stdout
    assert svg.read_text().startswith("<svg") and "By&#160;status" in svg.read_text()
    page = html.read_text()
    assert "<html" in page and "What changed from" in page and "Needs attention" in page

    markdown = invoke(
        "--register", str(noted), "report", "--as-of", "2026-11-23", "--format", "markdown"
    ).stdout
    assert markdown.startswith("# Report as of 2026-11-23 · 8 agreements\n")
    assert (
        "## Sector × status\n\n| Sector | Signed | In progress | Implemented | Total |" in markdown
    )
    assert "| 2026-10-01 | vn-az-2025-justice-programme |  | note of 2026-10-01 |" in markdown


def test_report_file_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    result = run("--register", str(REPO), "report", "--svg", str(tmp_path / "no" / "r.svg"))
    assert result.code == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


# --- timeline -------------------------------------------------------------------------


def test_timeline_orders_signings_notes_and_term_ends(noted: Path) -> None:
    events = invoke("--register", str(noted), "timeline", "--format", "json").json()
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert [e["event"] for e in events].count("signed") == 8
    assert [(e["event"], e["id"]) for e in events[-4:]] == [
        ("note", "vn-az-2025-binh-son-crude-mou"),
        ("note", "vn-az-2025-energy-mou"),
        ("note", "vn-az-2025-justice-programme"),
        ("term ends", "vn-az-2025-justice-programme"),
    ]
    assert events[-1]["date"] == "2027-12-31"


def test_timeline_filters_records_like_list_and_bounds_event_dates(noted: Path) -> None:
    events = invoke(
        "--register", str(noted), "timeline", "--sector", "energy", "--since", "2025-06-01",
        "--format", "json",
    ).json()  # fmt: skip
    assert [(e["date"], e["id"]) for e in events] == [
        ("2026-01-05", "vn-az-2025-binh-son-crude-mou"),
        ("2026-06-01", "vn-az-2025-energy-mou"),
    ]
    assert events[1]["note"]["status"] == "implemented"
