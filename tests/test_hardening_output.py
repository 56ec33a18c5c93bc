"""Issue 21, items 1, 6 and 9: every file the tool writes outside a record goes through one
rule, every output through one escaping rule, and a killed writer's temporary file neither
reaches git nor outlives the next write.

Each attack runs the command in a copy of the register and proves that the file it aimed at
(a record, `.git/config`, a file outside the register, a device) is unchanged. The many
cases of one rule run in-process (CliRunner; a FIFO that hung the command would end in
conftest's watchdog); the installed command runs where a process is killed, and for the
single paths.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, edit, installed_command, invoke, run

REC = "agreements/vn-az-2025-culture-mou.yaml"
RECORD_ID = "vn-az-2025-culture-mou"

# What must never reach an output raw: C0 controls but \n and \t, DEL and C1, ESC, the
# bidi embeddings, overrides and isolates, the marks U+200E/F.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    proc = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def run_bounded(*args: str, cwd: Path, timeout: float = 30) -> Result:
    """The installed command with a short timeout: a FIFO that hangs it fails the test."""
    env = {k: v for k, v in os.environ.items() if k not in {"AGREEMENTS_REGISTER", "COLUMNS"}}
    proc = subprocess.run(
        [installed_command(), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


# --- item 1: one rule for every file written outside a record ---------------------------

# Each command that writes a file outside the records, with the file's name as TARGET.
WRITERS = [
    pytest.param(("report", "--html", "TARGET"), id="report-html"),
    pytest.param(("report", "--svg", "TARGET"), id="report-svg"),
    pytest.param(("export", "sqlite", "TARGET"), id="export-sqlite"),
    pytest.param(("export", "ftm", "--output", "TARGET"), id="export-ftm"),
]


def _fill(command: tuple[str, ...], target: str) -> list[str]:
    return [target if part == "TARGET" else part for part in command]


def _symlink_to_record(root: Path, name: Path) -> Callable[[], object]:
    name.symlink_to(root / REC)
    return lambda: (root / REC).read_bytes()


def _symlink_outside(root: Path, name: Path) -> Callable[[], object]:
    outside = root.parent / "outside.txt"
    outside.write_text("the user's own file\n")
    name.symlink_to(outside)
    return lambda: (outside.read_bytes(), name.is_symlink())


def _dangling_symlink(root: Path, name: Path) -> Callable[[], object]:
    name.symlink_to(root.parent / "nowhere" / "new.txt")
    return lambda: (os.readlink(name), (root.parent / "nowhere").exists())


def _hard_link_to_record(root: Path, name: Path) -> Callable[[], object]:
    os.link(root / REC, name)
    return lambda: ((root / REC).read_bytes(), (root / REC).stat().st_nlink)


def _fifo(root: Path, name: Path) -> Callable[[], object]:
    os.mkfifo(name)
    return lambda: stat.S_ISFIFO(name.lstat().st_mode)


def _char_device(root: Path, name: Path) -> Callable[[], object]:
    # A device node of our own (the numbers of /dev/null): the real /dev/null is never touched.
    try:
        os.mknod(name, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    return lambda: (stat.S_ISCHR(name.lstat().st_mode), name.lstat().st_rdev)


def _socket(root: Path, name: Path) -> Callable[[], object]:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(name))
    sock.close()
    return lambda: stat.S_ISSOCK(name.lstat().st_mode)


VICTIMS = [
    pytest.param(_symlink_to_record, id="link-to-a-record"),
    pytest.param(_symlink_outside, id="link-outside-the-register"),
    pytest.param(_dangling_symlink, id="dangling-link"),
    pytest.param(_hard_link_to_record, id="hard-linked-record"),
    pytest.param(_fifo, id="fifo"),
    pytest.param(_char_device, id="character-device"),
    pytest.param(_socket, id="socket"),
]


def _refused(proc: Result, name: str) -> None:
    assert proc.code == 2, (proc.code, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert name in proc.stderr, proc.stderr
    assert "nothing was written" in proc.stderr, proc.stderr


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize("plant", VICTIMS)
def test_no_output_goes_through_a_link_or_over_a_special_file(
    register: Path, command: tuple[str, ...], plant: Callable[[Path, Path], Callable[[], object]]
) -> None:
    target = register / "out.file"
    state = plant(register, target)
    before = state()
    proc = invoke(*_fill(command, "out.file"), cwd=register, timeout=30)
    _refused(proc, "out.file")
    assert state() == before


@pytest.mark.parametrize("plant", VICTIMS)
def test_the_sqlite_metadata_file_follows_the_same_rule(
    register: Path, plant: Callable[[Path, Path], Callable[[], object]]
) -> None:
    """The critical case: `ln -s agreements/X.yaml register.metadata.json` made the
    database export write JSON over a record; neither file is written now."""
    state = plant(register, register / "register.metadata.json")
    before = state()
    proc = invoke("export", "sqlite", "register.db", cwd=register, timeout=30)
    _refused(proc, "register.metadata.json")
    assert state() == before
    assert not (register / "register.db").exists()  # both are checked before either is written


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize(
    "target",
    [
        pytest.param(".git/config", id="git-config"),
        pytest.param(".git/hooks/post-checkout", id="git-hook"),
        pytest.param("agreements/new.html", id="records-folder"),
        pytest.param("agreements/registry/statuses.yaml", id="registry"),
        pytest.param("seeds/sources.yaml", id="sources"),
        pytest.param(".agreements/index.sqlite", id="index-folder"),
        pytest.param(".agreements.lock", id="lock-file"),
        pytest.param("records/new.html", id="through-a-linked-folder"),
        pytest.param("gitdir/config", id="git-through-a-linked-folder"),
        pytest.param("agreements/../.git/config", id="dot-dot"),
    ],
)
def test_no_output_goes_into_the_registers_own_folders(
    register: Path, command: tuple[str, ...], target: str
) -> None:
    _git(register, "init", "-q")
    (register / ".agreements").mkdir(exist_ok=True)
    (register / ".agreements" / "index.sqlite").write_bytes(b"index")
    (register / ".agreements.lock").write_bytes(b"")
    (register / "records").symlink_to("agreements")
    (register / "gitdir").symlink_to(".git")
    before = _files(register)
    proc = invoke(*_fill(command, target), cwd=register)
    assert proc.code == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and target in proc.stderr
    assert "choose a file outside" in proc.stderr
    assert _files(register) == before


def _files(root: Path) -> dict[Path, bytes]:
    """Every file's bytes but the index's, which read commands keep up to date."""
    return {
        p: p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink() and ".agreements" not in p.relative_to(root).parts
    }


def test_a_fifo_does_not_hang_the_report(register: Path) -> None:
    """`--svg` opened the FIFO for writing and waited forever for a reader."""
    os.mkfifo(register / "view.svg")
    proc = invoke("report", "--svg", "view.svg", cwd=register, timeout=20)
    assert proc.code == 2 and "FIFO" in proc.stderr


@pytest.mark.parametrize("command", WRITERS)
def test_an_ordinary_file_is_still_replaced(register: Path, command: tuple[str, ...]) -> None:
    """The rule refuses only what it names: an existing file of one's own is replaced,
    keeping its mode, and no temporary file is left beside it."""
    out = register.parent / "briefings"
    out.mkdir()
    target = out / "out.file"
    target.write_text("old\n")
    target.chmod(0o640)
    proc = invoke(*_fill(command, str(target)), cwd=register)
    assert proc.code == 0, proc.stderr
    assert target.read_bytes() != b"old\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_linked_folder_outside_the_register_is_allowed(register: Path, tmp_path: Path) -> None:
    """A link among the folders above the file is fine when it leads outside the register:
    only the file itself must not be a link."""
    real = tmp_path / "real-out"
    real.mkdir()
    (register / "out").symlink_to(real)
    proc = run_bounded("report", "--html", "out/briefing.html", cwd=register)
    assert proc.code == 0, proc.stderr
    assert (real / "briefing.html").read_text().startswith("<!DOCTYPE html>")


# --- item 6: one escaping rule for every output ------------------------------------------

# A status name that would drive a terminal: a hyperlink (OSC 8), a clipboard write (OSC 52),
# a right-to-left override, C0 and C1 controls, a noncharacter XML refuses.
HOSTILE_NAME = (
    r"Si\e]8;;https://evil.example\e\\gned\e]52;c;ZXZpbA==\a\u202Edengis\x01\x0b\x85\x9b"
    r"\u2066\u200F\uFFFE"
)


@pytest.fixture
def hostile(register: Path) -> Path:
    edit(
        register,
        "agreements/registry/statuses.yaml",
        "name: {en: Signed, vi: Đã ký}",
        f'name: {{en: "{HOSTILE_NAME}", vi: Đã ký}}',
    )
    return register


def _no_raw(text: str) -> None:
    found = RAW.findall(text)
    assert not found, sorted({f"U+{ord(c):04X}" for c in found})


@pytest.mark.parametrize(
    "fmt",
    [
        pytest.param(("--format", "table"), id="table-piped"),
        pytest.param(("--format", "markdown"), id="markdown"),
        pytest.param(("--format", "json"), id="json"),
    ],
)
def test_status_names_in_report_headers_are_never_raw(hostile: Path, fmt: tuple[str, ...]) -> None:
    result = run("report", *fmt, cwd=hostile)
    assert result.code == 0, result.stderr
    _no_raw(result.stdout)
    if fmt[1] != "json":  # JSON gives status ids, not their names
        assert "\\u202e" in result.stdout.lower()  # shown, not dropped


def test_status_names_on_a_terminal_are_never_raw(hostile: Path) -> None:
    """A terminal gets rich's tables: its own colours, but no escape from the data."""
    result = run("report", cwd=hostile, env={"FORCE_COLOR": "1", "COLUMNS": "200"})
    assert result.code == 0, result.stderr
    without_colour = re.sub("\x1b\\[[0-9;]*m", "", result.stdout)
    _no_raw(without_colour)
    assert "\\x1b]8;;" in without_colour


