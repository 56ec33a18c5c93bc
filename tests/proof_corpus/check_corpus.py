"""Checks the issue-22 proof corpus itself (not the tool): run from anywhere.

- mistakes.yaml: ids unique; every `old` occurs exactly once in its file (edits
  applied in order, after any `also` edits to other files); every changed file
  still parses as YAML into a record with its id; the mutation changes the
  record; the named field exists (except for deletions); every quote in a
  changed record is verbatim in its source (NFC, white space), except that a
  misspelt-quote mistake must leave exactly one quote that is not.
- statements.yaml: ids unique; each press file exists and holds its quote
  verbatim; record exists; classes, languages and `states` are known.
Only reads this folder and the register's files; imports nothing of the tool.
"""

import collections
import pathlib
import re
import sys
import unicodedata

import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
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
LANGS = {"en", "vi", "de", "fr", "ru"}
STATES = {
    "kind",
    "parties",
    "signatories",
    "witnesses",
    "signers",
    "date",
    "place",
    "term",
    "title",
}
errors = []


def norm(s):
    return " ".join(unicodedata.normalize("NFC", s).split())


def sources():
    manifest = yaml.safe_load((ROOT / "seeds/sources.yaml").read_text(encoding="utf-8"))
    return {
        s["id"]: norm((ROOT / "seeds" / s["file"]).read_text(encoding="utf-8"))
        for s in manifest["sources"]
    }


def quotes(rec):
    for i, e in enumerate(rec.get("evidence") or []):
        yield f"evidence.{i}.quote", e["source"], e["quote"]
    for i, n in enumerate(rec.get("follow_up") or []):
        if n.get("quote"):
            yield f"follow_up.{i}.quote", n["source"], n["quote"]
    for i, a in enumerate(rec.get("accounts") or []):
        yield f"accounts.{i}.quote", a["source"], a["quote"]


def field_exists(rec, path):
    node = rec
    for part in path.split("."):
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                return False
            node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                return False
            node = node[part]
        else:
            return False
    return True


def replace_once(text, old, new, where):
    n = text.count(old)
    if n != 1:
        errors.append(f"{where}: `old` occurs {n} times: {old[:60]!r}")
        return text
    return text.replace(old, new)


def check_mistakes(src):
    items = yaml.safe_load((HERE / "mistakes.yaml").read_text(encoding="utf-8"))
    ids = collections.Counter(m["id"] for m in items)
    errors.extend(f"duplicate mistake id {i}" for i, n in ids.items() if n > 1)
    per_class, per_record = collections.Counter(), collections.defaultdict(set)
    for m in items:
        mid = m["id"]
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", mid):
            errors.append(f"{mid}: id not kebab-case")
        if m["class"] not in MISTAKE_CLASSES:
            errors.append(f"{mid}: unknown class {m['class']}")
        per_class[m["class"]] += 1
        path = ROOT / m["file"]
        per_record[m["class"]].add(path.stem)
        for a in m.get("also") or []:
            other = (ROOT / a["file"]).read_text(encoding="utf-8")
            changed = replace_once(other, a["old"], a["new"], f"{mid} also {a['file']}")
            rec = yaml.safe_load(changed)
            for f, s, q in quotes(rec):
                if norm(q) not in src[s]:
                    errors.append(f"{mid}: also-edit quote {f} of {a['file']} not in {s}")
        original = path.read_text(encoding="utf-8")
        before = yaml.safe_load(original)
        if m.get("delete"):
            if m["field"] != "-" or "old" in m or "edits" in m:
                errors.append(f"{mid}: a deletion has field '-' and no edits")
            continue
        edits = m.get("edits") or [{"old": m["old"], "new": m["new"]}]
        text = original
        for e in edits:
            text = replace_once(text, e["old"], e["new"], mid)
        try:
            rec = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            errors.append(f"{mid}: result is not YAML: {exc}")
            continue
        if not isinstance(rec, dict) or rec.get("id") != path.stem:
            errors.append(f"{mid}: result is not the record {path.stem}")
            continue
        if rec == before:
            errors.append(f"{mid}: the change changes nothing")
        if not field_exists(rec, m["field"]):
            errors.append(f"{mid}: field {m['field']} not in the changed record")
        missing = [f for f, s, q in quotes(rec) if norm(q) not in src[s]]
        if m["class"] == "misspelt-quote":
            if len(missing) != 1:
                errors.append(
                    f"{mid}: a misspelt quote must leave exactly one quote not found, got {missing}"
                )
        elif missing:
            errors.append(f"{mid}: quotes not verbatim in their source: {missing}")
    return items, per_class, per_record


def check_statements():
    items = yaml.safe_load((HERE / "statements.yaml").read_text(encoding="utf-8"))
    ids = collections.Counter(s["id"] for s in items)
    errors.extend(f"duplicate statement id {i}" for i, n in ids.items() if n > 1)
    records = {p.stem for p in (ROOT / "agreements").glob("*.yaml")}
    per_class, per_lang, per_record = (
        collections.Counter(),
        collections.Counter(),
        collections.Counter(),
    )
    for s in items:
        sid = s["id"]
        per_class[s["class"]] += 1
        per_lang[s["language"]] += 1
        per_record[s["record"]] += 1
        if s["class"] not in STATEMENT_CLASSES:
            errors.append(f"{sid}: unknown class {s['class']}")
        if s["language"] not in LANGS:
            errors.append(f"{sid}: unknown language {s['language']}")
        if s["record"] not in records:
            errors.append(f"{sid}: unknown record {s['record']}")
        if not set(s["states"]) <= STATES or not s["states"]:
            errors.append(f"{sid}: bad states {s['states']}")
        if s["source"] != f"press/{sid}.txt":
            errors.append(f"{sid}: source should be press/{sid}.txt")
        f = HERE / s["source"]
        if not f.exists():
            errors.append(f"{sid}: {f} missing")
            continue
        raw = f.read_bytes()
        body = raw.decode("utf-8")
        if s["quote"] not in body:
            errors.append(f"{sid}: quote not verbatim in {s['source']}")
        if body.count(s["quote"]) > 1:
            errors.append(f"{sid}: quote occurs more than once in {s['source']}")
    files = {p.name for p in (HERE / "press").glob("*.txt")}
    unused = files - {pathlib.Path(s["source"]).name for s in items}
    errors.extend(f"press file not used: {u}" for u in sorted(unused))
    return items, per_class, per_lang, per_record


def main():
    src = sources()
    m, mc, mr = check_mistakes(src)
    print(f"{len(m)} mistakes")
    for c in sorted(MISTAKE_CLASSES):
        print(f"  {c:16} {mc[c]:3}  records: {len(mr[c])}")
    s, sc, sl, sr = check_statements()
    print(f"{len(s)} statements")
    for c in sorted(STATEMENT_CLASSES):
        print(f"  {c:24} {sc[c]:3}")
    print("  languages: " + ", ".join(f"{k} {v}" for k, v in sorted(sl.items())))
    print(
        "  records:   "
        + ", ".join(f"{k.removeprefix('vn-az-2025-')} {v}" for k, v in sorted(sr.items()))
    )
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
