"""Conflicting accounts: another source's reading of a field, proven by its quote, shown
beside the register's own (issue 14, first part)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import invoke, tree_digest

DEFENCE = "vn-az-2025-defence-loi"
EN_TEXT = """\
Baku, 7 May 2025
Vietnam's Ministry of National Defence and Azerbaijan's Ministry of Defence signed a \
memorandum of understanding on defence cooperation on 7 May 2025 in Baku.
"""
MOU_QUOTE = (
    "Vietnam's Ministry of National Defence and Azerbaijan's Ministry of Defence signed a "
    "memorandum of understanding on defence cooperation on 7 May 2025 in Baku"
)


@pytest.fixture
def press(register: Path, tmp_path: Path) -> Path:
    """The shipped register with a made-up English report that calls the defence letter of
    intent a memorandum of understanding."""
    (tmp_path / "press.txt").write_text(EN_TEXT, encoding="utf-8")
    added = invoke("--register", str(register), "source", "add", str(tmp_path / "press.txt"),
                   "--lang", "en", "--id", "az-press")  # fmt: skip
    assert added.code == 0, added.stderr
    return register


def account(root: Path, *args: str):
    return invoke("--register", str(root), "account", "add", DEFENCE, *args)


def test_an_account_is_recorded_validated_shown_listed_and_in_json(press: Path) -> None:
    before = (press / f"agreements/{DEFENCE}.yaml").read_bytes()
    added = account(press, "--field", "kind", "--value", "memorandum-of-understanding",
                    "--source", "az-press", "--quote", MOU_QUOTE)  # fmt: skip
    assert added.code == 0, added.stderr
    after = (press / f"agreements/{DEFENCE}.yaml").read_bytes()
    assert after.startswith(before)  # lines added only
    assert invoke("--register", str(press), "validate", "--strict").code == 0

    shown = invoke("--register", str(press), "show", DEFENCE)
    assert "Letter of intent  disputed: memorandum-of-understanding" in shown.stdout
    assert (
        "1. kind: memorandum-of-understanding (open) · az-press (seeds/press.txt:2:1)"
        in shown.stdout
    )
    assert "Ý định thư hợp tác giữa hai bộ" in shown.stdout  # the register's own reading stays

    listed = invoke("--register", str(press), "list", "--disputed", "--format", "json").json()
    assert [a["id"] for a in listed] == [DEFENCE]
    [record] = listed
    assert record["kind"] == "letter-of-intent"
    assert record["accounts"] == [{
        "field": "kind", "value": "memorandum-of-understanding", "source": "az-press",
        "quote": MOU_QUOTE, "note": None, "rejected": None}]  # fmt: skip
    report = invoke("--register", str(press), "report", "--format", "json").json()
    assert report["disputed"] == [DEFENCE]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        pytest.param(["--field", "kind", "--value", "memorandum-of-understanding", "--source",
                      "az-press", "--quote", "Baku, 7 May 2025"], "uses one of its terms",
                     id="the-quote-does-not-state-it"),
        pytest.param(["--field", "kind", "--value", "memorandum-of-understanding", "--source",
                      "az-press", "--quote", "a memorandum signed in Hanoi"], "not in source",
                     id="the-quote-is-not-in-the-source"),
        pytest.param(["--field", "colour", "--value", "x", "--source", "az-press", "--quote",
                      MOU_QUOTE], "field", id="an-unknown-field"),
        pytest.param(["--field", "kind", "--value", "treaty", "--source", "az-press", "--quote",
                      MOU_QUOTE], "unknown kind 'treaty'", id="an-unknown-value"),
        pytest.param(["--field", "parties.9", "--value", "az-ministry-of-defence", "--source",
                      "az-press", "--quote", MOU_QUOTE], "parties 0 to 3", id="no-such-party"),
        pytest.param(["--field", "kind", "--value", "memorandum-of-understanding", "--source",
                      "az-pres", "--quote", MOU_QUOTE], "not a source id", id="an-unknown-source"),
    ],
)  # fmt: skip
def test_an_unproven_or_unknown_account_is_refused(press: Path, args: list[str], says: str) -> None:
    before = tree_digest(press)
    result = account(press, *args)
    assert result.code in (1, 2)
    assert says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(press) == before


def test_an_account_of_a_record_that_does_not_exist_is_refused(press: Path) -> None:
    before = tree_digest(press)
    args = ["--field", "kind", "--value", "mou", "--source", "az-press", "--quote", MOU_QUOTE]
    result = invoke("--register", str(press), "account", "add", "vn-az-2025-defense-loi", *args)
    assert result.code == 2
    assert "did you mean vn-az-2025-defence-loi" in result.stderr
    assert tree_digest(press) == before


def test_quotes_that_disagree_without_an_account_are_a_warning(press: Path) -> None:
    path = press / f"agreements/{DEFENCE}.yaml"
    text = path.read_text(encoding="utf-8")
    quote = f'  - source: az-press\n    quote: "{MOU_QUOTE}"\n'
    path.write_text(text.replace("evidence:\n", "evidence:\n" + quote, 1), encoding="utf-8")
    result = invoke("--register", str(press), "validate", "--format", "json")
    [warning] = [f for f in result.json() if f["code"] == "disputed-kind"]
    assert warning["severity"] == "warning" and "memorandum-of-understanding" in warning["message"]
    assert invoke("--register", str(press), "validate", "--strict").code == 1
    # Recording the other reading as an account settles it.
    assert account(press, "--field", "kind", "--value", "mou", "--source", "az-press", "--quote",
                   MOU_QUOTE).code == 0  # fmt: skip
    assert invoke("--register", str(press), "validate", "--strict").code == 0


def test_a_rejected_account_is_shown_but_not_disputed(press: Path) -> None:
    added = account(press, "--field", "kind", "--value", "memorandum-of-understanding",
                    "--source", "az-press", "--quote", MOU_QUOTE,
                    "--rejected", "the Vietnamese texts say letter of intent")  # fmt: skip
    assert added.code == 0, added.stderr
    assert invoke("--register", str(press), "list", "--disputed", "--format", "json").json() == []
    shown = invoke("--register", str(press), "show", DEFENCE).stdout
    assert "(rejected: the Vietnamese texts say letter of intent)" in shown
    assert "disputed:" not in shown


def test_an_account_of_a_party(press: Path) -> None:
    """The register's own reading is no account; a party the quote does not name is refused."""
    same = account(press, "--field", "parties.1", "--value", "az-ministry-of-defence", "--source",
                   "az-press", "--quote", MOU_QUOTE, "--dry-run")  # fmt: skip
    assert same.code == 2 and "already reads parties.1" in same.stderr
    wrong = account(press, "--field", "parties.1", "--value", "az-ministry-of-energy", "--source",
                    "az-press", "--quote", MOU_QUOTE)  # fmt: skip
    assert wrong.code == 1 and "az-ministry-of-energy" in wrong.stderr


