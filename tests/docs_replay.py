"""Docs that cannot drift: replay every console transcript of the README and docs/, and
generate the CLI reference from each command's `--help`.

The rules, so a reader can follow any page by hand and get the same screen:

- Every ```console block of README.md and docs/**/*.md is replayed, page by page, each
  page in a new empty folder (which is also HOME). The page's setup is its "Follow
  along" sentence, `**Follow along:** `COMMANDS``: the commands in that code span run
  first (their output is not compared). A page with transcripts and no such sentence fails.
- A fenced block with a title (```text title="announcement.txt"```) is a file a
  transcript needs: it is written, at that point of the page, under the folder the page
  started in (so from inside a register it is `../announcement.txt`).
- Each `$ command` line (a line ending in `\\` continues on the next) runs in order, in the
  folder the previous commands left (a `cd` carries over), with a fixed environment: no
  `AGREEMENTS_*` from outside, HOME the page's folder, COLUMNS=80, LC_ALL=C.UTF-8, TZ=UTC,
  no terminal (stdin empty, output to a pipe), stdout and stderr merged in the order they
  are written. The page's folder is shown as `~` (it is HOME; a reader's is elsewhere).
  The lines after it, up to the next `$ ` or the block's end, must be its
  output exactly (trailing white space of a line and trailing empty lines aside).
- A command that is only `agreements ARGS` (no variable or glob) runs in this process
  through click's CliRunner, which is what the suite does everywhere: a process start
  costs 0.1-0.3 s. Its standard input may come from a file (`< note.txt`), and a filter
  it is piped to (`| head -n 5`) runs in bash on its output; `cd DIR` and `&&` between
  such commands are followed here too. Everything else runs in bash. `--subprocess` runs every
  command in bash, to check that both give the same screen.

`python tests/docs_replay.py` checks every page and prints a unified diff per difference
(exit 1); `--update` rewrites the outputs in place (and docs/reference/cli.md) and prints
what it changed, to be read before it is committed. The test (tests/test_docs.py) never
rewrites anything.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
CLI_REFERENCE = REPO / "docs" / "reference" / "cli.md"
FENCE = re.compile(r"^(```+)\s*([\w-]*)(.*)$")
TITLE = re.compile(r'title="([^"]+)"')
FOLLOW_ALONG = re.compile(r"\*\*Follow along:\*\*\s*`([^`]+)`")
# What makes a command more than `agreements ARGS`, outside quotes.
SHELL_SYNTAX = set("|&;<>$`\\*?~(){}[]!#\n\0")


def pages() -> list[Path]:
    """The README and every page under docs/, the generated ones left out."""
    generated = {CLI_REFERENCE, REPO / "docs" / "reference" / "errors.md"}
    found = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    return [page for page in found if page not in generated]


@dataclass
class Command:
    text: str  # as bash reads it, continuation lines joined by their backslash-newline
    first: int  # index in the page's lines of its `$ ` line
    output: tuple[int, int]  # the lines [start, end) of the page that show its output

    def expected(self, lines: list[str]) -> list[str]:
        return trimmed(lines[self.output[0] : self.output[1]])


@dataclass
class Step:
    """A file to write, or a command to run, in page order."""

    command: Command | None = None
    file: tuple[str, str] | None = None


@dataclass
class Page:
    path: Path
    lines: list[str]
    setup: str | None
    steps: list[Step] = field(default_factory=list)

    @property
    def commands(self) -> list[Command]:
        return [step.command for step in self.steps if step.command]


def trimmed(lines: list[str]) -> list[str]:
    out = [line.rstrip() for line in lines]
    while out and not out[-1]:
        out.pop()
    return out


def parse(path: Path) -> Page:
    """The page's setup, the files its titled blocks hold, and its console commands."""
    lines = path.read_text(encoding="utf-8").split("\n")
    setups = [m.group(1) for line in lines if (m := FOLLOW_ALONG.search(line))]
    page = Page(path, lines, setups[0] if setups else None)
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        ticks, lang, info = opening.groups()
        end = i + 1
        while end < len(lines) and lines[end].strip() != ticks:
            end += 1
        if end == len(lines):
            raise ValueError(f"{path}:{i + 1}: a fenced block that does not end")
        body = (i + 1, end)
        if lang == "console":
            page.steps.extend(Step(command=c) for c in console_commands(path, lines, body))
        elif title := TITLE.search(info):
            text = "\n".join(lines[body[0] : body[1]]) + "\n"
            page.steps.append(Step(file=(title.group(1), text)))
        i = end + 1
    if page.commands and not page.setup:
        raise ValueError(f"{path}: transcripts, but no '**Follow along:** `...`' sentence")
    return page


