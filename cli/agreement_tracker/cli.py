"""The `agreements` command: a thin click façade over the library.

Each command parses its arguments, calls the register/query/render layers,
and maps domain errors to exit codes in one place (`main`). Heavy modules
(pydantic, rich tables, YAML) are imported inside the commands, so `--help`
does not pay for them.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from agreement_tracker import __version__
from agreement_tracker.errors import EXIT_FINDINGS, EXIT_UNUSABLE, AgreementsError

if TYPE_CHECKING:
    from rich.console import Console

    from agreement_tracker.register import Register

DEBUG_ENV = "AGREEMENTS_DEBUG"


# --- shared options ---------------------------------------------------------------


def format_option(*choices: str, default: str = "table") -> Callable[[Callable], Callable]:
    """`--format`, with the choices the command supports."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format: table for people, json/csv for scripts, markdown for briefings.",
    )


lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "vi"]),
    default="en",
    show_default=True,
    help="Language of names and titles.",
)


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: write YYYY-MM-DD") from None


# --- consoles and loading ---------------------------------------------------------


PIPE_WIDTH = 120


def stdout_console() -> Console:
    """Results: colour only on a terminal (rich checks isatty and NO_COLOR); no emoji codes.

    A table written to a pipe or file is 120 columns wide unless $COLUMNS says
    otherwise: rich's default of 80 would fold every name.
    """
    from rich.console import Console

    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    return Console(highlight=False, emoji=False, markup=False, width=width)


def stderr_console() -> Console:
    from rich.console import Console

    # soft_wrap: an error line stays one line, whatever the terminal width.
    return Console(stderr=True, highlight=False, emoji=False, markup=False, soft_wrap=True)


def load_register(ctx: click.Context) -> Register:
    """Find and load the register; unreadable input stops here with exit 2."""
    from agreement_tracker.errors import RegisterUnreadable
    from agreement_tracker.register import load, locate

    location = locate(ctx.obj.get("register"))
    register, findings = load(location)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise RegisterUnreadable(
            f"the register at {location.root} has {len(errors)} error"
            f"{'s' if len(errors) != 1 else ''}: fix them and run again",
            errors,
        )
    return register


# --- the group -------------------------------------------------------------------


