"""`agreements note add`: every write guarantee, shown on real files.

The command runs in-process (CliRunner) but where the process is the point: a file-size
limit, concurrent and killed writers, the shipped register found from the installed tool."""

from __future__ import annotations

import difflib
import os
import random
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreement_tracker.store.write import LOCK_FILE, WriteRefused, locked
from conftest import REPO, Result, installed_command, invoke, run, tree_digest

CRUDE = "vn-az-2025-binh-son-crude-mou"
CRUDE_FILE = f"agreements/{CRUDE}.yaml"


def notes_of(root: Path, record: str = CRUDE) -> list[dict]:
    data = yaml.safe_load((root / f"agreements/{record}.yaml").read_text(encoding="utf-8"))
    return data.get("follow_up") or []


def only_lines_added(before: bytes, after: bytes) -> bool:
    """True when `after` is `before` with whole lines inserted and nothing else changed."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    opcodes = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    return all(tag in {"equal", "insert"} for tag, *_ in opcodes)


def add(root: Path, *args: str, **kwargs) -> Result:
    return invoke("--register", str(root), "note", "add", *args, **kwargs)


# --- the file change -------------------------------------------------------------------


def test_a_note_adds_lines_only_and_keeps_every_comment(register: Path) -> None:
    before = (register / CRUDE_FILE).read_bytes()
    assert b"# The supply arrangement is" in before  # a curator's comment inside parties

    result = add(
        register,
        CRUDE,
        "First cargo of Azeri crude reached Dung Quat",
        "--date",
        "2025-09-01",
        "--status",
        "in-progress",
        "--author",
        "Lan",
    )

    assert result.code == 0, result.stderr
    after = (register / CRUDE_FILE).read_bytes()
    assert only_lines_added(before, after)
    assert after.startswith(before)  # the shipped records end where notes begin
    assert after[len(before) :].decode() == (
        "follow_up:\n"
        "  - date: 2025-09-01\n"
        "    status: in-progress\n"
        "    author: Lan\n"
        "    text: First cargo of Azeri crude reached Dung Quat\n"
    )
    assert f"{CRUDE_FILE}:53" in result.stdout
    assert "signed → in-progress" in result.stdout


def test_a_second_note_goes_after_the_first_and_validate_passes(register: Path) -> None:
    add(register, CRUDE, "one\ntwo lines", "--date", "2025-09-01", "--author", "A")
    before = (register / CRUDE_FILE).read_bytes()
    result = add(register, CRUDE, "three", "--date", "2025-10-01", "--author", "B")
    assert result.code == 0, result.stderr
    after = (register / CRUDE_FILE).read_bytes()
    assert only_lines_added(before, after)
    assert [n["text"] for n in notes_of(register)] == ["one\ntwo lines", "three"]
    assert invoke("--register", str(register), "validate").code == 0


def test_crlf_and_bom_survive_a_note(register: Path) -> None:
    path = register / CRUDE_FILE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    result = add(register, CRUDE, "line one\nline two", "--date", "2025-09-01", "--author", "A")
    assert result.code == 0, result.stderr
    after = path.read_bytes()
    assert after.startswith(before)
    assert b"\n" not in after.replace(b"\r\n", b"")  # every line still ends in CRLF
    assert notes_of(register)[0]["text"] == "line one\nline two"


@pytest.mark.parametrize(
    "written",
    [
        pytest.param("follow_up: []\n", id="empty-flow-list"),
        pytest.param("follow_up:\n", id="bare-key"),
        pytest.param("follow_up: [{date: 2025-06-01, text: earlier}]\n", id="flow-list"),
        pytest.param(
            "follow_up:\n- date: 2025-06-01\n  text: |\n    earlier\n\n# trailing comment\n",
            id="indentless-list-with-literal-and-comment",
        ),
        pytest.param(
            "MIDDLE:follow_up:\n  - date: 2025-06-01\n    text: earlier  # a comment\n",
            id="list-in-the-middle-of-the-file",
        ),
    ],
)
def test_notes_are_added_to_lists_written_in_any_style(register: Path, written: str) -> None:
    path = register / CRUDE_FILE
    text = path.read_text(encoding="utf-8")
    if written.startswith("MIDDLE:"):
        text = text.replace("evidence:\n", written.removeprefix("MIDDLE:") + "evidence:\n", 1)
    else:
        text += written
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    earlier = [n["text"].strip() for n in notes_of(register)]
    result = add(register, CRUDE, "later", "--date", "2025-09-01", "--author", "A")
    assert result.code == 0, result.stderr
    assert [n["text"].strip() for n in notes_of(register)] == [*earlier, "later"]
    for comment in re.findall(r"#[^\n]*", written):
        assert comment in path.read_text(encoding="utf-8")
    if "[" not in written and ": []" not in written and written != "follow_up:\n":
        assert only_lines_added(before, path.read_bytes())
    assert invoke("--register", str(register), "validate").code == 0


# --- text survives exactly -----------------------------------------------------------------

AWKWARD_TEXTS = [
    pytest.param('She said: "yes" — and left', id="quotes-and-colon"),
    pytest.param("# not a comment", id="hash"),
    pytest.param("- not a list item", id="leading-dash"),
    pytest.param("yes", id="yes"),
    pytest.param("no", id="no"),
    pytest.param("null", id="null"),
    pytest.param("2025-13-01", id="impossible-date"),
    pytest.param("0x1F", id="hex-number"),
    pytest.param("line one\n\n  indented\nlast  ", id="many-lines"),
    pytest.param("  leading spaces\nand more", id="leading-spaces-block"),
    pytest.param("tàu chở dầu 🛢️ đã tới", id="emoji-and-vietnamese"),
    pytest.param("Bo\u0302\u0323 Co\u0302ng Thu\u031bo\u031bng", id="vietnamese-nfd"),
    pytest.param("[bold]not bold[/] [/]", id="rich-markup"),
    pytest.param("\x1b[31mred\x1b[0m \u202eevil", id="ansi-and-bidi"),
    pytest.param("a\rb\u2028c\x85d", id="other-line-breaks"),
    pytest.param("tab\there\x00nul", id="tab-and-nul"),
    pytest.param("!!python/object/apply:os.system ['echo hi']", id="yaml-tag-text"),
    pytest.param("*alias &anchor {a: b} [c]", id="yaml-indicators"),
]


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_awkward_text_is_stored_and_shown_exactly(register: Path, text: str) -> None:
    assert add_and_show(register, text) == text
    assert notes_of(register)[-1]["text"] == text  # a plain YAML reader agrees


def add_and_show(root: Path, text: str) -> str:
    """Add `text` as a note in-process, and return the last note's text as `show` gives it."""
    added = invoke(
        "--register", str(root), "note", "add", CRUDE, "--date", "2025-09-01", "--author", "A",
        "--", text,
    )  # fmt: skip
    assert added.code == 0, added.stderr
    shown = invoke("--register", str(root), "show", CRUDE, "--format", "json").json()
    return shown["follow_up"][-1]["text"]  # type: ignore[index]


