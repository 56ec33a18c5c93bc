"""Curators' commands (issue 22, item 9): `org alias`, `evidence add`, `account list`,
`account reject` and `account remove`, each on a copy of the shipped register, each refusal
naming its rule and leaving every file as it was. The commands run in-process (CliRunner);
concurrent writers, and the shipped register found by the installed tool, are processes."""

from __future__ import annotations

import difflib
import os
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, Result, edit, installed_command, invoke, run, tree_digest

ORGS = "agreements/registry/organisations.yaml"
ENERGY = "vn-az-2025-energy-mou"
BINH_SON = "vn-az-2025-binh-son-crude-mou"
DEFENCE = "vn-az-2025-defence-loi"
JOINT = "vn-az-2025-joint-statement"
VOV = "vov-strategic-partnership-en"
TTXVN = "ttxvn-le-trao-van-kien"
# The English report's sentence about the joint statement: a second source that agrees.
JOINT_QUOTE = (
    "According to the joint statement released after their talks, both sides will promote "
    "high-level visits"
)
# Source 001's clause about the justice programme: another document of the same list.
JUSTICE_CLAUSE = (
    "Bộ Tư pháp Việt Nam và Bộ Tư pháp Azerbaijan trao đổi Chương trình hợp tác giai đoạn 2025-2027"
)
PRESS_TEXT = """\
Baku, 7 May 2025
Azerbaijan's Ministry of Defence signed a memorandum of understanding with Vietnam's \
Ministry of National Defence on 7 May 2025 in Baku.
"""
PRESS_KIND = "Azerbaijan's Ministry of Defence signed a memorandum of understanding"


def agreements(root: Path, *args: str, input: str | None = None) -> Result:
    return invoke("--register", str(root), *args, input=input)


def added_lines(before: str, after: str) -> list[str]:
    """The lines a change added, asserting it removed none."""
    diff = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:1] in "+-"]
    assert not [d for d in diff if d.startswith("-")], diff
    return [d[2:] for d in diff]


# --- org alias ----------------------------------------------------------------------------


def test_an_alias_is_added_as_one_line_and_search_then_finds_the_record(register: Path) -> None:
    spelling = "Energieministerium Aserbaidschans"
    found = agreements(register, "list", "--org", spelling, "--format", "json")
    assert found.json() == []  # nobody knows this spelling yet
    before = (register / ORGS).read_text(encoding="utf-8")
    result = agreements(register, "org", "alias", "az-ministry-of-energy", spelling, "--lang", "de")
    assert result.code == 0, result.stderr
    assert f"Added the alias {spelling!r} to az-ministry-of-energy" in result.stdout
    assert "--lang de was checked, not stored" in result.stdout
    after = (register / ORGS).read_text(encoding="utf-8")
    assert added_lines(before, after) == [f"      - {spelling}"]
    found = agreements(register, "list", "--org", spelling, "--format", "json")
    assert [a["id"] for a in found.json()] == [ENERGY]
    assert agreements(register, "validate", "--strict").code == 0


def test_an_alias_dry_run_shows_the_diff_and_writes_nothing(register: Path) -> None:
    before = tree_digest(register)
    result = agreements(register, "org", "alias", "vn-to-lam", "Tô Lâm Tổng Bí thư", "--dry-run")
    assert result.code == 0, result.stderr
    assert "Dry run: nothing was written" in result.stdout
    assert "+      - Tô Lâm Tổng Bí thư" in result.stdout
    assert tree_digest(register) == before


def test_an_alias_goes_into_a_flow_list_and_a_new_aliases_key_keeping_comments(
    register: Path,
) -> None:
    """Written as the file writes the list: inside `[…]` with its comment kept; an empty
    `[]` grows inside its brackets; an entry with no aliases gains the key."""
    edit(register, ORGS, "    aliases:\n      - Ministry of Energy\n",
         "    aliases: [Ministry of Energy]  # the English short name\n")  # fmt: skip
    edit(register, ORGS, "    aliases: []\n", "    aliases: []  # none yet\n")
    assert agreements(register, "org", "alias", "az-ministry-of-energy", "Minenergo").code == 0
    assert agreements(register, "org", "alias", "socar-trading-singapore", "SOCAR TS").code == 0
    text = (register / ORGS).read_text(encoding="utf-8")
    assert "    aliases: [Ministry of Energy, Minenergo]  # the English short name\n" in text
    assert "    aliases: [SOCAR TS]  # none yet\n" in text
    # An entry written without the key.
    edit(register, ORGS, "    aliases: [SOCAR TS]  # none yet\n", "")
    before = (register / ORGS).read_text(encoding="utf-8")
    assert agreements(register, "org", "alias", "socar-trading-singapore", "SOCAR TS").code == 0
    after = (register / ORGS).read_text(encoding="utf-8")
    assert added_lines(before, after) == ["    aliases:", "      - SOCAR TS"]
    assert agreements(register, "validate").code == 0


