"""The index of the validated register: fresh when files change, never trusted when planted,
never holding the environment, never read by `validate`."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from agreement_tracker.store import index as index_module
from agreement_tracker.store.index import INDEX_DIR, Row, index_path
from agreement_tracker.store.location import Location
from conftest import edit, invoke, run

ENERGY = "agreements/vn-az-2025-energy-mou.yaml"
TITLE = "Memorandum of understanding on cooperation in the field of energy"


def listed(register: Path, *args: str) -> dict[str, dict]:
    result = invoke("--register", str(register), "list", "--format", "json", *args)
    assert result.code == 0, result.stderr
    return {a["id"]: a for a in result.json()}


def index_file(register: Path) -> Path:
    """Where the tool keeps this register's index: the tests' cache folder (conftest)."""
    path = index_path(Location(register.resolve(), "option"))
    assert path is not None
    return path


def rows(register: Path) -> dict[str, tuple]:
    with sqlite3.connect(index_file(register)) as db:
        return {r[0]: r[1:] for r in db.execute("SELECT rel, checked, payload, digest FROM files")}


def set_payload(register: Path, rel: str, change, *, fix_digest: bool) -> None:
    """Edit one row's stored record as an attacker (or a damaged disk) would."""
    with sqlite3.connect(index_file(register)) as db:
        size, mtime, ctime, ino, sha, checked, payload, record_id = db.execute(
            "SELECT size, mtime, ctime, ino, sha256, checked, payload, record_id FROM files "
            "WHERE rel = ?",
            (rel,),
        ).fetchone()
        data = json.loads(payload)
        change(data["entries"][0][1])
        payload = json.dumps(data, ensure_ascii=False)
        digest = Row((size, mtime, ctime, ino), sha, checked, payload, record_id).digest(rel)
        db.execute(
            "UPDATE files SET payload = ?, digest = ? WHERE rel = ?",
            (payload, digest if fix_digest else "00000000", rel),
        )


def retitle(data: dict) -> None:
    data["title"]["en"] = "PLANTED TITLE"


# --- freshness ---------------------------------------------------------------------------


def test_the_index_is_built_in_a_private_cache_folder_not_in_the_register(register: Path):
    listed(register)
    folder = index_file(register).parent
    assert index_file(register).is_file()
    assert folder.name == f"agreements-{os.geteuid()}"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert index_file(register).stat().st_mode & 0o077 == 0
    assert not (register / INDEX_DIR).exists()  # nothing a pull request could stand in for
    assert {rel for rel in rows(register) if rel.endswith(".yaml")} >= {ENERGY}


def test_two_names_of_one_register_share_one_index(register: Path, tmp_path: Path) -> None:
    """The index is named by the register's real path."""
    (tmp_path / "another-name").symlink_to(register)
    assert index_file(tmp_path / "another-name") == index_file(register)
    assert index_file(tmp_path) != index_file(register)


def test_an_edit_of_the_same_size_with_the_mtime_put_back_is_seen(register: Path) -> None:
    listed(register)
    path = register / ENERGY
    before = path.stat()
    edit(register, ENERGY, "field of energy", "field of ENERGY")  # same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert listed(register)["vn-az-2025-energy-mou"]["title"]["en"].endswith("ENERGY")


def test_added_deleted_and_renamed_records_are_seen(register: Path) -> None:
    assert len(listed(register)) == 8
    text = (register / ENERGY).read_text(encoding="utf-8")
    (register / "agreements/vn-az-2025-energy-copy.yaml").write_text(
        text.replace("id: vn-az-2025-energy-mou", "id: vn-az-2025-energy-copy"), encoding="utf-8"
    )
    assert "vn-az-2025-energy-copy" in listed(register)
    (register / "agreements/vn-az-2025-culture-mou.yaml").unlink()
    assert "vn-az-2025-culture-mou" not in listed(register)
    # A rename keeps the inode and the bytes: the file name is what changed.
    (register / ENERGY).rename(register / "agreements/vn-az-2025-energy-renamed.yaml")
    result = invoke("--register", str(register), "list", "--format", "json")
    assert result.code == 1
    assert "agreements/vn-az-2025-energy-renamed.yaml:2:5: error[id-mismatch]" in result.stderr
    assert ENERGY not in rows(register)  # the row of the file that is gone was dropped


