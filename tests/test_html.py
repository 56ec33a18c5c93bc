"""`report --html`: a briefing to forward, loaded and printed by headless Chromium (issue 23,
item 3).

The browser is Debian's `chromium` (`.ci/run` installs it). The browser tests are skipped,
saying why, only where no Chromium can be found; the rest run everywhere. A printed PDF is
read here with nothing but zlib: its pages, and the text of each through its fonts'
ToUnicode maps (Chromium writes each glyph as a hex string), which is all a page-break
check needs.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import unicodedata
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, invoke

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
HOSTILE = '<script>window.hacked = 1</script><img src="https://example.org/x.png"> & more'
ENERGY, DEFENCE = "vn-az-2025-energy-mou", "vn-az-2025-defence-loi"
PRESS = """\
Baku, 7 May 2025
Vietnam's Ministry of National Defence and Azerbaijan's Ministry of Defence signed a \
memorandum of understanding on defence cooperation on 7 May 2025 in Baku.
"""
MOU_QUOTE = (
    "Vietnam's Ministry of National Defence and Azerbaijan's Ministry of Defence signed a "
    "memorandum of understanding on defence cooperation on 7 May 2025 in Baku"
)
# Pages of the shipped register's briefing as of 2026-01-01, printed by Debian's Chromium
# with its fonts (DejaVu), on either paper: the cover with the first record, then two
# records a page where two fit (the joint statement's 19 commitments take a page of their
# own, so the energy MoU before it and the science MoU after it are alone).
PAGES = {"A4": 6, "Letter": 6}
# Each paper's size in points, as the PDF's MediaBox gives it.
PAPER = {"A4": (595, 842), "Letter": (612, 792)}

browser = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on this machine: apt-get install chromium (CI does)"
)


def chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    profile = tmp_path / "chromium-profile"
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout


def squeeze(text: str) -> str:
    """Text without white space, NFKC: a line break a layout puts in a title, or the "ﬁ"
    ligature a font draws, is not a difference."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def records(register: Path) -> list[dict[str, Any]]:
    """The records as `list --format json` gives them, in the report's order (by date, id)."""
    listed = invoke("--register", str(register), "list", "--format", "json")
    assert listed.code == 0, listed.stderr
    found = listed.json()
    assert isinstance(found, list)
    return found


