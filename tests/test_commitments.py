"""Commitments (issue 24): what a document promised, by when, whether it was kept; each
proven by the sentence that says so, and the report as of a day."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, installed_command, invoke, run, tree_digest

CULTURE = "vn-az-2025-culture-mou"  # signed 2025-05-07
PROMISES = """\
Baku, 10 May 2025
Under the memorandum of understanding, the two ministries will hold a first joint meeting \
of experts by 31 December 2025.
Under the memorandum of understanding, the ministries will exchange cultural delegations \
by November 2025.
Under the memorandum of understanding, the ministries will open a cultural centre in Baku \
by the end of 2026.
Under the memorandum of understanding, the ministries will soon organise a film week.
Under the memorandum of understanding, the ministries will draw up a joint programme \
within six months of the signing.
The ministries will carry out the memorandum of understanding, and the defence ministries \
will review the letter of intent by March 2026.
"""
REPORTS = """\
Hanoi, 25 November 2025
The first joint meeting of experts under the memorandum of understanding was held in Hanoi \
on 20 November 2025.
"""
MEETING = (
    "Under the memorandum of understanding, the two ministries will hold a first joint "
    "meeting of experts by 31 December 2025"
)
DELEGATIONS = (
    "Under the memorandum of understanding, the ministries will exchange cultural "
    "delegations by November 2025"
)
CENTRE = (
    "Under the memorandum of understanding, the ministries will open a cultural centre in "
    "Baku by the end of 2026"
)
FILM = "Under the memorandum of understanding, the ministries will soon organise a film week"
PROGRAMME = (
    "Under the memorandum of understanding, the ministries will draw up a joint programme "
    "within six months of the signing"
)
OTHER_DOCUMENT = (
    "The ministries will carry out the memorandum of understanding, and the defence "
    "ministries will review the letter of intent by March 2026"
)
HELD = (
    "The first joint meeting of experts under the memorandum of understanding was held in "
    "Hanoi on 20 November 2025"
)


def cli(root: Path, *args: str):
    return invoke("--register", str(root), *args)


def add(root: Path, text: str, quote: str, *more: str):
    return cli(root, "commitment", "add", CULTURE, "--text", text, "--type", "exchange",
               "--source", "culture-press", "--quote", quote, *more)  # fmt: skip


def review(root: Path, number: int, *more: str):
    return cli(root, "commitment", "review", CULTURE, str(number), *more)


@pytest.fixture
def press(register: Path, tmp_path: Path) -> Path:
    """The shipped register with two made-up English articles: the promises of the culture
    MoU, and a later report that one was kept."""
    for name, text, source_id in (("promises.txt", PROMISES, "culture-press"),
                                  ("reports.txt", REPORTS, "culture-report")):  # fmt: skip
        (tmp_path / name).write_text(text, encoding="utf-8")
        added = cli(register, "source", "add", str(tmp_path / name), "--lang", "en",
                    "--id", source_id)  # fmt: skip
        assert added.code == 0, added.stderr
    return register


@pytest.fixture
def four(press: Path) -> Path:
    """The issue's fixture: met on time; due 2025-11 and unmet; due in 2026 and unmet;
    undated."""
    for text, quote in (("Hold a first joint meeting of experts", MEETING),
                        ("Exchange cultural delegations", DELEGATIONS),
                        ("Open a cultural centre in Baku", CENTRE),
                        ("Organise a film week", FILM)):  # fmt: skip
        added = add(press, text, quote)
        assert added.code == 0, added.stderr
    met = review(press, 1, "--status", "met", "--as-of", "2025-11-25", "--met-on", "2025-11-20",
                 "--source", "culture-report", "--quote", HELD)  # fmt: skip
    assert met.code == 0, met.stderr
    return press


def test_due_dates_are_read_from_the_quote_and_written_as_added_lines(press: Path) -> None:
    rel = f"agreements/{CULTURE}.yaml"
    before = (press / rel).read_bytes()
    assert add(press, "Exchange cultural delegations", DELEGATIONS).code == 0
    assert add(press, "Draw up a joint programme", PROGRAMME).code == 0
    assert add(press, "Organise a film week", FILM).code == 0
    after = (press / rel).read_bytes()
    assert after.startswith(before)
    assert cli(press, "validate").code == 0  # the sentences nobody quotes: warnings only
    data = cli(press, "show", CULTURE, "--format", "json").json()
    commitments = data["commitments"]  # type: ignore[index]
    assert [(c["due"], c.get("due_said")) for c in commitments] == [
        ("2025-11", "by November 2025"),
        # six months from the signing on 7 May 2025: its last day
        ("2025-11-07", "within six months of the signing"),
        (None, None),  # "soon" is no date
    ]


def test_report_as_of_a_day_lists_one_overdue_and_one_undated_the_same_each_run(
    four: Path,
) -> None:
    first = run("--register", str(four), "report", "--as-of", "2026-06-01", "--format", "json")
    assert first.code == 0, first.stderr
    again = run("--register", str(four), "report", "--as-of", "2026-06-01", "--format", "json")
    assert again.stdout == first.stdout
    promises = first.json()["commitments"]  # type: ignore[index]
    assert [(p["id"], p["number"], p["due"], p["day"], p["days"]) for p in promises["overdue"]] == [
        (CULTURE, 2, "2025-11", "2025-11-30", 183)
    ]
    undated = [(p["number"], p["text"]) for p in promises["undated"] if p["id"] == CULTURE]
    assert undated == [(4, "Organise a film week")]
    assert promises["due_soon"] == []  # 2026 ends 213 days after 2026-06-01
    table = cli(four, "report", "--as-of", "2026-06-01")
    assert "Overdue commitments: 1" in table.stdout
    assert table.stdout == cli(four, "report", "--as-of", "2026-06-01").stdout
    # Before the meeting was reported held, it was due within the window, not met.
    early = cli(four, "report", "--as-of", "2025-11-01", "--format", "json").json()
    soon = early["commitments"]["due_soon"]  # type: ignore[index]
    assert [p["number"] for p in soon] == [2, 1]
    checked = cli(four, "validate")
    assert checked.code == 0, checked.stdout
    # The four quotes and the review's account for their mentions of the document.
    assert "promises.txt:2:" not in checked.stdout
    assert "reports.txt" not in checked.stdout


@pytest.mark.parametrize(
    ("quote", "more", "code"),
    [
        pytest.param(OTHER_DOCUMENT, ["--due", "2026-03"], "due-of-another-document",
                     id="due from a clause about another document"),
        pytest.param(PROGRAMME, ["--due", "2025-11-10"], "due-miscounted",
                     id="six months from the article's date"),
        pytest.param(MEETING, ["--due", "2026"], "due-differs", id="another due date"),
        pytest.param(FILM, ["--due", "2025-12"], "due-not-stated", id="soon is no date"),
    ],
)  # fmt: skip
def test_a_wrong_commitment_is_refused_naming_the_rule(
    press: Path, quote: str, more: list[str], code: str
) -> None:
    before = tree_digest(press)
    refused = add(press, "A promise", quote, *more)
    assert refused.code == 1, refused.stderr
    assert f"{code}:" in refused.stderr
    assert "nothing was added" in refused.stderr
    assert tree_digest(press) == before


def test_due_from_another_documents_clause_is_not_read_either(press: Path) -> None:
    """The letter of intent's "by March 2026" is not the memorandum's deadline: without
    --due the promise is added undated (as the refusal with --due advises), never with
    the other document's date."""
    added = add(press, "Carry out the memorandum", OTHER_DOCUMENT)
    assert added.code == 0, added.stderr
    assert "undated: the quote states no deadline for this document" in added.stdout
    record = (press / "agreements" / f"{CULTURE}.yaml").read_text(encoding="utf-8")
    assert "due:" not in record and "2026-03" not in record
    assert cli(press, "validate").code == 0


