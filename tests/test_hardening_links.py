"""Links and special files among the register's own files (issue 21, item 3).

A record, registry, manifest or source text that is a link to a device, a
FIFO or a file outside the register is named by `validate` with a fix; read
commands name it on stderr and show the rest; writers never read it; and
every file is read only up to a size cap, so nothing hangs or exhausts memory.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agreement_tracker.store import files
from agreement_tracker.store.files import RECORD_MAX, FileRefused, read_file
from conftest import RECORD_IDS, Result, installed_command, invoke

REC = "agreements/vn-az-2025-energy-mou.yaml"
ORGS = "agreements/registry/organisations.yaml"
MANIFEST = "seeds/sources.yaml"
SOURCE = "seeds/001_2b84120ea9e1bc77.txt"  # cited by every shipped record
SCIENCE = "vn-az-2025-science-mou"


def bounded(*args: str, register: Path) -> Result:
    """The installed command with a short timeout and 1.5 GB of address space.

    conftest's `run` waits a minute and sets no memory limit: before the fix a
    read of /dev/zero grew until MemoryError, which must not starve the machine.
    """

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    env = {k: v for k, v in os.environ.items() if k not in {"AGREEMENTS_REGISTER", "COLUMNS"}}
    proc = subprocess.run(
        [installed_command(), "--register", str(register), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
        preexec_fn=limit,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


# --- spoilers ---------------------------------------------------------------------------------


def link(rel: str, target: str) -> Callable[[Path], None]:
    """Make `rel` a link to `target` (absolute, or relative to the register)."""

    def spoil(root: Path) -> None:
        path = root / rel
        path.unlink(missing_ok=True)
        path.symlink_to(target if target.startswith("/") else root / target)

    return spoil


def fifo(rel: str) -> Callable[[Path], None]:
    def spoil(root: Path) -> None:
        (root / rel).unlink(missing_ok=True)
        os.mkfifo(root / rel)

    return spoil


def link_to_fifo_inside(root: Path) -> None:
    os.mkfifo(root / "seeds/pipe")
    (root / "agreements/piped.yaml").symlink_to(Path("../seeds/pipe"))


def linked_outside(rel: str) -> Callable[[Path], None]:
    """`rel`, a file or folder, moved out of the register and linked to where it went."""

    def spoil(root: Path) -> None:
        outside = root.parent / ("outside-" + Path(rel).name)
        (root / rel).rename(outside)
        (root / rel).symlink_to(outside)

    return spoil


def record_linked_outside(root: Path) -> None:
    outside = root.parent / "elsewhere.yaml"
    outside.write_bytes((root / REC).read_bytes().replace(b"energy-mou", b"elsewhere"))
    (root / "agreements/elsewhere.yaml").symlink_to(outside)


def oversized(root: Path) -> None:
    """A valid record followed by comment lines past the size cap: valid YAML all the way."""
    record = (root / REC).read_bytes().replace(b"id: vn-az-2025-energy-mou", b"id: big")
    line = b"# " + b"padding " * 12 + b"\n"
    with (root / "agreements/big.yaml").open("wb") as handle:
        handle.write(record)
        handle.write(line * (RECORD_MAX // len(line) + 2))


# Each spoils one file of the register: (spoil, the file named, what validate says of it).
# Several go into one register, so that one run of the command covers them all.
RECORDS = [
    (
        link("agreements/zero.yaml", "/dev/zero"),
        "agreements/zero.yaml",
        ("links to /dev/zero, a character device", "rm -- "),
    ),
    (fifo("agreements/x.yaml"), "agreements/x.yaml", ("is a FIFO", "rm -- ")),
    (link_to_fifo_inside, "agreements/piped.yaml", ("a FIFO",)),
    (
        link("agreements/gone.yaml", "/nonexistent/gone.yaml"),
        "agreements/gone.yaml",
        ("/nonexistent/gone.yaml, which does not exist",),
    ),
    (
        record_linked_outside,
        "agreements/elsewhere.yaml",
        ("outside the register", "cp --remove-destination -- "),
    ),
    (oversized, "agreements/big.yaml", (f"larger than {RECORD_MAX // 1_000_000} MB",)),
]
REGISTRIES = [
    (link(ORGS, "/dev/urandom"), ORGS, ("links to /dev/urandom, a character device",)),
    (fifo("agreements/registry/sectors.yaml"), "agreements/registry/sectors.yaml", ("is a FIFO",)),
    (
        linked_outside("agreements/registry/kinds.yaml"),
        "agreements/registry/kinds.yaml",
        ("outside the register", "cp --remove-destination -- "),
    ),
]
FOLDERS = [
    (
        linked_outside("agreements/registry"),
        ORGS,
        ("is in", "agreements/registry, a link to", "outside the register", "cp -R -- "),
    ),
]
SEEDS_FOLDER = [
    (linked_outside("seeds"), MANIFEST, ("is in", "seeds, a link to", "outside the register")),
]
MANIFEST_CASES = [
    (link(MANIFEST, "/dev/zero"), MANIFEST, ("a character device",)),
]
SOURCES = [
    (fifo(SOURCE), MANIFEST, (f"cannot read {SOURCE}: is a FIFO",)),
    (link("seeds/002_ec99982f26183d59.txt", "/dev/zero"), MANIFEST,
     ("seeds/002_ec99982f26183d59.txt: links to /dev/zero, a character device",)),
    (linked_outside("seeds/003_373479f16b438832.txt"), MANIFEST,
     ("seeds/003_373479f16b438832.txt links to", "outside the register",
      "cp --remove-destination -- ")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("cases", "code"),
    [
        pytest.param(RECORDS, 2, id="records"),
        pytest.param(REGISTRIES, 2, id="registries"),
        pytest.param(MANIFEST_CASES, 2, id="manifest"),
        pytest.param(FOLDERS, 2, id="registry-folder-linked-outside"),
        pytest.param(SEEDS_FOLDER, 2, id="seeds-folder-linked-outside"),
        pytest.param(SOURCES, 1, id="sources"),
    ],
)
def test_validate_names_each_file_and_says_what_to_do(
    register: Path, cases: list, code: int
) -> None:
    for spoil, _rel, _says in cases:
        spoil(register)
    result = bounded("validate", register=register)
    assert result.code == code, result.stdout + result.stderr
    for _spoil, rel, says in cases:
        lines = [line for line in result.stdout.splitlines() if line.startswith(f"{rel}:")]
        for fragment in says:
            assert any(fragment in line for line in lines), (fragment, result.stdout)
    assert "internal error" not in result.stdout + result.stderr
    assert "all good" not in result.stdout


@pytest.mark.parametrize("command", [("list",), ("show", SCIENCE)], ids=["list", "show"])
def test_read_commands_name_each_file_and_show_the_rest(
    register: Path, command: tuple[str, ...]
) -> None:
    for spoil, _rel, _says in RECORDS:
        spoil(register)
    result = bounded(*command, register=register)
    assert result.code == 1, result.stderr
    for _spoil, rel, _says in RECORDS:
        assert f"{rel}:" in result.stderr
    shown = RECORD_IDS if command == ("list",) else {SCIENCE}
    assert all(record in result.stdout for record in shown), result.stdout


def test_show_does_not_read_a_source_that_is_a_fifo(register: Path) -> None:
    fifo(SOURCE)(register)
    result = bounded("show", SCIENCE, register=register)
    assert result.code == 0, result.stderr  # the record loads; only its quotes lack context
    assert SCIENCE in result.stdout


# --- writers ----------------------------------------------------------------------------------


def test_note_add_on_another_record_never_reads_a_device_or_fifo(register: Path) -> None:
    for spoil in (
        link("agreements/zero.yaml", "/dev/zero"),  # read until MemoryError before the fix
        link("agreements/random.yaml", "/dev/urandom"),
        fifo("agreements/x.yaml"),  # hung before the fix
        link_to_fifo_inside,
    ):
        spoil(register)
    result = bounded("note", "add", SCIENCE, "--date", "2025-06-01", "linked", register=register)
    assert result.code == 0, result.stderr
    assert "linked" in (register / f"agreements/{SCIENCE}.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("spoil", "record"),
    [
        pytest.param(link("agreements/zero.yaml", "/dev/zero"), "zero", id="record-to-dev-zero"),
        pytest.param(fifo("agreements/x.yaml"), "x", id="fifo-record"),
    ],
)
def test_note_add_on_the_link_itself_refuses_without_reading_it(
    register: Path, spoil: Callable[[Path], None], record: str
) -> None:
    spoil(register)
    result = bounded("note", "add", record, "--date", "2025-06-01", "x", register=register)
    assert result.code == 2, result.stderr
    assert f"agreements/{record}.yaml" in result.stderr
    assert "internal error" not in result.stderr


def test_note_add_refuses_a_registry_linked_to_a_device(register: Path) -> None:
    link(ORGS, "/dev/urandom")(register)
    result = bounded("note", "add", SCIENCE, "--date", "2025-06-01", "x", register=register)
    assert result.code == 2, result.stderr
    assert f"{ORGS}:" in result.stderr and "a character device" in result.stderr


# --- the reader itself ------------------------------------------------------------------------


def test_a_file_of_exactly_the_cap_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"x" * 1000)
    assert read_file(path, 1000) == b"x" * 1000
    path.write_bytes(b"x" * 1001)
    with pytest.raises(FileRefused, match="larger than"):
        read_file(path, 1000)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: p.symlink_to("/dev/zero"), id="link-to-device"),
        pytest.param(os.mkfifo, id="fifo"),
        pytest.param(lambda p: p.mkdir(), id="folder"),
    ],
)
def test_the_reader_refuses_what_is_not_a_regular_file(
    tmp_path: Path, make: Callable[[Path], object]
) -> None:
    path = tmp_path / "f.yaml"
    make(path)
    with pytest.raises(FileRefused, match="not a regular file"):
        read_file(path, 1000)


def test_the_reader_refuses_a_link_out_of_the_root_it_is_given(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    (tmp_path / "outside.yaml").write_bytes(b"id: x\n")
    (tmp_path / "root/in.yaml").symlink_to(tmp_path / "outside.yaml")
    (tmp_path / "root/target.yaml").write_bytes(b"id: y\n")
    (tmp_path / "root/inside.yaml").symlink_to("target.yaml")
    with pytest.raises(FileRefused, match="outside the register"):
        read_file(tmp_path / "root/in.yaml", 1000, root=tmp_path / "root")
    # A link inside the register is read (a curator may keep a record in a subfolder).
    assert read_file(tmp_path / "root/inside.yaml", 1000, root=tmp_path / "root") == b"id: y\n"


def test_a_source_over_its_cap_is_a_finding(register: Path, monkeypatch) -> None:
    # The cap is 64 MB: lowered here so the test writes no such file.
    size = (register / SOURCE).stat().st_size
    monkeypatch.setattr(files, "SOURCE_MAX", size - 1)
    result = invoke("--register", str(register), "validate")
    assert result.code == 1
    assert f"{SOURCE} is larger than" in result.stdout


@pytest.fixture
def swapped(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The look before the open saw a regular file; what is opened was swapped in after it.

    An alarm ends the test should the open block (a FIFO opened without O_NONBLOCK).
    """
    monkeypatch.setattr(files, "_what_is_read", lambda path, root: path)
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the open blocked"))
    signal.alarm(5)
    yield
    signal.alarm(0)


@pytest.mark.usefixtures("swapped")
def test_a_fifo_swapped_in_after_the_look_is_refused_unread(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f.yaml")
    with pytest.raises(FileRefused, match="is a FIFO"):
        read_file(tmp_path / "f.yaml", 1000)


@pytest.mark.usefixtures("swapped")
def test_a_link_swapped_in_after_the_look_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "secret").write_bytes(b"not for the register")
    (tmp_path / "f.yaml").symlink_to(tmp_path / "secret")
    with pytest.raises(OSError) as raised:
        read_file(tmp_path / "f.yaml", 1000)
    assert raised.value.errno == errno.ELOOP
