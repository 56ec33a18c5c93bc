"""What several command families use: the register loaded for a command, a record found
by its id, and a write shown as the diff it would make."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from agreement_tracker.errors import EXIT_FINDINGS
from agreement_tracker.output.console import print_finding, say

if TYPE_CHECKING:
    from pathlib import Path

    from agreement_tracker.loader import Register


def load_register(
    ctx: click.Context,
    only: str | None = None,
    *,
    reading: bool = False,
    records_may_fail: bool = False,
) -> Register:
    """Find and load the register (or its registries and one record).

    A read command (`reading`) shows what loads: each file that does not is
    named on stderr with its findings, and the command ends with exit 1. A
    writer refuses a register with errors (exit 2): it must not build on them;
    `records_may_fail`: only errors outside the record files (`new` writes a new record
    and only compares the others).
    """
    from agreement_tracker.errors import RegisterUnreadable
    from agreement_tracker.loader import load
    from agreement_tracker.store.location import locate

    location = locate(ctx.obj.get("register"))
    if reading:
        say_where(location)
    register, findings = load(location, only=only)
    if only:
        from agreement_tracker.notes import links_to_unloaded

        findings = links_to_unloaded(register, findings)
    errors = [f for f in findings if f.severity == "error"]
    if records_may_fail:
        from agreement_tracker.store.files import is_record

        errors = [f for f in errors if not is_record(f.file)]
    if errors and not reading:
        raise RegisterUnreadable(
            f"the register at {location.root} has {len(errors)} error"
            f"{'s' if len(errors) != 1 else ''}: fix them and run again",
            errors,
        )
    if errors:
        for finding in errors:
            print_finding(finding, err=True)
        files = len({f.file for f in errors})
        say(
            f"agreements: {len(errors)} error{'s' if len(errors) != 1 else ''} in {files} "
            f"file{'s' if files != 1 else ''}: what they hold is left out or shown as it loaded; "
            "`agreements validate` checks the whole register",
            "bold red",
            err=True,
        )
        ctx.obj["exit_code"] = EXIT_FINDINGS
    return register


def say_where(location: Any) -> None:
    """One line on stderr when no register was found and the example shipped with the
    tool is read instead: "all good" must not be taken for the user's own register."""
    if location.origin == "shipped":
        say(
            f"agreements: no register here or above: reading the example register shipped "
            f"with the tool ({location.root}); `agreements init DIR` makes your own",
            err=True,
        )


def find_agreement(register: Register, agreement_id: str) -> Any:
    """The record with this id, or an error that names the nearest ids (what finds them,
    and difflib under it, is imported only then)."""
    if agreement_id in register.agreements:
        return register.agreements[agreement_id]
    from agreement_tracker.errors import UnknownId
    from agreement_tracker.suggest import did_you_mean
    from agreement_tracker.text import visible

    shown = visible(agreement_id) or "(empty)"
    if agreement_id in register.failed:
        raise UnknownId(
            f"record {shown!r} did not load: `agreements validate` says what is wrong in "
            f"agreements/{shown}.yaml; fix that, then run this again"
        )
    known = register.record_names or list(register.agreements)
    hint = did_you_mean(agreement_id, known, "; `agreements list` shows the ids")
    raise UnknownId(f"no agreement with id {shown!r}{hint}")


def say_change(heading: str, change: Any) -> None:
    """A write that a dry run did not make, as the diff it would have made."""
    say(heading)
    for line in change.diff():
        say(line, "green" if line.startswith("+") else None)


def check_outputs(register: Register, *targets: tuple[str | Path | None, str]) -> None:
    """Refuse a bad output file before anything is built or printed: a report that then
    fails to save would have been printed for nothing."""
    for target, what in targets:
        if target:
            # Imported only for a file to write: store.write imports PyYAML, which a
            # report printed from a fresh index never needs.
            from agreement_tracker.store.write import ensure_output_target

            ensure_output_target(register.root, target, what)


def report_added(what: str, added: Any) -> None:
    """What an add command wrote, or (a dry run) the diff it would have written."""
    if not added.written:
        say_change(f"Dry run: nothing was written. Adding {what} would change:", added.change)
        return
    say(f"Added {what}: {', '.join(added.files)}")
