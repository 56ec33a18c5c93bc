"""The output cache: a read-only command's output is replayed only while everything it
depends on is unchanged, and anything it cannot vouch for runs the command afresh.

A replay is made visible by rewriting the stored output to a marker: when the
marker is printed, the output came from the cache; when the real output is
printed, the command ran.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agreement_tracker import replay
from conftest import edit, installed_command, run

MARKER = "REPLAYED FROM THE CACHE\n"
ENERGY = "agreements/vn-az-2025-energy-mou.yaml"


def cached_run(*args: str, cache: Path, cwd: Path, **env: str) -> str:
    result = run(*args, cwd=cwd, env={"AGREEMENTS_CACHE_DIR": str(cache), **env})
    assert result.code == 0, result.stderr
    return result.stdout


def entries(cache: Path) -> list[Path]:
    return sorted((cache / replay.FOLDER).glob("*.txt"))


def mark(entry: Path) -> None:
    """Replace the stored output with MARKER, keeping the entry well formed."""
    text = entry.read_text(encoding="utf-8")
    head, counts, body = text.split("\n", 2)
    stored = sum(int(n) for n in counts.split())
    entry.write_text(f"{head}\n{counts}\n{body[:stored]}{MARKER}", encoding="utf-8")


def stored_then_marked(*args: str, cache: Path, cwd: Path) -> str:
    """Run once (storing the output), mark the entry, and prove the next run replays it."""
    fresh = cached_run(*args, cache=cache, cwd=cwd)
    (entry,) = entries(cache)
    mark(entry)
    assert cached_run(*args, cache=cache, cwd=cwd) == MARKER
    return fresh


# --- what is replayed ------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("show", "vn-az-2025-energy-mou"),
        ("--help",),
        ("list", "--sector", "energy", "--format", "json"),
        ("report", "--as-of", "2026-01-01"),
        ("orgs", "--lang", "vi"),
    ],
)
def test_a_replay_is_byte_for_byte_what_the_command_prints(
    args: tuple[str, ...], aged: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    uncached = cached_run(*args, cache=cache, cwd=aged, AGREEMENTS_OUTPUT_CACHE="off")
    assert not entries(cache)
    first = cached_run(*args, cache=cache, cwd=aged)
    (entry,) = entries(cache)
    stamp = entry.stat().st_mtime_ns
    second = cached_run(*args, cache=cache, cwd=aged)
    assert uncached == first == second
    assert entry.stat().st_mtime_ns == stamp  # served, not stored again
    mark(entry)
    assert cached_run(*args, cache=cache, cwd=aged) == MARKER


# --- staleness: every change to what the output depends on is seen at once -------


def _edit_in_place_same_size_and_mtime(root: Path) -> None:
    path = root / ENERGY
    before = path.stat()
    edit(root, ENERGY, "cooperation in the field of energy", "cooperation in the field of ENERGY")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def _add_record(root: Path) -> None:
    text = (root / ENERGY).read_text(encoding="utf-8")
    (root / "agreements/vn-az-2025-energy-mou-copy.yaml").write_text(
        text.replace("id: vn-az-2025-energy-mou", "id: vn-az-2025-energy-mou-copy"),
        encoding="utf-8",
    )


def _delete_record(root: Path) -> None:
    (root / "agreements/vn-az-2025-culture-mou.yaml").unlink()


def _edit_registry(root: Path) -> None:
    edit(root, "agreements/registry/organisations.yaml", "Ministry of Energy", "Ministry of ENERGY")


def _replace_source_text(root: Path) -> None:
    source = next(p for p in (root / "seeds").iterdir() if p.suffix == ".txt")
    data = source.read_bytes()
    tmp = source.with_suffix(".new")
    tmp.write_bytes(data.replace(b"Baku", b"BAKU", 1))
    os.replace(tmp, source)


@pytest.mark.parametrize(
    "change",
    [
        _edit_in_place_same_size_and_mtime,
        _add_record,
        _delete_record,
        _edit_registry,
        _replace_source_text,
    ],
)
def test_a_change_to_the_register_is_seen_at_once(change, aged: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    stored_then_marked("list", "--format", "json", cache=cache, cwd=aged)
    change(aged)
    after = cached_run("list", "--format", "json", cache=cache, cwd=aged)
    assert after != MARKER
    assert after == cached_run(
        "list", "--format", "json", cache=cache, cwd=aged, AGREEMENTS_OUTPUT_CACHE="off"
    )


@pytest.mark.parametrize(
    "args,env",
    [
        (("list", "--lang", "vi"), {}),
        (("list",), {"NO_COLOR": "1"}),
        (("list",), {"COLUMNS": "60"}),
        (("list",), {"AGREEMENTS_SOMETHING_NEW": "x"}),
    ],
)
def test_other_arguments_or_environment_are_not_served_the_stored_output(
    args: tuple[str, ...], env: dict[str, str], aged: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    stored_then_marked("list", cache=cache, cwd=aged)
    assert cached_run(*args, cache=cache, cwd=aged, **env) != MARKER


def test_the_shells_previous_folder_does_not_change_the_key(aged: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    stored_then_marked("list", cache=cache, cwd=aged)
    assert cached_run("list", cache=cache, cwd=aged, OLDPWD=str(tmp_path)) == MARKER


def test_another_register_is_not_served_the_stored_output(aged: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    stored_then_marked("list", cache=cache, cwd=aged)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shown = cached_run("--register", str(aged), "list", cache=cache, cwd=elsewhere)
    assert shown != MARKER


def test_the_key_holds_the_date_and_the_terminal(aged: Path, monkeypatch) -> None:
    monkeypatch.chdir(aged)
    today = replay.Replay.prepare(["list"])
    assert today is not None
    monkeypatch.setattr(time, "localtime", lambda: time.struct_time((2031, 1, 2, 0, 0, 0, 3, 2, 0)))
    assert replay.Replay.prepare(["list"]).key != today.key  # type: ignore[union-attr]
    monkeypatch.undo()
    monkeypatch.chdir(aged)
    monkeypatch.setattr(replay, "_terminal", lambda: ((80, 24), (80, 24), None))
    assert replay.Replay.prepare(["list"]).key != today.key  # type: ignore[union-attr]


def test_a_changed_module_is_seen(aged: Path, tmp_path: Path, monkeypatch) -> None:
    """An upgrade or an edit of the code: every imported module file is part of the check."""
    monkeypatch.setenv("AGREEMENTS_CACHE_DIR", str(tmp_path / "cache"))
    module_file = tmp_path / "plugin_like.py"
    module_file.write_text("X = 1\n")
    hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(module_file, ns=(hour_ago, hour_ago))
    monkeypatch.setattr(replay, "_code_files", lambda: [str(module_file)])
    monkeypatch.chdir(aged)
    entry = replay.Replay.prepare(["list"])
    assert entry is not None
    with pytest.raises(SystemExit):
        entry.record(lambda: (print("output"), sys.exit(0)))  # type: ignore[func-returns-value]
    assert entry.stored() == "output\n"
    module_file.write_text("X = 2\n")
    assert entry.stored() is None


# --- what is never stored --------------------------------------------------------


def test_failures_and_warnings_are_not_stored(aged: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for _ in range(2):
        result = run("show", "no-such-id", cwd=aged, env={"AGREEMENTS_CACHE_DIR": str(cache)})
        assert result.code == 2 and "no-such-id" in result.stderr
    assert not entries(cache)


def test_commands_that_write_are_never_replayed(register: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    svg = tmp_path / "view.svg"
    for _ in range(2):
        svg.unlink(missing_ok=True)
        cached_run("report", "--svg", str(svg), cache=cache, cwd=register)
        assert svg.exists()
    before = (register / ENERGY).read_text(encoding="utf-8")
    for number in (1, 2):
        result = run(
            "note", "add", "vn-az-2025-energy-mou", f"Note {number}", "--author", "",
            cwd=register, env={"AGREEMENTS_CACHE_DIR": str(cache)},
        )  # fmt: skip
        assert result.code == 0, result.stderr
    after = (register / ENERGY).read_text(encoding="utf-8")
    assert after.startswith(before) and "Note 1" in after and "Note 2" in after
    assert not entries(cache)


def test_a_register_modified_within_the_racy_window_is_not_stored(
    register: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    for path in register.rglob("*"):
        os.utime(path)
    cached_run("list", cache=cache, cwd=register)
    assert not entries(cache)


def test_a_folder_link_inside_the_register_is_not_stored(aged: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    outside = tmp_path / "outside"
    outside.mkdir()
    (aged / "seeds" / "more").symlink_to(outside, target_is_directory=True)
    cached_run("list", cache=cache, cwd=aged)
    assert not entries(cache)


def test_the_output_cache_can_be_switched_off(aged: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cached_run("list", cache=cache, cwd=aged, AGREEMENTS_OUTPUT_CACHE="off")
    assert not entries(cache)


def test_an_output_longer_than_the_limit_is_not_stored(
    aged: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("AGREEMENTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(replay, "MAX_OUTPUT", 10)
    monkeypatch.chdir(aged)
    entry = replay.Replay.prepare(["list"])
    assert entry is not None
    with pytest.raises(SystemExit):
        entry.record(lambda: (print("x" * 11), sys.exit(0)))  # type: ignore[func-returns-value]
    assert not entries(tmp_path / "cache")


def test_output_around_the_text_layer_spoils_the_copy() -> None:
    class Sink:
        def __init__(self) -> None:
            self.buffer = self

        def write(self, text: object) -> int:
            if not isinstance(text, str):
                raise TypeError("text only")
            return len(text)

        def fileno(self) -> int:
            return 1

    tee = replay._Tee(Sink())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        tee.write(b"")  # click's probe for a binary stream
    tee.write("kept")
    assert tee.usable and tee.parts == ["kept"]
    _ = tee.buffer
    assert not tee.usable
    other = replay._Tee(Sink())  # type: ignore[arg-type]
    other.fileno()
    assert not other.usable


# --- broken entries --------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\x00\xff\xfe not an entry", id="corrupt"),
        pytest.param(b"", id="empty"),
        pytest.param(b"agreements output cache 0\n1 0 0\nx", id="other-format"),
        pytest.param(b"agreements output cache 1\n999999 0 0\nshort", id="cut-short"),
        pytest.param(b"agreements output cache 1\nx y z\n", id="bad-counts"),
        pytest.param(b"agreements output cache 1\n-5 2 0\nabc", id="negative-counts"),
    ],
)
def test_a_broken_entry_is_ignored_and_rewritten(
    content: bytes, aged: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    fresh = cached_run("list", cache=cache, cwd=aged)
    (entry,) = entries(cache)
    entry.write_bytes(content)
    assert cached_run("list", cache=cache, cwd=aged) == fresh
    assert entry.read_bytes() != content
    assert cached_run("list", cache=cache, cwd=aged) == fresh


def test_an_entry_for_another_command_line_in_the_same_file_is_not_served(
    aged: Path, tmp_path: Path, monkeypatch
) -> None:
    """File names are short hashes of the key; the key itself is compared in full."""
    cache = tmp_path / "cache"
    cached_run("list", cache=cache, cwd=aged)
    (entry,) = entries(cache)
    text = entry.read_text(encoding="utf-8")
    monkeypatch.setenv("AGREEMENTS_CACHE_DIR", str(cache))
    monkeypatch.chdir(aged)
    other = replay.Replay.prepare(["orgs"])
    assert other is not None
    Path(other.path).write_text(text, encoding="utf-8")
    assert other.stored() is None


def test_a_closed_pipe_during_a_replay_is_not_an_error(aged: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cached_run("list", cache=cache, cwd=aged)
    assert entries(cache)
    proc = subprocess.run(
        f"'{installed_command()}' list | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=aged,
        env={**os.environ, "AGREEMENTS_CACHE_DIR": str(cache)},
        timeout=60,
    )
    assert proc.stdout.startswith("8 agreements")
    assert proc.stderr == ""


def test_pruning_keeps_the_newest_entries_within_the_limits(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(replay, "KEEP_ENTRIES", 3)
    monkeypatch.setattr(replay, "KEEP_BYTES", 250)
    hour_ago = time.time_ns() - 3600 * 10**9
    for number, size in enumerate([100, 100, 100, 100, 400]):
        entry = tmp_path / f"{number}.txt"
        entry.write_bytes(b"x" * size)
        os.utime(entry, ns=(hour_ago + number, hour_ago + number))
    (tmp_path / ".entry.1.tmp").write_bytes(b"another writer's")
    replay._prune(str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".entry.1.tmp", "4.txt"]
    (tmp_path / "4.txt").write_bytes(b"x" * 10)
    for number in range(4):
        (tmp_path / f"{number}.txt").write_bytes(b"x" * 10)
        os.utime(tmp_path / f"{number}.txt", ns=(hour_ago + number, hour_ago + number))
    replay._prune(str(tmp_path))
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == ["2.txt", "3.txt", "4.txt"]


def test_a_replay_imports_neither_click_rich_pydantic_nor_yaml(tmp_path: Path) -> None:
    code = (
        "import sys; sys.argv = ['agreements', '--help']\n"
        "from agreement_tracker.launch import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('click', 'rich', 'pydantic', 'yaml')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)"
    )
    env = {**os.environ, "AGREEMENTS_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
        )
        for _ in range(2)
    ]
    assert runs[0].stderr.strip() == "['click']"  # ran the command, and stored its output
    assert runs[1].stderr.strip() == "[]"  # replayed it
    assert runs[0].stdout == runs[1].stdout and "Usage: agreements" in runs[1].stdout


def test_a_register_changed_while_the_command_ran_is_not_stored(
    aged: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("AGREEMENTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(replay, "_code_files", list)  # the register is what this is about
    monkeypatch.chdir(aged)
    entry = replay.Replay.prepare(["list"])
    assert entry is not None

    def command_racing_an_edit() -> None:
        print("output of the old register")
        path = aged / ENERGY
        before = path.stat()
        path.write_bytes(path.read_bytes() + b"# edited meanwhile\n")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # out of the racy window
        sys.exit(0)

    with pytest.raises(SystemExit):
        entry.record(command_racing_an_edit)
    assert not entries(tmp_path / "cache")
    with pytest.raises(SystemExit):
        entry.record(lambda: (print("output"), sys.exit(0)))  # type: ignore[func-returns-value]
    assert entry.stored() == "output\n"  # the same command line, undisturbed, is stored


def test_arguments_and_environment_that_are_not_utf8_are_keyed_and_replayed(
    aged: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "AGREEMENTS_CACHE_DIR": str(tmp_path / "cache")}
    env_bytes = {os.fsencode(k): os.fsencode(v) for k, v in env.items()}
    env_bytes[b"SOMETHING"] = b"\xff\xfe"
    argv = [os.fsencode(installed_command()), b"list", b"--query", b"\xff"]
    runs = [
        subprocess.run(argv, cwd=aged, env=env_bytes, capture_output=True, timeout=60)
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout.startswith(b"0 agreements")
    (entry,) = entries(tmp_path / "cache")
    mark(entry)
    replayed = subprocess.run(argv, cwd=aged, env=env_bytes, capture_output=True, timeout=60)
    assert replayed.stdout == MARKER.encode()


def test_on_a_terminal_the_replay_is_what_the_terminal_got_and_a_resize_runs_afresh(
    tmp_path: Path,
) -> None:
    from test_terminal import screen

    env = {"AGREEMENTS_CACHE_DIR": str(tmp_path / "cache")}
    first = screen("list", env=env)
    assert "\x1b[" in first  # styled for a terminal
    assert screen("list", env=env) == first
    (entry,) = entries(tmp_path / "cache")
    mark(entry)
    assert screen("list", env=env) == MARKER
    narrow = screen("list", width=80, env=env)
    assert narrow != MARKER and narrow != first
