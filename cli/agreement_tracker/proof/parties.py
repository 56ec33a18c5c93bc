"""Each party: named in its document's clause, in the role the clause gives it, on its
country's side, with a signer who signs for it."""

from __future__ import annotations

from agreement_tracker.loader import Register
from agreement_tracker.model import Organisation, Party
from agreement_tracker.proof.claims import SIGNING_ROLES, Claim, refs_of
from agreement_tracker.proof.reading import Reading
from agreement_tracker.store.location import REGISTRY_DIR


def party_claims(reading: Reading, p: int, party: Party, org: Organisation) -> list[Claim]:
    """The party is named where its role puts it, its role is the one the clause gives it,
    its side is its country, and its signer signs."""
    register = reading.register
    value = f"{party.org} ({party.role}, {party.side or 'no side'})"
    path = ("parties", p, "org")
    claims: list[Claim] = []
    if party.role == "witness":
        named = reading.witness_refs(org)
        role_refs = named
        where = (
            "in a witness phrase (\u201cX witnessed\u201d, \u201cin the presence of X\u201d, "
            "\u201cchứng kiến\u201d) of a sentence about the documents"
        )
    else:
        named = reading.clause_refs(org)
        role_refs = reading.subject_refs(org) if party.role in SIGNING_ROLES else named
        where = (
            "in the clause about this document (the part of a sentence that holds its kind "
            "term and its signatories)"
        )
    if named:
        claims.append(Claim(f"parties.{p}", value, path, refs_of(named)))
    else:
        others = {
            o
            for q in reading.passages
            if (o := reading.parties.check(org, q.text((q.lo, q.hi)))[1])
        }
        if others and party.role != "witness":
            claims.append(
                Claim(
                    f"parties.{p}",
                    value,
                    path,
                    code="party-other-country",
                    message=f"party {party.org!r}: the quotes name it only beside "
                    f"another country ({', '.join(sorted(others))}); quote the "
                    f"passage that names {org.name.en}, or choose the organisation "
                    "the quote names",
                )
            )
        else:
            claims.append(_unnamed_party(reading, p, party, org, value, where))
    if party.role in SIGNING_ROLES and named:
        role_path = ("parties", p, "role")
        if role_refs:
            claims.append(Claim(f"parties.{p}.role", party.role, role_path, refs_of(role_refs)))
        else:
            claims.append(
                Claim(
                    f"parties.{p}.role",
                    party.role,
                    role_path,
                    code="unproven-role",
                    message=f"party {party.org!r} as {party.role!r}: the quotes "
                    "name it in the document's clause, but not as the one who "
                    "exchanges or signs it (it stands after \u201cbetween\u201d/"
                    "\u201cgiữa\u201d, or no verb signs): quote the sentence in "
                    "which it signs, or make it a 'named party'",
                )
            )
    if party.role == "beneficiary" and named and not reading.beneficiary_refs(org):
        claims.append(
            Claim(f"parties.{p}.role", party.role, ("parties", p, "role"),
                  code="unproven-role",
                  message=f"party {party.org!r} as 'beneficiary': the quotes name it in the "
                  "document's clause, but not as the one it is for (after \u201cfor\u201d, "
                  "\u201cto\u201d, \u201ccho\u201d, \u201cfür\u201d, \u201cpour\u201d): "
                  "quote the words that say it benefits, or make it a 'named party'")
        )  # fmt: skip
    if party.role in ("named party", "beneficiary") and named:
        signs = reading.subject_refs(org)
        if signs:
            claims.append(
                Claim(f"parties.{p}.role", party.role, ("parties", p, "role"),
                      code="role-contradicted",
                      message=f"party {party.org!r} as {party.role!r}: quote {signs[0] + 1} "
                      "shows it exchanging or signing the document itself; make it a "
                      "'signatory'")
            )  # fmt: skip
    claims.extend(_side_claim(register, p, party, org))
    signer = register.organisations.get(party.signer or "")
    if signer is not None:
        refs = reading.subject_refs(signer) or [
            i for i in reading.clause_refs(signer) if i not in reading.witness_refs(signer)
        ]
        field, spath = f"parties.{p}.signer", ("parties", p, "signer")
        if signer.country and org.country and signer.country != org.country:
            claims.append(
                Claim(field, party.signer or "", spath, code="signer-other-country",
                      message=f"signer {party.signer!r} ({signer.country}) of party "
                      f"{party.org!r} ({org.country}): a signer signs for their own "
                      "country's party; move the signer to that party, or remove it")
            )  # fmt: skip
        elif refs and not reading.witness_refs(signer):
            claims.append(Claim(field, party.signer or "", spath, refs_of(refs)))
        else:
            why = (
                "the quotes name them as a witness, not as the one who signs"
                if reading.witness_refs(signer)
                else "no quote names them in the clause about this document"
            )
            claims.append(
                Claim(
                    field,
                    party.signer or "",
                    spath,
                    code="ungrounded-signer",
                    message=f"signer {party.signer!r} of party {party.org!r}: "
                    f"{why}; quote \u201csigned by …\u201d or \u201c… on behalf "
                    "of …\u201d, or remove the signer",
                )
            )
    return claims


