"""What each listing shows: rows of display text and records for JSON, from a register.

Pure data, no drawing: `output.formats` and `output.tables` turn a `Listing`
into JSON, CSV, Markdown or a table.
"""

from __future__ import annotations

from typing import Any

from agreement_tracker.loader import Register
from agreement_tracker.model import Agreement
from agreement_tracker.output.formats import Listing
from agreement_tracker.plain import to_plain
from agreement_tracker.values import Language


class Labels:
    """Display names for ids, in the chosen language; an unknown id shows as itself."""

    def __init__(self, register: Register, lang: Language) -> None:
        self.register = register
        self.lang = lang

    def org(self, org_id: str) -> str:
        org = self.register.organisations.get(org_id)
        return org.name.get(self.lang) if org else org_id

    def org_short(self, org_id: str) -> str:
        org = self.register.organisations.get(org_id)
        if org is None:
            return org_id
        return (org.short or org.name).get(self.lang)

    def kind(self, kind_id: str) -> str:
        kind = self.register.kinds.get(kind_id)
        return kind.name.get(self.lang) if kind else kind_id

    def kind_short(self, kind_id: str) -> str:
        kind = self.register.kinds.get(kind_id)
        return (kind.short or kind.name).get(self.lang) if kind else kind_id

    def sector(self, sector_id: str) -> str:
        sector = self.register.sectors.get(sector_id)
        return sector.name.get(self.lang) if sector else sector_id

    def status(self, status_id: str) -> str:
        status = self.register.statuses.get(status_id)
        return status.name.get(self.lang) if status else status_id

    def occasion(self, occasion_id: str | None) -> str:
        if occasion_id is None:
            return "—"
        occasion = self.register.occasions.get(occasion_id)
        return occasion.title.get(self.lang) if occasion else occasion_id


# --- agreements -----------------------------------------------------------------


def agreement_json(register: Register, agreement: Agreement) -> dict[str, Any]:
    """The record as stored, plus party display names and the current status."""
    data = to_plain(agreement)
    for party in data["parties"]:
        org = register.organisations.get(party["org"])
        party["name"] = to_plain(org.name) if org else None
    data["current_status"] = agreement.current_status
    # When it was signed: its date, or the note that recorded a planned record's signing.
    data["signed"] = agreement.signed
    return data


def agreements_listing(
    register: Register, agreements: list[Agreement], lang: Language, fmt: str = "table"
) -> Listing:
    """`agreements list`: compact on a terminal, with titles and full names elsewhere."""
    labels = Labels(register, lang)
    listing = Listing(
        title=f"{len(agreements)} agreement{'s' if len(agreements) != 1 else ''}", columns=[]
    )
    compact = fmt == "table"
    listing.columns = ["ID", "Date", "Status", "Kind", "Parties", "Sectors"]
    listing.narrow = [("Status", "Date"), ("Kind", "Date"), ("Sectors", None)]
    if not compact:
        listing.columns.insert(4, "Title")
    party_sep = "\n" if compact else "; "
    for a in agreements:
        parties = party_sep.join(
            " ".join(
                filter(None, [p.side, labels.org_short(p.org) if compact else labels.org(p.org)])
            )
            for p in a.parties
            if p.role != "witness"
        )
        kind = labels.kind_short(a.kind) if compact else labels.kind(a.kind)
        row = [
            a.id,
            a.signed or "",
            labels.status(a.current_status),
            kind,
            parties,
            ", ".join(labels.sector(s) for s in a.sectors),
        ]
        if not compact:
            row.insert(4, a.title.get(lang))
        listing.rows.append(row)
    if fmt == "json":  # only JSON shows records, one at a time as they are written
        listing.records = (agreement_json(register, a) for a in agreements)
    return listing


# --- registries -------------------------------------------------------------------


def organisations_listing(register: Register, lang: Language, fmt: str = "table") -> Listing:
    """`agreements orgs`: the organisations registry."""
    records: list[dict[str, Any]] = []
    listing = Listing(
        title=f"{len(register.organisations)} organisations",
        columns=["ID", "Country", "Type", "Name", "Aliases"],
        records=records,
        narrow=[("Country", "ID"), ("Type", "ID"), ("Aliases", None), ("Name", "ID")],
    )
    for org in sorted(register.organisations.values(), key=lambda o: (o.country or "~", o.id)):
        listing.rows.append(
            [
                org.id,
                org.country or "",
                org.type,
                org.name.get(lang),
                ("\n" if fmt == "table" else "; ").join(org.aliases),
            ]
        )
        records.append(to_plain(org))
    return listing


def sectors_listing(register: Register, lang: Language) -> Listing:
    """`agreements sectors`: the sector hierarchy, children under their parent."""
    records: list[dict[str, Any]] = []
    listing = Listing(
        title=f"{len(register.sectors)} sectors",
        columns=["ID", "Parent", "Name", "Agreements"],
        records=records,
        narrow=[("Parent", None)],  # the names' indentation shows the hierarchy too
    )
    counts = {s: 0 for s in register.sectors}
    for agreement in register.agreements.values():
        covered = set()
        for sector in agreement.sectors:
            covered |= _ancestors(register, sector)
        for sector in covered:
            if sector in counts:
                counts[sector] += 1

    def walk(parent: str | None, depth: int) -> None:
        for sector in sorted(register.sectors.values(), key=lambda s: s.id):
            if sector.parent != parent:
                continue
            listing.rows.append(
                [
                    sector.id,
                    sector.parent or "",
                    "  " * depth + sector.name.get(lang),
                    str(counts[sector.id]),
                ]
            )
            records.append({**to_plain(sector), "agreements": counts[sector.id]})
            walk(sector.id, depth + 1)

    walk(None, 0)
    return listing


