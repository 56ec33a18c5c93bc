"""`agreements validate`: prove every record against its sources, and say what fails."""

from __future__ import annotations

from typing import Any

import click

from agreement_tracker.commands.options import format_option
from agreement_tracker.errors import EXIT_FINDINGS, EXIT_UNUSABLE
from agreement_tracker.output.console import print_finding, say


@click.command("validate")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--strict", is_flag=True, help="Treat warnings (uncovered mentions) as errors.")
@click.option(
    "--explain",
    metavar="CODE",
    is_eager=True,
    expose_value=False,
    callback=lambda ctx, _param, code: _explain(ctx, code),
    help="Say what a finding code means and what to do, and exit.",
)
@format_option("text", "json", default="text")
@click.pass_context
def validate_command(ctx: click.Context, paths: tuple[str, ...], strict: bool, fmt: str) -> None:
    """Prove every record against its sources.

    Checks the schema and references, source hashes, that every quote is in
    its source, that each claim (party, kind, term, date, place) stands in
    the quotes, and that every document a source names is recorded or
    excused. With PATHs, reports only on those record files (the whole
    register is still loaded, since records refer to it).

    Exit 0 when clean (warnings allowed unless --strict), 1 on findings,
    2 when a file cannot be read at all.

    \b
    Example:
      agreements validate
      agreements validate agreements/vn-az-2025-energy-mou.yaml --format json
      agreements validate --explain ungrounded-party
    """
    from agreement_tracker.checks import summary, validate
    from agreement_tracker.codes import UNREADABLE
    from agreement_tracker.commands.shared import say_where
    from agreement_tracker.loader import load
    from agreement_tracker.store.location import locate

    location = locate(ctx.obj.get("register"))
    say_where(location)
    # The proof reads every file: never the index.
    register, findings = load(location, use_index=False)
    findings, counted = validate(register, findings)
    if paths:
        wanted = {_register_relative(location.root, p) for p in paths}
        findings = [f for f in findings if f.file in wanted]
        counted.records = len([r for r in register.record_files.values() if r in wanted])
    if fmt == "json":
        from agreement_tracker.output.formats import to_json

        click.echo(to_json([f.as_json() for f in findings]))
    else:
        for finding in findings:
            print_finding(finding)
        say(summary(findings, counted))
    if any(f.code in UNREADABLE for f in findings):
        ctx.exit(EXIT_UNUSABLE)
    failing = [f for f in findings if f.severity == "error" or (strict and f.severity == "warning")]
    if failing:
        ctx.exit(EXIT_FINDINGS)


def _explain(ctx: click.Context, code: str | None) -> None:
    """`--explain CODE`: the entry of the one list of codes (`codes.CODES`), read without
    loading the register."""
    if code is None or ctx.resilient_parsing:
        return
    from agreement_tracker.codes import AREAS, BY_CODE

    entry = BY_CODE.get(code)
    if entry is None:
        from agreement_tracker.suggest import did_you_mean

        hint = did_you_mean(
            code, BY_CODE, "; a code is the word in a finding's brackets: error[CODE]"
        )
        raise click.BadParameter(f"no finding code {code!r}{hint}", ctx, param_hint="--explain")
    say(f"{entry.code} ({entry.severity}): {AREAS[entry.area].lower()}", wrap=True)
    say(f"  What it means: {entry.means}", wrap=True)
    say(f"  What to do: {entry.fix}", wrap=True)
    ctx.exit(0)


def _register_relative(root: Any, given: str) -> str:
    """A PATH argument as the register-relative name findings use."""
    from pathlib import Path

    # The folder is resolved, the name is not: a record that is a link (to a device, say)
    # is still that record's file, whose findings say what is wrong with it.
    given_path = Path(given).absolute()
    path = given_path.parent.resolve() / given_path.name
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        raise click.BadParameter(f"{given} is not inside the register at {root}") from None
