"""Starting and growing a register: init, source add, org add, and writing drafts.

A new register is built in a temporary folder beside its destination and
renamed into place, so an interrupted init leaves no half-made register.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agreement_tracker.errors import BadArgument, WriteRefused
from agreement_tracker.store.location import (
    MANIFEST,
    RECORDS_DIR,
    REGISTRY_DIR,
    SEEDS_DIR,
    shipped_root,
)
from agreement_tracker.store.write import (
    LOCK_FILE,
    add_entry,
    dump_yaml,
    ensure_own_register,
    ensure_writable,
    locked,
    os_problem,
    replace_atomically,
)

# Registries a new register starts from: they describe the field, not a visit.
SHARED_REGISTRIES = (
    "organisations.yaml",
    "sectors.yaml",
    "kinds.yaml",
    "statuses.yaml",
    "countries.yaml",
)
SCHEMA_FILE = "agreement.schema.json"

EMPTY_OCCASIONS = """\
# Visits and events on which documents were signed; records name one in `occasion`.
# Every fact here (start, end, place) is grounded in the quotes under `evidence`.
occasions: []
"""
EMPTY_MANIFEST = """\
# The source texts in this folder, byte for byte as published, with what each
# text itself says about its title, publisher and date ("unknown" where silent).
# `agreements source add FILE` adds an entry; sha256 proves the file is unchanged.
sources: []
"""
README_STUB = """\
# {name}: a register of bilateral agreements

Kept with the `agreements` command-line tool. Every record in
`agreements/` cites verbatim quotes from the source texts in `seeds/`.

    agreements validate      # prove every record against its sources
    agreements list          # what is here
    agreements note add ID "what happened"

