"""No index that a pull request can plant, and a cache folder the tool never takes over
(issue 21, items 2 and 7).

A pull request can force-add `.agreements/index.sqlite`; git checks it out as the user's own
file. SQLite would run that file's triggers and views. So the index lives only in a private
folder the tool makes in the user's cache, keyed by the register's real path, and a file there
is used only when its schema is exactly the tool's own. Each case plants a hostile index where
the tool reads (or used to read) it, runs the command, and compares every output with the output
of a run with no index at all. The commands run in-process (CliRunner) under a watchdog: an
index whose view never ends (it yields no row, so it holds no memory either) would end the
test's process with a traceback after 20 s, a failed test instead of a stuck suite.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from agreement_tracker.store.index import INDEX_DIR, INDEX_FILE, Row, index_path
from agreement_tracker.store.location import Location
from conftest import REPO, UNSET, installed_command, invoke

ENERGY = "agreements/vn-az-2025-energy-mou.yaml"
ENERGY_ID = "vn-az-2025-energy-mou"
PLANTED = "PLANTED TITLE"
COMMANDS = [("list",), ("show", ENERGY_ID), ("report",)]
OTHER_UID = 12345


def agreements(*args: str, cache: Path) -> tuple[int, str, str]:
    """The command, in-process, under conftest's watchdog: a hang (SQLite running a view that
    never ends) ends the test's process after 20 s with every stack, a failed test."""
    # The module's fixtures run before each test's environment is set (conftest.py).
    env = {**dict.fromkeys(UNSET), "AGREEMENTS_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    result = invoke(*args, env=env, timeout=20)
    return (result.code, result.stdout, result.stderr)


def outputs(register: Path, cache: Path) -> dict[tuple[str, ...], tuple[int, str, str]]:
    return {args: agreements("--register", str(register), *args, cache=cache) for args in COMMANDS}


def without_index(register: Path, tmp_path: Path) -> dict[tuple[str, ...], tuple[int, str, str]]:
    """What each command prints when it finds no index: every file parsed."""
    found = {}
    for n, args in enumerate(COMMANDS):
        shutil.rmtree(register / INDEX_DIR, ignore_errors=True)
        cache = tmp_path / f"empty-cache-{n}"
        found[args] = agreements("--register", str(register), *args, cache=cache)
        shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(register / INDEX_DIR, ignore_errors=True)
    return found


@pytest.fixture(scope="module")
def plain_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What each command prints, with no index, for the shipped register's records: the same
    for every copy (the output names no folder), so worked out once, not once a case."""
    folder = tmp_path_factory.mktemp("plain")
    register = folder / "register"
    shutil.copytree(REPO / "agreements", register / "agreements")
    shutil.copytree(REPO / "seeds", register / "seeds")
    return without_index(register, folder)


def expected_outputs(spoil, register: Path, tmp_path: Path, plain: dict) -> dict:
    """The plain outputs, or this register's own when the case edits a record."""
    edits = spoil in (hidden_break, hidden_break_with_trigger)
    return without_index(register, tmp_path) if edits else plain


def where_read(register: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The path the tool reads this register's index from, with this cache folder."""
    monkeypatch.setenv("AGREEMENTS_CACHE_DIR", str(cache))
    path = index_path(Location(register.resolve(), "option"))
    assert path is not None
    return path


def built_index(register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the index the tool itself builds for this register (a template to spoil)."""
    cache = tmp_path / "template-cache"
    assert agreements("--register", str(register), "list", cache=cache)[0] == 0
    template = tmp_path / "template.sqlite"
    shutil.copyfile(where_read(register, cache, monkeypatch), template)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(register / INDEX_DIR, ignore_errors=True)
    return template


def forge(db: sqlite3.Connection, rel: str, change: Callable[[dict], None]) -> None:
    """Rewrite one row's record and give it a correct CRC-32, as an attacker would."""
    size, mtime, ctime, ino, sha, checked, payload, record_id = db.execute(
        "SELECT size, mtime, ctime, ino, sha256, checked, payload, record_id FROM files "
        "WHERE rel = ?",
        (rel,),
    ).fetchone()
    data = json.loads(payload)
    change(data["entries"][0][1])
    payload = json.dumps(data, ensure_ascii=False)
    digest = Row((size, mtime, ctime, ino), sha, checked, payload, record_id).digest(rel)
    db.execute("UPDATE files SET payload = ?, digest = ? WHERE rel = ?", (payload, digest, rel))


def retitle(record: dict) -> None:
    record["title"]["en"] = PLANTED


# --- the hostile indexes ------------------------------------------------------------------------


def forged_rows(db: sqlite3.Connection, register: Path) -> None:
    forge(db, ENERGY, retitle)


def trigger(db: sqlite3.Connection, register: Path) -> None:
    """The row is broken, so the tool rebuilds it; a trigger then puts the forged one back."""
    forge(db, ENERGY, retitle)
    db.execute("CREATE TABLE forged AS SELECT * FROM files")
    db.execute("UPDATE files SET digest = '00000000' WHERE rel = ?", (ENERGY,))
    columns = "size, mtime, ctime, ino, sha256, checked, payload, record_id, digest"
    for event in ("INSERT", "UPDATE"):
        db.execute(
            f"CREATE TRIGGER keep_{event.lower()} AFTER {event} ON files "
            f"WHEN NEW.rel IN (SELECT rel FROM forged) BEGIN "
            f"UPDATE files SET ({columns}) = (SELECT {columns} FROM forged f "
            f"WHERE f.rel = NEW.rel) WHERE rel = NEW.rel; END"
        )


def view(db: sqlite3.Connection, register: Path) -> None:
    forge(db, ENERGY, retitle)
    db.execute("ALTER TABLE files RENAME TO real_files")
    db.execute("CREATE VIEW files AS SELECT * FROM real_files")


def recursive_view(table: str) -> Callable[[sqlite3.Connection, Path], None]:
    """A view that never ends (and never grows: it yields no row)."""

    def plant(db: sqlite3.Connection, register: Path) -> None:
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        db.execute(f"DROP TABLE {table}")
        picked = ", ".join(f"i AS {c}" for c in columns)
        db.execute(
            f"CREATE VIEW {table} AS WITH RECURSIVE n(i) AS "
            f"(SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT {picked} FROM n WHERE i = 0"
        )

    return plant


def extra_table(db: sqlite3.Connection, register: Path) -> None:
    forge(db, ENERGY, retitle)
    db.execute("CREATE TABLE notes (x TEXT)")


def extra_index(db: sqlite3.Connection, register: Path) -> None:
    forge(db, ENERGY, retitle)
    db.execute("CREATE INDEX by_payload ON files (payload)")


def altered_table(db: sqlite3.Connection, register: Path) -> None:
    """The expected names, another definition."""
    forge(db, ENERGY, retitle)
    db.execute("ALTER TABLE files ADD COLUMN extra TEXT")


def hidden_break(db: sqlite3.Connection, register: Path) -> None:
    """The good record's row under the broken file's stat: a broken record passes as good."""
    path = register / ENERGY
    text = path.read_text(encoding="utf-8")
    assert "date: 2025-05-07" in text
    path.write_text(text.replace("date: 2025-05-07", "date: 2025-13-07"), encoding="utf-8")
    st = path.stat()
    key = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    payload = db.execute("SELECT payload FROM files WHERE rel = ?", (ENERGY,)).fetchone()[0]
    row = Row(key, sha, time.time_ns(), payload, ENERGY_ID)
    db.execute(
        "UPDATE files SET size=?, mtime=?, ctime=?, ino=?, sha256=?, checked=?, payload=?, "
        "record_id=?, digest=? WHERE rel = ?",
        (*key, sha, row.checked_ns, payload, ENERGY_ID, row.digest(ENERGY), ENERGY),
    )


def hidden_break_with_trigger(db: sqlite3.Connection, register: Path) -> None:
    hidden_break(db, register)
    db.execute(
        "CREATE TRIGGER noop AFTER INSERT ON files BEGIN SELECT 1; END"
    )  # any trigger at all: the schema is not the tool's


def plant_file(template: Path, register: Path, spoil, target: Path) -> None:
    spoiled = template.with_name("spoiled.sqlite")
    shutil.copyfile(template, spoiled)
    with sqlite3.connect(spoiled) as db:
        spoil(db, register)
    db.close()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.replace(spoiled, target)
    os.chmod(target, 0o600)  # as git checks a file out: the user's own, private enough


HOSTILE = [
    pytest.param(trigger, id="trigger"),
    pytest.param(view, id="view"),
    pytest.param(recursive_view("meta"), id="recursive-view-meta"),
    pytest.param(recursive_view("files"), id="recursive-view-files"),
    pytest.param(extra_table, id="extra-table"),
    pytest.param(extra_index, id="extra-index"),
    pytest.param(altered_table, id="altered-table"),
    pytest.param(hidden_break_with_trigger, id="hidden-broken-record"),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    "spoil",
    [
        *HOSTILE,
        pytest.param(forged_rows, id="forged-rows"),
        pytest.param(hidden_break, id="hidden-broken-record-plain"),
    ],
)
def test_an_index_in_the_register_is_never_read(
    aged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoil, plain_outputs
) -> None:
    """`.agreements/index.sqlite` as a pull request can carry it: never read, never deleted."""
    register = aged
    template = built_index(register, tmp_path, monkeypatch)
    held = tmp_path / "held" / INDEX_FILE
    plant_file(template, register, spoil, held)  # may break the record, as the case needs
    expected = expected_outputs(spoil, register, tmp_path, plain_outputs)
    planted = register / INDEX_DIR / INDEX_FILE
    planted.parent.mkdir(mode=0o700)
    shutil.copy2(held, planted)
    before = planted.read_bytes()
    cache = tmp_path / "cache"
    for _run in range(2):  # the second run reads what the first one wrote
        assert outputs(register, cache) == expected
    assert planted.read_bytes() == before  # the user's file (or the attacker's) is left alone


@pytest.mark.slow
@pytest.mark.parametrize("spoil", HOSTILE)
def test_an_index_whose_schema_is_not_the_tools_own_is_rebuilt(
    aged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoil, plain_outputs
) -> None:
    """The very file the tool reads, holding anything but the tool's own tables: not used."""
    register = aged
    template = built_index(register, tmp_path, monkeypatch)
    held = tmp_path / "held" / INDEX_FILE
    plant_file(template, register, spoil, held)
    expected = expected_outputs(spoil, register, tmp_path, plain_outputs)
    cache = tmp_path / "cache"
    target = where_read(register, cache, monkeypatch)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.copy2(held, target)
    for _run in range(2):
        assert outputs(register, cache) == expected
    with sqlite3.connect(where_read(register, cache, monkeypatch)) as db:
        kinds = {(t, n) for t, n in db.execute("SELECT type, name FROM sqlite_master")}
    db.close()
    assert {t for t, _n in kinds} <= {"table", "index"}
    assert {n for t, n in kinds if t == "table"} == {"meta", "files"}


def test_a_consistent_edit_where_the_tool_reads_is_served(
    aged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: the tests above fail for the schema, not for the rows. The owner of the
    private folder decides what it says (and could edit the records as well)."""
    register = aged
    template = built_index(register, tmp_path, monkeypatch)
    cache = tmp_path / "cache"
    plant_file(template, register, forged_rows, where_read(register, cache, monkeypatch))
    code, out, _err = agreements("--register", str(register), "show", ENERGY_ID, cache=cache)
    assert code == 0 and PLANTED in out


@pytest.mark.slow
@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda p: os.chown(p, OTHER_UID, OTHER_UID), id="another-owner"),
        pytest.param(lambda p: os.chmod(p, 0o660), id="group-writable"),
        pytest.param(lambda p: os.link(p, p.with_name("second-link")), id="hard-linked"),
    ],
)
def test_an_index_file_the_tool_did_not_make_is_not_read(
    aged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoil, plain_outputs
) -> None:
    register = aged
    template = built_index(register, tmp_path, monkeypatch)
    expected = plain_outputs  # forged rows only: the records are the shipped ones
    cache = tmp_path / "cache"
    target = where_read(register, cache, monkeypatch)
    plant_file(template, register, forged_rows, target)
    spoil(target)
    assert outputs(register, cache) == expected


# --- the cache folder (item 7) ------------------------------------------------------------------


def private_folder(cache: Path) -> Path:
    return cache / f"agreements-{os.geteuid()}"


def tree(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every entry under folder with its mode and bytes."""
    found: dict[str, tuple[int, bytes | None]] = {".": (os.lstat(folder).st_mode, None)}
    for path in sorted(folder.rglob("*")):
        st = os.lstat(path)
        found[str(path.relative_to(folder))] = (
            st.st_mode,
            path.read_bytes() if stat.S_ISREG(st.st_mode) else None,
        )
    return found


def old_cache_lookalikes(folder: Path) -> None:
    """Files named as the caches of versions before the index named theirs."""
    (folder / "output").mkdir()
    (folder / "output" / "0123456789abcdef.txt").write_text("the user's own")
    (folder / "0123456789abcdef01234567.records.json").write_text("{}")
    (folder / "0123456789abcdef01234567.registries.json").write_text("{}")
    (folder / "x.records.json").write_text("{}")


@pytest.mark.parametrize("mode", [0o1777, 0o777, 0o755], ids=["sticky-shared", "open", "plain"])
def test_a_cache_folder_the_user_named_is_never_changed(
    register: Path, tmp_path: Path, mode: int
) -> None:
    """$AGREEMENTS_CACHE_DIR=/tmp as root: neither closed to everyone nor cleaned."""
    shared = tmp_path / "shared"
    shared.mkdir()
    old_cache_lookalikes(shared)
    os.chmod(shared, mode)
    before = tree(shared)
    code, out, err = agreements("--register", str(register), "list", cache=shared)
    assert (code, err) == (0, "") and ENERGY_ID in out
    after = tree(shared)
    mine = {rel for rel in after if rel.split("/")[0] == private_folder(shared).name}
    assert {rel: v for rel, v in after.items() if rel not in mine} == before
    if mode & 0o022 and not mode & stat.S_ISVTX:
        # Others could swap a folder in there: no index is kept (slower, never wrong).
        assert not list(shared.rglob("index-*.sqlite"))
        return
    folder = private_folder(shared)
    assert stat.S_IMODE(os.lstat(folder).st_mode) == 0o700
    assert len(list(folder.glob("index-*.sqlite"))) == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda f, elsewhere: f.symlink_to(elsewhere), id="a-link"),
        pytest.param(
            lambda f, elsewhere: (f.mkdir(mode=0o700), os.chown(f, OTHER_UID, OTHER_UID)),
            id="another-owner",
        ),
        pytest.param(lambda f, elsewhere: (f.mkdir(), os.chmod(f, 0o777)), id="open"),
        pytest.param(lambda f, elsewhere: (f.mkdir(), os.chmod(f, 0o770)), id="group-writable"),
        pytest.param(lambda f, elsewhere: f.write_text("a file"), id="a-file"),
    ],
)
def test_a_private_folder_someone_else_made_is_not_used(
    aged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoil, plain_outputs
) -> None:
    register = aged
    template = built_index(register, tmp_path, monkeypatch)
    expected = plain_outputs  # forged rows only: the records are the shipped ones
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    name = where_read(register, tmp_path / "probe", monkeypatch).name
    folder = private_folder(cache)
    spoil(folder, elsewhere)
    places = [elsewhere / name, *([folder / name] if folder.is_dir() else [])]
    for place in places:
        plant_file(template, register, forged_rows, place)
    before = tree(cache), tree(elsewhere)
    assert outputs(register, cache) == expected
    assert (tree(cache), tree(elsewhere)) == before  # not taken over, not changed


def test_old_caches_are_cleaned_only_in_the_tools_own_folder(tmp_path: Path) -> None:
    """$XDG_CACHE_HOME/agreements is the tool's: what older versions left there goes."""
    xdg = tmp_path / "xdg"
    own = xdg / "agreements"
    own.mkdir(parents=True, mode=0o700)
    old_cache_lookalikes(own)
    (own / "0123456789abcdef.sqlite").write_text("the user's own")
    code = subprocess.run(
        [installed_command(), "list"], capture_output=True, timeout=20,
        env={**os.environ, "AGREEMENTS_CACHE_DIR": "", "XDG_CACHE_HOME": str(xdg)},
    ).returncode  # fmt: skip
    assert code == 0
    assert sorted(p.name for p in own.iterdir()) == [
        "0123456789abcdef.sqlite",
        f"agreements-{os.geteuid()}",
        "x.records.json",
    ]