# Text a terminal argument can carry: no NUL, no lone surrogates; `-` alone means stdin.
note_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=200,
).filter(lambda t: t.strip() and t != "-")


# One register for all examples, the record put back before each: no copy of the register
# and no index built from nothing per example. As many texts as the profile says (conftest.py).
@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=note_texts)
def test_any_note_text_round_trips_through_add_and_show(text: str, register: Path) -> None:
    (register / CRUDE_FILE).write_bytes((REPO / CRUDE_FILE).read_bytes())
    assert add_and_show(register, text) == text
    assert len(notes_of(register)) == 1  # this example's note alone


def test_markup_and_escape_codes_in_a_note_are_shown_literally(register: Path) -> None:
    text = "[bold red]loud[/] \x1b[2J\x1b[31mred\x1b[0m \u202eevil"
    invoke("--register", str(register), "note", "add", CRUDE, "--date", "2025-09-01", text)
    shown = run("--register", str(register), "show", CRUDE)
    assert "[bold red]loud[/]" in shown.stdout
    assert "\\x1b[2J\\x1b[31mred\\x1b[0m \\u202eevil" in shown.stdout
    assert "\x1b" not in shown.stdout and "\u202e" not in shown.stdout
    timeline = run("--register", str(register), "timeline")
    assert "[bold red]loud[/]" in timeline.stdout and "\x1b" not in timeline.stdout


