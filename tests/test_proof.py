"""Proof, claim by claim, on registers the tests write with made-up sources: each rule
refuses a wrong claim and accepts the right one, and `show --proof` shows the quotes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import RECORD_IDS, invoke

VI_SOURCE = """\
Hà Nội, ngày 12/3/2026
Trong khuôn khổ chuyến thăm chính thức Việt Nam từ ngày 11-13/3 của Thủ tướng Lào, chiều 12/3 \
tại Hà Nội, Bộ Văn hóa Lào và Bộ Văn hóa, Thể thao và Du lịch Việt Nam trao đổi Bản ghi nhớ về \
hợp tác văn hóa.
Bản ghi nhớ sẽ thúc đẩy giao lưu nghệ thuật giữa hai nước.
Bộ Văn hóa Lào và Bộ Văn hóa, Thể thao và Du lịch Việt Nam cũng bàn về bảo tồn di sản.
Bộ Văn hóa và Bộ Văn hóa, Thể thao và Du lịch Việt Nam trao đổi Bản ghi nhớ về điện ảnh.
Hai bên thống nhất kế hoạch giai đoạn 2026-2028.
"""

EN_SOURCE = """\
Vientiane, 20 April 2026
The Ministry of Culture of Laos and the Ministry of Culture, Sports and Tourism of Vietnam \
exchanged a memorandum of understanding on cultural cooperation on 20 April 2026 in Vientiane.
The Lao Ministry of Culture and the Ministry of Culture, Sports and Tourism of Vietnam signed a \
memorandum of understanding on heritage on April 20, 2026 in Vientiane.
"""

OCCASION = """\
occasions:
  - id: la-pm-visit-2026
    title: {en: Official visit of the Lao Prime Minister, vi: Chuyến thăm của Thủ tướng Lào}
    start: 2026-03-11
    end: 2026-03-13
    place: Hà Nội, Việt Nam
    evidence:
      - source: lao-visit
        quote: chuyến thăm chính thức Việt Nam từ ngày 11-13/3 của Thủ tướng Lào
      - source: lao-visit
        quote: "Hà Nội, ngày 12/3/2026"
"""

QUOTE = (
    "chiều 12/3 tại Hà Nội, Bộ Văn hóa Lào và Bộ Văn hóa, Thể thao và Du lịch Việt Nam trao "
    "đổi Bản ghi nhớ về hợp tác văn hóa"
)

RECORD = f"""\
id: vn-la-2026-culture-mou
title: {{en: Memorandum of understanding on cultural cooperation, \
vi: Bản ghi nhớ về hợp tác văn hóa}}
kind: memorandum-of-understanding
sectors: [culture]
parties:
  - org: vn-ministry-of-culture-sports-and-tourism
    side: VN
    role: signatory
  - org: la-ministry-of-culture
    side: LA
    role: signatory
date: 2026-03-12
place: Hanoi, Vietnam
occasion: la-pm-visit-2026
status: signed
evidence:
  - source: lao-visit
    quote: {QUOTE}
"""
REC = "agreements/vn-la-2026-culture-mou.yaml"


def quotes(*texts: str, source: str = "lao-visit") -> str:
    """Evidence entries, as a record file lists them."""
    return "".join(f'  - source: {source}\n    quote: "{text}"\n' for text in texts)


def cli(root: Path, *args: str):
    return invoke("--register", str(root), *args)


@pytest.fixture
def lao(tmp_path: Path) -> Path:
    """An empty register of one's own with a made-up Lao visit: one source, one occasion,
    the Lao ministry of culture, and a record whose every claim a quote proves."""
    root = tmp_path / "lao"
    assert invoke("init", str(root)).code == 0
    (tmp_path / "visit.txt").write_text(VI_SOURCE, encoding="utf-8")
    (tmp_path / "visit-en.txt").write_text(EN_SOURCE, encoding="utf-8")
    for name, source_id, lang in (
        ("visit.txt", "lao-visit", "vi"),
        ("visit-en.txt", "lao-en", "en"),
    ):
        added = cli(root, "source", "add", str(tmp_path / name), "--lang", lang, "--id", source_id)
        assert added.code == 0, added.stderr
    added = cli(root, "org", "add", "la-ministry-of-culture", "--country", "LA", "--type",
                "ministry", "--name-en", "Ministry of Culture of Laos", "--name-vi",
                "Bộ Văn hóa Lào", "--alias", "Lao Ministry of Culture")  # fmt: skip
    assert added.code == 0, added.stderr
    (root / "agreements/registry/occasions.yaml").write_text(OCCASION, encoding="utf-8")
    (root / REC).write_text(RECORD, encoding="utf-8")
    return root


def to_azerbaijans_ministry(root: Path) -> None:
    """The record's second party becomes Azerbaijan's ministry of culture, whose short
    name "Bộ Văn hóa" (and alias "Ministry of Culture") is generic."""
    change(root, REC, "org: la-ministry-of-culture\n    side: LA",
           "org: az-ministry-of-culture\n    side: AZ")  # fmt: skip


def errors(root: Path, *args: str) -> list[tuple[str, str]]:
    """(code, field) of every error `validate` reports."""
    result = cli(root, "validate", "--format", "json", *args)
    return [(f["code"], f["field"]) for f in result.json() if f["severity"] == "error"]


def change(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_made_up_register_is_proven(lao: Path) -> None:
    assert errors(lao) == []


# --- parties --------------------------------------------------------------------------------


def test_a_third_countrys_ministry_is_not_the_partys_vi(lao: Path) -> None:
    """The quote says "Bộ Văn hóa Lào"; "Bộ Văn hóa" is also the Azerbaijani ministry's alias."""
    to_azerbaijans_ministry(lao)
    assert errors(lao) == [("party-other-country", "parties.1.org")]


def test_a_generic_name_needs_the_partys_country_in_the_sentence(lao: Path) -> None:
    quote = (
        "Bộ Văn hóa và Bộ Văn hóa, Thể thao và Du lịch Việt Nam trao đổi Bản ghi nhớ về điện ảnh"
    )
    change(lao, REC, QUOTE, quote)
    to_azerbaijans_ministry(lao)
    assert ("ungrounded-party", "parties.1.org") in errors(lao)