@pytest.mark.parametrize(
    ("org", "spelling", "extra", "says"),
    [
        pytest.param("az-ministry-of-energy", "bộ năng  lượng", [],
                     "already a name of az-ministry-of-energy (short.vi: 'Bộ Năng lượng')",
                     id="already-its-name-case-and-space-aside"),
        pytest.param("vn-ministry-of-industry-and-trade", "MOIT", [],
                     "already a name of vn-ministry-of-industry-and-trade (aliases.5: 'MOIT')",
                     id="already-its-alias"),
        pytest.param("az-ministry-of-energy", "Bộ Tư pháp Azerbaijan", [],
                     "name of another organisation, az-ministry-of-justice (name.vi",
                     id="another-organisations-name"),
        pytest.param("az-ministry-of-energy", "Ministry of Defence", [],
                     "would make that name ambiguous", id="another-organisations-alias"),
        pytest.param("az-ministry-of-enrgy", "Minenergo", [],
                     "did you mean az-ministry-of-energy", id="unknown-organisation"),
        pytest.param("az-ministry-of-energy", "", [], "empty", id="empty"),
        pytest.param("az-ministry-of-energy", "   ", [], "empty", id="blank"),
        pytest.param("az-ministry-of-energy", " Minenergo", [], "white space at its ends",
                     id="white-space-at-an-end"),
        pytest.param("az-ministry-of-energy", "Min\x1b[31menergo", [],
                     "Min\\x1b[31menergo holds a control character", id="terminal-escape"),
        pytest.param("az-ministry-of-energy", "Min\nenergo", [], "control character",
                     id="line-break"),
        pytest.param("az-ministry-of-energy", "Minenergo", ["--lang", "german"],
                     "not an ISO 639-1 language code", id="bad-language"),
    ],
)  # fmt: skip
def test_an_alias_is_refused_with_the_reason(
    register: Path, org: str, spelling: str, extra: list[str], says: str
) -> None:
    before = tree_digest(register)
    result = agreements(register, "org", "alias", org, spelling, *extra)
    assert result.code == 2, result.stdout
    assert says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(register) == before


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["org", "alias", "az-ministry-of-energy", "Minenergo"], id="org-alias"),
        pytest.param(["evidence", "add", JOINT, "--source", VOV, "--quote", JOINT_QUOTE],
                     id="evidence-add"),
        pytest.param(["account", "reject", DEFENCE, "1", "--reason", "x"], id="account-reject"),
        pytest.param(["account", "remove", DEFENCE, "1", "--yes"], id="account-remove"),
    ],
)  # fmt: skip
def test_the_shipped_register_is_not_changed(tmp_path: Path, args: list[str]) -> None:
    # From a folder with no register above it, commands use the shipped one.
    before = tree_digest(REPO / "agreements")
    result = run(*args, cwd=tmp_path)
    assert result.code == 2
    assert "agreements init DIR --from-shipped" in result.stderr
    assert tree_digest(REPO / "agreements") == before


# --- evidence add -------------------------------------------------------------------------


def test_a_second_source_that_agrees_is_added_and_validates(register: Path) -> None:
    rel = f"agreements/{JOINT}.yaml"
    before = (register / rel).read_text(encoding="utf-8")
    result = agreements(register, "evidence", "add", JOINT, "--source", VOV, "--quote",
                        JOINT_QUOTE)  # fmt: skip
    assert result.code == 0, result.stderr
    assert f"Added a quote to {JOINT} at {rel}:" in result.stdout
    assert "it proves: parties.0, parties.0.role, parties.1, parties.1.role, kind" in (
        result.stdout
    )
    after = (register / rel).read_text(encoding="utf-8")
    assert added_lines(before, after)[0] == f"  - source: {VOV}"
    assert agreements(register, "validate", "--strict").code == 0
    proof = agreements(register, "show", JOINT, "--proof", "--format", "json")
    assert proof.code == 0, proof.stderr
    assert any(JOINT_QUOTE in (row.get("quote") or "") for row in proof.json())
    # The same passage again, re-wrapped, is a duplicate: refused, the file unchanged.
    again = agreements(register, "evidence", "add", JOINT, "--source", VOV, "--quote",
                       JOINT_QUOTE.replace(", both", ",\n  both"))  # fmt: skip
    assert again.code == 2
    assert "duplicate-evidence: quote 4 of vn-az-2025-joint-statement" in again.stderr
    assert (register / rel).read_text(encoding="utf-8") == after


