"""Growing the registries: source add and edit, org add, occasion add and org alias.

Each adds lines to one registry file (or the sources manifest) and changes no
other byte; what was checked before the lock is checked again under it, so
concurrent curators cannot add the same entry twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agreement_tracker.errors import BadArgument, WriteRefused
from agreement_tracker.store.location import MANIFEST, REGISTRY_DIR, SEEDS_DIR
from agreement_tracker.store.write import add_entry, ensure_own_register, rewrite


@dataclass(frozen=True)
class Added:
    """What a curating command added (or would add, on a dry run)."""

    id: str
    files: list[str]
    change: Any  # the manifest's or registry's splice.Change
    written: bool


@dataclass(frozen=True)
class Changed:
    """What a curating command changed in one file (or would change, on a dry run)."""

    file: str
    change: Any  # splice.Change
    written: bool
    detail: list[str]  # what the change does, for the message (claims proven, …)


def _slug(text: str) -> str:
    from agreement_tracker.text import strip_marks

    words = re.findall(r"[a-z0-9]+", strip_marks(text).casefold())
    return "-".join(words)[:60].strip("-") or "source"


def source_add(
    register: Any,
    file: Path,
    *,
    lang: str,
    title: str | None = None,
    publisher: str | None = None,
    published: dt.date | str | None = None,
    url: str | None = None,
    source_id: str | None = None,
    max_size: int = 20_000_000,
    dry_run: bool = False,
) -> Added:
    """Copy a source text into seeds/ unchanged and add it to the manifest with its sha256."""
    from agreement_tracker.model import Source
    from agreement_tracker.schema import from_arguments
    from agreement_tracker.store.files import decode_text, read_capped, read_source

    ensure_own_register(register.location.read_only)
    for option, given in (("--title", title), ("--publisher", publisher), ("--url", url)):
        if given is not None:
            check_spelling(given, option)
    raw = read_capped(file, max_size, "source")
    _, problem = decode_text(raw, str(file))  # what the register would refuse to read
    if problem is not None:
        raise BadArgument(f"{problem.location}: {problem.message}; nothing was added")
    digest = hashlib.sha256(raw).hexdigest()
    name = file.name
    if name.startswith("."):
        raise BadArgument(f"{name} is a hidden file name: rename the file before adding it")
    target = register.root / SEEDS_DIR / name
    # The same bytes there may be a writer's that is adding them now, or one that was
    # killed before its manifest entry: the check under the lock decides.
    if os.path.lexists(target):
        # Read as the register reads a source (bounded; a FIFO, device or link out of the
        # register never opened): what cannot be read so is a name taken, not the same bytes.
        try:
            same = read_source(target, register.root) == raw
        except OSError as exc:
            raise BadArgument(
                f"seeds/{name} exists already ({exc.strerror or exc}): rename the file "
                f"before adding it, or remove seeds/{name} if it does not belong there"
            ) from None
        if not same:
            raise BadArgument(f"seeds/{name} exists already: rename the file before adding it")
    source_id = source_id or _slug(file.stem)

    def taken(existing: dict[str, Any]) -> str | None:
        if existing.get("sha256") == digest:
            return f"{file} is already registered as source {existing.get('id')!r}"
        if existing.get("id") == source_id:
            return f"source id {source_id!r} is already registered: choose another with --id"
        if existing.get("file") == name:
            return f"seeds/{name} is already registered as source {existing.get('id')!r}"
        return None

    # Refused now, before the lock file exists, and again under the lock (a concurrent add).
    _refuse_taken(register.sources.values(), taken)
    entry: dict[str, Any] = {
        "id": source_id,
        "file": name,
        "lang": lang,
        "title": title or "unknown",
        "publisher": publisher or "unknown",
        "published": published or "unknown",
        "sha256": digest,
    }
    if url:
        entry["url"] = url
    from_arguments(Source, entry, f"source {source_id!r} cannot be added")  # before any write
    change = add_entry(
        register.root, MANIFEST, "sources", entry, dry_run=dry_run, first=(target, raw),
        check=_none_taken(MANIFEST, "sources", taken),
    )  # fmt: skip
    return Added(source_id, [f"{SEEDS_DIR}/{name}", MANIFEST], change, not dry_run)


# What `source edit` may change: what the text says about itself, and its language. Never
# `file` or `sha256`, which tie the entry to the bytes in seeds/.
SOURCE_FIELDS = ("lang", "title", "publisher", "published", "url")
# The order `source add` writes an entry's keys in: a key the entry lacks (url) is inserted
# after the last one before it, so the entry reads as one `source add` wrote.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SOURCE_ORDER = ("id", "file", "lang", "title", "publisher", "published", "sha256", "url")


def source_edit(
    register: Any, source_id: str, fields: dict[str, Any], *, dry_run: bool = False
) -> Changed | None:
    """Set what a source's manifest entry says about its text (title, publisher, published,
    url, lang): only those values change in seeds/sources.yaml, every other byte (comments,
    notes, errata, the other entries) stays; the text file is never touched. None when the
    entry says so already (nothing to write)."""
    from agreement_tracker.model import Source
    from agreement_tracker.plain import to_plain
    from agreement_tracker.schema import from_arguments
    from agreement_tracker.suggest import did_you_mean

    ensure_own_register(register.location.read_only)
    if source_id not in register.sources:
        hint = did_you_mean(source_id, register.sources, "; `agreements source list` lists them")
        raise BadArgument(f"no source with id {source_id!r} in {MANIFEST}{hint}")
    unknown = set(fields) - set(SOURCE_FIELDS)
    assert not unknown, unknown  # the command offers only these
    for field in ("title", "publisher", "url"):
        if isinstance(fields.get(field), str):
            check_spelling(fields[field], f"--{field}", "nothing was changed")
    current = to_plain(register.sources[source_id])
    wanted = {k: v for k, v in fields.items() if _as_text(current.get(k)) != _as_text(v)}
    if not wanted:
        return None
    from_arguments(Source, {**current, **wanted}, f"source {source_id!r} cannot be changed so")

    def change_of(text: str) -> Any:
        return _source_change(text, source_id, wanted)

    change = rewrite(register.root, MANIFEST, change_of, dry_run=dry_run)
    detail = [f"{field}: {_as_text(value)}" for field, value in wanted.items()]
    return Changed(MANIFEST, change, not dry_run, detail)


def _as_text(value: Any) -> str | None:
    """A field's value as the manifest reads back (dates as ISO text)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return None if value is None else str(value)


