"""Read YAML into plain data plus a map from each value's path to its line.

PyYAML is the fast reader, but its defaults are wrong for curated records:
it keeps the last of two duplicate keys silently, turns `NO` into False and
`2025-13-01` into an exception, and constructs whatever a tag asks for. This
module composes the node tree (C parser where available) and builds the data
itself, so it can refuse what would lose or misread data and say where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from agreement_tracker.findings import Finding

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple[str | int, ...]
Mark = tuple[int, int]  # 1-based line and column

MAX_DEPTH = 64


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """YAML 1.2-like implicit typing: only true/false are booleans, no timestamps.

    Dates stay strings so the model parses them and reports an impossible one
    (2025-13-01) as a finding with a line, instead of PyYAML raising.
    """


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """A YAML file read into plain data, with where each value stands."""

    file: str
    data: Any = None
    marks: dict[Path, Mark] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def mark(self, path: Path) -> Mark | None:
        """The line and column of the value at `path`, or of its nearest parent."""
        while True:
            if path in self.marks:
                return self.marks[path]
            if not path:
                return None
            path = path[:-1]

    def finding(self, path: Path, code: str, message: str, **extra: Any) -> Finding:
        """An error located at `path` in this document; its field is the dotted path."""
        mark = self.mark(path)
        line, column = mark if mark else (None, None)
        extra.setdefault("field", ".".join(str(p) for p in path) or None)
        return Finding(self.file, line, column, "error", code, message, **extra)


def read_yaml(text: str, file: str) -> Document:
    """Parse `text`; problems become findings on the returned document."""
    doc = Document(file)
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        hint = _syntax_hint(text, mark.line if mark else None)
        doc.findings.append(
            Finding(
                file, line, column, "error", "yaml-syntax", f"YAML syntax error: {problem}{hint}"
            )
        )
        return doc
    except yaml.YAMLError as exc:
        doc.findings.append(Finding(file, None, None, "error", "yaml-syntax", f"YAML error: {exc}"))
        return doc
    if node is None:
        return doc
    builder = _Builder(doc)
    doc.data = builder.build(node, ())
    return doc


def _syntax_hint(text: str, line: int | None) -> str:
    if line is not None:
        lines = text.splitlines()
        if (
            0 <= line < len(lines)
            and "\t" in lines[line][: len(lines[line]) - len(lines[line].lstrip())]
        ):
            return " (a tab indents this line: YAML indents with spaces only)"
    return "; fix the line and run again"


class _Builder:
    """Turns composed nodes into plain Python data, recording marks and refusing the unsafe."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()

    def _error(self, node: yaml.Node, code: str, message: str) -> None:
        self.doc.findings.append(
            Finding(
                self.doc.file,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "error",
                code,
                message,
            )
        )

    def build(self, node: yaml.Node, path: Path, depth: int = 0) -> Any:
        self.doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
            # An alias (*name) points at a node built already. Records never need
            # them, and refusing them is what stops "billion laughs" expansion.
            self._error(
                node, "yaml-alias", "YAML aliases (*name) are not allowed: write the value out"
            )
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self._error(node, "yaml-depth", f"nesting deeper than {MAX_DEPTH} levels")
            return None
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self._error(node, "yaml-tag", f"tag {node.tag!r} is not allowed: remove it")
                return None
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        return None  # pragma: no cover - PyYAML has no other node kinds

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self._error(node, "yaml-tag", f"tag {node.tag!r} is not allowed: remove it")
            return None
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        if node.tag == "tag:yaml.org,2002:int":
            return _constructor.construct_yaml_int(node)
        if node.tag == "tag:yaml.org,2002:float":
            return _constructor.construct_yaml_float(node)
        if node.tag == "tag:yaml.org,2002:bool":
            return node.value.lower() == "true"
        return None

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[Any, Any] | None:
        if node.tag != "tag:yaml.org,2002:map":
            self._error(node, "yaml-tag", f"tag {node.tag!r} is not allowed: remove it")
            return None
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self._error(key_node, "yaml-key", "a mapping key must be a plain word")
                continue
            key = key_node.value
            if key in result:
                first = self.doc.marks.get((*path, key))
                where = f" (first at line {first[0]})" if first else ""
                self._error(
                    key_node,
                    "yaml-duplicate-key",
                    f"duplicate key {key!r}{where}: YAML would keep only one; remove or rename one",
                )
                continue
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result


def compose(text: str) -> yaml.Node | None:
    """The node tree of `text` (without its BOM), marks counted in characters, for writers."""
    return yaml.compose(text, Loader=_Loader)
