"""Changing a register file's YAML text without losing a byte.

An entry (a follow-up note, a registry entry) is added by inserting its YAML
text where the parser says the list ends, so every other byte of the file
stays as it was and `git diff` shows added lines only. A round-trip library
would re-emit the whole file and normalise what it does not model (ruamel.yaml
turns `side: null` into `side:`), which is a change the curator did not make.

The new text is read back: it must give the old data plus the new entry and
nothing else, or the change is refused. This module only computes text; the
lock and the atomic replace that put it on disk are `store.write`'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import yaml

from agreement_tracker.errors import WriteRefused
from agreement_tracker.store.yamlread import Span, outline, read_yaml

# PyYAML folds long lines here; folded text reads back unchanged.
WIDTH = 88


@dataclass(frozen=True)
class Change:
    """A file's text before and after adding one entry."""

    file: str
    old: str
    new: str
    line: int  # the first line of the added entry in the new text, 1-based

    def diff(self) -> list[str]:
        """The change as unified-diff lines, as `git diff` would show it."""
        import difflib

        return list(
            difflib.unified_diff(
                self.old.splitlines(),
                self.new.splitlines(),
                f"a/{self.file}",
                f"b/{self.file}",
                lineterm="",
            )
        )


# --- emitting an entry ---------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block (`|`), which PyYAML's emitter replaces with a
    double-quoted string whenever a block cannot hold the text exactly; lists inside
    mappings indented, as the register's files are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# Line breaks other than \n are read back from a block as \n: such text is quoted.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(ch in value for ch in _OTHER_BREAKS):
        style: str | None = '"'  # escapes them: \r, \N, \L, \P
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(value: Any, *, flow: bool, indent: int = 2) -> str:
    """YAML text as the register writes it: text kept exact, multi-line text as blocks."""
    return yaml.dump(
        value,
        Dumper=_Dumper,
        default_flow_style=flow,
        allow_unicode=True,
        sort_keys=False,
        width=WIDTH,
        indent=indent,
    )


def _as_read(value: Any) -> Any:
    """An entry as the register's reader will see it: dates stay ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _as_read(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_read(v) for v in value]
    return value


# --- finding where the entry goes ----------------------------------------------------


def append_entry(text: str, file: str, key: str, entry: dict[str, Any]) -> Change:
    """`text` with `entry` appended to the list under the top-level `key`.

    Only text is added, except where the list is written empty in flow style
    (`key: []`) or as null: that token is removed so the list can continue as
    a block. The result is read back and compared with the old data plus the
    entry; any difference refuses the write.

    Memory: a record may hold 100,000 notes. The old and the new data are each
    read without a line map and reduced to a digest before the next is read, and
    where the entry goes comes from an outline of the top level, not a node tree.
    """
    original = text
    old_data = _read_mapping(text, file)
    expected = _digest({**old_data, key: [*(old_data.get(key) or []), _as_read(entry)]})
    del old_data
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = 1 if text.startswith("\ufeff") else 0
    top = outline(text[bom:])
    assert top is not None  # read_yaml gave a dict
    dash, offset = _sequence_indent(top)

    found = next(((column, v) for k, column, v in top if k == key), None)
    value = found[1] if found else None
    lead = ""
    if value is None:
        # No such key yet: the list starts at the end of the file.
        at = len(text)
        key_column = top[0][1] if top else 0
        item_dash = key_column + 2 if dash is None else dash
        fragment = " " * key_column + f"{key}:" + newline
        fragment += _block_item(entry, item_dash, offset, newline)
    elif value.kind == "seq" and not value.flow and value.items:
        last = value.items[-1]
        at = _line_after(text, bom + last.content_end)
        item_dash = value.column
        if last.kind == "map":
            offset = last.column - item_dash
        fragment = _block_item(entry, item_dash, offset, newline)
    elif value.kind == "seq" and value.items:
        # A flow list `[a, b]` grows inside its brackets.
        at = bom + value.end - 1
        if text[at] != "]":
            raise WriteRefused(f"{file}: cannot find the end of the {key!r} list; nothing written")
        fragment = ", " + dump_yaml(entry, flow=True).strip()
    elif (value.kind == "seq" and not value.items) or value.is_null:
        # `key: []`, `key: null` or a bare `key:`: drop the token, go on as a block.
        start, end = bom + value.start, bom + value.end
        kept = text[:start].rstrip(" ")
        text = kept + text[end:]
        at = _line_after(text, len(kept))
        assert found is not None
        key_column = found[0]
        item_dash = key_column + 2 if dash is None else dash
        fragment = _block_item(entry, item_dash, offset, newline)
    else:
        raise WriteRefused(f"{file}: {key!r} must be a list; nothing was written")
    del top
    if at == len(text) and text and not text.endswith("\n") and not fragment.startswith(", "):
        lead = newline  # the file lacked a final line break
    new = text[:at] + lead + fragment + text[at:]
    del text

    new_doc = read_yaml(new, file, marks=False)
    if new_doc.findings or _digest(new_doc.data) != expected:
        raise WriteRefused(
            f"{file}: the entry could not be added without changing other data, so nothing "
            "was written; please report this with the file and the text you tried to add"
        )
    first = at + len(lead)
    return Change(file, original, new, new.count("\n", 0, first) + 1)


def _read_mapping(text: str, file: str) -> dict[str, Any]:
    """The file's data, which a writer may add to: a mapping that reads without a finding."""
    doc = read_yaml(text, file, marks=False)
    if doc.findings:
        first = doc.findings[0]
        raise WriteRefused(f"{first.headline()}\nfix the file first (`agreements validate`)")
    if not isinstance(doc.data, dict):
        raise WriteRefused(f"{file}: the file is not a mapping of fields; nothing was written")
    return doc.data


