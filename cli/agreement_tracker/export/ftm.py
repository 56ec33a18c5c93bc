"""`agreements export ftm`: the register as FollowTheMoney entities, one JSON object a line.

The mapping, chosen from the FtM schemata:
- organisations: `PublicBody` (ministries, governments), `Company` (companies, state
  companies), `Person`, `Organization` (parties, other organisations);
- an agreement: an `Event`, the signing or exchange of the document (FtM's `Contract`
  is a procurement contract awarded by an authority, which a memorandum is not), with
  its parties `involved`, its date, place and countries; each party's role, side and
  signer as an `UnknownLink` from the organisation to the event;
- a source: a `Document`, with its SHA-1 (`contentHash`, the hash FtM takes) and its
  SHA-256 in the description; each quote: a `Documentation` tying the source to the
  event, the quote as its summary (accounts likewise, with their reading as the role);
- a commitment, and each of its reviews: a `Documentation` of its source on the event,
  the promise and its due date as the role (FtM has no schema for a milestone);
- a follow-up note: a `Note` on the event (FtM's Note has no date: the date leads its
  name); a link between records: an `UnknownLink` between their events.

Ids are the register's own ids with a prefix, so they are the same on every run
and readable in Aleph: `agreements-org-…`, `agreements-agreement-…`, …
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from agreement_tracker.export import require
from agreement_tracker.loader import Register
from agreement_tracker.model import Agreement, Organisation
from agreement_tracker.store.files import read_source

PREFIX = "agreements"
SCHEMA_OF_TYPE = {
    "ministry": "PublicBody",
    "government": "PublicBody",
    "state company": "Company",
    "company": "Company",
    "person": "Person",
    "party": "Organization",
    "organisation": "Organization",
}


def entity_id(kind: str, *parts: str) -> str:
    """A stable id: the register's own ids; a hash where the parts are free text."""
    if all(p.replace("-", "").isalnum() and p.isascii() for p in parts):
        return "-".join([PREFIX, kind, *parts])
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"{PREFIX}-{kind}-{digest}"


class _Builder:
    """Makes FtM entities and refuses a value FtM would silently drop."""

    def __init__(self) -> None:
        self.model = require("followthemoney", "followthemoney").model

    def make(self, schema: str, eid: str, **props: Any) -> dict[str, Any]:
        proxy = self.model.make_entity(schema)
        proxy.id = eid
        for prop, values in props.items():
            values = [v for v in (values if isinstance(values, list) else [values]) if v]
            for value in values:
                before = len(proxy.get(prop))
                proxy.add(prop, value)
                if len(proxy.get(prop)) == before and value not in proxy.get(prop):
                    raise ValueError(f"FtM {schema}.{prop} refused {value!r}")
        return proxy.to_dict()


def entities(register: Register, agreements: list[Agreement]) -> Iterator[dict[str, Any]]:
    """Every entity of the chosen records: organisations and sources they cite first,
    so each reference points to an entity already written. Exporting the whole
    register writes every source; a subset, the sources it cites."""
    build = _Builder()
    chosen = {a.id for a in agreements}
    org_ids = dict.fromkeys(
        org for a in agreements for p in a.parties for org in (p.org, p.signer) if org
    )
    for org_id in org_ids:
        org = register.organisations.get(org_id)
        if org is not None:
            yield _organisation(build, org)
    cited = dict.fromkeys(
        [e.source for a in agreements for e in a.evidence]
        + [acc.source for a in agreements for acc in a.accounts]
        + [n.source for a in agreements for n in a.follow_up if n.source in register.sources]
    )
    if len(chosen) == len(register.agreements):  # the whole register: every source it holds
        cited.update(dict.fromkeys(register.sources))
    for source_id in cited:
        source = register.sources.get(source_id)
        if source is None:
            continue
        path = register.source_path(source)
        try:
            # Bounded, and never a FIFO, a device or a link out of the register.
            sha1 = hashlib.sha1(read_source(path, register.root)).hexdigest()
        except OSError:
            sha1 = None
        yield build.make(
            "Document", entity_id("source", source.id),
            fileName=source.file, title=_known(source.title), publisher=_known(source.publisher),
            language=source.lang, contentHash=sha1, sourceUrl=source.url,
            publishedAt=None if source.published == "unknown" else str(source.published),
            description=f"sha256 {source.sha256}",
        )  # fmt: skip
    for agreement in agreements:
        yield from _agreement(build, register, agreement, chosen)


def _known(value: str) -> str | None:
    # The manifest says "unknown" where the text does not say; FtM has no value then.
    return None if value == "unknown" else value