def test_a_changed_registry_or_source_is_seen(register: Path) -> None:
    listed(register)
    edit(register, "agreements/registry/organisations.yaml", "Ministry of Energy of Azerbaijan",
         "Ministry of Energy of the Republic of Azerbaijan")  # fmt: skip
    names = [p["name"]["en"] for p in listed(register)["vn-az-2025-energy-mou"]["parties"]]
    assert "Ministry of Energy of the Republic of Azerbaijan" in names
    source = next((register / "seeds").glob("001_*.txt"))
    old_row = rows(register)[f"seeds/{source.name}"]
    source.write_bytes(source.read_bytes() + b"\n")
    invoke("--register", str(register), "show", "vn-az-2025-energy-mou")
    assert rows(register)[f"seeds/{source.name}"] != old_row
    # …and validate, which never reads the index, says the hash no longer matches.
    result = invoke("--register", str(register), "validate")
    assert result.code == 1 and "sha256" in result.stdout


def test_a_corrupt_index_is_rebuilt(register: Path) -> None:
    listed(register)
    index_file(register).write_bytes(b"this is not SQLite" * 100)
    assert len(listed(register)) == 8
    assert rows(register)  # a working index again


def test_an_index_from_another_version_or_register_is_rebuilt(register: Path) -> None:
    listed(register)
    set_payload(register, ENERGY, retitle, fix_digest=True)
    with sqlite3.connect(index_file(register)) as db:
        db.execute("UPDATE meta SET value = 'another version' WHERE name = 'code'")
    assert listed(register)["vn-az-2025-energy-mou"]["title"]["en"] == TITLE
    set_payload(register, ENERGY, retitle, fix_digest=True)
    with sqlite3.connect(index_file(register)) as db:
        db.execute("UPDATE meta SET value = '/elsewhere' WHERE name = 'root'")
    assert listed(register)["vn-az-2025-energy-mou"]["title"]["en"] == TITLE


def test_one_edited_record_rewrites_one_row(register: Path) -> None:
    listed(register)
    before = rows(register)
    edit(register, ENERGY, "field of energy", "field of power")
    listed(register)
    after = rows(register)
    assert {rel for rel in after if after[rel] != before.get(rel)} == {ENERGY}


# --- racy timestamps ---------------------------------------------------------------------


