"""Score `agreements commitment add/review` against the blind corpus in cases.yaml.

The cases were written without reading the checker (issue 24), so this measures the tool,
not the tool against itself. Each case runs on a fresh copy of the shipped register with the
case's press article added; the last command decides: accept = exit 0, refuse = exit 1 or 2
with an error message (never a traceback).

    python tests/proof_corpus/commitments_blind/run.py [--jobs N] [--case ID]... [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
# An error line, or a finding code such as E123 or "agreements: due-differs: ...".
REFUSAL = re.compile(
    r"error|\b[A-Z]{1,4}-?\d{2,4}\b|^\S*agreements: [a-z]+(?:-[a-z]+)+:",
    re.IGNORECASE | re.MULTILINE,
)


def agreements_cmd() -> list[str]:
    """The installed command, next to this Python if it is not on PATH."""
    found = shutil.which("agreements") or str(Path(sys.executable).with_name("agreements"))
    return [found]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the tool with no register inherited from the environment."""
    env = {k: v for k, v in os.environ.items() if k != "AGREEMENTS_REGISTER"}
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    return subprocess.run(
        agreements_cmd() + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def source_add_args(meta: dict[str, Any], file: Path) -> list[str]:
    """`source add` with what the article's own text states."""
    args = ["source", "add", str(file), "--lang", meta["lang"], "--id", meta["id"]]
    if meta.get("published"):
        args += ["--date", str(meta["published"])]
    if meta.get("title"):
        args += ["--title", meta["title"]]
    if meta.get("publisher"):
        args += ["--publisher", meta["publisher"]]
    return args


def score(case: dict[str, Any], base: Path, work: Path, sources: dict[str, Any]) -> dict[str, Any]:
    """Run one case on its own copy of the register and judge the last command."""
    reg = work / case["id"]
    shutil.copytree(base, reg)
    result: dict[str, Any] = {"id": case["id"], "class": case["class"], "expect": case["expect"]}
    steps = [source_add_args(sources[case["source"]], HERE / case["source"])] + case["commands"]
    for i, step in enumerate(steps):
        proc = run(["--register", str(reg)] + [str(a) for a in step], cwd=work)
        out = (proc.stdout + proc.stderr).strip()
        last = i == len(steps) - 1
        if "Traceback (most recent call last)" in out:
            result.update(outcome="traceback", rc=proc.returncode, message=out, step=i)
            return result
        if not last and proc.returncode != 0:
            result.update(outcome="setup-failed", rc=proc.returncode, message=out, step=i)
            return result
        if last:
            result["rc"] = proc.returncode
            result["message"] = out
            if proc.returncode == 0:
                result["outcome"] = "accepted"
            elif proc.returncode in (1, 2) and REFUSAL.search(out):
                result["outcome"] = "refused"
            else:
                result["outcome"] = "bad-exit"
    return result


def agrees(r: dict[str, Any]) -> bool:
    """Whether the tool's answer is the case's expectation."""
    return (r["expect"] == "accept" and r["outcome"] == "accepted") or (
        r["expect"] == "refuse" and r["outcome"] == "refused"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--case", action="append", default=[])
    parser.add_argument("--json", type=Path)
    opts = parser.parse_args()

    cases = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
    sources = yaml.safe_load((HERE / "sources.yaml").read_text(encoding="utf-8"))
    if opts.case:
        cases = [c for c in cases if c["id"] in opts.case]

    with tempfile.TemporaryDirectory(prefix="h11-blind-") as tmp:
        work = Path(tmp)
        base = work / "_base"
        proc = run(["init", str(base), "--from-shipped"], cwd=work)
        if proc.returncode != 0:
            print("init --from-shipped failed:", proc.stdout, proc.stderr, file=sys.stderr)
            return 2
        with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
            results = list(pool.map(lambda c: score(c, base, work, sources), cases))

    by_class: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_class[r["class"]].append(r)
    print(f"{'class':32} {'caught mistakes':>16} {'accepted statements':>20}")
    tot = {"m": 0, "mc": 0, "s": 0, "sa": 0}
    for cls in sorted(by_class):
        rs = by_class[cls]
        mistakes = [r for r in rs if r["expect"] == "refuse"]
        statements = [r for r in rs if r["expect"] == "accept"]
        mc = sum(agrees(r) for r in mistakes)
        sa = sum(agrees(r) for r in statements)
        tot["m"] += len(mistakes)
        tot["mc"] += mc
        tot["s"] += len(statements)
        tot["sa"] += sa
        m_txt = f"{mc}/{len(mistakes)}" if mistakes else "-"
        s_txt = f"{sa}/{len(statements)}" if statements else "-"
        print(f"{cls:32} {m_txt:>16} {s_txt:>20}")
    print(f"{'TOTAL':32} {tot['mc']}/{tot['m']:<14} {tot['sa']}/{tot['s']:<18}")

    disagreements = [r for r in results if not agrees(r)]
    print(f"\n{len(disagreements)} disagreement(s)")
    for r in disagreements:
        print(
            f"\n- {r['id']} [{r['class']}] expected {r['expect']},"
            f" got {r['outcome']} (exit {r.get('rc')})"
        )
        for line in r.get("message", "").splitlines()[:12]:
            print(f"    {line}")
    if opts.json:
        opts.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
