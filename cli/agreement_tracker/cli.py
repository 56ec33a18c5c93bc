"""The `agreements` command: the group, its table of commands, and the one mapping from
errors to exit codes.

The commands live in `commands/`, one module per family, and are imported only when
they run (click's lazily loaded subcommands): `agreements list` imports what `list`
needs and nothing of `note` or `export`. The table keeps each command's summary, so
the group's `--help` lists them all without importing one.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from agreement_tracker import __version__
from agreement_tracker.commands.options import accept_register_anywhere, parse_language
from agreement_tracker.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_UNUSABLE, AgreementsError
from agreement_tracker.output.console import print_finding, say

DEBUG_ENV = "AGREEMENTS_DEBUG"

_READ = "agreement_tracker.commands.read"
_CURATE = "agreement_tracker.commands.curate"
# Each command: where it is defined ("module:attribute"), and its summary for the group's
# --help (the first paragraph of its docstring; a test holds the two equal).
COMMANDS: dict[str, tuple[str, str]] = {
    "list": (f"{_READ}:list_command", "List agreements, filtered; filters combine (AND); "
             "--since/--until are signing dates."),
    "show": (f"{_READ}:show_command",
             "Everything about one agreement, each quote shown in its source."),
    "orgs": (f"{_READ}:orgs_command",
             "The organisations registry: ids, countries, names and aliases."),
    "sectors": (f"{_READ}:sectors_command",
                "The sector hierarchy, with how many agreements each covers."),
    "report": (f"{_READ}:report_command", "What a briefing needs: counts by status, sector "
               "and organisation, what needs attention."),
    "timeline": (f"{_READ}:timeline_command",
                 "Signings, follow-up notes and term ends in date order."),
    "schema": (f"{_READ}:schema_command",
               "Print the JSON Schema of agreement records, for editors and other tools."),
    "validate": ("agreement_tracker.commands.validate:validate_command",
                 "Prove every record against its sources."),
    "note": ("agreement_tracker.commands.notes:note_group",
             "Follow-up notes: what happened after the signing."),
    "export": ("agreement_tracker.commands.export:export_group",
               "Data out for other tools: a SQLite database, FollowTheMoney entities."),
}  # fmt: skip


class LazyGroup(click.Group):
    """A group whose commands are imported when one is run or asked for (click's "lazily
    loading subcommands" pattern), each given the `--register` option on arrival."""

    def __init__(self, *args: Any, lazy_subcommands: dict[str, tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = lazy_subcommands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_subcommands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_subcommands:
            module, _, attribute = self.lazy_subcommands[cmd_name][0].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            accept_register_anywhere(command)
            self.commands[cmd_name] = command  # once: the option is added once
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Every command with its summary, as click shows them, from the table: `--help`
        imports no command module."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
            else:
                summary = self.lazy_subcommands[name][1]
                rows.append((name, click.Command(name, help=summary).get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


_OUT_OF_MEMORY = object()
# Made before any memory can run out: the words when nothing more can be said.
_OUT_OF_MEMORY_WORDS = (
    "agreements: the command ran out of memory. Nothing was written. Free memory or raise "
    "the limit (ulimit -v) and run again"
)
_OUT_OF_MEMORY_BYTES = (_OUT_OF_MEMORY_WORDS + "\n").encode()


def _address_space_capped() -> bool:
    """Whether `ulimit -v` (or a data limit) caps this process: read at start-up, while the
    memory is there to read it."""
    try:
        import resource

        return any(
            resource.getrlimit(limit)[0] != resource.RLIM_INFINITY
            for limit in (resource.RLIMIT_AS, resource.RLIMIT_DATA)
        )
    except Exception:  # no resource module (not a POSIX system), or it could not load
        return False


_CAPPED = _address_space_capped()


def starved(exc: BaseException) -> bool:
    """Whether `exc` is the memory running out, as it shows under a capped address space:
    a MemoryError, a library that could not be mapped (ImportError), or an interpreter call
    that failed without saying why (SystemError)."""
    return isinstance(exc, MemoryError) or (_CAPPED and isinstance(exc, (ImportError, SystemError)))


def out_of_memory(ctx: click.Context | None) -> str:
    """What to say when the memory ran out: what the register holds that is large (its
    records, its largest file), and what to do. Found by listing folders only: little
    memory is needed, and any failure leaves the general words."""
    command = f"`agreements {ctx.invoked_subcommand}`" if ctx and ctx.invoked_subcommand else ""
    said = f"{command or 'the command'} ran out of memory"
    try:
        from agreement_tracker.store.location import locate

        root = locate((ctx.obj or {}).get("register") if ctx else None).root
        records, largest, size = 0, "", -1
        for folder in ("agreements", "agreements/registry", "seeds"):
            with os.scandir(root / folder) as entries:
                for entry in entries:
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    records += folder == "agreements" and entry.name.endswith(".yaml")
                    st = entry.stat(follow_symlinks=False)
                    if st.st_size > size:
                        largest, size = f"{folder}/{entry.name}", st.st_size
        said += (
            f" on the register at {root}: {records:,} record files; the largest file is "
            f"{largest} ({size / 1_000_000:.1f} MB)"
        )
    except Exception:  # the words below still hold
        pass
    return (
        f"{said}. Nothing was written. Free memory or raise the limit (ulimit -v) and run "
        "again; if one file is far larger than the rest, check that it holds only what belongs "
        "there"
    )


class AgreementsGroup(LazyGroup):
    """Maps domain errors to exit codes in one place, for the real command and CliRunner alike."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except AgreementsError as exc:
            for finding in getattr(exc, "findings", []):
                print_finding(finding, err=True)
            say(f"agreements: {exc}", "bold red", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            raise
        except MemoryError:
            if os.environ.get(DEBUG_ENV):
                raise
            result = _OUT_OF_MEMORY  # said below, once the frames that held the memory are gone
        except Exception as exc:  # the last line of defence: no traceback for users
            if os.environ.get(DEBUG_ENV):
                raise
            if starved(exc):
                try:  # `say` imports what may no longer load
                    say(f"agreements: {out_of_memory(ctx)} ({type(exc).__name__}: {exc})", err=True)
                except Exception:
                    print(_OUT_OF_MEMORY_WORDS, file=sys.stderr)
                ctx.exit(EXIT_UNUSABLE)
            say(
                f"agreements: internal error: {type(exc).__name__}: {exc}\n"
                f"Please report it; set {DEBUG_ENV}=1 to see the traceback.",
                err=True,
            )
            ctx.exit(EXIT_UNUSABLE)
        if result is _OUT_OF_MEMORY:
            try:
                message = f"agreements: {out_of_memory(ctx)}"
            except MemoryError:
                message = _OUT_OF_MEMORY_WORDS
            print(message, file=sys.stderr)
            ctx.exit(EXIT_UNUSABLE)
        # A read command that showed what loaded of a register with broken files.
        ctx.exit((ctx.obj or {}).get("exit_code", EXIT_OK))
        return result


@click.group(
    cls=AgreementsGroup,
    lazy_subcommands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="agreements")
@click.option(
    "--register",
    "register_dir",
    metavar="DIR",
    help="The register folder (holding agreements/ and seeds/). "
    "Default: $AGREEMENTS_REGISTER, else the nearest such folder at or above the "
    "current one, else the register shipped with the tool.",
)
@click.option(
    "--lang",
    "group_lang",
    metavar="XX",
    callback=parse_language,
    help="Language of names and titles, for commands that show them (also after the command).",
)
@click.pass_context
def cli(ctx: click.Context, register_dir: str | None, group_lang: str | None) -> None:
    """A source-verified register of bilateral agreements.

    Every record cites verbatim quotes from the source texts in seeds/;
    `agreements validate` proves them.

    \b
    Example:
      agreements list --sector energy
      agreements show vn-az-2025-justice-programme
    """
    ctx.ensure_object(dict)
    ctx.obj["register"] = register_dir
    if group_lang is not None:
        # `agreements --lang vi list` as `agreements list --lang vi`: the subcommand's own
        # --lang, where given, still wins.
        ctx.default_map = {name: {"lang": group_lang} for name in cli.list_commands(ctx)}


# --- not yet moved ---

import datetime as dt  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from agreement_tracker.commands.options import dry_run_option, format_option  # noqa: E402
from agreement_tracker.commands.options import parse_day as _date  # noqa: E402
from agreement_tracker.commands.options import parse_language as _language  # noqa: E402
from agreement_tracker.commands.shared import find_agreement as _find_agreement  # noqa: E402
from agreement_tracker.commands.shared import load_register  # noqa: E402
from agreement_tracker.commands.shared import say_change as _say_change  # noqa: E402
from agreement_tracker.errors import EXIT_FINDINGS  # noqa: E402

if TYPE_CHECKING:
    from agreement_tracker.register import Register


@cli.command("init")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=True, path_type=str))
@click.option(
    "--from-shipped",
    is_flag=True,
    help="Copy the shipped register (records, sources, registries) instead of starting empty.",
)
@dry_run_option
def init_command(directory: str, from_shipped: bool, dry_run: bool) -> None:
    """Start a register of your own in DIR (a new or empty folder).

    It gets the registries (organisations, sectors, kinds, statuses, and an
    empty occasions list), an empty seeds/ with its manifest, an empty
    agreements/ and a README. With --from-shipped it is a copy of the
    register shipped with the tool, ready for follow-up notes.

    \b
    Example:
      agreements init ~/registers/caucasus --from-shipped
      cd ~/registers/caucasus && agreements note add vn-az-2025-energy-mou "…"
    """
    from pathlib import Path

    from agreement_tracker.curate import init_register

    created = init_register(Path(directory), from_shipped=from_shipped, dry_run=dry_run)
    verb = "Would create" if dry_run else "Created"
    kind = "a copy of the shipped register" if from_shipped else "an empty register"
    say(f"{verb} {kind} in {created.root} ({len(created.files)} files)")
    if dry_run:
        for rel in created.files:
            say(f"  {rel}")
        say("Dry run: nothing was written.")
    else:
        say(f"Next: cd {created.root} && agreements validate")


@cli.group("account")
def account_group() -> None:
    """Other sources' accounts of a record's fields: where the sources disagree.

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
    """Add another source's account of a field of record ID, proven by its quote.

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
    from agreement_tracker.curate import account_add

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
    _report_added(f"an account of {field} to {agreement_id}", added)


@account_group.command("list")
@click.argument("agreement_id", metavar="ID")
@format_option("table", "json")
@click.pass_context
def account_list_command(ctx: click.Context, agreement_id: str, fmt: str) -> None:
    """Record ID's accounts, numbered in file order: the N of `account reject` and `remove`.

    \b
    Example:
      agreements account list vn-az-2025-defence-loi
      agreements account list vn-az-2025-energy-mou --format json
    """
    from agreement_tracker.output.formats import Listing, emit

    register = load_register(ctx, only=agreement_id, reading=True)
    agreement = _find_agreement(register, agreement_id)
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
    """Mark account N of record ID (as `account list` numbers them) as known to be wrong.

    The account stays in the record, with the reason under `rejected`, so a reader
    sees that the reading was weighed; `show` no longer marks the field disputed.
    Only its lines change.

    \b
    Example:
      agreements account add vn-az-2025-defence-loi --field kind \\
        --value memorandum-of-understanding --source az-press --quote \\
        "Azerbaijan's Ministry of Defence signed a memorandum of understanding"
      agreements account reject vn-az-2025-defence-loi 1 \\
        --reason "The Vietnamese text, read at the ceremony, calls it a letter of intent"
    """
    from agreement_tracker.curate import account_change

    register = load_register(ctx, only=agreement_id)
    _find_agreement(register, agreement_id)
    change = account_change(register, agreement_id, number, reject=reason)
    say(f"Rejected account {number} of {agreement_id} in {change.file}:{change.line}")


@account_group.command("remove")
@click.argument("agreement_id", metavar="ID")
@click.argument("number", metavar="N", type=click.IntRange(min=1))
@click.option("--yes", is_flag=True, help="Do not ask first (for scripts).")
@click.pass_context
def account_remove_command(ctx: click.Context, agreement_id: str, number: int, yes: bool) -> None:
    """Remove account N of record ID (as `account list` numbers them), after asking.

    Only its lines go. To keep a wrong reading on file, `account reject` it instead.

    \b
    Example:
      agreements account add vn-az-2025-defence-loi --field kind \\
        --value memorandum-of-understanding --source az-press --quote \\
        "Azerbaijan's Ministry of Defence signed a memorandum of understanding"
      agreements account remove vn-az-2025-defence-loi 1 --yes
    """
    from agreement_tracker.curate import account_change, account_index
    from agreement_tracker.errors import BadArgument
    from agreement_tracker.store.write import ensure_own_register

    register = load_register(ctx, only=agreement_id)
    ensure_own_register(register.location.read_only)  # before asking anything
    agreement = _find_agreement(register, agreement_id)
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


@cli.group("evidence")
def evidence_group() -> None:
    """The quotes that prove a record: cite another passage that agrees.

    \b
    Example:
      agreements evidence add vn-az-2025-joint-statement --source vov-strategic-partnership-en \\
        --quote "According to the joint statement released after their talks, both sides \\
        will promote high-level visits" --dry-run
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
    """Add a quote to record ID's evidence, once it proves one of the record's claims.

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
      agreements evidence add vn-az-2025-joint-statement --source vov-strategic-partnership-en \\
        --quote "According to the joint statement released after their talks, both sides \\
        will promote high-level visits"
    """
    from agreement_tracker.curate import evidence_add

    register = load_register(ctx, only=agreement_id)
    _find_agreement(register, agreement_id)
    changed = evidence_add(register, agreement_id, source=source_id, quote=quote,
                           dry_run=dry_run)  # fmt: skip
    proves = ", ".join(changed.detail)
    if not changed.written:
        _say_change(f"Dry run: nothing was written. {changed.file} would change so:",
                    changed.change)  # fmt: skip
        say(f"The quote would prove: {proves}")
        return
    say(f"Added a quote to {agreement_id} at {changed.file}:{changed.change.line}; "
        f"it proves: {proves}")  # fmt: skip


@cli.group("occasion")
def occasion_group() -> None:
    """Visits and events on which documents were signed.

    \b
    Example:
      agreements occasion add la-pm-visit-2026 --title-en "Visit of the Lao Prime Minister" \\
        --title-vi "Chuyến thăm của Thủ tướng Lào" --start 2026-03-11 --end 2026-03-13 \\
        --place "Hà Nội, Việt Nam" --evidence la-visit "từ ngày 11-13/3" \\
        --evidence la-visit "Hà Nội, ngày 12/3/2026"
    """


@occasion_group.command("add")
@click.argument("occasion_id", metavar="ID")
@click.option("--title-en", required=True, help="The occasion's name in English.")
@click.option(
    "--title",
    "titles",
    metavar="LANG=TEXT",
    multiple=True,
    help="Its name in another language (vi=…, de=…); repeatable.",
)
@click.option("--title-vi", help="Same as --title vi=TEXT.")
@click.option("--start", callback=_date, required=True, metavar="YYYY-MM-DD", help="First day.")
@click.option("--end", callback=_date, metavar="YYYY-MM-DD", help="Last day, if not the first.")
@click.option("--place", required=True, help="Where, as records name it: City, Country.")
@click.option("--part-of", metavar="ID", help="A longer occasion this is part of (a tour).")
@click.option(
    "--evidence",
    type=(str, str),
    multiple=True,
    required=True,
    metavar="SOURCE QUOTE",
    help="A source id and a passage of it, verbatim; repeat. Together they must state the "
    "start, end and place, and a full date within them for the year.",
)
@dry_run_option
@click.pass_context
def occasion_add_command(
    ctx: click.Context,
    occasion_id: str,
    title_en: str,
    titles: tuple[str, ...],
    title_vi: str | None,
    start: dt.date,
    end: dt.date | None,
    place: str,
    part_of: str | None,
    evidence: tuple[tuple[str, str], ...],
    dry_run: bool,
) -> None:
    """Add an occasion to agreements/registry/occasions.yaml, proven by its quotes.

    Its start and end (a date such as 7/5 or a span such as 7-8/5), its year (a
    full date within it, such as a dateline) and its place must stand in the
    quotes, as `validate` requires; otherwise nothing is added.

    \b
    Example:
      agreements occasion add la-pm-visit-2026 --title-en "Visit of the Lao Prime Minister" \\
        --title-vi "Chuyến thăm của Thủ tướng Lào" --start 2026-03-11 --end 2026-03-13 \\
        --place "Hà Nội, Việt Nam" --evidence la-visit "từ ngày 11-13/3" \\
        --evidence la-visit "Hà Nội, ngày 12/3/2026" --dry-run
    """
    from agreement_tracker.curate import occasion_add

    title_map = _language_map("--title", titles, en=title_en, vi=title_vi)
    register = load_register(ctx, only="")
    added = occasion_add(
        register,
        occasion_id,
        titles=title_map,
        start=start,
        end=end,
        place=place,
        part_of=part_of,
        evidence=evidence,
        dry_run=dry_run,
    )
    _report_added(f"occasion {added.id}", added)


@cli.group("source")
def source_group() -> None:
    """The source texts in seeds/ and their manifest.

    \b
    Example:
      agreements source add ~/Downloads/announcement.txt --lang vi --publisher "TTXVN"
    """


@source_group.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--lang",
    metavar="XX",
    required=True,
    callback=_language,
    help="The text's language, an ISO 639-1 code (vi, en, de, fr, ru, az, kk…).",
)
@click.option("--title", help="The title as the text gives it. Default: unknown.")
@click.option("--publisher", help="Who published it, as the text says. Default: unknown.")
@click.option("--published", callback=_date, metavar="YYYY-MM-DD", help="Default: unknown.")
@click.option("--url", help="Where it was published.")
@click.option("--id", "source_id", metavar="ID", help="Default: from the file name.")
@click.option(
    "--max-size",
    # At most store.files.SOURCE_MAX (64 MB): validate and show read no larger source, so
    # a larger one added would be refused by every command after (a test holds the two).
    type=click.IntRange(min=1, max=64),
    default=20,
    show_default=True,
    metavar="MB",
    help="Refuse a file larger than this (at most 64, the largest source the register "
    "reads): a source is a text, not a data dump.",
)
@dry_run_option
@click.pass_context
def source_add_command(
    ctx: click.Context,
    file: str,
    lang: str,
    title: str | None,
    publisher: str | None,
    published: dt.date | None,
    url: str | None,
    source_id: str | None,
    max_size: int,
    dry_run: bool,
) -> None:
    """Copy FILE into seeds/ unchanged and add it to seeds/sources.yaml with its sha256.

    A file that is not UTF-8 text, or whose bytes are registered already, is
    refused. Give only what the text itself states; the rest stays "unknown".

    \b
    Example:
      agreements source add press-release.txt --lang vi --published 2026-03-12
    """
    from pathlib import Path

    from agreement_tracker.curate import source_add

    register = load_register(ctx, only="")
    added = source_add(
        register,
        Path(file),
        lang=lang,
        title=title,
        publisher=publisher,
        published=published,
        url=url,
        source_id=source_id,
        max_size=max_size * 1_000_000,
        dry_run=dry_run,
    )
    _report_added(f"source {added.id}", added)


@cli.group("org")
def org_group() -> None:
    """The organisations registry.

    \b
    Example:
      agreements org add la-ministry-of-energy --country LA --type ministry \\
        --name-en "Ministry of Energy and Mines of Laos" --name-vi "Bộ Năng lượng và Mỏ Lào"
    """


@org_group.command("add")
@click.argument("org_id", metavar="ID")
@click.option("--country", metavar="XX", help="ISO 3166 alpha-2 code; leave out if unknown.")
@click.option(
    "--type",
    "org_type",
    type=click.Choice(
        ["ministry", "government", "state company", "company", "person", "party", "organisation"]
    ),
    required=True,
)
@click.option(
    "--name",
    "names",
    metavar="LANG=TEXT",
    multiple=True,
    help="The name in a language (en=…, vi=…, de=…); repeatable. English is required.",
)
@click.option("--short", "shorts", metavar="LANG=TEXT", multiple=True,
              help="A short name in a language; repeatable.")  # fmt: skip
@click.option("--name-en", help="Same as --name en=TEXT.")
@click.option("--name-vi", help="Same as --name vi=TEXT.")
@click.option(
    "--alias", "aliases", multiple=True, help="Another spelling the sources use; repeatable."
)
@dry_run_option
@click.pass_context
def org_add_command(
    ctx: click.Context,
    org_id: str,
    country: str | None,
    org_type: str,
    names: tuple[str, ...],
    shorts: tuple[str, ...],
    name_en: str | None,
    name_vi: str | None,
    aliases: tuple[str, ...],
    dry_run: bool,
) -> None:
    """Add an organisation to agreements/registry/organisations.yaml.

    Only its lines are added: the file's comments and formatting stay as they are.
    The name is needed in English; give it in any other language the sources use.

    \b
    Example:
      agreements org add la-ministry-of-justice --country LA --type ministry \\
        --name en="Ministry of Justice of Laos" --name vi="Bộ Tư pháp Lào"
      agreements org add de-siemens-energy --country DE --type company \\
        --name en="Siemens Energy" --alias "Siemens Energy AG"
    """
    from agreement_tracker.curate import org_add

    name_map = _language_map("--name", names, en=name_en, vi=name_vi)
    if "en" not in name_map:
        raise click.UsageError("give the name in English: --name en=TEXT")
    register = load_register(ctx, only="")
    added = org_add(
        register,
        org_id,
        country=country,
        org_type=org_type,
        names=name_map,
        short=_language_map("--short", shorts) or None,
        aliases=aliases,
        dry_run=dry_run,
    )
    _report_added(f"organisation {added.id}", added)


@org_group.command("alias")
@click.argument("org_id", metavar="ORG")
@click.argument("spelling")
@click.option(
    "--lang",
    metavar="XX",
    help="The spelling's language (ISO 639-1), checked only: aliases are one list.",
)
@dry_run_option
@click.pass_context
def org_alias_command(
    ctx: click.Context, org_id: str, spelling: str, lang: str | None, dry_run: bool
) -> None:
    """Add SPELLING to the aliases of organisation ORG, so the proof and search read it.

    Refused when ORG is unknown, when the spelling is already one of its names,
    short names or aliases (letter case and white space aside), and when it names
    another organisation (it would make that name ambiguous). Only the alias line
    is added to agreements/registry/organisations.yaml. The registry keeps aliases
    as one list for every language: --lang is checked, not stored.

    \b
    Example:
      agreements org alias az-ministry-of-energy "Energieministerium Aserbaidschans" --lang de
      agreements org alias vn-ministry-of-industry-and-trade "Bộ Công Thương VN" --dry-run
    """
    from agreement_tracker.curate import org_alias

    register = load_register(ctx, only="")
    changed = org_alias(register, org_id, spelling, lang=lang, dry_run=dry_run)
    if not changed.written:
        _say_change(f"Dry run: nothing was written. {changed.file} would change so:",
                    changed.change)  # fmt: skip
        return
    say(f"Added the alias {spelling!r} to {org_id} at {changed.file}:{changed.change.line}"
        + "".join(f" {d}" for d in changed.detail))  # fmt: skip


def _language_map(option: str, values: tuple[str, ...], **shortcuts: str | None) -> dict[str, str]:
    """`LANG=TEXT` values as a map from language code to text, each code once; `shortcuts`
    are the same given by their own options (`--name-en`: en="…")."""
    from agreement_tracker.languages import check_language

    found: dict[str, str] = {lang: text for lang, text in shortcuts.items() if text is not None}
    for value in values:
        lang, sep, text = value.partition("=")
        if not sep or not text.strip():
            raise click.BadParameter(f"{value!r}: write LANG=TEXT, e.g. en=\"Ministry of Energy\"",
                                     param_hint=option)  # fmt: skip
        try:
            code = check_language(lang)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint=option) from None
        if code in found:
            raise click.BadParameter(f"the {code} text is given twice: give it once",
                                     param_hint=option)  # fmt: skip
        found[code] = text.strip()
    return found


def _propose_accounts(ctx: click.Context, register: Register, drafted: Any, source: str) -> bool:
    """Where the draft reads a document the register holds, say so and propose accounts
    of what it reads otherwise, instead of a second record (True: nothing to write)."""
    import shlex

    from agreement_tracker.draft import same_document
    from agreement_tracker.register import load

    full, _findings = load(register.location)  # records that do not load are not compared
    same = same_document(full, drafted.record)
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


def _report_added(what: str, added: Any) -> None:
    if not added.written:
        _say_change(f"Dry run: nothing was written. Adding {what} would change:", added.change)
        return
    say(f"Added {what}: {', '.join(added.files)}")


@cli.command("new")
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
    """Draft a record from a quote: parties, kind, sectors, date and place it states.

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
      agreements new --source la-visit --quote "Bộ Tư pháp Việt Nam và Bộ Tư pháp Lào" \\
        --id vn-la-2026-justice
    """
    from agreement_tracker.draft import draft

    if record_id is not None:
        import re

        from agreement_tracker.model import ID_PATTERN

        if not re.match(ID_PATTERN, record_id):
            raise click.BadParameter(
                f"{record_id!r}: ids are lower-case words joined by hyphens", param_hint="--id"
            )
    register = load_register(ctx, only="")  # registries and sources; no record is read
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
    from agreement_tracker.curate import write_draft

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


for _name in [n for n in cli.commands if n not in COMMANDS]:
    accept_register_anywhere(cli.commands[_name])


def main() -> None:
    """The console script: run the command; a closed pipe or Ctrl-C ends it quietly."""
    from agreement_tracker.store.cachedir import remove_old_caches

    try:
        remove_old_caches()
        try:
            cli.main(prog_name="agreements")
        except SystemExit:
            # What the command printed is flushed here, where running out of memory is
            # still ours to say, not at the interpreter's exit (a bare "MemoryError").
            sys.stdout.flush()
            raise
    except MemoryError:
        # Outside a command's own handling (reading the arguments, or in the handling
        # itself): the same words, without a traceback, and an exit that allocates next to
        # nothing (plain try blocks: even a context manager is an allocation that can fail).
        try:
            message = f"agreements: {out_of_memory(None)}\n".encode()
        except MemoryError:
            message = _OUT_OF_MEMORY_BYTES
        try:  # noqa: SIM105 - contextlib.suppress allocates, and can fail here
            sys.stdout.flush()
        except BaseException:
            pass
        try:  # noqa: SIM105
            os.write(2, message)
        except BaseException:
            pass
        os._exit(EXIT_UNUSABLE)
    except BrokenPipeError:
        # `agreements list | head`: the reader left, which is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