def console_commands(path: Path, lines: list[str], body: tuple[int, int]) -> list[Command]:
    commands: list[Command] = []
    i, end = body
    if i < end and not lines[i].startswith("$ "):
        raise ValueError(f"{path}:{i + 1}: a console block must start with '$ '")
    while i < end:
        first = i
        text = lines[i][2:]
        while text.endswith("\\") and i + 1 < end:
            i += 1
            text += "\n" + lines[i]
        i += 1
        start = i
        while i < end and not lines[i].startswith("$ "):
            i += 1
        commands.append(Command(text, first, (start, i)))
    return commands


def unquoted(command: str) -> Iterator[tuple[int, str]]:
    """Each character of the command outside quotes, with its index; a NUL stands for one
    that is special inside double quotes (`$`, a backslash, a backquote)."""
    quote = ""
    for i, char in enumerate(command):
        if quote:
            if char == quote:
                quote = ""
            elif quote == '"' and char in "$\\`":
                yield i, "\0"
        elif char in "'\"":
            quote = char
        else:
            yield i, char


@dataclass
class InProcess:
    """A command this process can run: `agreements ARGS [< FILE] [| FILTER]`."""

    args: list[str]
    stdin: str | None = None  # a file to read standard input from
    pipe: str | None = None  # a filter its output goes through, run by bash


def in_process(command: str) -> InProcess | None:
    """How to run a command in this process, or None when bash must run it all (a
    variable, a glob, `&&`, anything but agreements)."""
    command = command.replace("\\\n", " ")  # continuation lines
    left, pipe = command, None
    for i, char in unquoted(command):
        if char == "|":
            left, pipe = command[:i], command[i + 1 :]
            break
    if pipe is not None and (not pipe.strip() or pipe.startswith("|")):
        return None
    stdin = None
    if redirect := re.fullmatch(r"(.*?)\s<\s*([\w./-]+)\s*", left):
        left, stdin = redirect.groups()
    if any(char in SHELL_SYNTAX for _, char in unquoted(left)):
        return None
    try:
        words = shlex.split(left)
    except ValueError:
        return None
    if not words or words[0] != "agreements":
        return None
    return InProcess(words[1:], stdin, pipe)


def and_list(command: str) -> list[str]:
    """A command's parts joined by `&&` outside quotes (one part when there is none)."""
    parts, start = [], 0
    marks = [i for i, char in unquoted(command) if char == "&"]
    for i in marks:
        if i + 1 in marks:
            parts.append(command[start:i].strip())
            start = i + 2
    return [*parts, command[start:].strip()]


def environment(home: Path) -> dict[str, str]:
    """The fixed environment every command runs in: nothing from the caller's but PATH's
    place of this Python's scripts (where `agreements` is installed)."""
    scripts = str(Path(sys.executable).parent)
    return {
        "PATH": f"{scripts}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "COLUMNS": "80",
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "TERM": "dumb",
        "PYTHONUNBUFFERED": "1",  # stdout and stderr in the order written, as a terminal
        "GIT_CONFIG_NOSYSTEM": "1",
    }


@contextmanager
def only(env: dict[str, str], cwd: Path) -> Iterator[None]:
    """This process with exactly `env` and `cwd`, for an in-process run; restored after."""
    saved, before = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update(env)
    time.tzset()
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)
        os.environ.clear()
        os.environ.update(saved)
        time.tzset()