def _future() -> str:
    return (dt.date.today() + dt.timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    ("more", "code"),
    [
        pytest.param(["--status", "met", "--as-of", "2025-11-25", "--source", "culture-report"],
                     "review-met-unquoted", id="met with no quote"),
        pytest.param(["--status", "met", "--as-of", "FUTURE", "--met-on", "FUTURE",
                      "--source", "culture-report", "--quote", HELD],
                     "review-in-future", id="met date in the future"),
        pytest.param(["--status", "met", "--as-of", "2025-11-25", "--source", "culture-press",
                      "--quote", FILM],
                     "review-quote-elsewhere", id="a quote about another commitment"),
        pytest.param(["--status", "met", "--as-of", "2025-11-25", "--source", "culture-press",
                      "--quote", MEETING],
                     "review-quote-not-done", id="a quote of the promise, not of it done"),
        pytest.param(["--status", "not-met", "--as-of", "2025-11-25", "--met-on", "2025-11-20",
                      "--source", "culture-report"],
                     "review-met-on-unmet", id="met date on an unmet commitment"),
        pytest.param(["--status", "scheduled", "--as-of", "2025-01-01",
                      "--source", "culture-report"],
                     "review-before-signing", id="before the signing"),
    ],
)  # fmt: skip
def test_a_wrong_review_is_refused_naming_the_rule(press: Path, more: list[str], code: str) -> None:
    assert add(press, "Hold a first joint meeting of experts", MEETING).code == 0
    before = tree_digest(press)
    refused = review(press, 1, *[_future() if m == "FUTURE" else m for m in more])
    assert refused.code == 1, refused.stderr
    assert f"{code}:" in refused.stderr
    assert tree_digest(press) == before


