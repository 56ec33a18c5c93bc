"""Follow-up notes: the status lifecycle and adding a note to a record.

The lifecycle lives in the statuses registry (`next` lists the moves a note
may make), not in code, so a team can change it by editing one file. Adding
a note re-reads the record under the register's lock, so concurrent notes
queue and each sees the ones before it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from agreement_tracker.errors import BadArgument, IllegalMove, WriteRefused
from agreement_tracker.model import ID_PATTERN, Agreement, FollowUp, Status, period, to_plain
from agreement_tracker.register import Register
from agreement_tracker.store.files import read_record
from agreement_tracker.store.location import REGISTRY_DIR
from agreement_tracker.store.write import Change, add_entry, ensure_own_register

NOTES_KEY = "follow_up"
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class NoteAdded:
    """What `note add` did: the record before and after, and the file change."""

    before: Agreement
    after: Agreement
    note: FollowUp
    change: Change
    written: bool


def check_move(statuses: dict[str, Status], agreement: Agreement, note: FollowUp) -> None:
    """Refuse a status move the lifecycle does not list (the caller skips this on --force)."""
    if note.status is None:
        return
    current = agreement.current_status
    setter = agreement.status_note
    if setter is not None and note.last_day < setter.first_day:
        raise IllegalMove(
            f"{agreement.id}: a note dated {note.date} cannot set the status, because the "
            f"note of {setter.date} set it later ({current}); add the note without --status, "
            "or use --force to record it anyway"
        )
    if note.status == current:
        return  # confirming the status is not a move
    status = statuses.get(current)
    allowed = status.next if status else []
    if note.status not in allowed:
        moves = ", ".join(allowed) if allowed else "nothing (it is final)"
        raise IllegalMove(
            f"{agreement.id}: cannot move from {current} to {note.status}: the lifecycle in "
            f"{REGISTRY_DIR}/statuses.yaml allows {current} → {moves}; "
            "use --force if the record really changed this way"
        )


def check_date(agreement: Agreement, note: FollowUp, today: dt.date) -> None:
    """A note is dated between the signing and today; a month or a year counts when any
    day of it does (a note of 2025-05 is not before a signing on 2025-05-07)."""
    date = note.date
    if agreement.date is not None and note.last_day < period(agreement.date)[0]:
        raise BadArgument(
            f"the note date {date} is before the signing on {agreement.date}: check --date"
        )
    if note.first_day > today:
        raise BadArgument(
            f"the note date {date} is in the future (today is {today}): notes record what "
            "has happened; check --date"
        )


def is_url(value: str) -> bool:
    """An http(s) address, the other kind of note source."""
    return _URL.match(value) is not None


def note_source(register: Register, given: str | None) -> str | None:
    """A note's source: a URL, or the id of a source in the manifest."""
    if given is None:
        return None
    value = given.strip()
    if _URL.match(value) or value in register.sources:
        return value
    if re.match(ID_PATTERN, value):
        from agreement_tracker.suggest import did_you_mean

        hint = did_you_mean(value, register.sources)
        raise BadArgument(f"--source {value!r} is not a source id in seeds/sources.yaml{hint}")
    raise BadArgument(f"--source {given!r} is neither a URL (http:// or https://) nor a source id")


def note_text(text: str) -> str:
    """The note text as given, refused only when it is empty or not encodable."""
    if not text.strip():
        raise BadArgument("the note text is empty: nothing was added")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadArgument(
            "the note text is not valid UTF-8 (check the terminal's or file's encoding): "
            "nothing was added"
        ) from None
    return text


def git_user_name(register: Register) -> str | None:
    """The git user name where the register is, the default author of a note."""
    import subprocess

    try:
        found = subprocess.run(
            ["git", "config", "user.name"],
            cwd=register.root,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    name = found.stdout.strip()
    return name if found.returncode == 0 and name else None


def entry(note: FollowUp) -> dict[str, Any]:
    """A note as it is written: date first, text last (it may run over many lines)."""
    fields = to_plain(note, exclude_none=True, dates=True)
    if len(fields["date"]) == 10:  # a day stays an unquoted YAML date, as before
        fields["date"] = dt.date.fromisoformat(fields["date"])
    order = ["date", "status", "author", "source", "text"]
    return {key: fields[key] for key in order if key in fields}


def add_note(
    register: Register,
    agreement_id: str,
    note: FollowUp,
    *,
    today: dt.date,
    force: bool = False,
    dry_run: bool = False,
) -> NoteAdded:
    """Append `note` to a record, checked against the record as it is on disk now.

    `force` skips the lifecycle and date checks (the user knows better), never
    the write guarantees.
    """
    ensure_own_register(register.location.read_only)
    rel = register.record_files[agreement_id]

    def check(agreement: Agreement) -> None:
        if not force:
            check_date(agreement, note, today)
            check_move(register.statuses, agreement, note)

    check(register.agreements[agreement_id])  # refuse early, before any lock file exists
    on_disk: list[Agreement] = []

    def check_on_disk(text: str) -> None:
        # Again on the record as it is under the lock: another note may have landed meanwhile.
        on_disk.append(_parse_record(text, rel))
        check(on_disk[-1])

    change = add_entry(
        register.root, rel, NOTES_KEY, entry(note), dry_run=dry_run, check=check_on_disk
    )
    # add_entry read the new text back and found the old data plus this note, nothing else.
    before = on_disk[-1]
    after = replace(before, follow_up=[*before.follow_up, note])
    return NoteAdded(before, after, note, change, not dry_run)


def _parse_record(text: str, rel: str) -> Agreement:
    """The record as the writer sees it under the lock, read as every command reads it."""
    agreement, problems = read_record(text, rel)
    if agreement is None:
        first = problems[0].headline() if problems else f"{rel}: not a valid record"
        raise WriteRefused(
            f"{first}\n{rel} is not a valid record ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}): run `agreements validate` and fix it first; "
            "nothing was written"
        )
    return agreement