@pytest.mark.parametrize(
    "quote",
    [
        pytest.param(
            "The Ministry of Culture of Laos and the Ministry of Culture, Sports and Tourism of "
            "Vietnam exchanged a memorandum of understanding on cultural cooperation on 20 April "
            "2026 in Vientiane",
            id="of-laos",
        ),
        pytest.param(
            "The Lao Ministry of Culture and the Ministry of Culture, Sports and Tourism of "
            "Vietnam signed a memorandum of understanding on heritage on April 20, 2026 in "
            "Vientiane",
            id="lao-adjective",
        ),
    ],
)
def test_a_third_countrys_ministry_is_not_the_partys_en(lao: Path, quote: str) -> None:
    change(
        lao,
        REC,
        f"  - source: lao-visit\n    quote: {QUOTE}",
        f"  - source: lao-en\n    quote: {quote}",
    )
    change(lao, REC, "date: 2026-03-12", "date: 2026-04-20")
    change(lao, REC, "place: Hanoi, Vietnam", "place: Vientiane, Laos")
    change(lao, REC, "occasion: la-pm-visit-2026\n", "")
    # The English title is the document's name as this quote writes it.
    title = re.search(r"memorandum of understanding on \w+(?: cooperation)?", quote)
    assert title is not None
    change(lao, REC, "Memorandum of understanding on cultural cooperation", title.group())
    assert errors(lao) == []  # the Lao ministry, named in English
    to_azerbaijans_ministry(lao)
    assert errors(lao) == [("party-other-country", "parties.1.org")]


def test_new_does_not_propose_a_party_the_quote_gives_another_country(lao: Path) -> None:
    change(
        lao,
        "agreements/registry/organisations.yaml",
        "Bộ Văn hóa Lào",
        "Bộ Thông tin Lào",  # the Lao ministry is not in the registry: no Azerbaijani stand-in
    )
    (lao / REC).unlink()
    result = cli(lao, "new", "--source", "lao-visit", "--quote", QUOTE, "--dry-run")
    assert result.code == 0, result.stderr
    assert "az-ministry-of-culture" not in result.stdout
    assert "Bộ Văn hóa Lào" in result.stdout.split("candidates for `agreements org add`")[1]


# --- places ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        pytest.param("Hanoi, Vietnam", [], id="as-registered"),
        pytest.param(
            "Hà Nội, Việt Nam",
            [("place-not-as-registered", "place")],
            id="another-spelling-of-both",
        ),
        pytest.param("Hanoi", [("place-not-as-registered", "place")], id="no-country"),
        pytest.param("Hanoi, Laos", [("place-wrong-country", "place")], id="wrong-country"),
        pytest.param("Vientiane, Laos", [("ungrounded-place", "place")], id="city-not-stated"),
        pytest.param("Hội, Vietnam", [("unknown-place", "place")], id="no-such-place"),
        pytest.param("', Vietnam'", [("unknown-place", "place")], id="no-city"),
    ],
)
def test_a_place_is_a_registered_city_in_its_own_country(
    lao: Path, place: str, expected: list
) -> None:
    """The city must be a place of countries.yaml that the quote names after "tại"; the
    country must be that city's own, whatever the quotes say around it."""
    change(lao, REC, "place: Hanoi, Vietnam", f"place: {place}")
    assert errors(lao) == expected


def test_a_place_is_proven_by_its_spelling_in_another_language(lao: Path, tmp_path: Path) -> None:
    """A Russian report writes Moscow "Москве" (after "в"): the registry's Russian spelling
    proves "Moscow, Russia"; the Vietnamese quote, which says "tại Hà Nội", does not."""
    sentence = (
        "12 марта в Москве Министерство культуры Лаоса и Министерство культуры, спорта и "
        "туризма Вьетнама обменялись меморандумом о взаимопонимании"
    )
    (tmp_path / "ru.txt").write_text(sentence + ".\n", encoding="utf-8")
    added = cli(lao, "source", "add", str(tmp_path / "ru.txt"), "--lang", "ru", "--id", "ru")
    assert added.code == 0, added.stderr
    for org, name in (
        ("la-ministry-of-culture", "Министерство культуры Лаоса"),
        ("vn-ministry-of-culture-sports-and-tourism",
         "Министерство культуры, спорта и туризма Вьетнама"),
    ):  # fmt: skip
        assert cli(lao, "org", "alias", org, name, "--lang", "ru").code == 0
    change(lao, REC, "place: Hanoi, Vietnam", "place: Moscow, Russia")
    assert ("ungrounded-place", "place") in errors(lao)
    with (lao / REC).open("a", encoding="utf-8") as record:
        record.write(quotes(sentence, source="ru"))
    assert ("ungrounded-place", "place") not in errors(lao)


def test_new_drafts_a_registered_city_and_never_a_word_after_tai(lao: Path, tmp_path: Path) -> None:
    """ "tại Viêng Chăn" drafts "Vientiane, Laos"; "tại Hội đàm" (at the talks) drafts no
    place, and says which word it passed over and how to register a city."""
    (lao / REC).unlink()
    article = tmp_path / "talks.txt"
    article.write_text(
        f"Chiều 12/3 tại Viêng Chăn, {QUOTE[len('chiều 12/3 tại Hà Nội, ') :]}.\n"
        f"Chiều 13/3 tại Hội đàm cấp cao, {QUOTE[len('chiều 12/3 tại Hà Nội, ') :]} mới.\n",
        encoding="utf-8",
    )
    assert cli(lao, "source", "add", str(article), "--lang", "vi", "--id", "talks").code == 0
    city = cli(lao, "new", "--source", "talks", "--line", "1", "--dry-run")
    assert "place: Vientiane, Laos" in city.stdout, city.stdout + city.stderr
    talks = cli(lao, "new", "--source", "talks", "--line", "2", "--dry-run")
    out = talks.stdout + talks.stderr
    assert "place: Hội" not in out and "'Hội' follows 'tại'" in out, out