def test_evidence_add_dry_run_says_what_it_would_prove(register: Path) -> None:
    before = tree_digest(register)
    result = agreements(register, "evidence", "add", JOINT, "--source", VOV, "--quote",
                        JOINT_QUOTE, "--dry-run")  # fmt: skip
    assert result.code == 0, result.stderr
    assert f"+  - source: {VOV}" in result.stdout
    assert "The quote would prove: parties.0, parties.0.role" in result.stdout
    assert tree_digest(register) == before


@pytest.fixture
def press(register: Path, tmp_path: Path) -> Path:
    """The register with a made-up English report that calls the defence letter of intent
    a memorandum of understanding."""
    (tmp_path / "press.txt").write_text(PRESS_TEXT, encoding="utf-8")
    added = agreements(register, "source", "add", str(tmp_path / "press.txt"), "--lang", "en",
                       "--id", "az-press")  # fmt: skip
    assert added.code == 0, added.stderr
    return register


@pytest.mark.parametrize(
    ("record", "source", "quote", "says"),
    [
        pytest.param(ENERGY, TTXVN, JUSTICE_CLAUSE,
                     "quote-supports-nothing: quote 3 supports no claim of this record: it is "
                     "about another document", id="a-clause-about-another-document"),
        pytest.param(ENERGY, VOV, JOINT_QUOTE,
                     "quote-supports-nothing: quote 3 supports no claim of this record: it is "
                     "about another document (a joint-statement", id="both-sides-of-another-kind"),
        pytest.param(DEFENCE, "az-press",
                     PRESS_KIND + " with Vietnam's Ministry of National Defence on 7 May 2025",
                     "disputed-kind: the quote calls the document a 'memorandum-of-under"
                     "standing', not a 'letter-of-intent'", id="another-kind-is-an-account"),
        pytest.param(ENERGY, TTXVN,
                     "Bộ Công thương Việt Nam và Bộ Năng lượng Azerbaijan trao bản ghi nhớ",
                     "quote-not-found: the quote is not in source 'ttxvn-le-trao-van-kien'",
                     id="not-in-the-source"),
        pytest.param(ENERGY, TTXVN,
                     "BỘ CÔNG THƯƠNG Việt Nam và Bộ Năng lượng Azerbaijan trao đổi bản ghi nhớ",
                     "quote-case: the quote differs", id="letter-case-differs"),
    ],
)  # fmt: skip
def test_evidence_that_supports_nothing_of_the_record_is_refused_naming_the_rule(
    press: Path, record: str, source: str, quote: str, says: str
) -> None:
    before = tree_digest(press)
    result = agreements(press, "evidence", "add", record, "--source", source, "--quote", quote)
    assert result.code == 1, result.stdout
    assert says in result.stderr, result.stderr
    assert "nothing was added" in result.stderr
    assert "remove it" not in result.stderr  # validate's advice, false for a quote not added
    assert tree_digest(press) == before


def test_the_nearest_passage_is_shown_for_a_quote_not_in_the_source(register: Path) -> None:
    result = agreements(
        register,
        "evidence",
        "add",
        ENERGY,
        "--source",
        TTXVN,
        "--quote",
        "Bộ Công thương Việt Nam và Bộ Năng lượng Azerbaijan trao bản ghi nhớ",
    )
    assert result.code == 1
    assert "nearest passage (similarity" in result.stderr
    assert "trao đổi bản ghi nhớ" in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        pytest.param([ENERGY, "--source", TTXVN, "--quote",
                      "Bộ Công thương Việt Nam và Bộ Năng lượng Azerbaijan trao đổi bản ghi nhớ "
                      "về hợp tác trong   lĩnh vực năng lượng"],
                     "duplicate-evidence: quote 1 of vn-az-2025-energy-mou", id="duplicate"),
        pytest.param(["vn-az-2025-energy-mu", "--source", TTXVN, "--quote", "x"],
                     "did you mean vn-az-2025-energy-mou", id="unknown-record"),
        pytest.param([ENERGY, "--source", "ttxvn", "--quote", "x"],
                     "did you mean ttxvn-le-trao-van-kien", id="unknown-source"),
        pytest.param([ENERGY, "--source", TTXVN, "--quote", "  "], "--quote is empty",
                     id="empty-quote"),
    ],
)  # fmt: skip
def test_unusable_evidence_is_refused_with_exit_2(
    register: Path, args: list[str], says: str
) -> None:
    before = tree_digest(register)
    result = agreements(register, "evidence", "add", *args)
    assert result.code == 2
    assert says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(register) == before


