"""The registries' classes: the places, countries, organisations, sectors, kinds,
statuses, occasions and sources that records refer to by id, so a name is written once
and corrected once. `model.py` names them too, beside the records.

Annotations are evaluated when the classes are made (no `from __future__ import
annotations`), as in `model.py`: the index rebuilds instances from each field's type.
"""

import dataclasses
import re

from agreement_tracker.model_kit import FACTORY, STRICT, list_field, model
from agreement_tracker.values import (
    CountryCode,
    Day,
    Id,
    Language,
    Localised,
    OrganisationType,
    PublishedDate,
    Sha256,
    SourceFile,
    Terms,
    Text,
)

# --- the registries ----------------------------------------------------------------


@model
class Place:
    """A city of a country, with its name in each language the sources write it in
    ("Baku", "Bakou", "Баку"): a record's place is proven by any of them, and the
    city's country is the one the record's place must name."""

    __pydantic_config__ = STRICT
    name: Localised
    terms: Terms = dataclasses.field(default_factory=Terms)

    def __init__(self, *, name: "Localised", terms: "Terms" = FACTORY) -> None:
        self.name = name
        self.terms = Terms() if terms is FACTORY else terms

    def words(self) -> list[str]:
        """Every way a source may name the place, in any language."""
        return [*self.name.all(), *self.terms.all()]


@model
class Country:
    """A country, and the words sources use for it: names and adjectives, per language.

    They tell whose ministry a generic name ("Bộ Tư pháp", "Ministry of Justice")
    is: the sentence that uses it must name the party's country, not another's.
    Its places are the cities where documents are signed.
    """

    __pydantic_config__ = STRICT
    id: CountryCode
    name: Localised
    terms: Terms = dataclasses.field(default_factory=Terms)
    places: list[Place] = list_field()

    def __init__(
        self,
        *,
        id: "CountryCode",
        name: "Localised",
        terms: "Terms" = FACTORY,
        places: "list[Place]" = FACTORY,
    ) -> None:
        self.id = id
        self.name = name
        self.terms = Terms() if terms is FACTORY else terms
        self.places = [] if places is FACTORY else places

    def words(self) -> list[str]:
        """Every way a source may name the country, in any language."""
        return [*self.name.all(), *self.terms.all()]


@model
class Organisation:
    """A ministry, company or person that can be a party to an agreement."""

    __pydantic_config__ = STRICT
    id: Id
    country: CountryCode | None
    type: OrganisationType
    name: Localised
    short: Localised | None = None
    aliases: list[Text] = list_field()

    def __init__(
        self,
        *,
        id: "Id",
        country: "CountryCode | None",
        type: "OrganisationType",
        name: "Localised",
        short: "Localised | None" = None,
        aliases: "list[Text]" = FACTORY,
    ) -> None:
        self.id = id
        self.country = country
        self.type = type
        self.name = name
        self.short = short
        self.aliases = [] if aliases is FACTORY else aliases

    def all_names(self) -> list[str]:
        """Every way the sources may write this organisation: a company's names also
        without their legal form ("Binh Son Refining and Petrochemical" for "… JSC")."""
        short = self.short.all() if self.short else []
        names = [*self.name.all(), *short, *self.aliases]
        if self.type == "company":
            names += [bare for n in names if (bare := re.sub(_LEGAL_FORM, "", n)) != n and bare]
        return names


# A company's legal form, which the press often leaves out of its name. Compiled (and
# kept in re's cache) on first use: 0.3 ms of every start otherwise.
_LEGAL_FORM = (
    r",?\s+(?:JSC|J\.S\.C\.|Joint[ -]Stock Company|Co\.,?\s*Ltd\.?|Company Limited|Ltd\.?|"
    r"LLC|Inc\.?|PLC|GmbH|AG|S\.A\.|OJSC|CJSC)$|^Công ty (?:Cổ phần|cổ phần|TNHH)\s+"
)


@model
class Sector:
    """A policy area; `parent` builds the hierarchy filters descend."""

    __pydantic_config__ = STRICT
    id: Id
    parent: Id | None = None
    name: Localised
    terms: Terms = dataclasses.field(default_factory=Terms)

    def __init__(
        self, *, id: "Id", parent: "Id | None" = None, name: "Localised", terms: "Terms" = FACTORY
    ) -> None:
        self.id = id
        self.parent = parent
        self.name = name
        self.terms = Terms() if terms is FACTORY else terms


