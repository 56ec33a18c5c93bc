"""Time whole `agreements` processes against two floors measured in the same run.

    python tests/benchmarks/run.py                      # 1,000 and 10,000 records
    python tests/benchmarks/run.py --sizes 50 --runs 1  # the smoke version CI runs
    python tests/benchmarks/run.py --json results.json

Each command runs once to warm up (and fill any cache), then `--runs` times;
rows marked "(no replay)" run with the output cache off, so they show what a
command costs when it has to do the work (first run, or a changed register);
the table shows the median wall time, the ratio to the interpreter floor
(`python -I -c pass`) and to the bare-read floor (read every YAML file with
yaml.CSafeLoader and str.find each quote in its source: the least any
correct tool must do), and the peak memory of the process (ru_maxrss from
os.wait4). Generated registers are kept under --workdir and reused.
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
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

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


# Rows marked so run with the output cache off (parse cache still on).
NO_REPLAY = "(no replay)"
OUTPUT_CACHE_ENV = "AGREEMENTS_OUTPUT_CACHE"


@dataclass
class Row:
    """One measured command."""

    name: str
    size: str
    median_ms: float
    runs: list[float]
    peak_mb: float
    vs_interpreter: float = 0.0
    vs_bare_read: float | None = None


def measure(
    argv: list[str], runs: int, env: dict[str, str], cwd: Path
) -> tuple[list[float], float]:
    """Wall times (ms) of `runs` runs after one warm-up, and the peak RSS (MB) seen."""
    times, peak = [], 0.0
    for i in range(runs + 1):
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
        if code != 0:
            raise SystemExit(f"benchmark: {' '.join(argv)} exited {code}:\n{stderr}")
        peak = max(peak, usage.ru_maxrss / 1024)  # Linux reports KiB
        if i:
            times.append(elapsed)
    return times, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="records per register, comma-separated"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "agreements-bench"
    )
    args = parser.parse_args()

    exe = shutil.which("agreements", path=str(Path(sys.executable).parent)) or "agreements"
    python = sys.executable
    env = {k: v for k, v in os.environ.items() if k not in {"AGREEMENTS_REGISTER", "COLUMNS"}}
    env["XDG_CACHE_HOME"] = str(args.workdir / "cache")
    args.workdir.mkdir(parents=True, exist_ok=True)
    outside = args.workdir / "empty"  # no register above: commands use the shipped one
    outside.mkdir(exist_ok=True)
    bare = args.workdir / "bare_read.py"
    bare.write_text(BARE_READ)

    rows: list[Row] = []

    def run(name: str, size: str, argv: list[str], cwd: Path = outside, **extra: str) -> Row:
        times, peak = measure(argv, args.runs, {**env, **extra}, cwd)
        row = Row(name, size, statistics.median(times), [round(t, 1) for t in times], peak)
        rows.append(row)
        print(f"  {name:<40} {size:>7} {row.median_ms:9.1f} ms {peak:7.1f} MB", file=sys.stderr)
        return row

    interpreter = run("floor: python -I -c pass", "-", [python, "-I", "-c", "pass"])
    shipped = {
        "agreements --help": [exe, "--help"],
        "agreements list": [exe, "list"],
        "agreements show ID": [exe, "show", "vn-az-2025-energy-mou"],
    }
    for name, argv in shipped.items():
        run(name, "shipped", argv)
    # The same commands run afresh every time: what a first run (or a changed register) costs.
    for name, argv in shipped.items():
        run(f"{name} {NO_REPLAY}", "shipped", argv, **{OUTPUT_CACHE_ENV: "off"})

    floors: dict[str, float] = {}
    for size in [int(s) for s in args.sizes.split(",") if s]:
        root = args.workdir / f"register-{size}"
        marker = root / ".generated"
        if not marker.exists() or marker.read_text() != str(size):
            print(f"generating {size} records …", file=sys.stderr)
            generate(root, size, max(1, size // 10))
            marker.write_text(str(size))
            # Caches skip files modified within their 2-second racy window; a
            # register as old as a real one is what a warm-up should see.
            time.sleep(2.5)
        label = f"{size:,}"
        reg = ["--register", str(root)]
        floor = run("floor: bare read", label, [python, "-I", str(bare), str(root)])
        floors[label] = floor.median_ms
        first = sorted((root / "agreements").glob("gen-*.yaml"))[0].stem
        run("agreements list", label, [exe, *reg, "list"])
        run("agreements list --sector energy --format json", label,
            [exe, *reg, "list", "--sector", "energy", "--format", "json"])  # fmt: skip
        run("agreements validate", label, [exe, *reg, "validate"])
        run("agreements report", label, [exe, *reg, "report", "--as-of", "2026-01-01"])
        run(f"agreements list {NO_REPLAY}", label, [exe, *reg, "list"],
            **{OUTPUT_CACHE_ENV: "off"})  # fmt: skip
        run(f"agreements list --sector energy --format json {NO_REPLAY}", label,
            [exe, *reg, "list", "--sector", "energy", "--format", "json"],
            **{OUTPUT_CACHE_ENV: "off"})  # fmt: skip
        run(
            f"agreements report {NO_REPLAY}",
            label,
            [exe, *reg, "report", "--as-of", "2026-01-01"],
            **{OUTPUT_CACHE_ENV: "off"},
        )
        run("agreements note add", label,
            [exe, *reg, "note", "add", first, "benchmark note", "--date", "2025-12-31",
             "--author", "bench"])  # fmt: skip

    for row in rows:
        row.vs_interpreter = row.median_ms / interpreter.median_ms
        row.vs_bare_read = row.median_ms / floors[row.size] if row.size in floors else None

    print(table(rows))
    if args.json:
        machine = {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "runs": args.runs,
        }
        args.json.write_text(
            json.dumps({"machine": machine, "rows": [asdict(r) for r in rows]}, indent=2) + "\n"
        )


def table(rows: list[Row]) -> str:
    """A Markdown table of the results, as the README shows it."""
    lines = [
        "| command | register | median | × interpreter | × bare read | peak memory |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        bare = f"{r.vs_bare_read:.2f}" if r.vs_bare_read is not None else ""
        lines.append(
            f"| `{r.name}` | {r.size} | {r.median_ms:.0f} ms | {r.vs_interpreter:.1f} | {bare} "
            f"| {r.peak_mb:.0f} MB |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