def coarse_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system with one-second timestamps and no ctime or inode changes to help."""

    def coarse(key: tuple[int, int, int, int] | None) -> tuple[int, int, int, int] | None:
        return None if key is None else (key[0], key[1] // 10**9 * 10**9, 0, 0)

    real_snapshot, real_stat_key = index_module.snapshot, index_module.stat_key
    monkeypatch.setattr(index_module, "snapshot", lambda root: {
        rel: coarse(key) for rel, key in real_snapshot(root).items()})  # fmt: skip
    monkeypatch.setattr(index_module, "stat_key", lambda path: coarse(real_stat_key(path)))


@pytest.mark.parametrize("racy_rule", [True, False], ids=["racy-rule", "without-it"])
def test_a_same_size_edit_within_the_same_second_is_seen(
    register: Path, monkeypatch: pytest.MonkeyPatch, racy_rule: bool
) -> None:
    coarse_clock(monkeypatch)
    if not racy_rule:  # the control: proves the test can tell the rule is there
        monkeypatch.setattr(index_module, "RACY_NS", 0)
    path = register / ENERGY
    edit(register, ENERGY, "field of energy", "field of ENERGY")  # just modified: racy
    assert listed(register)["vn-az-2025-energy-mou"]["title"]["en"].endswith("ENERGY")
    mtime = path.stat().st_mtime_ns
    edit(register, ENERGY, "field of ENERGY", "field of energy")
    os.utime(path, ns=(mtime, mtime))  # same size, same second: the same coarse stat
    title = listed(register)["vn-az-2025-energy-mou"]["title"]["en"]
    assert (title == TITLE) is racy_rule


def test_a_racy_row_is_hashed_until_its_file_is_old_enough(register: Path) -> None:
    edit(register, ENERGY, "field of energy", "field of Energy")  # modified just now
    listed(register)
    checked = rows(register)[ENERGY][0]
    assert checked - (register / ENERGY).stat().st_mtime_ns < index_module.RACY_NS
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in register.rglob("*.yaml"):
        os.utime(path, ns=(hour_ago, hour_ago))
    listed(register)  # the stat changed: parsed afresh, and no longer racy
    checked = rows(register)[ENERGY][0]
    assert checked - (register / ENERGY).stat().st_mtime_ns >= index_module.RACY_NS


# --- trust -------------------------------------------------------------------------------


def test_an_edited_row_is_not_trusted(register: Path) -> None:
    listed(register)
    set_payload(register, ENERGY, retitle, fix_digest=False)
    assert listed(register)["vn-az-2025-energy-mou"]["title"]["en"] == TITLE


def test_a_consistent_edit_by_the_owner_is_served(register: Path) -> None:
    """The control for the trust tests: whoever owns the index decides what it says
    (and could edit the records as well), so the tests above fail for the right reason."""
    listed(register)
    set_payload(register, ENERGY, retitle, fix_digest=True)
    assert listed(register)["vn-az-2025-energy-mou"]["title"]["en"] == "PLANTED TITLE"


@pytest.mark.parametrize(
    "plant",
    [
        pytest.param(lambda p: os.chown(p, 12345, 12345), id="another-owner"),
        pytest.param(lambda p: os.chmod(p, 0o666), id="writable-by-others"),
        pytest.param(lambda p: os.chmod(p, 0o620), id="writable-by-the-group"),
    ],
)
def test_a_planted_index_is_not_trusted(register: Path, plant) -> None:
    listed(register)
    set_payload(register, ENERGY, retitle, fix_digest=True)
    plant(index_file(register))
    assert listed(register)["vn-az-2025-energy-mou"]["title"]["en"] == TITLE
    st = index_file(register).stat()  # replaced by the user's own
    assert st.st_uid == os.geteuid() and not st.st_mode & 0o022


def test_an_index_folder_others_can_write_is_not_used(
    register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGREEMENTS_CACHE_DIR", str(tmp_path / "cache"))
    listed(register)
    set_payload(register, ENERGY, retitle, fix_digest=True)
    folder = index_file(register).parent
    assert listed(register)["vn-az-2025-energy-mou"]["title"]["en"] == "PLANTED TITLE"
    os.chmod(folder, 0o777)
    assert listed(register)["vn-az-2025-energy-mou"]["title"]["en"] == TITLE
    assert folder.stat().st_mode & 0o777 == 0o777  # not the tool's to close: left alone


def test_a_linked_index_is_not_followed(register: Path, tmp_path: Path) -> None:
    listed(register)
    set_payload(register, ENERGY, retitle, fix_digest=True)
    planted = tmp_path / "planted.sqlite"
    index_file(register).rename(planted)
    index_file(register).symlink_to(planted)
    assert listed(register)["vn-az-2025-energy-mou"]["title"]["en"] == TITLE
    assert not index_file(register).is_symlink()


def test_the_shipped_registers_index_is_in_a_private_folder_of_the_cache(tmp_path: Path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o755)
    result = run("list", cwd=tmp_path, env={"AGREEMENTS_CACHE_DIR": str(cache)})
    assert result.code == 0
    assert cache.stat().st_mode & 0o777 == 0o755  # the user's folder, as it was
    folder = cache / f"agreements-{os.geteuid()}"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert list(folder.glob("index-*.sqlite"))  # the shipped register's index


def test_validate_catches_a_broken_record_whatever_the_index_says(register: Path) -> None:
    listed(register)
    path = register / ENERGY
    good = rows(register)[ENERGY]
    edit(register, ENERGY, "date: 2025-05-07", "date: 2025-13-07")  # same size
    # Plant the good record's row under the broken file's stat, with a valid digest.
    st = path.stat()
    key = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()  # the broken file's, for the racy check
    with sqlite3.connect(index_file(register)) as db:
        row = Row(key, sha, time.time_ns(), good[1], "vn-az-2025-energy-mou")
        db.execute(
            "UPDATE files SET size=?, mtime=?, ctime=?, ino=?, sha256=?, checked=?, payload=?, "
            "digest=? WHERE rel = ?",
            (*key, sha, row.checked_ns, row.payload, row.digest(ENERGY), ENERGY),
        )
    assert listed(register)["vn-az-2025-energy-mou"]["date"] == "2025-05-07"  # as planted
    result = invoke("--register", str(register), "validate")
    assert result.code == 1
    assert f"{ENERGY}:21:7: error[invalid-value]: date:" in result.stdout


# --- the environment and the old caches -------------------------------------------------------


@pytest.mark.slow
def test_no_value_of_the_environment_is_written_anywhere(tmp_path: Path) -> None:
    secret = f"secret-{uuid.uuid4().hex}"
    home, cache = tmp_path / "home", tmp_path / "xdg-cache"
    home.mkdir()
    env = {"MY_TOKEN": secret, "HOME": str(home), "XDG_CACHE_HOME": str(cache),
           "AGREEMENTS_CACHE_DIR": ""}  # fmt: skip
    mine = tmp_path / "mine"
    assert run("init", str(mine), "--from-shipped", env=env).code == 0
    for args in (
        ["list"],
        ["list", "--format", "json"],
        ["show", "vn-az-2025-energy-mou"],
        ["orgs"],
        ["sectors"],
        ["timeline"],
        ["report"],
        ["validate"],
        ["note", "add", "vn-az-2025-energy-mou", "A note", "--author", "Lan"],
    ):
        assert run(*args, cwd=mine, env=env).code == 0, args
        assert run(*args[:1], "--help", cwd=mine, env=env).code == 0
    run("list", cwd=tmp_path, env=env)  # the shipped register: its index is in the cache
    assert list(cache.rglob("index-*.sqlite"))
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_the_old_output_cache_is_deleted_on_the_first_run(tmp_path: Path) -> None:
    cache = tmp_path / "xdg" / "agreements"  # the tool's own folder
    (cache / "output").mkdir(parents=True)
    (cache / "output" / "0123456789abcdef.txt").write_text("MY_TOKEN=secret\n")
    (cache / "0123456789abcdef01234567.records.json").write_text("{}")
    (cache / "0123456789abcdef01234567.registries.json").write_text("{}")
    (cache / "index-0123456789abcdef.sqlite").write_text("the first index's, for a shipped one")
    env = {"AGREEMENTS_CACHE_DIR": "", "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    assert run("--help", env=env).code == 0
    assert (cache / "output").exists()  # --help uses no cache: nothing is cleaned yet
    assert run("list", env=env).code == 0  # the first run that makes the tool's folder
    assert sorted(p.name for p in cache.iterdir()) == [f"agreements-{os.geteuid()}"]


def test_only_the_old_caches_files_are_deleted(tmp_path: Path) -> None:
    """Even the tool's own folder may hold files of the user's own."""
    cache = tmp_path / "xdg" / "agreements"
    (cache / "output").mkdir(parents=True)
    (cache / "output" / "report.txt").write_text("the user's own")
    (cache / "output" / "0123456789abcdef.txt").write_text("MY_TOKEN=secret\n")
    (cache / "notes.records.json").write_text("{}")
    env = {"AGREEMENTS_CACHE_DIR": "", "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    assert run("list", env=env).code == 0
    assert sorted(p.name for p in (cache / "output").iterdir()) == ["report.txt"]
    assert (cache / "notes.records.json").exists()


# --- what a command imports ---------------------------------------------------------------


def imported_by(args: list[str], register: Path) -> set[str]:
    code = (
        "import sys\n"
        "from agreement_tracker.cli import cli\n"
        f"try:\n    cli.main({args!r}, prog_name='agreements')\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = ('pydantic', 'yaml', 'rich', 'click', 'sqlite3')\n"
        "print(' '.join(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
        env={**os.environ, "AGREEMENTS_REGISTER": str(register)},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return set(proc.stderr.split())


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["--help"], {"click"}, id="help"),
        pytest.param(["list", "--format", "json"], {"click", "sqlite3"}, id="list-json"),
        pytest.param(["list", "--format", "csv"], {"click", "sqlite3"}, id="list-csv"),
        pytest.param(["list"], {"click", "sqlite3"}, id="list-table-piped"),
        pytest.param(
            ["show", "vn-az-2025-energy-mou", "--format", "json"],
            {"click", "sqlite3"},
            id="show-json",
        ),
        pytest.param(["report", "--format", "markdown"], {"click", "sqlite3"}, id="report"),
    ],
)
def test_a_read_command_on_a_fresh_index_imports_neither_yaml_nor_pydantic(
    register: Path, args: list[str], expected: set[str]
) -> None:
    listed(register)  # the index is fresh
    assert imported_by(args, register) == expected


def test_validate_reads_the_files_not_the_index(register: Path) -> None:
    listed(register)
    assert {"yaml", "pydantic"} <= imported_by(["validate"], register)


def test_an_index_of_an_older_layout_is_made_anew(register: Path) -> None:
    index_file(register).parent.mkdir(mode=0o700, exist_ok=True)
    with sqlite3.connect(index_file(register)) as db:  # the first release's tables
        db.executescript(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE files (rel TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, "
            "ctime INTEGER, ino INTEGER, sha256 TEXT, checked INTEGER, payload TEXT, digest TEXT);"
            "INSERT INTO meta VALUES ('format', '1');"
        )
    index_file(register).chmod(0o600)
    assert len(listed(register)) == 8
    assert rows(register)  # rows written in the new layout


def test_help_imports_none_of_the_register_layers() -> None:
    """`--help` is the cold start people meet first: only the command line is imported."""
    code = (
        "import sys\nfrom agreement_tracker.cli import cli\n"
        "try:\n    cli.main(['--help'], prog_name='agreements')\nexcept SystemExit:\n    pass\n"
        "mods = ('model', 'loader', 'query', 'text', 'store.files')\n"
        "print(' '.join(m for m in mods if 'agreement_tracker.' + m in sys.modules),"
        " file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert proc.stderr.split() == []