def test_new_never_proposes_a_phrase_or_a_word_past_a_name(lao: Path, tmp_path: Path) -> None:
    """ "Bộ Y tế hai nước" is two parties, not a name; "Bộ Tư pháp Kazakhstan sẽ ký" ends
    the name before "sẽ"; a name the registry holds is never proposed."""
    article = tmp_path / "names.txt"
    article.write_text(
        "Chiều 12/3 tại Hà Nội, Bộ Y tế hai nước trao đổi Bản ghi nhớ về hợp tác y tế.\n"
        "Bộ Tư pháp Kazakhstan sẽ ký Bản ghi nhớ với Bộ Văn hóa Lào.\n",
        encoding="utf-8",
    )
    assert cli(lao, "source", "add", str(article), "--lang", "vi", "--id", "names").code == 0
    both = cli(lao, "new", "--source", "names", "--line", "1", "--dry-run").stdout
    assert "Bộ Y tế hai nước" not in both.split("Left to do:")[1].split("candidates")[-1]
    assert "names both countries' organisations at once" in both
    later = cli(lao, "new", "--source", "names", "--line", "2", "--dry-run").stdout
    [proposed] = later.split("candidates for `agreements org add`):\n")[1].split("\n")[:1]
    assert proposed.strip() == "Bộ Tư pháp Kazakhstan"
    assert cli(lao, "org", "add", "kz-ministry-of-justice", "--country", "KZ", "--type",
               "ministry", "--name-en", "Ministry of Justice of Kazakhstan", "--name-vi",
               "Bộ Tư pháp Kazakhstan").code == 0  # fmt: skip
    again = cli(lao, "new", "--source", "names", "--line", "2", "--dry-run").stdout
    assert "candidates" not in again and "kz-ministry-of-justice" in again


def test_new_takes_the_year_from_the_dateline_never_its_day(lao: Path, tmp_path: Path) -> None:
    """Under "Hà Nội, ngày 13/3/2026", "chiều 12/3" is drafted 2026-03-12 with the dateline
    quoted for its year, which validate accepts; a quote stating no day drafts none."""
    (lao / REC).unlink()
    clause = QUOTE[len("chiều 12/3 tại Hà Nội, ") :]
    article = tmp_path / "dated.txt"
    article.write_text(
        f"Hà Nội, ngày 13/3/2026\nChiều 12/3 tại Hà Nội, {clause}.\nTại Hà Nội, {clause} mới.\n",
        encoding="utf-8",
    )
    assert cli(lao, "source", "add", str(article), "--lang", "vi", "--id", "dated").code == 0
    drafted = cli(lao, "new", "--source", "dated", "--line", "2", "--id", "vn-la-2026-dated")
    assert drafted.code == 0, drafted.stdout + drafted.stderr
    text = (lao / "agreements/vn-la-2026-dated.yaml").read_text(encoding="utf-8")
    assert "date: 2026-03-12" in text and "quote: Hà Nội, ngày 13/3/2026" in text
    assert not [e for e in errors(lao) if e[1] in ("date", "place")]
    undated = cli(lao, "new", "--source", "dated", "--line", "3", "--dry-run").stdout
    assert "date: 'TODO: YYYY-MM-DD'" in undated and "2026-03-13" not in undated


JUSTICE = "vn-az-2025-justice-programme"
CULTURE = "vn-az-2025-culture-mou"


@pytest.mark.parametrize(
    ("record", "lang", "sentence", "proven"),
    [
        pytest.param(JUSTICE, "de", "Das vietnamesische und das aserbaidschanische "
                     "Justizministerium tauschten ein Kooperationsprogramm für 2025-2027 aus",
                     True, id="de-adjectives-and-article"),
        pytest.param(JUSTICE, "en", "The justice ministries of Vietnam and the Azerbaijan "
                     "exchanged a cooperation programme for 2025-2027", True, id="en-and-the"),
        pytest.param(CULTURE, "de", "Die Kulturministerien beider Länder unterzeichneten ein "
                     "Memorandum of Understanding", True, id="de-field-from-the-sector"),
        pytest.param(JUSTICE, "ru", "Министерства юстиции двух стран обменялись программой "
                     "сотрудничества на 2025–2027 годы", True, id="ru-field-from-the-sector"),
        pytest.param(CULTURE, "de", "Die Justizministerien beider Länder unterzeichneten ein "
                     "Memorandum of Understanding", False, id="de-another-field"),
    ],
)  # fmt: skip
def test_both_ministries_of_one_field_named_together(
    register: Path, tmp_path: Path, record: str, lang: str, sentence: str, proven: bool
) -> None:
    """The two countries' ministries of one field, named at once ("das vietnamesische und
    das aserbaidschanische Justizministerium", "die Kulturministerien beider Länder"),
    prove both signatories; the field is the one their names or their sector give, in any
    language the sectors registry writes it, and another field proves nothing."""
    (tmp_path / "press.txt").write_text(sentence + ".\n", encoding="utf-8")
    added = invoke("--register", str(register), "source", "add", str(tmp_path / "press.txt"),
                   "--lang", lang, "--id", "press")  # fmt: skip
    assert added.code == 0, added.stderr
    result = invoke("--register", str(register), "evidence", "add", record, "--source",
                    "press", "--quote", sentence, "--dry-run")  # fmt: skip
    out = result.stdout + result.stderr
    both = "parties.0, parties.0.role, parties.1, parties.1.role" in out
    assert (result.code == 0 and both) if proven else (result.code != 0 and not both), out


def _lao_article(lao: Path, tmp_path: Path, text: str, source_id: str = "article") -> None:
    (tmp_path / f"{source_id}.txt").write_text(text, encoding="utf-8")
    added = cli(lao, "source", "add", str(tmp_path / f"{source_id}.txt"), "--lang", "vi",
                "--id", source_id)  # fmt: skip
    assert added.code == 0, added.stderr


def _cite_only(lao: Path, quote: str, source_id: str = "article") -> None:
    """The record's evidence becomes this one quote (its occasion still gives the year)."""
    path = lao / REC
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("evidence:")[0] + "evidence:\n" + quotes(quote, source=source_id),
                    encoding="utf-8")  # fmt: skip


