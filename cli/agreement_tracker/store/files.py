"""Read one register file into validated models, collecting findings instead of raising.

Each file is read on its own: a registry's entries are validated one by one
(one bad entry hides no other), a record is validated whole. What comes out,
`Parsed`, is what the index stores per file, so a file is parsed again only
when it changed. Cross-file checks (duplicate ids, references) are not here:
they run on every load, in `loader`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from agreement_tracker.errors import RegisterUnreadable
from agreement_tracker.model import (
    Agreement,
    Country,
    Kind,
    Occasion,
    Organisation,
    Sector,
    Source,
    Status,
)
from agreement_tracker.store.document import Document, KeyPath
from agreement_tracker.store.location import MANIFEST, RECORDS_DIR, REGISTRY_DIR

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from agreement_tracker.findings import Finding

_M = TypeVar("_M")

# Registry file -> (top-level key, model).
REGISTRIES: dict[str, tuple[str, type]] = {
    "organisations.yaml": ("organisations", Organisation),
    "sectors.yaml": ("sectors", Sector),
    "kinds.yaml": ("kinds", Kind),
    "statuses.yaml": ("statuses", Status),
    "occasions.yaml": ("occasions", Occasion),
    "countries.yaml": ("countries", Country),
}
# Registries a register made by an older version may lack: read when present.
OPTIONAL = {f"{REGISTRY_DIR}/countries.yaml"}
# Register-relative file -> (key, model) for every list file: the registries and the manifest.
LIST_FILES: dict[str, tuple[str, type]] = {
    MANIFEST: ("sources", Source),
    **{f"{REGISTRY_DIR}/{name}": entry for name, entry in REGISTRIES.items()},
}


def is_record(rel: str) -> bool:
    """A record is a YAML file directly in agreements/."""
    head, _, name = rel.rpartition("/")
    return head == RECORDS_DIR and name.endswith(".yaml")


def is_parsed(rel: str) -> bool:
    """Whether the register reads this file (the others are only part of its snapshot)."""
    return rel in LIST_FILES or is_record(rel)


class Parsed:
    """One file read and validated: its models (with their place in the file) and findings.

    `entries` holds (index in the file's list, model); a record has one entry
    at index 0, or none when it failed. `invalid` names registry entries that
    exist but failed validation, so references to them are not "unknown".
    A plain class, not a dataclass, which would compile its `__init__` on every start.
    """

    __slots__ = ("document", "entries", "findings", "invalid", "rel", "sha256")

    def __init__(
        self,
        rel: str,
        entries: list[tuple[int, Any]] | None = None,
        invalid: list[tuple[str, str]] | None = None,
        findings: list[Finding] | None = None,
        document: Document | None = None,
        sha256: str | None = None,
    ) -> None:
        self.rel = rel
        self.entries: list[tuple[int, Any]] = [] if entries is None else entries
        self.invalid: list[tuple[str, str]] = [] if invalid is None else invalid
        self.findings: list[Finding] = [] if findings is None else findings
        self.document = document
        self.sha256 = sha256


def parse(root: Path, rel: str) -> Parsed:
    """Read, parse and validate `rel`; never raises for anything in the file."""
    import hashlib

    parsed = Parsed(rel)
    raw = _read_bytes(root, rel, parsed.findings)
    if raw is None:
        return parsed
    parsed.sha256 = hashlib.sha256(raw).hexdigest()
    doc = _document(raw, rel, parsed.findings, marks=False)
    del raw  # not held while the models are built
    if doc is None:
        return parsed
    parsed.document = doc
    # Line marks are needed only for findings, which are rare: ten thousand records'
    # marks would double the memory, so they are read again when a finding asks.
    doc.reread = lambda: reread_marks(root, rel)
    if is_record(rel):
        agreement = _record(doc, parsed.findings)
        if agreement is not None:
            parsed.entries.append((0, agreement))
        # The model holds the record now: validate reads 100,000 of them before anything
        # else, and each one's plain data would stay until the last was read.
        doc.data = None
    else:
        key, model = LIST_FILES[rel]
        parsed.entries = list(_entries(doc, key, model, parsed.findings, parsed.invalid))
    return parsed


def reread_marks(root: Path, rel: str) -> Document | None:
    """The file's document with marks, for locating a finding in a file loaded from the index."""
    raw = _read_bytes(root, rel, [])
    return _document(raw, rel, []) if raw is not None else None


# --- reading one file, safely ------------------------------------------------------

# A record, registry or manifest is read up to this size: the shipped records are a few
# kilobytes, and one with 100,000 follow-up notes (the benchmark's) about 8 MB.
RECORD_MAX = 16_000_000
# A source text is read up to this size: `source add` takes 20 MB by default
# (--max-size raises it), so a source may be larger, but not without end.
SOURCE_MAX = 64_000_000


class FileRefused(OSError):
    """A file that is not read: a link out of the register, not a regular file, or too large.

    An OSError, so a caller that treats an unreadable file as absent does the same with
    this one; `code` ("outside", "not-regular", "too-large", "missing") names the rule.
    """

    strerror: str  # always set, where OSError's may be None

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.strerror = message


def read_file(
    path: Path, limit: int, *, root: Path | None = None, what: str = "a register file"
) -> bytes:
    """A regular file's bytes, never more than `limit`; raise FileRefused or OSError.

    A device never ends (/dev/zero) and a FIFO blocks until a writer comes: neither is
    ever opened. The link itself is looked at first (lstat); a link is followed only to a
    regular file, inside `root` when it is given. The file is opened without following a
    link and without blocking, then the opened file is checked again (fstat): what was
    swapped in between the look and the open is refused too. At most `limit` + 1 bytes
    are read, so a huge file is refused by its size rather than read whole.
    """
    import stat

    target = _what_is_read(path, root)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(target, flags)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise FileRefused("not-regular", _not_regular(path, target, opened.st_mode))
        chunks: list[bytes] = []
        left = limit + 1
        # The whole file in one read where its size says how much: one copy in memory
        # (a 50 MB source is not held twice); then on in steps, for a file that grows.
        size = min(left, opened.st_size + 1)
        while left > 0:
            chunk = os.read(fd, size)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            size = min(left, 1 << 20)
    finally:
        os.close(fd)
    if left <= 0:
        raise FileRefused(
            "too-large",
            f"is larger than {_size(limit)}, more than {what} may be, and is not read: "
            "remove what does not belong in it, or move it out of the register",
        )
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _size(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit:,} bytes"


def read_source(path: Path, root: Path | None = None) -> bytes:
    """A source text's bytes, up to SOURCE_MAX (looked up when called, so a test may lower it)."""
    return read_file(path, SOURCE_MAX, root=root, what="a source text")


def _what_is_read(path: Path, root: Path | None) -> Path:
    """The regular file that reading `path` would open (a link's target), or FileRefused.

    Looks without opening: lstat, and stat of a link's target.
    """
    import stat

    linked = _linked_folder(root, path) if root is not None else None
    if linked is not None:
        folder, real = linked
        raise FileRefused(
            "outside",
            f"is in {folder}, a link to {real}, outside the register: put the folder itself "
            f"there: rm -- {_quoted(str(folder))} && cp -R -- {_quoted(str(real))} "
            f"{_quoted(str(folder))}",
        )
    info = os.lstat(path)
    target = path
    if stat.S_ISLNK(info.st_mode):
        target = Path(os.path.realpath(path))
        try:
            info = os.stat(target)
        except FileNotFoundError:
            raise FileRefused(
                "missing",
                f"links to {target}, which does not exist: remove the link "
                f"(rm -- {_quoted(str(path))}) or put the file itself there",
            ) from None
        if (
            stat.S_ISREG(info.st_mode)
            and root is not None
            and not target.is_relative_to(root.resolve())
        ):
            raise FileRefused(
                "outside",
                f"links to {target}, outside the register: put the file itself in "
                f"{path.parent.name}/ in place of the link: "
                f"cp --remove-destination -- {_quoted(str(target))} {_quoted(str(path))}",
            )
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused("not-regular", _not_regular(path, target, info.st_mode))
    return target


def _quoted(text: str) -> str:
    """`text` quoted for a shell command in a message: shlex loads only for a refusal."""
    from shlex import quote

    return quote(text)


def _not_regular(path: Path, target: Path, mode: int) -> str:
    """Why a folder, FIFO, device or socket is not read, and what to do about it."""
    import stat
    from shlex import quote

    kinds = [
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ]
    kind = next((name for test, name in kinds if test(mode)), "not a regular file")
    said = f"links to {target}, {kind}" if target != path else f"is {kind}"
    return (
        f"{said}, not a regular file: it is never read; remove it (rm -- {quote(str(path))}) "
        "and put the file itself there"
        if kind != "a folder"
        else f"{said}, not a regular file: put the file itself there"
    )


def _linked_folder(root: Path, path: Path) -> tuple[Path, Path] | None:
    """The folder between the register's root and `path` that is a link out of the register
    (`seeds` -> /elsewhere), with where it leads; None if there is none.

    Only the folders below the root are looked at (one or two lstat calls), not every
    folder up to /: the root is the register, wherever it is. Strings, not Path objects:
    this runs for each of 100,000 records.
    """
    top = os.fspath(root).rstrip(os.sep) + os.sep
    parent = os.path.dirname(os.fspath(path))
    if not parent.startswith(top):
        return None
    folder = top
    for part in parent[len(top) :].split(os.sep):
        folder = f"{folder}{part}"
        if os.path.islink(folder):
            real = Path(os.path.realpath(folder))
            if not real.is_relative_to(root.resolve()):
                return Path(folder), real
        folder += os.sep
    return None


def links_outside(root: Path, path: Path) -> bool:
    """A link, or a file in a linked folder, that leads out of the register; a loop is not
    (reading it will say so).

    `root` is resolved already (see `locate`); only links need resolving.
    """
    if _linked_folder(root, path) is not None:
        return True
    if not os.path.islink(path):
        return False
    try:
        return not path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def _read_bytes(root: Path, rel: str, findings: list[Finding]) -> bytes | None:
    return _read_path(root / rel, rel, findings, root)


def _read_path(path: Path, rel: str, findings: list[Finding], root: Path) -> bytes | None:
    """A record's, registry's or the manifest's bytes (see `read_file`), or None and why."""
    from agreement_tracker.findings import Finding

    try:
        return read_file(path, RECORD_MAX, root=root, what="a record or registry")
    except FileRefused as exc:
        findings.append(refused(rel, exc))
    except FileNotFoundError:
        findings.append(Finding(rel, None, None, "error", "file-missing", "file is missing"))
    except OSError as exc:
        findings.append(
            Finding(rel, None, None, "error", "file-unreadable", f"cannot read: {exc.strerror}")
        )
    return None


def refused(rel: str, exc: FileRefused) -> Finding:
    """The finding for a register file that is not read: file-outside, file-not-regular,
    file-too-large or file-missing (a link to nothing)."""
    from agreement_tracker.findings import Finding

    return Finding(rel, None, None, "error", f"file-{exc.code}", exc.strerror)


def unreadable(root: Path, rel: str) -> Finding | None:
    """Why a register file that is no regular file would not be read, found without opening
    it; None if it is one (or is gone). For files a listing of the register leaves out."""
    try:
        _what_is_read(root / rel, root)
    except FileRefused as exc:
        return refused(rel, exc)
    except OSError:
        return None
    return None


def _document(
    raw: bytes, rel: str, findings: list[Finding], *, marks: bool = True
) -> Document | None:
    text, problem = decode_text(raw, rel)
    if problem is None:
        problem = _lone_carriage_return(raw, rel)
    if problem is not None:
        findings.append(problem)
        return None
    assert text is not None
    return _document_from_text(text, rel, findings, marks=marks)


def _document_from_text(
    text: str, rel: str, findings: list[Finding], *, marks: bool = True
) -> Document | None:
    from agreement_tracker.store.yamlread import read_yaml

    doc = read_yaml(text, rel, marks=marks)
    findings.extend(doc.findings)
    return None if doc.findings else doc


def read_record(text: str, rel: str) -> tuple[Agreement | None, list[Finding]]:
    """A record file's text as an Agreement, or None and why: how every command reads a
    record, the writers under their lock included."""
    from agreement_tracker.store.yamlread import read_yaml

    findings: list[Finding] = []
    doc = _document_from_text(text, rel, findings, marks=False)
    if doc is None:
        return None, findings
    doc.reread = lambda: read_yaml(text, rel)  # marks only for a finding that needs a line
    return _record(doc, findings), findings


def read_text(path: Path, rel: str) -> str:
    """A register file's text, for writers; unreadable bytes raise with the file and line."""
    findings: list[Finding] = []
    # Writers give root / rel: the register is the folder that many levels up.
    raw = _read_path(path, rel, findings, path.parents[rel.count("/")])
    text, problem = decode_text(raw, rel) if raw is not None else (None, findings[0])
    if problem is not None:
        raise RegisterUnreadable(f"cannot use {rel}: nothing was written", [problem])
    assert text is not None
    return text


def _lone_carriage_return(raw: bytes, rel: str) -> Finding | None:
    """Old Mac line ends (CR alone) in a YAML file: YAML reads them, but line numbers and
    lines a writer appends would not agree with what an editor shows."""
    from agreement_tracker.findings import Finding

    at = raw.find(b"\r")
    while at >= 0 and raw[at + 1 : at + 2] == b"\n":
        at = raw.find(b"\r", at + 1)
    if at < 0:
        return None
    return Finding(
        rel,
        raw[:at].count(b"\n") + 1,
        None,
        "error",
        "encoding",
        "has a line ending with a lone carriage return (CR): save it with LF or CRLF line endings",
    )


def decode_text(raw: bytes, rel: str) -> tuple[str | None, Finding | None]:
    """Bytes as UTF-8 text, or the finding (with its line) that says why they are not."""
    from agreement_tracker.findings import Finding

    def problem(code: str, message: str, line: int | None = None) -> tuple[None, Finding]:
        return None, Finding(rel, line, None, "error", code, message)

    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return problem(
            "encoding", "is UTF-16 text, not UTF-8: save it as UTF-8 (without changing its content)"
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return problem("encoding", "contains a NUL byte: not a text file", line)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return problem(
            "encoding", "is not UTF-8 text: save it as UTF-8 (without changing its content)", line
        )


# --- validation -------------------------------------------------------------------


def _entries(
    doc: Document,
    key: str,
    model: type,
    findings: list[Finding],
    invalid: list[tuple[str, str]],
) -> Iterable[tuple[int, Any]]:
    """Validate each entry of a registry list on its own, so one bad entry hides no other."""
    data = doc.data
    if not isinstance(data, dict) or set(data) != {key}:
        findings.append(
            doc.finding(
                (),
                "schema",
                f"the file must be a mapping with the single key {key!r}: a list under it",
            )
        )
        return
    entries = data[key]
    if entries is None:
        return
    if not isinstance(entries, list):
        findings.append(doc.finding((key,), "schema", f"{key!r} must be a list"))
        return
    for index, entry in enumerate(entries):
        built = _validate(doc, model, entry, (key, index), findings)
        if built is not None:
            yield index, built
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            invalid.append((key, entry["id"]))


def _record(doc: Document, findings: list[Finding]) -> Agreement | None:
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else f"a {type(doc.data).__name__}"
        findings.append(
            doc.finding((), "schema", f"a record must be a mapping of fields, this file is {kind}")
        )
        return None
    return _validate(doc, Agreement, doc.data, (), findings)


def _validate(
    doc: Document, model: type[_M], data: Any, prefix: KeyPath, findings: list[Finding]
) -> _M | None:
    from agreement_tracker.schema import ValidationError, validate

    try:
        return validate(model, data)
    except ValidationError as exc:
        record = data.get("id") if isinstance(data, dict) and model is Agreement else None
        for error in exc.errors(include_url=False):
            loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
            findings.append(_schema_finding(doc, prefix + loc, error, record))
        return None


def _is_union_tag(part: object) -> bool:
    # pydantic names the union member or validator it tried in loc ("function-after[…]").
    return isinstance(part, str) and part.startswith(("literal[", "function-"))


def _shown(value: Any) -> str:
    return repr(value) if not isinstance(value, dict | list) else type(value).__name__


# What to do about each kind of pydantic error, in the curator's terms.
_DATE_HINT = "write the date as YYYY-MM-DD, e.g. 2025-05-07"
_HINTS = {
    "date_parsing": _DATE_HINT,
    "date_from_datetime_parsing": _DATE_HINT,
    "date_from_datetime_inexact": _DATE_HINT,
    "date_type": _DATE_HINT,
    "string_type": "write it as text (in quotes if it looks like a number or a date)",
    "list_type": "write a list, one `- item` per line",
    "dict_type": "write a mapping of fields, one `key: value` per line",
    "model_type": "write a mapping of fields, one `key: value` per line",
    "dataclass_type": "write a mapping of fields, one `key: value` per line",
    "dataclass_args_type": "write a mapping of fields, one `key: value` per line",
    "string_pattern_mismatch": "ids are lower-case words joined by hyphens; "
    "country codes are two capital letters",
    "string_too_short": "write the text, or remove the field if it is optional",
    "too_short": "add at least one",
    "literal_error": "use one of the values listed",
    "bool_type": "write true or false",
    "value_error": "fix the value as the message says",
}
# pydantic's names for a key the class does not have, and for a required one left out.
_UNKNOWN_KEY = {"extra_forbidden", "unexpected_keyword_argument"}
_MISSING = {"missing", "missing_keyword_only_argument", "missing_argument"}


def _schema_finding(doc: Document, loc: KeyPath, error: ErrorDetails, record: Any) -> Finding:
    dotted = ".".join(str(p) for p in loc) or "(top level)"
    kind = error["type"]
    if kind in _UNKNOWN_KEY:
        code, message = "unknown-key", f"unknown key {dotted!r}: check its spelling or remove it"
    elif kind in _MISSING:
        code, message = "missing-field", f"required field {dotted!r} is missing: add it"
    elif isinstance(error.get("input"), str) and error["input"].startswith("TODO:"):
        # A draft's placeholder where an id or a code belongs ("TODO: a sector id from
        # sectors.yaml"): what it is, as `validate` says of every placeholder.
        code, message = "placeholder", f"{dotted} is still a placeholder: fill it in"
    else:
        hint = _HINTS.get(kind, "fix the value (`agreements schema` gives each field's form)")
        said = error["msg"].removeprefix("Value error, ")  # our checks' own words
        message = f"{dotted}: {said} (got {_shown(error.get('input'))}): {hint}"
        code = "invalid-value"
    return doc.finding(
        loc,
        code,
        message,
        record=record if isinstance(record, str) else None,
        field=dotted,
    )


def read_capped(path: Path, limit: int, what: str) -> bytes:
    """A file the user names (`source add FILE`), at most `limit` bytes, as `read_file` reads:
    a FIFO or device is refused unopened, a link followed to a regular file only."""
    from agreement_tracker.errors import BadArgument

    try:
        return read_file(Path(path), limit, what=f"a {what}")
    except FileRefused as exc:
        if exc.code == "too-large":
            raise BadArgument(
                f"{what} {path} is larger than {limit // 1_000_000} MB: if it really is one "
                "text, raise the limit with --max-size"
            ) from None
        if exc.code == "not-regular":
            raise BadArgument(
                f"{what} {path} is not a regular file (a folder, FIFO or device): give a text file"
            ) from None
        raise BadArgument(f"cannot read {what} {path}: {exc.strerror}") from None
    except OSError as exc:
        raise BadArgument(f"cannot read {what} {path}: {exc.strerror}") from None