class Dom(HTMLParser):
    """The document Chromium dumps: its tags, headings, the text of the whole and of each
    record's <article> (by id), and the cover's list of changes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self.h2: list[str] = []
        self.text = ""
        self.articles: dict[str, str] = {}
        self.changes: list[str] = []
        self._where: list[str] = []
        self._article: str | None = None
        self._in_changes = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        self._where.append(tag)
        if tag == "article":
            self._article = found.get("id") or ""
            self.articles[self._article] = ""
        elif tag == "h2":
            self.h2.append("")
        elif tag == "ol" and "changes" in (found.get("class") or ""):
            self._in_changes = True
        elif tag == "li" and self._in_changes:
            self.changes.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._where and self._where[-1] == tag:
            self._where.pop()
        if tag == "article":
            self._article = None
        elif tag == "ol":
            self._in_changes = False

    def handle_data(self, data: str) -> None:
        if "title" in self._where:
            self.title += data
            return
        if "style" in self._where:
            return
        self.text += data
        if self._article is not None:
            self.articles[self._article] += data
        if "h2" in self._where:
            self.h2[-1] += data
        if self._in_changes and self.changes:
            self.changes[-1] += data


def ink(png: bytes) -> float:
    """The share of pixels that are not white in an 8-bit RGB(A) PNG Chromium wrote."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert depth == 8 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    data, at = b"", 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        if kind == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(data)
    stride = width * channels
    previous = bytearray(stride)
    dark = 0
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind, row = line[0], bytearray(line[1:])
        for x in range(stride):  # undo the PNG filters
            left = row[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                row[x] = (row[x] + left) & 255
            elif kind == 2:
                row[x] = (row[x] + up) & 255
            elif kind == 3:
                row[x] = (row[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                row[x] = (row[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else
                                    corner)) & 255  # fmt: skip
        dark += sum(1 for x in range(0, stride, channels) if min(row[x : x + 3]) < 200)
        previous = row
    return dark / (width * height)


# --- reading a PDF Chromium printed --------------------------------------------------


class Pdf:
    """The pages of a PDF Chromium (Skia) wrote: each page's size and text. Skia writes
    every object uncompressed but streams, pages as `/Type /Page` dictionaries, and text
    as one hex glyph string per `Tj` in Type0 fonts that carry a ToUnicode map."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.objects = {
            int(m.group(1)): m.group(2)
            for m in re.finditer(rb"(?m)^(\d+) 0 obj\s*(.*?)endobj", data, re.S)
        }
        root = re.search(rb"/Type\s*/Catalog[^>]*?/Pages\s+(\d+) 0 R", data)
        assert root is not None, "no page tree"
        self.page_ids = self._walk(int(root.group(1)))
        self._maps: dict[int, dict[bytes, str]] = {}

    def _walk(self, node: int) -> list[int]:
        """The pages under a node of the page tree, in order (Skia nests the tree)."""
        body = self.objects[node]
        if re.search(rb"/Type\s*/Page(?![s\w])", body):
            return [node]
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        assert kids is not None, body[:200]
        return [p for kid in re.findall(rb"(\d+) 0 R", kids.group(1)) for p in self._walk(int(kid))]

    def count(self) -> int:
        """Pages counted as `/Type /Page` objects (not `/Pages`): what a viewer shows."""
        return len(re.findall(rb"/Type\s*/Page(?![s\w])", self.data))

    def stream(self, number: int) -> bytes:
        body = self.objects[number]
        start = body.index(b"stream") + len(b"stream")
        start += 2 if body[start : start + 2] == b"\r\n" else 1
        raw = body[start : body.rindex(b"endstream")]
        return zlib.decompress(raw) if b"/FlateDecode" in body[:start] else raw

    def size(self, page: int) -> tuple[int, int]:
        box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", self.objects[self.page_ids[page]])
        assert box is not None
        return round(float(box.group(1))), round(float(box.group(2)))

    def _unicode(self, font: int) -> dict[bytes, str]:
        """A font's glyph codes (2 bytes) to text, from its ToUnicode CMap."""
        if font not in self._maps:
            found = re.search(rb"/ToUnicode (\d+) 0 R", self.objects[font])
            cmap = self.stream(int(found.group(1))) if found else b""
            table: dict[bytes, str] = {}
            hexes = rb"<([0-9A-Fa-f]+)>"
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
                for src, dst in re.findall(hexes + rb"\s*" + hexes, block):
                    table[bytes.fromhex(src.decode())] = bytes.fromhex(dst.decode()).decode(
                        "utf-16-be")  # fmt: skip
            for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
                for lo, hi, dst in re.findall(hexes + rb"\s*" + hexes + rb"\s*" + hexes, block):
                    first, start = int(lo, 16), int(dst, 16)
                    for code in range(first, int(hi, 16) + 1):
                        table[code.to_bytes(len(lo) // 2, "big")] = chr(start + code - first)
            self._maps[font] = table
        return self._maps[font]

    def text(self, page: int) -> str:
        """The page's text in drawing order: a new line at each text position (Tm)."""
        body = self.objects[self.page_ids[page]]
        fonts = {
            name.decode(): int(number)
            for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", body.split(b"/Font", 1)[-1])
        }
        contents = re.search(rb"/Contents (\d+) 0 R", body)
        assert contents is not None
        out: list[str] = []
        table: dict[bytes, str] = {}
        for token in re.finditer(
            rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]*)> Tj|\[([^\]]*)\] TJ|Tm\b", self.stream(
                int(contents.group(1)))
        ):  # fmt: skip
            if token.group(1):
                table = self._unicode(fonts[token.group(1).decode()])
            elif token.group(0) == b"Tm":
                out.append("\n")
            else:
                strings = [token.group(2)] if token.group(2) is not None else re.findall(
                    rb"<([0-9A-Fa-f]*)>", token.group(3))  # fmt: skip
                for hexes in strings:
                    raw = bytes.fromhex(hexes.decode())
                    out += [table.get(raw[i : i + 2], "\ufffd") for i in range(0, len(raw), 2)]
        return "".join(out)


def print_pdf(tmp_path: Path, html_file: Path, paper: str) -> Pdf:
    """The briefing printed on `paper` as Chromium prints it without its own header and
    footer. The document asks for the printer's size (`size: auto`); a copy asks for the
    paper, as choosing it in the print dialog does."""
    source = html_file.read_text(encoding="utf-8")
    assert "size: auto" in source
    copy = tmp_path / f"briefing-{paper}.html"
    copy.write_text(source.replace("size: auto", f"size: {paper}"), encoding="utf-8")
    target = tmp_path / f"briefing-{paper}.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={target}", copy.as_uri())
    return Pdf(target.read_bytes())


