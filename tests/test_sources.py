"""Sources that say what they are (issue 23, item 7): `source add` takes the title,
publisher, date and URL the text states, `source edit` fixes them in the manifest
changing nothing else, and `source list` / `source show` show them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import REPO, invoke, run, tree_digest

MANIFEST = "seeds/sources.yaml"
TTXVN = "ttxvn-le-trao-van-kien"
TEXT = "Hà Nội, ngày 12/3/2026\nHai bên đã ký Bản ghi nhớ về hợp tác năng lượng.\n"


def _lines_apart(old: str, new: str, changed: set[int], added: dict[int, str]) -> None:
    """`new` is `old` with only the lines numbered in `changed` (1-based, in `old`) replaced
    and `added` lines inserted after the old line numbered by their key: every other line
    byte-identical, in order."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    expected_kept = [line for n, line in enumerate(old_lines, 1) if n not in changed]
    kept, i = [], 0
    for n, line in enumerate(old_lines, 1):
        if n in changed:
            i += 1  # its replacement
        else:
            assert new_lines[i] == line, (n, line, new_lines[i])
            kept.append(new_lines[i])
            i += 1
        if n in added:
            assert new_lines[i].strip() == added[n], (n, new_lines[i])
            i += 1
    assert i == len(new_lines) and kept == expected_kept


def _line_of(text: str, needle: str, after: int = 0) -> int:
    """The 1-based number of the first line at or after line `after` holding `needle`."""
    for n, line in enumerate(text.splitlines(), 1):
        if n >= after and needle in line:
            return n
    raise AssertionError(needle)


def test_source_add_takes_what_the_text_states_and_list_and_show_give_it(
    register: Path, tmp_path: Path
) -> None:
    file = tmp_path / "ky-ket.txt"
    file.write_text(TEXT, encoding="utf-8")
    added = run("source", "add", str(file), "--lang", "vi", "--id", "ky-ket",
                "--title", "Lễ ký kết Bản ghi nhớ", "--publisher", "Báo Nhân Dân",
                "--date", "2026-03-12", "--url", "https://example.org/ky-ket",
                cwd=register)  # fmt: skip
    assert added.code == 0, added.stderr
    manifest = (register / MANIFEST).read_text(encoding="utf-8")
    assert "    published: 2026-03-12\n" in manifest  # a date, unquoted, as the others
    assert (register / "seeds/ky-ket.txt").read_bytes() == file.read_bytes()

    shown = invoke("--register", str(register), "source", "show", "ky-ket", "--format", "json")
    assert shown.code == 0, shown.stderr
    assert shown.json() == {
        "id": "ky-ket", "file": "ky-ket.txt", "lang": "vi", "title": "Lễ ký kết Bản ghi nhớ",
        "publisher": "Báo Nhân Dân", "published": "2026-03-12",
        "url": "https://example.org/ky-ket",
        "sha256": hashlib.sha256(file.read_bytes()).hexdigest(),
    }  # fmt: skip
    text = invoke("--register", str(register), "source", "show", "ky-ket")
    assert "Title:     Lễ ký kết Bản ghi nhớ" in text.stdout.splitlines()
    assert "Published: 2026-03-12" in text.stdout.splitlines()
    listed = invoke("--register", str(register), "source", "list", "--format", "json").json()
    assert isinstance(listed, list) and len(listed) == 6
    assert listed[-1]["publisher"] == "Báo Nhân Dân"
    table = invoke("--register", str(register), "source", "list")
    row = next(line for line in table.stdout.splitlines() if line.startswith("ky-ket"))
    assert "2026-03-12" in row and "Lễ ký kết Bản ghi nhớ" in row and "Báo Nhân Dân" in row


def test_source_add_without_them_leaves_unknown(register: Path, tmp_path: Path) -> None:
    file = tmp_path / "bare.txt"
    file.write_text(TEXT, encoding="utf-8")
    added = invoke("--register", str(register), "source", "add", str(file), "--lang", "vi")
    assert added.code == 0, added.stderr
    shown = invoke("--register", str(register), "source", "show", "bare", "--format", "json")
    row = shown.json()
    assert isinstance(row, dict)
    assert (row["title"], row["publisher"], row["published"], row["url"]) == (
        "unknown", "unknown", "unknown", None)  # fmt: skip


