"""Shared fixtures: copies of the shipped register in temporary folders, and two ways to run
the command: the installed console script as a subprocess (end to end) and click's CliRunner.

Every test starts alone (the suite runs in parallel with pytest-xdist, `-n auto`): its own
cache folder, seeded with a copy of one warm index of the shipped register, and an
environment without what changes the output (terminal size, colour, a register named
outside, the user's git name). Hypothesis runs the `ci` profile under `CI` (fixed examples,
no database, no deadline), else `dev`; `--hypothesis-profile NAME` chooses either.
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from agreement_tracker.cli import cli
from agreement_tracker.store.index import INDEX_DIR

REPO = Path(__file__).resolve().parent.parent

# What a test's outcome must not depend on: the terminal's size (pytest-xdist's workers
# and CI have none, a developer's shell has one), colour wishes, a register or debug mode
# named outside, the caller's editor and pager. Tests that need one set it themselves.
UNSET = (
    "COLUMNS", "LINES", "JUPYTER_COLUMNS", "JUPYTER_LINES", "FORCE_COLOR", "NO_COLOR",
    "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CLICOLOR", "CLICOLOR_FORCE",
    "AGREEMENTS_REGISTER", "AGREEMENTS_DEBUG", "EDITOR", "VISUAL", "PAGER",
)  # fmt: skip

# CI: the same examples on every run (a failure there can be run again as it was), none
# remembered between runs, no deadline (a loaded 2-core machine is not a slow function),
# and 50 examples for the tests that run the command on each (notes, hostile YAML); cheap
# properties keep their own count. `dev` draws 200 new ones each run and remembers failures.
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, print_blob=True, max_examples=50,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
settings.register_profile(
    "dev", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Longest first, for the parallel run: slow tests start first, so the many short ones
    fill the workers' ends instead of one worker finishing a long test alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the shipped register's index, built once per worker."""
    cache = tmp_path_factory.mktemp("warm-cache")
    result = invoke("--register", str(REPO), "list", env={"AGREEMENTS_CACHE_DIR": str(cache)})
    assert result.code == 0, result.stderr
    return cache


@pytest.fixture(autouse=True)
def isolated(
    warm_cache: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Each test its own cache folder (a copy of the warm one: the same start for all, and
    nothing one test leaves there reaches the next) and a fixed environment."""
    cache = tmp_path_factory.mktemp("cache")
    shutil.copytree(warm_cache, cache, dirs_exist_ok=True)
    monkeypatch.setenv("AGREEMENTS_CACHE_DIR", str(cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache / "xdg"))  # where an emptied one points
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)  # no user name of the caller's
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in UNSET:
        monkeypatch.delenv(name, raising=False)
    yield


def installed_command() -> str:
    """The `agreements` script of the environment running the tests."""
    beside = Path(sys.executable).parent / "agreements"
    found = str(beside) if beside.exists() else shutil.which("agreements")
    assert found, "the `agreements` console script is not installed: pip install -e '.[test]'"
    return found


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> object:
        return json.loads(self.stdout)


def run(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str | None] | None = None,
    input: str | None = None,
) -> Result:
    """Run the installed command in a clean environment (no colour, no register override)."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"AGREEMENTS_REGISTER", "COLUMNS", "FORCE_COLOR", "NO_COLOR"}
    }
    full_env.update(env or {})
    proc = subprocess.run(
        [installed_command(), *args],
        cwd=cwd,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def invoke(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str | None] | None = None,
    input: str | None = None,
    timeout: float = 60,
) -> Result:
    """Run the CLI in-process with CliRunner; stdout and stderr kept apart.

    The same arguments as `run`, without a process's start-up (0.2-0.4 s a run): for what the
    command does, where the real process (its exit, signals, limits, pipes) is not the point.
    A hang (a FIFO opened, SQLite running a view that never ends: C code, where no Python
    signal handler runs) is ended by faulthandler's watchdog after `timeout` seconds: every
    thread's stack, and the end of this process; under pytest-xdist one failed test and a
    new worker, never a stuck suite.
    """
    runner = CliRunner()
    before = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    faulthandler.dump_traceback_later(timeout, exit=True)
    try:
        result = runner.invoke(
            cli, list(args), input=input, catch_exceptions=False,
            env={"AGREEMENTS_REGISTER": None, **(env or {})},
        )  # fmt: skip
    finally:
        faulthandler.cancel_dump_traceback_later()
        os.chdir(before)
    return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """A writable copy of the shipped register."""
    root = tmp_path / "register"
    shutil.copytree(REPO / "agreements", root / "agreements")
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root


@pytest.fixture
def aged(register: Path) -> Path:
    """The register with every file last modified an hour ago (older than the racy window)."""
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in register.rglob("*"):
        os.utime(path, ns=(hour_ago, hour_ago))
    return register


def tree_digest(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, to prove a command changed nothing.

    The index (`.agreements/`) is left out: read commands keep it up to date.
    """
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and INDEX_DIR not in p.relative_to(root).parts
    }


RECORD_IDS = frozenset(
    {
        "vn-az-2025-energy-mou",
        "vn-az-2025-defence-loi",
        "vn-az-2025-justice-programme",
        "vn-az-2025-petrovietnam-mou",
        "vn-az-2025-binh-son-crude-mou",
        "vn-az-2025-science-mou",
        "vn-az-2025-culture-mou",
        "vn-az-2025-joint-statement",
    }
)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the first `old` with `new` in a register file; fail loudly if it is absent."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def help_text(path: tuple[str, ...], columns: int) -> str:
    """The help a terminal `columns` wide shows, in-process: click's test runner forces 80
    columns, so the contexts are made as `agreements ... --help` makes them, with the
    width click derives from the terminal (two less than its columns). Each context gets its
    command's settings, as click's own invocation gives them: a context made without them
    would leave the command a help option without `-h` (click keeps the first it makes)."""
    from agreement_tracker.cli import cli

    command: click.Command = cli
    ctx = cli.context_class(
        cli, info_name="agreements", terminal_width=columns - 2, **cli.context_settings
    )
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(ctx, name)
        assert found is not None, name
        command = found
        ctx = command.context_class(command, info_name=name, parent=ctx, **command.context_settings)
    return ctx.get_help()


def get_json(url: str) -> Any:
    """A JSON document fetched over HTTP (a local server a test started)."""
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@contextlib.contextmanager
def datasette_serving(database: Path, metadata: Path) -> Iterator[str]:
    """The real `datasette serve` of an export with its metadata, on a free local port:
    its base URL while the block runs. Skips where datasette is not installed."""
    import socket

    datasette = shutil.which("datasette") or str(Path(sys.executable).parent / "datasette")
    if not Path(datasette).exists():
        pytest.skip("datasette is not installed (pip install -e '.[test]' installs it)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = subprocess.Popen(
        [datasette, "serve", str(database), "--metadata", str(metadata),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get_json(f"{base}/-/versions.json")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    assert server.stderr is not None
                    pytest.fail(f"datasette did not start: {server.stderr.read()!r}")
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
