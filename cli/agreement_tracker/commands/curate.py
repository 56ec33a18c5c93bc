"""Commands that build the register itself: `init`, adding and fixing sources
(`source`), adding organisations (`org`) and occasions (`occasion`), each proven or
checked before a line is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from agreement_tracker.commands.options import (
    dry_run_option,
    format_option,
    parse_day,
    parse_language,
    parse_vague_date,
)
from agreement_tracker.commands.shared import load_register, report_added, say_change
from agreement_tracker.output.console import say
from agreement_tracker.values import ORGANISATION_TYPES


@click.command("init")
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

    from agreement_tracker.new_register import init_register

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


@click.group("occasion")
def occasion_group() -> None:
    """Visits and events on which documents were signed.

    \b
    Example:
      agreements occasion add la-pm-visit-2026 \\
        --title-en "Visit of the Lao Prime Minister" \\
        --title-vi "Chuyến thăm của Thủ tướng Lào" \\
        --start 2026-03-11 --end 2026-03-13 --place "Hà Nội, Việt Nam" \\
        --evidence la-visit "từ ngày 11-13/3" \\
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
@click.option("--start", callback=parse_day, required=True, metavar="YYYY-MM-DD", help="First day.")
@click.option("--end", callback=parse_day, metavar="YYYY-MM-DD", help="Last day, if not the first.")
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
    """Add a visit or event, proven by its quotes.

    It goes into agreements/registry/occasions.yaml.

    Its start and end (a date such as 7/5 or a span such as 7-8/5), its year (a
    full date within it, such as a dateline) and its place must stand in the
    quotes, as `validate` requires; otherwise nothing is added.

    \b
    Example:
      agreements occasion add la-pm-visit-2026 \\
        --title-en "Visit of the Lao Prime Minister" \\
        --title-vi "Chuyến thăm của Thủ tướng Lào" \\
        --start 2026-03-11 --end 2026-03-13 --place "Hà Nội, Việt Nam" \\
        --evidence la-visit "từ ngày 11-13/3" \\
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
    report_added(f"occasion {added.id}", added)


@click.group("source")
def source_group() -> None:
    """The source texts in seeds/ and their manifest.

    \b
    Example:
      agreements source add ~/Downloads/announcement.txt --lang vi \\
        --publisher "TTXVN"
      agreements source list
    """


def _published(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """`--date`: as precise as the text says (a day, a month, a year), read by the rule
    every date option reads and refused in its words; `unknown` where the text gives none."""
    if value is None or value == "unknown":
        return value
    checked = parse_vague_date(ctx, param, value)
    # A day is written as YAML's date, unquoted, as the shipped manifest writes it.
    return dt.date.fromisoformat(checked) if checked and len(checked) == 10 else checked


_OR_UNKNOWN = "Where it says none"
_DATE_HELP = "When the text says it was published. Default: unknown."
_TITLE_HELP = "The title as the text gives it (its headline). Default: unknown."
_PUBLISHER_HELP = "Who published it, as the text says (its site, its agency). Default: unknown."


@source_group.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--lang",
    metavar="XX",
    required=True,
    callback=parse_language,
    help="The text's language, an ISO 639-1 code (vi, en, de, fr, ru, az, kk…).",
)
@click.option("--title", help=_TITLE_HELP)
@click.option("--publisher", help=_PUBLISHER_HELP)
@click.option(
    "--date", "--published", "published", callback=_published, metavar="YYYY[-MM[-DD]]",
    help=_DATE_HELP,
)  # fmt: skip
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
    published: dt.date | str | None,
    url: str | None,
    source_id: str | None,
    max_size: int,
    dry_run: bool,
) -> None:
    """Copy FILE into seeds/ unchanged, and register it.

    It is added to seeds/sources.yaml with its sha256.

    A file that is not UTF-8 text, or whose bytes are registered already, is
    refused. Give only what the text itself states; the rest stays "unknown"
    (`source edit` fixes it later).

    \b
    Example:
      agreements source add press-release.txt --lang vi --date 2026-03-12 \\
        --title "Lễ ký kết" --publisher "Báo Nhân Dân"
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
    report_added(f"source {added.id}", added)


@source_group.command("edit")
@click.argument("source_id", metavar="ID")
@click.option("--title", help=_TITLE_HELP.replace("Default", _OR_UNKNOWN))
@click.option("--publisher", help=_PUBLISHER_HELP.replace("Default", _OR_UNKNOWN))
@click.option(
    "--date", "--published", "published", callback=_published, metavar="YYYY[-MM[-DD]]",
    help=_DATE_HELP.replace("Default", _OR_UNKNOWN),
)  # fmt: skip
@click.option("--url", help="Where it was published.")
@click.option("--lang", metavar="XX", callback=parse_language, help="The text's language.")
@dry_run_option
@click.pass_context
def source_edit_command(
    ctx: click.Context,
    source_id: str,
    title: str | None,
    publisher: str | None,
    published: dt.date | str | None,
    url: str | None,
    lang: str | None,
    dry_run: bool,
) -> None:
    """Fix what source ID's manifest entry says about its text.

    Only the values given change in seeds/sources.yaml: its comments, the
    source's notes and errata and every other entry stay as they are. The text
    file in seeds/, its name and its sha256 never change. Give only what the
    text itself states.

    \b
    Example:
      agreements source edit qdnd-trung-a-2025-05-10 \\
        --publisher "Báo Quân đội Nhân dân" --date 2025-05-10 --dry-run
    """
    from agreement_tracker.curate import source_edit

    given = {"title": title, "publisher": publisher, "published": published, "url": url,
             "lang": lang}  # fmt: skip
    fields = {field: value for field, value in given.items() if value is not None}
    if not fields:
        raise click.UsageError("say what to change: --title, --publisher, --date, --url or --lang")
    register = load_register(ctx, only="")
    changed = source_edit(register, source_id, fields, dry_run=dry_run)
    if changed is None:
        say(f"Source {source_id} says so already: nothing was written.")
        return
    if not changed.written:
        say_change(f"Dry run: nothing was written. {changed.file} would change so:",
                   changed.change)  # fmt: skip
        return
    say(f"Changed source {source_id} in {changed.file}: {'; '.join(changed.detail)}")


