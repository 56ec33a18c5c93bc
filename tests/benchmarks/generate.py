"""A deterministic generator of synthetic registers that `agreements validate` passes.

    python tests/benchmarks/generate.py DIR --records 10000 --sources 1000

Each source is a short announcement in Vietnamese or English: one sentence
per agreement it reports (who exchanged which document, where, on which
day), and each record quotes its sentence, and sometimes a second and third
one, verbatim. Organisations (a few hundred ministries of thirty countries),
sectors, kinds and statuses have the size and shape of real registries, and
records carry a few follow-up notes that follow the status lifecycle. The
same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
# Bumped when what is generated changes, so that registers kept by the benchmark are made anew.
VERSION = 2
SHIPPED_REGISTRIES = ("sectors.yaml", "kinds.yaml", "statuses.yaml")

COUNTRIES = [
    ("AZ", "Azerbaijan", "Azerbaijan", "Baku"),
    ("KZ", "Kazakhstan", "Kazakhstan", "Astana"),
    ("BY", "Belarus", "Belarus", "Minsk"),
    ("RU", "Russia", "Nga", "Moscow"),
    ("LA", "Laos", "Lào", "Vientiane"),
    ("KH", "Cambodia", "Campuchia", "Phnom Penh"),
    ("TH", "Thailand", "Thái Lan", "Bangkok"),
    ("ID", "Indonesia", "Indonesia", "Jakarta"),
    ("MY", "Malaysia", "Malaysia", "Kuala Lumpur"),
    ("SG", "Singapore", "Singapore", "Singapore"),
    ("PH", "the Philippines", "Philippines", "Manila"),
    ("JP", "Japan", "Nhật Bản", "Tokyo"),
    ("KR", "Korea", "Hàn Quốc", "Seoul"),
    ("IN", "India", "Ấn Độ", "New Delhi"),
    ("AU", "Australia", "Australia", "Canberra"),
    ("FR", "France", "Pháp", "Paris"),
    ("DE", "Germany", "Đức", "Berlin"),
    ("IT", "Italy", "Italy", "Rome"),
    ("HU", "Hungary", "Hungary", "Budapest"),
    ("CZ", "Czechia", "Séc", "Prague"),
    ("PL", "Poland", "Ba Lan", "Warsaw"),
    ("UZ", "Uzbekistan", "Uzbekistan", "Tashkent"),
    ("TR", "Türkiye", "Thổ Nhĩ Kỳ", "Ankara"),
    ("EG", "Egypt", "Ai Cập", "Cairo"),
    ("BR", "Brazil", "Brazil", "Brasília"),
    ("CL", "Chile", "Chile", "Santiago"),
    ("MX", "Mexico", "Mexico", "Mexico City"),
    ("CU", "Cuba", "Cuba", "Havana"),
    ("MZ", "Mozambique", "Mozambique", "Maputo"),
    ("NZ", "New Zealand", "New Zealand", "Wellington"),
]
# (sector id, English portfolio, Vietnamese portfolio, English field, Vietnamese field)
PORTFOLIOS = [
    ("energy", "Energy", "Năng lượng", "energy", "năng lượng"),
    ("oil-and-gas", "Oil and Gas", "Dầu khí", "oil and gas", "dầu khí"),
    ("defence", "Defence", "Quốc phòng", "defence", "quốc phòng"),
    ("justice", "Justice", "Tư pháp", "law and justice", "tư pháp"),
    (
        "science-and-technology",
        "Science and Technology",
        "Khoa học và Công nghệ",
        "science and technology",
        "khoa học và công nghệ",
    ),
    ("digital-and-transport", "Transport", "Giao thông vận tải", "transport", "giao thông vận tải"),
    ("culture", "Culture", "Văn hóa", "culture", "văn hóa"),
    (
        "education-and-training",
        "Education",
        "Giáo dục và Đào tạo",
        "education",
        "giáo dục và đào tạo",
    ),
    ("trade-and-investment", "Trade", "Thương mại", "trade and investment", "thương mại và đầu tư"),
    ("agriculture", "Agriculture", "Nông nghiệp", "agriculture", "nông nghiệp"),
    (
        "renewable-energy",
        "Natural Resources",
        "Tài nguyên",
        "renewable energy",
        "năng lượng tái tạo",
    ),
]
# (kind id, English term, Vietnamese term): terms from kinds.yaml.
KINDS = [
    ("memorandum-of-understanding", "memorandum of understanding", "Bản ghi nhớ"),
    ("letter-of-intent", "letter of intent", "Ý định thư"),
    ("cooperation-programme", "cooperation programme", "Chương trình hợp tác"),
    ("agreement", "agreement", "Hiệp định"),
]
MONTHS = "January February March April May June July August September October November December"


@dataclass(frozen=True)
class Org:
    id: str
    country: str
    sector: str
    en: str
    vi: str


def organisations() -> list[Org]:
    """Ministries of thirty countries and of Vietnam, one per portfolio: 341 in all."""
    orgs = []
    for code, en_country, vi_country, _city in [*COUNTRIES, ("VN", "Vietnam", "Việt Nam", "")]:
        for sector, en_p, vi_p, _en_f, _vi_f in PORTFOLIOS:
            slug = sector.split("-and-")[0]
            orgs.append(
                Org(
                    f"{code.lower()}-ministry-of-{slug}",
                    code,
                    sector,
                    f"Ministry of {en_p} of {en_country}",
                    f"Bộ {vi_p} {vi_country}",
                )
            )
    return orgs


def _date_en(day: dt.date) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


def _date_vi(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def generate(root: Path, records: int, sources: int, seed: int = 2025) -> None:
    """Write a register of `records` agreements citing `sources` texts into `root`."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "agreements/registry").mkdir(parents=True)
    (root / "seeds").mkdir()
    for name in SHIPPED_REGISTRIES:
        shutil.copyfile(REPO / "agreements/registry" / name, root / "agreements/registry" / name)
    _dump(root / "agreements/registry/occasions.yaml", {"occasions": []})
    _dump(
        root / "agreements/registry/countries.yaml",
        {
            "countries": [
                {"id": code, "name": {"en": en, "vi": vi}}
                | ({"places": [{"name": {"en": city}}]} if city else {})
                for code, en, vi, city in [*COUNTRIES, ("VN", "Vietnam", "Việt Nam", "")]
            ]
        },
    )
    orgs = organisations()
    vn = {o.sector: o for o in orgs if o.country == "VN"}
    foreign = [o for o in orgs if o.country != "VN"]
    _dump(
        root / "agreements/registry/organisations.yaml",
        {
            "organisations": [
                {
                    "id": o.id,
                    "country": o.country,
                    "type": "ministry",
                    "name": {"en": o.en, "vi": o.vi},
                }
                for o in orgs
            ]
        },
    )
    cities = {code: city for code, _e, _v, city in COUNTRIES}
    portfolios = {p[0]: p for p in PORTFOLIOS}

    manifest = []
    per_source = [records // sources + (1 if i < records % sources else 0) for i in range(sources)]
    number = 0
    for s, count in enumerate(per_source):
        lang = "vi" if rng.random() < 0.7 else "en"
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000))
        partner_country = rng.choice(COUNTRIES)
        city = cities[partner_country[0]]
        lines = [
            f"Thông cáo báo chí số {s + 1}" if lang == "vi" else f"Press release no. {s + 1}",
            "",
        ]
        pending = []
        for _ in range(count):
            number += 1
            partner = rng.choice([o for o in foreign if o.country == partner_country[0]])
            ours = vn[partner.sector]
            kind, en_term, vi_term = rng.choice(KINDS)
            sector, _ep, _vp, en_field, vi_field = portfolios[partner.sector]
            start = day.year + 1
            term = rng.random() < 0.2
            # A record's quotes are what the proof accepts: the clause in which the two
            # ministries exchange the document (with its term, if it has one), and a
            # sentence about the documents that gives their day and place.
            period_vi = f" giai đoạn {start}-{start + 2}" if term else ""
            period_en = f" for {start}-{start + 2}" if term else ""
            if lang == "vi":
                main = (
                    f"Ngày {_date_vi(day)} tại {city}, {ours.vi} và {partner.vi} đã trao đổi "
                    f"{vi_term} về hợp tác trong lĩnh vực {vi_field}{period_vi}."
                )
                extra = f"Lễ trao văn kiện số {number} diễn ra ngày {_date_vi(day)} tại {city}."
            else:
                main = (
                    f"On {_date_en(day)} in {city}, the {ours.en} and the {partner.en} "
                    f"exchanged the {en_term} on cooperation in {en_field}{period_en}."
                )
                extra = f"Document no. {number} was exchanged on {_date_en(day)} in {city}."
            quotes = [main]
            if rng.random() < 0.5:
                quotes.append(extra)
            lines.extend(quotes)
            lines.append("")
            # The country and number in brackets keep each title its own (not checked).
            where = f"({partner_country[1]}, no. {number})"
            # A title runs as far as the document's name does: with its term, if it has one.
            title_en = f"{en_term.capitalize()} on cooperation in {en_field}{period_en} {where}"
            title_vi = f"{vi_term} về hợp tác trong lĩnh vực {vi_field}{period_vi} {where}"
            record = {
                "id": f"gen-{number:05d}-{partner.country.lower()}-{kind}",
                "title": {"en": title_en, "vi": title_vi},
                "kind": kind,
                "sectors": [sector],
                "parties": [
                    {"org": ours.id, "side": "VN", "role": "signatory"},
                    {"org": partner.id, "side": partner.country, "role": "signatory"},
                ],
                "date": day,
                "place": f"{city}, {partner_country[1]}",
                "status": "signed",
            }
            if term:
                record["term"] = {"start": start, "end": start + 2}
            pending.append((record, quotes))
        text = "\n".join(lines) + "\n"
        name = f"{s:04d}_{hashlib.sha256(text.encode()).hexdigest()[:16]}.txt"
        (root / "seeds" / name).write_text(text, encoding="utf-8")
        source_id = f"gen-source-{s:04d}"
        manifest.append(
            {
                "id": source_id,
                "file": name,
                "lang": lang,
                "title": lines[0],
                "publisher": "Synthetic press office",
                "published": day,
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
            }
        )
        for record, quotes in pending:
            record["evidence"] = [{"source": source_id, "quote": q} for q in quotes]
            notes = _notes(rng, record["date"], lang)
            if notes:
                record["follow_up"] = notes
            path = root / "agreements" / f"{record['id']}.yaml"
            _dump(path, record, header="# yaml-language-server: $schema=agreement.schema.json\n")
    _dump(root / "seeds/sources.yaml", {"sources": manifest})