def test_validate_rechecks_a_hand_edited_commitment(four: Path) -> None:
    rel = four / f"agreements/{CULTURE}.yaml"
    text = rel.read_text(encoding="utf-8")
    assert "due: 2025-11\n" in text or "due: '2025-11'\n" in text
    rel.write_text(text.replace("2025-11'\n", "2025-10'\n").replace("2025-11\n", "2025-10\n"),
                   encoding="utf-8")  # fmt: skip
    checked = cli(four, "validate")
    assert checked.code == 1
    assert "due-differs" in checked.stdout + checked.stderr


def test_the_shipped_joint_statement_carries_its_commitments() -> None:
    shown = invoke("show", "vn-az-2025-joint-statement", "--format", "json").json()
    commitments = shown["commitments"]  # type: ignore[index]
    texts = [c["text"] for c in commitments]
    assert any("high-level visits" in t for t in texts)
    assert any("Cultural Days" in t for t in texts)
    assert {c["source"] for c in commitments} == {
        "vov-strategic-partnership-en",
        "ttxvn-le-trao-van-kien",
    }
    # "sớm" (soon) is no date: the Intergovernmental Commission's meeting is undated.
    assert all(c.get("due") is None for c in commitments)
    # Source 001's promises: the five groups of solutions, the culture paragraph that
    # follows them, and the commission's meeting, each copied from the source.
    from_001 = [c for c in commitments if c["source"] == "ttxvn-le-trao-van-kien"]
    assert len(from_001) >= 5
    assert any("Intergovernmental Commission" in c["text"] for c in from_001)
    assert any("cultural and art events" in c["text"] for c in from_001)
    seeds = {"ttxvn-le-trao-van-kien": "001", "vov-strategic-partnership-en": "004"}
    for c in commitments:
        (text,) = (REPO / "seeds").glob(f"{seeds[c['source']]}_*.txt")
        assert c["quote"] in text.read_text(encoding="utf-8")
    assert run("validate", "--strict").code == 0


def test_the_sqlite_export_has_commitments_and_reviews_with_foreign_keys(
    four: Path, tmp_path: Path
) -> None:
    import json
    import sqlite3

    target = tmp_path / "out.db"
    exported = cli(four, "export", "sqlite", str(target))
    assert exported.code == 0, exported.stderr
    db = sqlite3.connect(target)
    db.execute("PRAGMA foreign_keys = ON")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    keys = {(row[2], row[3], row[4]) for row in
            db.execute("PRAGMA foreign_key_list(commitment_reviews)")}  # fmt: skip
    assert ("commitments", "commitment", "id") in keys
    ids = [r[0] for r in db.execute("select id from commitments where agreement = ?", [CULTURE])]
    assert ids == [f"{CULTURE}/{n}" for n in (1, 2, 3, 4)]
    reviews = db.execute("select commitment, status, as_of, met_on from commitment_reviews")
    assert reviews.fetchall() == [(f"{CULTURE}/1", "met", "2025-11-25", "2025-11-20")]
    meta = json.loads((tmp_path / "out.metadata.json").read_text(encoding="utf-8"))
    sql = meta["databases"]["out"]["queries"]["overdue_commitments"]["sql"]
    overdue = db.execute(sql, {"as_of": "2026-06-01"}).fetchall()
    assert [(a, n, due, day, days) for a, n, _, due, day, days in overdue] == [
        (CULTURE, 2, "2025-11", "2025-11-30", 183.0)
    ]


