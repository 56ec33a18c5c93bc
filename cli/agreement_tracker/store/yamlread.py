"""Read YAML into plain data plus a map from each value's path to its line.

PyYAML is the fast reader, but its defaults are wrong for curated records:
it keeps the last of two duplicate keys silently, turns `NO` into False and
`2025-13-01` into an exception, and constructs whatever a tag asks for. This
module composes the node tree (C parser where available) and builds the data
itself, so it can refuse what would lose or misread data and say where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from agreement_tracker.findings import Finding
from agreement_tracker.store.document import Document, KeyPath

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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

# Short words without a space (ids, codes, dates, languages, roles) and keys repeat across
# records: each is kept once per process, so 100,000 records read by `validate` do not
# hold 100,000 copies of each organisation's id. Text with spaces (titles, quotes) is not.
_SHARED: dict[str, str] = {}


def _shared(value: str) -> str:
    if len(value) > 64 or " " in value:
        return value
    return _SHARED.setdefault(value, value)


def read_yaml(text: str, file: str, *, marks: bool = True) -> Document:
    """Parse `text`; problems become findings on the returned document.

    `marks=False` keeps no map from each value to its line: for a record of 100,000
    notes the map is as large as the data, and writers and loaders need it only to
    place a finding. A file with a finding is read again with marks, so what the
    findings say does not depend on the option.
    """
    doc = _read(text, file, marks)
    if not marks and doc.findings:
        return _read(text, file, True)
    return doc


def _read(text: str, file: str, marks: bool) -> Document:
    doc = Document(file)
    if text.startswith("\ufeff"):
        text = text[1:]
    loader = _Loader(text)
    try:
        doc.data = _Builder(doc, loader, marks).build()
    except yaml.MarkedYAMLError as exc:
        deep = _flow_too_deep(text)
        if deep is not None:
            # libyaml refuses deep flow nesting itself, in words that change between
            # releases; the rule and its message are ours, whichever refuses first.
            doc.data = None
            doc.findings.append(Finding(file, *deep, "error", "yaml-depth", _DEPTH_MESSAGE))
            return doc
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        hint = _syntax_hint(text, mark.line if mark else None)
        doc.data = None
        doc.findings.append(
            Finding(
                file, line, column, "error", "yaml-syntax", f"YAML syntax error: {problem}{hint}"
            )
        )
    except yaml.reader.ReaderError as exc:
        doc.data = None
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        # libyaml counts the position in bytes; the character itself says where it is.
        at = text.find(chr(code))
        at = at if at >= 0 else 0
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        doc.findings.append(
            Finding(
                file,
                line,
                column,
                "error",
                "yaml-syntax",
                f"the control character U+{code:04X} is not allowed in YAML: remove it, or "
                f"write it as \\x{code:02x} inside double quotes",
            )
        )
    except yaml.YAMLError as exc:
        doc.data = None
        doc.findings.append(Finding(file, None, None, "error", "yaml-syntax", f"YAML error: {exc}"))
    except _Stop:
        doc.data = None  # the finding that stopped it is on the document
    finally:
        loader.dispose()
    return doc


_DEPTH_MESSAGE = (
    f"nesting deeper than {MAX_DEPTH} levels: records need a few; "
    "check the brackets and indentation here"
)


def _flow_too_deep(text: str) -> tuple[int, int] | None:
    """Where flow brackets first nest deeper than MAX_DEPTH (line, column, 1-based).

    Read on the error path only: quoted scalars and comments are skipped, which is
    enough to tell a bracket bomb from any other syntax error.
    """
    depth = 0
    line, line_start = 1, 0
    i, n = 0, len(text)
    quote: str | None = None
    while i < n:
        ch = text[i]
        if ch == "\n":
            line, line_start = line + 1, i + 1
        elif quote is not None:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'" and (i == 0 or text[i - 1] in " \t\n[{,:"):
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t\n"):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, i - line_start + 1
        elif ch in "]}":
            depth = max(depth - 1, 0)
        i += 1
    return None


def _syntax_hint(text: str, line: int | None) -> str:
    if line is not None:
        lines = text.splitlines()
        if (
            0 <= line < len(lines)
            and "\t" in lines[line][: len(lines[line]) - len(lines[line].lstrip())]
        ):
            return " (a tab indents this line: YAML indents with spaces only)"
    return "; fix the line and run again"


# The tag a plain scalar resolves to, by its text: ids, codes, dates, roles and keys repeat
# across records, and PyYAML's resolver matches patterns in Python for each. Resolving
# depends on the loader's class, the text and whether it is plain, nothing else.
_RESOLVED: dict[tuple[type, str, Any], str] = {}


def _resolve(loader: Any, value: str, implicit: Any) -> str:
    if len(value) > 64:
        resolved: str = loader.resolve(yaml.ScalarNode, value, implicit)
        return resolved
    key = (type(loader), value, implicit)
    tag = _RESOLVED.get(key)
    if tag is None:
        if len(_RESOLVED) >= 65_536:
            _RESOLVED.clear()  # bounded: 100,000 records' short texts are not all kept
        tag = _RESOLVED[key] = loader.resolve(yaml.ScalarNode, value, implicit)
    return tag


class _Stop(Exception):
    """Parsing cannot usefully go on (too deep, a second document)."""


@dataclass
class _Frame:
    """A mapping or sequence being filled; `container` None discards what arrives."""

    container: dict[Any, Any] | list[Any] | None
    path: KeyPath
    is_map: bool
    key: Any = None
    expecting_key: bool = True


_DISCARD = object()  # the key of a value that is read but not kept


class _Builder:
    """Builds plain data from parser events, recording marks and refusing the unsafe.

    Events, not PyYAML's composer: the composer recurses once per nesting level
    (libyaml's overflows the C stack on 100,000 nested brackets), while this
    loop keeps its own stack and stops at MAX_DEPTH.
    """

    def __init__(self, doc: Document, loader: Any, marks: bool = True) -> None:
        self.doc = doc
        self.loader = loader
        self.aliases_reported = False
        self.marks = marks

    def _error(self, event: yaml.Event, code: str, message: str) -> None:
        mark = event.start_mark
        assert mark is not None  # the parser marks every event it makes
        self.doc.findings.append(
            Finding(self.doc.file, mark.line + 1, mark.column + 1, "error", code, message)
        )

    def build(self) -> Any:
        root: Any = None
        stack: list[_Frame] = []
        documents = 0
        loader = self.loader
        check_event, get_event = loader.check_event, loader.get_event
        # The events nearly every line makes, told apart by their exact class (the parser
        # makes no subclasses), and plain scalars' tags looked up (`_resolve`): together
        # about 10 % of reading a record. Any other event takes the general path below.
        scalar, mapping, sequence = (
            yaml.ScalarEvent,
            yaml.MappingStartEvent,
            yaml.SequenceStartEvent,
        )
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        while check_event():
            event = get_event()
            kind = type(event)
            if kind is mapping_end or kind is sequence_end:
                stack.pop()
                continue
            if kind is scalar or kind is mapping or kind is sequence:
                pass
            elif isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                continue
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self._error(
                        event,
                        "yaml-syntax",
                        "a second YAML document (---) in one file: keep one document per file",
                    )
                    raise _Stop
                continue
            elif isinstance(event, yaml.DocumentEndEvent) and event.explicit:
                # `...` ends a document: writers append after the last line, which would
                # fall outside it. One document per file, without end marker.
                self._error(
                    event,
                    "yaml-syntax",
                    "a document end marker (...): remove it, a register file is one document",
                )
                raise _Stop
            elif not isinstance(event, yaml.NodeEvent):
                continue  # stream and implicit document ends
            frame = stack[-1] if stack else None
            if frame is not None and frame.is_map and frame.expecting_key:
                frame.expecting_key = False
                frame.key = self._key(event, frame)
                if isinstance(event, yaml.CollectionStartEvent):
                    stack.append(_Frame(None, (), isinstance(event, yaml.MappingStartEvent)))
                continue
            # A value: where it goes, and under which path.
            if frame is None:
                path: KeyPath = ()
                keep = True
            elif frame.is_map:
                frame.expecting_key = True
                path = (*frame.path, frame.key)
                keep = frame.container is not None and frame.key is not _DISCARD
            else:
                assert isinstance(frame.container, list) or frame.container is None
                index = len(frame.container) if frame.container is not None else 0
                path = (*frame.path, index)
                keep = frame.container is not None
            if kind is scalar:  # what `_value` does with a scalar
                value = self._scalar(event) if keep else None
            else:
                value = self._value(event, path, keep, len(stack), stack)
            if not keep:
                continue
            if self.marks:
                mark = event.start_mark
                assert mark is not None  # the parser marks every event it makes
                self.doc.marks[path] = (mark.line + 1, mark.column + 1)
            if frame is None:
                root = value
            elif frame.is_map:
                frame.container[frame.key] = value  # type: ignore[index]
            else:
                frame.container.append(value)  # type: ignore[union-attr]
        return root

    def _alias(self, event: yaml.Event) -> None:
        """Refuse an alias: records never need one, and refusing them is what stops
        "billion laughs" expansion. One finding per file is enough to say what to do."""
        if not self.aliases_reported:
            self.aliases_reported = True
            self._error(
                event, "yaml-alias", "YAML aliases (*name) are not allowed: write the value out"
            )

    def _key(self, event: yaml.NodeEvent, frame: _Frame) -> Any:
        if frame.container is None:
            return _DISCARD
        if isinstance(event, yaml.AliasEvent):
            self._alias(event)
            return _DISCARD
        if not isinstance(event, yaml.ScalarEvent) or event.tag not in (None, "!", *_SCALAR_TAGS):
            self._error(event, "yaml-key", "a mapping key must be a plain word")
            return _DISCARD
        key = _shared(event.value)
        assert isinstance(frame.container, dict)
        if key in frame.container:
            first = self.doc.marks.get((*frame.path, key))
            where = f" (first at line {first[0]})" if first else ""
            self._error(
                event,
                "yaml-duplicate-key",
                f"duplicate key {key!r}{where}: YAML would keep only one; remove or rename one",
            )
            return _DISCARD
        return key

    def _value(
        self, event: yaml.NodeEvent, path: KeyPath, keep: bool, depth: int, stack: list[_Frame]
    ) -> Any:
        if isinstance(event, yaml.AliasEvent):
            if keep:
                self._alias(event)
            return None
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event) if keep else None
        if depth >= MAX_DEPTH:
            self._error(
                event,
                "yaml-depth",
                _DEPTH_MESSAGE,
            )
            raise _Stop
        assert isinstance(event, yaml.CollectionStartEvent)  # not an alias, not a scalar
        is_map = isinstance(event, yaml.MappingStartEvent)
        allowed = "tag:yaml.org,2002:map" if is_map else "tag:yaml.org,2002:seq"
        container: dict[Any, Any] | list[Any] | None = {} if is_map else []
        if event.tag not in (None, "!", allowed):
            if keep:
                self._error(event, "yaml-tag", f"tag {event.tag!r} is not allowed: remove it")
            container = None
        stack.append(_Frame(container if keep else None, path, is_map))
        return container

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag in (None, "!"):
            tag = _resolve(self.loader, event.value, event.implicit)
        if tag not in _SCALAR_TAGS:
            self._error(event, "yaml-tag", f"tag {tag!r} is not allowed: remove it")
            return None
        if tag != "tag:yaml.org,2002:str" and tag != _resolve(
            self.loader, event.value, (True, False)
        ):
            # `!!int abc`, `!!bool maybe`: a tag that does not fit its value.
            self._error(
                event, "yaml-tag", f"tag {tag!r} does not fit {event.value!r}: remove the tag"
            )
            return None
        if tag == "tag:yaml.org,2002:str":
            return _shared(event.value)
        if tag == "tag:yaml.org,2002:bool":
            return event.value.lower() == "true"
        if tag == "tag:yaml.org,2002:null":
            return None
        node = yaml.ScalarNode(tag, event.value)
        try:
            if tag == "tag:yaml.org,2002:int":
                return _constructor.construct_yaml_int(node)
            return _constructor.construct_yaml_float(node)
        except ValueError:
            # Python refuses to read an integer of more than 4,300 digits.
            self._error(
                event,
                "yaml-number",
                f"a number of {len(event.value):,} characters cannot be read: write it in "
                "quotes if it is text, or shorten it",
            )
            return None


class Span:
    """Where a value of a register file stands, as writers need it: its kind, its first
    character (index and column), its end and where its own text ends (a block
    collection ends at its last value, before any comment or blank line after it).
    Offsets are in characters of the text given to `outline`."""

    __slots__ = ("column", "content_end", "end", "flow", "is_null", "items", "kind", "start")

    def __init__(self, kind: str, flow: bool, start: int, column: int) -> None:
        self.kind = kind  # "map", "seq" or "scalar" (an alias counts as a scalar)
        self.flow = flow
        self.start = start
        self.column = column
        self.end = start
        self.content_end = start
        self.is_null = False
        self.items: list[Span] = []  # a top-level list's items; nothing deeper is kept


def outline(text: str) -> list[tuple[str, int, Span]] | None:
    """The top-level keys of a mapping document (each with its column) and their values'
    spans, with the items of top-level lists; None if the document is not a mapping.

    One pass over the parser's events, keeping a few numbers per top-level list item:
    the node tree of a record with 100,000 notes (what yaml.compose builds) takes
    hundreds of megabytes. Call it on text `read_yaml` accepted.
    """
    loader = _Loader(text)
    top: list[tuple[str, int, Span]] = []
    stack: list[_OutlineFrame] = []
    root_is_map = False
    key: tuple[str, int] = ("", 0)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionEndEvent):
                frame = stack.pop()
                assert event.end_mark is not None  # the parser marks every event it makes
                end = event.end_mark.index
                # A block collection's own text ends with its last value; a flow one's
                # with its closing bracket.
                own_end = frame.last_end if frame.last_end >= 0 and not frame.flow else end
                if frame.span is not None:
                    frame.span.end, frame.span.content_end = end, own_end
                if stack:
                    stack[-1].last_end = own_end
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            depth = len(stack)
            parent = stack[-1] if stack else None
            is_key = False
            if parent is not None and parent.is_map:
                is_key, parent.expecting_key = parent.expecting_key, not parent.expecting_key
            span = None
            # The parser marks every event it makes.
            assert event.start_mark is not None and event.end_mark is not None
            if depth == 1 and root_is_map and is_key:
                key = (str(getattr(event, "value", "")), event.start_mark.column)
            elif depth == 1 and root_is_map:
                span = _span(loader, event)
                top.append((key[0], key[1], span))
            elif (
                depth == 2
                and parent is not None
                and parent.span is not None
                and (parent.span.kind == "seq")
            ):
                span = _span(loader, event)
                parent.span.items.append(span)
            if isinstance(event, yaml.CollectionStartEvent):
                is_map = isinstance(event, yaml.MappingStartEvent)
                if depth == 0:
                    root_is_map = is_map
                stack.append(_OutlineFrame(span, is_map, bool(event.flow_style)))
            else:
                end = event.end_mark.index
                if span is not None:
                    span.end = span.content_end = end
                if parent is not None:
                    parent.last_end = end
    finally:
        loader.dispose()
    return top if root_is_map else None


class _OutlineFrame:
    """An open collection while outlining: the span it fills (None below the top-level
    lists' items) and the end of its last value so far."""

    __slots__ = ("expecting_key", "flow", "is_map", "last_end", "span")

    def __init__(self, span: Span | None, is_map: bool, flow: bool) -> None:
        self.span, self.is_map, self.flow = span, is_map, flow
        self.expecting_key = True
        self.last_end = -1


def _span(loader: Any, event: yaml.NodeEvent) -> Span:
    mark = event.start_mark
    assert mark is not None  # the parser marks every event it makes
    if isinstance(event, yaml.CollectionStartEvent):
        kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
        return Span(kind, bool(event.flow_style), mark.index, mark.column)
    span = Span("scalar", False, mark.index, mark.column)
    if isinstance(event, yaml.ScalarEvent):
        tag = event.tag
        if tag in (None, "!"):
            tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        span.is_null = tag == "tag:yaml.org,2002:null"
    return span
