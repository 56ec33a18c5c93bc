"""Hostile and broken input: a clear message, the right exit code, nothing changed.

Each case spoils a copy of the shipped register (or passes a bad argument),
runs the command, and checks: the exit code (1 findings, 2 unusable
input or usage; 0 where the input is odd but valid), no traceback, a message
naming the file and line and saying what to do, and every file of the
register byte-identical afterwards. The command runs in-process (CliRunner) unless the case
is about the process itself: a read that could fill memory, or the environment (a hang
in-process ends in conftest's watchdog);
test_end_to_end.py runs each path as the installed command.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreement_tracker.checks import validate
from agreement_tracker.findings import Finding
from agreement_tracker.loader import load
from agreement_tracker.store.index import INDEX_DIR
from agreement_tracker.store.location import Location
from conftest import REPO, edit, invoke, run

REC = "agreements/vn-az-2025-energy-mou.yaml"
ORGS = "agreements/registry/organisations.yaml"
MANIFEST = "seeds/sources.yaml"
SOURCE = "seeds/000_e19e8333a4d2ae90.txt"


def digest(root: Path) -> dict[str, str]:
    """Every entry under root (files by content, links by target), to prove nothing changed."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if INDEX_DIR in path.relative_to(root).parts:
            continue  # the index, which read commands keep up to date
        if path.is_symlink():
            found[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            found[rel] = "dir"
    return found


def append(rel: str, text: str) -> Callable[[Path], None]:
    def spoil(root: Path) -> None:
        with (root / rel).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return spoil


def write(rel: str, content: bytes) -> Callable[[Path], None]:
    def spoil(root: Path) -> None:
        (root / rel).write_bytes(content)

    return spoil


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: edit(root, rel, old, new)


def transcode(rel: str, encoding: str) -> Callable[[Path], None]:
    def spoil(root: Path) -> None:
        path = root / rel
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding, errors="replace"))

    return spoil


def remove(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).unlink()


def nothing(_root: Path) -> None:
    pass


def laughs(root: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    (root / REC).write_text("\n".join(lines) + "\n", encoding="utf-8")


def many_megabytes(root: Path) -> None:
    line = "      Một dòng rất dài của một tệp rất lớn, lặp lại nhiều lần. " * 4 + "\n"
    body = "id: huge\nnotes: |\n" + line * (8 * 1024 * 1024 // len(line.encode()))
    (root / "agreements/huge.yaml").write_text(body, encoding="utf-8")


def source_as_folder(root: Path) -> None:
    (root / SOURCE).unlink()
    (root / SOURCE).mkdir()


def source_not_utf8(root: Path) -> None:
    # Latin-1 bytes, with the manifest's hash updated so the encoding check is reached.
    path = root / SOURCE
    old_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_bytes("Bộ Ngoại giao".encode().replace("ộ".encode(), b"\xf4"))
    edit(root, MANIFEST, old_hash, hashlib.sha256(path.read_bytes()).hexdigest())


def flip_one_byte(root: Path) -> None:
    path = root / SOURCE
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))


def source_linked_outside(root: Path) -> None:
    outside = root.parent / "elsewhere.txt"
    outside.write_bytes((root / SOURCE).read_bytes())  # the same bytes: the hash would pass
    (root / SOURCE).unlink()
    (root / SOURCE).symlink_to(outside)


def source_link_loop(root: Path) -> None:
    (root / SOURCE).unlink()
    (root / SOURCE).symlink_to(root / SOURCE)


def fifo(name: str) -> Callable[[Path], None]:
    def spoil(root: Path) -> None:
        os.mkfifo(root / name)

    return spoil


def copy(rel: str, to: str) -> Callable[[Path], None]:
    def spoil(root: Path) -> None:
        invoke("--register", str(root), "list")  # an index that knows every other record
        (root / to).write_bytes((root / rel).read_bytes())

    return spoil


def cr_only(rel: str) -> Callable[[Path], None]:
    def spoil(root: Path) -> None:
        path = root / rel
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))

    return spoil