def test_the_svg_and_html_reports_hold_no_raw_controls(hostile: Path) -> None:
    result = run("report", "--svg", "r.svg", "--html", "r.html", cwd=hostile)
    assert result.code == 0, result.stderr
    svg = (hostile / "r.svg").read_text(encoding="utf-8")
    ET.fromstring(svg)  # well-formed XML: no control characters, no U+FFFE
    _no_raw(svg)
    _no_raw((hostile / "r.html").read_text(encoding="utf-8"))


def test_list_csv_headers_and_cells_are_never_raw(hostile: Path) -> None:
    result = run("list", "--format", "csv", cwd=hostile)
    assert result.code == 0, result.stderr
    _no_raw(result.stdout)


@pytest.mark.slow
def test_the_ftm_export_carries_no_raw_bidi_or_controls(register: Path) -> None:
    result = run(
        "note",
        "add",
        RECORD_ID,
        "evil\u202etxt.exe \u2066isolate\u2069 \u200fmark \x1b]52;c;x\x07 \x85 done",
        "--date",
        "2026-01-01",
        cwd=register,
    )
    assert result.code == 0, result.stderr
    out = run("export", "ftm", cwd=register)
    assert out.code == 0, out.stderr
    _no_raw(out.stdout)
    # Escaped as JSON escapes, so the data is the same once read.
    texts = [json.dumps(json.loads(line), ensure_ascii=False) for line in out.stdout.splitlines()]
    assert any("\u202e" in t for t in texts)
    saved = run("export", "ftm", "--output", "out.ftm.json", cwd=register)
    assert saved.code == 0, saved.stderr
    _no_raw((register / "out.ftm.json").read_text(encoding="utf-8"))


