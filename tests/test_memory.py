"""Memory (issue 21, item 10): large records, sources and registers stay within bounds,
and running out of memory is a message, not a traceback.

The figures themselves are the benchmark's (`python tests/benchmarks/run.py --memory`);
these tests hold the behaviour that keeps them: peak memory in proportion to what is
read, measured on the installed command as a subprocess (ru_maxrss from os.wait4).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, invoke

BENCH = REPO / "tests" / "benchmarks"
sys.path.insert(0, str(BENCH))

from generate import NOTE_RECORD, append_notes  # noqa: E402

EXE = str(Path(sys.executable).parent / "agreements")


def measured(argv: list[str]) -> tuple[int, float, str]:
    """Exit code, peak RSS in MB and stderr of one run of the installed command."""
    proc = subprocess.Popen(
        [EXE, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, err


def made_from_shipped(root: Path) -> None:
    """A register made from the shipped one, holding a first note on NOTE_RECORD: set-up,
    run in-process (what is measured is the installed command after it)."""
    assert invoke("init", str(root), "--from-shipped").code == 0
    added = invoke("--register", str(root), "note", "add", NOTE_RECORD, "first", "--date",
                   "2025-06-01", "--author", "bench")  # fmt: skip
    assert added.code == 0, added.stderr


@pytest.fixture
def many_notes(tmp_path: Path) -> Path:
    """A register whose energy record holds 20,000 notes (about 2 MB)."""
    root = tmp_path / "reg"
    made_from_shipped(root)
    append_notes(root / "agreements" / f"{NOTE_RECORD}.yaml", 20_000)
    return root


@pytest.mark.slow
def test_a_note_on_a_record_of_many_notes_takes_memory_in_proportion(many_notes: Path) -> None:
    """Before: the record was parsed four times with a line map, once into a node tree,
    and validated twice: 100 MB more than a note on a small record took (45 × its size);
    now each copy is dropped before the next is made (about 15 ×)."""
    record = many_notes / "agreements" / f"{NOTE_RECORD}.yaml"
    size_mb = record.stat().st_size / 1e6
    other = next(p.stem for p in record.parent.glob("*.yaml") if p.stem != NOTE_RECORD)
    code, base, err = measured(["--register", str(many_notes), "note", "add", other, "small",
                                "--date", "2025-12-31", "--author", "bench"])  # fmt: skip
    assert code == 0, err
    argv = ["--register", str(many_notes), "note", "add", NOTE_RECORD, "the last one",
            "--date", "2025-12-31", "--author", "bench"]  # fmt: skip
    code, used, err = measured(argv)
    assert code == 0, err
    assert record.read_text(encoding="utf-8").endswith(
        "  - date: 2025-12-31\n    author: bench\n    text: the last one\n"
    )
    assert used - base < 25 * size_mb, f"{used:.0f} MB for a {size_mb:.1f} MB record"


OUTLINED = [
    pytest.param("a: 1\nb:\n  - x: 1\n    y: [1, 2]\n  - z\n# tail\n\nc: {d: 1}\n", id="mixed"),
    pytest.param("b: [1, {x: 2}]\nc: []\nd:\ne: null\nf: ~\n", id="flow-and-empty"),
    pytest.param("b:\n- a: 1\n  c:\n    - d\n    - e\n\n  # note\n- f\n", id="nested-block"),
    pytest.param("b: |\n  text\n  more\n\nc:\n    -   k: v\n        l: w\n", id="literal-wide"),
    pytest.param("b:\n  - 'q'\n  - \"r\"\n  - >-\n    folded\n    on\n", id="quoted-folded"),
]


@pytest.mark.parametrize("text", OUTLINED)
def test_the_outline_agrees_with_the_node_tree(text: str) -> None:
    """Writers find where an entry goes from the outline; it must say what yaml.compose's
    node tree said (starts, columns, ends and own ends of values and list items)."""
    from agreement_tracker.store.yamlread import _Loader, outline

    def own_end(node: yaml.Node) -> int:
        if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
            return own_end(node.value[-1][1])
        if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
            return own_end(node.value[-1])
        return node.end_mark.index

    def kind(node: yaml.Node) -> str:
        return {yaml.MappingNode: "map", yaml.SequenceNode: "seq"}.get(type(node), "scalar")

    root = yaml.compose(text, Loader=_Loader)
    top = outline(text)
    assert top is not None and len(top) == len(root.value)
    for (key, column, span), (knode, vnode) in zip(top, root.value, strict=True):
        assert (key, column) == (knode.value, knode.start_mark.column)
        assert (span.kind, span.start, span.column, span.end, span.content_end) == (
            kind(vnode), vnode.start_mark.index, vnode.start_mark.column,
            vnode.end_mark.index, own_end(vnode),
        )  # fmt: skip
        assert span.is_null == (vnode.tag == "tag:yaml.org,2002:null")
        if isinstance(vnode, yaml.SequenceNode):
            got = [(i.kind, i.start, i.column, i.content_end) for i in span.items]
            assert got == [
                (kind(n), n.start_mark.index, n.start_mark.column, own_end(n)) for n in vnode.value
            ]
    assert outline("- a\n- b\n") is None


def test_a_record_read_without_marks_still_places_its_findings() -> None:
    """Readers skip the line map; a file with a finding is read again with it, so the
    duplicate-key message still says where the first key was."""
    from agreement_tracker.store.yamlread import read_yaml

    text = "a: 1\nb: 2\na: 3\n"
    plain = read_yaml("a: 1\nb: [x]\n", "f.yaml", marks=False)
    assert plain.data == {"a": 1, "b": ["x"]} and plain.marks == {}
    doc = read_yaml(text, "f.yaml", marks=False)
    assert [f.line for f in doc.findings] == [3]
    assert "first at line 1" in doc.findings[0].message


@pytest.mark.slow
def test_the_runner_measures_the_memory_rows(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--memory", "--memory-sizes", "200", "1", "20",
         "--json", str(out), "--workdir", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rows = {(r["name"], r["size"]): r for r in json.loads(out.read_text())["rows"]}
    for name, size, target in (
        ("agreements note add", "200 notes", 300),
        ("agreements show ID", "1 MB source", 300),
        ("agreements list --format json", "20 records", 500),
        ("agreements validate", "20 records", 600),
    ):
        assert rows[(name, size)]["target_mb"] == target
        assert rows[(name, size)]["peak_mb"] > 0
    assert "| `agreements note add` | 200 notes |" in proc.stdout and "≤ 300 MB |" in proc.stdout


@pytest.mark.slow
def test_running_out_of_memory_is_a_message_naming_the_largest_file(tmp_path: Path) -> None:
    """Under an address-space limit too small for a record of 80,000 notes, `note add` says
    it ran out of memory and names the large file (exit 2), with no traceback; a note on a
    small record of the same register fits under the same limit. Before: "internal error:
    MemoryError" and nothing about what was large."""
    import resource

    root = tmp_path / "reg"
    made_from_shipped(root)
    record = root / "agreements" / f"{NOTE_RECORD}.yaml"
    append_notes(record, 80_000)
    before = record.read_bytes()
    limit = 100 * 1024 * 1024

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def note(record_id: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [EXE, "--register", str(root), "note", "add", record_id, "more", "--date",
             "2025-12-31", "--author", "bench"],
            capture_output=True, text=True, preexec_fn=limited, timeout=300,
        )  # fmt: skip

    small = next(p.stem for p in record.parent.glob("*.yaml") if p.stem != NOTE_RECORD)
    assert note(small).returncode == 0
    result = note(NOTE_RECORD)
    assert result.returncode == 2, result.stderr
    assert "ran out of memory" in result.stderr
    assert f"the largest file is agreements/{NOTE_RECORD}.yaml" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert record.read_bytes() == before