Registries (organisations, sectors, kinds of document, the status lifecycle,
occasions) are in `agreements/registry/`.
"""
GITIGNORE = (
    f"# the write lock of `agreements note add` and friends\n{LOCK_FILE}\n"
    "# the index read commands keep (see docs/index.md)\n.agreements/\n"
    "# a write's temporary file (.NAME.XXXXXXXX.tmp), left only if the writer was killed;\n"
    "# the next write removes it\n.*.tmp\n"
)


@dataclass(frozen=True)
class Created:
    """What init made (or would make, on a dry run)."""

    root: Path
    files: list[str]
    written: bool


def init_register(target: Path, *, from_shipped: bool, dry_run: bool = False) -> Created:
    """A new register at `target`: empty, or a copy of the shipped one."""
    shipped = shipped_root()
    if shipped is None:
        raise BadArgument("the shipped register is not installed, so there is nothing to copy")
    shown = str(target) if len(str(target)) <= 80 else str(target)[:77] + "…"
    try:
        exists = target.exists()
        if exists and (not target.is_dir() or any(target.iterdir())):
            raise BadArgument(
                f"{target} already exists and is not an empty folder: choose a new folder"
            )
        # Root may write anywhere: a folder whose mode says nobody writes is refused.
        if exists and (not os.access(target, os.W_OK) or not target.stat().st_mode & 0o200):
            raise BadArgument(f"{target} is not writable: choose a folder you may write")
    except OSError as exc:
        raise BadArgument(f"init {shown}: {exc.strerror}") from None
    files = _plan(shipped, from_shipped, target.name)
    if dry_run:
        return Created(target.resolve(), sorted(files), written=False)
    parent = target.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}."))
    except OSError as exc:
        raise WriteRefused(os_problem(exc, target)) from None
    try:
        for rel, content in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, path)
            else:
                path.write_text(content, encoding="utf-8")
        (staging / RECORDS_DIR).mkdir(exist_ok=True)
        (staging / SEEDS_DIR).mkdir(exist_ok=True)
        # mkdtemp made the staging folder 0700: the register gets the umask's mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
        if target.exists():
            target.rmdir()
        os.rename(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteRefused(os_problem(exc, target)) from None
    return Created(target.resolve(), sorted(files), written=True)


def _plan(shipped: Path, from_shipped: bool, register_name: str) -> dict[str, Path | str]:
    """Register-relative path -> a file to copy or the text to write."""
    files: dict[str, Path | str] = {}
    if from_shipped:
        for folder in (RECORDS_DIR, SEEDS_DIR):
            for path in sorted((shipped / folder).rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(shipped).as_posix()] = path
    else:
        for name in SHARED_REGISTRIES:
            files[f"{REGISTRY_DIR}/{name}"] = shipped / REGISTRY_DIR / name
        files[f"{REGISTRY_DIR}/occasions.yaml"] = EMPTY_OCCASIONS
        files[f"{RECORDS_DIR}/{SCHEMA_FILE}"] = shipped / RECORDS_DIR / SCHEMA_FILE
        files[f"{SEEDS_DIR}/sources.yaml"] = EMPTY_MANIFEST
        files["README.md"] = README_STUB.format(name=register_name)
    files[".gitignore"] = GITIGNORE
    return files


# --- source add, org add, new ---------------------------------------------------------


@dataclass(frozen=True)
class Added:
    """What a curating command added (or would add, on a dry run)."""

    id: str
    files: list[str]
    change: Any  # the manifest's or registry's write.Change
    written: bool


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
    published: dt.date | None = None,
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


def account_add(
    register: Any,
    agreement_id: str,
    *,
    field: str,
    value: str,
    source: str,
    quote: str,
    note: str | None = None,
    rejected: str | None = None,
    dry_run: bool = False,
) -> Added:
    """Record another source's reading of a field, proven by its quote, added lines only.

    Refused, with nothing changed, when the record, field, value or source is
    unknown, the quote is not in the source, or the quote does not state the value.
    """
    from agreement_tracker.errors import QuoteNotFound, UnknownId
    from agreement_tracker.model import Account
    from agreement_tracker.proof import own_reading, party_value_problem, prove_account
    from agreement_tracker.query import resolve
    from agreement_tracker.schema import from_arguments
    from agreement_tracker.suggest import did_you_mean

    ensure_own_register(register.location.read_only)
    agreement = register.agreements.get(agreement_id)
    if agreement is None:
        hint = did_you_mean(agreement_id, register.record_names)
        raise UnknownId(f"no agreement with id {agreement_id!r}{hint}")
    if field == "kind":
        value = resolve(register.kinds, value, "kind")
    elif field in ("date", "term"):
        _check_dates(field, value)
    elif field.startswith("parties."):
        index = field.split(".")[1]
        if not index.isdigit() or int(index) >= len(agreement.parties):
            raise BadArgument(
                f"--field {field}: the record has parties 0 to {len(agreement.parties) - 1}"
            )
        names_an_organisation = field.count(".") == 1 or field.endswith(".signer")
        if names_an_organisation and value not in register.organisations:
            hint = did_you_mean(value, register.organisations, "; `agreements orgs` lists them")
            raise BadArgument(
                f"--value {value!r} is not an organisation id of "
                f"{REGISTRY_DIR}/organisations.yaml{hint}; nothing was added"
            )
        part = field.rpartition(".")[2]
        if problem := party_value_problem(register, agreement, part, value):
            raise BadArgument(f"--value {problem}; nothing was added")
    if source not in register.sources:
        hint = did_you_mean(source, register.sources)
        raise BadArgument(f"--source {source!r} is not a source id in seeds/sources.yaml{hint}")
    entry: dict[str, Any] = {"field": field, "value": value, "source": source, "quote": quote}
    if note:
        entry["note"] = note
    if rejected:
        entry["rejected"] = rejected
    account = from_arguments(Account, entry, "the account cannot be added")
    rel = register.record_files[agreement_id]
    _refuse_same_account(agreement, account, rel)  # before the lock file exists
    if value in own_reading(agreement, field):
        raise BadArgument(
            f"the register already reads {field} as {value!r}: a source that agrees is "
            f"evidence, not another account; add its quote under evidence in "
            f"{register.record_files[agreement_id]}"
        )
    text = register.source_text(source)
    if text is None or text.find(quote) is None:
        raise QuoteNotFound(
            f"the quote is not in source {source!r}: copy it verbatim; nothing was added"
        )
    claim = prove_account(register, agreement, account)
    if not claim.proven:
        raise QuoteNotFound(f"{claim.message}; nothing was added")

    def check(text: str) -> None:
        # Again on the record as it is under the lock: the same account may have landed.
        from agreement_tracker.notes import parse_record

        _refuse_same_account(parse_record(text, rel), account, rel)

    change = add_entry(register.root, rel, "accounts", entry, dry_run=dry_run, check=check)
    return Added(agreement_id, [rel], change, not dry_run)


def _refuse_same_account(agreement: Any, account: Any, rel: str) -> None:
    """An account that repeats one the record has (field, value, source and quote alike)
    says nothing new: refused, naming the one it repeats. A note or a rejection does not
    make it another account; edit the existing one instead."""
    for number, existing in enumerate(agreement.accounts, start=1):
        same = (existing.field, existing.value, existing.source, existing.quote)
        if same == (account.field, account.value, account.source, account.quote):
            raise BadArgument(
                f"account {number} of {agreement.id} already records {account.field} as "
                f"{account.value!r} from {account.source} with this quote: edit it in {rel} "
                "to change its note or rejection; nothing was added"
            )


def _check_dates(field: str, value: str) -> None:
    """An account's date, or each bound of its term ("2025–2027"), by the rule a record's
    own date follows: what the register could not use is refused before anything is read."""
    from agreement_tracker.model import partial_date

    # A term is split as `prove_account` splits it, so what passes here is what it proves.
    bounds = value.replace("–", "-").partition("-")[::2] if field == "term" else (value,)
    for bound in bounds:
        try:
            partial_date(bound)
        except ValueError as exc:
            what = f"--value {value!r}: " if bound != value else "--value "
            raise BadArgument(f"{what}{exc}; nothing was added") from None


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
        if source not in register.sources:
            hint = did_you_mean(source, register.sources)
            raise BadArgument(
                f"--evidence {source!r} is not a source id in seeds/sources.yaml{hint}"
            )
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
    from agreement_tracker.model import to_plain

    for existing in entries:
        plain = existing if isinstance(existing, dict) else to_plain(existing)
        if reason := taken(plain):
            raise BadArgument(f"{reason}; nothing was added")


def write_draft(register: Any, record: dict[str, Any], *, dry_run: bool = False) -> str:
    """Write a drafted record to agreements/ID.yaml; never over an existing file."""
    ensure_own_register(register.location.read_only)
    rel = f"{RECORDS_DIR}/{record['id']}.yaml"
    path = register.root / rel
    body = dump_yaml(record, flow=False)
    text = (
        "# yaml-language-server: $schema=agreement.schema.json\n"
        "# Drafted by `agreements new`: replace every TODO, then run `agreements validate`.\n"
        + body
    )
    if path.exists():
        raise BadArgument(f"{rel} exists already: choose another id with --id")
    ensure_writable(path, rel)  # a register made read-only (chmod -R a-w) stays as it is
    if not dry_run:
        with locked(register.root):
            if path.exists():
                raise BadArgument(f"{rel} exists already: choose another id with --id")
            replace_atomically(path, text.encode("utf-8"))
    return text


# --- org alias, evidence add, account reject and remove (issue 22, item 9) -------------


@dataclass(frozen=True)
class Changed:
    """What a curating command changed in one file (or would change, on a dry run)."""

    file: str
    change: Any  # write.Change
    written: bool
    detail: list[str]  # what the change does, for the message (claims proven, …)


def check_spelling(value: str, what: str) -> str:
    """A name as a curator types it, refused (never changed) when it is empty, has white
    space at its ends, or holds a control, bidi or line-break character: such a spelling
    cannot be seen on a terminal, nor stand in a source's sentence."""
    from agreement_tracker.text import _UNSAFE

    if not value.strip():
        raise BadArgument(
            f"{what} is empty: give the text as the source writes it; nothing was added"
        )
    if value != value.strip():
        raise BadArgument(
            f"{what} {value.strip()!r} has white space at its ends: give it without; "
            "nothing was added"
        )
    if _UNSAFE.search(value) or "\n" in value or "\t" in value:
        from agreement_tracker.text import visible

        raise BadArgument(
            f"{what} {visible(value, line=True)} holds a control character (shown escaped): "
            "type it as the source writes it, on one line; nothing was added"
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
    from agreement_tracker.model import to_plain
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

    change = _rewrite(register.root, rel, change_of, dry_run=dry_run)
    detail = [f"(--lang {lang} was checked, not stored: aliases are one list)"] if lang else []
    return Changed(rel, change, not dry_run, detail)


def _rewrite(root: Path, rel: str, change_of: Callable[[str], Any], *, dry_run: bool) -> Any:
    """Change the register file `rel` as `change_of` computes from its text under the lock,
    atomically; a dry run reads it, computes the change and writes nothing (no lock)."""
    from contextlib import nullcontext

    from agreement_tracker.store.files import read_text

    path = root / rel
    ensure_writable(path, rel)
    with nullcontext() if dry_run else locked(root):
        change = change_of(read_text(path, rel))
        if not dry_run:
            replace_atomically(path, change.new.encode("utf-8"), root)
    return change


def _alias_change(text: str, rel: str, org_id: str, spelling: str) -> Any:
    """The file's text with `spelling` appended to the aliases of `org_id`."""
    from agreement_tracker.store.write import Change, replace_item
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
            new = _insert_alias(body, item, spelling, newline)
    if new is None:  # a flow entry or list: the entry is written again, as a block
        new = replace_item(text, rel, "organisations", index, entry).new
    else:
        new = text[:bom] + new
    got = read_yaml(new, rel, marks=False)
    if got.findings or got.data != expected:
        raise WriteRefused(
            f"{rel}: the alias could not be added without changing other data, so nothing "
            "was written; add it by hand under the organisation's aliases"
        )
    old_lines, new_lines = text.splitlines(), new.splitlines()
    line = next((i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False))
                 if a != b), len(old_lines)) + 1  # fmt: skip
    return Change(rel, text, new, line)