@model
class Kind:
    """A kind of document (memorandum of understanding, joint statement, …)."""

    __pydantic_config__ = STRICT
    id: Id
    name: Localised
    short: Localised | None = None
    terms: Terms

    def __init__(
        self, *, id: "Id", name: "Localised", short: "Localised | None" = None, terms: "Terms"
    ) -> None:
        self.id = id
        self.name = name
        self.short = short
        self.terms = terms


@model
class Status:
    """A step of the status lifecycle and the steps a note may move it to.

    `final` marks an outcome (implemented, lapsed, …): no follow-up is expected,
    so reports do not list such agreements as stale or their terms as ending.
    """

    __pydantic_config__ = STRICT
    id: Id
    name: Localised
    description: Text
    next: list[Id] = list_field()
    final: bool = False

    def __init__(
        self,
        *,
        id: "Id",
        name: "Localised",
        description: "Text",
        next: "list[Id]" = FACTORY,
        final: "bool" = False,
    ) -> None:
        self.id = id
        self.name = name
        self.description = description
        self.next = [] if next is FACTORY else next
        self.final = final


@model
class Evidence:
    """A verbatim quote from a source that supports a record."""

    __pydantic_config__ = STRICT
    source: Id
    quote: Text

    def __init__(self, *, source: "Id", quote: "Text") -> None:
        self.source = source
        self.quote = quote


@model
class Occasion:
    """A visit or event on which documents were signed."""

    __pydantic_config__ = STRICT
    id: Id
    title: Localised
    start: Day
    end: Day | None = None
    place: Text
    part_of: Id | None = None
    evidence: list[Evidence] = list_field()

    def __init__(
        self,
        *,
        id: "Id",
        title: "Localised",
        start: "Day",
        end: "Day | None" = None,
        place: "Text",
        part_of: "Id | None" = None,
        evidence: "list[Evidence]" = FACTORY,
    ) -> None:
        self.id = id
        self.title = title
        self.start = start
        self.end = end
        self.place = place
        self.part_of = part_of
        self.evidence = [] if evidence is FACTORY else evidence


@model
class NotAnAgreement:
    """A place in a source that names a document but is not an agreement record."""

    __pydantic_config__ = STRICT
    quote: Text
    reason: Text

    def __init__(self, *, quote: "Text", reason: "Text") -> None:
        self.quote = quote
        self.reason = reason


@model
class Erratum:
    """An error in a source text: the passage, what is wrong, and the correct reading,
    with the quote (of this source or another) that states the correct reading."""

    __pydantic_config__ = STRICT
    quote: Text
    wrong: Text
    correct: Text
    evidence: Evidence | None = None

    def __init__(
        self, *, quote: "Text", wrong: "Text", correct: "Text", evidence: "Evidence | None" = None
    ) -> None:
        self.quote = quote
        self.wrong = wrong
        self.correct = correct
        self.evidence = evidence


@model
class Source:
    """A source text in seeds/, with what the text itself says about it."""

    __pydantic_config__ = STRICT
    id: Id
    file: SourceFile
    lang: Language
    title: Text
    publisher: Text
    published: PublishedDate
    sha256: Sha256
    url: Text | None = None
    notes: Text | None = None
    not_agreements: list[NotAnAgreement] = list_field()
    errata: list[Erratum] = list_field()

    def __init__(
        self,
        *,
        id: "Id",
        file: "SourceFile",
        lang: "Language",
        title: "Text",
        publisher: "Text",
        published: "PublishedDate",
        sha256: "Sha256",
        url: "Text | None" = None,
        notes: "Text | None" = None,
        not_agreements: "list[NotAnAgreement]" = FACTORY,
        errata: "list[Erratum]" = FACTORY,
    ) -> None:
        self.id = id
        self.file = file
        self.lang = lang
        self.title = title
        self.publisher = publisher
        self.published = published
        self.sha256 = sha256
        self.url = url
        self.notes = notes
        self.not_agreements = [] if not_agreements is FACTORY else not_agreements
        self.errata = [] if errata is FACTORY else errata