def test_a_quote_that_opens_with_the_dateline_dates_nothing_by_it(
    lao: Path, tmp_path: Path
) -> None:
    """ "Hà Nội, 9/5/2026 (TTXVN) – …" quoted whole: the dateline's day is the article's."""
    line = ("Hà Nội, 13/3/2026 (TTXVN) – Bộ Văn hóa Lào và Bộ Văn hóa, Thể thao và Du lịch Việt "
            "Nam trao đổi Bản ghi nhớ về hợp tác văn hóa tại Hà Nội")  # fmt: skip
    _lao_article(lao, tmp_path, line + ".\n")
    _cite_only(lao, line)
    change(lao, REC, "date: 2026-03-12", "date: 2026-03-13")
    assert ("ungrounded-date", "date") in errors(lao)


def test_a_generic_name_inside_another_organisations_name_names_nothing(
    lao: Path, tmp_path: Path
) -> None:
    """ "Bộ Văn hóa" (Azerbaijan's short name) inside "Bộ Văn hóa, Thể thao và Du lịch Việt
    Nam" is the Vietnamese ministry, even where the sentence names Azerbaijan."""
    line = ("Chiều 12/3 tại Hà Nội, Bộ Văn hóa, Thể thao và Du lịch Việt Nam và Bộ Kinh tế "
            "Azerbaijan trao đổi Bản ghi nhớ về hợp tác văn hóa")  # fmt: skip
    _lao_article(lao, tmp_path, line + ".\n")
    _cite_only(lao, line)
    to_azerbaijans_ministry(lao)
    assert ("ungrounded-party", "parties.1.org") in errors(lao)


@pytest.mark.parametrize(
    ("title", "code"),
    [
        pytest.param("Bản ghi nhớ về hợp tác văn hóa", None, id="the-name"),
        pytest.param("Việt Nam", "title-not-in-clause", id="words-of-the-clause"),
        pytest.param("trao đổi Bản ghi nhớ", "title-not-in-clause", id="with-the-verb"),
    ],
)
def test_a_title_is_the_documents_name_from_its_kind_on(lao: Path, title: str, code) -> None:
    change(lao, REC, "vi: Bản ghi nhớ về hợp tác văn hóa}", f"vi: {title}}}")
    found = [c for c, f in errors(lao) if f == "title.vi"]
    assert found == ([code] if code else [])


@pytest.mark.parametrize(
    ("sentence", "place", "proven"),
    [
        pytest.param("trao đổi Bản ghi nhớ về hợp tác văn hóa tại Hà Nội, một năm sau cuộc gặp "
                     "tại Viêng Chăn", "Vientiane, Laos", False, id="the-second-city"),
        pytest.param("trao đổi Bản ghi nhớ về hợp tác văn hóa tại Hà Nội, một năm sau cuộc gặp "
                     "tại Viêng Chăn", "Hanoi, Vietnam", True, id="the-first-city"),
        pytest.param("trao đổi Bản ghi nhớ về hợp tác văn hóa với sự có mặt của Bí thư Thành ủy "
                     "Hà Nội", "Hanoi, Vietnam", False, id="a-city-in-a-title"),
        pytest.param("trao đổi Bản ghi nhớ về hợp tác văn hóa tại thủ đô Hà Nội",
                     "Hanoi, Vietnam", True, id="in-the-capital"),
        pytest.param("trao đổi Bản ghi nhớ về hợp tác văn hóa, Đại sứ quán Lào tại Mát-xcơ-va "
                     "cho biết", "Moscow, Russia", False, id="an-embassy-abroad"),
        pytest.param("trao đổi Bản ghi nhớ về hợp tác văn hóa tại Đại sứ quán Việt Nam ở "
                     "Mát-xcơ-va", "Moscow, Russia", True, id="at-the-embassy"),
        pytest.param(", ở Hà Nội một tuần, đã trao đổi Bản ghi nhớ về hợp tác văn hóa tại "
                     "Viêng Chăn", "Hanoi, Vietnam", False, id="where-the-subject-was"),
        pytest.param(", ở Hà Nội một tuần, đã trao đổi Bản ghi nhớ về hợp tác văn hóa tại "
                     "Viêng Chăn", "Vientiane, Laos", True, id="where-it-was-signed"),
    ],
)  # fmt: skip
def test_the_place_is_the_first_city_the_clause_puts_it_in(
    lao: Path, tmp_path: Path, sentence: str, place: str, proven: bool
) -> None:
    line = f"Chiều 12/3, Bộ Văn hóa Lào và Bộ Văn hóa, Thể thao và Du lịch Việt Nam {sentence}"
    line = line.replace(" ,", ",")
    _lao_article(lao, tmp_path, line + ".\n")
    _cite_only(lao, line)
    change(lao, "agreements/registry/occasions.yaml", "place: Hà Nội, Việt Nam",
           "place: Minsk, Belarus")  # fmt: skip  # the occasion gives no city here
    change(lao, REC, "place: Hanoi, Vietnam", f"place: {place}")
    found = errors(lao)
    assert (("ungrounded-place", "place") not in found) is proven, found


def test_a_title_never_runs_into_what_the_article_reports(lao: Path, tmp_path: Path) -> None:
    line = ("Chiều 12/3 tại Hà Nội, Bộ Văn hóa Lào và Bộ Văn hóa, Thể thao và Du lịch Việt Nam "
            "trao đổi Bản ghi nhớ về hợp tác văn hóa, Đại sứ quán Lào cho biết")  # fmt: skip
    _lao_article(lao, tmp_path, line + ".\n")
    _cite_only(lao, line)
    assert [c for c, f in errors(lao) if f == "title.vi"] == []
    change(lao, REC, "vi: Bản ghi nhớ về hợp tác văn hóa}",
           "vi: 'Bản ghi nhớ về hợp tác văn hóa, Đại sứ quán Lào cho biết'}")  # fmt: skip
    assert [c for c, f in errors(lao) if f == "title.vi"] == ["title-not-in-clause"]


