"""Measure `validate --strict` on the proof corpus: mistakes caught, true statements accepted.

    python tests/proof_corpus/measure.py            # the figures, per class
    python tests/proof_corpus/measure.py --failing  # and every case that misses

A mistake is caught when `validate --strict` exits 1 with a finding on the changed
field (a finding on the record's file whose `field` is the changed one or a parent of
it; for a deleted record, any finding that names a document no record holds). A true
statement is accepted when, added as a source of its own and cited as one more
evidence quote of its record, `validate --strict` finds nothing (but the press article's
mentions of other documents, which no record cites from it yet) and `show --proof` says
that quote proves each fact the statement states. Both run the command in-process on a
fresh copy of the shipped register per case.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CORPUS = HERE  # --corpus DIR measures another set of the same format (holdout/)


@dataclass
class Outcome:
    """One case: did the tool do what the case expects, and what it said."""

    id: str
    kind: str  # "mistake" or "statement"
    cls: str
    language: str
    ok: bool
    said: str
    # Every finding's "code: message", for the tests that read what the tool advised.
    messages: tuple[str, ...] = ()


def load(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


@contextmanager
def register_copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="proof-corpus-") as tmp:
        root = Path(tmp) / "register"
        shutil.copytree(REPO / "agreements", root / "agreements")
        shutil.copytree(REPO / "seeds", root / "seeds")
        yield root


def _replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"corpus: {old!r} is not once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def validate(root: Path) -> tuple[int, list[dict[str, Any]]]:
    from agreement_tracker.cli import cli

    result = CliRunner().invoke(
        cli,
        ["--register", str(root), "validate", "--strict", "--format", "json"],
        env={"AGREEMENTS_REGISTER": None, "COLUMNS": "200"},
        catch_exceptions=False,
    )
    try:
        findings = json.loads(result.stdout or "[]")
    except json.JSONDecodeError:
        findings = []
    if isinstance(findings, dict):
        findings = findings.get("findings", [])
    return result.exit_code, findings


def _on_field(finding: dict[str, Any], file: str, field: str) -> bool:
    got = finding.get("field") or ""
    if finding.get("file") != file or not got:
        return False
    if field.startswith("accounts."):
        # An account is one claim (field, value, source, quote): a finding on any of its
        # parts is a finding on it.
        field = ".".join(field.split(".")[:2])
    return field == got or field.startswith(got + ".") or got.startswith(field + ".")


def run_mistake(case: dict[str, Any]) -> Outcome:
    with register_copy() as root:
        for other in case.get("also", []):
            _replace(root, other["file"], other["old"], other["new"])
        if case.get("delete"):
            (root / case["file"]).unlink()
        else:
            for step in case.get("edits") or [{"old": case["old"], "new": case["new"]}]:
                _replace(root, case["file"], step["old"], step["new"])
        code, findings = validate(root)
    if case.get("delete"):
        hit = [f for f in findings if f["code"] in ("uncovered-mention", "unrecorded-mention")]
    else:
        hit = [f for f in findings if _on_field(f, case["file"], case["field"])]
    said = "; ".join(f"{f['code']}@{f.get('field')}" for f in findings) or "(nothing)"
    messages = tuple(f"{f['code']}: {f['message']}" for f in findings)
    return Outcome(
        case["id"], "mistake", case["class"], "", code == 1 and bool(hit), said, messages
    )


def add_aliases(root: Path) -> None:
    """The spellings of aliases.yaml, added as `org alias` adds them."""
    aliases = CORPUS / "aliases.yaml"
    if not aliases.exists():
        return
    spellings = yaml.safe_load(aliases.read_text(encoding="utf-8"))
    path = root / "agreements/registry/organisations.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for org in data["organisations"]:
        org["aliases"] = [*(org.get("aliases") or []), *spellings.get(org["id"], [])]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def run_statement(case: dict[str, Any], aliases: bool = True) -> Outcome:
    with register_copy() as root:
        if aliases:
            add_aliases(root)
        raw = (CORPUS / case["source"]).read_bytes()
        name = f"press-{case['id']}.txt"
        (root / "seeds" / name).write_bytes(raw)
        entry = {
            "id": f"press-{case['id']}",
            "file": name,
            "lang": case["language"],
            "title": "unknown",
            "publisher": "unknown",
            "published": "unknown",
            "sha256": hashlib.sha256(raw).hexdigest(),
        }
        manifest = root / "seeds" / "sources.yaml"
        data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
        data["sources"].append(entry)
        manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        record = root / "agreements" / f"{case['record']}.yaml"
        doc = yaml.safe_load(record.read_text(encoding="utf-8"))
        doc["evidence"].append({"source": entry["id"], "quote": case["quote"]})
        record.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
        code, findings = validate(root)
        proven = proven_by(root, case["record"], entry["id"])
        needed = needed_fields(doc, case["states"])
    if any(f.startswith("title.") for f in proven):
        proven.add("title")  # the title in the statement's own language
    missing = sorted(needed - proven)
    # The article may name other documents of the day, which no record cites from it yet:
    # that is the new source's coverage, for the curator to finish, not a refusal of the
    # statement.
    findings = [
        f for f in findings
        if not (f["code"] == "uncovered-mention" and f["file"] == f"seeds/{name}")
    ]  # fmt: skip
    code = 1 if any(f["severity"] in ("error", "warning") for f in findings) else 0
    said = "; ".join(f"{f['code']}: {f['message'][:160]}" for f in findings)
    if missing:
        said += f"{'; ' if said else ''}not proven by the statement: {', '.join(missing)}"
    ok = code == 0 and not missing
    return Outcome(case["id"], "statement", case["class"], case["language"], ok, said or "-")


# A statement's `states` names facts; `show --proof` names the claims they prove.
_PLAIN_FACTS = {"kind", "date", "place", "term", "title"}


def needed_fields(record: dict[str, Any], states: list[str]) -> set[str]:
    """The proof claims a statement must prove, given the facts it states."""
    needed = {fact for fact in states if fact in _PLAIN_FACTS}
    for n, party in enumerate(record.get("parties", [])):
        role = party.get("role")
        if role == "signatory" and {"parties", "signatories"} & set(states):
            needed.add(f"parties.{n}")
        if role == "witness" and "witnesses" in states:
            needed.add(f"parties.{n}")
        if party.get("signer") and "signers" in states:
            needed.add(f"parties.{n}.signer")
    return needed


def proven_by(root: Path, record: str, source: str) -> set[str]:
    """The claims of `record` that `show --proof` says a quote of `source` proves."""
    from agreement_tracker.cli import cli

    result = CliRunner().invoke(
        cli,
        ["--register", str(root), "show", record, "--proof", "--format", "json"],
        env={"AGREEMENTS_REGISTER": None, "COLUMNS": "200"},
        catch_exceptions=False,
    )
    try:
        rows = json.loads(result.stdout)
    except json.JSONDecodeError:
        return set()
    return {
        str(row["field"])
        for row in rows
        if isinstance(row, dict) and row.get("source") == source and row.get("proven") is True
    }


def measure(aliases: bool = True) -> list[Outcome]:
    outcomes = [run_mistake(c) for c in load("mistakes.yaml")]
    outcomes += [run_statement(c, aliases) for c in load("statements.yaml")]
    return outcomes


def figures(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """(ok, total) for mistakes caught and statements accepted."""
    result: dict[str, tuple[int, int]] = {}
    for kind in ("mistake", "statement"):
        mine = [o for o in outcomes if o.kind == kind]
        result[kind] = (sum(o.ok for o in mine), len(mine))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--failing", action="store_true", help="list every case that misses")
    parser.add_argument(
        "--no-aliases", action="store_true", help="without the spellings of aliases.yaml"
    )
    parser.add_argument("--corpus", type=Path, default=HERE, help="the folder of the corpus")
    args = parser.parse_args()
    global CORPUS
    CORPUS = args.corpus.resolve()
    outcomes = measure(aliases=not args.no_aliases)
    by_class: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_class[(o.kind, o.cls)].append(o)
    for (kind, cls), items in sorted(by_class.items()):
        print(f"{kind:<10} {cls:<24} {sum(o.ok for o in items):>3}/{len(items)}")
    for kind, (ok, total) in figures(outcomes).items():
        print(f"{kind}s: {ok}/{total} = {100 * ok / total:.0f}%")
    if args.failing:
        for o in outcomes:
            if not o.ok:
                print(f"\n{o.kind} {o.id} [{o.cls}]\n  {o.said}")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()