def runner() -> CliRunner:
    """click's CliRunner as a terminal would show the command: help as wide as the real
    command makes it (not the 80 columns CliRunner forces), and stdout and stderr in the
    order they were written."""
    import click.formatting
    from click.testing import CliRunner

    class Runner(CliRunner):
        @contextmanager
        def isolation(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            with super().isolation(*args, **kwargs) as streams:
                click.formatting.FORCED_WIDTH = None
                # Each write reaches the merged output at once, as on a terminal (and as
                # with PYTHONUNBUFFERED in bash): stderr's hint after stdout's table.
                for stream in (sys.stdout, sys.stderr):
                    stream.reconfigure(write_through=True)  # type: ignore[union-attr]
                yield streams

    return Runner()


class Session:
    """One page's run: its folder, the current folder, the last exit status."""

    def __init__(self, root: Path, *, subprocess_only: bool = False) -> None:
        self.root = self.cwd = root
        self.status = 0
        self.env = environment(root)
        self.subprocess_only = subprocess_only

    def write(self, name: str, text: str) -> None:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def run(self, command: str) -> str:
        if self.subprocess_only:
            return self._bash(command)
        parts = and_list(command)
        if len(parts) > 1 and all(self._simple(part) for part in parts):
            shown = ""
            for part in parts:  # as bash runs `a && b`: b only when a succeeded
                shown += self.run(part)
                if self.status != 0:
                    break
            return shown
        if cd := re.fullmatch(r"cd ([\w./-]+)", command.strip()):
            target = (self.cwd / cd.group(1)).resolve()
            if target.is_dir():
                self.cwd, self.status = target, 0
                return ""
        how = in_process(command)
        if how is None:
            return self._bash(command)
        from agreement_tracker.cli import cli

        stdin = None
        if how.stdin is not None:
            stdin = (self.cwd / how.stdin).read_bytes()
        with only(self.env, self.cwd):
            result = runner().invoke(cli, how.args, input=stdin, prog_name="agreements")
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        self.status = result.exit_code
        if how.pipe is None:
            return result.output
        if result.stderr:
            # Where stderr's lines fall among the filter's is up to timing: not a transcript.
            raise ValueError(f"`{command}` writes to stderr: pipe only a command that does not")
        return self._bash(how.pipe, stdin=result.stdout_bytes)

    def _simple(self, part: str) -> bool:
        return bool(re.fullmatch(r"cd [\w./-]+", part)) or in_process(part) is not None

    def shown(self, output: str) -> str:
        """The output, with the page's folder (HOME) written `~`, as a reader's differs."""
        for folder in {str(self.root.resolve()), str(self.root)}:
            output = output.replace(folder, "~")
        return output

    def _bash(self, command: str, stdin: bytes | None = None) -> str:
        state = self.root.parent / f".{self.root.name}.pwd"
        # The exit status carries over (`echo $?`), and so does the folder (`cd`).
        where = shlex.quote(str(state))
        script = f"(exit {self.status})\n{command}\n__s=$?\npwd > {where}\nexit $__s\n"
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-c", script],
            cwd=self.cwd, env=self.env, input=stdin or b"", stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, timeout=120,
        )  # fmt: skip
        self.status = proc.returncode
        if state.exists():
            self.cwd = Path(state.read_text(encoding="utf-8").strip())
            state.unlink()
        return proc.stdout.decode("utf-8", errors="replace")


@dataclass
class Outcome:
    page: Page
    actual: dict[int, list[str]]  # by the index of its command's `$ ` line
    problems: list[str]


