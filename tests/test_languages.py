"""Sources in any language, names per language, vague record dates, planned documents, and
`new` proposing an account for a document the register holds (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import invoke, tree_digest

DEFENCE = "vn-az-2025-defence-loi"
DE_TEXT = """\
Baku, 07.05.2025
Das Verteidigungsministerium Vietnams und das Verteidigungsministerium Aserbaidschans \
unterzeichneten am 7. Mai 2025 in Baku ein Memorandum of Understanding über die \
Zusammenarbeit im Verteidigungsbereich.
Die Große Straße ist gesperrt.
"""
DE_QUOTE = (
    "Das Verteidigungsministerium Vietnams und das Verteidigungsministerium Aserbaidschans "
    "unterzeichneten am 7. Mai 2025 in Baku ein Memorandum of Understanding"
)


def cli(root: Path, *args: str):
    return invoke("--register", str(root), *args)


@pytest.fixture
def german(register: Path, tmp_path: Path) -> Path:
    (tmp_path / "presse.txt").write_text(DE_TEXT, encoding="utf-8")
    added = cli(register, "source", "add", str(tmp_path / "presse.txt"), "--lang", "de",
                "--id", "de-presse")  # fmt: skip
    assert added.code == 0, added.stderr
    return register


def test_a_german_source_is_added_and_cited(german: Path) -> None:
    sources = (german / "seeds/sources.yaml").read_text(encoding="utf-8")
    assert "lang: de" in sources
    added = cli(german, "account", "add", DEFENCE, "--field", "kind", "--value", "mou",
                "--source", "de-presse", "--quote", DE_QUOTE)  # fmt: skip
    assert added.code == 0, added.stderr
    assert cli(german, "validate", "--strict").code == 0
    proof = cli(german, "show", DEFENCE, "--format", "json").json()
    assert proof["accounts"][0]["source"] == "de-presse"
    # The German date "7. Mai 2025" proves the day; German names prove both ministries.
    dated = cli(german, "account", "add", DEFENCE, "--field", "date", "--value", "2025-05-08",
                "--source", "de-presse", "--quote", DE_QUOTE)  # fmt: skip
    assert dated.code == 1 and "no quote of the record states 8/5" in dated.stderr


def test_a_german_quote_must_state_what_it_is_cited_for(german: Path) -> None:
    before = tree_digest(german)
    wrong = cli(german, "account", "add", DEFENCE, "--field", "kind", "--value",
                "joint-statement", "--source", "de-presse", "--quote", DE_QUOTE)  # fmt: skip
    assert wrong.code == 1 and "Gemeinsame Erklärung" in wrong.stderr
    same = cli(german, "account", "add", DEFENCE, "--field", "kind", "--value",
               "letter-of-intent", "--source", "de-presse", "--quote", DE_QUOTE)  # fmt: skip
    assert same.code == 2 and "already reads kind as 'letter-of-intent'" in same.stderr
    assert tree_digest(german) == before


def test_names_fall_back_to_english_in_a_language_the_register_lacks(register: Path) -> None:
    shown = cli(register, "--lang", "de", "orgs", "--format", "csv").stdout
    assert "vn-ministry-of-national-defence,VN,ministry,Verteidigungsministerium Vietnams" in shown
    assert "vn-ministry-of-justice,VN,ministry,Ministry of Justice of Vietnam" in shown
    listed = cli(register, "list", "--lang", "fr", "--format", "csv").stdout
    assert "Ministry of Justice of Vietnam" in listed
    refused = cli(register, "list", "--lang", "xx")
    assert refused.code == 2 and "not an ISO 639-1 language code" in refused.stderr


def test_org_add_takes_names_in_any_language_and_needs_english(register: Path) -> None:
    before = tree_digest(register)
    no_english = cli(register, "org", "add", "de-siemens-energy", "--country", "DE", "--type",
                     "company", "--name", "de=Siemens Energy AG")  # fmt: skip
    assert no_english.code == 2 and "--name en=TEXT" in no_english.stderr
    bad = cli(register, "org", "add", "de-siemens-energy", "--type", "company", "--name",
              "en=Siemens Energy", "--name", "german=Siemens Energy AG")  # fmt: skip
    assert bad.code == 2 and "'german' is not an ISO 639-1" in bad.stderr
    assert tree_digest(register) == before
    added = cli(register, "org", "add", "de-siemens-energy", "--country", "DE", "--type",
                "company", "--name", "en=Siemens Energy", "--name", "de=Siemens Energy AG",
                "--short", "en=Siemens Energy", "--short", "de=Siemens")  # fmt: skip
    assert added.code == 0, added.stderr
    orgs = cli(register, "orgs", "--lang", "de", "--format", "json").json()
    [siemens] = [o for o in orgs if o["id"] == "de-siemens-energy"]
    assert siemens["name"] == {"en": "Siemens Energy", "de": "Siemens Energy AG"}
    assert "de-siemens-energy,DE,company,Siemens Energy AG" in cli(
        register, "orgs", "--lang", "de", "--format", "csv").stdout  # fmt: skip
    assert cli(register, "validate").code == 0


def test_folding_fits_each_script() -> None:
    from agreement_tracker.text import fold_keep_marks, whole_words

    assert fold_keep_marks("İLHAM Əliyev") == fold_keep_marks("Ilham əliyev")
    assert fold_keep_marks("GROSSE") == fold_keep_marks("große")
    assert fold_keep_marks("МИНИСТЕРСТВО") == fold_keep_marks("министерство")
    # Chinese is written without spaces: a name inside a sentence is still found.
    assert whole_words("越南国防部与阿塞拜疆国防部签署", "阿塞拜疆国防部")
    assert not whole_words("ministryofdefence", "ministry")


# --- planned documents and vague dates ---------------------------------------------------

PLANS = """\
Baku, 20 June 2025
The Ministry of Culture, Sports and Tourism of Vietnam and the Ministry of Culture of \
Azerbaijan will sign a protocol on cultural exchanges in Hanoi.
In July 2025, the Ministry of Justice of Vietnam and the Ministry of Justice of Azerbaijan \
signed a protocol on legal training in Baku.
The Ministry of Energy of Azerbaijan and the Ministry of Industry and Trade of Vietnam \
signed a roadmap.
"""


@pytest.fixture
def plans(register: Path, tmp_path: Path) -> Path:
    (tmp_path / "plans.txt").write_text(PLANS, encoding="utf-8")
    added = cli(register, "source", "add", str(tmp_path / "plans.txt"), "--lang", "en",
                "--id", "plans", "--published", "2025-06-20")  # fmt: skip
    assert added.code == 0, added.stderr
    return register


def test_a_planned_record_has_no_date_and_becomes_signed(plans: Path) -> None:
    drafted = cli(plans, "new", "--source", "plans", "--line", "2", "--id", "vn-az-culture-plan")
    assert drafted.code == 0, drafted.stderr
    assert "status: planned" in drafted.stdout
    text = (plans / "agreements/vn-az-culture-plan.yaml").read_text(encoding="utf-8")
    assert "status: planned" in text and "\ndate:" not in text
    assert cli(plans, "validate").code == 0

    [row] = [r for r in cli(plans, "list", "--format", "json").json()
             if r["id"] == "vn-az-culture-plan"]  # fmt: skip
    assert row["date"] is None and row["status"] == "planned"
    ids = [r["id"] for r in cli(plans, "list", "--format", "json").json()]
    assert ids[-1] == "vn-az-culture-plan"  # undated records sort last

    signed = cli(plans, "note", "add", "vn-az-culture-plan", "--date", "2025-09-01", "--status",
                 "signed", "Signed in Hanoi.", "--source", "plans")  # fmt: skip
    assert signed.code == 0, signed.stderr
    [row] = [r for r in cli(plans, "list", "--status", "signed", "--format", "json").json()
             if r["id"] == "vn-az-culture-plan"]  # fmt: skip
    assert (row["status"], row["current_status"], row["signed"]) == (
        "planned", "signed", "2025-09-01")  # fmt: skip
    csv = cli(plans, "list", "--format", "csv").stdout
    assert "vn-az-culture-plan,2025-09-01,Signed" in csv
    shown = cli(plans, "show", "vn-az-culture-plan").stdout
    assert "2025-09-01 (the note that records the signing)" in shown
    assert cli(plans, "validate").code == 0


def test_a_signed_record_needs_a_date(plans: Path) -> None:
    path = plans / "agreements/vn-az-2025-culture-mou.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("date: 2025-05-07\n", ""), encoding="utf-8")
    result = cli(plans, "validate", "--format", "json")
    assert [f["code"] for f in result.json() if f["severity"] == "error"] == ["missing-date"]


def test_a_record_dated_by_month_is_proven_sorted_and_filtered(plans: Path) -> None:
    drafted = cli(plans, "new", "--source", "plans", "--line", "3", "--id", "vn-az-justice-plan")
    assert drafted.code == 0, drafted.stderr
    assert "date: 2025-07 (only the month is stated)" in drafted.stdout
    assert cli(plans, "validate").code == 0

    def ids(*args: str) -> list[str]:
        return [r["id"] for r in cli(plans, "list", *args, "--format", "json").json()]

    assert ids()[-1] == "vn-az-justice-plan"  # 2025-07 after the records of 2025-05-07
    assert "vn-az-justice-plan" in ids("--since", "2025-07-31")  # some day of July is on or after
    assert "vn-az-justice-plan" in ids("--until", "2025-07-01")
    assert "vn-az-justice-plan" not in ids("--until", "2025-06-30")
    events = cli(plans, "timeline", "--format", "json").json()
    signed = [e for e in events if e["event"] == "signed"]
    assert (signed[-1]["date"], signed[-1]["id"]) == ("2025-07", "vn-az-justice-plan")
    # A note of 2025-07 is not before a signing dated 2025-07.
    noted = cli(plans, "note", "add", "vn-az-justice-plan", "Training began.", "--date",
                "2025-07", "--source", "plans")  # fmt: skip
    assert noted.code == 0, noted.stderr

    path = plans / "agreements/vn-az-justice-plan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2025-07", "date: 2025-08", 1),
                    encoding="utf-8")  # fmt: skip
    result = cli(plans, "validate", "--format", "json")
    problems = [f for f in result.json() if f["severity"] == "error"]
    assert [f["code"] for f in problems] == ["ungrounded-date", "note-before-signing"]
    assert "no quote of the record states month 8/2025" in problems[0]["message"]


def test_new_takes_no_place_from_a_line_about_another_document(plans: Path) -> None:
    """Line 4 names no place; the lines before it are about other documents ("in Baku",
    "in Hanoi"), so the draft leaves the place to the curator instead of borrowing one."""
    drafted = cli(plans, "new", "--source", "plans", "--line", "4", "--dry-run", "--as-new")
    assert drafted.code == 0, drafted.stderr
    assert "place: 'TODO: the place'" in drafted.stdout
    assert "place: the source does not name one near the quote" in drafted.stdout


def test_new_proposes_an_account_for_a_document_the_register_holds(german: Path) -> None:
    before = tree_digest(german)
    result = cli(german, "new", "--source", "de-presse", "--line", "2")
    assert result.code == 1
    assert f"the quote describes {DEFENCE}" in result.stdout
    assert "kind: memorandum-of-understanding (the register: letter-of-intent)" in result.stdout
    assert f"agreements account add {DEFENCE} --field kind" in result.stdout
    assert tree_digest(german) == before
    forced = cli(german, "new", "--source", "de-presse", "--line", "2", "--as-new", "--dry-run")
    assert forced.code == 0 and "would be:" in forced.stdout
