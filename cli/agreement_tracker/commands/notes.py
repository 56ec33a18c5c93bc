"""`agreements note`: add, list, edit and remove the follow-up notes of a record.

A note's text comes from the argument, standard input or $EDITOR; text the user typed
is never lost when the note is refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from agreement_tracker.commands.group import TextCommand
from agreement_tracker.commands.options import dry_run_option, format_option, parse_vague_date
from agreement_tracker.commands.shared import find_agreement, load_register, say_change
from agreement_tracker.output.console import say

if TYPE_CHECKING:
    from agreement_tracker.loader import Register


@click.group("note")
def note_group() -> None:
    """Follow-up notes: what happened after the signing.

    \b
    Example:
      agreements note add vn-az-2025-binh-son-crude-mou "First cargo delivered" \\
        --status in-progress
    """


@note_group.command("add", cls=TextCommand)
@click.argument("agreement_id", metavar="ID")
@click.argument("text", required=False, metavar="[TEXT]")
@click.option(
    "--status",
    metavar="STATUS",
    help="Move the agreement to this status (id or name); statuses.yaml lists the allowed moves.",
)
@click.option(
    "--date",
    "date",
    callback=parse_vague_date,
    metavar="YYYY[-MM[-DD]]",
    help="When, as precisely as the source says (2025-07, 2025). Default: today.",
)
@click.option("--source", metavar="URL|SOURCE_ID", help="Where this is reported.")
@click.option(
    "--author", metavar="NAME", help='Who writes the note. Default: git user.name; "" for none.'
)
@click.option("--force", is_flag=True, help="Record a status move or date the checks refuse.")
@dry_run_option
@click.pass_context
def note_add_command(
    ctx: click.Context,
    agreement_id: str,
    text: str | None,
    status: str | None,
    date: str | None,
    source: str | None,
    author: str | None,
    force: bool,
    dry_run: bool,
) -> None:
    """Append a dated note to an agreement's follow-up.

    TEXT is stored exactly as given. Use `-` to read it from standard input,
    or leave it out to write it in $EDITOR (trailing blank lines are dropped
    in both cases). Only the note's lines are added to the record file: its
    comments and every other byte stay as they are.

    \b
    Example:
      agreements note add vn-az-2025-binh-son-crude-mou "First cargo" \\
        --status in-progress
      echo "Talks resumed" | agreements note add vn-az-2025-energy-mou - \\
        --source https://example.org/a
    """
    from agreement_tracker.notes import add_note, git_user_name

    register = load_register(ctx, only=agreement_id)  # one record, not the whole register
    agreement = find_agreement(register, agreement_id)
    today = dt.date.today()
    if author is None:
        author = git_user_name(register)
    typed = _note_text_input(text)
    with _kept_on_failure(typed if text in (None, "-") else None, "the note's text"):
        fields = {
            "date": date or today.isoformat(),
            "text": typed,
            "status": status or None,
            "source": source,
            "author": author or None,  # --author "" records no author
        }
        note = _checked_note(register, fields, "the note cannot be added")
        added = add_note(register, agreement.id, note, today=today, force=force, dry_run=dry_run)
    change = added.change
    if dry_run:
        say_change(f"Dry run: nothing was written. {change.file} would change so:", change)
        return
    before, after = added.before.current_status, added.after.current_status
    move = f"{before} → {after}" if before != after else f"status stays {after}"
    say(f"Added a note to {agreement.id} at {change.file}:{change.line} ({move})")


@contextlib.contextmanager
def _kept_on_failure(text: str | None, what: str) -> Iterator[None]:
    """Text the user typed in an editor or piped in is never lost: when the command refuses
    it, it is saved to a private file (mode 0600) and the message says where."""
    from agreement_tracker.errors import AgreementsError

    try:
        yield
    except AgreementsError as exc:
        if text and text.strip():
            import tempfile

            fd, path = tempfile.mkstemp(prefix="agreements-note-", suffix=".txt")
            with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as handle:
                handle.write(text)
            exc.args = (f"{exc.args[0] if exc.args else exc}\n{what} is kept in {path}",)
        raise


# The longest note read from standard input: /dev/zero must not fill the memory.
NOTE_MAX = 1_000_000


def _note_text_input(text: str | None) -> str:
    """The note's text from the argument, standard input (`-`) or $EDITOR."""
    from agreement_tracker.errors import BadArgument

    if text == "-":
        if sys.stdin is None:  # closed (`<&-`): nothing to read
            raise BadArgument("standard input is closed: nothing was added")
        raw = sys.stdin.buffer.read(NOTE_MAX + 1)
        if len(raw) > NOTE_MAX:
            raise BadArgument(
                f"standard input holds more than {NOTE_MAX // 1_000_000} MB: a note is a "
                "text for people; nothing was added"
            )
        try:
            return raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise BadArgument("standard input is not UTF-8 text: nothing was added") from None
    if text is None:
        try:
            edited = click.edit("", extension=".txt", require_save=True)
        except click.ClickException as exc:  # the editor could not be run, or failed
            raise BadArgument(f"{exc.format_message()}: nothing was added") from None
        if edited is None:
            raise BadArgument("the editor was closed without saving: nothing was added")
        return edited.rstrip("\r\n")
    return text


