"""The record schema, declared once.

Validation, the maintainers' error messages, the JSON Schema files that editors use
(`schema/*.schema.json`) and the field reference in the docs all come from these models.

Every text field is plain text: no markup of any kind is interpreted, so a record
can never add an element, a link or a script to the site. This is deliberate, and it
holds for titles too: an italic species name or a superscript is written with its
Unicode characters (e.g. "Ca²⁺"), never with HTML or Markdown, which are shown as typed.
Links come only from the checked identifier and URL fields (http/https only).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from .. import identifiers as ids

# Characters no text may hold: C0 and C1 controls except newline and tab, lone surrogates (which
# cannot be written as UTF-8) and the noncharacters U+FFFE/U+FFFF. Everything else is shown as written.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _forbidden_character(text: str) -> str | None:
    match = _FORBIDDEN.search(text)
    if match is None:
        return None
    bad = match.group()
    name = unicodedata.name(bad, "a control character" if bad.isprintable() is False and ord(bad) < 0xD800
                            else "not a character")
    return f"contains the invisible U+{ord(bad):04X} ({name.lower()}) at character {match.start() + 1}; delete it"


def _plain_text(value: object) -> object:
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        raise ValueError("empty text; write the value or remove the field")
    message = _forbidden_character(text)
    if message:
        raise ValueError(message)
    return text


def _invisible_character(value: str) -> str | None:
    """Identifiers pasted from a web page often carry a zero-width or no-break space nobody can see."""
    if value.isascii() and value.isprintable():
        return None  # printable ASCII is letters, digits, marks and the plain space: nothing invisible
    for index, char in enumerate(value):
        if char != " " and unicodedata.category(char) in ("Cf", "Zs", "Zl", "Zp", "Co", "Cn"):
            name = unicodedata.name(char, "an unassigned character").lower()
            return f"contains the invisible U+{ord(char):04X} ({name}) at character {index + 1}; delete it"
    return None


def _checked(check: Callable[[str], str | None]) -> Callable[[str], str]:
    def validate(value: str) -> str:
        if not value.strip():
            raise ValueError("empty value; write the value or remove the field")
        message = _forbidden_character(value) or _invisible_character(value) or check(value)
        if message:
            raise ValueError(message)
        return value
    return validate


def _flag(value: object) -> object:
    # Only the two spellings everybody reads the same way; YAML 1.1's yes/no/on/off are refused.
    if value in ("true", "false"):
        return value == "true"
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        said_yes = value.strip().lower() in ("yes", "y", "on", "1", "true", "t", "ture", "treu", "tru")
        said_no = value.strip().lower() in ("no", "n", "off", "0", "false", "f", "flase", "fales", "fasle")
        if said_yes or said_no:
            raise ValueError(f"'{value}' is not true or false; did you mean '{'true' if said_yes else 'false'}'?")
    raise ValueError("write true or false")


def _ident(check: Callable[[str], str | None], description: str, pattern: str | None = None):
    schema: dict = {"type": "string", "description": description}
    if pattern:
        schema["pattern"] = pattern
    return Annotated[str, AfterValidator(_checked(check)), WithJsonSchema(schema)]


Text = Annotated[str, BeforeValidator(_plain_text), Field(description="Plain text; no markup is interpreted.")]
Flag = Annotated[bool, BeforeValidator(_flag)]
Doi = _ident(ids.check_doi, "A bare DOI, e.g. 10.1007/s00198-010-1326-y.", ids.DOI.pattern)
Pmid = _ident(ids.check_pmid, "A PubMed identifier: digits only, e.g. 20571772.", ids.PMID.pattern)
Pmcid = _ident(ids.check_pmcid, "A PubMed Central identifier, e.g. PMC1234567.", ids.PMCID.pattern)
Issn = _ident(ids.check_issn, "An ISSN, NNNN-NNNC, with a valid check digit.", ids.ISSN.pattern)
Orcid = _ident(ids.check_orcid, "An ORCID iD, NNNN-NNNN-NNNN-NNNC.", ids.ORCID.pattern)
Slug = _ident(ids.check_slug, "An identifier: lowercase letters, digits and hyphens.", ids.SLUG.pattern)
Url = _ident(ids.check_url, "A full http:// or https:// address.", r"^https?://\S+$")
PartialDate = _ident(ids.check_partial_date, "A date: YYYY, YYYY-MM or YYYY-MM-DD.",
                     ids.PARTIAL_DATE.pattern)
Pages = _ident(ids.check_pages, "Pages as the source gives them: 435-46, 435-446 or e1234.")
LanguageCode = _ident(lambda v: None if v.isascii() and v.isalpha() and v.islower() and len(v) in (2, 3)
                      else f"language codes are lowercase; did you mean '{v.lower()}'?"
                      if v.isascii() and v.isalpha() and len(v) in (2, 3)
                      else "write an ISO 639 language code in lowercase (e.g. en)",
                      "An ISO 639-1 or 639-2 language code, e.g. en.", r"^[a-z]{2,3}$")
Number = _ident(lambda v: None if v.replace(" ", "").replace("-", "").isalnum() and len(v) <= 20
                else "not a volume or issue number; write it as the journal numbers it (e.g. 22, 2, 3-4, Suppl 1)",
                "A volume or issue number as the journal writes it, e.g. 22.")


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The record model a field holds, directly or inside list[...] / X | None; None for plain values."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = model_in(arg)
        if found is not None:
            return found
    return None


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Record):
    """Where facts were read. Every other record names its sources by `id`."""

    id: Slug
    name: Text = Field(description="What the source is, e.g. 'PubMed record'.")
    url: Url
    accessed: PartialDate | None = Field(None, description="When the source was read (YYYY-MM-DD).")
    used_for: Text | None = Field(None, description="Which facts were taken from it.")


class Journal(Record):
    """The journal: its full title, its abbreviation, or both. One is enough to name it: PubMed's page gives
    only the abbreviation, and RIS, BibTeX and CSL-JSON exports often only the title."""

    title: Text | None = Field(None, description="Full journal title, e.g. Osteoporosis International. "
                               "Optional when `iso_abbreviation` is given (pages then name the journal by it).")
    iso_abbreviation: Text | None = Field(None, description="ISO/NLM abbreviation, e.g. Osteoporos Int. Optional "
                                          "when `title` is given (pages then use the title where PubMed "
                                          "writes the abbreviation).")
    issn_print: Issn | None = None
    issn_electronic: Issn | None = None

    @model_validator(mode="after")
    def _named(self) -> Journal:
        if not self.title and not self.iso_abbreviation:
            raise ValueError("a journal needs a name; add `title:` (the full title) or `iso_abbreviation:` "
                             "(e.g. Osteoporos Int), whichever the source gives")
        return self


class Affiliation(Record):
    id: Slug
    name: Text
    truncated: Flag = Field(False, description="true when the source's text stops partway.")


class Author(Record):
    """A person (family name, given names and/or initials, as the source gives them) or a group."""

    family: Text | None = None
    given: Text | None = None
    initials: Text | None = None
    collective: Text | None = Field(None, description="A group author's name, instead of family/given.")
    orcid: Orcid | None = None
    affiliations: list[Slug] = Field(default_factory=list, description="Ids from the article's affiliations.")

    @model_validator(mode="after")
    def _named(self) -> Author:
        if not self.family and not self.collective:
            raise ValueError("an author needs a name; add `family:` (a person) or `collective:` (a group)")
        if self.family and self.collective:
            raise ValueError("an author has both `family` and `collective`; keep `family` for a person or "
                             "`collective` for a group, not both")
        return self


class MeshHeading(Record):
    descriptor: Text
    qualifiers: list[Text] = Field(default_factory=list)
    major: Flag = False


class Excerpt(Record):
    text: Text
    truncated: Flag = Field(False, description="true when the source's text stops partway.")


class ArticleRecord(Record):
    """`article.yaml`: the review's bibliographic data, authors, affiliations and sources."""

    draft: Flag = Field(False, description="true while the review is being filled in: `build` leaves it out, "
                        "`serve` shows it (its problems only on its own page) and `check` lists its problems "
                        "apart, without failing unless `--strict`. `new` writes it; remove it when done.")
    title: Text
    journal: Journal
    published: PartialDate = Field(description="Issue date, e.g. 2011-02.")
    epub: PartialDate | None = Field(None, description="Electronic publication date, e.g. 2010-06-23.")
    volume: Number | None = None
    issue: Number | None = None
    pages: Pages | None = None
    doi: Doi | None = None
    pmid: Pmid | None = None
    pmcid: Pmcid | None = None
    publication_types: list[Text] = Field(
        default_factory=list, description="PubMed's publication types, e.g. Review. Optional: RIS, BibTeX and "
        "CSL-JSON exports do not carry them; without them the page shows no publication type.")
    language: LanguageCode | None = None
    authors: list[Author] = Field(
        default_factory=list, description="In the article's order. Optional: some sources (a PubMed page for a "
        "Seminar, for one) name no authors; without them the page says \"Authors not recorded.\" and the "
        "downloads and head metadata carry no author.")
    authors_complete: Flag = Field(True, description="false when only the first author(s) are known (shown 'et al.').")
    affiliations: list[Affiliation] = Field(default_factory=list)
    keywords: list[Text] = Field(default_factory=list)
    mesh_terms: list[MeshHeading] = Field(default_factory=list)
    copyright: Text | None = None
    acknowledgment: Excerpt | None = None
    sources: list[Source] = Field(min_length=1)