def test_source_edit_changes_those_values_and_no_other_byte(register: Path) -> None:
    before = (register / MANIFEST).read_text(encoding="utf-8")
    files = {p.name: p.read_bytes() for p in (register / "seeds").glob("*.txt")}
    edited = run("source", "edit", TTXVN, "--title", "Lễ trao văn kiện: Việt Nam-Azerbaijan",
                 "--publisher", "TTXVN", "--date", "2025-05-07",
                 "--url", "https://example.org/ttxvn", cwd=register)  # fmt: skip
    assert edited.code == 0, edited.stderr
    assert f"Changed source {TTXVN} in {MANIFEST}" in edited.stdout
    after = (register / MANIFEST).read_text(encoding="utf-8")
    entry = _line_of(before, f"id: {TTXVN}")
    title = _line_of(before, "title: unknown", entry)
    sha = _line_of(before, "sha256:", entry)
    _lines_apart(before, after, {title, title + 1, title + 2},
                 {sha: "url: https://example.org/ttxvn"})  # fmt: skip
    assert "    title: 'Lễ trao văn kiện: Việt Nam-Azerbaijan'\n" in after  # quoted: it holds ': '
    # The text files are evidence: never touched.
    assert {p.name: p.read_bytes() for p in (register / "seeds").glob("*.txt")} == files
    shown = invoke("--register", str(register), "source", "show", TTXVN, "--format", "json")
    row = shown.json()
    assert isinstance(row, dict)
    assert row["title"] == "Lễ trao văn kiện: Việt Nam-Azerbaijan"
    assert (row["publisher"], row["published"]) == ("TTXVN", "2025-05-07")
    assert row["file"] == "001_2b84120ea9e1bc77.txt"
    assert row["sha256"] == hashlib.sha256(files[row["file"]]).hexdigest()

    # Back to unknown, and the same again: nothing to write.
    back = invoke("--register", str(register), "source", "edit", TTXVN, "--title", "unknown",
                  "--publisher", "unknown", "--date", "unknown")  # fmt: skip
    assert back.code == 0, back.stderr
    restored = (register / MANIFEST).read_text(encoding="utf-8")
    _lines_apart(before, restored, set(), {sha: "url: https://example.org/ttxvn"})
    same = invoke("--register", str(register), "source", "edit", TTXVN, "--title", "unknown")
    assert same.code == 0 and "nothing was written" in same.stdout
    assert (register / MANIFEST).read_text(encoding="utf-8") == restored


def test_source_edit_keeps_a_folded_value_and_the_comments_around_it(register: Path) -> None:
    """A value written as a folded block (`>-`) is replaced in its place; the comment after
    it and the next key stay."""
    path = register / MANIFEST
    text = path.read_text(encoding="utf-8")
    folded = text.replace(
        "    publisher: Children's Health Magazine\n",
        "    publisher: >-\n      Children's Health\n      Magazine\n    # the site's footer\n",
    )
    assert folded != text
    path.write_text(folded, encoding="utf-8")
    edited = invoke("--register", str(register), "source", "edit",
                    "vov-strategic-partnership-en", "--publisher", "VOV")  # fmt: skip
    assert edited.code == 0, edited.stderr
    assert path.read_text(encoding="utf-8") == text.replace(
        "    publisher: Children's Health Magazine\n",
        "    publisher: VOV\n    # the site's footer\n",
    )


def test_source_edit_dry_run_shows_the_diff_and_writes_nothing(register: Path) -> None:
    before = tree_digest(register)
    shown = invoke("--register", str(register), "source", "edit", TTXVN, "--date", "2025-05-07",
                   "--dry-run")  # fmt: skip
    assert shown.code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("Dry run: nothing was written.")
    assert "-    published: unknown" in lines and "+    published: 2025-05-07" in lines
    assert tree_digest(register) == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["ttxvn-le-trao-van-kie", "--title", "x"], "did you mean ttxvn-le-trao-van-kien?"),
        ([TTXVN, "--date", "2025-13-01"], "'2025-13-01' is not a date"),
        ([TTXVN, "--date", "7/5/2025"], "'7/5/2025' must be a year"),
        ([TTXVN, "--date", "2025-5"], "'2025-5' must be a year"),
        ([TTXVN, "--title", " Lễ trao"], "white space at its ends"),
        ([TTXVN, "--lang", "xx-yy"], "--lang"),
        ([TTXVN], "say what to change"),
    ],
)
def test_source_edit_refuses_and_changes_nothing(
    register: Path, args: list[str], says: str
) -> None:
    before = tree_digest(register)
    refused = invoke("--register", str(register), "source", "edit", *args)
    assert refused.code == 2, refused.stdout
    assert says in refused.stderr
    assert "Traceback" not in refused.stderr
    assert tree_digest(register) == before