# --- the tests ------------------------------------------------------------------------


@pytest.fixture
def noted(register: Path, tmp_path: Path) -> Path:
    """The shipped register with a hostile month-only note on the energy MoU, and a made-up
    English report that calls the defence letter of intent a memorandum of understanding."""
    note = invoke("--register", str(register), "note", "add", ENERGY, HOSTILE,
                  "--date", "2025-07", "--status", "in-progress")  # fmt: skip
    assert note.code == 0, note.stderr
    (tmp_path / "press.txt").write_text(PRESS, encoding="utf-8")
    added = invoke("--register", str(register), "source", "add", str(tmp_path / "press.txt"),
                   "--lang", "en", "--id", "az-press")  # fmt: skip
    assert added.code == 0, added.stderr
    account = invoke("--register", str(register), "account", "add", DEFENCE, "--field", "kind",
                     "--value", "memorandum-of-understanding", "--source", "az-press",
                     "--quote", MOU_QUOTE)  # fmt: skip
    assert account.code == 0, account.stderr
    return register


def briefing(register: Path, target: Path, *args: str, as_of: str = "2026-01-01") -> str:
    result = invoke("--register", str(register), "report", "--as-of", as_of,
                    "--html", str(target), *args)  # fmt: skip
    assert result.code == 0, result.stderr
    return target.read_text(encoding="utf-8")


@browser
@pytest.mark.slow
def test_the_briefing_in_chromium_holds_each_record_as_a_reader_needs_it(
    noted: Path, tmp_path: Path
) -> None:
    target = tmp_path / "briefing.html"
    source = briefing(noted, target, "--since", "2025-07")
    assert "@media print" in source and "Content-Security-Policy" in source
    dom = Dom()
    dom.feed(chromium(tmp_path, "--dump-dom", target.as_uri()))
    assert dom.title == "Report as of 2026-01-01 · 8 agreements"
    # The cover: counts by status as labels, and what changed since July: the note only.
    assert "In progress" in dom.text and "in-progress" not in dom.text
    assert len(dom.changes) == 1 and "July 2025" in dom.changes[0], dom.changes
    assert squeeze(HOSTILE) in squeeze(dom.changes[0])
    # Every record: its title (a heading, in the report's order) and the quote that proves it.
    shown = records(noted)
    assert dom.h2 == [r["title"]["en"] for r in shown]
    for record in shown:
        article = squeeze(dom.articles[record["id"]])
        assert squeeze(record["evidence"][0]["quote"]) in article, record["id"]
        assert squeeze(record["title"]["en"]) in article
    # The disputed kind: both readings as labels, the account's quote, no kind's id anywhere.
    defence = dom.articles[DEFENCE]
    assert "Letter of intent" in defence and "Memorandum of understanding" in defence
    assert squeeze(MOU_QUOTE) in squeeze(defence)
    assert "memorandum-of-understanding" not in dom.text
    assert "letter-of-intent" not in dom.text
    # What needs attention: counted on the cover, said in each record it concerns.
    assert "Needs attention" in dom.text and "Overdue commitments" in dom.text
    assert "no follow-up for 184 days" in dom.articles[ENERGY]  # from 1 July: the note's month
    # A month-only note is a month, never a day, in the record's status and timeline.
    energy = dom.articles[ENERGY]
    assert energy.count("July 2025") == 2, energy
    assert "2025-07-01" not in source and '<time datetime="2025-07">' in source
    # Hostile text stays text, whole; nothing became markup and nothing loads from anywhere.
    assert HOSTILE in energy
    tags = [tag for tag, _ in dom.tags]
    assert "script" not in tags and "img" not in tags and "link" not in tags
    assert all(not re.search(r"https?:", str(attrs)) for _, attrs in dom.tags)
    assert "url(" not in source and "@import" not in source
    # What a person sees: a rendered page, not an empty one.
    shot = tmp_path / "briefing.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=900,1200", target.as_uri())
    share = ink(shot.read_bytes())
    assert 0.01 < share < 0.5, share