def _insert_alias(body: str, item: Any, spelling: str, newline: str) -> str | None:
    """`body` with an alias line added to the block-mapping `item` (a Span of the list):
    after its last alias, or as a new `aliases:` key after its last line. None when the
    aliases are not a block list this can extend (the caller rewrites the entry)."""
    from agreement_tracker.store.write import dump_yaml
    from agreement_tracker.store.yamlread import outline

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
    found = next(((column, v) for k, column, v in keys if k == "aliases"), None)
    key_column = keys[0][1]
    if found is None:
        dash = key_column + 2
        at = _after_line(body, line_start + keys[-1][2].content_end)
        fragment = " " * key_column + "aliases:" + newline
    else:
        aliases = found[1]
        if aliases.kind == "seq" and aliases.flow:
            # `aliases: [a, b]` grows inside its brackets; a comment after them stays.
            at = line_start + aliases.end - 1
            if body[at] != "]":
                return None
            item_text = dump_yaml([spelling], flow=True).strip()[1:-1]
            return body[:at] + (", " if aliases.items else "") + item_text + body[at:]
        if aliases.kind != "seq" or not aliases.items:
            return None
        dash = aliases.column
        at = _after_line(body, line_start + aliases.content_end)
        fragment = ""
    lines = dump_yaml([spelling], flow=False).splitlines()
    fragment += "".join(" " * dash + line + newline for line in lines)
    if at == len(body) and body and not body.endswith("\n"):
        fragment = newline + fragment
    return body[:at] + fragment + body[at:]