def test_a_party_names_who_signed_for_it_proven_by_a_quote(register: Path) -> None:
    """The witness Ilham Aliyev as the Azerbaijani side's signer of the joint statement:
    a quote names him; a person no quote names is refused."""
    path = register / "agreements/vn-az-2025-joint-statement.yaml"
    text = path.read_text(encoding="utf-8")
    signed = text.replace("  - org: az-ilham-aliyev\n    side: AZ\n    role: adopting party\n",
                          "  - org: az-ilham-aliyev\n    side: AZ\n    role: adopting party\n"
                          "    signer: az-ilham-aliyev\n", 1)  # fmt: skip
    assert signed != text
    path.write_text(signed, encoding="utf-8")
    assert invoke("--register", str(register), "validate").code == 0
    proof = invoke("--register", str(register), "show", "vn-az-2025-joint-statement", "--proof",
                "--format", "json").json()  # fmt: skip
    signer_rows = [r for r in proof if r["field"] == "parties.1.signer"]
    assert signer_rows and all(r["proven"] and r["quote"] for r in signer_rows)
    assert (
        "Signed by"
        in invoke("--register", str(register), "show", "vn-az-2025-joint-statement").stdout
    )
    path.write_text(
        signed.replace("signer: az-ilham-aliyev", "signer: vn-to-lam"), encoding="utf-8"
    )
    result = invoke("--register", str(register), "validate", "--format", "json")
    # To Lam is quoted, but signs for Vietnam, not for Azerbaijan's party.
    codes = [f["code"] for f in result.json() if f["severity"] == "error"]
    assert codes == ["signer-other-country"]
    path.write_text(
        signed.replace("signer: az-ilham-aliyev", "signer: az-ministry-of-economy"),
        encoding="utf-8",
    )
    result = invoke("--register", str(register), "validate", "--format", "json")
    assert [f["code"] for f in result.json() if f["severity"] == "error"] == ["ungrounded-signer"]


def test_a_link_is_checked_and_shown_from_both_ends(register: Path) -> None:
    """The justice programme 'follows' the joint statement (made-up for the test)."""
    path = register / "agreements/vn-az-2025-justice-programme.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "links:\n  - type: follows\n    target: vn-az-2025-joint-statement\n",
                    encoding="utf-8")  # fmt: skip
    assert invoke("--register", str(register), "validate").code == 0
    forward = invoke("--register", str(register), "show", "vn-az-2025-justice-programme").stdout
    assert "follows vn-az-2025-joint-statement" in forward
    back = invoke("--register", str(register), "show", "vn-az-2025-joint-statement").stdout
    assert "is followed by vn-az-2025-justice-programme" in back
    events = invoke("--register", str(register), "timeline", "--format", "json").json()
    links = {e["id"]: e["links"] for e in events if e["event"] == "signed"}
    assert links["vn-az-2025-justice-programme"] == [
        {"relation": "follows", "id": "vn-az-2025-joint-statement"}]  # fmt: skip
    assert links["vn-az-2025-joint-statement"] == [
        {"relation": "is followed by", "id": "vn-az-2025-justice-programme"}]  # fmt: skip
    piped = invoke("--register", str(register), "timeline").stdout
    assert "is followed by vn-az-2025-justice-programme" in " ".join(piped.split())
    for target, code in (("vn-az-2025-justice-programme", "link-to-itself"),
                         ("vn-az-2025-joint-statment", "unknown-ref")):  # fmt: skip
        path.write_text(
            text + f"links:\n  - type: follows\n    target: {target}\n", encoding="utf-8"
        )
        result = invoke("--register", str(register), "validate", "--format", "json")
        assert [f["code"] for f in result.json() if f["severity"] == "error"] == [code]