@note_group.command("list")
@click.argument("agreement_id", metavar="ID")
@format_option("table", "json", "csv", "markdown")
@click.pass_context
def note_list_command(ctx: click.Context, agreement_id: str, fmt: str) -> None:
    """An agreement's notes, numbered in file order.

    The numbers are the N of `note edit` and `note remove`.

    \b
    Example:
      agreements note list vn-az-2025-energy-mou
    """
    from agreement_tracker.output.formats import Listing, emit
    from agreement_tracker.plain import to_plain

    register = load_register(ctx, only=agreement_id, reading=True)
    agreement = find_agreement(register, agreement_id)
    notes = agreement.follow_up
    listing = Listing(
        f"{len(notes)} note{'s' if len(notes) != 1 else ''} on {agreement.id}",
        ["N", "Date", "Status", "Note", "Source", "Author"],
        narrow=[("Status", "Date"), ("Author", "Date"), ("Source", "Date")],
    )
    for number, note in enumerate(notes, start=1):
        listing.rows.append([str(number), note.date, note.status or "", note.text,
                             note.source or "", note.author or ""])  # fmt: skip
        listing.records.append({"n": number, **to_plain(note)})  # type: ignore[attr-defined]
    emit(listing, fmt)


@note_group.command("edit")
@click.argument("agreement_id", metavar="ID")
@click.argument("number", metavar="N", type=click.IntRange(min=1))
@click.option(
    "--date",
    "new_date",
    callback=parse_vague_date,
    metavar="YYYY[-MM[-DD]]",
    help="Set its date, without an editor.",
)
@click.option(
    "--status",
    "new_status",
    metavar="STATUS",
    help="Set the status it moves to, without an editor.",
)
@click.option(
    "--source",
    "new_source",
    metavar="URL|SOURCE_ID",
    help="Set where it is reported, without an editor.",
)
@click.option("--text", "new_text", metavar="TEXT", help="Set its text, without an editor.")
@click.option("--force", is_flag=True, help="Record a status move or date the checks refuse.")
@click.pass_context
def note_edit_command(
    ctx: click.Context,
    agreement_id: str,
    number: int,
    new_date: str | None,
    new_status: str | None,
    new_source: str | None,
    new_text: str | None,
    force: bool,
) -> None:
    """Correct note N, as `note list` numbers it. Only its lines change.

    With --date, --status, --source or --text, those fields are set; without,
    the note opens in $EDITOR as YAML (date, status, author, source, quote,
    text). Either way it is checked like a new note, then written under the
    lock, atomically and read back; a note that changed on disk meanwhile is
    not overwritten.

    \b
    Example:
      agreements note edit vn-az-2025-energy-mou 1 --date 2025-07
      agreements note edit vn-az-2025-energy-mou 1
    """
    from agreement_tracker.errors import BadArgument
    from agreement_tracker.notes import change_note, entry, note_index
    from agreement_tracker.store.splice import dump_yaml

    register = load_register(ctx, only=agreement_id)
    agreement = find_agreement(register, agreement_id)
    old = agreement.follow_up[note_index(agreement, number)]
    given = {"date": new_date, "status": new_status, "source": new_source, "text": new_text}
    given = {field: value for field, value in given.items() if value is not None}
    if given:  # set from the options: no editor
        new = _checked_note(register, {**entry(old), **given}, "the note cannot be saved so")
        change = change_note(register, agreement.id, number, new, expected=old,
                             today=dt.date.today(), force=force)  # fmt: skip
        _said_change(number, agreement.id, change)
        return
    text = dump_yaml(entry(old), flow=False)
    try:
        edited = click.edit(text, extension=".yaml", require_save=True)
    except click.ClickException as exc:
        raise BadArgument(f"{exc.format_message()}: nothing was changed") from None
    if edited is None or edited == text:
        say(f"Note {number} of {agreement.id} is unchanged: nothing was written.")
        return
    with _kept_on_failure(edited, "your edit"):
        new = _edited_note(register, edited)
        change = change_note(register, agreement.id, number, new, expected=old,
                             today=dt.date.today(), force=force)  # fmt: skip
    _said_change(number, agreement.id, change)


