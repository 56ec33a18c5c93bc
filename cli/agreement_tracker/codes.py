"""The one list of finding codes: what each means and what to do about it.

Every code the tool can print in `error[code]` or `warning[code]` is here, once.
`validate --explain CODE` prints an entry, `docs/reference/errors.md` is generated
from this list, and a test reads the package's source to prove that every code it
can emit is listed and that every listed code is emitted somewhere: a new rule
cannot ship without its entry, and a retired one cannot linger in the docs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Shown = Literal["error", "warning", "shown"]


@dataclass(frozen=True, slots=True)
class Code:
    """One finding code: where it comes from, how it is shown, what it means and the fix."""

    code: str
    area: str
    severity: Shown  # "shown": a line of `show --proof`, never a finding
    means: str
    fix: str


AREAS = {
    "files": "Reading the register's files",
    "yaml": "YAML that is refused",
    "records": "Records, registries and links",
    "sources": "Source texts",
    "quotes": "Quotes",
    "proof": "Claims a quote must prove",
    "notes": "Follow-up notes",
    "accounts": "Other sources' accounts",
    "commitments": "Commitments and reviews",
    "checks": "The checker itself",
}

_FILE_FIX = "Replace the link, folder or device with the file itself"

# fmt: off
CODES: tuple[Code, ...] = (
    # --- files ---------------------------------------------------------------------------
    Code("file-missing", "files", "error", "A file the register lists is not there.",
         "Restore it from git, or remove what names it."),
    Code("file-unreadable", "files", "error", "A register file cannot be read (permissions, "
         "an I/O error).", "Make it a readable file again."),
    Code("file-outside", "files", "error", "A register file or folder is a link to a place "
         "outside the register; it is not followed.", "Put the file itself in the register."),
    Code("file-not-regular", "files", "error", "A register path is a folder, FIFO, device or "
         "socket where a file belongs; it is not opened.", _FILE_FIX + "."),
    Code("file-too-large", "files", "error", "A register file is larger than such a file may "
         "be, and is not read.", "Remove what does not belong in it, or move it out of "
         "the register."),
    Code("encoding", "files", "error", "A YAML file is not UTF-8 text (UTF-16, other bytes, "
         "a NUL byte, or lone CR line ends).", "Save it as UTF-8 with LF or CRLF line ends, "
         "without changing its content."),
    # --- yaml ----------------------------------------------------------------------------
    Code("yaml-syntax", "yaml", "error", "The file is not valid YAML.",
         "Fix the line the finding names; the message says what the parser expected."),
    Code("yaml-tag", "yaml", "error", "A YAML tag (`!!python/…`, `!custom`) is refused: data "
         "is never interpreted as code or types.", "Remove the tag; write the value as text."),
    Code("yaml-alias", "yaml", "error", "An anchor or alias (`&a`, `*a`) is refused: it "
         "can multiply a small file into a huge one.", "Write the value out in full."),
    Code("yaml-key", "yaml", "error", "A mapping key is not a plain word (a list, a mapping, "
         "a tagged value).", "Use a plain word as the key."),
    Code("yaml-duplicate-key", "yaml", "error", "A key appears twice in one mapping; YAML "
         "would silently keep the last.", "Keep one of the two and delete the other."),
    Code("yaml-depth", "yaml", "error", "Nesting deeper than any record needs.",
         "Flatten the structure; records are a few levels deep."),
    Code("yaml-number", "yaml", "error", "A number too long for Python to read.",
         "Quote it if it is text, or shorten it."),
    # --- records ----------------------------------------------------------------------------
    Code("schema", "records", "error", "A field is missing, unknown, or of the wrong type or "
         "form for the register format.", "The message names the field and the form "
         "expected; `agreements schema` prints the whole format."),
    Code("missing-field", "records", "error", "A required field of a record or registry entry "
         "is missing.", "Add it; `agreements schema` lists the required fields."),
    Code("unknown-key", "records", "error", "A key the register format does not have (often a "
         "misspelling).", "Check its spelling, or remove it."),
    Code("id-mismatch", "records", "error", "A record's id differs from its file name.",
         "Rename the file to ID.yaml, or set the id the file name says."),
    Code("duplicate-id", "records", "error", "Two files or registry entries claim one id.",
         "Give one of them another id."),
    Code("unknown-ref", "records", "error", "A record names an organisation, sector, kind, "
         "status, occasion, source or record that is not registered.",
         "Use a registered id (the message suggests the closest), or register it "
         "(`agreements org add`, `source add`, `occasion add`)."),
    Code("link-to-itself", "records", "error", "A record links to itself.",
         "Name another record as the link's target."),
    Code("link-to-broken-record", "records", "error", "A record links to a record that failed "
         "to load.", "Fix the findings of the linked record first."),
    Code("placeholder", "records", "error", "A field still holds a placeholder (TODO) from "
         "`agreements new`.", "Fill it in from the source, or remove the field."),
    # --- sources ----------------------------------------------------------------------------
    Code("source-missing", "sources", "error", "A registered source's text file is not in "
         "seeds/.", "Restore it (git, or the original download), or remove its entry if no "
         "record cites it."),
    Code("source-unreadable", "sources", "error", "A source's text cannot be read.",
         "Make it a readable file again."),
    Code("source-outside", "sources", "error", "A source file or seeds/ is a link out of the "
         "register.", "Put the text itself in seeds/."),
    Code("source-not-regular", "sources", "error", "A source path is not a regular file.",
         "Put the text itself in seeds/."),
    Code("source-too-large", "sources", "error", "A source text is larger than a source may be.",
         "Register the article's own text, without what does not "
         "belong in it."),
    Code("source-changed", "sources", "error", "A source text no longer has the sha256 its "
         "manifest records: evidence has changed.", "Restore the original file; register a "
         "new version as a new source."),
    Code("source-encoding", "sources", "error", "A source text is not UTF-8.",
         "Register a UTF-8 copy of the original with `agreements source add`."),
    Code("uncovered-mention", "sources", "warning", "A source names a document (a memorandum, "
         "a programme…) that no record quotes.", "Add a record for it, or list the passage "
         "under the source's not_agreements with a reason."),
    # --- quotes -----------------------------------------------------------------------------
    Code("quote-not-found", "quotes", "error", "A quote is not in its source text, as written.",
         "Copy it byte for byte from the source; the message shows the closest passage."),
    Code("quote-case", "quotes", "warning", "A quote differs from its source in letter case only.",
         "Copy it with the source's letter case, as the message shows."),
    Code("quote-supports-nothing", "quotes", "error", "A quote of the record proves none of "
         "its claims.", "Remove it, or quote the clause about this document."),
    Code("erratum-not-found", "quotes", "error", "A source's erratum quotes text that is not "
         "in the source.", "Copy the erroneous passage exactly as the source writes it."),
    Code("erratum-unproven", "quotes", "error", "An erratum's correction is not proven by its "
         "evidence quote.", "Quote the passage of another source that states the correction."),
    # --- proof ------------------------------------------------------------------------------
    Code("ungrounded-party", "proof", "error", "No quote names this party in the clause about "
         "the document.", "Quote the clause that names it, or add its name as it appears "
         "there as an alias (`agreements org alias`)."),
    Code("party-of-another-document", "proof", "error", "The quote names this party, but as a "
         "party of another document.", "Quote the clause about this record's document."),
    Code("party-other-country", "proof", "error", "The party's country is not the side the "
         "record gives it.", "Correct the side, or the organisation's country."),
    Code("side-not-country", "proof", "error", "A party's side is not a registered country.",
         "Use a country code from registry/countries.yaml."),
    Code("unproven-role", "proof", "error", "No quote says the party had this role (signatory, "
         "witness, beneficiary).", "Quote the phrase that gives the role, or correct it."),
    Code("role-contradicted", "proof", "error", "The quote gives the party another role than "
         "the record's.", "Use the role the quote states."),
    Code("ungrounded-signer", "proof", "error", "No quote names the signer as signing for the "
         "party.", "Quote the clause naming the signer, or leave the signer empty."),
    Code("signer-other-country", "proof", "error", "The signer is named for the other side.",
         "Move the signer to the party the quote gives them."),
    Code("unknown-kind", "proof", "shown", "The record's kind is not in registry/kinds.yaml.",
         "Use a registered kind."),
    Code("ungrounded-kind", "proof", "error", "No quote calls the document by the record's kind.",
         "Quote the clause that names the kind, or record the kind the quote gives."),
    Code("disputed-kind", "proof", "warning", "A quote calls the document another kind than "
         "the record beside a signatory.", "Record that reading as an account (`agreements "
         "account add ID --field kind …`), or quote the passage that names the record's kind."),
    Code("missing-date", "proof", "error", "A signed record has no date.",
         "Give the date the source states, or mark the record planned."),
    Code("undated-planned", "proof", "shown", "A planned record has no date until a note "
         "records the signing.", "Nothing to do."),
    Code("ungrounded-date", "proof", "error", "No quote states the date in the clause about the "
         "document (or its dateline, today/yesterday, weekday).", "Quote the clause with the "
         "date, or correct the date to what the source says."),
    Code("date-outside-occasion", "proof", "error", "The date falls outside the occasion's days.",
         "Correct the date or the occasion."),
    Code("unknown-place", "proof", "error", "The place is not a place the register knows.",
         "Write the place as the source and the occasion name it."),
    Code("place-wrong-country", "proof", "error", "The place is in another country than the "
         "occasion's.", "Correct the place or the occasion."),
    Code("place-not-as-registered", "proof", "error", "The place is written differently from "
         "the occasion's place.", "Write it as the occasion does."),
    Code("ungrounded-place", "proof", "error", "No quote places the signing there.",
         "Quote the clause that places it, or leave the place to the occasion."),
    Code("ungrounded-term", "proof", "error", "No quote states the term (duration, validity).",
         "Quote the sentence that states it, or remove the term."),
    Code("term-reversed", "proof", "error", "The term ends before it starts.",
         "Swap or correct the dates."),
    Code("title-not-in-clause", "proof", "error", "The title is not written by the clause about "
         "the document.", "Copy the title as the clause writes it."),
    Code("title-cut-short", "proof", "error", "The title stops before the document's name ends.",
         "Copy the whole name as the clause writes it."),
    Code("title-names-another-kind", "proof", "error", "The title calls the document another "
         "kind than the record.", "Make the title and the kind agree with the quote."),
    Code("title-of-another-record", "proof", "error", "The title is another record's document.",
         "Quote the clause about this record's document."),
    Code("title-translation-differs", "proof", "error", "A translated title says what the "
         "quoted title does not.", "Translate the title the clause writes, word for word."),
    Code("title-translation", "proof", "shown", "A translation of the title: shown, not checked "
         "against a quote.", "Nothing to do."),
    Code("unproven-occasion", "proof", "error", "The record's occasion does not hold its date "
         "or place, or no quote ties the record to it.", "Correct the occasion, or the date and "
         "place."),
    # --- notes ------------------------------------------------------------------------------
    Code("note-before-signing", "notes", "error", "A follow-up note is dated before the signing.",
         "Correct the note's date."),
    Code("note-source-unknown", "notes", "error", "A note's source is neither a registered "
         "source nor a URL.", "Register the source (`agreements source add`) or give its URL."),
    Code("note-quote-unverifiable", "notes", "error", "A note has a quote but its source is not "
         "a registered text.", "Register the source, or remove the quote."),
    Code("note-quote-not-found", "notes", "error", "A note's quote is not in its source.",
         "Copy the quote byte for byte from the source."),
    Code("note-quote-is-the-signing", "notes", "error", "A note's quote reports the signing "
         "itself, not what happened after it.", "Quote what happened since."),
    Code("note-quote-off-topic", "notes", "error", "A note's quote is not about this record "
         "(another document, or only its witnesses).", "Quote a passage about this document."),
    # --- accounts ---------------------------------------------------------------------------
    Code("unproven-account", "accounts", "error", "Another source's account is not stated by "
         "its quote.", "Quote the passage that states it, or remove the account."),
    Code("invalid-value", "accounts", "error", "An account's value is not a value the field can "
         "take.", "Give a value of the field's form (the message names it)."),
    # --- commitments ------------------------------------------------------------------------
    Code("commitment-source-unknown", "commitments", "error", "A commitment cites a source that "
         "is not registered.", "Register it (`agreements source add`)."),
    Code("commitment-quote-not-found", "commitments", "error", "A commitment's quote is not in "
         "its source.", "Copy it byte for byte from the source."),
    Code("commitment-off-topic", "commitments", "error", "The quote is not about this record's "
         "document: it names another document, someone who is no party, or neither the "
         "document nor its parties.", "Quote the sentence that makes this document's promise; "
         "a promise of another document goes on that record."),
    Code("commitment-no-promise", "commitments", "error", "The quote states no commitment "
         "(\"will\", \"agreed to\", \"sẽ\", \"vereinbarten\"…).", "Quote the sentence that "
         "makes the promise."),
    Code("commitment-by-unknown", "commitments", "error", "A commitment's --by names an "
         "unregistered organisation.", "Use a registered organisation id."),
    Code("commitment-by-not-party", "commitments", "error", "A commitment's --by is not a party "
         "of the record.", "Name one of the record's parties."),
    Code("due-not-stated", "commitments", "error", "The quote states no due date.",
         "Leave the commitment undated, or quote the sentence with the deadline."),
    Code("due-of-another-document", "commitments", "error", "The due phrase is in a sentence "
         "about another document.", "Quote the sentence about this document's deadline."),
    Code("due-unrecorded", "commitments", "error", "The quote states a deadline the commitment "
         "does not record.", "Record the due date the quote states."),
    Code("due-differs", "commitments", "error", "The recorded due date is not the one the quote "
         "states.", "Record the date the quote states."),
    Code("due-miscounted", "commitments", "error", "A period (\"within six months\") counted from "
         "the wrong date.", "Count it from the date the quote names, else from the signing."),
    Code("due-period-unsigned", "commitments", "error", "A period counted from a signing the "
         "record does not date.", "Prove the signing date first."),
    Code("due-before-signing", "commitments", "error", "The due date is before the signing.",
         "Correct the due date."),
    Code("review-source-unknown", "commitments", "error", "A review cites a source that is not "
         "registered.", "Register it (`agreements source add`)."),
    Code("review-in-future", "commitments", "error", "A review is dated after today.",
         "Date it on or before today."),
    Code("review-before-signing", "commitments", "error", "A review is dated before the signing.",
         "Correct the review's date."),
    Code("review-met-on-unmet", "commitments", "error", "A met date on a review that does not "
         "say met or partly met.", "Remove --met-on, or give the status the source states."),
    Code("review-met-after-as-of", "commitments", "error", "A review says the commitment was met "
         "after the review's own date.", "Correct one of the two dates."),
    Code("review-met-unquoted", "commitments", "error", "\"met\" or \"partly met\" with no quote.",
         "Quote the passage that reports it done."),
    Code("review-quote-not-found", "commitments", "error", "A review's quote is not in its "
         "source.", "Copy it byte for byte from the source."),
    Code("review-quote-off-topic", "commitments", "error", "A review's quote is not about the "
         "record's document (another document, or someone who is no party).",
         "Quote the passage that reports on this document's commitment."),
    Code("review-quote-elsewhere", "commitments", "error", "A review's quote shares no word "
         "with the commitment's text: it reports on something else.", "Quote the passage "
         "about this commitment, or word the commitment's text as its sources do."),
    Code("review-quote-not-done", "commitments", "error", "A \"met\" review whose quote does not "
         "say it was done.", "Quote the passage that says it happened, or give another status."),
    # --- checks -----------------------------------------------------------------------------
    Code("check-crashed", "checks", "error", "A check failed with an unexpected error: a defect "
         "of the tool.", "Report it with the message; the other checks still ran."),
)

BY_CODE: dict[str, Code] = {c.code: c for c in CODES}
# A finding of these areas means a file could not be read at all: what it holds is
# unknown, so `validate` exits 2 (unusable input), not 1 (findings).
UNUSABLE_AREAS = ("files", "yaml")
UNREADABLE = frozenset(c.code for c in CODES if c.area in UNUSABLE_AREAS)


def explain(code: str) -> Code | None:
    """The entry for `code`, or None."""
    return BY_CODE.get(code)


def markdown() -> str:
    """The error-code reference page (`docs/reference/errors.md`), grouped by area."""
    out = [
        "# Finding codes",
        "",
        "<!-- Generated from cli/agreement_tracker/codes.py by "
        "`python -m agreement_tracker.codes > docs/reference/errors.md`; do not edit. -->",
        "",
        "Each finding prints as `FILE:LINE:COL: error[CODE]: message`. The message names",
        "the rule and the fix for that case; this page says what each code means.",
        "`agreements validate --explain CODE` prints one entry.",
        "",
        "`--strict` makes warnings errors. A *shown* code is a line of `show --proof`,",
        "never a finding. A finding of the first two sections means a file could not be",
        "read at all: `validate` exits 2 (unusable input) rather than 1.",
        "",
    ]
    for area, heading in AREAS.items():
        out += [f"## {heading}", "", "| code | shown as | means | what to do |"]
        out.append("|---|---|---|---|")
        for c in CODES:
            if c.area == area:
                out.append(f"| `{c.code}` | {c.severity} | {_cell(c.means)} | {_cell(c.fix)} |")
        out.append("")
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


if __name__ == "__main__":
    print(markdown(), end="")