def _after_line(text: str, index: int) -> int:
    """The start of the line after the one holding `index`."""
    if index > 0 and text[index - 1] == "\n":
        return index
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def evidence_add(
    register: Any, agreement_id: str, *, source: str, quote: str, dry_run: bool = False
) -> Changed:
    """Cite another passage (often of another source that agrees) as evidence of a record.

    The quote must stand in its source, as `validate` finds quotes, and must prove at least
    one of the record's claims as the proof reads it (the clause about this document, or
    what its sentence shares), without unproving any claim that was proven: an extra
    quote must not lend the record authority it does not have. The check runs again on
    the record as it is under the lock.
    """
    from agreement_tracker.errors import QuoteNotFound
    from agreement_tracker.notes import parse_record
    from agreement_tracker.suggest import did_you_mean

    ensure_own_register(register.location.read_only)
    agreement = _known_record(register, agreement_id)
    if source not in register.sources:
        hint = did_you_mean(source, register.sources, "; `agreements source add` adds one")
        raise BadArgument(f"--source {source!r} is not a source id in seeds/sources.yaml{hint}")
    check_quote_text(quote)
    rel = register.record_files[agreement_id]
    text = register.source_text(source)
    if text is None:
        raise BadArgument(
            f"source {source!r} cannot be read (`agreements validate` says why); nothing was added"
        )
    span = text.find(quote)
    if span is None:
        from agreement_tracker.checks import nearest_passage, quote_diff
        from agreement_tracker.text import squash, visible

        score, passage = nearest_passage(text, quote)
        diff = "\n".join(f"  {line}" for line in quote_diff(squash(quote), passage))
        raise QuoteNotFound(
            f"quote-not-found: the quote is not in source {source!r}: copy it verbatim from "
            f"the source; nothing was added\n  nearest passage (similarity {score:.0f}/100): "
            f"{visible(passage)}" + (f"\n{visible(diff)}" if diff else "")
        )
    if span.case_differs:
        raise QuoteNotFound(
            f"quote-case: the quote differs from source {source!r} in letter case only: copy "
            f"it as the source writes it ({text.text[span.start : span.end]!r}); nothing was added"
        )
    proven: list[str] = []

    def check(record_text: str) -> None:
        # The whole proof, on the record as it is under the lock (or as read, on a dry run).
        current = parse_record(record_text, rel)
        _refuse_same_evidence(current, source, quote, rel)
        proven[:] = _supports(register, current, source, quote)

    _refuse_same_evidence(agreement, source, quote, rel)  # before the lock file exists
    entry = {"source": source, "quote": quote}
    change = add_entry(register.root, rel, "evidence", entry, dry_run=dry_run, check=check)
    return Changed(rel, change, not dry_run, proven)