def _notes(rng: random.Random, signed: dt.date, lang: str) -> list[dict]:
    """0–3 notes, later each time, moving along signed → in-progress → implemented."""
    notes = []
    day = signed
    path = ["in-progress", None, "implemented"]
    for step in range(rng.choice([0, 1, 1, 2, 3])):
        day = day + dt.timedelta(days=rng.randrange(30, 400))
        text = (
            f"Cuộc họp nhóm công tác lần thứ {step + 1} đã diễn ra; hai bên rà soát tiến độ."
            if lang == "vi"
            else f"The working group met (meeting {step + 1}); both sides reviewed progress."
        )
        note = {"date": day, "text": text}
        if path[step]:
            note["status"] = path[step]
        notes.append(note)
    return notes


def _dump(path: Path, data: object, header: str = "") -> None:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88)
    path.write_text(header + body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    generate(args.root, args.records, args.sources, args.seed)
    print(f"wrote {args.records} records citing {args.sources} sources to {args.root}")


if __name__ == "__main__":
    main()


BIG_QUOTE = (
    "Bộ Công thương Việt Nam và Bộ Năng lượng Azerbaijan trao đổi bản ghi nhớ về năng lượng "
    "ngày 7/5/2025 tại Baku"
)


def generate_big_source(root: Path, megabytes: int = 10, mentions: int = 100_000) -> None:
    """A register with one record citing one source of `megabytes` MB that mentions a
    kind's term `mentions` times: what `validate` must handle without slowing down."""
    if root.exists():
        shutil.rmtree(root)
    (root / "agreements/registry").mkdir(parents=True)
    (root / "seeds").mkdir()
    for name in (*SHIPPED_REGISTRIES, "organisations.yaml", "countries.yaml"):
        shutil.copyfile(REPO / "agreements/registry" / name, root / "agreements/registry" / name)
    _dump(root / "agreements/registry/occasions.yaml", {"occasions": []})
    filler = "Hai bên nhất trí tăng cường hợp tác trong nhiều lĩnh vực. "
    line = f"{filler}Các bộ đã trao đổi bản ghi nhớ và ký bản ghi nhớ.\n"
    lines = [BIG_QUOTE + "\n"]
    size = len(lines[0].encode())
    per_line = len(line.encode())
    target = megabytes * 1_000_000
    count = 0
    while size < target:
        if count < mentions:
            lines.append(line)
            count += 2
        else:
            lines.append(filler * 2 + "\n")
        size += per_line
    text = "".join(lines)
    raw = text.encode("utf-8")
    (root / "seeds/big.txt").write_bytes(raw)
    _dump(root / "seeds/sources.yaml", {"sources": [{
        "id": "big", "file": "big.txt", "lang": "vi", "title": "unknown",
        "publisher": "unknown", "published": "unknown",
        "sha256": hashlib.sha256(raw).hexdigest()}]})  # fmt: skip
    record = {
        "id": "vn-az-2025-energy-mou",
        "title": {"en": "Memorandum of understanding on energy", "vi": "Bản ghi nhớ về năng lượng"},
        "kind": "memorandum-of-understanding",
        "sectors": ["energy"],
        "parties": [
            {"org": "vn-ministry-of-industry-and-trade", "side": "VN", "role": "signatory"},
            {"org": "az-ministry-of-energy", "side": "AZ", "role": "signatory"},
        ],
        "date": dt.date(2025, 5, 7),
        "place": "Baku, Azerbaijan",
        "status": "signed",
        "evidence": [{"source": "big", "quote": BIG_QUOTE}],
    }
    _dump(root / "agreements/vn-az-2025-energy-mou.yaml", record)


NOTE_RECORD = "vn-az-2025-energy-mou"


def append_notes(record: Path, count: int) -> None:
    """Append `count` follow-up notes to a record whose `follow_up:` is the last block list
    of the file (as after one `note add`), as block items the way the tool writes them:
    100,000 of them make a record of about 11 MB, the benchmark's largest record."""
    item = (
        "  - date: '2025-06-01'\n"
        "    text: Working group meeting number {} on the energy memorandum.\n"
        "    author: bench\n"
    )
    with record.open("a", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(item.format(i))
