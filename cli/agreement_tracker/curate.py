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

from agreement_tracker.errors import BadArgument
from agreement_tracker.store.location import (
    MANIFEST,
    RECORDS_DIR,
    REGISTRY_DIR,
    SEEDS_DIR,
    shipped_root,
)
from agreement_tracker.store.write import (
    LOCK_FILE,
    WriteRefused,
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
    from agreement_tracker.store.files import decode_text, read_capped

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
    if target.exists() and target.read_bytes() != raw:
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