@browser
@pytest.mark.slow
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_briefing_never_splits_a_record(
    register: Path, tmp_path: Path, paper: str
) -> None:
    target = tmp_path / "briefing.html"
    briefing(register, target)
    pdf = print_pdf(tmp_path, target, paper)
    assert pdf.count() == len(pdf.page_ids) == PAGES[paper]
    assert {pdf.size(n) for n in range(pdf.count())} == {PAPER[paper]}
    pages = [squeeze(pdf.text(n)) for n in range(pdf.count())]
    # Page 1 is the cover, not an empty page: the heading, the counts, the contents.
    assert squeeze("Report as of 2026-01-01 · 8 agreements") in pages[0]
    assert "bystatus" in pages[0].lower() and "Signed8" in pages[0]  # h3s are upper case
    # The document's own running title and page number on every page; no browser header.
    for number, text in enumerate(pages, start=1):
        assert squeeze("Report as of 2026-01-01 · 8 agreements · register register") in text
        assert f"Page{number}of{len(pages)}" in text
        assert "file:" not in text and ".html" not in text
    # Each record starts (its id above its title) and ends (`show ID --proof`) on one page.
    for record in records(register):
        on = [n for n, text in enumerate(pages) for _ in range(text.count(record["id"]))]
        assert len(on) == 2 and on[0] == on[1], (record["id"], on)
        assert squeeze(record["title"]["en"]) in pages[on[0]]
    # Two records share a page where both fit: 8 records take fewer pages than 8.
    assert len(pages) < 1 + len(records(register))


@browser
@pytest.mark.slow
def test_a_record_longer_than_a_page_keeps_its_heading_with_its_first_lines(
    register: Path, tmp_path: Path
) -> None:
    path = register / "agreements" / f"{ENERGY}.yaml"
    notes = "".join(
        f"  - date: 2025-{6 + n // 28:02d}-{1 + n % 28:02d}\n"
        f"    text: Meeting {n + 1} of the working group on energy, held in Hanoi; the "
        "ministries reviewed the memorandum's programme and agreed the next steps.\n"
        for n in range(60)
    )
    path.write_text(path.read_text(encoding="utf-8") + "follow_up:\n" + notes, encoding="utf-8")
    target = tmp_path / "briefing.html"
    briefing(register, target)
    pdf = print_pdf(tmp_path, target, "A4")
    pages = [squeeze(pdf.text(n)) for n in range(pdf.count())]
    on = [n for n, text in enumerate(pages) for _ in range(text.count(ENERGY))]
    assert len(on) == 2 and on[1] > on[0], on  # it is longer than a page: it must break
    first = pages[on[0]]
    title = squeeze("Memorandum of understanding on cooperation in the field of energy")
    assert title in first
    # Its heading is not left alone at a page's foot: the facts and the quote follow it.
    after = first[first.index(title) :]
    assert "Status" in after and "thequotethatprovesit" in after.lower()
    assert "Meeting1of" in after  # and the timeline begins on that page


