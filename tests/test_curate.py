"""Curating a new visit: init, source add, org add, new, and validate as the safety net.

The whole path runs as the installed command; the single commands' rules run in-process
(CliRunner), and concurrent writers as processes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from agreement_tracker.draft import draft
from agreement_tracker.loader import load
from agreement_tracker.store.location import Location
from conftest import REPO, invoke, run, tree_digest

# A made-up announcement: three agreements, five ministries the registry does not know.
ANNOUNCEMENT = "\n".join(
    [
        "Thông cáo báo chí về chuyến thăm chính thức Lào",
        "",
        "Ngày 12/3/2026 tại Viêng Chăn, trong khuôn khổ chuyến thăm chính thức, hai bên đã "
        "trao các văn kiện hợp tác.",
        "",
        "Bộ Nội vụ Việt Nam và Bộ Nội vụ Lào trao đổi Bản ghi nhớ về hợp tác trong lĩnh vực "
        "pháp luật.",
        "",
        "Bộ Nông nghiệp và Môi trường Việt Nam và Bộ Nông Lâm nghiệp Lào ký Ý định thư về hợp "
        "tác trong lĩnh vực nông nghiệp.",
        "",
        "Bộ Xây dựng Việt Nam và Bộ Công chính và Vận tải Lào trao đổi Chương trình hợp tác "
        "giai đoạn 2026-2030 về giao thông.",
        "",
    ]
)
NEW_MINISTRIES = {
    "Bộ Nội vụ Việt Nam": (
        "vn-ministry-of-home-affairs",
        "VN",
        "Ministry of Home Affairs of Vietnam",
    ),
    "Bộ Nội vụ Lào": ("la-ministry-of-home-affairs", "LA", "Ministry of Home Affairs of Laos"),
    "Bộ Nông nghiệp và Môi trường Việt Nam": (
        "vn-ministry-of-agriculture-and-environment",
        "VN",
        "Ministry of Agriculture and Environment of Vietnam",
    ),
    "Bộ Nông Lâm nghiệp Lào": (
        "la-ministry-of-agriculture-and-forestry",
        "LA",
        "Ministry of Agriculture and Forestry of Laos",
    ),
    "Bộ Xây dựng Việt Nam": (
        "vn-ministry-of-construction",
        "VN",
        "Ministry of Construction of Vietnam",
    ),
    "Bộ Công chính và Vận tải Lào": (
        "la-ministry-of-public-works-and-transport",
        "LA",
        "Ministry of Public Works and Transport of Laos",
    ),
}
RECORDS = {
    5: "vn-la-2026-home-affairs-mou",
    7: "vn-la-2026-agriculture-loi",
    9: "vn-la-2026-transport-programme",
}


@pytest.mark.slow
def test_the_whole_path_of_a_new_visit(tmp_path: Path) -> None:
    root = tmp_path / "laos"
    assert run("init", str(root)).code == 0
    announcement = tmp_path / "thong-cao.txt"
    announcement.write_text(ANNOUNCEMENT, encoding="utf-8")

    done: set[tuple[str, bool]] = set()

    def agreements(*args: str) -> str:
        """The installed command the first time each command runs; in-process after that."""
        kind = (args[0], "--dry-run" in args)
        result = (invoke if kind in done else run)(*args, cwd=root)
        done.add(kind)
        assert result.code == 0, result.stdout + result.stderr
        return result.stdout

    agreements("source", "add", str(announcement), "--lang", "vi", "--id", "la-visit-2026",
               "--title", "Thông cáo báo chí về chuyến thăm chính thức Lào")  # fmt: skip
    assert (root / "seeds/thong-cao.txt").read_bytes() == announcement.read_bytes()

    # A dry run names the ministries the registry lacks; add them.
    candidates: list[str] = []
    for line in RECORDS:
        out = agreements("new", "--source", "la-visit-2026", "--line", str(line), "--dry-run")
        candidates += out.split("candidates for `agreements org add`):\n")[1].split("\n")[:2]
    candidates = [c.strip() for c in candidates if c.strip()]
    assert sorted(candidates) == sorted(NEW_MINISTRIES)
    assert not list((root / "agreements").glob("vn-la-*.yaml"))  # dry runs wrote nothing
    for name in candidates:
        org_id, country, english = NEW_MINISTRIES[name]
        agreements("org", "add", org_id, "--country", country, "--type", "ministry",
                   "--name-en", english, "--name-vi", name)  # fmt: skip

    for line, record_id in RECORDS.items():
        out = agreements("new", "--source", "la-visit-2026", "--line", str(line), "--id", record_id)
        assert f"Drafted agreements/{record_id}.yaml" in out
        assert "candidates" not in out  # every ministry is known now

    # Placeholders keep validate failing until they are filled.
    result = run("validate", cwd=root)
    assert result.code == 1
    assert result.stdout.count("error[placeholder]: title.en is still a placeholder") == 3
    titles = {
        "vn-la-2026-home-affairs-mou": "Memorandum of understanding on cooperation in law",
        "vn-la-2026-agriculture-loi": "Letter of intent on cooperation in agriculture",
        "vn-la-2026-transport-programme": "Cooperation programme 2026–2030 on transport",
    }
    for record_id, title in titles.items():
        path = root / f"agreements/{record_id}.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("'TODO: the title in English'", title),
            encoding="utf-8",
        )
    result = run("validate", "--strict", cwd=root)
    assert result.code == 0, result.stdout
    assert "checked 3 records" in result.stdout and "all good" in result.stdout

    listed = invoke("--register", str(root), "list", "--format", "json").json()
    assert {a["id"] for a in listed} == set(RECORDS.values())  # type: ignore[union-attr]
    by_id = {a["id"]: a for a in listed}  # type: ignore[union-attr]
    agriculture = by_id["vn-la-2026-agriculture-loi"]
    assert agriculture["kind"] == "letter-of-intent"
    assert agriculture["date"] == "2026-03-12" and agriculture["place"] == "Vientiane, Laos"
    assert [p["org"] for p in agriculture["parties"]] == [
        "vn-ministry-of-agriculture-and-environment",
        "la-ministry-of-agriculture-and-forestry",
    ]
    assert by_id["vn-la-2026-transport-programme"]["kind"] == "cooperation-programme"


@pytest.fixture(scope="module")
def shipped():
    register, findings = load(Location(REPO, "option"), use_index=False)
    assert not findings
    return register


def test_an_empty_register_is_named_after_its_folder(tmp_path: Path) -> None:
    root = tmp_path / "caucasus"
    assert invoke("init", str(root)).code == 0
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[0] == "# caucasus: a register of bilateral agreements"
    assert sorted(p.name for p in (root / "agreements/registry").iterdir()) == [
        "countries.yaml", "kinds.yaml", "occasions.yaml", "organisations.yaml", "sectors.yaml",
        "statuses.yaml",
    ]  # fmt: skip


@pytest.mark.parametrize("record_id", sorted(yaml.safe_load(
    "[energy-mou, defence-loi, justice-programme, petrovietnam-mou, binh-son-crude-mou, "
    "science-mou, culture-mou, joint-statement]")))  # fmt: skip
def test_new_reproduces_the_parties_and_kind_of_each_shipped_record(shipped, record_id) -> None:
    agreement = shipped.agreements[f"vn-az-2025-{record_id}"]
    first = agreement.evidence[0]
    drafted = draft(shipped, first.source, quote=first.quote)
    # Witnesses are named in another quote; every other party is in the first.
    expected = {(p.org, p.role) for p in agreement.parties if p.role != "witness"}
    assert {(p["org"], p["role"]) for p in drafted.record["parties"]} == expected
    assert drafted.record["kind"] == agreement.kind


def test_a_quote_not_in_the_source_shows_the_nearest_passage(register: Path) -> None:
    before = tree_digest(register)
    result = invoke(
        "--register", str(register), "new", "--source", "ttxvn-le-trao-van-kien",
        "--quote", "Bộ Tư pháp Việt Nam và Bộ Tư pháp Azerbaijan ký Chương trình hợp tác",
    )  # fmt: skip
    assert result.code == 1
    assert "the quote is not in source 'ttxvn-le-trao-van-kien'" in result.stderr
    assert "trao đổi Chương trình hợp tác" in result.stderr  # the passage as the source has it
    assert tree_digest(register) == before


def test_new_refuses_to_overwrite_a_record(register: Path) -> None:
    before = tree_digest(register)
    result = invoke(
        "--register", str(register), "new", "--source", "ttxvn-le-trao-van-kien", "--quote",
        "Bộ Công thương Việt Nam và Bộ Năng lượng Azerbaijan trao đổi bản ghi nhớ",
        "--id", "vn-az-2025-energy-mou", "--as-new",
    )  # fmt: skip
    assert result.code == 2 and "exists already" in result.stderr
    assert tree_digest(register) == before


def test_source_add_refuses_what_is_not_utf8_or_registered(register: Path, tmp_path: Path) -> None:
    before = tree_digest(register)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Bộ Tư pháp".encode().replace("ộ".encode(), b"\xf4"))
    result = invoke("--register", str(register), "source", "add", str(latin), "--lang", "vi")
    assert result.code == 2 and "not UTF-8 text" in result.stderr
    copy = tmp_path / "copy.txt"
    copy.write_bytes((register / "seeds/001_2b84120ea9e1bc77.txt").read_bytes())
    result = invoke("--register", str(register), "source", "add", str(copy), "--lang", "vi")
    assert result.code == 2
    assert "already registered as source 'ttxvn-le-trao-van-kien'" in result.stderr
    assert tree_digest(register) == before


def test_org_add_adds_lines_only_and_refuses_a_taken_id(register: Path) -> None:
    path = register / "agreements/registry/organisations.yaml"
    before = path.read_bytes()
    result = invoke(
        "--register", str(register), "org", "add", "la-ministry-of-justice", "--country", "LA",
        "--type", "ministry", "--name-en", "Ministry of Justice of Laos",
        "--name-vi", "Bộ Tư pháp Lào", "--alias", "Bộ Tư pháp nước CHDCND Lào",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    after = path.read_bytes()
    assert after.startswith(before)  # comments and every byte before kept
    assert re.search(rb"aliases:\n\s+- B\xe1\xbb\x99 T\xc6\xb0 ph\xc3\xa1p n", after)
    again = invoke(
        "--register", str(register), "org", "add", "la-ministry-of-justice", "--type", "ministry",
        "--name-en", "x", "--name-vi", "y",
    )  # fmt: skip
    assert again.code == 2 and "exists already" in again.stderr


def test_dry_runs_write_nothing(register: Path, tmp_path: Path) -> None:
    text = tmp_path / "new-source.txt"
    text.write_text("Bộ Tư pháp Việt Nam và Bộ Tư pháp Lào ký Bản ghi nhớ.\n", encoding="utf-8")
    before = tree_digest(register)
    for args in (
        ["source", "add", str(text), "--lang", "vi", "--dry-run"],
        ["org", "add", "la-x", "--type", "ministry", "--name-en", "X", "--name-vi", "Y",
         "--dry-run"],
        ["new", "--source", "ttxvn-le-trao-van-kien", "--line", "3", "--dry-run", "--as-new"],
        ["note", "add", "vn-az-2025-energy-mou", "x", "--date", "2025-09-01", "--dry-run"],
    ):  # fmt: skip
        result = invoke("--register", str(register), *args)
        assert result.code == 0, result.stderr
        assert "Dry run: nothing was written" in result.stdout
    assert tree_digest(register) == before
    assert invoke("init", str(tmp_path / "never"), "--dry-run").code == 0
    assert not (tmp_path / "never").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["source", "add", "{file}", "--lang", "vi", "--id", "Bad ID"],
            "source 'Bad ID' cannot be added: id: String should match pattern",
            id="source-id-not-an-id",
        ),
        pytest.param(
            ["org", "add", "la-x", "--country", "Laos", "--type", "ministry",
             "--name-en", "X", "--name-vi", "Y"],
            "organisation 'la-x' cannot be added: country: String should match pattern",
            id="org-country-not-a-code",
        ),
    ],
)  # fmt: skip
def test_entries_the_registry_would_refuse_are_refused_first(
    register: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    text = tmp_path / "announcement.txt"
    text.write_text("Bộ Tư pháp Lào ký Bản ghi nhớ.\n", encoding="utf-8")
    before = tree_digest(register)
    result = invoke("--register", str(register), *(a.format(file=text) for a in args))
    assert result.code == 2
    assert message in result.stderr and "internal error" not in result.stderr
    assert tree_digest(register) == before


# --- concurrent adds (issue 15): the duplicate check runs again under the lock ---------------


def _concurrently(argvs: list[list[str]], kill: int = 0) -> list[tuple[int, str]]:
    import signal
    import subprocess
    import time

    procs = [
        subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for argv in argvs
    ]
    if kill:
        time.sleep(0.15)
        for proc in procs[:kill]:
            proc.send_signal(signal.SIGKILL)
    results = [(proc.wait(timeout=120), proc.stderr.read()) for proc in procs]
    for proc in procs:
        proc.stderr.close()
    return results


def _entries(root: Path, rel: str, key: str) -> list[dict]:
    import yaml

    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))[key]


@pytest.mark.slow
@pytest.mark.parametrize("kill", [0, 2], ids=["all-finish", "two-killed"])
def test_concurrent_source_adds_of_one_file_leave_one_entry(
    register: Path, tmp_path: Path, kill: int
) -> None:
    from conftest import installed_command

    text = tmp_path / "announcement.txt"
    text.write_text("Bộ Tư pháp Việt Nam và Bộ Tư pháp Lào ký Bản ghi nhớ.\n", encoding="utf-8")
    argv = [installed_command(), "--register", str(register), "source", "add", str(text),
            "--lang", "vi"]  # fmt: skip
    results = _concurrently([argv] * 6, kill=kill)
    added = [
        e for e in _entries(register, "seeds/sources.yaml", "sources") if e["id"] == "announcement"
    ]
    assert len(added) == 1, results  # 2 to 6 entries before the fix
    finished = [(code, err) for code, err in results if code != -9]
    assert [code for code, _ in finished].count(0) <= 1
    assert all("already registered" in err for code, err in finished if code != 0), finished
    assert invoke("--register", str(register), "validate").code == 0  # read commands work too


@pytest.mark.slow
@pytest.mark.parametrize("kill", [0, 2], ids=["all-finish", "two-killed"])
def test_concurrent_org_adds_of_one_id_leave_one_entry(register: Path, kill: int) -> None:
    from conftest import installed_command

    argv = [installed_command(), "--register", str(register), "org", "add",
            "la-ministry-of-justice", "--country", "LA", "--type", "ministry",
            "--name-en", "Ministry of Justice of Laos", "--name-vi", "Bộ Tư pháp Lào"]  # fmt: skip
    results = _concurrently([argv] * 6, kill=kill)
    orgs = _entries(register, "agreements/registry/organisations.yaml", "organisations")
    assert [o["id"] for o in orgs].count("la-ministry-of-justice") == 1, results  # 3 before
    assert all("exists already" in err for code, err in results if code not in (0, -9)), results
    assert invoke("--register", str(register), "list").code == 0