def _ancestors(register: Register, sector_id: str) -> set[str]:
    found: set[str] = set()
    current: str | None = sector_id
    while current is not None and current not in found:
        found.add(current)
        sector = register.sectors.get(current)
        current = sector.parent if sector else None
    return found


def evidence_spans(register: Register, agreement: Agreement) -> list[dict[str, Any]]:
    """Each quote with where it stands in its source (None where it is not found)."""
    found = []
    for evidence in agreement.evidence:
        text = register.source_text(evidence.source)
        span = text.find(evidence.quote) if text else None
        found.append({"evidence": evidence, "text": text, "span": span})
    return found


def show_json(register: Register, agreement: Agreement) -> dict[str, Any]:
    """`show --format json`: the record plus where each quote was found."""
    data = agreement_json(register, agreement)
    for item, located in zip(data["evidence"], evidence_spans(register, agreement), strict=True):
        span = located["span"]
        source = register.sources.get(item["source"])
        item["source_file"] = f"seeds/{source.file}" if source else None
        item["found"] = {"line": span.line, "column": span.column} if span else None
    return data


# --- proof ------------------------------------------------------------------------


def proof_rows(register: Register, agreement: Agreement) -> list[dict[str, Any]]:
    """`show --proof`: each claim with each quote that proves it, or the reason none does.

    One row per claim and quote (a date proven by a day in one quote and a year in its
    occasion's has two, both `together`); an unproven claim is one row without a quote.
    `value` is the field's value as the record holds it (data); `shown` is how the
    table writes it; `words` are the offsets, in `quote`, of the words that prove it.
    """
    from agreement_tracker.plain import to_plain
    from agreement_tracker.proof import evidence_of, prove_record, proving_words

    plain = to_plain(agreement)
    rows: list[dict[str, Any]] = []
    # A quote that is not in its source proves nothing: said first, as what to fix.
    for n, cited in enumerate(agreement.evidence):
        text = register.source_text(cited.source)
        if text is not None and text.find(cited.quote) is not None:
            continue
        base = {"field": f"evidence.{n}", "value": cited.quote, "shown": cited.quote,
                "proven": False, "checked": True}  # fmt: skip
        rows.append(
            _unproven_row(base, f"quote {n + 1} is not in source {cited.source!r}: copy it "
                          "verbatim from the source (`agreements validate` shows the nearest "
                          "passage); until then it proves nothing, and the claims below that "
                          "it stated fail", source=cited.source, evidence=n)
        )  # fmt: skip
    for claim in prove_record(register, agreement):
        base = {
            "field": claim.field,
            "value": _value_at(plain, claim.path, claim.value),
            "shown": claim.value,
            "proven": claim.proven,
            # False: shown for the reader, not a claim `validate` checks (a translated title).
            "checked": claim.finding,
        }
        if not claim.proven:
            rows.append(_unproven_row(base, claim.message))
            continue
        for ref in claim.refs:
            evidence = evidence_of(register, agreement, ref)
            if evidence is None:
                continue
            source = register.sources.get(evidence.source)
            text = register.source_text(evidence.source)
            span = text.find(evidence.quote) if text else None
            rows.append(
                {
                    **base,
                    "source": evidence.source,
                    "file": f"seeds/{source.file}" if source else None,
                    "line": span.line if span else None,
                    "column": span.column if span else None,
                    "quote": evidence.quote,
                    # Which quote: the record's evidence index, or the occasion's.
                    "evidence": ref.index,
                    "occasion": ref.occasion,
                    "words": [list(w) for w in proving_words(register, agreement, claim, ref)],
                    # True: this quote proves the claim only read with another (the day
                    # in one, the year in another): `with` lists those, as [occasion,
                    # index]; for the year's quote, any one of them will do.
                    "together": bool(claim.joint),
                    "with": [
                        [other.occasion, other.index]
                        for other in claim.refs
                        if claim.joint and (other in claim.joint) != (ref in claim.joint)
                    ],
                    # True: any one of `with` will do (this quote gives the year of a day
                    # that several quotes state); False: each of `with` is needed.
                    "with_any": ref in claim.joint,
                    "problem": None,
                }
            )
    return rows


def _unproven_row(
    base: dict[str, Any],
    problem: str | None,
    *,
    source: str | None = None,
    evidence: int | None = None,
) -> dict[str, Any]:
    """A row of `proof_rows` that no quote proves: the keys of a proven row, left empty."""
    return {**base, "source": source, "file": None, "line": None, "column": None,
            "quote": None, "evidence": evidence, "occasion": None, "words": [],
            "together": False, "with": [], "with_any": False, "problem": problem}  # fmt: skip


def _value_at(plain: Any, path: tuple[str | int, ...], shown: str) -> Any:
    """The value at `path` in the record's data; the shown text where there is none."""
    value = plain
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return shown
    return value


# How a link reads from its target's side.
_INVERSE = {
    "implements": "is implemented by",
    "follows": "is followed by",
    "amends": "is amended by",
    "supersedes": "is superseded by",
    "related": "is related to",
}


def incoming_links(register: Register) -> dict[str, list[tuple[str, str]]]:
    """For each record, the records that link to it, read from its side ("is implemented
    by …"): built once per command, so a timeline of 10,000 records stays linear."""
    incoming: dict[str, list[tuple[str, str]]] = {}
    for other in register.agreements.values():
        for link in other.links:
            if link.target != other.id:
                incoming.setdefault(link.target, []).append((_INVERSE[link.type], other.id))
    return incoming


def links_both_ways(
    agreement: Agreement, incoming: dict[str, list[tuple[str, str]]]
) -> list[tuple[str, str]]:
    """(relation, other record): the record's own links, then those to it."""
    return [(link.type, link.target) for link in agreement.links] + incoming.get(agreement.id, [])