FORGED = "checked 9 records, 24 quotes, 5 sources: all good"


# A line of `validate`: a finding (`file[:line[:col]]: severity[code]: …`), a finding's
# detail (indented), or the one summary.
_HONEST = re.compile(
    r"(?:agreements|seeds)/[^\n]*?(?::\d+(?::\d+)?)?: (?:error|warning)\[[a-z0-9-]+\]: .*"
    r"|    .*"
    r"|checked \d+ records, \d+ quotes, \d+ sources: .*"
)


def _lines_are_honest(output: str) -> None:
    """Every line of `validate` is a finding, a finding's detail or the summary, and there
    is one summary: no line that a file name wrote."""
    lines = output.splitlines()
    for line in lines:
        assert _HONEST.fullmatch(line), repr(line)
    summaries = [line for line in lines if line.startswith("checked ")]
    assert len(summaries) == 1 and not summaries[0].endswith("all good"), summaries


def test_a_record_file_name_cannot_forge_a_validate_line(register: Path) -> None:
    shutil.copyfile(register / REC, register / "agreements" / f"z\n{FORGED}\nq.yaml")
    result = run("validate", cwd=register)
    assert result.code == 1
    _lines_are_honest(result.stdout + result.stderr)
    assert "z\\n" + FORGED in result.stdout + result.stderr  # the name, shown escaped


