"""Time whole `agreements` processes against two floors measured in the same run.

    python tests/benchmarks/run.py                      # 1,000 and 10,000 records
    python tests/benchmarks/run.py --sizes 50 --runs 1  # the smoke version CI runs
    python tests/benchmarks/run.py --json results.json
    python tests/benchmarks/run.py --memory             # the memory rows, each with its target
    python tests/benchmarks/run.py --startup-only       # only the start-up target rows

Every run is cold in the sense that matters: it gets a different environment
variable (AGREEMENTS_BENCH_RUN), so nothing keyed on the environment could
answer it; what may be warm is the index of the register, which is the
point. Each command runs once to warm up, then `--runs` times, each run right
after a run of the interpreter floor (`python -I -c pass`); the table shows
the median wall time, the median of those per-run ratios, the ratio to the
bare-read floor (read every YAML file with yaml.CSafeLoader and str.find
each quote in its source: the least any correct tool must do without an
index) and the peak memory of the process over the measured runs (ru_maxrss from
os.wait4; the warm-up, which may build the index, is left out of both).
The start-up rows (issue 25's targets) time a command against the floor of the
libraries it must import (`python -c 'import click'` and so on), each run of the
command right after a run of its floor and one of the interpreter; a row is the
median of those per-run ratios, with its target and whether it is met.
Commands run as on a user's machine, where Python writes bytecode (the
sandbox's PYTHONDONTWRITEBYTECODE is dropped). Generated registers are kept
under --workdir and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import NOTE_RECORD, VERSION, append_notes, generate  # noqa: E402

# The memory rows (issue 21, item 10): peak RSS each command may reach, in MB.
MEMORY_TARGETS = {
    "note add": 300,
    "show": 300,
    "list --format json": 500,
    "validate": 600,
}

BARE_READ = """
import sys, pathlib, yaml
root = pathlib.Path(sys.argv[1])
load = lambda p: yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
files = {s["id"]: s["file"] for s in load(root / "seeds/sources.yaml")["sources"]}
for p in sorted((root / "agreements/registry").glob("*.yaml")):
    load(p)
texts = {}
missing = 0
for p in sorted((root / "agreements").glob("*.yaml")):
    for e in load(p)["evidence"]:
        if e["source"] not in texts:
            texts[e["source"]] = (root / "seeds" / files[e["source"]]).read_text(encoding="utf-8")
        missing += texts[e["source"]].find(" ".join(e["quote"].split())) < 0