def check_quote_text(quote: str) -> None:
    """A quote is one passage of a source: never empty."""
    if not quote.strip():
        raise BadArgument("--quote is empty: copy the passage from the source; nothing was added")


def _known_record(register: Any, agreement_id: str) -> Any:
    from agreement_tracker.errors import UnknownId
    from agreement_tracker.suggest import did_you_mean

    agreement = register.agreements.get(agreement_id)
    if agreement is None:
        hint = did_you_mean(agreement_id, register.record_names, "; `agreements list` lists them")
        raise UnknownId(f"no agreement with id {agreement_id!r}{hint}")
    return agreement


def _refuse_same_evidence(agreement: Any, source: str, quote: str, rel: str) -> None:
    """The same passage cited twice says nothing new (white space folded, as quotes are
    found): refused, naming the quote it repeats."""
    from agreement_tracker.text import squash

    for number, existing in enumerate(agreement.evidence, start=1):
        if existing.source == source and squash(existing.quote) == squash(quote):
            raise BadArgument(
                f"duplicate-evidence: quote {number} of {agreement.id} in {rel} already cites "
                f"this passage of {source}; nothing was added"
            )


def _supports(register: Any, agreement: Any, source: str, quote: str) -> list[str]:
    """The fields the new quote proves, or the refusal (exit 1) naming the rule."""
    import dataclasses

    from agreement_tracker.errors import QuoteNotFound
    from agreement_tracker.model import Evidence
    from agreement_tracker.names import Parties
    from agreement_tracker.proof import Ref, kind_disputes, prove_record

    before = prove_record(register, agreement)
    extended = dataclasses.replace(
        agreement, evidence=[*agreement.evidence, Evidence(source=source, quote=quote)]
    )
    after = prove_record(register, extended)
    new = Ref(None, len(agreement.evidence))
    number = new.index + 1
    was = {(c.field, c.path) for c in before if c.proven}
    lost = [c for c in after if not c.proven and (c.field, c.path) in was]
    if lost:
        raise QuoteNotFound(
            "; ".join(f"{c.code}: {c.message}" for c in lost)
            + f"\nquote-unproves: with this quote as quote {number} of {agreement.id}, "
            f"{', '.join(c.field for c in lost)} would no longer be proven; nothing was "
            "added: cite a passage that agrees with the record"
        )
    proves = [c.field for c in after if c.proven and new in c.refs]
    if not proves:
        refusal = next((c for c in after if c.code == "quote-supports-nothing"
                        and c.field == f"evidence.{new.index}"), None)  # fmt: skip
        message = (
            refusal.message
            if refusal is not None and refusal.message
            else f"quote {number} supports no claim of this record"
        )
        # validate's advice ("remove it") is for a quote in the file; this one is not.
        message = message.partition("; remove it")[0]
        raise QuoteNotFound(
            f"quote-supports-nothing: {message}; nothing was added: quote "
            f"the clause about this document, one that proves a claim `agreements show "
            f"{agreement.id} --proof` lists"
        )
    fields = list(dict.fromkeys(proves))
    witnesses = {f"parties.{i}" for i, p in enumerate(agreement.parties) if p.role == "witness"}
    if not any(_names_the_document(f, witnesses) for f in fields):
        # The proof reads "both sides" as the two parties of every document they exchanged;
        # a quote that proves only that could be about any of them (issue 22, item 8).
        raise QuoteNotFound(
            f"quote-names-no-document: as quote {number} of {agreement.id} the quote proves "
            f"only {', '.join(fields)}, which a sentence about another of their documents "
            "proves as well; nothing was added: quote the clause that names this document "
            "(its kind or title), or the sentence that gives its date, place or witnesses"
        )
    parties = Parties.of(register)
    disputed = set(kind_disputes(register, extended, parties))
    new_kinds = sorted(disputed - set(kind_disputes(register, agreement, parties)))
    if new_kinds:
        raise QuoteNotFound(
            f"disputed-kind: the quote calls the document a {new_kinds[0]!r}, not a "
            f"{agreement.kind!r}: a source that disagrees is an account, not evidence; "
            f"nothing was added: record it with `agreements account add {agreement.id} "
            f"--field kind --value {new_kinds[0]} --source {source} --quote …`"
        )
    return fields