def test_the_calendar_has_one_event_per_dated_open_commitment(four: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    from agreement_tracker.export.ics import build
    from agreement_tracker.loader import load
    from agreement_tracker.store.location import locate

    register, findings = load(locate(str(four)), use_index=False)
    assert not [f for f in findings if f.severity == "error"]
    agreements = list(register.agreements.values())
    data = build(register, agreements, dt.date(2026, 6, 1))
    assert data == build(register, agreements, dt.date(2026, 6, 1))  # the same each run
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    # Met (1) and undated (4) commitments have none; the shipped ones are all undated.
    assert sorted((str(e["uid"]), e.decoded("dtstart")) for e in events) == [
        (f"{CULTURE}/2@agreements", dt.date(2025, 11, 30)),
        (f"{CULTURE}/3@agreements", dt.date(2026, 12, 31)),
    ]
    # Before the meeting was held, it was open too.
    earlier = icalendar.Calendar.from_ical(build(register, agreements, dt.date(2025, 11, 1)))
    assert len(earlier.walk("VEVENT")) == 3


def test_the_timeline_shows_due_dates_and_reviews(four: Path) -> None:
    from agreement_tracker.briefing import timeline
    from agreement_tracker.loader import load
    from agreement_tracker.store.location import locate

    register, _ = load(locate(str(four)), use_index=False)
    events = timeline([register.agreements[CULTURE]], commitments=True)
    kinds = [(e.when, e.kind, e.number) for e in events if e.kind in ("due", "review")]
    # A due month stands on its last day: after the review of 25 November.
    assert kinds == [("2025-11-25", "review", 1), ("2025-11", "due", 2),
                     ("2025-12-31", "due", 1), ("2026", "due", 3)]  # fmt: skip
    # Without commitments (show's timeline), as before.
    assert all(
        e.kind in ("signed", "note", "term ends") for e in timeline([register.agreements[CULTURE]])
    )


@pytest.mark.parametrize(
    ("quote", "more", "code"),
    [
        pytest.param(HELD, [], "commitment-no-promise", id="a report, not a promise"),
        pytest.param(MEETING, ["--by", "vn-to-lam"], "commitment-by-not-party",
                     id="a witness promises nothing"),
    ],
)  # fmt: skip
def test_a_quote_that_makes_no_promise_of_the_parties_is_refused(
    press: Path, quote: str, more: list[str], code: str
) -> None:
    source = "culture-report" if quote == HELD else "culture-press"
    refused = cli(press, "commitment", "add", CULTURE, "--text", "A promise", "--type", "other",
                  "--source", source, "--quote", quote, *more)  # fmt: skip
    assert refused.code == 1, refused.stderr
    assert f"{code}:" in refused.stderr


def test_a_promise_about_another_record_is_off_topic(press: Path) -> None:
    # The culture MoU's sentence, cited for the defence letter of intent.
    refused = cli(press, "commitment", "add", "vn-az-2025-defence-loi", "--text", "Meet",
                  "--type", "meeting", "--source", "culture-press", "--quote", MEETING)  # fmt: skip
    assert refused.code == 1
    assert "commitment-off-topic:" in refused.stderr


def test_validate_wants_the_due_date_a_quote_states(four: Path) -> None:
    rel = four / f"agreements/{CULTURE}.yaml"
    text = rel.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines(keepends=True)
             if not line.lstrip().startswith(("due:", "due_said:"))]  # fmt: skip
    rel.write_text("".join(lines), encoding="utf-8")
    checked = cli(four, "validate")
    assert checked.code == 1
    assert checked.stdout.count("due-unrecorded") == 3  # 1, 2 and 3 are dated; 4 says "soon"


def test_the_ftm_export_documents_each_commitment_and_review(four: Path) -> None:
    import json

    from followthemoney import model

    out = cli(four, "export", "ftm", "--kind", "memorandum-of-understanding")
    assert out.code == 0, out.stderr
    entities = [json.loads(line) for line in out.stdout.splitlines()]
    documented = {e["id"]: e for e in entities if "commitment" in e["id"] or "review" in e["id"]}
    assert len(documented) == 5  # four commitments, one review
    roles = sorted(r for e in documented.values() for r in e["properties"]["role"])
    assert "commitment 2 (exchange, due 2025-11): Exchange cultural delegations" in roles
    assert "review of commitment 1: met as of 2025-11-25, met on 2025-11-20" in roles
    for entity in documented.values():
        assert entity["schema"] == "Documentation"
        model.get_proxy(entity, cleaned=False)  # FtM's own model reads it