def read_only_tree(root: Path) -> None:
    """`chmod -R a-w` on the register's folders (root ignores the bits; the tool must not)."""
    for folder in ("agreements", "agreements/registry", "seeds"):
        (root / folder).chmod(0o555)


def record_linked_outside(root: Path) -> None:
    (root / "agreements/evil.yaml").symlink_to("/etc/passwd")


def read_only_record(root: Path) -> None:
    (root / REC).chmod(0o444)


@dataclass(frozen=True)
class Case:
    """Spoil the register, run a command, expect an exit code and what the message says."""

    spoil: Callable[[Path], None]
    args: tuple[str, ...]
    code: int
    says: tuple[str, ...] = ()
    own_register: bool = True
    never: tuple[str, ...] = field(default=())
    env: tuple[tuple[str, str], ...] = ()
    process: bool = False  # run the installed command: a hang or a memory blow-up is a result


def case(spoil, *args: str, code: int, says: tuple[str, ...] = (), **kw) -> Case:
    return Case(spoil, args, code, says, **kw)


NOTE_INJECTION = (
    "follow_up:\n  - date: 2025-06-01\n"
    '    text: "<script>alert(1)</script> [x](javascript:alert(1))"\n'
)

CASES = [
    # --- YAML -------------------------------------------------------------------------
    pytest.param(
        case(replace(REC, "place: Baku, Azerbaijan", 'place: "Baku'), "validate", code=2,
             says=(f"{REC}:", "yaml-syntax", "fix the line")),
        id="syntax-error",
    ),
    pytest.param(
        case(replace(REC, "\n  - org:", "\n\t- org:"), "validate", code=2,
             says=(f"{REC}:", "a tab indents this line: YAML indents with spaces only")),
        id="tab-indentation",
    ),
    pytest.param(
        case(append(REC, "place: Hanoi\n"), "validate", code=2,
             says=(f"{REC}:36:1", "duplicate key 'place' (first at line", "remove or rename one")),
        id="duplicate-key",
    ),
    pytest.param(
        case(replace(REC, "    role: signatory", "    role: signatory\n    role: witness"), "list",
             code=1, says=(f"{REC}:", "duplicate key 'role'")),
        id="duplicate-key-nested",
    ),
    pytest.param(
        case(replace(ORGS, "country: AZ", "country: NO"), "orgs", "--format", "json", code=1,
             says=('"country": "NO"', "unknown country 'NO'")),
        id="country-NO-stays-text",
    ),
    pytest.param(
        case(replace(REC, "status: signed", "status: yes"), "validate", code=1,
             says=(f"{REC}:", "unknown status 'yes'")),
        id="yes-stays-text",
    ),
    pytest.param(
        case(replace(REC, "role: signatory", "role: on"), "validate", code=1,
             says=(f"{REC}:", "(got 'on')", "use one of the values listed")),
        id="on-stays-text",
    ),
    pytest.param(
        case(replace(REC, "date: 2025-05-07", "date: 7/5/2025"), "validate", code=1,
             says=(f"{REC}:", "(got '7/5/2025')", "or a date (2027-06-30)")),
        id="date-with-slashes",
    ),
    pytest.param(
        case(replace(REC, "date: 2025-05-07", "date: 2025-13-01"), "validate", code=1,
             says=(f"{REC}:", "(got '2025-13-01')", "is not a real date")),
        id="impossible-date",
    ),
    pytest.param(
        case(replace(REC, "id: vn-az-2025-energy-mou", "id: 2025"), "validate", code=1,
             says=(f"{REC}:2:5", "(got 2025)", "write it as text")),
        id="id-as-number",
    ),
    pytest.param(
        case(append(REC, 'x: !!python/object/apply:os.system ["touch PWNED"]\n'), "validate",
             code=2, says=(f"{REC}:36:4", "apply:os.system' is not allowed: remove it")),
        id="python-object-apply-tag",
    ),
    pytest.param(
        case(replace(REC, "place: Baku", "place: !secret Baku"), "validate", code=2,
             says=(f"{REC}:", "tag '!secret' is not allowed")),
        id="custom-tag",
    ),
    pytest.param(
        case(append(REC, "x: !!binary aGVsbG8=\n"), "validate", code=2,
             says=(f"{REC}:36:4", "binary' is not allowed")),
        id="binary-tag",
    ),
    pytest.param(
        case(append(REC, "x: !!int twelve\n"), "validate", code=2,
             says=(f"{REC}:36:4", "does not fit 'twelve': remove the tag")),
        id="tag-that-does-not-fit",
    ),
    pytest.param(
        case(laughs, "validate", code=2,
             says=(f"{REC}:2:", "YAML aliases (*name) are not allowed: write the value out")),
        id="billion-laughs",
    ),
    pytest.param(
        case(write(REC, b"id: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"), "validate", code=2,
             says=(f"{REC}:1:69: error[yaml-depth]", "nesting deeper than 64 levels",
                   "check the brackets")),
        id="deep-flow-nesting",
    ),
    pytest.param(
        case(write(REC, b"a:\n" + b"".join(b" " * i + b"- \n" for i in range(1, 2000))),
             "validate", code=2, says=(f"{REC}:", "nesting deeper than 64 levels")),
        id="deep-block-nesting",
    ),
    pytest.param(
        case(write(REC, b""), "validate", code=1,
             says=(REC, "a record must be a mapping of fields, this file is empty")),
        id="empty-file",
    ),
    pytest.param(
        case(write(REC, b"- id: x\n- id: y\n"), "validate", code=1,
             says=(f"{REC}:1:1", "this file is a list")),
        id="list-instead-of-mapping",
    ),
    pytest.param(
        case(replace(REC, "sectors: [energy]", "sectors: {energy: 1}"), "validate", code=1,
             says=(f"{REC}:", "sectors", "write a list")),
        id="mapping-where-a-list-belongs",
    ),
    pytest.param(
        case(many_megabytes, "validate", code=1,
             says=("agreements/huge.yaml:2:8", "unknown key 'notes'")),
        id="many-megabytes",
    ),
    pytest.param(
        case(append(REC, "---\nid: again\n"), "validate", code=2,
             says=(f"{REC}:36:1", "keep one document per file")),
        id="two-documents",
    ),
    pytest.param(
        case(append(REC, 'x: "bell\x07"\n'), "validate", code=2,
             says=(f"{REC}:36:", "U+0007 is not allowed in YAML")),
        id="control-character",
    ),
    pytest.param(
        case(append(REC, "? [a, b]\n: c\n"), "validate", code=2,
             says=(f"{REC}:36:3", "a mapping key must be a plain word")),
        id="key-that-is-a-list",
    ),
    pytest.param(
        case(replace(REC, "place:", "plcae:"), "validate", code=1,
             says=(f"{REC}:", "unknown key 'plcae': check its spelling",
                   "required field 'place' is missing: add it")),
        id="misspelt-key",
    ),
    pytest.param(
        case(remove(f"{ORGS}"), "validate", code=2, says=(ORGS, "file is missing")),
        id="registry-missing",
    ),
    # --- encodings ---------------------------------------------------------------------
    pytest.param(
        case(lambda r: (r / REC).write_bytes(b"\xef\xbb\xbf" + (r / REC).read_bytes()
                                              .replace(b"\n", b"\r\n")), "validate", code=0,
             says=("checked 8 records",)),
        id="bom-and-crlf-accepted",
    ),
    pytest.param(
        case(transcode(REC, "cp1258"), "validate", code=2,
             says=(f"{REC}:", "is not UTF-8 text: save it as UTF-8")),
        id="windows-1258",
    ),
    pytest.param(
        case(transcode(REC, "utf-16"), "list", code=1,
             says=(REC, "is UTF-16 text, not UTF-8: save it as UTF-8")),
        id="utf-16",
    ),
    pytest.param(
        case(replace(REC, "place: Baku", "place: Ba\x00ku"), "validate", code=2,
             says=(f"{REC}:", "contains a NUL byte")),
        id="nul-byte",
    ),
    # --- sources -------------------------------------------------------------------------
    pytest.param(
        case(remove(SOURCE), "validate", code=1,
             says=(f"{MANIFEST}:", f"{SOURCE} is missing")),
        id="source-missing",
    ),
    pytest.param(
        case(source_as_folder, "validate", code=1, says=(f"{MANIFEST}:", "cannot read")),
        id="source-unreadable",
    ),
    pytest.param(
        case(write(SOURCE, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "validate", code=1,
             says=(f"{MANIFEST}:", "has changed", "restore the original file")),
        id="source-binary",
    ),
    pytest.param(
        case(source_not_utf8, "validate", code=1, says=(f"{MANIFEST}:", "UTF-8")),
        id="source-not-utf8",
    ),
    pytest.param(
        case(flip_one_byte, "validate", code=1,
             says=(f"{MANIFEST}:", "has changed", "register a new version as a new source")),
        id="source-one-byte-changed",
    ),
    pytest.param(
        case(source_linked_outside, "validate", code=1,
             says=(f"{MANIFEST}:", "outside the register: put the file itself in seeds/")),
        id="source-linked-outside",
    ),
    pytest.param(
        case(source_link_loop, "validate", code=1, says=(f"{MANIFEST}:", "cannot read")),
        id="source-link-loop",
    ),
    pytest.param(
        case(replace(MANIFEST, "file: 000_e19e8333a4d2ae90.txt", "file: ../../etc/passwd"),
             "validate", code=1, says=(f"{MANIFEST}:6:", "must be a plain file name")),
        id="source-path-traversal",
    ),
    pytest.param(
        case(record_linked_outside, "validate", code=2,
             says=("agreements/evil.yaml", "outside the register")),
        id="record-linked-outside",
    ),
    # --- arguments ---------------------------------------------------------------------------
    pytest.param(
        case(nothing, "show", "vn-az-2025-energy", code=2,
             says=("no agreement with id", "did you mean vn-az-2025-energy-mou")),
        id="unknown-id",
    ),
    pytest.param(
        case(nothing, "show", "../seeds/sources", code=2, says=("no agreement with id",)),
        id="id-with-slash",
    ),
    pytest.param(
        case(nothing, "note", "add", "..", "text", code=2, says=("no agreement with id '..'",)),
        id="id-dot-dot",
    ),
    pytest.param(
        case(nothing, "show", "", code=2, says=("no agreement with id '(empty)'",)),
        id="empty-id",
    ),
    pytest.param(
        case(nothing, "list", "--since", "2025-02-30", code=2,
             says=("'2025-02-30' is not a date", "YYYY-MM-DD")),
        id="impossible-date-argument",
    ),
    pytest.param(
        case(nothing, "list", "--until", "", code=2, says=("''", "YYYY-MM-DD")),
        id="empty-date-argument",
    ),
    pytest.param(
        case(nothing, "list", "--status", "done", code=2,
             says=("unknown status 'done'; choose one of",)),
        id="unknown-status-argument",
    ),
    pytest.param(
        case(nothing, "list", "--sector", "mining", code=2,
             says=("unknown sector 'mining'; choose one of",)),
        id="unknown-sector-argument",
    ),
    pytest.param(
        case(nothing, "note", "add", "vn-az-2025-energy-mou", "x", "--date", "2999-01-01",
             code=2, says=("in the future",)),
        id="note-in-the-future",
    ),
    pytest.param(
        case(nothing, "--register", "/nonexistent/register", "list", code=2,
             says=("--register /nonexistent/register: no such folder",), own_register=False),
        id="register-naming-nothing",
    ),
    pytest.param(
        case(nothing, "--register", "seeds/sources.yaml", "list", code=2,
             says=("is a file, not a register folder",), own_register=False),
        id="register-naming-a-file",
    ),
    # --- display -------------------------------------------------------------------------------
    pytest.param(
        case(replace(ORGS, "en: Ministry of Energy of Azerbaijan",
                     'en: "\\e[2J\\e[31mMinistry of Energy"'), "orgs", "--format", "csv",
             code=0, says=("\\x1b[2J\\x1b[31mMinistry of Energy",), never=("\x1b",)),
        id="ansi-in-a-name",
    ),
    pytest.param(
        case(replace(ORGS, "Ministry of Energy of Azerbaijan", "Ministry \u202eof Energy"),
             "orgs", "--format", "csv", code=0, says=("Ministry \\u202eof Energy",),
             never=("\u202e",)),
        id="bidi-override-in-a-name",
    ),
    pytest.param(
        case(replace(REC, "place: Baku, Azerbaijan", 'place: "[bold]Baku[/] \\a"'), "show",
             "vn-az-2025-energy-mou", code=0, says=("[bold]Baku[/] \\x07",), never=("\x07",)),
        id="markup-and-bell-in-a-place",
    ),
    # --- files -----------------------------------------------------------------------------------
    pytest.param(
        case(read_only_record, "note", "add", "vn-az-2025-energy-mou", "x", "--date",
             "2025-09-01", code=2, says=(f"{REC} is read-only", "chmod u+w")),
        id="read-only-record",
    ),
    # --- round two (issue 15): each failed before its fix ------------------------------------
    pytest.param(
        case(fifo("pipe.txt"), "source", "add", "pipe.txt", "--lang", "vi", code=2,
             says=("pipe.txt is not a regular file",)),
        id="fifo-as-source",  # hung forever
    ),
    pytest.param(
        case(read_only_tree, "new", "--source", "ttxvn-le-trao-van-kien", "--line", "5",
             "--as-new", code=2, says=("agreements is read-only",)),
        id="new-in-a-read-only-register",  # wrote a record
    ),
    pytest.param(
        case(nothing, "report", "--html", REC, code=2, says=("never written over",)),
        id="report-html-over-a-record",  # overwrote the record with HTML
    ),
    pytest.param(
        case(append(REC, "...\n"), "validate", code=2,
             says=(f"{REC}:36:1: error[yaml-syntax]", "document end marker")),
        id="document-end-marker-validate",  # passed validate, then note add said "please report"
    ),
    pytest.param(
        case(append(REC, "...\n"), "note", "add", "vn-az-2025-energy-mou", "x", "--date",
             "2025-06-01", code=2, says=("document end marker",), never=("please report",)),
        id="document-end-marker-note",
    ),
    pytest.param(
        case(cr_only(REC), "validate", code=2,
             says=(f"{REC}:1: error[encoding]", "lone carriage return")),
        id="cr-only-line-endings-validate",  # note add appended LF lines at a wrong line
    ),
    pytest.param(
        case(cr_only(REC), "note", "add", "vn-az-2025-energy-mou", "x", "--date", "2025-06-01",
             code=2, says=("lone carriage return",)),
        id="cr-only-line-endings-note",
    ),
    pytest.param(
        case(copy(REC, "agreements/copy.yaml"), "note", "add", "vn-az-2025-energy-mou", "x",
             "--date", "2025-06-01", code=2,
             says=("error[duplicate-id]", "agreements/copy.yaml")),
        id="note-add-with-the-id-taken-by-another-file",  # wrote into an unreadable register
    ),
    pytest.param(
        case(nothing, "source", "add", "/dev/zero", "--lang", "vi", code=2,
             says=("/dev/zero is not a regular file",), process=True),
        id="device-as-source",  # MemoryError
    ),
    pytest.param(
        case(write("big.txt", b"a" * 1_200_000), "source", "add", "big.txt", "--lang", "vi",
             "--max-size", "1", code=2, says=("larger than 1 MB", "--max-size")),
        id="source-over-the-size-limit",
    ),
    pytest.param(
        case(replace(REC, "date: 2025-05-07", "date: " + "1" * 5000), "validate", code=2,
             says=(f"{REC}:21:7: error[yaml-number]", "5,000 characters")),
        id="integer-of-5000-digits",  # ValueError: internal error
    ),
    pytest.param(
        case(nothing, "--register", "r" * 300, "list", code=2, own_register=False,
             says=("--register rrrr", "File name too long")),
        id="register-name-too-long",  # OSError errno 36: internal error
    ),
    pytest.param(
        case(nothing, "list", code=2, own_register=False, env=(("AGREEMENTS_REGISTER", "e" * 300),),
             says=("$AGREEMENTS_REGISTER eeee", "File name too long"), process=True),
        id="register-variable-too-long",
    ),
    pytest.param(
        case(nothing, "init", "i" * 300, code=2, own_register=False,
             says=("init iiii", "File name too long")),
        id="init-name-too-long",
    ),
    pytest.param(
        case(append(REC, NOTE_INJECTION), "timeline", "--format", "markdown", code=0,
             says=("&lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript",),
             never=("<script>", "[x](")),
        id="html-and-link-in-a-note-markdown",  # came out raw
    ),
    pytest.param(
        case(append(REC, NOTE_INJECTION), "report", "--as-of", "2026-01-01", "--format",
             "markdown", code=0, says=("&lt;script&gt;",), never=("<script>", "[x](")),
        id="html-and-link-in-a-note-report",
    ),
    pytest.param(
        case(replace(ORGS, "en: Ministry of Energy of Azerbaijan",
                     'en: "=HYPERLINK(\\"http://x\\")"'), "orgs", "--format", "csv", code=0,
             says=("'=HYPERLINK",), never=(',=HYPERLINK', '"=HYPERLINK')),
        id="formula-in-csv",  # a spreadsheet ran it
    ),
    pytest.param(
        case(replace(ORGS, "en: Ministry of Energy of Azerbaijan",
                     'en: "Ministry\\u061c of\\u2028Energy\\u2029"'), "orgs", code=0,
             says=("Ministry\\u061c", "of\\u2028Energy\\u2029"),
             never=("\u061c", "\u2028", "\u2029")),
        id="arabic-letter-mark-and-separators",  # reached the terminal raw
    ),
]  # fmt: skip


@pytest.mark.parametrize("hostile", CASES)
def test_hostile_input(register: Path, hostile: Case) -> None:
    hostile.spoil(register)
    before = digest(register)
    args = ("--register", str(register), *hostile.args) if hostile.own_register else hostile.args

    result = (run if hostile.process else invoke)(*args, cwd=register, env=dict(hostile.env))

    output = result.stdout + result.stderr
    assert result.code == hostile.code, output
    assert "Traceback" not in output and "internal error" not in output, output
    for fragment in hostile.says:
        assert fragment in output, output
    for fragment in hostile.never:
        assert fragment not in output
    assert digest(register) == before


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["show", "vn-az\x00-2025"], id="nul-in-id"),
        pytest.param(["note", "add", "x\x00", "text"], id="nul-in-note-id"),
        pytest.param(["--register", "re\x00gister", "list"], id="nul-in-register"),
    ],
)
def test_nul_in_arguments(args: list[str]) -> None:
    # A process cannot receive NUL in argv; CliRunner can, as a library caller could.
    result = invoke(*args)
    assert result.code == 2
    assert "\x00" not in result.stderr