class AbstractSection(Record):
    label: Text | None = Field(None, description="Section label of a structured abstract, e.g. Methods.")
    text: Text


class AbstractRecord(Record):
    """`abstract.yaml`: the abstract, verbatim."""

    sections: list[AbstractSection] = Field(min_length=1)
    note: Text | None = None
    sources: list[Slug] = Field(min_length=1, description="Ids of sources listed in article.yaml.")


NoticeKind = Annotated[Literal["erratum", "retraction", "expression-of-concern", "update"],
                      Field(description="What the notice is: erratum (a correction), retraction, "
                            "expression-of-concern or update, as the source names it (PubMed's ErratumIn, "
                            "RetractionIn, ExpressionOfConcernIn, UpdateIn).")]


class Notice(Record):
    """A notice published about a work: an erratum, a retraction, an expression of concern or an update."""

    kind: NoticeKind = "erratum"
    citation: Text | None = Field(None, description="The notice's citation as the source writes it. Leave it out "
                                  "when a source says a notice exists without citing it (PubMed's bare "
                                  "'Erratum in'): the page still raises the banner and says the "
                                  "notice's details are not recorded.")
    title: Text | None = None
    doi: Doi | None = None
    pmid: Pmid | None = None
    note: Text | None = None
    sources: list[Slug] = Field(min_length=1)