def replay(path: Path, root: Path, *, subprocess_only: bool = False) -> Outcome:
    """Run a page's transcripts in `root` (an empty folder); each difference as a diff."""
    page = parse(path)
    outcome = Outcome(page, {}, [])
    if not page.commands:
        return outcome
    session = Session(root, subprocess_only=subprocess_only)
    assert page.setup is not None
    session.run(page.setup)
    if session.status != 0:
        outcome.problems.append(f"{path.name}: the Follow along commands exit {session.status}")
        return outcome
    name = path.relative_to(REPO) if path.is_relative_to(REPO) else path.name
    for step in page.steps:
        if step.file:
            session.write(*step.file)
            continue
        assert step.command is not None
        command = step.command
        actual = trimmed(session.shown(session.run(command.text)).split("\n"))
        outcome.actual[command.first] = actual
        expected = command.expected(page.lines)
        if actual != expected:
            diff = difflib.unified_diff(
                expected, actual, f"{name}:{command.output[0] + 1} (the page)",
                f"$ {command.text.splitlines()[0]} (the tool)", lineterm="",
            )  # fmt: skip
            outcome.problems.append("\n".join(diff))
    return outcome


def updated(outcome: Outcome) -> str:
    """The page's text with each command's output replaced by what it printed."""
    lines, out = outcome.page.lines, []
    i = 0
    for command in outcome.page.commands:
        start, end = command.output
        out.extend(lines[i:start])
        shown = outcome.actual.get(command.first, command.expected(lines))
        out.extend(shown)
        kept = trimmed(lines[start:end])
        out.extend(lines[start + len(kept) : end])  # empty lines after the output stay
        i = end
    out.extend(lines[i:])
    return "\n".join(out)


# -- the CLI reference -------------------------------------------------------------------


def command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand, as the group lists them."""
    import click

    from agreement_tracker.cli import cli

    context = click.Context(cli)

    def walk(group: click.Group, prefix: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            yield (*prefix, name)
            if isinstance(command, click.Group):
                yield from walk(command, (*prefix, name))

    return [(), *walk(cli, ())]


def help_text(path: tuple[str, ...]) -> str:
    from agreement_tracker.cli import cli

    with only(environment(REPO), REPO):
        result = runner().invoke(cli, [*path, "--help"], prog_name="agreements")
    assert result.exit_code == 0, result.output
    return result.output


def cli_reference() -> str:
    """docs/reference/cli.md: every command's help, as an 80-column terminal shows it."""
    parts = [
        "# Command reference",
        "",
        "Every command's and subcommand's `--help`, at 80 columns. Generated from the help",
        "itself by `python tests/docs_replay.py --update`; a test fails when it differs.",
        "",
    ]
    for path in command_paths():
        title = " ".join(("agreements", *path))
        parts += [f"## {title}", "", "```text", *trimmed(help_text(path).split("\n")), "```", ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite the outputs in place")
    parser.add_argument("--subprocess", action="store_true", help="run every command in bash")
    parser.add_argument("page", nargs="*", type=Path, help="pages (default: all)")
    options = parser.parse_args(argv)
    chosen = [p.resolve() for p in options.page] or pages()
    failed = False
    for path in chosen:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder) / "demo"
            root.mkdir()
            outcome = replay(path, root, subprocess_only=options.subprocess)
        for problem in outcome.problems:
            print(problem, end="\n\n")
        failed = failed or bool(outcome.problems)
        if options.update and outcome.problems:
            path.write_text(updated(outcome), encoding="utf-8")
            print(f"rewrote {path.relative_to(REPO)}")
    if options.page:
        return 1 if failed and not options.update else 0
    reference = cli_reference()
    old = CLI_REFERENCE.read_text(encoding="utf-8") if CLI_REFERENCE.exists() else ""
    if old != reference:
        print("".join(difflib.unified_diff(old.splitlines(True), reference.splitlines(True),
                                           "docs/reference/cli.md", "--help")))  # fmt: skip
        failed = True
        if options.update:
            CLI_REFERENCE.parent.mkdir(parents=True, exist_ok=True)
            CLI_REFERENCE.write_text(reference, encoding="utf-8")
            print("rewrote docs/reference/cli.md")
    return 1 if failed and not options.update else 0


if __name__ == "__main__":
    sys.exit(main())