def _unnamed_party(
    reading: Reading, p: int, party: Party, org: Organisation, value: str, where: str
) -> Claim:
    """Why no quote names a party where its role puts it, with the fix that works."""
    path: tuple[str | int, ...] = ("parties", p, "org")
    other = reading.other_document(org) if party.role != "witness" else None
    if other is not None:
        return Claim(f"parties.{p}", value, path, code="party-of-another-document",
                     message=f"party {party.org!r}: the quotes name it only in the clause "
                     f"about another document ({other!r}), not in the one about this "
                     "document; choose the organisation this document's clause names")  # fmt: skip
    if any(reading.named(q, org, (q.lo, q.hi), witnesses=True) for q in reading.passages):
        return Claim(f"parties.{p}", value, ("parties", p, "role"), code="unproven-role",
                     message=f"party {party.org!r}: a quote names it, but not {where}: quote "
                     f"the sentence in which it takes part as a {party.role}, or correct its "
                     "role")  # fmt: skip
    if all(reading.parties.ambiguous(org, n) for n in org.all_names()):
        country = reading.register.countries.get(org.country or "")
        hint = ("its names are generic or shared, so the quote's sentence must also name "
                f"its country, {country.name.en if country else org.country}: quote the "
                "sentence that names both")  # fmt: skip
    else:
        names = ", ".join(repr(n) for n in dict.fromkeys(org.all_names()))
        hint = (f"no quote names it (its names: {names}): quote the passage that names it, "
                "or, if the source spells it another way, add that spelling "
                f"(`agreements org alias {org.id} SPELLING`)")  # fmt: skip
    return Claim(f"parties.{p}", value, path, code="ungrounded-party",
                 message=f"party {party.org!r}: {hint}")  # fmt: skip


def _side_claim(register: Register, p: int, party: Party, org: Organisation) -> list[Claim]:
    """A party's side is its organisation's country in the registry."""
    path = ("parties", p, "side")
    value = party.side or ""
    if party.side == org.country:
        return []  # nothing to prove beyond the registry
    if org.country is None:
        message = (
            f"party {party.org!r} on side {party.side!r}: the registry gives it no "
            f"country ({REGISTRY_DIR}/organisations.yaml); leave side empty (null), "
            "or give the organisation its country if a source states it"
        )
    else:
        message = (
            f"party {party.org!r} on side {party.side or 'none'!r}: its country in "
            f"{REGISTRY_DIR}/organisations.yaml is {org.country}; set side: "
            f"{org.country}"
        )
    return [Claim(f"parties.{p}.side", value, path, code="side-not-country", message=message)]
