"""A promise and its due date are read in the clause about the record's document (issue 24),
by class, as a blind corpus found them missed (tests/proof_corpus/commitments_blind):

- a due date in a clause or sentence about another document, or about other ministries;
- a quote about another record's document of the same kind, or about a leader of a
  country that is no side of the record;
- "đã cam kết sẽ" (had committed to) restates a promise, it does not report it kept;
- promises and deadlines as French and Russian write them, and a span of years that is
  no deadline.

The articles are written for these tests; every quote is copied from them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import invoke

ENERGY, CULTURE, STATEMENT = (
    "vn-az-2025-energy-mou",
    "vn-az-2025-culture-mou",
    "vn-az-2025-joint-statement",
)
ARTICLES = {
    "en": """\
Baku, 12 May 2025
The Ministry of Energy of Azerbaijan will send engineers to Hanoi under the energy \
memorandum, while the Ministry of Justice of Vietnam will publish a legal handbook by June 2026.
The Ministry of Industry and Trade of Vietnam and the Ministry of Energy of Azerbaijan will \
open a joint training centre under the memorandum of understanding by the end of 2026.
The energy ministries will meet again under their memorandum. The justice ministries, which \
signed a cooperation programme the same day, will hold a conference by April 2026.
President Ilham Aliyev and the Prime Minister of Laos agreed to open air links by 2027.
""",
    "vi": """\
Hà Nội, ngày 20/11/2025
Theo Bản ghi nhớ hợp tác trong lĩnh vực năng lượng, Bộ Công Thương Việt Nam và Bộ Năng lượng \
Azerbaijan đã cam kết sẽ mở trung tâm đào tạo chung.
""",
    "fr": """\
Bakou, 9 mai 2025
Le ministère de l'Énergie d'Azerbaïdjan et le ministère de l'Industrie et du Commerce du \
Vietnam, signataires du mémorandum, ouvriront un centre de formation d'ici au 30 juin 2026.
Le ministère de l'Énergie d'Azerbaïdjan formera des ingénieurs vietnamiens avant la fin de 2026 \
au titre du mémorandum.
""",
    "ru": """\
Баку, 9 мая 2025 года
Министерство энергетики Азербайджана будет проводить семинары для вьетнамских инженеров в \
рамках меморандума.
""",
    "de": """\
Baku, 9. Mai 2025
Die Justizministerien, die ein Kooperationsprogramm für 2025 bis 2027 unterzeichneten, \
vereinbarten, im Juni 2026 ein Seminar in Hanoi abzuhalten.
""",
}


@pytest.fixture(scope="module")
def press(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped register with the five articles registered."""
    import shutil

    from conftest import REPO

    base = tmp_path_factory.mktemp("clauses")
    root = base / "register"
    shutil.copytree(REPO / "agreements", root / "agreements")
    shutil.copytree(REPO / "seeds", root / "seeds")
    for lang, text in ARTICLES.items():
        (base / f"{lang}.txt").write_text(text, encoding="utf-8")
        added = invoke("--register", str(root), "source", "add", str(base / f"{lang}.txt"),
                       "--lang", lang, "--id", f"press-{lang}")  # fmt: skip
        assert added.code == 0, added.stderr
    return root


def quote(lang: str, start: str, end: str) -> str:
    text = " ".join(ARTICLES[lang].split())
    at = text.index(start)
    return text[at : text.index(end, at) + len(end)]


def add(root: Path, record: str, lang: str, words: str, *more: str) -> tuple[int, str]:
    shown = invoke("--register", str(root), "commitment", "add", record, "--type", "other",
                   "--text", "A promise", "--source", f"press-{lang}", "--quote", words,
                   "--dry-run", *more)  # fmt: skip
    return shown.code, shown.stdout + shown.stderr