# --- where the text comes from -----------------------------------------------------------


def test_text_from_standard_input(register: Path) -> None:
    text = "From an e-mail:\n> quoted line\n- a dash\n"
    result = add(register, CRUDE, "-", "--date", "2025-09-01", "--author", "A", input=text)
    assert result.code == 0, result.stderr
    assert notes_of(register)[0]["text"] == text.rstrip("\n")


def test_text_from_the_editor(register: Path, tmp_path: Path) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\nopen(sys.argv[1], 'w', encoding='utf-8').write('Written in the editor\\n')\n"
    )
    result = add(
        register,
        CRUDE,
        "--date",
        "2025-09-01",
        "--author",
        "A",
        env={"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""},
    )
    assert result.code == 0, result.stderr
    assert notes_of(register)[0]["text"] == "Written in the editor"


def test_an_editor_closed_without_saving_adds_nothing(register: Path) -> None:
    before = tree_digest(register)
    result = add(register, CRUDE, "--author", "A", env={"EDITOR": "true", "VISUAL": ""})
    assert result.code == 2
    assert "without saving" in result.stderr
    assert tree_digest(register) == before


def test_author_defaults_to_the_git_user_name(register: Path) -> None:
    subprocess.run(["git", "init", "-q", str(register)], check=True)
    subprocess.run(["git", "-C", str(register), "config", "user.name", "Trần Thị B"], check=True)
    assert add(register, CRUDE, "x", "--date", "2025-09-01").code == 0
    assert notes_of(register)[0]["author"] == "Trần Thị B"


# --- what is refused -------------------------------------------------------------------------


def test_an_illegal_status_move_is_refused_and_force_allows_it(register: Path) -> None:
    assert add(register, CRUDE, "done", "--date", "2025-09-01", "--status", "implemented").code == 0
    before = tree_digest(register)

    refused = add(register, CRUDE, "back", "--date", "2025-10-01", "--status", "signed")

    assert refused.code == 1
    assert "does not allow implemented → signed" in refused.stderr
    assert "implemented may move to superseded" in refused.stderr and "--force" in refused.stderr
    assert tree_digest(register) == before
    forced = add(register, CRUDE, "back", "--date", "2025-10-01", "--status", "signed", "--force")
    assert forced.code == 0, forced.stderr
    assert notes_of(register)[-1]["status"] == "signed"


def test_a_status_can_be_named_in_either_language(register: Path) -> None:
    result = add(register, CRUDE, "x", "--date", "2025-09-01", "--status", "Đang triển khai")
    assert result.code == 0, result.stderr
    assert notes_of(register)[0]["status"] == "in-progress"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--status", "finished"], "unknown status 'finished'", id="unknown-status"),
        pytest.param(["--date", "2024-12-31"], "before the signing", id="before-signing"),
        pytest.param(["--date", "2999-01-01"], "in the future", id="future"),
        pytest.param(["--date", "2025-02-30"], "is not a date", id="impossible-date"),
        pytest.param(["--source", "ttxvn-le-trao"], "did you mean", id="unknown-source"),
        pytest.param(["--source", "see the paper"], "neither a URL", id="bad-source"),
    ],
)
def test_bad_note_arguments_are_refused(register: Path, args: list[str], message: str) -> None:
    before = tree_digest(register)
    result = add(register, CRUDE, "text", *args)
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(register) == before


