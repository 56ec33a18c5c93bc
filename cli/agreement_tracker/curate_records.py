"""Curating a record: account add, change and list, evidence add, and writing a draft.

Another source's reading (an account) or another quote (evidence) is added
only when its quote stands in its source and proves what it is added for; an
account is rejected or removed by changing only its own lines.
"""

from __future__ import annotations

import re
from typing import Any

from agreement_tracker.curate import Added, Changed, known_source
from agreement_tracker.errors import BadArgument, WriteRefused
from agreement_tracker.store.location import RECORDS_DIR, REGISTRY_DIR
from agreement_tracker.store.splice import Change, dump_yaml, replace_item
from agreement_tracker.store.write import (
    add_entry,
    ensure_own_register,
    ensure_writable,
    locked,
    replace_atomically,
    rewrite,
)


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
    known_source(register, source, "--source")
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
    from agreement_tracker.values import partial_date

    # A term is split as `prove_account` splits it, so what passes here is what it proves.
    bounds = value.replace("–", "-").partition("-")[::2] if field == "term" else (value,)
    for bound in bounds:
        try:
            partial_date(bound)
        except ValueError as exc:
            what = f"--value {value!r}: " if bound != value else "--value "
            raise BadArgument(f"{what}{exc}; nothing was added") from None


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

    ensure_own_register(register.location.read_only)
    agreement = known_record(register, agreement_id)
    known_source(register, source, "--source", "; `agreements source add` adds one")
    check_quote_text(quote)
    rel = register.record_files[agreement_id]
    text = register.source_text(source)
    if text is None:
        raise BadArgument(
            f"source {source!r} cannot be read (`agreements validate` says why); nothing was added"
        )
    span = text.find(quote)
    if span is None:
        from agreement_tracker.passages import not_found_lines
        from agreement_tracker.text import visible

        shown = "".join(f"\n  {visible(line)}" for line in not_found_lines(text, quote))
        raise QuoteNotFound(
            f"quote-not-found: the quote is not in source {source!r}: copy it verbatim from "
            f"the source; nothing was added{shown}"
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


def known_record(register: Any, agreement_id: str) -> Any:
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


def item_index(agreement_id: str, count: int, number: int, noun: str, listing: str) -> int:
    """The list index of item `number` (1 = first) of a record's accounts, commitments…,
    as `listing` numbers them; a number it does not show is refused with the range."""
    if not 1 <= number <= count:
        have = f"{noun}s 1 to {count}" if count else f"no {noun}s"
        raise BadArgument(
            f"{agreement_id} has {have}: there is no {noun} {number} "
            f"(`agreements {listing} {agreement_id}` numbers them)"
        )
    return number - 1


def account_index(agreement: Any, number: int) -> int:
    """The list index of account `number` as `account list` numbers them."""
    return item_index(agreement.id, len(agreement.accounts), number, "account", "account list")


def account_change(
    register: Any, agreement_id: str, number: int, *, reject: str | None = None
) -> Any:
    """Mark account `number` rejected with the reason `reject`, or remove it (`reject`
    None): only its lines change, under the lock, and only if the account on disk is still
    the one the command read (another writer may have changed the list)."""
    from agreement_tracker.notes import parse_record
    from agreement_tracker.plain import to_plain

    ensure_own_register(register.location.read_only)
    agreement = known_record(register, agreement_id)
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
    return rewrite(register.root, rel, change_of)


def _empty_accounts(change: Any, rel: str) -> Any:
    """The change with the bare `accounts:` its last item's removal left written as
    `accounts: []` (a comment after the key stays), read back to be sure."""
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