@pytest.mark.parametrize(
    ("record", "lang", "start", "end", "due", "code"),
    [
        pytest.param(ENERGY, "en", "The Ministry of Energy of Azerbaijan will send",
                     "by June 2026", "2026-06", "due-of-another-document",
                     id="due in a while-clause about other ministries"),
        pytest.param(ENERGY, "en", "The energy ministries will meet", "by April 2026",
                     "2026-04", "due-of-another-document",
                     id="due in the next sentence, about another document"),
        pytest.param(CULTURE, "en", "The Ministry of Industry and Trade", "by the end of 2026",
                     "2026", "commitment-off-topic",
                     id="another record's document of the same kind"),
        pytest.param(STATEMENT, "en", "President Ilham Aliyev and the Prime Minister of Laos",
                     "by 2027", "2027", "commitment-off-topic",
                     id="a party and a leader of another country"),
    ],
)  # fmt: skip
def test_a_promise_of_another_clause_is_refused(
    press: Path, record: str, lang: str, start: str, end: str, due: str, code: str
) -> None:
    status, said = add(press, record, lang, quote(lang, start, end), "--due", due)
    assert status == 1, said
    assert f"{code}:" in said
    assert "nothing was added" in said


@pytest.mark.parametrize(
    ("lang", "start", "end", "due"),
    [
        pytest.param("en", "The Ministry of Industry and Trade", "by the end of 2026", "2026",
                     id="its own ministries"),
        pytest.param("fr", "Le ministère de l'Énergie d'Azerbaïdjan et", "30 juin 2026",
                     "2026-06-30", id="French future, d'ici au"),
        pytest.param("fr", "Le ministère de l'Énergie d'Azerbaïdjan formera", "du mémorandum",
                     "2026", id="French future, avant la fin de"),
        pytest.param("ru", "Министерство энергетики", "меморандума", None,
                     id="Russian будет"),
    ],
)  # fmt: skip
def test_a_promise_as_the_press_writes_it_is_accepted(
    press: Path, lang: str, start: str, end: str, due: str | None
) -> None:
    status, said = add(press, ENERGY, lang, quote(lang, start, end),
                       *(["--due", due] if due else []))  # fmt: skip
    assert status == 0, said


def test_a_span_of_years_is_no_deadline(press: Path) -> None:
    """ "für 2025 bis 2027" names the programme's years; the seminar is due in June 2026."""
    words = quote("de", "Die Justizministerien", "abzuhalten")

    def given(due: str) -> tuple[int, str]:
        shown = invoke(
            "--register",
            str(press),
            "commitment",
            "add",
            "vn-az-2025-justice-programme",
            "--type",
            "meeting",
            "--text",
            "Seminar",
            "--source",
            "press-de",
            "--quote",
            words,
            "--due",
            due,
            "--dry-run",
        )
        return shown.code, shown.stderr

    assert given("2026-06")[0] == 0
    status, said = given("2027")
    assert status == 1
    # The phrase as the article writes it, and the fix for the command that was typed.
    assert "'im Juni 2026'" in said and "--due 2026-06" in said


def test_a_past_promise_is_not_a_promise_kept(press: Path) -> None:
    words = quote("vi", "Theo Bản ghi nhớ", "trung tâm đào tạo chung")
    added = invoke(
        "--register",
        str(press),
        "commitment",
        "add",
        ENERGY,
        "--type",
        "delivery",
        "--text",
        "Mở trung tâm đào tạo",
        "--source",
        "press-vi",
        "--quote",
        words,
    )
    assert added.code == 0, added.stderr
    record = (press / "agreements" / f"{ENERGY}.yaml").read_text(encoding="utf-8")
    number = str(len(yaml.safe_load(record)["commitments"]))
    met = invoke(
        "--register",
        str(press),
        "commitment",
        "review",
        ENERGY,
        number,
        "--status",
        "met",
        "--as-of",
        "2025-11-20",
        "--source",
        "press-vi",
        "--quote",
        words,
        "--dry-run",
    )
    assert met.code == 1
    assert "review-quote-not-done:" in met.stderr