print(missing)
"""


# Start-up (issue 25, Targets): each command against the libraries it must import.
CLICK_FLOOR = "import click"
SHOW_FLOOR = "import click, rich.console, rich.table"
WRITE_FLOOR = "import click, yaml; from pydantic import BaseModel"
STARTUP_ID = "vn-az-2025-energy-mou"
# name, arguments (after `--register COPY` where `own` is set), floor, target, own register
STARTUP_TARGETS: list[tuple[str, list[str], str, float, bool]] = [
    ("agreements --help", ["--help"], CLICK_FLOOR, 1.2, False),
    ("agreements list", ["list"], CLICK_FLOOR, 1.4, False),
    ("agreements list --format json", ["list", "--format", "json"], CLICK_FLOOR, 1.4, False),
    ("agreements show ID", ["show", STARTUP_ID], SHOW_FLOOR, 1.3, False),
    ("agreements note add --dry-run",
     ["note", "add", STARTUP_ID, "benchmark note", "--date", "2025-12-31", "--author", "bench",
      "--dry-run"], WRITE_FLOOR, 1.3, True),
]  # fmt: skip


@dataclass
class Startup:
    """One start-up target row: the command and its library floor, run in turn."""

    name: str
    floor: str
    target: float
    median_ms: float
    floor_ms: float
    interpreter_ms: float
    vs_floor: float  # the median of per-run ratios to the floor run just before
    vs_interpreter: float

    @property
    def met(self) -> bool:
        return self.vs_floor <= self.target


@dataclass
class Row:
    """One measured command."""

    name: str
    size: str
    median_ms: float
    runs: list[float]
    peak_mb: float
    vs_interpreter: float = 0.0  # the median of per-run ratios to the floor run just before
    vs_bare_read: float | None = None
    target_mb: float | None = None  # a memory row's ceiling


def once(
    argv: list[str], env: dict[str, str], cwd: Path, allowed: tuple[int, ...] = (0,)
) -> tuple[float, float]:
    """One run: wall time (ms) and peak RSS (MB); a failing command ends the benchmark."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in allowed:
        raise SystemExit(f"benchmark: {' '.join(argv)} exited {code}:\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="records per register, comma-separated"
    )
    parser.add_argument("--runs", type=int, help="timed runs per row (default 5; 1 with --memory)")
    parser.add_argument(
        "--memory",
        action="store_true",
        help="measure the memory rows instead: peak RSS of each command next to its target",
    )
    parser.add_argument(
        "--memory-sizes",
        type=int,
        nargs=3,
        default=(100_000, 50, 100_000),
        metavar=("NOTES", "MB", "RECORDS"),
        help="notes on one record, the size of one source and records in a register",
    )
    parser.add_argument(
        "--big-source",
        type=int,
        nargs=2,
        default=(10, 100_000),
        metavar=("MB", "MENTIONS"),
        help="the size of the one large source and how many mentions it holds",
    )
    parser.add_argument(
        "--startup-runs",
        type=int,
        default=21,
        help="timed runs per start-up target row (start-up is short and noisy: default 21)",
    )
    parser.add_argument(
        "--startup-only", action="store_true", help="measure only the start-up target rows"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "agreements-bench"
    )
    args = parser.parse_args()
    if args.runs is None:
        args.runs = 1 if args.memory else 5

    exe = shutil.which("agreements", path=str(Path(sys.executable).parent)) or "agreements"
    python = sys.executable
    dropped = {"AGREEMENTS_REGISTER", "COLUMNS", "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["XDG_CACHE_HOME"] = str(args.workdir / "cache")
    args.workdir.mkdir(parents=True, exist_ok=True)
    outside = args.workdir / "empty"  # no register above: commands use the shipped one
    outside.mkdir(exist_ok=True)
    bare = args.workdir / "bare_read.py"
    bare.write_text(BARE_READ)

    rows: list[Row] = []
    floor_argv = [python, "-I", "-c", "pass"]

    def run(
        name: str,
        size: str,
        argv: list[str],
        cwd: Path = outside,
        before: Callable[[int], None] | None = None,
        allowed: tuple[int, ...] = (0,),
    ) -> Row:
        times, ratios, peak = [], [], 0.0
        for i in range(args.runs + 1):
            if before is not None:
                before(i)
            run_env = {**env, "AGREEMENTS_BENCH_RUN": f"{time.time_ns()}-{i}"}
            floor_ms, _ = once(floor_argv, run_env, cwd)
            elapsed, rss = once(argv, run_env, cwd, allowed)
            if i:  # the first run warms up (it may build the index): measured are the rest
                peak = max(peak, rss)
                times.append(elapsed)
                ratios.append(elapsed / floor_ms)
        row = Row(name, size, statistics.median(times), [round(t, 1) for t in times], peak)
        row.vs_interpreter = statistics.median(ratios)
        rows.append(row)
        print(f"  {name:<48} {size:>7} {row.median_ms:9.1f} ms {row.vs_interpreter:5.1f}x "
              f"{peak:7.1f} MB", file=sys.stderr)  # fmt: skip
        return row

    # A copy of the shipped register: `note add` refuses the shipped one, even for a dry run.
    copy = args.workdir / "shipped-copy"
    shutil.rmtree(copy, ignore_errors=True)
    subprocess.run([exe, "init", str(copy), "--from-shipped"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    if args.startup_only:
        startup = startup_rows(args, exe, python, env, outside, copy)
        print(startup_table(startup))
        if args.json:
            write_json(args, rows, startup)
        return

    run("floor: python -I -c pass", "-", floor_argv)
    if args.memory:
        memory_rows(args, exe, python, env, run)
        print(table(rows))
        if args.json:
            write_json(args, rows)
        if any(r.target_mb is not None and r.peak_mb > r.target_mb for r in rows):
            print("benchmark: a memory row is over its target", file=sys.stderr)
        return
    startup = startup_rows(args, exe, python, env, outside, copy)
    mb, mentions = args.big_source
    big = args.workdir / f"big-source-{mb}-{mentions}"
    if not (big / ".generated").exists():
        # In a process of its own: a child's peak memory counts its parent's at fork.
        subprocess.run([python, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); "
                        "from pathlib import Path; from generate import generate_big_source; "
                        f"generate_big_source(Path({str(big)!r}), {mb}, {mentions})"],
                       check=True)  # fmt: skip
        (big / ".generated").write_text(f"{mb} MB")
    run(f"agreements validate (one {mb} MB source, {mentions:,} mentions)", "1",
        [exe, "--register", str(big), "validate"])  # fmt: skip
    # The copy of the shipped register takes notes; each run adds one more.
    run("agreements note add", "shipped",
        [exe, "--register", str(copy), "note", "add", "vn-az-2025-energy-mou", "benchmark note",
         "--date", "2025-12-31", "--author", "bench"])  # fmt: skip

    floors: dict[str, float] = {}
    for size in [int(s) for s in args.sizes.split(",") if s]:
        root = args.workdir / f"register-{size}"
        marker = root / ".generated"
        if not marker.exists() or marker.read_text() != f"{size} v{VERSION}":
            print(f"generating {size} records …", file=sys.stderr)
            generate(root, size, max(1, size // 10))
            marker.write_text(f"{size} v{VERSION}")
        label = f"{size:,}"
        reg = ["--register", str(root)]
        floor = run("floor: bare read", label, [python, "-I", str(bare), str(root)])
        floors[label] = floor.median_ms
        records = sorted((root / "agreements").glob("gen-*.yaml"))
        first = records[0].stem
        energy_json = [exe, *reg, "list", "--sector", "energy", "--format", "json"]
        run("agreements list --sector energy --format json", label, energy_json)

        edited = records[len(records) // 2]

        def edit_one(i: int, path: Path = edited) -> None:
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"# benchmark edit {i}\n")

        run("… right after one record was edited", label, energy_json, before=edit_one)
        run("agreements list", label, [exe, *reg, "list"])
        run("agreements report", label, [exe, *reg, "report", "--as-of", "2026-01-01"])
        run("agreements validate", label, [exe, *reg, "validate"])
        run("agreements note add", label,
            [exe, *reg, "note", "add", first, "benchmark note", "--date", "2025-12-31",
             "--author", "bench"])  # fmt: skip

    for row in rows:
        row.vs_bare_read = row.median_ms / floors[row.size] if row.size in floors else None

    print(table(rows))
    print()
    print(startup_table(startup))
    if args.json:
        write_json(args, rows, startup)


def startup_rows(
    args: argparse.Namespace,
    exe: str,
    python: str,
    env: dict[str, str],
    cwd: Path,
    copy: Path,
) -> list[Startup]:
    """The start-up target rows: in each run the interpreter, the command's library floor
    and the command, one right after the other, so that load on the machine falls on all
    three; each ratio is the median of the per-run ratios."""
    interpreter = [python, "-I", "-c", "pass"]
    found = []
    for name, arguments, floor, target, own in STARTUP_TARGETS:
        argv = [exe, *(["--register", str(copy)] if own else []), *arguments]
        floor_argv = [python, "-c", floor]
        times: list[float] = []
        floors: list[float] = []
        bare: list[float] = []
        ratios: list[float] = []
        bare_ratios: list[float] = []
        for i in range(args.startup_runs + 1):
            run_env = {**env, "AGREEMENTS_BENCH_RUN": f"{time.time_ns()}-{i}"}
            interpreter_ms, _ = once(interpreter, run_env, cwd)
            floor_ms, _ = once(floor_argv, run_env, cwd)
            elapsed, _ = once(argv, run_env, cwd)
            if i:  # the first run warms up (it may build the index)
                times.append(elapsed)
                floors.append(floor_ms)
                bare.append(interpreter_ms)
                ratios.append(elapsed / floor_ms)
                bare_ratios.append(elapsed / interpreter_ms)
        row = Startup(
            name,
            floor,
            target,
            statistics.median(times),
            statistics.median(floors),
            statistics.median(bare),
            statistics.median(ratios),
            statistics.median(bare_ratios),
        )
        found.append(row)
        print(f"  {name:<48} {row.median_ms:7.1f} ms {row.vs_floor:5.2f}x floor "
              f"(target {target:.1f}x: {'met' if row.met else 'missed'}) "
              f"{row.vs_interpreter:5.1f}x interpreter", file=sys.stderr)  # fmt: skip
    return found


def startup_table(rows: list[Startup]) -> str:
    """The start-up targets as a Markdown table: each command, its floor, target and result."""
    lines = [
        "| command | floor | median | floor median | × floor | target | result | × interpreter |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| `{r.name}` | `python -c '{r.floor}'` | {r.median_ms:.0f} ms | {r.floor_ms:.0f} ms "
            f"| {r.vs_floor:.2f} | ≤ {r.target:.1f} | {'met' if r.met else '**missed**'} "
            f"| {r.vs_interpreter:.1f} |"
        )
    return "\n".join(lines)


def write_json(args: argparse.Namespace, rows: list[Row], startup: Sequence[Startup] = ()) -> None:
    machine = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "runs": args.runs,
        "startup_runs": args.startup_runs,
    }
    results = {
        "machine": machine,
        "rows": [asdict(r) for r in rows],
        "startup": [{**asdict(r), "met": r.met} for r in startup],
    }
    args.json.write_text(json.dumps(results, indent=2) + "\n")


def memory_rows(
    args: argparse.Namespace,
    exe: str,
    python: str,
    env: dict[str, str],
    run: Callable[..., Row],
) -> None:
    """The memory rows: registers built once under --workdir (kept and reused), each
    command's peak RSS measured with its target beside it."""
    notes, mb, records = args.memory_sizes
    # One record with NOTES notes: `init --from-shipped`, one note (so `follow_up:` is the
    # file's last block list), then the rest appended as block items. Each run adds one.
    noted = args.workdir / f"notes-{notes}"
    if not (noted / ".generated").exists():
        shutil.rmtree(noted, ignore_errors=True)
        subprocess.run([exe, "init", str(noted), "--from-shipped"], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        subprocess.run([exe, "--register", str(noted), "note", "add", NOTE_RECORD, "first",
                        "--date", "2025-06-01", "--author", "bench"], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        append_notes(noted / "agreements" / f"{NOTE_RECORD}.yaml", notes)
        (noted / ".generated").write_text(str(notes))
    row = run("agreements note add", f"{notes:,} notes",
              [exe, "--register", str(noted), "note", "add", NOTE_RECORD, "benchmark note",
               "--date", "2025-12-31", "--author", "bench"])  # fmt: skip
    row.target_mb = MEMORY_TARGETS["note add"]

    big = args.workdir / f"big-source-{mb}-10"
    if not (big / ".generated").exists():
        # In a process of its own: a child's peak memory counts its parent's at fork.
        subprocess.run([python, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); "
                        "from pathlib import Path; from generate import generate_big_source; "
                        f"generate_big_source(Path({str(big)!r}), {mb}, 10)"],
                       check=True)  # fmt: skip
        (big / ".generated").write_text(f"{mb} MB")
    row = run("agreements show ID", f"{mb} MB source",
              [exe, "--register", str(big), "show", NOTE_RECORD])  # fmt: skip
    row.target_mb = MEMORY_TARGETS["show"]

    root = args.workdir / f"register-{records}"
    marker = root / ".generated"
    if not marker.exists() or marker.read_text() != f"{records} v{VERSION}":
        print(f"generating {records} records …", file=sys.stderr)
        subprocess.run([python, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); "
                        "from pathlib import Path; from generate import generate; "
                        f"generate(Path({str(root)!r}), {records}, {max(1, records // 10)})"],
                       check=True)  # fmt: skip
        marker.write_text(f"{records} v{VERSION}")
    reg = ["--register", str(root)]
    # The first (warm-up) run builds the index: the measured runs read it, as users do.
    label = f"{records:,} records"
    row = run("agreements list --format json", label, [exe, *reg, "list", "--format", "json"])
    row.target_mb = MEMORY_TARGETS["list --format json"]
    # Findings (exit 1) are measured too: what validate holds to report them is the point.
    row = run("agreements validate", label, [exe, *reg, "validate"], allowed=(0, 1))
    row.target_mb = MEMORY_TARGETS["validate"]


def table(rows: list[Row]) -> str:
    """A Markdown table of the results, as the README shows it."""
    targets = any(r.target_mb is not None for r in rows)
    lines = [
        "| command | register | median | × interpreter | × bare read | peak memory |"
        + (" target |" if targets else ""),
        "| --- | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if targets else ""),
    ]
    for r in rows:
        bare = f"{r.vs_bare_read:.2f}" if r.vs_bare_read is not None else ""
        line = (
            f"| `{r.name}` | {r.size} | {r.median_ms:.0f} ms | {r.vs_interpreter:.1f} | {bare} "
            f"| {r.peak_mb:.0f} MB |"
        )
        if targets:
            line += f" ≤ {r.target_mb:.0f} MB |" if r.target_mb is not None else " |"
        lines.append(line)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
