"""Accounts: another source's reading of a record's field, proven like the record's own
claim; and the kinds the quotes give that no account records."""

from __future__ import annotations

import dataclasses
import re
from typing import cast

from agreement_tracker.loader import Register
from agreement_tracker.model import ROLES, Account, Agreement, Evidence, Role, Term
from agreement_tracker.names import Parties
from agreement_tracker.proof.claims import Claim, Ref
from agreement_tracker.proof.record import prove_record
from agreement_tracker.store.location import REGISTRY_DIR
from agreement_tracker.text import fold_keep_marks, whole_words
from agreement_tracker.values import Localised, partial_date


def prove_account(
    register: Register, agreement: Agreement, account: Account, parties: Parties | None = None
) -> Claim:
    """An account is proven exactly like the record's own claim: the record with the
    account's reading in place of its own, and the account's quote as its only evidence."""
    parties = parties or Parties.of(register)
    field, value = account.field, account.value
    evidence = [Evidence(source=account.source, quote=account.quote)]
    variant = dataclasses.replace(agreement, evidence=evidence)
    target = field
    try:
        if field == "kind":
            variant = dataclasses.replace(variant, kind=value)
        elif field == "date":
            variant = dataclasses.replace(variant, date=partial_date(value))
        elif field == "place":
            variant = dataclasses.replace(variant, place=value)
        elif field == "title":
            title = Localised(dict.fromkeys(agreement.title.by_lang, value))
            variant = dataclasses.replace(variant, title=title)
        elif field == "term":
            start, _, end = value.replace("–", "-").partition("-")
            term = Term(start=start, end=end)
            variant = dataclasses.replace(variant, term=term)
        else:  # parties.N[.role|.side|.signer]
            _, index, *rest = field.split(".")
            n = int(index)
            party = agreement.parties[n]
            if rest == ["signer"]:
                signer = register.organisations.get(value)
                if signer is None:
                    return _unproven(account, "unknown-ref", f"unknown organisation {value!r}")
                ok, _other = parties.check(signer, account.quote)
                return Claim(field, value, ("accounts",), (Ref(None, 0),) if ok else (),
                             code=None if ok else "unproven-account",
                             message=None if ok else f"account of {field}: the quote does not "
                             f"name {signer.name.en}: quote the passage that does")  # fmt: skip
            if rest in (["role"], ["side"]):
                problem = party_value_problem(register, agreement, rest[0], value)
                if problem is not None:
                    return _unproven(account, "invalid-value", f"account of {field}: {problem}")
            org = register.organisations.get(party.org)
            if rest == ["side"] and org is not None and value != org.country:
                # Another side than the registry's country only where the quote says so.
                if _states_side(parties, account.quote, value):
                    return Claim(field, value, ("accounts",), (Ref(None, 0),))
                return _unproven(account, "unproven-account",
                                 f"account of {field} ({value}): the quote does not say that "
                                 f"{party.org} is on the {value} side, and the registry gives "
                                 f"its country as {org.country or 'none'}")  # fmt: skip
            if rest == ["role"]:
                party = dataclasses.replace(party, role=cast(Role, value))  # checked above
            elif rest == ["side"]:
                party = dataclasses.replace(party, side=value)
            else:
                party = dataclasses.replace(party, org=value)
            new_parties = list(agreement.parties)
            new_parties[n] = party
            variant = dataclasses.replace(variant, parties=new_parties)
            target = f"parties.{n}"
    except (ValueError, IndexError) as exc:
        return _unproven(account, "unproven-account", f"account of {field}: {value!r}: {exc}")
    if field == "title":
        # A title is proven by a quote holding it, in any language.
        folded = fold_keep_marks(account.quote)
        ok = bool(whole_words(folded, fold_keep_marks(value)))
        if ok:
            return Claim(field, value, ("accounts",), (Ref(None, 0),))
        return _unproven(account, "unproven-account", "account of title: no quote holds it")
    for claim in prove_record(register, variant, parties):
        if claim.field == target:
            if claim.proven:
                return Claim(field, value, ("accounts",), claim.refs)
            return _unproven(account, "unproven-account",
                             f"account of {field} ({value}): {claim.message}")  # fmt: skip
    return _unproven(account, "unproven-account", f"account of {field}: nothing to prove it by")


_SIDE_WORDS = ("phía", "bên", "side", "стороны", "сторона", "côté", "seite", "partie")


def _states_side(parties: Parties, quote: str, country: str) -> bool:
    """Whether a quote puts something on `country`'s side: "phía Việt Nam", "the Vietnamese
    side", "со стороны Вьетнама", "côté vietnamien", "vietnamesischen Seite"."""
    folded = fold_keep_marks(quote)
    words = parties.countries.words.get(country, [])
    for side_word in _SIDE_WORDS:
        for start, end in whole_words(folded, side_word):
            near = folded[max(0, start - 30) : end + 30]
            if any(whole_words(near, w) for w in words):
                return True
    return False


def own_reading(agreement: Agreement, field: str) -> set[str]:
    """The values that repeat the record's own reading of a field: an account giving one
    of them is no other reading (a title in any language; a term with either dash)."""
    own = agreement.reading(field)
    if own is None:
        return set()
    if field == "title":
        return set(agreement.title.all())
    return {own, own.replace("–", "-")}


def party_value_problem(
    register: Register, agreement: Agreement, part: str, value: str
) -> str | None:
    """Why `value` cannot be a party's `part` (role, side), or None: a role is one of the
    model's roles, a side a country of the registry, as a party's own are. The refusal
    names what is allowed, so a formula or a typo is never stored as a reading."""
    from agreement_tracker.suggest import did_you_mean

    if part == "role" and value not in ROLES:
        hint = did_you_mean(value, ROLES, "")
        return f"{value!r} is not a role: a role is one of {', '.join(ROLES)}{hint}"
    if part == "side":
        countries = register.countries
        known = value in countries if countries else re.fullmatch(r"[A-Z]{2}", value)
        if not known:
            sides = sorted({p.side for p in agreement.parties if p.side})
            hint = did_you_mean(value.upper(), countries or sides, "")
            return (
                f"{value!r} is not a side: a side is a country code of {REGISTRY_DIR}/"
                f"countries.yaml (this record's sides: {', '.join(sides) or 'none'}){hint}"
            )
    return None


def _unproven(account: Account, code: str, message: str) -> Claim:
    message += ": quote the passage of the source that states it"
    return Claim(account.field, account.value, ("accounts",), code=code, message=message)


def kind_disputes(register: Register, agreement: Agreement, parties: Parties) -> list[str]:
    """Other kinds the clause about the record's document gives it, in the record's own
    quotes, that no account records: the sources disagree and nobody has said so. A kind
    in a neighbouring clause is another document's, not a disagreement."""
    recorded = {a.value for a in agreement.accounts if a.field == "kind"}
    found: list[str] = []
    for kinds in parties.summary(agreement).clause_kinds:
        if agreement.kind in kinds:
            continue  # the clause names the record's own kind (and perhaps a part of it)
        for kind in kinds:
            if kind not in (agreement.kind, *recorded, *found):
                found.append(kind)
    return found