def test_show_lists_each_commitment_with_its_status_due_date_and_latest_review(
    four: Path,
) -> None:
    shown = cli(four, "show", CULTURE)
    assert shown.code == 0, shown.stderr
    out = shown.stdout
    assert "Commitments: 4" in out
    assert "met as of 2025-11-25, met on 2025-11-20 · culture-report" in out
    assert "2025-11 (by November 2025)" in out
    assert "undated" in out
    # As of today (after November 2025), the delegations are overdue.
    assert "overdue" in out


def test_list_overdue_keeps_the_records_that_have_one(four: Path) -> None:
    listed = cli(four, "list", "--overdue", "--format", "json").json()
    assert [a["id"] for a in listed] == [CULTURE]  # type: ignore[index]
    shipped = invoke("list", "--overdue")
    assert shipped.code == 1 or "No agreement" in shipped.stdout + shipped.stderr


def test_timeline_shows_due_dates_and_reviews(four: Path) -> None:
    events = cli(four, "timeline", "--kind", "memorandum-of-understanding", "--format",
                 "json").json()  # fmt: skip
    mine = [
        (e["date"], e["event"])
        for e in events  # type: ignore[union-attr]
        if e["id"] == CULTURE and e["event"] in ("due", "review")
    ]  # type: ignore[index]
    assert mine == [("2025-11-25", "review"), ("2025-11", "due"), ("2025-12-31", "due"),
                    ("2026", "due")]  # fmt: skip