def test_an_empty_text_is_refused(register: Path) -> None:
    before = tree_digest(register)
    result = add(register, CRUDE, "  \n ")
    assert (result.code, "empty" in result.stderr) == (2, True)
    assert tree_digest(register) == before


def test_a_read_only_record_is_left_untouched(register: Path) -> None:
    path = register / CRUDE_FILE
    path.chmod(0o444)
    before = tree_digest(register)
    result = add(register, CRUDE, "x", "--date", "2025-09-01")
    assert result.code == 2
    assert f"{CRUDE_FILE} is read-only" in result.stderr and "chmod u+w" in result.stderr
    assert tree_digest(register) == before


def test_a_read_only_folder_is_left_untouched(register: Path) -> None:
    (register / "agreements").chmod(0o555)
    try:
        before = tree_digest(register)
        result = add(register, CRUDE, "x", "--date", "2025-09-01")
        assert result.code == 2
        assert "agreements is read-only" in result.stderr
        assert tree_digest(register) == before
    finally:
        (register / "agreements").chmod(0o755)


def test_the_shipped_register_is_read_only(tmp_path: Path) -> None:
    # From a folder with no register above it, commands use the shipped one.
    result = run("note", "add", CRUDE, "x", "--date", "2025-09-01", cwd=tmp_path)
    assert result.code == 2
    assert "shipped with the tool is read-only" in result.stderr
    assert "agreements init DIR --from-shipped" in result.stderr
    assert b"follow_up" not in (REPO / CRUDE_FILE).read_bytes()