Erratum = Notice  # erratum.yaml's entries; the name the importers and the loader know them by


class ErratumRecord(Record):
    """`erratum.yaml`: notices published about the review (errata, retractions, expressions of concern, updates)."""

    errata: list[Notice] = Field(min_length=1, description="One entry per notice; `kind` says which.")


class Reference(Record):
    """A cited work. `citation` is the text the source shows; other fields only where a source gives them."""

    id: Slug | None = None
    citation: Text
    title: Text | None = None
    authors: list[Text] = Field(default_factory=list, description="Names exactly as the source writes them.")
    group_author: Text | None = None
    journal: Text | None = None
    year: Annotated[str, AfterValidator(_checked(lambda v: None if len(v) == 4 and v.isdigit()
                                                  else "not a year; write four digits (e.g. 2001)"))] | None = None
    published: PartialDate | None = Field(None, description="The issue date as the citation gives it, e.g. "
                                          "2007-05-15 for 'Immunol Lett. 2007 May 15'; its year is `year`.")
    volume: Number | None = None
    issue: Number | None = None
    pages: Pages | None = None
    doi: Doi | None = None
    pmid: Pmid | None = None
    pmcid: Pmcid | None = None
    note: Text | None = None
    notices: list[Notice] = Field(default_factory=list, description="Notices about the cited work, e.g. "
                                  "`{kind: retraction, citation: ..., pmid: ..., sources: [...]}` when it was "
                                  "retracted; the reference list flags it.")
    sources: list[Slug] = Field(min_length=1)

    @model_validator(mode="after")
    def _year_agrees(self) -> Reference:
        if self.published and self.year and not self.published.startswith(self.year):
            raise ValueError(f"`published` ({self.published}) is not in `year` ({self.year}); correct one of them")
        return self


class ReferencesRecord(Record):
    """`references.yaml`: the works the review cites, in the article's order."""

    complete: Flag = Field(description="false when only part of the article's list is recorded.")
    note: Text | None = None
    references: list[Reference] = Field(default_factory=list)


# --- summary.yaml: what the site's maintainers write about the review, never a source's words

_NONE_SPELLINGS = {"none", "no", "nil", "n/a", "na", "-", "none.", "nothing", "none to declare", "no conflicts"}


def _competing_interests(value: str) -> str:
    if value.strip().lower() in _NONE_SPELLINGS:
        raise ValueError(f"'{value}' is ambiguous; write exactly 'none declared' when the writers declare none")
    return value


def _check_day(value: str) -> str | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "not a day; write the full date, YYYY-MM-DD (e.g. 2024-03-02)"
    return ids.check_partial_date(value)