# --- account list, reject, remove ---------------------------------------------------------


def add_account(root: Path) -> None:
    added = agreements(root, "account", "add", DEFENCE, "--field", "kind", "--value",
                       "memorandum-of-understanding", "--source", "az-press", "--quote",
                       PRESS_KIND)  # fmt: skip
    assert added.code == 0, added.stderr


@pytest.mark.slow
def test_accounts_are_listed_rejected_and_removed(press: Path) -> None:
    rel = f"agreements/{DEFENCE}.yaml"
    empty = agreements(press, "account", "list", DEFENCE, "--format", "json")
    assert empty.code == 0 and empty.json() == []
    original = (press / rel).read_text(encoding="utf-8")
    add_account(press)
    table = agreements(press, "account", "list", DEFENCE)
    assert table.code == 0
    assert "1 account of vn-az-2025-defence-loi" in table.stdout
    assert "memorandum-of-understanding" in table.stdout and "open" in table.stdout
    [row] = agreements(press, "account", "list", DEFENCE, "--format", "json").json()
    assert row == {"index": 1, "field": "kind", "value": "memorandum-of-understanding",
                   "source": "az-press", "quote": PRESS_KIND, "note": None, "status": "open",
                   "reason": None}  # fmt: skip
    assert agreements(press, "list", "--disputed", "--format", "json").json() != []

    reason = "the Vietnamese texts, read at the ceremony, say letter of intent"
    rejected = agreements(press, "account", "reject", DEFENCE, "1", "--reason", reason)
    assert rejected.code == 0, rejected.stderr
    assert f"Rejected account 1 of {DEFENCE}" in rejected.stdout
    [row] = agreements(press, "account", "list", DEFENCE, "--format", "json").json()
    assert (row["status"], row["reason"]) == ("rejected", reason)
    assert agreements(press, "list", "--disputed", "--format", "json").json() == []
    checked = agreements(press, "validate")  # press.txt's own mention is a warning of its own
    assert checked.code == 0 and "disputed-kind" not in checked.stdout
    twice = agreements(press, "account", "reject", DEFENCE, "1", "--reason", "again")
    assert twice.code == 2 and "already rejected" in twice.stderr

    # Not on a terminal and without --yes: asked, refused, nothing changed.
    before = tree_digest(press)
    asked = agreements(press, "account", "remove", DEFENCE, "1", input="y\n")
    assert asked.code == 2 and "pass --yes" in asked.stderr
    assert tree_digest(press) == before
    removed = agreements(press, "account", "remove", DEFENCE, "1", "--yes")
    assert removed.code == 0, removed.stderr
    assert f"Removed account 1 of {DEFENCE}" in removed.stdout
    assert agreements(press, "account", "list", DEFENCE, "--format", "json").json() == []
    # The last account gone, the record reads and validates: an empty list, not a null.
    after = (press / rel).read_text(encoding="utf-8")
    assert added_lines(original, after) == ["accounts: []"]
    assert agreements(press, "validate").code == 0


def test_only_the_chosen_account_goes(press: Path) -> None:
    add_account(press)
    other = agreements(press, "account", "add", DEFENCE, "--field", "kind", "--value",
                       "memorandum-of-understanding", "--source", "az-press", "--quote",
                       PRESS_KIND + " with Vietnam's Ministry of National Defence")  # fmt: skip
    assert other.code == 0, other.stderr
    assert agreements(press, "account", "remove", DEFENCE, "1", "--yes").code == 0
    [row] = agreements(press, "account", "list", DEFENCE, "--format", "json").json()
    assert row["index"] == 1 and row["quote"].endswith("Ministry of National Defence")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        pytest.param(["reject", DEFENCE, "1", "--reason", "wrong"],
                     "vn-az-2025-defence-loi has no accounts: there is no account 1",
                     id="reject-without-accounts"),
        pytest.param(["remove", DEFENCE, "3", "--yes"], "there is no account 3",
                     id="remove-a-number-not-listed"),
        pytest.param(["remove", "vn-az-2025-defense-loi", "1", "--yes"],
                     "did you mean vn-az-2025-defence-loi", id="unknown-record"),
    ],
)  # fmt: skip
def test_an_account_change_that_cannot_be_made_is_refused(
    register: Path, args: list[str], says: str
) -> None:
    before = tree_digest(register)
    result = invoke("--register", str(register), "account", *args)
    assert result.code == 2, result.stdout
    assert says in result.stderr, result.stderr
    assert tree_digest(register) == before