def _scalar(value: Any) -> str:
    """One value as YAML text on one line (quoted where YAML would read it otherwise)."""
    import yaml

    dumped = yaml.safe_dump({"k": value}, allow_unicode=True, width=1_000_000)
    assert dumped.startswith("k: ") and dumped.count("\n") == 1, dumped
    return dumped[3:-1]


def _source_change(text: str, source_id: str, fields: dict[str, Any]) -> Any:
    """The manifest's text with `fields` of source `source_id` set: each old value's text
    replaced in place, a missing key inserted on its own line; read back, it must be the
    old data with those values changed, or nothing is written."""
    from agreement_tracker.store.yamlread import outline, read_yaml

    doc = read_yaml(text, MANIFEST, marks=False)
    if doc.findings:
        raise WriteRefused(f"{doc.findings[0].headline()}\nfix the file first (`agreements "
                           "validate`); nothing was written")  # fmt: skip
    data = doc.data
    sources = data.get("sources") if isinstance(data, dict) else None
    listed: list[Any] = sources if isinstance(sources, list) else []
    index = next((i for i, s in enumerate(listed) if isinstance(s, dict)
                  and s.get("id") == source_id), None)  # fmt: skip
    if index is None:
        raise WriteRefused(f"source {source_id!r} is no longer in {MANIFEST}; nothing was written")
    entry = {**listed[index], **{k: _as_text(v) for k, v in fields.items()}}
    expected = {**data, "sources": [*listed[:index], entry, *listed[index + 1 :]]}
    by_hand = (
        f"{MANIFEST}: source {source_id!r} is not written as a block entry this can change "
        "line by line, so nothing was written; change it by hand"
    )
    bom = 1 if text.startswith("\ufeff") else 0
    body = text[bom:]
    newline = "\r\n" if "\r\n" in text else "\n"
    value = next((v for k, _, v in outline(body) or [] if k == "sources"), None)
    if value is None or value.kind != "seq" or value.flow or index >= len(value.items):
        raise WriteRefused(by_hand)
    item = value.items[index]
    line_start = body.rfind("\n", 0, item.start) + 1
    head = body[line_start : item.start]
    if item.kind == "map" and item.flow and head.strip() == "-":
        # A flow entry `- {id: …, …}` is one line: written again, as a block, in its place.
        from agreement_tracker.store.splice import replace_item

        published = entry.get("published")
        block = dict(entry)
        if isinstance(published, str) and _DAY.fullmatch(published):
            block["published"] = dt.date.fromisoformat(published)  # unquoted, as `add` writes
        return replace_item(text, MANIFEST, "sources", index, block)
    if item.kind != "map" or item.flow or head.strip() != "-":
        raise WriteRefused(by_hand)
    # The entry alone, its dash blanked, so its keys read as a mapping at their column.
    keys = outline(" " * len(head) + body[item.start : item.content_end]) or []
    spans = {key: (column, span) for key, column, span in keys}
    edits: list[tuple[int, int, str]] = []
    for field, new_value in fields.items():
        if field in spans:
            span = spans[field][1]
            if span.kind != "scalar":
                raise WriteRefused(by_hand)
            start, end = line_start + span.start, line_start + span.end
            old = body[start:end]
            # A block scalar's text ends after its line break: that break stays.
            edits.append((start, end, _scalar(new_value) + old[len(old.rstrip()) :]))
            continue
        before = _SOURCE_ORDER[: _SOURCE_ORDER.index(field)]
        after = [k for k, _, _ in keys if k in before] or [keys[-1][0]]
        end_of = line_start + spans[after[-1]][1].content_end
        at = len(body) if (found := body.find("\n", end_of)) < 0 else found + 1
        line = " " * keys[0][1] + f"{field}: {_scalar(new_value)}" + newline
        if at == len(body) and not body.endswith("\n"):
            line = newline + line.removesuffix(newline)
        edits.append((at, at, line))
    new = body
    for start, end, replacement in sorted(edits, reverse=True):
        new = new[:start] + replacement + new[end:]
    return _read_back(
        MANIFEST, text, text[:bom] + new, expected,
        f"source {source_id!r} could not be changed without changing other data, so nothing "
        "was written; change it by hand",
    )  # fmt: skip