def test_init_from_shipped_gives_a_register_that_takes_notes(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    created = run("init", str(target), "--from-shipped")
    assert created.code == 0, created.stderr
    assert (target / CRUDE_FILE).read_bytes() == (REPO / CRUDE_FILE).read_bytes()
    assert run("note", "add", CRUDE, "x", "--date", "2025-09-01", cwd=target).code == 0
    assert len(notes_of(target)) == 1


def test_dry_run_shows_the_diff_and_writes_nothing(register: Path) -> None:
    before = tree_digest(register)
    result = add(register, CRUDE, "maybe", "--date", "2025-09-01", "--author", "A", "--dry-run")
    assert result.code == 0, result.stderr
    assert "+  - date: 2025-09-01" in result.stdout
    assert "+    text: maybe" in result.stdout
    assert tree_digest(register) == before  # not even a lock file


# --- crashes, full disks and concurrency ----------------------------------------------------


def _limit_file_size(size: int):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def test_a_full_disk_leaves_the_record_byte_identical(register: Path) -> None:
    path = register / CRUDE_FILE
    before = tree_digest(register)
    (register / LOCK_FILE).touch()  # created outside the limit; it stays empty
    before[LOCK_FILE] = b""
    proc = subprocess.run(
        [
            installed_command(),
            "--register",
            str(register),
            "note",
            "add",
            CRUDE,
            "a note that will not fit",
            "--date",
            "2025-09-01",
            "--author",
            "A",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_file_size(path.stat().st_size + 10),
    )
    assert proc.returncode == 2, proc.stderr
    assert "the disk is full or a file-size limit was reached" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert tree_digest(register) == before  # no temporary file left behind either


def note_add_argv(root: Path, text: str) -> list[str]:
    """The installed command adding `text` as a note to the crude supply MoU."""
    return [
        installed_command(), "--register", str(root), "note", "add", CRUDE, text,
        "--date", "2025-09-01", "--author", "A",
    ]  # fmt: skip


@pytest.mark.slow
def test_ten_concurrent_notes_all_land(register: Path) -> None:
    """Ten writers at once (twenty before: on two cores ten already wait for the lock)."""
    procs = [
        subprocess.Popen(
            note_add_argv(register, f"concurrent note {i}"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(10)
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _ in results] == [0] * 10, results
    texts = sorted(n["text"] for n in notes_of(register))
    assert texts == sorted(f"concurrent note {i}" for i in range(10))
    assert invoke("--register", str(register), "validate").code == 0


@pytest.mark.slow
def test_writers_killed_mid_write_leave_an_old_or_new_file(register: Path) -> None:
    rng = random.Random(7)
    path = register / CRUDE_FILE
    finished = 0
    for round_ in range(6):
        procs = [
            subprocess.Popen(
                note_add_argv(register, f"round {round_} writer {i}"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for i in range(4)
        ]
        time.sleep(rng.uniform(0.05, 0.4))
        for p in procs[:2]:
            p.send_signal(signal.SIGKILL)
        finished += sum(p.wait(timeout=120) == 0 for p in procs)
        # Whatever was killed when, the record reads and validates.
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["id"] == CRUDE
    count = len(notes_of(register))
    assert finished <= count <= 24
    assert invoke("--register", str(register), "validate").code == 0


def test_a_lock_left_by_a_killed_process_is_reused(register: Path) -> None:
    (register / LOCK_FILE).write_text("left over by a process that was killed")
    result = add(register, CRUDE, "after a crash", "--date", "2025-09-01")
    assert result.code == 0, result.stderr


def test_a_lock_held_by_a_live_process_times_out_with_a_clear_error(register: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from filelock import FileLock\n"
            f"lock = FileLock({str(register / LOCK_FILE)!r}); lock.acquire()\n"
            "print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        refused = pytest.raises(WriteRefused, match="another `agreements` command has held")
        with refused, locked(register, timeout=0.3):
            pass
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    with locked(register, timeout=5):  # released by the kernel when its holder died
        pass


def test_an_interrupted_replace_leaves_the_old_file_and_no_temporary(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agreement_tracker.store import write

    path = register / CRUDE_FILE
    before = tree_digest(register)

    def crash(*_args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(write.os, "replace", crash)
    with pytest.raises(WriteRefused, match="nothing was changed"):
        write.replace_atomically(path, b"id: half-written\n")
    assert tree_digest(register) == before


def test_an_empty_author_records_no_author(register: Path) -> None:
    subprocess.run(["git", "init", "-q", str(register)], check=True)
    subprocess.run(["git", "-C", str(register), "config", "user.name", "Someone"], check=True)
    result = add(register, CRUDE, "x", "--date", "2025-09-01", "--author", "")
    assert result.code == 0, result.stderr
    assert "author" not in notes_of(register)[0]


# --- links and ownership (issue 15): the atomic replace keeps what it replaces ------------------


def test_a_note_on_a_linked_record_reaches_the_target_and_the_link_stays(register: Path) -> None:
    archive = register / "agreements" / "archive"
    archive.mkdir()
    link = register / CRUDE_FILE
    target = archive / link.name
    link.rename(target)
    link.symlink_to(Path("archive") / link.name)
    result = add(register, CRUDE, "through the link", "--date", "2025-09-01", "--author", "A")
    assert result.code == 0, result.stderr
    assert link.is_symlink()  # replaced by a regular file before the fix
    assert "through the link" in target.read_text(encoding="utf-8")
    assert invoke("--register", str(register), "validate").code == 0


def test_a_note_keeps_the_records_owner_group_and_mode(register: Path) -> None:
    path = register / CRUDE_FILE
    os.chown(path, 12345, 23456)  # as root; a record another user owns
    path.chmod(0o640)
    result = add(register, CRUDE, "owned", "--date", "2025-09-01", "--author", "A")
    assert result.code == 0, result.stderr
    st = path.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (12345, 23456, 0o640)  # root's before


def test_a_record_with_a_hard_link_is_refused_not_split(register: Path, tmp_path: Path) -> None:
    path = register / CRUDE_FILE
    os.link(path, tmp_path / "backup.yaml")
    before = path.read_bytes()
    result = add(register, CRUDE, "split?", "--date", "2025-09-01", "--author", "A")
    assert result.code == 2
    assert "2 hard links" in result.stderr
    assert path.read_bytes() == before == (tmp_path / "backup.yaml").read_bytes()


# --- vague dates (issue 14): a note dated as precisely as its source ------------------------------


def test_a_note_dated_by_month_is_added_validated_sorted_and_reported(register: Path) -> None:
    assert add(register, CRUDE, "In July, the first cargo sailed.", "--date", "2025-07",
               "--author", "A").code == 0  # fmt: skip
    assert add(register, CRUDE, "Mid-June: terms agreed.", "--date", "2025-06-15",
               "--author", "A").code == 0  # fmt: skip
    text = (register / CRUDE_FILE).read_text(encoding="utf-8")
    assert "  - date: 2025-07\n" in text and "  - date: 2025-06-15\n" in text
    assert invoke("--register", str(register), "validate").code == 0
    events = invoke("--register", str(register), "timeline", "--org", "socar", "--format",
                    "json").json()  # fmt: skip
    assert [e["date"] for e in events] == ["2025-05-07", "2025-06-15", "2025-07"]
    since = invoke("--register", str(register), "timeline", "--org", "socar", "--since",
                   "2025-07-20", "--format", "json").json()  # fmt: skip
    assert [e["date"] for e in since] == ["2025-07"]  # the month reaches past the 20th
    report = invoke("--register", str(register), "report", "--as-of", "2025-12-31", "--format",
                    "json").json()  # fmt: skip
    assert [n["date"] for n in report["latest_notes"]][:2] == ["2025-07", "2025-06-15"]


@pytest.mark.parametrize(
    ("date", "code", "says"),
    [
        pytest.param("2025-05", 0, "", id="the-month-of-the-signing"),
        pytest.param("2025", 0, "", id="the-year-of-the-signing"),
        pytest.param("2025-04", 2, "before the signing on 2025-05-07", id="a-month-before"),
        pytest.param("2025-13", 2, "is not a date", id="no-such-month"),
        pytest.param("July 2025", 2, "YYYY-MM", id="words"),
    ],
)
def test_a_vague_date_is_before_the_signing_only_if_all_of_it_is(
    register: Path, date: str, code: int, says: str
) -> None:
    result = add(register, CRUDE, "a note", "--date", date, "--author", "A")
    assert result.code == code, result.stderr
    assert says in result.stderr


# --- notes you can fix (issue 16) ---------------------------------------------------------

ENERGY = "vn-az-2025-energy-mou"


def _note(root: Path, *args: str, env: dict[str, str] | None = None):
    return invoke("--register", str(root), "note", *args, env=env)


@pytest.fixture
def three_notes(register: Path) -> Path:
    for args in (
        ["Working group met.", "--date", "2025-08-01", "--status", "in-progress"],
        ["Roadmap drafted.", "--date", "2025-09"],
        ["Experts visited Baku.", "--date", "2025-10-02", "--source", "https://example.org/x"],
    ):
        assert _note(register, "add", ENERGY, *args).code == 0
    return register


def test_note_list_numbers_notes_in_file_order(three_notes: Path) -> None:
    rows = _note(three_notes, "list", ENERGY, "--format", "json").json()
    assert [(r["n"], r["date"], r["text"]) for r in rows] == [
        (1, "2025-08-01", "Working group met."), (2, "2025-09", "Roadmap drafted."),
        (3, "2025-10-02", "Experts visited Baku.")]  # fmt: skip
    table = _note(three_notes, "list", ENERGY).stdout
    assert "3 notes on vn-az-2025-energy-mou" in table
    assert _note(three_notes, "list", "vn-az-2025-energy-mo").code == 2


def test_note_edit_changes_only_that_notes_lines(three_notes: Path) -> None:
    path = three_notes / f"agreements/{ENERGY}.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    editor = "sed -i -e s/drafted/adopted/ -e s/2025-09/2025-09-12/"
    edited = _note(three_notes, "edit", ENERGY, "2", env={"EDITOR": editor})
    assert edited.code == 0, edited.stderr
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("  - date: 2025-09", "  - date: 2025-09-12"),
                       ("    text: Roadmap drafted.", "    text: Roadmap adopted.")]  # fmt: skip
    assert invoke("--register", str(three_notes), "validate").code == 0
    unchanged = _note(three_notes, "edit", ENERGY, "1", env={"EDITOR": "true"})
    assert unchanged.code == 0 and "unchanged" in unchanged.stdout
    bad = _note(three_notes, "edit", ENERGY, "1", env={"EDITOR": "sed -i s/in-progress/done/"})
    assert bad.code == 2 and "unknown status 'done'" in bad.stderr
    early = _note(three_notes, "edit", ENERGY, "3",
                  env={"EDITOR": "sed -i s/2025-10-02/2025-04-01/"})  # fmt: skip
    assert early.code == 2 and "before the signing" in early.stderr
    assert path.read_text(encoding="utf-8").splitlines() == after
    assert _note(three_notes, "edit", ENERGY, "4").code == 2


def test_note_remove_asks_first_and_removes_only_that_note(three_notes: Path) -> None:
    path = three_notes / f"agreements/{ENERGY}.yaml"
    before = path.read_text(encoding="utf-8")
    asked = _note(three_notes, "remove", ENERGY, "2")  # no terminal to answer on
    assert asked.code == 2 and "--yes" in asked.stderr
    assert path.read_text(encoding="utf-8") == before
    removed = _note(three_notes, "remove", ENERGY, "2", "--yes")
    assert removed.code == 0, removed.stderr
    after = path.read_text(encoding="utf-8")
    lines = before.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line == "  - date: 2025-09\n")
    end = next(i for i in range(at + 1, len(lines)) if lines[i].startswith("  - "))
    assert after == "".join(lines[:at] + lines[end:])  # exactly that note's lines went
    texts = [r["text"] for r in _note(three_notes, "list", ENERGY, "--format", "json").json()]
    assert texts == ["Working group met.", "Experts visited Baku."]


def test_a_status_note_can_be_backfilled_where_the_lifecycle_allows(three_notes: Path) -> None:
    # signed → stalled (2025-07-01) → in-progress (2025-08-01): both moves are allowed.
    ok = _note(three_notes, "add", ENERGY, "Stalled over funding.", "--date", "2025-07-01",
               "--status", "stalled")  # fmt: skip
    assert ok.code == 0, ok.stderr
    shown = invoke("--register", str(three_notes), "list", "--format", "json").json()
    assert next(r for r in shown if r["id"] == ENERGY)["current_status"] == "in-progress"
    # implemented is final: nothing may follow it, so a backfilled one is refused.
    final = _note(three_notes, "add", ENERGY, "Done early.", "--date", "2025-07-15",
                  "--status", "implemented")  # fmt: skip
    assert final.code == 1  # a refused move, as for `note add` without backfilling
    assert ("signed (the record) → stalled (2025-07-01) → implemented (2025-07-15) → "
            "in-progress (2025-08-01)") in final.stderr  # fmt: skip
    assert "does not allow implemented → in-progress" in final.stderr


def test_a_refused_edit_is_kept(three_notes: Path) -> None:
    """What the user typed is never lost: a refused edit is saved to a private file."""
    import re
    import stat

    refused = _note(
        three_notes,
        "edit",
        ENERGY,
        "2",
        env={"EDITOR": "sed -i s/drafted/DRAFT-TEXT-42/;s/2025-09/2024-01/"},
    )
    assert refused.code == 2 and "before the signing" in refused.stderr
    [kept] = re.findall(r"your edit is kept in (\S+)", refused.stderr)
    assert "DRAFT-TEXT-42" in Path(kept).read_text(encoding="utf-8")
    assert stat.S_IMODE(Path(kept).stat().st_mode) == 0o600
    Path(kept).unlink()