def _said_change(number: int, agreement_id: str, change: Any) -> None:
    say(f"Changed note {number} of {agreement_id} in {change.file}:")
    for line in change.diff()[2:]:
        say(line, "green" if line.startswith("+") else "red" if line.startswith("-") else None)


def _checked_note(register: Register, fields: dict[str, Any], what: str) -> Any:
    """A note from its fields, checked one way whether they came as `note add`'s arguments
    or as what `note edit` saved: its text, its status (an id or a name), its source (a URL
    or a source id), then the model's rules."""
    from agreement_tracker.model import FollowUp
    from agreement_tracker.notes import note_source, note_text
    from agreement_tracker.query import resolve
    from agreement_tracker.schema import from_arguments

    checked = dict(fields)
    checked["text"] = note_text(str(checked.get("text") or ""))
    if checked.get("status") is not None:
        checked["status"] = resolve(register.statuses, str(checked["status"]), "status")
    if checked.get("source") is not None:
        checked["source"] = note_source(register, str(checked["source"]))
    return from_arguments(FollowUp, checked, what)


def _edited_note(register: Register, text: str) -> Any:
    """The note as saved in the editor: its YAML read, then checked as `note add` checks
    its arguments."""
    from agreement_tracker.errors import BadArgument
    from agreement_tracker.store.yamlread import read_yaml

    doc = read_yaml(text, "the edited note")
    if doc.findings:
        raise BadArgument(f"{doc.findings[0].headline()}: nothing was changed")
    if not isinstance(doc.data, dict):
        raise BadArgument("the edited note is not a mapping of fields: nothing was changed")
    return _checked_note(register, doc.data, "the edited note cannot be saved")


@note_group.command("remove")
@click.argument("agreement_id", metavar="ID")
@click.argument("number", metavar="N", type=click.IntRange(min=1))
@click.option("--yes", is_flag=True, help="Do not ask first (for scripts).")
@click.option("--force", is_flag=True, help="Remove a status note the lifecycle checks refuse.")
@click.pass_context
def note_remove_command(
    ctx: click.Context, agreement_id: str, number: int, yes: bool, force: bool
) -> None:
    """Remove note N, as `note list` numbers it, after asking.

    Only its lines go.

    \b
    Example:
      agreements note remove vn-az-2025-energy-mou 2 --yes
    """
    from agreement_tracker.errors import BadArgument
    from agreement_tracker.notes import change_note, note_index

    register = load_register(ctx, only=agreement_id)
    agreement = find_agreement(register, agreement_id)
    old = agreement.follow_up[note_index(agreement, number)]
    if not yes:
        say(f"Note {number} of {agreement.id}, {old.date}" +
            (f", status {old.status}" if old.status else "") + f": {old.text[:200]}")  # fmt: skip
        if not sys.stdin.isatty():
            raise BadArgument("not removed: confirm on a terminal, or pass --yes")
        if not click.confirm("Remove it?", default=False):
            say("Not removed.")
            return
    change = change_note(register, agreement.id, number, None, expected=old,
                         today=dt.date.today(), force=force)  # fmt: skip
    say(f"Removed note {number} of {agreement.id} from {change.file}")
