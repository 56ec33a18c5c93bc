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
from agreement_tracker.findings import Finding
from agreement_tracker.loader import Register
from agreement_tracker.model import Agreement, FollowUp, Status
from agreement_tracker.plain import to_plain
from agreement_tracker.store.files import read_record
from agreement_tracker.store.location import REGISTRY_DIR
from agreement_tracker.store.splice import Change
from agreement_tracker.store.write import add_entry, ensure_own_register
from agreement_tracker.values import ID_PATTERN, period

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
    """Refuse a status note the lifecycle does not allow where its date puts it (the
    caller skips this on --force). A note dated before a later status note is backfilled:
    accepted when the moves into it and out of it, in date order, are in the lifecycle."""
    check_sequence(statuses, agreement, [*agreement.follow_up, note], len(agreement.follow_up))


def _next_status_note(notes: list[FollowUp], removed: FollowUp) -> int | None:
    """The index of the status note that follows `removed` in date order, if any."""
    later = [(n.first_day, i) for i, n in enumerate(notes) if n.status and n.first_day
             >= removed.first_day]  # fmt: skip
    return min(later)[1] if later else None


def check_sequence(
    statuses: dict[str, Status], agreement: Agreement, notes: list[FollowUp], changed: int | None
) -> None:
    """The status notes of `notes` in date order (file order within a date) make moves
    the lifecycle allows into and out of note `changed` (None: no note to check). Moves
    elsewhere were checked, or forced, when their notes were added."""
    if changed is None:
        return
    moves = sorted(
        ((n.first_day, i, n) for i, n in enumerate(notes) if n.status), key=lambda m: m[:2]
    )
    chain = [(agreement.status, None, None), *((n.status, n.date, i) for _, i, n in moves)]
    for k in range(1, len(chain)):
        (before, _, i_before), (after, _, i_after) = chain[k - 1], chain[k]
        if changed is not None and changed not in (i_before, i_after):
            continue
        if after == before or after in (statuses[before].next if before in statuses else []):
            continue
        shown = " → ".join(
            f"{status} ({date})" if date else f"{status} (the record)" for status, date, _ in chain
        )
        allowed = statuses[before].next if before in statuses else []
        moves_text = ", ".join(allowed) if allowed else "nothing (it is final)"
        raise IllegalMove(
            f"{agreement.id}: in date order the statuses would be {shown}; the lifecycle in "
            f"{REGISTRY_DIR}/statuses.yaml does not allow {before} → {after} ({before} may "
            f"move to {moves_text}); check the dates and statuses, or use --force if the "
            "record really changed this way"
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
    if _URL.match(value) or register.verifiable(value):
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
    order = ["date", "status", "author", "source", "quote", "text"]
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
        on_disk.append(record_under_lock(register, agreement_id, text, rel))
        check(on_disk[-1])

    change = add_entry(
        register.root, rel, NOTES_KEY, entry(note), dry_run=dry_run, check=check_on_disk
    )
    # add_entry read the new text back and found the old data plus this note, nothing else.
    before = on_disk[-1]
    after = replace(before, follow_up=[*before.follow_up, note])
    return NoteAdded(before, after, note, change, not dry_run)


def record_under_lock(register: Register, agreement_id: str, text: str, rel: str) -> Agreement:
    """The record as the text read under the lock holds it. The same bytes as the load read
    give the same record, so it is reused: validating 100,000 notes twice costs seconds
    and a second copy in memory. Other bytes (a concurrent writer's) are read anew."""
    from agreement_tracker.store.digest import sha256

    loaded = register.record_sha256.get(agreement_id)
    if (
        loaded is not None
        and agreement_id in register.agreements
        and sha256(text.encode("utf-8")).hexdigest() == loaded
    ):
        return register.agreements[agreement_id]
    return parse_record(text, rel)


def parse_record(text: str, rel: str) -> Agreement:
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


def links_to_unloaded(register: Register, findings: list[Finding]) -> list[Finding]:
    """The findings of a load of one record (`load(only=ID)`, as writers and `note list`
    load) without "unknown record" for a link to a record that exists but was not loaded.

    `check_references` knows only the records it loaded. A record's id is its file's
    name (`validate` reports a file whose id differs), so the names of the record files,
    which such a load lists without reading them, are the whole register's ids: a link
    to none of them is still refused.
    """
    ids = set(register.record_names)
    kept = []
    for finding in findings:
        agreement = register.agreements.get(finding.record or "")
        link = _LINK_FIELD.fullmatch(finding.field or "")
        if finding.code == "unknown-ref" and agreement is not None and link is not None:
            index = int(link.group(1))
            if index < len(agreement.links) and agreement.links[index].target in ids:
                continue
        kept.append(finding)
    return kept


_LINK_FIELD = re.compile(r"links\.([0-9]+)\.target")


# --- listing, editing and removing -------------------------------------------------------


def note_index(agreement: Agreement, number: int) -> int:
    """The list index of note `number` as `note list` numbers them (1 = first in the file)."""
    count = len(agreement.follow_up)
    if not 1 <= number <= count:
        have = f"notes 1 to {count}" if count else "no notes"
        raise BadArgument(f"{agreement.id} has {have}: there is no note {number}")
    return number - 1


def change_note(
    register: Register,
    agreement_id: str,
    number: int,
    note: FollowUp | None,
    *,
    expected: FollowUp,
    today: dt.date,
    force: bool = False,
) -> Change:
    """Replace note `number` with `note`, or remove it (`note` None): only its lines
    change, under the lock, atomically, and only if the note on disk is still `expected`
    (someone else may have changed it while the editor was open)."""
    from agreement_tracker.store.write import change_item

    ensure_own_register(register.location.read_only)
    rel = register.record_files[agreement_id]

    def check(text: str) -> None:
        agreement = parse_record(text, rel)
        index = note_index(agreement, number)
        if to_plain(agreement.follow_up[index]) != to_plain(expected):
            raise WriteRefused(
                f"note {number} of {agreement_id} changed on disk since it was read; nothing "
                "was written: run the command again"
            )
        if force:
            return
        notes = list(agreement.follow_up)
        if note is None:
            removed = notes.pop(index)
            if removed.status:  # the notes either side of it now meet: check that move
                after = _next_status_note(notes, removed)
                check_sequence(register.statuses, agreement, notes, after)
        else:
            check_date(agreement, note, today)
            notes[index] = note
            check_sequence(register.statuses, agreement, notes, index)

    return change_item(
        register.root, rel, NOTES_KEY, number - 1, None if note is None else entry(note),
        check=check,
    )  # fmt: skip