def test_a_bad_date_gets_the_message_every_date_option_gives(register: Path) -> None:
    """`source add --date` and `source edit --date` read a date as `note add --date` and
    `list --since` do: one parser, one message."""
    occasion = invoke("--register", str(register), "list", "--since", "2025-02-30")
    edit = invoke("--register", str(register), "source", "edit", TTXVN, "--date", "2025-02-30")
    add = invoke("--register", str(register), "source", "add", str(REPO / "README.md"),
                 "--lang", "en", "--date", "2025-02-30")  # fmt: skip
    said = [r.stderr.splitlines()[-1].split(": ", 2)[-1] for r in (occasion, edit, add)]
    assert occasion.code == edit.code == add.code == 2
    assert said[0] == said[1] == said[2] and "2025-02-30" in said[0]


def test_source_edit_refuses_the_shipped_register(tmp_path: Path) -> None:
    before = tree_digest(REPO / "seeds")
    refused = run("source", "edit", TTXVN, "--title", "x", cwd=tmp_path)
    assert refused.code == 2
    assert "read-only" in refused.stderr and "agreements init" in refused.stderr
    assert tree_digest(REPO / "seeds") == before


def test_the_shipped_sources_say_what_their_texts_say() -> None:
    """Each title, publisher and date the manifest gives stands in its text; the TTXVN
    list names no headline or site, so it stays unknown."""
    shown = invoke("--register", str(REPO), "source", "list", "--format", "json").json()
    assert isinstance(shown, list) and len(shown) == 5
    for source in shown:
        text = (REPO / "seeds" / source["file"]).read_text(encoding="utf-8")
        for field in ("title", "publisher"):
            if source[field] != "unknown":
                assert source[field] in text, (source["id"], field)
        if source["published"] != "unknown":
            year, month, day = source["published"].split("-")
            assert source["published"] in text or f"{day}/{month}/{year}" in text, source["id"]
    by_id = {s["id"]: s for s in shown}
    assert (by_id[TTXVN]["title"], by_id[TTXVN]["publisher"]) == ("unknown", "unknown")


def test_source_edit_writes_a_one_line_entry_again_as_a_block(register: Path) -> None:
    """An entry written in flow style (`- {id: …}`) has no line of its own per value: it is
    written again as a block in its place; the other entries stay as they were."""
    path = register / MANIFEST
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: chuyen-cong-tac-5-12-5\n")
    end = text.index("    notes:", start)
    flow = (
        "  - {id: chuyen-cong-tac-5-12-5, file: 003_373479f16b438832.txt, lang: vi, "
        "title: unknown, publisher: unknown, published: unknown, sha256: "
        "deed0f9712fcff9d5923312280d447c811d20707ef26d2207d5a00ae6471561a}\n"
    )
    rest = text[text.index("  - id: vov-strategic-partnership-en", end) :]
    path.write_text(text[:start] + flow + "\n" + rest, encoding="utf-8")
    edited = invoke("--register", str(register), "source", "edit", "chuyen-cong-tac-5-12-5",
                    "--date", "2025-05-12")  # fmt: skip
    assert edited.code == 0, edited.stderr
    after = path.read_text(encoding="utf-8")
    assert after.startswith(text[:start]) and after.endswith("\n" + rest)
    assert "    published: 2025-05-12\n" in after and "{" not in after[start : -len(rest)]


def test_source_edit_keeps_crlf_line_ends(register: Path) -> None:
    path = register / MANIFEST
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    edited = invoke("--register", str(register), "source", "edit", TTXVN,
                    "--url", "https://example.org/ttxvn")  # fmt: skip
    assert edited.code == 0, edited.stderr
    after = path.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert after.replace(b"    url: https://example.org/ttxvn\r\n", b"", 1) == crlf


@pytest.mark.parametrize(("given", "written"), [("2025-05", "2025-05"), ("2025", "'2025'")])
def test_a_source_dated_only_by_its_month_or_year_keeps_that(
    register: Path, given: str, written: str
) -> None:
    """A text that says only "May 2025" is dated 2025-05, not a day it does not give; the
    register still validates, and the exports say the same."""
    edited = invoke("--register", str(register), "source", "edit", TTXVN, "--date", given)
    assert edited.code == 0, edited.stderr
    manifest = (register / MANIFEST).read_text(encoding="utf-8")
    assert f"    published: {written}\n" in manifest
    assert invoke("--register", str(register), "validate", "--strict").code == 0
    shown = invoke("--register", str(register), "source", "show", TTXVN, "--format", "json")
    assert json.loads(shown.stdout)["published"] == given