# --- generated input ------------------------------------------------------------------------

RECORD_KEYS = [
    *("id", "title", "kind", "sectors", "parties", "date", "place", "status", "evidence"),
    *("follow_up", "term", "occasion", "org", "side", "role", "en", "vi", "source", "quote"),
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["2025-05-07", "2025-13-01", "NO", "yes", "~", "signed", "energy"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(RECORD_KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=25,
)
# YAML text: dumped data, sometimes broken by a fragment that parsers trip over.
fragments = st.sampled_from(
    ["", "\t", ": ", "- ", "&a ", "*a", "!!python/name:os.system ", "!tag ", "[", "{", "'", '"',
     "\n  ", "---\n", "? ", "|", "%YAML 1.1\n", "\x07", "\ufeff", "#"]
)  # fmt: skip


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    import yaml

    data = draw(values)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    cut = draw(st.integers(0, len(text)))
    return text[:cut] + draw(fragments) + text[cut:]


@functools.cache
def energy_record() -> dict:
    """The shipped energy record, parsed once (not once a draw: YAML is slow); copy it."""
    import yaml

    return yaml.safe_load((REPO / REC).read_text(encoding="utf-8"))


@st.composite
def mutated_records(draw: st.DrawFn) -> str:
    """The energy record with fields replaced, removed or added: near-valid records."""
    import yaml

    data = deepcopy(energy_record())
    for _ in range(draw(st.integers(1, 3))):
        target, keys = data, list(data)
        parties = data.get("parties")
        if (
            draw(st.booleans())
            and isinstance(parties, list)
            and parties
            and isinstance(parties[0], dict)
        ):
            target, keys = data["parties"][0], ["org", "side", "role"]
        key = draw(st.sampled_from([*keys, *RECORD_KEYS]))
        if draw(st.integers(0, 4)) == 0:
            target.pop(key, None)
        else:
            target[key] = draw(values)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# One register for all examples (each overwrites the record), hence the fixture check off;
# as many documents as the profile says (tests/conftest.py).
@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(document=st.one_of(yaml_documents(), mutated_records()))
def test_generated_yaml_gives_a_register_or_findings(document: str, register: Path) -> None:
    root = register
    (root / REC).write_text(document, encoding="utf-8")

    register, findings = load(Location(root, "option"))
    findings, _counted = validate(register, findings)

    assert all(isinstance(f, Finding) for f in findings)
    assert all(f.code != "check-crashed" for f in findings), [f.message for f in findings]
    assert all(f.file for f in findings)
    if "vn-az-2025-energy-mou" not in register.agreements:
        assert any(f.file == REC for f in findings)  # a record that did not load says why


# --- round two: what the corpus cannot say in text ------------------------------------------


def test_an_undecodable_byte_in_a_file_name_is_shown_escaped(register: Path) -> None:
    """0x9b is an 8-bit CSI: printed raw under C.UTF-8, it would start an escape sequence."""
    import subprocess

    from conftest import installed_command

    src = (register / REC).read_bytes()
    (register / "agreements").joinpath(os.fsdecode(b"bad\x9b.yaml")).write_bytes(src)
    env = {**os.environ, "LC_ALL": "C.UTF-8", "AGREEMENTS_REGISTER": str(register)}
    proc = subprocess.run([installed_command(), "list"], capture_output=True, env=env, timeout=60)
    assert proc.returncode == 1
    assert b"\x9b" not in proc.stdout + proc.stderr
    assert b"agreements/bad\\x9b.yaml:2:5: error[id-mismatch]" in proc.stderr


def test_init_respects_the_umask_and_refuses_a_folder_nobody_may_write(tmp_path: Path) -> None:
    import subprocess

    from conftest import installed_command

    def init(target: Path, umask: int) -> subprocess.CompletedProcess:
        command = [installed_command(), "init", str(target)]
        return subprocess.run(command, capture_output=True, text=True, timeout=60,
                              preexec_fn=lambda: os.umask(umask))  # fmt: skip

    assert init(tmp_path / "shared", 0o002).returncode == 0
    for rel in ("", "agreements", "seeds", "agreements/registry"):
        assert (tmp_path / "shared" / rel).stat().st_mode & 0o777 == 0o775, rel
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    refused = init(locked, 0o022)
    assert refused.returncode == 2 and "not writable" in refused.stderr
    assert list(locked.iterdir()) == []


def test_an_editor_that_fails_is_a_usage_error(register: Path) -> None:
    before = digest(register)
    result = run("--register", str(register), "note", "add", "vn-az-2025-energy-mou",
                 env={"EDITOR": "false", "VISUAL": "false"})  # fmt: skip
    assert result.code == 2, result.stderr  # was 1, as if the register had findings
    assert "Editing failed: nothing was added" in result.stderr
    assert digest(register) == before


@pytest.mark.slow
def test_show_prints_the_start_of_a_huge_note_and_json_all_of_it(register: Path) -> None:
    text = "word " * 2_000_000  # 10 MB: rich took 23 s to lay it out
    path = register / REC
    note = f'follow_up:\n  - date: 2025-06-01\n    text: "{text}"\n'
    path.write_text(path.read_text(encoding="utf-8") + note, encoding="utf-8")
    shown = run("--register", str(register), "show", "vn-az-2025-energy-mou")
    assert shown.code == 0
    assert "9,996,000 more characters" in shown.stdout and len(shown.stdout) < 20_000
    whole = run("--register", str(register), "show", "vn-az-2025-energy-mou", "--format", "json")
    assert whole.json()["follow_up"][0]["text"] == text
