"""Proof: each fact a record states, proven by the clause of a quote that states it.

The claims live in modules of their own: `claims` (what a claim is), `reading` (a
record's quotes read in their sentences), `record` and `parties` (a record's claims),
`occasion`, `accounts`, and `words` (the words that prove a claim, for the reader).
What a text names is read apart from the claims: `agreement_tracker.names`
(organisations, countries, places), `agreement_tracker.dates` and
`agreement_tracker.mentions` (sentences, clauses and their verbs).
"""

from __future__ import annotations

from agreement_tracker.proof.accounts import (
    kind_disputes,
    own_reading,
    party_value_problem,
    prove_account,
)
from agreement_tracker.proof.claims import SIGNING_ROLES, Claim, Ref, evidence_of
from agreement_tracker.proof.occasion import occasion_year, prove_occasion
from agreement_tracker.proof.record import all_claims, prove_record
from agreement_tracker.proof.words import proving_words

__all__ = [
    "SIGNING_ROLES",
    "Claim",
    "Ref",
    "all_claims",
    "evidence_of",
    "kind_disputes",
    "occasion_year",
    "own_reading",
    "party_value_problem",
    "prove_account",
    "prove_occasion",
    "prove_record",
    "proving_words",
]