def test_export_ics_writes_one_event_per_dated_open_commitment(four: Path, tmp_path: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    target = tmp_path / "c.ics"
    done = run("--register", str(four), "export", "ics", str(target), "--as-of", "2026-06-01")
    assert done.code == 0, done.stderr
    assert "Wrote 2 open dated commitments" in done.stdout
    first = target.read_bytes()
    events = icalendar.Calendar.from_ical(first).walk("VEVENT")
    assert sorted(str(e["uid"]) for e in events) == [
        f"{CULTURE}/2@agreements",
        f"{CULTURE}/3@agreements",
    ]
    again = run("--register", str(four), "export", "ics", str(target), "--as-of", "2026-06-01")
    assert again.code == 0 and target.read_bytes() == first


# --- as of a day, backfilled reviews, the passage, periods with a start (H9) -----------


def _overdue_count(root: Path, *more: str) -> int:
    """How many agreements `report --overdue` keeps."""
    shown = cli(root, "report", "--overdue", "--format", "json", *more)
    assert shown.code == 0, shown.stderr
    return shown.json()["agreements"]  # type: ignore[index,no-any-return]


def test_overdue_is_read_on_the_commands_as_of_day_not_today(four: Path, tmp_path: Path) -> None:
    # The delegations (due 2025-11) are overdue from 1 December 2025, and not before.
    assert _overdue_count(four, "--as-of", "2025-11-15") == 0
    assert _overdue_count(four, "--as-of", "2026-06-01") == 1
    first = cli(four, "report", "--overdue", "--as-of", "2025-11-15")
    assert first.stdout == cli(four, "report", "--overdue", "--as-of", "2025-11-15").stdout
    pytest.importorskip("icalendar")
    early = cli(four, "export", "ics", str(tmp_path / "a.ics"), "--overdue", "--as-of",
                "2025-11-15")  # fmt: skip
    assert early.code == 0, early.stderr
    assert "Wrote 0 open dated commitments" in early.stdout
    late = cli(four, "export", "ics", str(tmp_path / "b.ics"), "--overdue", "--as-of",
               "2026-06-01")  # fmt: skip
    assert "Wrote 2 open dated commitments" in late.stdout
    # list has no --as-of: it reads today, and its help says so.
    assert "else today" in " ".join(cli(four, "list", "--help").stdout.split())


def _reviews(root: Path, number: int) -> list[dict]:
    import yaml

    data = yaml.safe_load((root / f"agreements/{CULTURE}.yaml").read_text(encoding="utf-8"))
    return data["commitments"][number - 1].get("reviews") or []


def test_a_review_dated_before_the_latest_is_backfilled_in_date_order(four: Path) -> None:
    later = review(four, 2, "--status", "not-met", "--as-of", "2026-03-01",
                   "--source", "culture-report")  # fmt: skip
    assert later.code == 0, later.stderr
    assert "backfilled" not in later.stdout
    earlier = review(four, 2, "--status", "scheduled", "--as-of", "2025-11-26",
                     "--source", "culture-report")  # fmt: skip
    assert earlier.code == 0, earlier.stderr
    assert "backfilled as review 1, before the review as of 2026-03-01" in earlier.stdout
    assert [(str(r["as_of"]), r["status"]) for r in _reviews(four, 2)] == [
        ("2025-11-26", "scheduled"),
        ("2026-03-01", "not-met"),
    ]
    # The same review again is refused, not doubled.
    before = tree_digest(four)
    again = review(four, 2, "--status", "scheduled", "--as-of", "2025-11-26",
                   "--source", "culture-report")  # fmt: skip
    assert again.code == 2, again.stderr
    assert "already records this review" in again.stderr
    assert tree_digest(four) == before
    assert cli(four, "validate").code == 0
    shown = cli(four, "show", CULTURE).stdout
    assert "not-met as of 2026-03-01" in shown  # the latest by date, wherever it stands


@pytest.mark.slow
def test_concurrent_reviews_all_land_once_in_date_order(four: Path) -> None:
    days = ["2026-01-0" + str(d) for d in range(1, 8)]
    argv = [installed_command(), "--register", str(four), "commitment", "review", CULTURE,
            "2", "--status", "scheduled", "--source", "culture-report", "--as-of"]  # fmt: skip
    procs = [
        subprocess.Popen([*argv, day], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for day in reversed(days)
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()  # type: ignore[union-attr]
        p.stderr.close()  # type: ignore[union-attr]
    assert [code for code, _ in results] == [0] * len(days), results
    assert [str(r["as_of"]) for r in _reviews(four, 2)] == days
    assert cli(four, "validate").code == 0


PASSAGES = """Culture news
Under the memorandum of understanding, the two ministries will stage a joint exhibition.
The two sides will also exchange film archives.

Both sides will translate each other's classics.
Culture in brief
Both sides will hold a poetry week.
Both sides will carry out the letter of intent on defence.
"""


@pytest.fixture
def passages(press: Path, tmp_path: Path) -> Path:
    (tmp_path / "passages.txt").write_text(PASSAGES, encoding="utf-8")
    added = cli(press, "source", "add", str(tmp_path / "passages.txt"), "--lang", "en",
                "--id", "culture-passages")  # fmt: skip
    assert added.code == 0, added.stderr
    return press


@pytest.mark.parametrize(
    ("quote", "code"),
    [
        pytest.param("The two sides will also exchange film archives", None,
                     id="the next sentence of the passage"),
        pytest.param("Both sides will translate each other's classics", None,
                     id="a paragraph on of the same passage"),
        pytest.param("Both sides will hold a poetry week", "commitment-off-topic",
                     id="after a headline: another passage"),
        pytest.param("Both sides will carry out the letter of intent on defence",
                     "commitment-off-topic", id="a sentence about another document"),
    ],
)  # fmt: skip
def test_a_promise_is_the_documents_only_in_its_passage(
    passages: Path, quote: str, code: str | None
) -> None:
    added = cli(passages, "commitment", "add", CULTURE, "--text", "A promise", "--type", "other",
                "--source", "culture-passages", "--quote", quote)  # fmt: skip
    if code is None:
        assert added.code == 0, added.stderr
    else:
        assert added.code == 1, added.stderr
        assert f"{code}:" in added.stderr


def test_both_sides_in_an_article_the_record_cites_is_not_enough(register: Path) -> None:
    # Source 001 tells of the joint statement's five groups of solutions; its culture
    # paragraph follows that passage, not the culture MoU's sentence, which the record cites.
    quote = "nhất trí thời gian tới tổ chức các hoạt động văn hóa, nghệ thuật tại hai nước"
    refused = cli(register, "commitment", "add", CULTURE, "--text", "Cultural events",
                  "--type", "exchange", "--source", "ttxvn-le-trao-van-kien",
                  "--quote", quote)  # fmt: skip
    assert refused.code == 1, refused.stderr
    assert "commitment-off-topic:" in refused.stderr
    kept = cli(register, "commitment", "add", "vn-az-2025-joint-statement", "--dry-run",
               "--text", "Cultural events", "--type", "exchange",
               "--source", "ttxvn-le-trao-van-kien", "--quote", quote)  # fmt: skip
    assert kept.code == 0, kept.stderr


PERIODS = """Baku, 12 May 2025
Under the memorandum of understanding, the ministries will hold a film festival within six \
months from 1 July 2025.
Theo bản ghi nhớ, hai bộ sẽ tổ chức tuần phim trong vòng 6 tháng kể từ ngày 1/7/2025.
Under the memorandum of understanding, the ministries will open a library within six months \
of its entry into force.
"""
FESTIVAL = (
    "Under the memorandum of understanding, the ministries will hold a film festival within "
    "six months from 1 July 2025"
)
TUAN_PHIM = "Theo bản ghi nhớ, hai bộ sẽ tổ chức tuần phim trong vòng 6 tháng kể từ ngày 1/7/2025"
LIBRARY = (
    "Under the memorandum of understanding, the ministries will open a library within six "
    "months of its entry into force"
)


@pytest.fixture
def periods(press: Path, tmp_path: Path) -> Path:
    (tmp_path / "periods.txt").write_text(PERIODS, encoding="utf-8")
    added = cli(press, "source", "add", str(tmp_path / "periods.txt"), "--lang", "en",
                "--id", "culture-periods")  # fmt: skip
    assert added.code == 0, added.stderr
    return press


def _add_period(root: Path, quote: str, *more: str):
    return cli(root, "commitment", "add", CULTURE, "--text", "A promise", "--type", "exchange",
               "--source", "culture-periods", "--quote", quote, *more)  # fmt: skip


@pytest.mark.parametrize("quote", [FESTIVAL, TUAN_PHIM], ids=["en", "vi"])
def test_a_period_with_its_own_start_is_counted_from_it(periods: Path, quote: str) -> None:
    # Six months counted from the signing (7 May 2025) is the wrong date.
    refused = _add_period(periods, quote, "--due", "2025-11-07")
    assert refused.code == 1, refused.stderr
    assert "due-miscounted:" in refused.stderr
    assert "from the day it names, 2025-07-01" in refused.stderr
    added = _add_period(periods, quote)
    assert added.code == 0, added.stderr
    assert "due 2026-01-01, read from" in added.stdout
    data = cli(periods, "show", CULTURE, "--format", "json").json()
    assert data["commitments"][-1]["due"] == "2026-01-01"  # type: ignore[index]
    assert cli(periods, "validate").code == 0


def test_a_period_from_a_day_the_quote_does_not_give_is_undated(periods: Path) -> None:
    refused = _add_period(periods, LIBRARY, "--due", "2025-11-07")
    assert refused.code == 1, refused.stderr
    assert "due-not-stated:" in refused.stderr
    assert "counted from a day the quote does not give" in refused.stderr
    added = _add_period(periods, LIBRARY)
    assert added.code == 0, added.stderr
    assert "counted from a day the quote does not give" in added.stdout
    data = cli(periods, "show", CULTURE, "--format", "json").json()
    assert data["commitments"][-1].get("due") is None  # type: ignore[index]


@pytest.mark.parametrize(
    "quote",
    [
        "hai nhà lãnh đạo nhất trí thúc đẩy vai trò của Quốc hội hai nước",
        "Hai bên cũng nhất trí thúc đẩy một số trọng tâm hợp tác trong thời gian tới",
    ],
)
def test_what_was_agreed_with_someone_else_is_not_the_documents_promise(
    register: Path, quote: str
) -> None:
    """Source 000: at his meeting with Prime Minister Asadov on 8 May, "the two leaders
    agreed": the passage names To Lam and Aliyev (parties of the joint statement) only in
    a sentence whose subject is Asadov, who is no party. No document of the register
    states these promises, so none takes them."""
    shown = invoke("--register", str(register), "commitment", "add",
                   "vn-az-2025-joint-statement", "--type", "other", "--text", "Promote",
                   "--source", "baoquocte-hoi-kien-asadov", "--quote", quote)  # fmt: skip
    assert shown.code == 1, shown.stderr
    assert "commitment-off-topic" in shown.stderr
    assert "az-ali-asadov, who is no party" in shown.stderr