def org_add(
    register: Any,
    org_id: str,
    *,
    country: str | None,
    org_type: str,
    names: dict[str, str],
    short: dict[str, str] | None = None,
    aliases: tuple[str, ...] = (),
    dry_run: bool = False,
) -> Added:
    """Add an organisation to the registry; the file gains its lines and nothing else."""
    from agreement_tracker.model import Organisation
    from agreement_tracker.schema import from_arguments

    ensure_own_register(register.location.read_only)
    entry: dict[str, Any] = {
        "id": org_id,
        "country": country,
        "type": org_type,
        "name": dict(names),
    }
    if short:
        entry["short"] = dict(short)
    if aliases:
        entry["aliases"] = list(aliases)
    from_arguments(Organisation, entry, f"organisation {org_id!r} cannot be added")
    rel = f"{REGISTRY_DIR}/organisations.yaml"
    taken = _same_id("organisation", org_id)
    _refuse_taken(register.organisations.values(), taken)  # before the lock file exists
    check = _none_taken(rel, "organisations", taken)
    change = add_entry(register.root, rel, "organisations", entry, dry_run=dry_run, check=check)
    return Added(org_id, [rel], change, not dry_run)


def occasion_add(
    register: Any,
    occasion_id: str,
    *,
    titles: dict[str, str],
    start: dt.date,
    end: dt.date | None,
    place: str,
    part_of: str | None,
    evidence: tuple[tuple[str, str], ...],
    dry_run: bool = False,
) -> Added:
    """Add a visit or event to the occasions registry, its start, end and place proven by
    its quotes as `validate` proves them; lines added only."""
    from agreement_tracker.errors import QuoteNotFound
    from agreement_tracker.model import Occasion
    from agreement_tracker.proof import prove_occasion
    from agreement_tracker.schema import from_arguments
    from agreement_tracker.suggest import did_you_mean

    ensure_own_register(register.location.read_only)
    if part_of is not None and part_of not in register.occasions:
        raise BadArgument(
            f"--part-of {part_of!r} is not an occasion{did_you_mean(part_of, register.occasions)}"
        )
    for source, quote in evidence:
        known_source(register, source, "--evidence")
        text = register.source_text(source)
        if text is None or text.find(quote) is None:
            raise QuoteNotFound(
                f"the quote is not in source {source!r}: copy it verbatim; nothing was added"
            )
    entry: dict[str, Any] = {
        "id": occasion_id,
        "title": dict(titles),
        "start": start,
    }
    if end is not None:
        entry["end"] = end
    entry["place"] = place
    if part_of is not None:
        entry["part_of"] = part_of
    entry["evidence"] = [{"source": s, "quote": q} for s, q in evidence]
    occasion = from_arguments(Occasion, entry, f"occasion {occasion_id!r} cannot be added")
    unproven = [c.message for c in prove_occasion(register, occasion) if not c.proven]
    if unproven:
        raise QuoteNotFound("; ".join(m or "" for m in unproven) + "; nothing was added")
    rel = f"{REGISTRY_DIR}/occasions.yaml"
    taken = _same_id("occasion", occasion_id)
    _refuse_taken(register.occasions.values(), taken)  # before the lock file exists
    check = _none_taken(rel, "occasions", taken)
    change = add_entry(register.root, rel, "occasions", entry, dry_run=dry_run, check=check)
    return Added(occasion_id, [rel], change, not dry_run)


