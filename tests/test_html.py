"""`report --html`: a self-contained HTML briefing, loaded in headless Chromium (issue 16).

The browser is Debian's `chromium` (`.ci/run` installs it). The test is
skipped, saying why, only where no Chromium can be found.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import invoke

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
HOSTILE = '<script>window.hacked = 1</script><img src="https://example.org/x.png"> & more'

pytestmark = pytest.mark.skipif(
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


class Dom(HTMLParser):
    """The elements of the DOM Chromium dumps: tags, and the text of each table."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[list[list[str]]] = []
        self.title = ""
        self.h2: list[str] = []
        self._where: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._where.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.tables[-1][-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if self._where and self._where[-1] == tag:
            self._where.pop()

    def handle_data(self, data: str) -> None:
        where = self._where[-1] if self._where else ""
        if where == "title":
            self.title += data
        elif where == "h2":
            self.h2.append(data)
        elif where in ("td", "th") and self.tables:
            self.tables[-1][-1][-1] += data


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


@pytest.mark.slow
def test_the_html_report_is_a_real_document_in_chromium(register: Path, tmp_path: Path) -> None:
    noted = invoke("--register", str(register), "note", "add", "vn-az-2025-energy-mou", HOSTILE,
                   "--date", "2025-07", "--status", "in-progress")  # fmt: skip
    assert noted.code == 0, noted.stderr
    target = tmp_path / "briefing.html"
    result = invoke("--register", str(register), "report", "--as-of", "2026-01-01",
                    "--html", str(target))  # fmt: skip
    assert result.code == 0, result.stderr
    source = target.read_text(encoding="utf-8")
    assert "@media print" in source and "Content-Security-Policy" in source

    dom = Dom()
    dom.feed(chromium(tmp_path, "--dump-dom", target.as_uri()))
    assert dom.title == "Report as of 2026-01-01 · 8 agreements"
    # The same sections as the terminal report, each a heading and, where it has rows, a table.
    terminal = invoke("--register", str(register), "report", "--as-of", "2026-01-01").stdout
    for heading in dom.h2:
        assert heading in terminal
    assert [h.split(":")[0] for h in dom.h2] == ["By status", "Sector × status",
        "Organisation × status", "No follow-up for more than 90 days",
        "Terms ending within 180 days or ended", "Latest notes",
        "Disputed", "Overdue commitments", "Commitments due within 180 days",
        "Undated commitments with no review for more than 90 days"]  # fmt: skip
    by_status = dom.tables[0]
    assert by_status[0] == ["Status", "Agreements"]
    assert ["In progress", "1"] in by_status and ["Signed", "7"] in by_status
    latest = next(t for t in dom.tables if t[0][0] == "Date")  # commitments' tables follow
    assert latest[0] == ["Date", "ID", "Status", "Note", "Source"]
    assert latest[1][:3] == ["2025-07", "vn-az-2025-energy-mou", "In progress"]
    assert latest[1][3] == HOSTILE  # shown as text, whole
    # Nothing from the data became markup, and nothing loads from anywhere.
    tags = [tag for tag, _ in dom.tags]
    assert "script" not in tags and "img" not in tags and "link" not in tags
    assert all(not re.search(r"https?:", str(attrs)) for _, attrs in dom.tags)
    assert "url(" not in source and "@import" not in source
    # What a person sees: a rendered page, not an empty one.
    shot = tmp_path / "briefing.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=900,1200", target.as_uri())
    share = ink(shot.read_bytes())
    assert 0.01 < share < 0.5, share


def test_html_is_never_written_into_the_register(register: Path) -> None:
    inside = register / "agreements" / "briefing.html"
    result = invoke("--register", str(register), "report", "--html", str(inside))
    assert result.code == 2 and "inside the register's agreements/" in result.stderr
    assert not inside.exists()