def test_an_occasions_city_must_be_in_its_own_country(lao: Path) -> None:
    change(lao, "agreements/registry/occasions.yaml", "place: Hà Nội, Việt Nam",
           "place: Hà Nội, Lào")  # fmt: skip
    assert ("unproven-occasion", "occasions.0.place") in errors(lao)


# --- kind -----------------------------------------------------------------------------------


def test_a_kind_term_in_a_quote_naming_no_signatory_proves_nothing(lao: Path) -> None:
    no_term = (
        "Bộ Văn hóa Lào và Bộ Văn hóa, Thể thao và Du lịch Việt Nam cũng bàn về bảo tồn di sản"
    )
    term_alone = "Bản ghi nhớ sẽ thúc đẩy giao lưu nghệ thuật giữa hai nước"
    change(
        lao,
        REC,
        quotes(QUOTE).replace('"', ""),
        quotes(no_term, term_alone, "chiều 12/3 tại Hà Nội"),
    )
    found = errors(lao)
    # The term stands alone and the parties stand in no clause about a document: neither
    # the kind nor the parties' part in it is proven, and the quotes support nothing.
    assert ("ungrounded-kind", "kind") in found
    assert {("unproven-role", "parties.0.role"), ("unproven-role", "parties.1.role")} <= set(found)
    assert ("quote-supports-nothing", "evidence.1.quote") in found


# --- dates ----------------------------------------------------------------------------------


def test_a_day_and_a_year_from_different_quotes_prove_no_date(lao: Path) -> None:
    """A year in another quote ("giai đoạn 2026-2028") never completes a day; the year of
    the article's own dateline does, and the quote holding only a year supports nothing."""
    change(lao, REC, "occasion: la-pm-visit-2026\n", "")  # no occasion to give the year
    term = "Hai bên thống nhất kế hoạch giai đoạn 2026-2028"
    change(lao, REC, quotes(QUOTE).replace('"', ""), quotes(QUOTE, term))
    assert errors(lao) == [("quote-supports-nothing", "evidence.1.quote")]
    rows = cli(lao, "show", "vn-la-2026-culture-mou", "--proof", "--format", "json").json()
    assert [r["quote"] for r in rows if r["field"] == "date"] == [QUOTE]
    change(lao, "seeds/" + _file_of(lao, "lao-visit"), "Hà Nội, ngày 12/3/2026\n", "")
    assert ("ungrounded-date", "date") in errors(lao)  # no dateline: nothing gives the year


def _file_of(root: Path, source_id: str) -> str:
    import yaml

    manifest = yaml.safe_load((root / "seeds/sources.yaml").read_text(encoding="utf-8"))
    return next(s["file"] for s in manifest["sources"] if s["id"] == source_id)


def test_a_year_beside_the_day_must_be_the_records_year(lao: Path) -> None:
    change(lao, REC, "occasion: la-pm-visit-2026\n", "")
    change(lao, REC, quotes(QUOTE).replace('"', ""), quotes(QUOTE, "Hà Nội, ngày 12/3/2026"))
    assert errors(lao) == []
    change(lao, REC, "date: 2026-03-12", "date: 2027-03-12")  # the day and month still match
    found = errors(lao)
    assert ("ungrounded-date", "date") in found
    # The dateline quote gave only a year, which now proves nothing.
    assert set(found) <= {
        ("ungrounded-date", "date"),
        ("quote-supports-nothing", "evidence.1.quote"),
    }


@pytest.mark.parametrize(
    ("date", "code"),
    [
        pytest.param("2026-03-13", "ungrounded-date", id="another-day-in-the-visit"),
        pytest.param("2028-03-12", "date-outside-occasion", id="two-years-later"),
        pytest.param("2026-03-14", "date-outside-occasion", id="after-the-visit"),
    ],
)
def test_a_redated_record_is_refused(lao: Path, date: str, code: str) -> None:
    change(lao, REC, "date: 2026-03-12", f"date: {date}")
    assert errors(lao) == [(code, "date")]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        pytest.param("start: 2026-03-11", "start: 2026-03-10", "occasions.0.start", id="start"),
        pytest.param("end: 2026-03-13", "end: 2026-03-14", "occasions.0.end", id="end"),
        pytest.param("place: Hà Nội, Việt Nam\n    evidence",
                     "place: Đà Nẵng, Việt Nam\n    evidence", "occasions.0.place", id="place"),
        pytest.param('quote: "Hà Nội, ngày 12/3/2026"', "quote: Thủ tướng Lào", "occasions.0.start",
                     id="year"),
    ],
)  # fmt: skip
def test_an_occasion_proves_its_own_date_and_place(
    lao: Path, old: str, new: str, field: str
) -> None:
    rel = "agreements/registry/occasions.yaml"
    change(lao, rel, old, new)
    found = errors(lao)
    assert ("unproven-occasion", field) in found


# --- notes ----------------------------------------------------------------------------------


NOTE = """follow_up:
  - date: 2026-05-01
    text: A follow-up.
"""


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param("    source: lao-visit\n", [], id="a-registered-source"),
        pytest.param("    source: https://example.org/a\n", [], id="a-url"),
        pytest.param("    source: lao-vist\n", [("note-source-unknown", "follow_up.0.source")],
                     id="a-missing-source"),
        pytest.param("    source: lao-visit\n    quote: Bản ghi nhớ sẽ thúc đẩy giao lưu\n",
                     [], id="a-quote-in-its-source"),
        pytest.param("    source: lao-visit\n    quote: Bản ghi nhớ đã được thực hiện\n",
                     [("note-quote-not-found", "follow_up.0.quote")], id="a-quote-not-in-source"),
        pytest.param("    source: https://example.org/a\n    quote: anything\n",
                     [("note-quote-unverifiable", "follow_up.0.quote")], id="a-quote-of-a-url"),
    ],
)  # fmt: skip
def test_a_notes_source_and_quote_are_checked(lao: Path, lines: str, expected: list) -> None:
    (lao / REC).write_text(RECORD + NOTE + lines, encoding="utf-8")
    assert errors(lao) == expected