def test_a_source_file_name_cannot_forge_a_validate_line(register: Path) -> None:
    manifest = (register / "seeds" / "sources.yaml").read_text(encoding="utf-8")
    first = re.search(r"file: (\S+)", manifest)
    assert first is not None
    edit(register, "seeds/sources.yaml", first.group(0), f'file: "x\\n{FORGED}\\n{first[1]}"')
    result = run("validate", cwd=register)
    assert result.code == 1
    _lines_are_honest(result.stdout + result.stderr)


def test_a_finding_headline_is_one_line() -> None:
    from agreement_tracker.findings import Finding

    finding = Finding(f"agreements/z\n{FORGED}\r.yaml", 1, 2, "error", "x", "bad\nline\u202e")
    assert "\n" not in finding.headline() and "\r" not in finding.headline()
    _no_raw(finding.headline())


# --- item 9: temporary files --------------------------------------------------------------

# What replace_atomically names its temporary file: `.NAME.` + mkstemp's 8 characters + `.tmp`.
LEFTOVERS = [
    "agreements/.vn-az-2025-culture-mou.yaml.ab_cd123.tmp",
    "agreements/registry/.organisations.yaml.zz9zz9zz.tmp",
    "seeds/.sources.yaml.a1b2c3d4.tmp",
    "agreements/.vn-az-2025-never-written.yaml.qwertyui.tmp",
]
# Files that look alike but are not the tool's: never removed.
KEPT = [
    "agreements/.notes.tmp",
    "agreements/.x.yaml.abc.tmp",
    "agreements/.x.yaml.abcdefgh.tmp.bak",
    "agreements/x.yaml.abcdefgh.tmp",
    "notes/.x.yaml.abcdefgh.tmp",
]


def test_the_next_write_removes_a_killed_writers_temporary_files(
    register: Path, tmp_path: Path
) -> None:
    for rel in LEFTOVERS + KEPT:
        (register / rel).parent.mkdir(parents=True, exist_ok=True)
        (register / rel).write_text("half a record\n")
    # A link and a folder named as the tool names its files are not its files either.
    precious = tmp_path / "precious.txt"
    precious.write_text("keep\n")
    link = register / "agreements" / ".y.yaml.abcdefgh.tmp"
    link.symlink_to(precious)
    folder = register / "agreements" / ".z.yaml.abcdefgh.tmp"
    folder.mkdir()
    # Another user's file in a shared register is theirs to remove (root may chown).
    others = register / "agreements" / ".w.yaml.abcdefgh.tmp"
    others.write_text("theirs\n")
    if os.geteuid() == 0:
        os.chown(others, 4242, 4242)
    else:
        others.unlink()
    result = run("note", "add", RECORD_ID, "a note", "--date", "2026-01-01", cwd=register)
    assert result.code == 0, result.stderr
    assert [rel for rel in LEFTOVERS if (register / rel).exists()] == []
    assert [rel for rel in KEPT if not (register / rel).exists()] == []
    assert link.is_symlink() and precious.read_text() == "keep\n" and folder.is_dir()
    assert os.geteuid() != 0 or others.read_text() == "theirs\n"