def test_a_rejection_needs_a_reason(press: Path) -> None:
    add_account(press)
    before = tree_digest(press)
    result = agreements(press, "account", "reject", DEFENCE, "1", "--reason", " ")
    assert result.code == 2 and "--reason is empty" in result.stderr
    assert tree_digest(press) == before


# --- concurrent writers -------------------------------------------------------------------


def _at_once(root: Path, args: list[str], count: int = 4) -> list[tuple[int, str]]:
    """`count` copies of one command started together; each one's exit code and stderr."""
    env = {k: v for k, v in os.environ.items() if k != "AGREEMENTS_REGISTER"}
    procs = [
        subprocess.Popen([installed_command(), "--register", str(root), *args], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(count)
    ]  # fmt: skip
    return [(p.wait(timeout=120), p.communicate()[1]) for p in procs]


def test_concurrent_aliases_of_one_spelling_add_one_line(register: Path) -> None:
    """The check runs again under the lock: the others see the first one's alias."""
    results = _at_once(register, ["org", "alias", "az-ministry-of-energy", "Minenergo"])
    assert sorted(code for code, _ in results) == [0, 2, 2, 2], results
    assert all("already a name of az-ministry-of-energy" in err for code, err in results if code)
    assert (register / ORGS).read_text(encoding="utf-8").count("- Minenergo\n") == 1


def test_concurrent_evidence_of_one_quote_adds_one(register: Path) -> None:
    args = ["evidence", "add", JOINT, "--source", VOV, "--quote", JOINT_QUOTE]
    results = _at_once(register, args)
    assert sorted(code for code, _ in results) == [0, 2, 2, 2], results
    assert all("duplicate-evidence" in err for code, err in results if code)
    text = (register / f"agreements/{JOINT}.yaml").read_text(encoding="utf-8")
    evidence = text.partition("\ncommitments:")[0]  # its commitments cite VOV too
    assert evidence.count(f"source: {VOV}") == 2  # the record's own quote, and the one added


@pytest.mark.slow
def test_aliases_let_a_german_report_prove_the_record(register: Path, tmp_path: Path) -> None:
    """The issue's case: a true statement in German is refused while the registry does not
    know its spellings, and accepted, proving the parties, once `org alias` adds them. (A
    ministry described by its field and country, "das Wirtschaftsministerium
    Aserbaidschans", needs no alias; a company's German name does.)"""
    (tmp_path / "bericht.txt").write_text(
        "Baku, 7. Mai 2025\nDie Raffinerie Binh Son unterzeichnete am 7. Mai 2025 in Baku ein "
        "Memorandum of Understanding über langfristige Rohöllieferungen, das Wirtschafts"
        "ministerium Aserbaidschans ebenfalls.\n",
        encoding="utf-8",
    )
    added = agreements(register, "source", "add", str(tmp_path / "bericht.txt"), "--lang", "de",
                       "--id", "bericht")  # fmt: skip
    assert added.code == 0, added.stderr
    quote = "Die Raffinerie Binh Son unterzeichnete am 7. Mai 2025 in Baku ein Memorandum"
    args = ["evidence", "add", BINH_SON, "--source", "bericht", "--quote", quote]
    refused = agreements(register, *args)
    assert refused.code == 1 and "quote-supports-nothing" in refused.stderr
    alias = ("org", "alias", "vn-binh-son-refining", "Raffinerie Binh Son", "--lang", "de")
    assert agreements(register, *alias).code == 0
    accepted = agreements(register, *args)
    assert accepted.code == 0, accepted.stderr
    assert "it proves: parties.0, parties.0.role, kind" in accepted.stdout
    assert agreements(register, "validate").code == 0


def test_an_alias_keeps_the_files_line_ends_and_byte_order_mark(register: Path) -> None:
    """A registry written on Windows (CRLF, a BOM, no final line break) stays so: the alias
    line is added with the file's own line end, at the end of the file too."""
    path = register / ORGS
    text = path.read_text(encoding="utf-8")
    path.write_bytes(("\ufeff" + text.replace("\n", "\r\n").rstrip("\r\n")).encode("utf-8"))
    assert text.rstrip().endswith("- Ali Asadov")  # the last entry: its alias ends the file
    result = agreements(register, "org", "alias", "az-ali-asadov", "Али Асадов", "--lang", "ru")
    assert result.code == 0, result.stderr
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\n" not in data.replace(b"\r\n", b"")
    assert data.endswith("      - Ali Asadov\r\n      - Али Асадов\r\n".encode())
    assert agreements(register, "validate").code == 0