def test_a_note_citing_only_a_url_is_shown_unverified(lao: Path) -> None:
    (lao / REC).write_text(RECORD + NOTE + "    source: https://example.org/a\n", encoding="utf-8")
    shown = cli(lao, "show", "vn-la-2026-culture-mou")
    assert "source: https://example.org/a (unverified: not a registered source)" in shown.stdout
    report = cli(lao, "report", "--as-of", "2026-06-01", "--format", "markdown")
    assert "| https://example.org/a (unverified) |" in report.stdout
    data = cli(lao, "report", "--as-of", "2026-06-01", "--format", "json").json()
    assert [n["verified"] for n in data["latest_notes"]] == [False]


# --- show --proof ---------------------------------------------------------------------------


def test_show_proof_names_the_quote_of_each_claim(lao: Path) -> None:
    result = cli(lao, "show", "vn-la-2026-culture-mou", "--proof", "--format", "json")
    assert result.code == 0, result.stderr
    rows = result.json()
    fields = [r["field"] for r in rows]
    assert fields[:4] == ["parties.0", "parties.0.role", "parties.1", "parties.1.role"]
    assert {"kind", "date", "place", "title.en", "title.vi"} <= set(fields)
    for row in rows:
        if row["field"] == "title.en":  # no quote is in English: a translation, not checked
            assert not row["proven"] and row["problem"].startswith("a translation"), row
            continue
        assert row["proven"], row
        assert row["file"].startswith("seeds/") and row["line"] >= 1 and row["column"] >= 1
    date = [r for r in rows if r["field"] == "date"]
    assert [r["quote"] for r in date] == [QUOTE, "Hà Nội, ngày 12/3/2026"]  # day, then the year


def test_show_proof_lists_an_unproven_claim_as_such(lao: Path) -> None:
    change(lao, REC, "date: 2026-03-12", "date: 2026-03-13")
    result = cli(lao, "show", "vn-la-2026-culture-mou", "--proof", "--format", "json")
    [date] = [r for r in result.json() if r["field"] == "date"]
    assert not date["proven"] and date["quote"] is None and "13/3" in date["problem"]
    table = cli(lao, "show", "vn-la-2026-culture-mou", "--proof")
    assert re.search(r"date\s+2026-03-13\s+not proven", table.stdout)


@pytest.mark.parametrize("record_id", sorted(RECORD_IDS))
def test_show_proof_proves_every_claim_of_the_shipped_records(record_id: str) -> None:
    result = invoke("show", record_id, "--proof", "--format", "json")
    assert result.code == 0, result.stderr
    rows = result.json()
    failing = [r for r in rows if not r["proven"] and not r["problem"].startswith("a translation")]
    assert rows and not failing, failing
    proven = {r["field"] for r in rows if r["proven"]}
    assert {"kind", "date", "place"} <= proven and any(f.startswith("title.") for f in proven)
    record = invoke("show", record_id, "--format", "json").json()
    for n, party in enumerate(record["parties"]):
        assert f"parties.{n}" in proven, party  # every party, witnesses included


def test_show_proof_json_gives_values_as_data_and_the_proving_words() -> None:
    """Each row: the field's value as the record holds it, the offsets in its quote of the
    words that prove it, and whether the quote proves it alone or with the others."""
    rows = invoke("show", "vn-az-2025-justice-programme", "--proof", "--format", "json").json()
    by_field: dict[str, list[dict]] = {}
    for row in rows:
        by_field.setdefault(row["field"], []).append(row)
    [party] = by_field["parties.0"]
    assert party["value"] == "vn-ministry-of-justice"  # the field at its path: the org id
    assert party["shown"] == "vn-ministry-of-justice (signatory, VN)"
    assert [party["quote"][a:b] for a, b in party["words"]] == ["Bộ Tư pháp Việt Nam"]
    [term] = by_field["term"]
    assert term["value"] == {"start": "2025", "end": "2027"}
    assert [term["quote"][a:b] for a, b in term["words"]] == ["2025", "2027"]
    [kind] = by_field["kind"]
    assert [kind["quote"][a:b] for a, b in kind["words"]] == ["Chương trình hợp tác"]
    date = by_field["date"]  # the day from the record's quote, the year from the occasion's
    assert len(date) == 2 and all(row["together"] for row in date)
    assert {row["occasion"] for row in date} == {None, "vn-az-state-visit-2025"}
    assert [date[0]["quote"][a:b] for a, b in date[0]["words"]] == ["7/5"]
    place = by_field["place"]  # two quotes of the occasion, each proving it alone
    assert len(place) == 2 and not any(row["together"] for row in place)
    assert all([row["quote"][a:b] for a, b in row["words"]] == ["Baku"] for row in place)


def test_show_proof_prints_each_quote_once_with_what_it_proves() -> None:
    out = invoke("show", "vn-az-2025-justice-programme", "--proof").stdout
    assert out.count("trao đổi Chương trình hợp tác") == 1  # one quote, seven claims
    assert re.search(r"date\s+2025-05-07\s+\(with occasion vn-az-state-visit-2025, quote 3\)", out)
    assert re.search(r"place\s+Baku, Azerbaijan\s+\(also occasion vn-az-state-visit-2025", out)
    assert "11 of 11 claims proven, by 5 quotes; 1 shown, not checked" in out


def test_show_proof_tells_alternatives_from_quotes_needed_together(
    register: Path, tmp_path: Path
) -> None:
    """A second quote stating the day is an alternative to the first; each needs the
    occasion's quote for the year ("with"), which needs either of them ("with … or …")."""
    line = ("The culture ministries of Viet Nam and Azerbaijan exchanged a memorandum of "
            "understanding on cooperation in Baku on 7 May.")  # fmt: skip
    (tmp_path / "w1.txt").write_text(line + "\n", encoding="utf-8")
    args = ("--register", str(register))
    assert invoke(*args, "source", "add", str(tmp_path / "w1.txt"), "--lang", "en").code == 0
    added = invoke(*args, "evidence", "add", CULTURE, "--source", "w1", "--quote", line)
    assert added.code == 0, added.stdout + added.stderr
    rows = invoke(*args, "show", CULTURE, "--proof", "--format", "json").json()
    date = [r for r in rows if r["field"] == "date"]
    [year] = [r for r in date if r["occasion"]]
    days = [r for r in date if not r["occasion"]]
    assert len(days) == 2 and year["with_any"] and len(year["with"]) == 2
    assert all(r["with"] == [[year["occasion"], year["evidence"]]] for r in days)
    shown = " ".join(invoke(*args, "show", CULTURE, "--proof").stdout.split())
    assert "(with quote 2 or quote 3)" in shown and "; or quote 3)" in shown