def _same_id(what: str, entry_id: str) -> Callable[[dict[str, Any]], str | None]:
    """For `_none_taken`: an entry with this id is the one being added."""

    def taken(existing: dict[str, Any]) -> str | None:
        if existing.get("id") == entry_id:
            return f"{what} {entry_id!r} exists already (it is registered)"
        return None

    return taken


def _none_taken(
    rel: str, key: str, taken: Callable[[dict[str, Any]], str | None]
) -> Callable[[str], None]:
    """A check for `add_entry`, run on the file as it is under the lock: what was checked
    before the lock may have changed since (six concurrent `source add` of one file must
    leave one entry, and five "already registered")."""

    def check(text: str) -> None:
        from agreement_tracker.store.yamlread import read_yaml

        data = read_yaml(text, rel).data
        entries = data.get(key) if isinstance(data, dict) else None
        _refuse_taken(
            [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else [], taken
        )

    return check


def _refuse_taken(entries: Iterable[Any], taken: Callable[[dict[str, Any]], str | None]) -> None:
    """Refuse when an entry (a registry model, or the plain data of a file under the lock)
    is taken: one rule, run on the register as loaded and again under the lock."""
    from agreement_tracker.plain import to_plain

    for existing in entries:
        plain = existing if isinstance(existing, dict) else to_plain(existing)
        if reason := taken(plain):
            raise BadArgument(f"{reason}; nothing was added")


def known_source(register: Any, source: str, option: str, otherwise: str = "") -> None:
    """Refuse a source id given on the command line that is not in the manifest, naming
    the nearest ids, or saying `otherwise` (how to add one) when none is near."""
    if source not in register.sources:
        from agreement_tracker.suggest import did_you_mean

        near = did_you_mean(source, register.sources, otherwise)
        raise BadArgument(f"{option} {source!r} is not a source id in seeds/sources.yaml{near}")


def check_spelling(value: str, what: str, done: str = "nothing was added") -> str:
    """A name as a curator types it, refused (never changed) when it is empty, has white
    space at its ends, or holds a control, bidi or line-break character: such a spelling
    cannot be seen on a terminal, nor stand in a source's sentence."""
    from agreement_tracker.text import visible

    if not value.strip():
        raise BadArgument(f"{what} is empty: give the text as the source writes it; {done}")
    if value != value.strip():
        raise BadArgument(
            f"{what} {value.strip()!r} has white space at its ends: give it without; {done}"
        )
    # `visible` escapes exactly the unsafe characters, and (on one line) breaks and tabs.
    if (shown := visible(value, line=True)) != value:
        raise BadArgument(
            f"{what} {shown} holds a control character (shown escaped): "
            f"type it as the source writes it, on one line; {done}"
        )
    return value


def _plain_names(org: dict[str, Any]) -> list[tuple[str, str]]:
    """Every spelling an organisation's plain data gives, with which field gives it."""
    found: list[tuple[str, str]] = []
    for field in ("name", "short"):
        value = org.get(field)
        if isinstance(value, dict):
            found += [(f"{field}.{lang}", str(text)) for lang, text in value.items() if text]
    aliases = org.get("aliases")
    if isinstance(aliases, list):
        found += [(f"aliases.{i}", str(text)) for i, text in enumerate(aliases, start=1)]
    return found


def _alias_refusal(orgs: Iterable[dict[str, Any]], org_id: str, spelling: str) -> str | None:
    """Why `spelling` cannot become an alias of `org_id`, or None. Spellings are compared
    as the proof compares names (letter case and white space folded, marks kept), so a
    spelling refused here is one the proof would already read as that organisation."""
    from agreement_tracker.text import fold_keep_marks

    wanted = fold_keep_marks(spelling)
    other = None
    for org in orgs:
        for field, text in _plain_names(org):
            if fold_keep_marks(text) != wanted:
                continue
            if org.get("id") == org_id:  # said first: adding it changes nothing
                return (
                    f"{spelling!r} is already a name of {org_id} ({field}: {text!r}), so the "
                    "proof reads it already; nothing was added"
                )
            other = other or (
                f"{spelling!r} is a name of another organisation, {org.get('id')} "
                f"({field}: {text!r}): as an alias of {org_id} too it would make that "
                "name ambiguous, so nothing was added; add a spelling that names "
                f"{org_id} only (e.g. with its country)"
            )
    return other


def org_alias(
    register: Any, org_id: str, spelling: str, *, lang: str | None = None, dry_run: bool = False
) -> Changed:
    """Add a spelling to an existing organisation's `aliases` in the registry.

    Only the new alias line is added (or an `aliases:` key with it, at the end of the
    organisation's entry), so the file's comments and layout stay; the result is read back
    and must be the old data with this one alias more. `lang` is checked, not stored: the
    model keeps aliases as one list for every language.
    """
    from agreement_tracker.plain import to_plain
    from agreement_tracker.suggest import did_you_mean

    ensure_own_register(register.location.read_only)
    if org_id not in register.organisations:
        hint = did_you_mean(org_id, register.organisations, "; `agreements orgs` lists them")
        raise BadArgument(
            f"no organisation with id {org_id!r} in {REGISTRY_DIR}/organisations.yaml (`agreements "
            f"org add` adds a new one){hint}"
        )
    if lang is not None:
        from agreement_tracker.languages import check_language

        try:
            lang = check_language(lang)
        except ValueError as exc:
            raise BadArgument(f"--lang: {exc}") from None
    check_spelling(spelling, "the spelling")
    orgs = [to_plain(o) for o in register.organisations.values()]
    if reason := _alias_refusal(orgs, org_id, spelling):
        raise BadArgument(reason)  # before the lock file exists
    from agreement_tracker.text import fold_keep_marks

    folded = fold_keep_marks(spelling)
    for country in register.countries.values():
        places = [w for place in country.places for w in place.words()]
        if folded in {fold_keep_marks(w) for w in [*country.words(), *places]}:
            # "Laos" as a ministry's alias would make every mention of the country a party.
            raise BadArgument(
                f"{spelling!r} names a country or a city ({country.id} in "
                f"{REGISTRY_DIR}/countries.yaml), not an organisation; nothing was added: "
                "add the organisation's own name as the source writes it (e.g. 'Bộ Tư pháp "
                "Lào', 'Lao Ministry of Justice')"
            )
    rel = f"{REGISTRY_DIR}/organisations.yaml"

    def change_of(text: str) -> Any:
        return _alias_change(text, rel, org_id, spelling)

    change = rewrite(register.root, rel, change_of, dry_run=dry_run)
    detail = [f"(--lang {lang} was checked, not stored: aliases are one list)"] if lang else []
    return Changed(rel, change, not dry_run, detail)


def _alias_change(text: str, rel: str, org_id: str, spelling: str) -> Any:
    """The file's text with `spelling` appended to the aliases of `org_id`."""
    from agreement_tracker.store.splice import add_to_entry_list, replace_item
    from agreement_tracker.store.yamlread import outline, read_yaml

    doc = read_yaml(text, rel, marks=False)
    if doc.findings:
        raise WriteRefused(f"{doc.findings[0].headline()}\nfix the file first (`agreements "
                           "validate`); nothing was written")  # fmt: skip
    data = doc.data
    orgs = data.get("organisations") if isinstance(data, dict) else None
    listed: list[Any] = orgs if isinstance(orgs, list) else []
    plain = [o for o in listed if isinstance(o, dict)]
    index = next((i for i, o in enumerate(listed) if isinstance(o, dict)
                  and o.get("id") == org_id), None)  # fmt: skip
    if index is None:
        raise WriteRefused(f"organisation {org_id!r} is no longer in {rel}; nothing was written")
    # Checked again on the file as it is under the lock: another writer may have added it.
    if reason := _alias_refusal(plain, org_id, spelling):
        raise BadArgument(reason)
    entry = dict(listed[index])
    entry["aliases"] = [*(entry.get("aliases") or []), spelling]
    expected = {**data, "organisations": [*listed[:index], entry, *listed[index + 1 :]]}

    bom = 1 if text.startswith("\ufeff") else 0
    body = text[bom:]
    newline = "\r\n" if "\r\n" in text else "\n"
    new = None
    top = outline(body) or []
    value = next((v for k, _, v in top if k == "organisations"), None)
    if value is not None and value.kind == "seq" and not value.flow and index < len(value.items):
        item = value.items[index]
        if item.kind == "map" and not item.flow:
            new = add_to_entry_list(body, item, "aliases", spelling, newline)
    if new is None:  # a flow entry or list: the entry is written again, as a block
        new = replace_item(text, rel, "organisations", index, entry).new
    else:
        new = text[:bom] + new
    return _read_back(
        rel, text, new, expected,
        "the alias could not be added without changing other data, so nothing was written; "
        "add it by hand under the organisation's aliases",
    )  # fmt: skip


def _read_back(rel: str, text: str, new: str, expected: Any, refusal: str) -> Any:
    """The change from `text` to `new`, once `new` is read back as YAML and holds exactly
    the data `expected` (a splice that changed anything else is refused, `refusal`)."""
    from agreement_tracker.store.splice import Change
    from agreement_tracker.store.yamlread import read_yaml

    got = read_yaml(new, rel, marks=False)
    if got.findings or got.data != expected:
        raise WriteRefused(f"{rel}: {refusal}")
    old_lines, new_lines = text.splitlines(), new.splitlines()
    first = next((i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False))
                  if a != b), len(old_lines)) + 1  # fmt: skip
    return Change(rel, text, new, first)
