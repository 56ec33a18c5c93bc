"""A claim a record states, and the quotes (refs) that prove it or why none does."""

from __future__ import annotations

from dataclasses import dataclass

from agreement_tracker.loader import Register
from agreement_tracker.model import Agreement, Evidence

# Roles that sign or adopt a document: the kind must be named beside one of them.
SIGNING_ROLES = ("signatory", "adopting party")


@dataclass(frozen=True, slots=True)
class Ref:
    """One quote: of the record (`occasion` None) or of an occasion, by its index."""

    occasion: str | None
    index: int


@dataclass(frozen=True, slots=True)
class Claim:
    """A fact a record (or an occasion) states, and the quotes that prove it, or why none does.

    `path` is where the fact is written in its file; `code` and `message` say
    what is wrong when `refs` is empty (or, with refs, when it contradicts).
    """

    field: str
    value: str
    path: tuple[str | int, ...]
    refs: tuple[Ref, ...] = ()
    code: str | None = None
    message: str | None = None
    finding: bool = True  # False: shown by --proof, not reported by validate
    # Quotes of `refs` that prove the claim only together with one of the others (the
    # year of a day the other quotes state). Without them, each quote proves it alone.
    joint: tuple[Ref, ...] = ()

    @property
    def proven(self) -> bool:
        return bool(self.refs) and self.code is None


def unique_refs(*refs: Ref) -> tuple[Ref, ...]:
    return tuple(dict.fromkeys(refs))


def refs_of(indexes: list[int]) -> tuple[Ref, ...]:
    return tuple(Ref(None, i) for i in sorted(set(indexes)))


def evidence_of(register: Register, agreement: Agreement, ref: Ref) -> Evidence | None:
    """The quote a reference names."""
    if ref.occasion is None:
        return agreement.evidence[ref.index] if ref.index < len(agreement.evidence) else None
    occasion = register.occasions.get(ref.occasion)
    if occasion is None or ref.index >= len(occasion.evidence):
        return None
    return occasion.evidence[ref.index]