def test_show_proof_names_a_quote_that_is_not_in_its_source_first(register: Path) -> None:
    rel = "agreements/vn-az-2025-culture-mou.yaml"
    path = register / rel
    text = path.read_text("utf-8")
    misspelt = text.replace("      Bản ghi nhớ về hợp tác giữa hai bộ\n",
                            "      Bản ghi nhớ về hợp tác giữa hai bo\n")  # fmt: skip
    assert misspelt != text
    path.write_text(misspelt, "utf-8")
    shown = invoke("--register", str(register), "show", "vn-az-2025-culture-mou", "--proof")
    assert shown.code == 1
    assert re.search(r"evidence\.0 .*not\s+proven", shown.stdout, re.S)
    assert "quote 1 is not in source 'ttxvn-le-trao-van-kien'" in " ".join(shown.stdout.split())


def test_a_country_is_no_organisations_alias(lao: Path) -> None:
    refused = cli(lao, "org", "alias", "la-ministry-of-culture", "Laos")
    assert refused.code == 2 and "names a country or a city" in refused.stderr
    assert "- Laos\n" not in (lao / "agreements/registry/organisations.yaml").read_text("utf-8")


# --- coverage and errata --------------------------------------------------------------------

NEWS = """\
Trong chuyến thăm, hai nước đã ký khoảng 60 thỏa thuận hợp tác giữa các bộ.
Hai bên cũng trao đổi nghị định thư về lãnh sự và kế hoạch hành động giai đoạn 2026-2030.
Thủ tướng Lào Sonexay Siphandone chủ trì lễ ký.
"""


def add_source(root: Path, tmp: Path, text: str, source_id: str, lang: str = "vi") -> None:
    (tmp / f"{source_id}.txt").write_text(text, encoding="utf-8")
    added = cli(
        root, "source", "add", str(tmp / f"{source_id}.txt"), "--lang", lang, "--id", source_id
    )
    assert added.code == 0, added.stderr


def warnings(root: Path) -> list[str]:
    result = cli(root, "validate", "--format", "json")
    return [f["message"].split("'")[1] for f in result.json() if f["code"] == "uncovered-mention"]


def test_every_kind_of_document_a_visit_produces_is_a_mention(lao: Path, tmp_path: Path) -> None:
    add_source(lao, tmp_path, NEWS, "lao-news")
    assert {"thỏa thuận", "nghị định thư", "kế hoạch hành động"} <= set(warnings(lao))
    manifest = lao / "seeds/sources.yaml"
    waiver = "    not_agreements:\n      - quote: khoảng 60 thỏa thuận hợp tác giữa các bộ\n"
    manifest.write_text(manifest.read_text(encoding="utf-8") + waiver + "        reason: counted\n")
    assert "thỏa thuận" not in warnings(lao)


@pytest.mark.parametrize("text", ["two memoranda of understanding", "three letters of intent"])
def test_plurals_are_mentions(lao: Path, tmp_path: Path, text: str) -> None:
    add_source(lao, tmp_path, f"The ministers exchanged {text} in Vientiane.\n", "plural", "en")
    assert warnings(lao)


ERRATUM = """\
    errata:
      - quote: Thủ tướng Lào Sonexay Siphandone
        wrong: the wrong spelling
        correct: {correct}
        evidence: {{source: lao-news, quote: Thủ tướng Lào Sonexay Siphandone chủ trì lễ ký}}
"""


@pytest.mark.parametrize(
    ("correct", "expected"),
    [
        pytest.param("Sonexay Siphandone", [], id="stated-by-its-quote"),
        pytest.param("Sonexay Siphandon", [("erratum-unproven", "sources.2.errata.0.correct")],
                     id="not-stated-by-its-quote"),
    ],
)  # fmt: skip
def test_an_erratum_is_checked_like_a_quote(
    lao: Path, tmp_path: Path, correct: str, expected: list
) -> None:
    add_source(lao, tmp_path, NEWS, "lao-news")
    manifest = lao / "seeds/sources.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + ERRATUM.format(correct=correct))
    assert errors(lao) == expected
    change(
        lao,
        "seeds/sources.yaml",
        "      - quote: Thủ tướng Lào Sonexay",
        "      - quote: Thủ tướng Sonexay",
    )
    assert ("erratum-not-found", "sources.2.errata.0.quote") in errors(lao)


def test_the_shipped_errata_name_a_misspelt_name_and_a_wrong_region() -> None:
    import yaml

    from conftest import REPO

    sources = yaml.safe_load((REPO / "seeds/sources.yaml").read_text(encoding="utf-8"))["sources"]
    errata = {e["quote"]: e["correct"] for s in sources for e in s.get("errata", [])}
    assert errata["Tổng thống Azerbaijan Inham Aliyev"] == "Ilham Aliyev"
    assert "Trung Á" in next(q for q in errata if "Trung Á" in q)


# --- occasion add -----------------------------------------------------------------------------


VISIT_QUOTE = "chuyến thăm chính thức Việt Nam từ ngày 11-13/3 của Thủ tướng Lào"


def occasion_add(root: Path, *extra: str):
    return cli(root, "occasion", "add", "la-visit-2026",
               "--title-en", "Visit of the Lao Prime Minister",
               "--title-vi", "Chuyến thăm của Thủ tướng Lào", "--start", "2026-03-11",
               "--end", "2026-03-13", "--place", "Hà Nội, Việt Nam",
               "--evidence", "lao-visit", VISIT_QUOTE, *extra)  # fmt: skip


