"""Check the second hold-out proof corpus itself (it imports nothing of the tool).

    python tests/proof_corpus/holdout2/check.py [--register DIR]

Mistakes (mistakes.yaml), each applied to an in-memory copy of the register:
  - ids unique, a known class, a description, a file that exists, a field;
  - exactly one of old/new, edits or delete;
  - every `old` (of `also`, then of `old` or each of `edits`, in order) occurs
    exactly once in its file at the moment it is applied, and changes it;
  - every file edited still parses as YAML (no duplicate keys);
  - every quote of an edited record (evidence, follow_up, accounts) is
    verbatim in its source, but for NFC and white space; in the class
    misspelt-quote exactly one is not, and it is one character away from a
    quote of the shipped record;
  - a quote put into occasions.yaml (by `also`) is verbatim in its source;
  - each class at least 4 times, over at least 4 records.
Statements (statements.yaml and press/):
  - ids unique, a known class, language and record, `source` is
    press/<id>.txt and exists, the quote is verbatim in it, `states` uses the
    known facts only; every press file is used;
  - each class at least 4 times, each language at least 6 times.
Exit 0 when all holds, 1 otherwise (every problem printed).
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent

MISTAKE_CLASSES = {
    "sides-roles",
    "clause-scope",
    "signer",
    "dateline",
    "place",
    "title-term",
    "coverage",
    "quote-support",
    "misspelt-quote",
    "kind-date-other",
}
STATEMENT_CLASSES = {
    "coordinated-names",
    "plural-collective",
    "press-dates",
    "list-sentences",
    "other-scripts-and-names",
    "signed-by",
    "witnessed",
}
LANGUAGES = {"en", "vi", "de", "fr", "ru"}
FACTS = {"kind", "parties", "signatories", "witnesses", "signers", "date", "place", "term", "title"}
MIN_MISTAKES_PER_CLASS = 4
MIN_RECORDS_PER_CLASS = 4
MIN_STATEMENTS_PER_CLASS = 4
MIN_STATEMENTS_PER_LANGUAGE = 6


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys."""


