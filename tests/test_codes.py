"""The one list of finding codes (issue 25, item 5): every code the package can emit is in
`codes.CODES`, every listed code is emitted somewhere, the docs page is generated from the
list, and `validate --explain` prints an entry.

The package's source is read with `ast`: a code is the string given where a function takes
its `code` parameter (`Finding(...)`, `doc.finding(path, code, ...)`, `Claim(code=...)`, the
local `problem(...)`/`at(...)` helpers), or the middle of a `(path, code, message)` problem
tuple. A code built at run time is allowed only in the two forms listed below.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from agreement_tracker import codes
from conftest import invoke

PACKAGE = Path(codes.__file__).parent
ROOT = PACKAGE.parent.parent
CODE_SHAPE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# A file the store refuses (`FileRefused(code, ...)`) is reported as `file-CODE` for a
# register file and `source-CODE` for a source text: the only codes made at run time.
DYNAMIC = {"f'file-{exc.code}'", "f'source-{exc.code}'"}


def _code_parameters(tree: ast.AST) -> dict[str, set[int]]:
    """name -> positions of a `code` parameter, for functions and classes defined here."""
    found: dict[str, set[int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            names = [a.arg for a in node.args.args]
            if "code" in names:
                at = names.index("code") - (names[0] in ("self", "cls"))
                found.setdefault(node.name, set()).add(at)
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    names = [a.arg for a in item.args.args][1:]
                    if "code" in names:
                        found.setdefault(node.name, set()).add(names.index("code"))
    return found


def emitted() -> tuple[dict[str, list[str]], set[str]]:
    """Every code the package can emit (code -> where), and the run-time forms seen."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")}
    shared: dict[str, set[int]] = {"Finding": {4}}
    for tree in trees.values():
        for name, positions in _code_parameters(tree).items():
            shared.setdefault(name, set()).update(positions)
    out: dict[str, list[str]] = {}
    dynamic: set[str] = set()
    for path, tree in trees.items():
        if path.name == "codes.py":
            continue
        local = {**shared, **_code_parameters(tree)}  # a module's own helper wins
        where = str(path.relative_to(PACKAGE))
        for node in ast.walk(tree):
            given: list[ast.expr] = []
            refused = False
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                refused = name == "FileRefused"
                given += [k.value for k in node.keywords if k.arg == "code"]
                given += [node.args[i] for i in local.get(name, ()) if i < len(node.args)]
            elif isinstance(node, ast.Assign):  # `code = "x"`, `code, message = "x", ...`
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == "code":
                        given.append(node.value)
                    elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                        given += [
                            v for t, v in zip(target.elts, node.value.elts, strict=False)
                            if isinstance(t, ast.Name) and t.id == "code"
                        ]  # fmt: skip
            elif isinstance(node, ast.Tuple) and len(node.elts) == 3:
                middle = node.elts[1]
                if isinstance(middle, ast.Constant) and "-" in str(middle.value):
                    given.append(middle)
            for value in given:
                for v in [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]:
                    if isinstance(v, ast.Constant) and isinstance(v.value, str):
                        if not CODE_SHAPE.match(v.value):
                            continue  # a country code or a message, not a finding code
                        for code in (
                            [f"file-{v.value}", f"source-{v.value}"] if refused else [v.value]
                        ):
                            out.setdefault(code, []).append(f"{where}:{v.lineno}")
                    elif isinstance(v, ast.JoinedStr):
                        dynamic.add(ast.unparse(v))
    return out, dynamic


def test_every_emitted_code_is_listed() -> None:
    found, dynamic = emitted()
    missing = {c: w for c, w in found.items() if c not in codes.BY_CODE}
    assert not missing, f"codes emitted but not in codes.CODES: {missing}"
    assert dynamic == DYNAMIC, "a code built at run time must be listed here and in CODES"


def test_every_listed_code_is_emitted() -> None:
    found, _ = emitted()
    assert len(found) > 80  # the scan sees the package's codes, not an empty set
    unused = sorted(set(codes.BY_CODE) - set(found))
    assert not unused, f"listed in codes.CODES but emitted nowhere: {unused}"


def test_the_list_is_whole() -> None:
    assert len(codes.BY_CODE) == len(codes.CODES), "a code is listed twice"
    for c in codes.CODES:
        assert c.area in codes.AREAS, c
        assert c.means.endswith(".") and c.fix.endswith("."), c
        assert c.severity in ("error", "warning", "shown"), c


def test_errors_page_is_generated_from_the_list() -> None:
    page = (ROOT / "docs" / "reference" / "errors.md").read_text(encoding="utf-8")
    assert page == codes.markdown(), (
        "docs/reference/errors.md is out of date: "
        "python -m agreement_tracker.codes > docs/reference/errors.md"
    )


def test_a_finding_of_a_broken_register_has_a_listed_code(tmp_path: Path) -> None:
    """The codes of a real run, not only of the scan: a record with a duplicate key, an
    unknown reference and a wrong quote."""
    invoke("init", str(tmp_path / "reg"))
    record = tmp_path / "reg" / "agreements" / "x-broken.yaml"
    record.write_text("id: x-broken\nid: x-broken\ntitle: {en: T}\n", encoding="utf-8")
    other = tmp_path / "reg" / "agreements" / "x-other.yaml"
    other.write_text("id: x-other\nkind: nonsense\n", encoding="utf-8")
    shown = invoke("--register", str(tmp_path / "reg"), "validate", "--format", "json")
    assert shown.code == 2  # a file that cannot be read as YAML is unusable input
    import json

    found = {f["code"] for f in json.loads(shown.stdout)}
    assert {"yaml-duplicate-key", "missing-field"} <= found
    assert found <= set(codes.BY_CODE)


@pytest.mark.parametrize("code", ["quote-not-found", "due-miscounted", "file-outside"])
def test_explain_prints_the_entry(code: str) -> None:
    shown = invoke("validate", "--explain", code)
    assert shown.code == 0, shown.stderr
    entry = codes.BY_CODE[code]
    assert shown.stdout.startswith(f"{code} ({entry.severity})")
    assert " ".join(entry.fix.split()) in " ".join(shown.stdout.split())


def test_explain_an_unknown_code_suggests_the_closest() -> None:
    shown = invoke("validate", "--explain", "quote-not-fund")
    assert shown.code == 2
    assert "quote-not-found" in shown.stderr
    assert "Traceback" not in shown.stderr