def _digest(data: Any) -> bytes:
    """A digest of plain data that tells apart what `==` on read data would, computed
    piecewise (the top two levels walked, each value below as JSON), so a record of
    100,000 notes is never held as one string. Keys are sorted: the order of keys is not
    data. Types count (1, 1.0 and true differ), which can only refuse more."""
    import json

    from agreement_tracker.store.digest import sha256

    digest = sha256()

    def feed(value: Any, depth: int) -> None:
        if depth < 2 and isinstance(value, dict):
            digest.update(b"{")
            for k in sorted(value):
                digest.update(json.dumps(k).encode() + b":")
                feed(value[k], depth + 1)
                digest.update(b",")
            digest.update(b"}")
        elif depth < 2 and isinstance(value, list):
            digest.update(b"[")
            for item in value:
                feed(item, depth + 1)
                digest.update(b",")
            digest.update(b"]")
        else:
            dumped = json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)
            digest.update(dumped.encode("utf-8", "surrogatepass"))

    feed(data, 0)
    return digest.digest()


def replace_item(
    text: str, file: str, key: str, index: int, entry: dict[str, Any] | None
) -> Change:
    """`text` with item `index` of the block list `key` replaced by `entry`, or removed
    (`entry` None). Only that item's lines change; the result is read back and must be the
    old data with that one item changed, or the write is refused."""
    original = text
    old_data = _read_mapping(text, file)
    items = list(old_data.get(key) or [])
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = 1 if text.startswith("\ufeff") else 0
    top = outline(text[bom:])
    assert top is not None
    value = next((v for k, _, v in top if k == key), None)
    if value is None or value.kind != "seq" or value.flow:
        raise WriteRefused(f"{file}: {key!r} is not a block list; edit it by hand")
    if not 0 <= index < len(value.items):
        raise WriteRefused(f"{file}: {key!r} has no item {index + 1}")
    item = value.items[index]
    start = text.rfind("\n", 0, bom + item.start) + 1
    if text[start : bom + item.start].strip() != "-":
        raise WriteRefused(f"{file}: item {index + 1} of {key!r} does not start its own line")
    end = _line_after(text, bom + item.content_end)
    dash = value.column
    offset = item.column - dash if item.kind == "map" else 2
    del top
    fragment = "" if entry is None else _block_item(entry, dash, offset, newline)
    if fragment and end == len(text) and not text.endswith("\n"):
        fragment = fragment.rstrip("\r\n")
    new = text[:start] + fragment + text[end:]

    if entry is None:
        del items[index]
    else:
        items[index] = _as_read(entry)
    expected = _digest({**old_data, key: items})
    emptied = not items
    del old_data, items
    new_doc = read_yaml(new, file, marks=False)
    got = dict(new_doc.data) if isinstance(new_doc.data, dict) else new_doc.data
    if isinstance(got, dict) and got.get(key) is None and emptied:
        got[key] = []  # the last item removed: `key:` with nothing under it is an empty list
    if new_doc.findings or _digest(got) != expected:
        raise WriteRefused(
            f"{file}: the item could not be changed without changing other data, so nothing "
            "was written; please report this with the file"
        )
    return Change(file, original, new, new.count("\n", 0, start) + 1)