def _names_the_document(field: str, witnesses: set[str]) -> bool:
    """A claim only a quote about this document proves: its kind, title, date, place or
    term, or a witness of the sentence that exchanges it."""
    return (
        field in ("kind", "date", "place", "term")
        or field.startswith("title.")
        or (field in witnesses)
    )


def account_index(agreement: Any, number: int) -> int:
    """The list index of account `number` as `account list` numbers them (1 = first)."""
    count = len(agreement.accounts)
    if not 1 <= number <= count:
        have = f"accounts 1 to {count}" if count else "no accounts"
        raise BadArgument(
            f"{agreement.id} has {have}: there is no account {number} "
            f"(`agreements account list {agreement.id}` numbers them)"
        )
    return number - 1


def account_change(
    register: Any, agreement_id: str, number: int, *, reject: str | None = None
) -> Any:
    """Mark account `number` rejected with the reason `reject`, or remove it (`reject`
    None): only its lines change, under the lock, and only if the account on disk is still
    the one the command read (another writer may have changed the list)."""
    from agreement_tracker.model import to_plain
    from agreement_tracker.notes import parse_record
    from agreement_tracker.store.write import replace_item

    ensure_own_register(register.location.read_only)
    agreement = _known_record(register, agreement_id)
    index = account_index(agreement, number)
    old = agreement.accounts[index]
    entry = None
    if reject is not None:
        if not reject.strip():
            raise BadArgument("--reason is empty: say why the account is wrong; nothing changed")
        if old.rejected is not None:
            raise BadArgument(
                f"account {number} of {agreement_id} is already rejected ({old.rejected!r}): "
                f"edit its `rejected` in {register.record_files[agreement_id]} to change the "
                "reason; nothing changed"
            )
        entry = {k: v for k, v in to_plain(old).items() if v is not None}
        entry["rejected"] = reject
    rel = register.record_files[agreement_id]

    def change_of(text: str) -> Any:
        current = parse_record(text, rel)
        if index >= len(current.accounts) or to_plain(current.accounts[index]) != to_plain(old):
            raise WriteRefused(
                f"account {number} of {agreement_id} changed on disk since it was read; "
                "nothing was written: run the command again"
            )
        change = replace_item(text, rel, "accounts", index, entry)
        if entry is None and len(current.accounts) == 1:
            change = _empty_accounts(change, rel)
        return change

    # As store.write.change_item does (lock, read, check, replace, read back, atomic
    # replace), with one step more in the same write: a record's `accounts` must be a list,
    # so removing the last account leaves `accounts: []`, not a bare `accounts:`.
    return _rewrite(register.root, rel, change_of, dry_run=False)


def _empty_accounts(change: Any, rel: str) -> Any:
    """The change with the bare `accounts:` its last item's removal left written as
    `accounts: []` (a comment after the key stays), read back to be sure."""
    from agreement_tracker.store.write import Change
    from agreement_tracker.store.yamlread import read_yaml

    new, count = re.subn(r"^accounts:(?=[ \t]*(?:#|\r?$))", "accounts: []", change.new,
                         count=1, flags=re.M)  # fmt: skip
    old = read_yaml(change.old, rel, marks=False).data
    got = read_yaml(new, rel, marks=False)
    expected = {**old, "accounts": []} if isinstance(old, dict) else None
    if count != 1 or got.findings or got.data != expected:
        raise WriteRefused(
            f"{rel}: the last account could not be removed without changing other data, so "
            "nothing was written; remove it by hand and leave `accounts: []`"
        )
    return Change(change.file, change.old, new, change.line)
