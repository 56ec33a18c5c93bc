"""Docs that cannot drift (issue 23, item 1): every console transcript of the README and
docs/ is what the tool prints, the command reference is the real help, the README keeps
its Quick start contract, and the site builds strictly (links and anchors checked).

The replay's rules are in tests/docs_replay.py; `python tests/docs_replay.py --update`
rewrites the outputs after a change, for review. These tests never rewrite anything.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import docs_replay
import pytest

from conftest import REPO

PAGES = [page for page in docs_replay.pages() if docs_replay.parse(page).commands]
FIX = "\n(if the tool is right, `python tests/docs_replay.py --update` rewrites it: read the diff)"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(REPO)))
def test_every_transcript_is_what_the_tool_prints(page: Path, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    root.mkdir()
    outcome = docs_replay.replay(page, root)
    assert not outcome.problems, "\n\n".join(outcome.problems) + FIX


def test_the_readme_and_most_pages_have_transcripts() -> None:
    """The replay finds what it must replay: a parser that found nothing would pass."""
    names = {str(page.relative_to(REPO)) for page in PAGES}
    assert {"README.md", "docs/tutorial.md", "docs/curating.md", "docs/proof.md"} <= names
    assert sum(len(docs_replay.parse(page).commands) for page in PAGES) >= 40


PAGE = """# A page

**Follow along:** `mkdir box && cd box` makes the folder.

```text title="greeting.txt"
hello
```

```console
$ cat ../greeting.txt
{greeting}
$ pwd
~/box
$ agreements show no-such-id
{refusal}
$ echo $?
2
```
"""


def test_a_changed_output_fails_with_a_diff_and_update_puts_the_real_one(tmp_path: Path) -> None:
    refusal = "agreements: no agreement with id 'no-such-id'"
    page = tmp_path / "page.md"
    page.write_text(PAGE.format(greeting="goodbye", refusal=refusal), encoding="utf-8")
    root = tmp_path / "demo"
    root.mkdir()
    outcome = docs_replay.replay(page, root)
    assert len(outcome.problems) == 2, outcome.problems
    assert "-goodbye\n+hello" in outcome.problems[0]
    assert outcome.problems[1].startswith("--- page.md:")  # the in-process command too
    shown = docs_replay.updated(outcome)
    assert "$ cat ../greeting.txt\nhello\n$ pwd\n~/box\n" in shown
    assert "$ echo $?\n2\n```" in shown  # the exit status carries from in-process to bash
    page.write_text(shown, encoding="utf-8")
    again = tmp_path / "again"
    again.mkdir()
    assert docs_replay.replay(page, again).problems == []


def test_in_process_and_bash_print_the_same(tmp_path: Path) -> None:
    """A command run through CliRunner shows what the installed command shows in bash:
    stderr after stdout in the order written, help as wide as COLUMNS makes it."""
    inside = docs_replay.Session(tmp_path)
    outside = docs_replay.Session(tmp_path, subprocess_only=True)
    for command in ("agreements list --org 'ministry of energi' --sector justice",
                    "agreements note add --help"):  # fmt: skip
        shown = inside.run(command)
        assert shown == outside.run(command) and shown.count("\n") > 2
        assert inside.status == outside.status


def test_a_piped_command_must_not_write_to_stderr(tmp_path: Path) -> None:
    """Where stderr's lines fall among a filter's is up to timing: not a transcript."""
    with pytest.raises(ValueError, match="stderr"):
        docs_replay.Session(tmp_path).run("agreements list --org nobody | head -n 1")


def test_a_page_with_transcripts_must_say_how_to_follow_along(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# A page\n\n```console\n$ agreements list\n```\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Follow along"):
        docs_replay.parse(page)


def test_the_command_reference_is_the_real_help() -> None:
    written = docs_replay.CLI_REFERENCE.read_text(encoding="utf-8")
    real = docs_replay.cli_reference()
    assert written == real, "docs/reference/cli.md differs from --help" + FIX
    assert all(f"## agreements {' '.join(path)}".rstrip() in written
               for path in docs_replay.command_paths())  # fmt: skip


def test_the_readme_is_short_and_starts_with_the_two_quick_start_commands() -> None:
    """.ci/run executes the README's first shell block: exactly the two commands."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    block = re.search(r"```(?:sh|bash|shell|console)\n(.*?)```", text, re.S)
    assert block is not None
    commands = [line.strip() for line in block.group(1).splitlines()
                if line.strip() and not line.strip().startswith("#")]  # fmt: skip
    assert commands[0].endswith("pip install -e . && agreements list")
    assert commands[1].startswith(". .venv/bin/activate && pip install -e '.[test]'")
    assert len(commands) == 2


@pytest.mark.slow
def test_the_docs_build_strictly(tmp_path: Path) -> None:
    """mkdocs with Material, strict: a broken link or anchor, or a page left out of the
    nav, is a warning, and a warning fails. The theme's notice about its own future is
    not a build warning and is turned off."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(REPO / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log
    assert "WARNING" not in log, log
    curating = (tmp_path / "site" / "curating" / "index.html").read_text(encoding="utf-8")
    # A file a transcript needs shows its name as its block's title.
    assert '<span class="filename">thong-cao-lao.txt</span>' in curating