@pytest.mark.slow
def test_findings_on_every_record_do_not_keep_every_files_line_map(tmp_path: Path) -> None:
    """A finding needs its file's line map (read again on demand). Kept for every record,
    those maps made validate of 10,000 records with a finding each hold 80 MB more (219 MB
    instead of 134 MB at its peak); now only the last few files' maps are kept."""
    import re
    import tracemalloc

    from generate import generate

    from agreement_tracker.checks import check_placeholders
    from agreement_tracker.loader import load
    from agreement_tracker.store.location import locate

    root = tmp_path / "reg"
    generate(root, 500, 50)
    for path in (root / "agreements").glob("gen-*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\nplace: .*", "\nplace: 'TODO: the place'", text, count=1),
                        encoding="utf-8")  # fmt: skip
    register, _ = load(locate(str(root)), use_index=False)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        findings = check_placeholders(register)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(findings) == 500 and all(f.line is not None for f in findings)
    assert kept / 500 < 2000, f"{kept / 500:.0f} bytes kept a record"


@pytest.mark.slow
def test_validate_under_any_tight_limit_ends_with_words_not_a_traceback(tmp_path: Path) -> None:
    """Wherever the memory runs out (loading, checking, importing a library, or inside the
    handling of running out), validate ends with its result or with the out-of-memory words
    and exit 2: never a bare "MemoryError", an "internal error", a traceback, or no end."""
    import resource
    import signal

    from generate import generate

    root = tmp_path / "reg"
    generate(root, 1000, 100)
    seen = set()

    def under(megabytes: int, *argv: str) -> subprocess.CompletedProcess[str]:
        limit = megabytes * 1024 * 1024

        def limited() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        # Python's fault handler prints where the command stands if it has to be stopped.
        env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
        with subprocess.Popen(
            [EXE, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=limited, env=env,
        ) as proc:  # fmt: skip
            try:
                out, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGABRT)
                out, err = proc.communicate()
                pytest.fail(f"{argv} under {megabytes} MB did not end in 60 s:\n{err[-4000:]}")
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)

    # Below what the interpreter needs to import the tool, nothing of ours runs at all.
    start = next(mb for mb in range(30, 150, 2) if under(mb, "--help").returncode == 0)
    finished = 0
    for megabytes in range(start, start + 150, 5):
        if finished == 2:
            break  # above the peak, every limit gives the same run
        proc = under(megabytes, "--register", str(root), "validate")
        assert "Traceback" not in proc.stderr and proc.stderr.strip() != "MemoryError", (
            megabytes,
            proc.stderr,
        )
        if proc.returncode == 2:
            assert "ran out of memory" in proc.stderr, (megabytes, proc.stderr)
            assert "internal error" not in proc.stderr, (megabytes, proc.stderr)
        else:
            assert proc.returncode in (0, 1) and "checked 1000 records" in proc.stdout, (
                megabytes,
                proc.stderr,
            )
        seen.add(proc.returncode == 2)
        finished += proc.returncode != 2
    assert seen == {True, False}  # the limits reach both sides


def test_a_system_call_refused_for_want_of_memory_is_running_out_of_memory() -> None:
    """Reading a module's files can fail with ENOMEM (seen at 40 MB on a busy machine):
    that is the memory running out, said as such, not an "internal error"."""
    import errno

    from agreement_tracker.memory import starved

    assert starved(OSError(errno.ENOMEM, "Cannot allocate memory"))
    assert starved(MemoryError())
    assert not starved(OSError(errno.ENOENT, "No such file or directory"))
    assert not starved(ValueError("a bug"))