def _check_reference_place(value: str) -> str | None:
    if value.isdigit() and not value.startswith("0") or not value.isdigit() and not ids.check_slug(value):
        return None
    return "not a reference; write its number in references.yaml (e.g. 4) or its id (e.g. ref-one)"


Day = _ident(_check_day, "A day: YYYY-MM-DD.", r"^\d{4}-\d{2}-\d{2}$")
AbstractPlace = _ident(lambda v: None if re.fullmatch(r"[1-9]\d*(\.[1-9]\d*)?", v) else
                       "not a place in the abstract; write the section's number (e.g. 2) or the section and "
                       "sentence numbers (e.g. 2.3 for the third sentence of the second section)",
                       "A section of abstract.yaml by its number (2), or one sentence of it (2.3: the third "
                       "sentence of the second section). Sections count from 1 in the file's order; a "
                       "sentence ends at '.', '?' or '!' (with any closing bracket or quote) followed by a "
                       "space and a character that is not a lowercase letter.",
                       r"^[1-9][0-9]*(\.[1-9][0-9]*)?$")
ReferencePlace = _ident(_check_reference_place,
                        "A reference of references.yaml: its number in the list (4), or its `id`. "
                        "A value of digits only is always a number.", r"^([1-9][0-9]*|[a-z0-9-]+)$")
Position = _ident(lambda v: None if v.isdigit() and not v.startswith("0") else
                  "not a position; write the notice's number in erratum.yaml, counting from 1 (e.g. 1)",
                  "A correction notice of erratum.yaml by its number, counting from 1.", r"^[1-9][0-9]*$")


class Support(Record):
    """What backs a key point: exactly one of an abstract place, a reference or the erratum."""

    abstract: AbstractPlace | None = None
    reference: ReferencePlace | None = None
    erratum: Position | None = None

    @model_validator(mode="after")
    def _one(self) -> Support:
        given = [name for name in ("abstract", "reference", "erratum") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(("a support names nothing" if not given else
                              f"one support names {' and '.join(given)}") +
                             "; write one `- abstract: ...`, `- reference: ...` or `- erratum: ...` per line")
        return self


class KeyPoint(Record):
    text: Text = Field(description="One short plain-text sentence, in the maintainers' words.")
    supported_by: list[Support] = Field(min_length=1, description="What backs the point: abstract places, "
                                        "references or the erratum, one per entry.")


class Person(Record):
    name: Text = Field(description="The person's name as they sign, e.g. Ann Example.")
    orcid: Orcid | None = None


class SourceVersion(Record):
    """The version of the source the summary was written against."""

    source: Slug = Field(description="The id of a source in article.yaml, e.g. pubmed.")
    date: PartialDate = Field(description="That version's date: the PubMed record's revision date, or the day "
                              "the source was read.")


class SummaryRecord(Record):
    """`summary.yaml`: the maintainers' own summary of the review, attributed and dated. Optional; each key
    point names what in the abstract, the references or the erratum supports it."""

    bottom_line: Text | None = Field(None, description="One sentence: what a reader should take away.")
    key_points: list[KeyPoint] = Field(default_factory=list, description="Short statements in the maintainers' "
                                       "words, each naming what supports it.")
    plain_language: list[Text] = Field(default_factory=list, description="Paragraphs for a reader without "
                                       "medical training, one list entry each.")
    written_by: list[Person] = Field(min_length=1, description="Who wrote the summary; the page says "
                                     "'Summary by' these names.")
    written: Day = Field(description="The day the summary was written.")
    reviewed: Day | None = Field(None, description="The day another maintainer last checked it; leave out until "
                                 "someone has.")
    reviewed_by: list[Person] = Field(default_factory=list, description="Who checked it on `reviewed`.")
    competing_interests: Annotated[Text, AfterValidator(_competing_interests)] = Field(
        description="The writers' competing interests, or exactly 'none declared'.")
    source_version: SourceVersion

    @model_validator(mode="after")
    def _consistent(self) -> SummaryRecord:
        if not (self.bottom_line or self.key_points or self.plain_language):
            raise ValueError("the summary says nothing; add `bottom_line`, `key_points` or `plain_language`")
        return self  # the dates' order is checked in records.py, where an error can stand on its line


# The files of one review folder: name -> (model, required?)
RECORD_FILES: dict[str, tuple[type[Record], bool]] = {
    "article.yaml": (ArticleRecord, True),
    "abstract.yaml": (AbstractRecord, False),
    "erratum.yaml": (ErratumRecord, False),
    "references.yaml": (ReferencesRecord, False),
    "summary.yaml": (SummaryRecord, False),
}
