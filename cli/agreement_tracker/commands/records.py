"""Commands that write records: `new` drafts one from a quote, `account` keeps what other
sources say of its fields, `evidence` adds a quote that proves it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from agreement_tracker.commands.options import dry_run_option, format_option
from agreement_tracker.commands.shared import (
    find_agreement,
    load_register,
    report_added,
    say_change,
)
from agreement_tracker.errors import EXIT_FINDINGS
from agreement_tracker.output.console import say

if TYPE_CHECKING:
    from agreement_tracker.loader import Register


@click.command("new")
@click.option("--source", "source_id", required=True, metavar="SOURCE_ID", help="The source.")
@click.option("--quote", metavar="TEXT", help="A passage of the source, verbatim.")
@click.option("--line", type=click.IntRange(min=1), metavar="N", help="Take line N of the source.")
@click.option("--id", "record_id", metavar="ID", help="The record's id. Default: made up.")
@click.option(
    "--as-new",
    is_flag=True,
    help="Draft a record even when the quote describes a document the register holds.",
)
@dry_run_option
@click.pass_context
def new_command(
    ctx: click.Context,
    source_id: str,
    quote: str | None,
    line: int | None,
    record_id: str | None,
    as_new: bool,
    dry_run: bool,
) -> None:
    """Draft a record from what a quote of a source states.

    The quote is located in the source as `validate` does (NFC, white space);
    when it is not there, the nearest passage is shown and nothing is
    written. Organisations are recognised by their names and aliases, the
    kind and sectors by their terms, the date and place where the source
    states them near the quote. Whatever could not be read is a "TODO:"
    placeholder that `validate` refuses until it is filled.

    When the quote describes a document the register already holds (the same
    signatories on the same day or occasion), nothing is written: the
    fields it reads otherwise are proposed as `account add` commands
    (exit 1). A quote saying the document will be signed drafts a planned,
    undated record.

    \b
    Example:
      agreements new --source ttxvn-le-trao-van-kien --line 3 --as-new --dry-run
      agreements new --source la-visit \\
        --quote "Bộ Tư pháp Việt Nam và Bộ Tư pháp Lào" --id vn-la-2026-justice
    """
    from agreement_tracker.draft import draft

    if record_id is not None:
        import re

        from agreement_tracker.values import ID_PATTERN

        if not re.match(ID_PATTERN, record_id):
            raise click.BadParameter(
                f"{record_id!r}: ids are lower-case words joined by hyphens", param_hint="--id"
            )
    # The registries and sources, and unless --as-new every record too, loaded once: the
    # draft is compared with each (a record that does not load is not compared, and does
    # not stop a draft).
    register = load_register(ctx, only="") if as_new else load_register(ctx, records_may_fail=True)
    if line is not None and quote is None:
        from agreement_tracker.draft import document_quotes

        quotes = document_quotes(register, source_id, line)
        if len(quotes) > 1:
            # A line that names several documents drafts each: none is lost.
            if record_id is not None:
                from agreement_tracker.errors import BadArgument

                raise BadArgument(
                    f"--line {line} names {len(quotes)} documents and --id names one record: "
                    "draft them one at a time with --quote TEXT --id ID"
                )
            taken: set[str] = set()
            for n, each in enumerate(quotes, start=1):
                say(f"Document {n} of {len(quotes)} on line {line}: “{each}”")
                drafted = draft(register, source_id, quote=each)
                _draft_one(ctx, register, drafted, source_id, as_new, dry_run, taken)
            return
    drafted = draft(register, source_id, quote=quote, line=line, record_id=record_id)
    _draft_one(ctx, register, drafted, source_id, as_new, dry_run, set())


def _draft_one(
    ctx: click.Context,
    register: Register,
    drafted: Any,
    source_id: str,
    as_new: bool,
    dry_run: bool,
    taken: set[str],
) -> None:
    """Propose the record the draft describes again, or write (or show) the draft."""
    from agreement_tracker.curate_records import write_draft

    if not as_new and _propose_accounts(ctx, register, drafted, source_id):
        return
    base, n = drafted.record["id"], 1
    while drafted.record["id"] in taken:  # two drafts of one line would share an id
        n += 1
        drafted.record["id"] = f"{base}-{n}"
    taken.add(drafted.record["id"])
    text = write_draft(register, drafted.record, dry_run=dry_run)
    rel = f"agreements/{drafted.record['id']}.yaml"
    if dry_run:
        say(f"Dry run: nothing was written. {rel} would be:")
        say(text.rstrip("\n"))
    else:
        say(f"Drafted {rel} from {source_id} line {drafted.line}")
    say("Found:")
    for item in drafted.found:
        say(f"  {item}")
    say("Left to do:")
    for item in drafted.todo:
        say(f"  {item}")
    if drafted.candidates:
        say("Not in the registry (candidates for `agreements org add`):")
        for name in drafted.candidates:
            say(f"  {name}")
    if not dry_run:
        say(f"Then: agreements validate {rel}")


def _propose_accounts(ctx: click.Context, register: Register, drafted: Any, source: str) -> bool:
    """Where the draft reads a document the register holds, say so and propose accounts
    of what it reads otherwise, instead of a second record (True: nothing to write)."""
    import shlex

    from agreement_tracker.draft import same_document

    same = same_document(register, drafted.record)
    if same is None:
        return False
    record = same.record.id
    quote = drafted.record["evidence"][0]["quote"]
    say(f"Not drafted: the quote describes {record}, which the register holds (the same "
        "signatories on the same day or occasion).")  # fmt: skip
    if same.proposals:
        say("It reads these fields otherwise; record them as accounts beside the register's:")
        for field, value in same.proposals:
            own = getattr(same.record, field)
            say(f"  {field}: {value} (the register: {own})")
            command = ["agreements", "account", "add", record, "--field", field,
                       "--value", value, "--source", source, "--quote", quote]  # fmt: skip
            say("    " + shlex.join(command))
    elif any(e.source == source and " ".join(e.quote.split()) == " ".join(quote.split())
             for e in same.record.evidence):  # fmt: skip
        say(f"It is already evidence of {record}.")
    else:
        say("It agrees with the record on kind, date and place; if it says more, add it: "
            f"agreements evidence add {record} --source {shlex.quote(source)} "
            f"--quote {shlex.quote(quote)}")  # fmt: skip
    say("Use --as-new if it really is another document.")
    ctx.obj["exit_code"] = EXIT_FINDINGS
    return True


@click.group("account")
def account_group() -> None:
    """Other sources' readings of a record's fields.

    Where the sources disagree with the register.

    \b
    Example:
      agreements account add vn-az-2025-defence-loi --field kind \\
        --value memorandum-of-understanding --source az-press --quote \\
        "Azerbaijan's Ministry of Defence signed a memorandum of understanding"
    """


@account_group.command("add")
@click.argument("agreement_id", metavar="ID")
@click.option(
    "--field",
    required=True,
    metavar="FIELD",
    help="kind, date, place, title, term, or parties.N (.role, .side, .signer) by index.",
)
@click.option("--value", required=True, help="The other reading: an id, a date, a name.")
@click.option("--source", "source_id", required=True, metavar="SOURCE_ID", help="Who says so.")
@click.option("--quote", required=True, help="The passage of that source that says so, verbatim.")
@click.option("--note", help="Why it matters, for a reader.")
@click.option("--rejected", metavar="REASON", help="Record it as known to be wrong, and why.")
@dry_run_option
@click.pass_context
def account_add_command(
    ctx: click.Context,
    agreement_id: str,
    field: str,
    value: str,
    source_id: str,
    quote: str,
    note: str | None,
    rejected: str | None,
    dry_run: bool,
) -> None:
    """Add another source's account of a field of record ID.

    It is proven by its quote.

    The record's own value stays the register's reading; `show` marks the field
    as disputed and lists every account, `list --disputed` finds such records.
    The quote must state the value as `validate` requires of the record's own
    claims. Only the account's lines are added to the record file.

    \b
    Example:
      agreements account add vn-az-2025-defence-loi --field kind \\
        --value memorandum-of-understanding --source az-press --dry-run --quote \\
        "Azerbaijan's Ministry of Defence signed a memorandum of understanding"
    """
    from agreement_tracker.curate_records import account_add

    register = load_register(ctx, only=agreement_id)
    added = account_add(
        register,
        agreement_id,
        field=field,
        value=value,
        source=source_id,
        quote=quote,
        note=note,
        rejected=rejected,
        dry_run=dry_run,
    )
    report_added(f"an account of {field} to {agreement_id}", added)


@account_group.command("list")
@click.argument("agreement_id", metavar="ID")
@format_option("table", "json")
@click.pass_context
def account_list_command(ctx: click.Context, agreement_id: str, fmt: str) -> None:
    """Record ID's accounts, numbered in file order.

    The numbers are the N of `account reject` and `account remove`.

    \b
    Example:
      agreements account list vn-az-2025-defence-loi
      agreements account list vn-az-2025-energy-mou --format json
    """
    from agreement_tracker.output.formats import Listing, emit

    register = load_register(ctx, only=agreement_id, reading=True)
    agreement = find_agreement(register, agreement_id)
    accounts = agreement.accounts
    listing = Listing(
        f"{len(accounts)} account{'s' if len(accounts) != 1 else ''} of {agreement.id}",
        ["N", "Field", "Value", "Source", "Quote", "Status"],
        narrow=[("Source", "Value"), ("Status", "Field")],
    )
    for number, account in enumerate(accounts, start=1):
        status = "open" if account.rejected is None else f"rejected: {account.rejected}"
        listing.rows.append([str(number), account.field, account.value, account.source,
                             account.quote, status])  # fmt: skip
        listing.records.append({  # type: ignore[attr-defined]
            "index": number, "field": account.field, "value": account.value,
            "source": account.source, "quote": account.quote, "note": account.note,
            "status": "open" if account.rejected is None else "rejected",
            "reason": account.rejected,
        })  # fmt: skip
    emit(listing, fmt)


@account_group.command("reject")
@click.argument("agreement_id", metavar="ID")
@click.argument("number", metavar="N", type=click.IntRange(min=1))
@click.option("--reason", required=True, metavar="TEXT", help="Why the account is wrong.")
@click.pass_context
def account_reject_command(ctx: click.Context, agreement_id: str, number: int, reason: str) -> None:
    """Mark account N of record ID as known to be wrong.

    N is as `account list` numbers them.

    The account stays in the record, with the reason under `rejected`, so a reader
    sees that the reading was weighed; `show` no longer marks the field disputed.
    Only its lines change.

    \b
    Example:
      agreements account add vn-az-2025-defence-loi --field kind \\
        --value memorandum-of-understanding --source az-press --quote \\
        "Azerbaijan's Ministry of Defence signed a memorandum of understanding"
      agreements account reject vn-az-2025-defence-loi 1 \\
        --reason "The Vietnamese text read at the ceremony says letter of intent"
    """
    from agreement_tracker.curate_records import account_change

    register = load_register(ctx, only=agreement_id)
    find_agreement(register, agreement_id)
    change = account_change(register, agreement_id, number, reject=reason)
    say(f"Rejected account {number} of {agreement_id} in {change.file}:{change.line}")


@account_group.command("remove")
@click.argument("agreement_id", metavar="ID")
@click.argument("number", metavar="N", type=click.IntRange(min=1))
@click.option("--yes", is_flag=True, help="Do not ask first (for scripts).")
@click.pass_context
def account_remove_command(ctx: click.Context, agreement_id: str, number: int, yes: bool) -> None:
    """Remove account N of record ID, after asking.

    N is as `account list` numbers them.

    Only its lines go. To keep a wrong reading on file, `account reject` it instead.

    \b
    Example:
      agreements account add vn-az-2025-defence-loi --field kind \\
        --value memorandum-of-understanding --source az-press --quote \\
        "Azerbaijan's Ministry of Defence signed a memorandum of understanding"
      agreements account remove vn-az-2025-defence-loi 1 --yes
    """
    from agreement_tracker.curate_records import account_change, account_index
    from agreement_tracker.errors import BadArgument
    from agreement_tracker.store.write import ensure_own_register

    register = load_register(ctx, only=agreement_id)
    ensure_own_register(register.location.read_only)  # before asking anything
    agreement = find_agreement(register, agreement_id)
    old = agreement.accounts[account_index(agreement, number)]
    if not yes:
        say(f"Account {number} of {agreement.id}: {old.field} = {old.value} from {old.source}"
            + (" (rejected)" if old.rejected is not None else ""))  # fmt: skip
        if not sys.stdin.isatty():
            raise BadArgument("not removed: confirm on a terminal, or pass --yes")
        if not click.confirm("Remove it?", default=False):
            say("Not removed.")
            return
    change = account_change(register, agreement.id, number)
    say(f"Removed account {number} of {agreement.id} from {change.file}")


@click.group("evidence")
def evidence_group() -> None:
    """The quotes that prove a record; cite one more that agrees.

    \b
    Example:
      agreements evidence add vn-az-2025-joint-statement \\
        --source vov-strategic-partnership-en --dry-run --quote \\
        "the joint statement released after their talks, both sides"
    """


@evidence_group.command("add")
@click.argument("agreement_id", metavar="ID")
@click.option("--source", "source_id", required=True, metavar="SOURCE_ID", help="The source.")
@click.option("--quote", required=True, help="The passage of that source, verbatim.")
@dry_run_option
@click.pass_context
def evidence_add_command(
    ctx: click.Context, agreement_id: str, source_id: str, quote: str, dry_run: bool
) -> None:
    """Add a quote to record ID's evidence.

    It is added once it proves one of the record's claims.

    The quote must stand in the source (white space may differ), and prove a claim
    as `validate` proves the record's own quotes: the clause about this document,
    or the time, place or witnesses its sentence gives; and it must name this
    document (prove its kind, title, date, place, term or a witness), since the
    parties alone are proven by a sentence about any of their documents. A quote
    about another document or none, one that calls the document another kind (that
    is an account: `account add`), or one that would leave a proven claim unproven
    is refused (exit 1) with the rule that refused it; a quote the record cites
    already is refused (exit 2). Only the quote's lines are added.

    \b
    Example:
      agreements evidence add vn-az-2025-joint-statement \\
        --source vov-strategic-partnership-en --quote \\
        "the joint statement released after their talks, both sides"
    """
    from agreement_tracker.curate_records import evidence_add

    register = load_register(ctx, only=agreement_id)
    find_agreement(register, agreement_id)
    changed = evidence_add(register, agreement_id, source=source_id, quote=quote,
                           dry_run=dry_run)  # fmt: skip
    proves = ", ".join(changed.detail)
    if not changed.written:
        say_change(f"Dry run: nothing was written. {changed.file} would change so:",
                    changed.change)  # fmt: skip
        say(f"The quote would prove: {proves}")
        return
    say(f"Added a quote to {agreement_id} at {changed.file}:{changed.change.line}; "
        f"it proves: {proves}")  # fmt: skip