def _source_rows(register: Any) -> list[dict[str, Any]]:
    """Each source as `source list` and `source show` give it to scripts."""
    from agreement_tracker.plain import to_plain

    keys = ("id", "file", "lang", "title", "publisher", "published", "url", "sha256")
    return [{key: to_plain(getattr(s, key)) for key in keys} for s in register.sources.values()]


def _source_row(record: dict[str, Any]) -> list[str]:
    return [str(record[key]) for key in ("id", "lang", "published", "title", "publisher")]


@source_group.command("list")
@format_option("table", "json", "csv", "markdown")
@click.pass_context
def source_list_command(ctx: click.Context, fmt: str) -> None:
    """The registered sources: id, language, title, publisher and date.

    \b
    Example:
      agreements source list --format csv
    """
    from agreement_tracker.output.formats import Listing, emit

    register = load_register(ctx, only="", reading=True)
    records = _source_rows(register)
    listing = Listing(
        f"{len(records)} source{'s' if len(records) != 1 else ''}",
        ["ID", "Lang", "Published", "Title", "Publisher"],
        rows=[_source_row(r) for r in records],
        records=records,
        narrow=[("Lang", "ID"), ("Published", "ID"), ("Publisher", "Title")],
    )
    emit(listing, fmt)


@source_group.command("show")
@click.argument("source_id", metavar="ID")
@format_option("text", "json", default="text")
@click.pass_context
def source_show_command(ctx: click.Context, source_id: str, fmt: str) -> None:
    """What the manifest says about source ID and its text.

    \b
    Example:
      agreements source show vov-strategic-partnership-en
    """
    from agreement_tracker.curate import known_source

    register = load_register(ctx, only="", reading=True)
    known_source(register, source_id, "ID", "; `agreements source list` lists them")
    row = next(r for r in _source_rows(register) if r["id"] == source_id)
    if fmt == "json":
        import json

        from agreement_tracker.text import escape_json

        click.echo(escape_json(json.dumps(row, ensure_ascii=False, indent=2)))
        return
    notes = register.sources[source_id].notes
    for key, label in (("title", "Title"), ("publisher", "Publisher"), ("published", "Published"),
                       ("url", "URL"), ("lang", "Language"), ("id", "ID"),
                       ("file", "File"), ("sha256", "SHA-256")):  # fmt: skip
        if row[key] is not None:
            say(f"{label + ':':<11}{row[key]}")
    if notes:
        say(f"{'Notes:':<11}{notes}")


@click.group("org")
def org_group() -> None:
    """The organisations registry.

    \b
    Example:
      agreements org add la-ministry-of-energy --country LA --type ministry \\
        --name-en "Ministry of Energy and Mines of Laos" \\
        --name-vi "Bộ Năng lượng và Mỏ Lào"
    """


@org_group.command("add")
@click.argument("org_id", metavar="ID")
@click.option("--country", metavar="XX", help="ISO 3166 alpha-2 code; leave out if unknown.")
@click.option(
    "--type",
    "org_type",
    type=click.Choice(ORGANISATION_TYPES),
    metavar="TYPE",
    required=True,
    help="What it is: " + ", ".join(ORGANISATION_TYPES) + ".",
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
    report_added(f"organisation {added.id}", added)


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
    """Add SPELLING to the aliases of organisation ORG.

    The proof and search then read it.

    Refused when ORG is unknown, when the spelling is already one of its names,
    short names or aliases (letter case and white space aside), and when it names
    another organisation (it would make that name ambiguous). Only the alias line
    is added to agreements/registry/organisations.yaml. The registry keeps aliases
    as one list for every language: --lang is checked, not stored.

    \b
    Example:
      agreements org alias az-ministry-of-energy \\
        "Energieministerium Aserbaidschans" --lang de
      agreements org alias vn-ministry-of-industry-and-trade "Bộ Công Thương VN" \\
        --dry-run
    """
    from agreement_tracker.curate import org_alias

    register = load_register(ctx, only="")
    changed = org_alias(register, org_id, spelling, lang=lang, dry_run=dry_run)
    if not changed.written:
        say_change(f"Dry run: nothing was written. {changed.file} would change so:",
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
