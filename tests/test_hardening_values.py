"""Values the schema accepts are usable everywhere, and values the code cannot use are a
finding on their own record (issue 21, items 4, 5 and 8): dates in one range written with
ASCII digits, records with links that writers can write, accounts with real values.

What is tested is the commands' behaviour, so they run in-process (CliRunner); concurrent
writers are real processes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import REPO, Result, invoke, tree_digest

CULTURE = "vn-az-2025-culture-mou"
CULTURE_FILE = f"agreements/{CULTURE}.yaml"
DATE_LINE = 23  # `date: 2025-05-07` in the culture record
DEFENCE = "vn-az-2025-defence-loi"
JUSTICE = "vn-az-2025-justice-programme"
DIGITS = "write the date with the digits 0-9 as YYYY-MM-DD"
RANGE = "from 1000 to 2999"


def agreements(root: Path, *args: str, **kwargs) -> Result:
    return invoke("--register", str(root), *args, **kwargs)


def replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def date_record(root: Path, value: str) -> None:
    """The culture record dated `value` (YAML text), on its date line."""
    lines = (root / CULTURE_FILE).read_text(encoding="utf-8").split("\n")
    assert lines[DATE_LINE - 1] == "date: 2025-05-07", "test setup: the date line moved"
    lines[DATE_LINE - 1] = f"date: {value}"
    (root / CULTURE_FILE).write_text("\n".join(lines), encoding="utf-8")


def no_crash(result) -> None:
    assert "internal error" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr


# --- item 4: one rule for dates ------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["list"], id="list"),
        pytest.param(["list", "--format", "json"], id="list-json"),
        pytest.param(["report"], id="report"),
        pytest.param(["timeline"], id="timeline"),
        pytest.param(["export", "ftm"], id="export-ftm"),
        pytest.param(["export", "sqlite", "{tmp}/register.db"], id="export-sqlite"),
        pytest.param(["show", "vn-az-2025-energy-mou"], id="show-another"),
        pytest.param(["report", "--html", "{tmp}/report.html"], id="report-html"),
        pytest.param(["report", "--format", "json"], id="report-json"),
        pytest.param(["timeline", "--format", "json"], id="timeline-json"),
    ],
)
def test_a_record_dated_9999_12_is_a_finding_and_every_other_record_reads(
    register: Path, tmp_path: Path, args: list[str]
) -> None:
    date_record(register, "9999-12")
    # The last month the register takes works everywhere, its term's last year too.
    replace(register, "agreements/vn-az-2025-energy-mou.yaml", "date: 2025-05-07",
            "date: 2999-12\nterm:\n  start: 2999-12\n  end: 2999")  # fmt: skip
    result = agreements(register, *[a.replace("{tmp}", str(tmp_path)) for a in args])
    no_crash(result)
    assert result.code == 1, result.stderr
    assert f"{CULTURE_FILE}:{DATE_LINE}:" in result.stderr
    assert RANGE in result.stderr
    if args == ["list", "--format", "json"]:
        listed = {a["id"]: a for a in json.loads(result.stdout)}
        assert len(listed) == 7 and CULTURE not in listed
        assert listed["vn-az-2025-energy-mou"]["date"] == "2999-12"
    if args[:2] == ["export", "sqlite"]:
        db = sqlite3.connect(tmp_path / "register.db")
        assert db.execute("select count(*) from agreements").fetchone() == (7,)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        pytest.param("9999-12", RANGE, id="month-of-year-9999"),
        pytest.param("9999-12-31", RANGE, id="last-day-of-year-9999"),
        pytest.param("9999", RANGE, id="year-9999"),
        pytest.param("0999-12", RANGE, id="year-999"),
        pytest.param("'٢٠٢٥-٠٥-٠٧'", DIGITS, id="arabic-indic-digits"),
        pytest.param("'２０２５-０５-０７'", DIGITS, id="full-width-digits"),
        pytest.param("'2025-05-0７'", DIGITS, id="one-full-width-digit"),
        pytest.param('"2025-05-07\\n"', DIGITS, id="trailing-newline"),
        pytest.param("2025-05-07 10:00:00", DIGITS, id="a-time-of-day"),
    ],
)
def test_validate_reports_a_date_on_its_record_and_line(
    register: Path, value: str, says: str
) -> None:
    date_record(register, value)
    result = agreements(register, "validate", "--format", "json")
    no_crash(result)
    assert result.code == 1
    errors = [f for f in result.json() if f["severity"] == "error"]
    assert [(f["file"], f["line"], f["field"]) for f in errors] == [
        (CULTURE_FILE, DATE_LINE, "date")
    ], errors
    assert says in errors[0]["message"]
    listed = agreements(register, "list", "--format", "json")
    no_crash(listed)
    assert listed.code == 1 and len(json.loads(listed.stdout)) == 7


@pytest.mark.parametrize(
    ("addition", "field"),
    [
        pytest.param("term:\n  start: 2025\n  end: 9999\n", "term.end", id="term-end-9999"),
        pytest.param("term:\n  start: '２０２５'\n  end: 2027\n", "term.start",
                     id="term-start-full-width"),
        pytest.param("follow_up:\n  - date: 9999-12\n    text: far away\n", "follow_up.0.date",
                     id="note-dated-9999-12"),
        pytest.param("follow_up:\n  - date: '٢٠٢٥-٠٦'\n    text: x\n", "follow_up.0.date",
                     id="note-arabic-indic-digits"),
    ],
)  # fmt: skip
def test_terms_and_notes_follow_the_same_rule(register: Path, addition: str, field: str) -> None:
    path = register / CULTURE_FILE
    path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")
    for args in (["report", "--format", "json"], ["timeline"], ["export", "ftm"]):
        result = agreements(register, *args)
        no_crash(result)
        assert result.code == 1 and CULTURE_FILE in result.stderr, result.stderr
    found = agreements(register, "validate", "--format", "json")
    errors = [f for f in found.json() if f["severity"] == "error"]
    assert [(f["file"], f["field"]) for f in errors] == [(CULTURE_FILE, field)], errors


def test_a_source_or_occasion_date_out_of_range_is_a_finding_on_its_file(register: Path) -> None:
    replace(register, "seeds/sources.yaml", "published: 2025-05-10", "published: 9999-12-31")
    replace(register, "agreements/registry/occasions.yaml", "start: 2025-05-07",
            "start: '２０２５-０５-０７'")  # fmt: skip
    result = agreements(register, "validate", "--format", "json")
    no_crash(result)
    errors = {(f["file"], f["field"]) for f in result.json() if f["severity"] == "error"}
    assert ("seeds/sources.yaml", "sources.2.published") in errors, errors
    assert ("agreements/registry/occasions.yaml", "occasions.0.start") in errors, errors
    assert all(f["code"] != "check-crashed" for f in result.json())


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("٢٠٢٥-٠٥-٠٧", id="arabic-indic"),
        pytest.param("２０２５-０５-０７", id="full-width"),
        pytest.param("2025-05-07\n", id="trailing-newline"),
        pytest.param("9999-12", id="year-9999"),
    ],
)
def test_note_add_refuses_a_date_it_cannot_use(register: Path, value: str) -> None:
    before = tree_digest(register)
    result = agreements(register, "note", "add", CULTURE, "x", "--date", value, "--force")
    no_crash(result)
    assert result.code == 2
    assert repr(value) in result.stderr
    assert (RANGE if value.startswith("9") else DIGITS) in result.stderr
    assert tree_digest(register) == before


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["list", "--since", "２０２５-０１-０１"], id="list-since"),
        pytest.param(["list", "--until", "٢٠٢٥-٠١-٠١"], id="list-until"),
        pytest.param(["list", "--until", "2025-01-01\n"], id="list-until-newline"),
        pytest.param(["timeline", "--since", "9999-12-31"], id="timeline-since-9999"),
        pytest.param(["occasion", "add", "x-visit", "--title-en", "X", "--start",
                      "２０２５-０１-０１", "--place", "Hanoi", "--evidence",
                      "ttxvn-le-trao-van-kien", "Baku"],
                     id="occasion-start"),
        pytest.param(["source", "add", str(REPO / "README.md"), "--lang", "en", "--published",
                      "٢٠٢٥-٠١-٠١"], id="source-published"),
    ],
)  # fmt: skip
def test_command_options_take_ascii_dates_in_range(register: Path, args: list[str]) -> None:
    before = tree_digest(register)
    result = agreements(register, *args)
    no_crash(result)
    assert result.code == 2
    assert DIGITS in result.stderr or RANGE in result.stderr, result.stderr
    assert tree_digest(register) == before


def test_an_account_of_the_date_takes_ascii_digits(register: Path) -> None:
    before = tree_digest(register)
    result = agreements(register, "account", "add", CULTURE, "--field", "date", "--value",
                        "２０２５-０５-０８", "--source", "ttxvn-le-trao-van-kien", "--quote",
                        "Baku")  # fmt: skip
    no_crash(result)
    assert result.code == 2 and DIGITS in result.stderr, result.stderr
    assert tree_digest(register) == before


def test_the_shipped_schema_states_the_date_rule() -> None:
    schema = json.loads((REPO / "agreements/agreement.schema.json").read_text(encoding="utf-8"))
    text = json.dumps(schema)
    assert "\\\\d" not in text  # \d matches more than 0-9 in some regex engines
    assert '"minimum": 1000' in text and '"maximum": 2999' in text


# --- item 5: records with links can be written ---------------------------------------------


@pytest.fixture
def linked(register: Path) -> Path:
    """The justice programme 'follows' the joint statement (made-up for the test)."""
    path = register / f"agreements/{JUSTICE}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "links:\n  - type: follows\n    target: vn-az-2025-joint-statement\n",
        encoding="utf-8",
    )
    assert agreements(register, "validate").code == 0
    return register


def test_a_note_is_added_to_listed_on_and_removed_from_a_linked_record(linked: Path) -> None:
    added = agreements(linked, "note", "add", JUSTICE, "First session held", "--date",
                       "2025-09-01")  # fmt: skip
    assert added.code == 0, added.stderr
    listed = agreements(linked, "note", "list", JUSTICE, "--format", "json")
    assert listed.code == 0, listed.stderr
    assert [n["text"] for n in listed.json()] == ["First session held"]
    removed = agreements(linked, "note", "remove", JUSTICE, "1", "--yes")
    assert removed.code == 0, removed.stderr
    assert agreements(linked, "validate").code == 0
    # A link to no record is still refused by writers, and reported by `note list`.
    replace(linked, f"agreements/{JUSTICE}.yaml", "target: vn-az-2025-joint-statement",
            "target: vn-az-2025-joint-statment")  # fmt: skip
    before = tree_digest(linked)
    refused = agreements(linked, "note", "add", JUSTICE, "x", "--date", "2025-09-01")
    assert refused.code == 2
    assert "unknown record 'vn-az-2025-joint-statment'" in refused.stderr
    assert "did you mean vn-az-2025-joint-statement" in refused.stderr
    assert tree_digest(linked) == before
    listed = agreements(linked, "note", "list", JUSTICE)
    assert listed.code == 1 and "unknown record" in listed.stderr


def test_a_linked_record_takes_an_account(linked: Path) -> None:
    """The account is refused for what it says (no quote proves it), not for the link."""
    result = agreements(linked, "account", "add", JUSTICE, "--field", "place", "--value",
                        "Hanoi", "--source", "ttxvn-le-trao-van-kien",
                        "--quote", "Baku")  # fmt: skip
    assert "unknown record" not in result.stderr, result.stderr
    assert result.code == 1, result.stderr


# --- item 8: accounts ------------------------------------------------------------------------

MOU_QUOTE = (
    "Vietnam's Ministry of National Defence and Azerbaijan's Ministry of Defence signed a "
    "memorandum of understanding on defence cooperation on 7 May 2025 in Baku"
)
PRESS = f"Baku, 7 May 2025\n{MOU_QUOTE}.\n"


@pytest.fixture
def press(register: Path, tmp_path: Path) -> Path:
    (tmp_path / "press.txt").write_text(PRESS, encoding="utf-8")
    added = agreements(register, "source", "add", str(tmp_path / "press.txt"), "--lang", "en",
                       "--id", "az-press")  # fmt: skip
    assert added.code == 0, added.stderr
    return register


def account(root: Path, *args: str) -> Result:
    return agreements(root, "account", "add", DEFENCE, "--source", "az-press", *args)


def test_an_identical_account_is_refused(press: Path) -> None:
    args = ["--field", "kind", "--value", "memorandum-of-understanding", "--quote", MOU_QUOTE]
    assert account(press, *args).code == 0
    before = tree_digest(press)
    again = account(press, *args, "--note", "said twice")
    no_crash(again)
    assert again.code == 2
    assert "already records" in again.stderr and "account 1" in again.stderr, again.stderr
    assert tree_digest(press) == before


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        pytest.param("parties.1.role", "=HYPERLINK(1)", "signatory", id="formula-as-role"),
        pytest.param("parties.1.role", "signer", "did you mean signatory", id="near-role"),
        pytest.param("parties.1.side", "XX", "AZ, VN", id="unknown-side"),
        pytest.param("parties.1.side", "az", "did you mean AZ", id="lower-case-side"),
        pytest.param(
            "parties.1.signer", "=cmd", "`agreements orgs` lists them", id="formula-as-signer"
        ),
    ],
)
def test_a_party_account_names_a_real_value(press: Path, field: str, value: str, says: str) -> None:
    before = tree_digest(press)
    result = account(press, "--field", field, "--value", value, "--quote", MOU_QUOTE)
    no_crash(result)
    assert result.code == 2
    assert says in result.stderr, result.stderr
    assert tree_digest(press) == before


def test_validate_reports_a_hand_written_role_that_is_no_role(press: Path) -> None:
    path = press / f"agreements/{DEFENCE}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "accounts:\n  - field: parties.1.role\n    value: '=HYPERLINK(1)'\n"
        f'    source: az-press\n    quote: "{MOU_QUOTE}"\n',
        encoding="utf-8",
    )
    result = agreements(press, "validate", "--format", "json")
    no_crash(result)
    errors = [f for f in result.json() if f["severity"] == "error"]
    assert [f["file"] for f in errors] == [f"agreements/{DEFENCE}.yaml"], errors
    assert "not a role" in errors[0]["message"]


# The schema's pattern for a date is the model's rule: what one takes, the other takes, but
# for days the calendar lacks (2025-02-29, 2025-02-31), which only the model can know.
SAMPLES = [
    "2025", "2025-05", "2025-05-07", "1000", "2999-12-31", "0999", "3000", "9999-12",
    "2025-13", "2025-00", "2025-02-29", "2024-02-29", "2025-02-31", "2025-5-7", "25-05-07",
    "2025-05-07\n", "\n2025", "２０２５", "٢٠٢٥-٠٥", "2025-05-07T00:00", "2025/05/07", "",
]  # fmt: skip


@pytest.mark.parametrize("value", [pytest.param(v, id=repr(v)) for v in SAMPLES])
def test_the_schema_pattern_and_the_model_agree(value: str) -> None:
    import re

    from agreement_tracker.values import PARTIAL_JSON, partial_date, period

    pattern = next(arm["pattern"] for arm in PARTIAL_JSON["anyOf"] if "pattern" in arm)
    matched = re.search(pattern, value) is not None and "\n" not in value  # ECMA: $ is the end
    try:
        partial_date(value)
        accepted = True
    except ValueError:
        accepted = False
    assert accepted == matched or value in {"2025-02-29", "2025-02-31"}  # no such day
    if accepted:
        first, last = period(value)
        assert first <= last


@pytest.mark.slow
def test_concurrent_identical_accounts_leave_one(press: Path) -> None:
    """Six writers add the same account at once: the check under the lock keeps one."""
    import subprocess

    from conftest import installed_command

    args = [installed_command(), "--register", str(press), "account", "add", DEFENCE,
            "--source", "az-press", "--field", "kind", "--value", "memorandum-of-understanding",
            "--quote", MOU_QUOTE]  # fmt: skip
    writers = [
        subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    results = [(w.wait(timeout=60), w.stderr.read() if w.stderr else "") for w in writers]
    assert sorted(code for code, _ in results) == [0, 2, 2, 2, 2, 2], results
    assert all("already records" in err for code, err in results if code == 2), results
    text = (press / f"agreements/{DEFENCE}.yaml").read_text(encoding="utf-8")
    assert text.count("memorandum-of-understanding") == 1
    assert agreements(press, "validate").code == 0
