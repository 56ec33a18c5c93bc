"""Make docs/img/briefing.png, the screenshot of `report --html` the docs show.

    python tests/briefing_screenshot.py [OUT.png]

The shipped register's briefing as of 2026-01-01 with what changed since May 2025 (its
signings), written to a temporary folder and taken by headless Chromium at 1000×1400. Not a
test: the suite's Chromium tests check the document; this only refreshes the picture after
the briefing's look changes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "img" / "briefing.png"


def main(out: Path = OUT) -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    command = shutil.which("agreements") or str(Path(sys.executable).parent / "agreements")
    if chromium is None:
        print("no Chromium: apt-get install chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        register = tmp / "vn-az-register"
        for part in ("agreements", "seeds"):
            shutil.copytree(REPO / part, register / part)
        html = tmp / "briefing.html"
        subprocess.run(
            [command, "--register", str(register), "report", "--as-of", "2026-01-01",
             "--since", "2025-05", "--html", str(html)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        shot = tmp / "briefing.png"
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={tmp / 'profile'}", f"--screenshot={shot}",
             "--window-size=1000,1400", html.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