def _mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def one_edit_apart(a: str, b: str) -> bool:
    """True when b is a with one character substituted, inserted or deleted."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def record_quotes(data) -> list[tuple[str, str, str]]:
    """(where, source, quote) for every quote of a record."""
    out = []
    if not isinstance(data, dict):
        return out
    for key in ("evidence", "follow_up", "accounts"):
        for i, item in enumerate(data.get(key) or []):
            if isinstance(item, dict) and item.get("quote") is not None:
                out.append((f"{key}.{i}.quote", str(item.get("source")), str(item["quote"])))
    return out


class Checker:
    def __init__(self, register: Path, corpus: Path):
        self.register = register
        self.corpus = corpus
        self.problems: list[str] = []
        manifest = yaml.safe_load((register / "seeds" / "sources.yaml").read_text("utf-8"))
        self.sources = {
            s["id"]: norm((register / "seeds" / s["file"]).read_text("utf-8"))
            for s in manifest["sources"]
        }
        self.records = {
            p.stem
            for p in (register / "agreements").glob("*.yaml")
            if p.name != "agreement.schema.json"
        }

    def problem(self, where: str, text: str) -> None:
        self.problems.append(f"{where}: {text}")

    # ------------------------------------------------------------ mistakes
    def apply(self, files: dict[str, str], where: str, rel: str, old, new) -> bool:
        if rel not in files:
            path = self.register / rel
            if not path.is_file():
                self.problem(where, f"file {rel} does not exist")
                return False
            files[rel] = path.read_text("utf-8")
        if not isinstance(old, str) or not isinstance(new, str) or not old:
            self.problem(where, "old and new must be non-empty text (new may be empty text)")
            return False
        n = files[rel].count(old)
        if n != 1:
            self.problem(where, f"old occurs {n} times in {rel}, not exactly once: {old[:70]!r}")
            return False
        if old == new:
            self.problem(where, "old and new are the same")
            return False
        files[rel] = files[rel].replace(old, new, 1)
        return True

    def check_mistakes(self) -> Counter:
        path = self.corpus / "mistakes.yaml"
        entries = yaml.load(path.read_text("utf-8"), Loader=StrictLoader)
        ids = Counter(e.get("id") for e in entries)
        for i, n in ids.items():
            if n > 1:
                self.problem("mistakes.yaml", f"id {i} used {n} times")
        by_class: Counter = Counter()
        records_by_class: dict[str, set] = defaultdict(set)
        for e in entries:
            where = f"mistakes.yaml {e.get('id')}"
            cls = e.get("class")
            if cls not in MISTAKE_CLASSES:
                self.problem(where, f"unknown class {cls!r}")
            by_class[cls] += 1
            for key in ("id", "description", "file", "field"):
                if not e.get(key):
                    self.problem(where, f"no {key}")
            rel = e.get("file", "")
            records_by_class[cls].add(rel)
            forms = [("old" in e or "new" in e), ("edits" in e), bool(e.get("delete"))]
            if sum(forms) != 1:
                self.problem(where, "needs exactly one of old/new, edits, delete")
                continue
            files: dict[str, str] = {}
            ok = True
            for j, a in enumerate(e.get("also") or []):
                ok &= self.apply(
                    files, f"{where} also.{j}", a.get("file", ""), a.get("old"), a.get("new")
                )
            if e.get("delete"):
                if e.get("field") != "-":
                    self.problem(where, "a deleted record's field is '-'")
                if not (self.register / rel).is_file():
                    self.problem(where, f"file {rel} to delete does not exist")
            elif "edits" in e:
                for j, ed in enumerate(e["edits"]):
                    ok &= self.apply(files, f"{where} edits.{j}", rel, ed.get("old"), ed.get("new"))
            else:
                ok &= self.apply(files, where, rel, e.get("old"), e.get("new"))
            if not ok:
                continue
            bad_quotes = []
            for frel, text in files.items():
                try:
                    data = yaml.load(text, Loader=StrictLoader)
                except yaml.YAMLError as exc:
                    self.problem(where, f"{frel} no longer parses: {exc}")
                    continue
                if frel == "agreements/registry/occasions.yaml":
                    for occ in data.get("occasions") or []:
                        for ev in occ.get("evidence") or []:
                            src = str(ev.get("source"))
                            if (
                                src not in self.sources
                                or norm(str(ev.get("quote"))) not in self.sources[src]
                            ):
                                self.problem(where, f"occasion {occ.get('id')}: quote not verbatim")
                if not frel.startswith("agreements/") or "/registry/" in frel:
                    continue
                for qwhere, source, quote in record_quotes(data):
                    if source not in self.sources:
                        self.problem(where, f"{frel} {qwhere}: unknown source {source!r}")
                    elif norm(quote) not in self.sources[source]:
                        bad_quotes.append((frel, qwhere, quote))
            if cls == "misspelt-quote":
                if len(bad_quotes) != 1:
                    self.problem(
                        where,
                        f"a misspelt quote needs exactly one quote not in its source, "
                        f"found {len(bad_quotes)}",
                    )
                else:
                    frel, qwhere, quote = bad_quotes[0]
                    shipped = yaml.safe_load((self.register / frel).read_text("utf-8"))
                    if not any(
                        one_edit_apart(norm(q), norm(quote)) for _, _, q in record_quotes(shipped)
                    ):
                        self.problem(
                            where, f"{qwhere} is not one character away from a shipped quote"
                        )
            else:
                for frel, qwhere, quote in bad_quotes:
                    self.problem(
                        where, f"{frel} {qwhere} is not verbatim in its source: {quote[:70]!r}"
                    )
        for cls in sorted(MISTAKE_CLASSES):
            if by_class[cls] < MIN_MISTAKES_PER_CLASS:
                self.problem(
                    "mistakes.yaml",
                    f"class {cls}: {by_class[cls]} cases, fewer than {MIN_MISTAKES_PER_CLASS}",
                )
            if len(records_by_class[cls]) < MIN_RECORDS_PER_CLASS:
                self.problem(
                    "mistakes.yaml", f"class {cls}: only {len(records_by_class[cls])} records"
                )
        self.mistake_count = len(entries)
        return by_class

    # ---------------------------------------------------------- statements
    def check_statements(self) -> tuple[Counter, Counter]:
        path = self.corpus / "statements.yaml"
        entries = yaml.load(path.read_text("utf-8"), Loader=StrictLoader)
        ids = Counter(e.get("id") for e in entries)
        for i, n in ids.items():
            if n > 1:
                self.problem("statements.yaml", f"id {i} used {n} times")
        by_class: Counter = Counter()
        by_lang: Counter = Counter()
        used = set()
        for e in entries:
            where = f"statements.yaml {e.get('id')}"
            if e.get("class") not in STATEMENT_CLASSES:
                self.problem(where, f"unknown class {e.get('class')!r}")
            if e.get("language") not in LANGUAGES:
                self.problem(where, f"unknown language {e.get('language')!r}")
            if e.get("record") not in self.records:
                self.problem(where, f"unknown record {e.get('record')!r}")
            by_class[e.get("class")] += 1
            by_lang[e.get("language")] += 1
            states = e.get("states") or []
            if not states or not set(states) <= FACTS or len(set(states)) != len(states):
                self.problem(
                    where, f"states must be distinct facts among {sorted(FACTS)}: {states}"
                )
            source = e.get("source", "")
            if source != f"press/{e.get('id')}.txt":
                self.problem(where, f"source should be press/{e.get('id')}.txt, is {source!r}")
            press = self.corpus / source
            if not press.is_file():
                self.problem(where, f"{source} does not exist")
                continue
            used.add(press.name)
            text = press.read_text("utf-8")
            quote = e.get("quote") or ""
            if not quote or quote not in text:
                self.problem(where, f"quote is not verbatim in {source}: {quote[:70]!r}")
            lines = [line for line in text.splitlines() if line.strip()]
            if not 3 <= len(lines) <= 8:
                self.problem(where, f"{source} has {len(lines)} sentences/lines, not 3 to 8")
        for extra in sorted({p.name for p in (self.corpus / "press").glob("*.txt")} - used):
            self.problem("press", f"{extra} is not used by any statement")
        for cls in sorted(STATEMENT_CLASSES):
            if by_class[cls] < MIN_STATEMENTS_PER_CLASS:
                self.problem(
                    "statements.yaml",
                    f"class {cls}: {by_class[cls]}, fewer than {MIN_STATEMENTS_PER_CLASS}",
                )
        for lang in sorted(LANGUAGES):
            if by_lang[lang] < MIN_STATEMENTS_PER_LANGUAGE:
                self.problem(
                    "statements.yaml",
                    f"language {lang}: {by_lang[lang]}, fewer than {MIN_STATEMENTS_PER_LANGUAGE}",
                )
        self.statement_count = len(entries)
        return by_class, by_lang


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--register",
        type=Path,
        default=None,
        help="the register the mistakes apply to (default: this repository)",
    )
    args = ap.parse_args(argv)
    register = args.register or HERE.parents[2]
    c = Checker(register.resolve(), HERE)
    mc = c.check_mistakes()
    sc, sl = c.check_statements()
    print(f"mistakes: {c.mistake_count}  " + ", ".join(f"{k} {v}" for k, v in sorted(mc.items())))
    print(
        f"statements: {c.statement_count}  " + ", ".join(f"{k} {v}" for k, v in sorted(sc.items()))
    )
    print("languages: " + ", ".join(f"{k} {v}" for k, v in sorted(sl.items())))
    for p in c.problems:
        print("PROBLEM", p)
    print("all good" if not c.problems else f"{len(c.problems)} problems")
    return 1 if c.problems else 0


def run_for(folder: Path, doc: str, **minimums: int) -> int:
    """Check another hold-out corpus in `folder` with this checker and its own minimums
    (MIN_MISTAKES_PER_CLASS=…, …): the corpora share one checker, not copies of it."""
    global HERE, __doc__
    HERE, __doc__ = folder, doc
    for name, value in minimums.items():
        if name not in globals():
            raise KeyError(name)
        globals()[name] = value
    return main()


if __name__ == "__main__":
    sys.exit(main())