def test_report_since_starts_what_changed_and_selects_no_record(
    noted: Path, tmp_path: Path
) -> None:
    target = tmp_path / "briefing.html"
    since = Dom()
    since.feed(briefing(noted, target, "--since", "2025-07-15"))
    # A note of July 2025 may be dated after the 15th: it is a change, as `timeline` has it.
    assert len(since.changes) == 1 and squeeze(HOSTILE) in squeeze(since.changes[0])
    assert "What changed from 15 July 2025 to 1 January 2026" in since.text
    before = Dom()
    before.feed(briefing(noted, target, "--since", "2025-05"))
    assert len(before.changes) == 9  # the 8 signings of 7 May, then the note
    assert all("7 May 2025" in c for c in before.changes[:8])
    # Without --since: the last 90 days, and the cover says so.
    default = Dom()
    default.feed(briefing(noted, target))
    assert "What changed from 3 October 2025 to 1 January 2026 (the last 90 days" in default.text
    assert default.changes == []
    assert "No signing, note or review is dated in this period." in default.text
    assert len(default.h2) == 8  # every record all the same
    # --since selects no record, and the other formats gain what changed, as the cover has it.
    args = ("--register", str(noted), "report", "--as-of", "2026-01-01")
    plain, changed = invoke(*args).stdout, invoke(*args, "--since", "2025-07-15").stdout
    assert "Changed from" not in plain
    assert "Changed from 2025-07-15 to 2026-01-01: 1 event" in changed
    assert "8 agreements" in plain.splitlines()[0] and plain.splitlines()[0] in changed
    markdown = invoke(*args, "--since", "2025-05", "--format", "markdown").stdout
    assert "Changed from 2025-05-01 to 2026-01-01: 9 events" in markdown
    data = json.loads(invoke(*args, "--since", "2025-05", "--format", "json").stdout)
    assert data["agreements"] == 8 and data["changes"]["since"] == "2025-05-01"
    assert [e["event"] for e in data["changes"]["events"]] == ["signed"] * 8 + ["note"]
    assert "changes" not in json.loads(invoke(*args, "--format", "json").stdout)


def test_reviews_are_changes_until_the_report_day(register: Path, tmp_path: Path) -> None:
    for day, note in (("2025-09-01", "no visit yet"), ("2025-12-15", "a visit is planned")):
        review = invoke("--register", str(register), "commitment", "review",
                        "vn-az-2025-joint-statement", "1", "--status", "not-met", "--as-of", day,
                        "--source", "vov-strategic-partnership-en", "--note", note)  # fmt: skip
        assert review.code == 0, review.stderr
    dom = Dom()
    dom.feed(briefing(register, tmp_path / "briefing.html", "--since", "2025-08",
                      as_of="2025-12-01"))  # fmt: skip
    [change] = dom.changes
    assert "1 September 2025" in change and "review" in change and "not-met" in change
    statement = dom.articles["vn-az-2025-joint-statement"]
    assert "no visit yet" in statement
    assert "a visit is planned" not in dom.text and "15 December 2025" not in dom.text


@pytest.mark.parametrize("value", ["2025-13", "25-07", "last week"])
def test_report_since_reads_dates_as_list_does(register: Path, value: str) -> None:
    report = invoke("--register", str(register), "report", "--since", value)
    listed = invoke("--register", str(register), "list", "--since", value)
    assert report.code == listed.code == 2
    assert "Traceback" not in report.stderr
    said = [line for line in report.stderr.splitlines() if "--since" in line]
    assert said and said == [line for line in listed.stderr.splitlines() if "--since" in line]


def test_text_from_the_data_is_never_markup_or_css(tmp_path: Path) -> None:
    # A register's folder name is data too: in the cover and in the CSS's running title.
    hostile = tmp_path / 'reg"};} body{display:none} <u>x'
    for part in ("agreements", "seeds"):
        shutil.copytree(REPO / part, hostile / part)
    noted = invoke("--register", str(hostile), "note", "add", ENERGY,
                   "red \x1b[31m text\u202e <i>", "--date", "2025-08")  # fmt: skip
    assert noted.code == 0, noted.stderr
    source = briefing(hostile, tmp_path / "briefing.html")
    css = source[source.index("<style>") : source.index("</style>")]
    running = re.search(r"@top-left \{ content: (\"[^\"]*\");", css)
    assert running is not None, css
    # Only letters, digits, spaces and CSS escapes between the quotes: nothing ends them.
    assert re.fullmatch(r'"(?:[A-Za-z0-9 ]|\\[0-9a-f]{6} )*"', running.group(1)), running
    assert "display:none" not in css.replace(" ", "")
    assert "<u>" not in source and "<i>" not in source and "&lt;u&gt;x" in source
    # Control and bidi characters are shown as escapes, never written raw.
    assert "\x1b" not in source and "\u202e" not in source
    assert "red \\x1b[31m text\\u202e &lt;i&gt;" in source


def test_html_is_never_written_into_the_register(register: Path) -> None:
    inside = register / "agreements" / "briefing.html"
    result = invoke("--register", str(register), "report", "--html", str(inside))
    assert result.code == 2 and "inside the register's agreements/" in result.stderr
    assert not inside.exists()