def _block_item(entry: dict[str, Any], dash: int, offset: int, newline: str) -> str:
    indent = offset if 2 <= offset <= 9 else 2
    body = dump_yaml([entry], flow=False, indent=indent)
    if indent != 2:
        # PyYAML puts a sequence item's first key right after "- ".
        body = body.replace("- ", "-" + " " * (indent - 1), 1)
    lines = [(" " * dash + line) if line else line for line in body.split("\n")]
    return newline.join(lines)


def _sequence_indent(top: list[tuple[str, int, Span]]) -> tuple[int | None, int]:
    """How this file indents block lists: the dash column and the item's key offset."""
    for _, _, value in top:
        if value.kind == "seq" and not value.flow and value.items:
            item = value.items[0]
            dash = value.column
            offset = item.column - dash if item.kind == "map" else 2
            return dash, offset
    return None, 2


def _line_after(text: str, index: int) -> int:
    """The start of the line after the one holding `index` (or `index` at a line start)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def add_to_entry_list(body: str, item: Span, key: str, value: str, newline: str) -> str | None:
    """`body` with `value` added to the list `key` of the block-mapping `item` (a Span of
    a top-level list): after the list's last item, or as a new `key:` after the entry's
    last line. None when the list is not one this can extend (the caller writes the
    entry again). A flow list `[a, b]` grows inside its brackets; a comment after stays."""
    line_start = body.rfind("\n", 0, item.start) + 1
    end = item.content_end
    # The entry alone, its dash blanked, so its keys read as a mapping at their column.
    head = body[line_start : item.start]
    if head.strip() != "-":
        return None
    sub = " " * len(head) + body[item.start : end]
    keys = outline(sub)
    if not keys:
        return None
    found = next(((column, v) for k, column, v in keys if k == key), None)
    key_column = keys[0][1]
    if found is None:
        dash = key_column + 2
        at = _line_after(body, line_start + keys[-1][2].content_end)
        fragment = " " * key_column + f"{key}:" + newline
    else:
        listed = found[1]
        if listed.kind == "seq" and listed.flow:
            at = line_start + listed.end - 1
            if body[at] != "]":
                return None
            item_text = dump_yaml([value], flow=True).strip()[1:-1]
            return body[:at] + (", " if listed.items else "") + item_text + body[at:]
        if listed.kind != "seq" or not listed.items:
            return None
        dash = listed.column
        at = _line_after(body, line_start + listed.content_end)
        fragment = ""
    lines = dump_yaml([value], flow=False).splitlines()
    fragment += "".join(" " * dash + line + newline for line in lines)
    if at == len(body) and body and not body.endswith("\n"):
        fragment = newline + fragment
    return body[:at] + fragment + body[at:]