class AgreementsGroup(click.Group):
    """Maps domain errors to exit codes in one place, for the real command and CliRunner alike."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except AgreementsError as exc:
            _report(exc)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            raise
        except Exception as exc:  # the last line of defence: no traceback for users
            if os.environ.get(DEBUG_ENV):
                raise
            stderr_console().print(
                f"agreements: internal error: {type(exc).__name__}: {exc}\n"
                f"Please report it; set {DEBUG_ENV}=1 to see the traceback."
            )
            ctx.exit(EXIT_UNUSABLE)


@click.group(
    cls=AgreementsGroup,
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
@click.pass_context
def cli(ctx: click.Context, register_dir: str | None) -> None:
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


@cli.command("list")
@click.option(
    "--ministry",
    "--org",
    "orgs",
    multiple=True,
    metavar="TEXT",
    help="A party's name or alias contains TEXT (any language; case and diacritics "
    "ignored). Repeat to require several.",
)
@click.option("--sector", metavar="SECTOR", help="Sector id or name; includes its sub-sectors.")
@click.option("--kind", metavar="KIND", help="Kind id, name or term (e.g. MoU).")
@click.option("--status", metavar="STATUS", help="Current status id or name.")
@click.option("--country", metavar="XX", help="A party is on this side (ISO code, e.g. VN, AZ).")
@click.option("--since", callback=_date, metavar="YYYY-MM-DD", help="Signed on or after.")
@click.option("--until", callback=_date, metavar="YYYY-MM-DD", help="Signed on or before.")
@click.option("--query", "-q", metavar="TEXT", help="Free text in titles and quotes.")
@lang_option
@format_option("table", "json", "csv", "markdown")
@click.pass_context
def list_command(
    ctx: click.Context,
    orgs: tuple[str, ...],
    sector: str | None,
    kind: str | None,
    status: str | None,
    country: str | None,
    since: dt.date | None,
    until: dt.date | None,
    query: str | None,
    lang: str,
    fmt: str,
) -> None:
    """List agreements, filtered; filters combine (AND).

    \b
    Example:
      agreements list --ministry "bo tu phap"
      agreements list --sector energy --format json
      agreements list --org socar --lang vi --format markdown
    """
    from agreement_tracker import render
    from agreement_tracker.query import Filters, select

    register = load_register(ctx)
    filters = Filters(orgs, sector, kind, status, country, since, until, query)
    agreements = select(register, filters)
    listing = render.agreements_listing(register, agreements, lang, fmt)  # type: ignore[arg-type]
    render.emit(listing, fmt, stdout_console())


@cli.command("show")
@click.argument("agreement_id", metavar="ID")
@lang_option
@format_option("table", "json")
@click.pass_context
def show_command(ctx: click.Context, agreement_id: str, lang: str, fmt: str) -> None:
    """Everything about one agreement, each quote shown in its source.

    \b
    Example:
      agreements show vn-az-2025-binh-son-crude-supply-mou
      agreements show vn-az-2025-energy-mou --format json
    """
    from agreement_tracker import render

    register = load_register(ctx)
    agreement = _find_agreement(register, agreement_id)
    out = stdout_console()
    if fmt == "json":
        out.file.write(render.to_json(render.show_json(register, agreement)) + "\n")
    else:
        render.show_agreement(register, agreement, lang, out)  # type: ignore[arg-type]


def _find_agreement(register: Register, agreement_id: str) -> Any:
    import difflib

    from agreement_tracker.errors import UnknownId
    from agreement_tracker.text import visible

    if agreement_id in register.agreements:
        return register.agreements[agreement_id]
    shown = visible(agreement_id) or "(empty)"
    close = difflib.get_close_matches(agreement_id, list(register.agreements), n=3, cutoff=0.5)
    if not close:
        close = [i for i in register.agreements if agreement_id and agreement_id.lower() in i]
    hint = (
        ("; did you mean " + ", ".join(close[:3]) + "?")
        if close
        else ("; `agreements list` shows the ids")
    )
    raise UnknownId(f"no agreement with id {shown!r}{hint}")


@cli.command("orgs")
@lang_option
@format_option("table", "json", "csv", "markdown")
@click.pass_context
def orgs_command(ctx: click.Context, lang: str, fmt: str) -> None:
    """The organisations registry: ids, countries, names and aliases.

    \b
    Example:
      agreements orgs --lang vi
    """
    from agreement_tracker import render

    register = load_register(ctx)
    render.emit(render.organisations_listing(register, lang, fmt), fmt, stdout_console())  # type: ignore[arg-type]


@cli.command("sectors")
@lang_option
@format_option("table", "json", "csv", "markdown")
@click.pass_context
def sectors_command(ctx: click.Context, lang: str, fmt: str) -> None:
    """The sector hierarchy, with how many agreements each covers.

    \b
    Example:
      agreements sectors --format markdown
    """
    from agreement_tracker import render

    register = load_register(ctx)
    render.emit(render.sectors_listing(register, lang), fmt, stdout_console())  # type: ignore[arg-type]


@cli.command("validate")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--strict", is_flag=True, help="Treat warnings (uncovered mentions) as errors.")
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
    """
    from agreement_tracker.checks import UNREADABLE, summary, validate
    from agreement_tracker.register import load, locate

    location = locate(ctx.obj.get("register"))
    register, findings = load(location)
    findings, counted = validate(register, findings)
    if paths:
        wanted = {_register_relative(location.root, p) for p in paths}
        findings = [f for f in findings if f.file in wanted]
        counted.records = len([r for r in register.record_files.values() if r in wanted])
    out = stdout_console()
    if fmt == "json":
        out.file.write(render_findings_json(findings) + "\n")
    else:
        for finding in findings:
            _print_finding(out, finding)
        out.print(summary(findings, counted), soft_wrap=True)
    if any(f.code in UNREADABLE for f in findings):
        ctx.exit(EXIT_UNUSABLE)
    failing = [f for f in findings if f.severity == "error" or (strict and f.severity == "warning")]
    if failing:
        ctx.exit(EXIT_FINDINGS)


def _register_relative(root: Any, given: str) -> str:
    """A PATH argument as the register-relative name findings use."""
    from pathlib import Path

    path = Path(given).resolve()
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        raise click.BadParameter(f"{given} is not inside the register at {root}") from None


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of agreement records, for editors and other tools.

    Each shipped record starts with a `# yaml-language-server: $schema=…`
    comment pointing at agreements/agreement.schema.json, which is this
    output.

    \b
    Example:
      agreements schema > agreements/agreement.schema.json
    """
    from agreement_tracker.model import record_json_schema
    from agreement_tracker.render import to_json

    click.echo(to_json(record_json_schema()))


def render_findings_json(findings: list) -> str:
    from agreement_tracker.render import to_json

    return to_json([f.as_json() for f in findings])


def _print_finding(console: Console, finding: Any) -> None:
    from rich.text import Text

    from agreement_tracker.text import visible

    style = "red" if finding.severity == "error" else "yellow"
    console.print(Text(visible(finding.headline()), style=style), soft_wrap=True)
    for line in finding.detail:
        console.print(Text("    " + visible(line)), soft_wrap=True)


# --- entry point -----------------------------------------------------------------


def main() -> None:
    """The console script: run the CLI; a closed pipe or Ctrl-C ends it quietly."""
    try:
        cli.main(prog_name="agreements")
    except BrokenPipeError:
        # `agreements list | head`: the reader left, which is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)


def _report(exc: AgreementsError) -> None:
    from rich.text import Text

    from agreement_tracker.text import visible

    err = stderr_console()
    for finding in getattr(exc, "findings", []):
        _print_finding(err, finding)
    err.print(Text(visible(f"agreements: {exc}"), style="bold red"))