def test_occasion_add_records_a_proven_visit_and_refuses_an_unproven_one(lao: Path) -> None:
    occasions = lao / "agreements/registry/occasions.yaml"
    before = occasions.read_bytes()
    refused = occasion_add(lao)  # no quote gives the year
    assert refused.code == 1 and "year 2026" in refused.stderr
    assert occasions.read_bytes() == before
    added = occasion_add(lao, "--evidence", "lao-visit", "Hà Nội, ngày 12/3/2026")
    assert added.code == 0, added.stderr
    assert occasions.read_bytes().startswith(before)  # lines added only
    change(lao, REC, "occasion: la-pm-visit-2026", "occasion: la-visit-2026")
    assert errors(lao) == []
    again = occasion_add(lao, "--evidence", "lao-visit", "Hà Nội, ngày 12/3/2026")
    assert again.code == 2 and "exists already" in again.stderr


# --- new reads with the same engine ---------------------------------------------------------


@pytest.mark.parametrize("record_id", sorted(RECORD_IDS))
def test_new_on_a_records_first_quote_proposes_that_record(register: Path, record_id: str) -> None:
    """The same signatories, kind and day: the register's own record, not a new draft (the
    joint statement's adopting leaders witness every other document of the day)."""
    import yaml

    record = yaml.safe_load((register / f"agreements/{record_id}.yaml").read_text("utf-8"))
    first = record["evidence"][0]
    result = invoke("--register", str(register), "new", "--source", first["source"],
                    "--quote", " ".join(first["quote"].split()), "--dry-run")  # fmt: skip
    assert result.code == 1, result.stdout + result.stderr
    assert f"the quote describes {record_id}," in result.stdout


def test_show_proof_fails_a_quote_that_is_not_in_its_source(register: Path) -> None:
    """A misspelt quote proves nothing: its claims are shown failing and the command exits
    1, so a reader never takes a quote the source does not hold for proof."""
    rel = "agreements/vn-az-2025-energy-mou.yaml"
    path = register / rel
    path.write_text(
        path.read_text("utf-8").replace("Bộ Năng lượng Azerbaijan", "Bộ Năng lương Azerbaijan"),
        "utf-8",
    )
    args = ("--register", str(register), "show", "vn-az-2025-energy-mou", "--proof")
    shown = invoke(*args, "--format", "json")
    assert shown.code == 1
    rows = shown.json()
    failing = {r["field"] for r in rows if not r["proven"] and r["checked"]}
    assert {"kind", "parties.0", "parties.1"} <= failing
    assert all("Bộ Năng lương" not in (r["quote"] or "") for r in rows)
    table = invoke(*args)
    assert table.code == 1 and "not proven" in table.stdout


def test_new_on_a_line_naming_several_documents_drafts_each(register: Path) -> None:
    """Line 5 of source 001 names three documents: the two the register holds are proposed,
    the one it lost is drafted from its own clause, and none is dropped."""
    (register / "agreements/vn-az-2025-culture-mou.yaml").unlink()
    result = invoke("--register", str(register), "new", "--source", "ttxvn-le-trao-van-kien",
                    "--line", "5")  # fmt: skip
    assert result.code == 1, result.stdout + result.stderr  # two of three proposed, not drafted
    out = result.stdout
    assert out.count("Document ") == 3 and "Document 3 of 3 on line 5" in out
    assert "the quote describes vn-az-2025-binh-son-crude-mou" in out
    assert "the quote describes vn-az-2025-science-mou" in out
    drafted = [
        p for p in (register / "agreements").glob("*.yaml") if "TODO" in p.read_text("utf-8")
    ]
    assert len(drafted) == 1
    text = drafted[0].read_text("utf-8")
    assert "org: vn-ministry-of-culture-sports-and-tourism" in text
    assert "org: az-ministry-of-culture" in text
    assert "Bộ Khoa học" not in text  # its quote is the culture clause alone
    refused = invoke("--register", str(register), "new", "--source", "ttxvn-le-trao-van-kien",
                     "--line", "5", "--id", "x-one")  # fmt: skip
    assert refused.code == 2 and "names 3 documents" in refused.stderr


@pytest.mark.parametrize(
    ("weekday", "codes"),
    [
        pytest.param("Wednesday", [], id="agrees"),  # 7 May 2025 was a Wednesday
        pytest.param("Thursday", [("ungrounded-date", "date")], id="disagrees"),
    ],
)
def test_a_weekday_named_with_the_date_must_agree_with_it(
    lao: Path, tmp_path: Path, weekday: str, codes: list
) -> None:
    quote = (
        "The Ministry of Culture of Laos and the Ministry of Culture, Sports and Tourism of "
        f"Vietnam exchanged a memorandum of understanding on cultural cooperation on {weekday}, "
        "May 7, 2025 in Vientiane"
    )
    article = tmp_path / "weekday.txt"
    article.write_text(f"VIENTIANE (Lao News) – {quote}.\n", encoding="utf-8")
    assert cli(lao, "source", "add", str(article), "--lang", "en", "--id", "weekday").code == 0
    change(lao, REC, f"  - source: lao-visit\n    quote: {QUOTE}",
           f"  - source: weekday\n    quote: {quote}")  # fmt: skip
    change(lao, REC, "date: 2026-03-12", "date: 2025-05-07")
    change(lao, REC, "place: Hanoi, Vietnam", "place: Vientiane, Laos")
    change(lao, REC, "occasion: la-pm-visit-2026\n", "")
    change(lao, REC, "Memorandum of understanding on cultural cooperation",
           "memorandum of understanding on cultural cooperation")  # fmt: skip
    assert errors(lao) == codes


def test_a_party_of_a_misspelt_quote_is_fixed_in_the_quote_not_the_registry(
    register: Path,
) -> None:
    """The misspelt energy quote is the finding; nothing advises an alias (the registry
    already spells the ministry right)."""
    rel = "agreements/vn-az-2025-energy-mou.yaml"
    path = register / rel
    path.write_text(
        path.read_text("utf-8").replace("Bộ Năng lượng Azerbaijan", "Bộ Năng lương Azerbaijan"),
        "utf-8",
    )
    result = invoke("--register", str(register), "validate", "--format", "json")
    found = result.json()
    assert [f["field"] for f in found if f["code"] == "quote-not-found"] == ["evidence.0.quote"]
    assert not [f for f in found if "org alias" in f["message"]]