def _organisation(build: _Builder, org: Organisation) -> dict[str, Any]:
    names = org.name.all()
    aliases = [*(org.short.all() if org.short else []), *org.aliases]
    return build.make(
        SCHEMA_OF_TYPE.get(org.type, "LegalEntity"), entity_id("org", org.id),
        name=names, alias=[a for a in dict.fromkeys(aliases) if a not in names],
        country=org.country.lower() if org.country else None,
    )  # fmt: skip


def _agreement(
    build: _Builder, register: Register, agreement: Agreement, chosen: set[str]
) -> Iterator[dict[str, Any]]:
    event = entity_id("agreement", agreement.id)
    kind = register.kinds.get(agreement.kind)
    countries = sorted({p.side.lower() for p in agreement.parties if p.side})
    yield build.make(
        "Event", event,
        name=agreement.title.all(), date=agreement.signed, location=agreement.place,
        country=countries, involved=[entity_id("org", p.org) for p in agreement.parties],
        summary=f"{kind.name.en if kind else agreement.kind}; status: "
        f"{agreement.current_status}" + (f"; term {agreement.term.start}–{agreement.term.end}"
                                         if agreement.term else ""),
        recordId=agreement.id,
    )  # fmt: skip
    for i, party in enumerate(agreement.parties):
        role = party.role + (f" ({party.side})" if party.side else "")
        yield build.make("UnknownLink", entity_id("party", agreement.id, str(i)),
                         subject=entity_id("org", party.org), object=event, role=role)  # fmt: skip
        if party.signer:
            yield build.make(
                "UnknownLink", entity_id("signer", agreement.id, str(i)),
                subject=entity_id("org", party.signer), object=event,
                role=f"signed for {party.org}",
            )  # fmt: skip
    for i, evidence in enumerate(agreement.evidence):
        yield build.make(
            "Documentation", entity_id("evidence", agreement.id, str(i)),
            document=entity_id("source", evidence.source), entity=event, role="evidence",
            summary=evidence.quote,
        )  # fmt: skip
    for i, account in enumerate(agreement.accounts):
        state = f"rejected: {account.rejected}" if account.rejected else "open"
        yield build.make(
            "Documentation", entity_id("account", agreement.id, str(i)),
            document=entity_id("source", account.source), entity=event,
            role=f"account of {account.field}: {account.value} ({state})",
            summary=account.quote,
        )  # fmt: skip
    for i, note in enumerate(agreement.follow_up):
        registered = register.verifiable(note.source)
        yield build.make(
            "Note", entity_id("note", agreement.id, str(i)),
            entity=event, name=f"{note.date} follow-up" + (
                f" (status: {note.status})" if note.status else ""),
            description=note.text, summary=note.quote,
            sourceUrl=note.source if note.source and not registered else None,
            publisher=note.author,
        )  # fmt: skip
    # FtM has no schema for a promise and its milestones: a commitment, and each review
    # with a quote, is the `Documentation` tying its source to the event, as a quote is.
    for n, commitment in enumerate(agreement.commitments, start=1):
        due = f", due {commitment.due}" if commitment.due else ", undated"
        yield build.make(
            "Documentation", entity_id("commitment", agreement.id, str(n)),
            document=entity_id("source", commitment.source), entity=event,
            role=f"commitment {n} ({commitment.type}{due}): {commitment.text}",
            summary=commitment.quote,
        )  # fmt: skip
        for r, review in enumerate(commitment.reviews):
            met = f", met on {review.met_on.isoformat()}" if review.met_on else ""
            yield build.make(
                "Documentation", entity_id("review", agreement.id, str(n), str(r)),
                document=entity_id("source", review.source), entity=event,
                role=f"review of commitment {n}: {review.status} as of "
                f"{review.as_of.isoformat()}{met}",
                summary=review.quote,
            )  # fmt: skip
    for i, link in enumerate(agreement.links):
        if link.target in chosen:
            yield build.make(
                "UnknownLink", entity_id("link", agreement.id, str(i)),
                subject=event, object=entity_id("agreement", link.target), role=link.type,
            )  # fmt: skip


def lines(register: Register, agreements: list[Agreement]) -> Iterator[str]:
    """The export, one JSON object a line, keys sorted so runs compare byte for byte;
    bidi and other terminal-active characters as JSON escapes (`text.escape_json`), so
    the data is unchanged once read and a terminal or viewer showing it is not driven."""
    from agreement_tracker.text import escape_json

    for entity in entities(register, agreements):
        yield escape_json(json.dumps(entity, ensure_ascii=False, sort_keys=True)) + "\n"