def test_a_writer_killed_by_sigkill_leaves_nothing_for_git(tmp_path: Path) -> None:
    """A real SIGKILL between the temporary file's write and its rename; git ignores what
    it leaves in a register `init` made, and the next `note add` removes it."""
    root = tmp_path / "reg"
    made = run("init", str(root), "--from-shipped")
    assert made.code == 0, made.stderr
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    killer = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from agreement_tracker.store import write\n"
        "os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "write.add_entry(Path(sys.argv[1]), sys.argv[2], 'follow_up',\n"
        "                {'date': '2026-01-01', 'text': 'killed'})\n"
    )
    proc = subprocess.run([sys.executable, "-c", killer, str(root), REC], capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    left = [p for p in (root / "agreements").iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and re.fullmatch(
        r"\.vn-az-2025-culture-mou\.yaml\.[a-z0-9_]{8}\.tmp", left[0].name
    )
    assert _git(root, "status", "--porcelain") == ""
    result = run("note", "add", RECORD_ID, "after the kill", "--date", "2026-01-02", cwd=root)
    assert result.code == 0, result.stderr
    assert not left[0].exists()
    assert "killed" not in (root / REC).read_text(encoding="utf-8")
    assert _git(root, "status", "--porcelain") == f" M {REC}\n"


@pytest.mark.parametrize(
    "args",
    [pytest.param((), id="show"), pytest.param(("--proof",), id="show-proof")],
)
def test_a_source_file_name_cannot_forge_a_line_in_show(
    register: Path, args: tuple[str, ...]
) -> None:
    """`show` names each quote's source file (`seeds/FILE:line:col`): a line break in that
    name stays inside its line."""
    old = "001_2b84120ea9e1bc77.txt"
    new = f"001\n{FORGED}\nx.txt"
    (register / "seeds" / old).rename(register / "seeds" / new)
    edit(register, "seeds/sources.yaml", f"file: {old}", f'file: "001\\n{FORGED}\\nx.txt"')
    result = run("show", RECORD_ID, *args, cwd=register)
    assert result.code == 0, result.stderr
    assert "seeds/001\\n" + FORGED in result.stdout  # the name, shown escaped
    assert not [line for line in result.stdout.splitlines() if line.startswith(FORGED)]


@pytest.mark.parametrize(
    "plant",
    [
        pytest.param(lambda root, lock: lock.symlink_to(root / REC), id="link-to-a-record"),
        pytest.param(lambda root, lock: lock.symlink_to(root / "gone"), id="dangling-link"),
        pytest.param(
            lambda root, lock: os.link(root / "agreements/registry/statuses.yaml", lock),
            id="hard-linked-registry",
        ),
        pytest.param(lambda root, lock: os.mkfifo(lock), id="fifo"),
    ],
)
def test_the_lock_file_follows_the_rule_too(register: Path, plant: Callable[..., object]) -> None:
    """filelock 3.x (allowed by pyproject) opens the lock with O_TRUNC through a link: a
    planted `.agreements.lock` would empty a record. The writer refuses it, whatever the
    installed filelock does, and says how to clear it."""
    lock = register / ".agreements.lock"
    plant(register, lock)
    before = _files(register)
    proc = invoke("note", "add", RECORD_ID, "a note", "--date", "2026-01-01", cwd=register)
    assert proc.code == 2, (proc.stdout, proc.stderr)
    assert f"rm {lock}" in proc.stderr and "Traceback" not in proc.stderr
    assert _files(register) == before


def test_the_datasette_metadata_carries_no_raw_bidi(register: Path) -> None:
    """The metadata names the register's folder, whose name is anyone's choice."""
    renamed = register.with_name("reg\u202eister\x1b]8;;x")
    register.rename(renamed)
    result = run("export", "sqlite", str(register.parent / "out.db"), cwd=renamed)
    assert result.code == 0, result.stderr
    text = (register.parent / "out.metadata.json").read_text(encoding="utf-8")
    _no_raw(text)
    assert "reg\u202eister" in json.loads(text)["source"]  # the same data once read
