"""Build the model of a review, once, from its validated records."""

from __future__ import annotations

import re

from ..load.records import ReviewRecords
from ..load.schema import Author, Notice, Reference, SummaryRecord
from ..load.schema import Person as PersonRecord
from ..load.schema import Support as SupportRecord
from .review import (
    AbstractSupport,
    Affiliation,
    ErratumSupport,
    Excerpt,
    KeyPoint,
    Person,
    ReferenceSupport,
    Review,
    Source,
    SourceVersion,
    Summary,
    Support,
)
from .work import NOTICE_KINDS, AbstractSection, Correction, Issn, Journal, MeshHeading, Name, PartialDate, Work

# "Maini R", "St Clair EW": PubMed's "Family Initials" form.
_PUBMED_NAME = re.compile(r"^(?P<family>.+?)\s+(?P<initials>[A-Z]{1,4})$")


def author_name(author: Author) -> Name:
    if author.collective:
        return Name(literal=author.collective, orcid=author.orcid, affiliations=tuple(author.affiliations))
    return Name(family=author.family, given=author.given, initials=author.initials, orcid=author.orcid,
                affiliations=tuple(author.affiliations))


def reference_name(text: str) -> Name:
    """A cited work's author as its source writes it.

    Sources write either PubMed's "Maini R" / "St Clair EW" (family, then initials in capitals) or
    "Young-Yun Kong" / "Earl R. Bogoch" (given names, then the family name). A single word is a family name.
    """
    words = " ".join(text.split())
    match = _PUBMED_NAME.match(words)
    if match:
        return Name(family=match["family"], initials=match["initials"], written=text)
    given, _, family = words.rpartition(" ")
    return Name(family=family, given=given or None, written=text)


def correction(notice: Notice) -> Correction:
    return Correction(notice.kind, notice.citation, notice.title, notice.doi, notice.pmid, notice.note,
                      tuple(notice.sources))


def _grave_first(notices) -> tuple[Correction, ...]:
    """Most grave kind first (a retraction before an erratum), the records' order within a kind."""
    corrections = [correction(n) for n in notices]
    return tuple(sorted(corrections, key=lambda c: NOTICE_KINDS.index(c.kind)))


def reference_work(review_id: str, number: int, reference: Reference) -> Work:
    authors = [reference_name(name) for name in reference.authors]
    if reference.group_author:
        authors.append(Name(literal=reference.group_author))
    # As the source writes it: PubMed gives the journal's abbreviation.
    return Work(
        id=reference.id or f"{review_id}-ref-{number}",
        title=reference.title,
        authors=tuple(authors),
        journal=Journal(abbreviation=reference.journal),
        issued=PartialDate.parse(reference.published) if reference.published else
        PartialDate(int(reference.year)) if reference.year else None,
        volume=reference.volume, issue=reference.issue, pages=reference.pages,
        doi=reference.doi, pmid=reference.pmid, pmcid=reference.pmcid,
        note=reference.note, citation=reference.citation, number=number,
        corrections=_grave_first(reference.notices),
    )


def _person(person: PersonRecord) -> Person:
    return Person(person.name, person.orcid)


def support(record: SupportRecord, reference_numbers: dict[str, int]) -> Support:
    """One support, resolved: a reference named by its id becomes its number (the check made sure it exists)."""
    if record.abstract is not None:
        section, _, sentence = record.abstract.partition(".")
        return AbstractSupport(int(section), int(sentence) if sentence else None)
    if record.reference is not None:
        place = record.reference
        return ReferenceSupport(int(place) if place.isdigit() else reference_numbers[place])
    return ErratumSupport(int(str(record.erratum)))


def summary(record: SummaryRecord, references: tuple[Reference, ...]) -> Summary:
    numbers = {r.id: n for n, r in enumerate(references, 1) if r.id}
    return Summary(
        written_by=tuple(_person(p) for p in record.written_by),
        written=PartialDate.parse(record.written),
        competing_interests=record.competing_interests,
        source_version=SourceVersion(record.source_version.source, PartialDate.parse(record.source_version.date)),
        bottom_line=record.bottom_line,
        key_points=tuple(KeyPoint(k.text, tuple(support(s, numbers) for s in k.supported_by))
                         for k in record.key_points),
        plain_language=tuple(record.plain_language),
        reviewed=PartialDate.parse(record.reviewed) if record.reviewed else None,
        reviewed_by=tuple(_person(p) for p in record.reviewed_by),
    )


def build_review(records: ReviewRecords) -> Review:
    article = records.article
    journal = article.journal
    issns = [Issn(journal.issn_print, "print")] if journal.issn_print else []
    if journal.issn_electronic:
        issns.append(Issn(journal.issn_electronic, "electronic"))
    work = Work(
        id=records.id,
        title=article.title,
        authors=tuple(author_name(a) for a in article.authors),
        authors_complete=article.authors_complete,
        journal=Journal(journal.title, journal.iso_abbreviation, tuple(issns)),
        issued=PartialDate.parse(article.published),
        epub=PartialDate.parse(article.epub) if article.epub else None,
        volume=article.volume, issue=article.issue, pages=article.pages,
        doi=article.doi, pmid=article.pmid, pmcid=article.pmcid, language=article.language,
        abstract=tuple(AbstractSection(s.label, s.text) for s in records.abstract.sections)
        if records.abstract else (),
        keywords=tuple(article.keywords),
        publication_types=tuple(article.publication_types),
        mesh_terms=tuple(MeshHeading(h.descriptor, tuple(h.qualifiers), h.major) for h in article.mesh_terms),
        copyright=article.copyright,
        corrections=_grave_first(records.errata),
    )
    references = records.references
    return Review(
        id=records.id, folder=records.folder, files=records.files, article=work,
        affiliations=tuple(Affiliation(a.id, a.name, a.truncated) for a in article.affiliations),
        acknowledgment=Excerpt(article.acknowledgment.text, article.acknowledgment.truncated)
        if article.acknowledgment else None,
        sources=tuple(Source(s.id, s.name, s.url, s.accessed, s.used_for) for s in article.sources),
        abstract_note=records.abstract.note if records.abstract else None,
        references=tuple(reference_work(records.id, n, r) for n, r in enumerate(records.reference_list, 1)),
        references_complete=bool(references and references.complete),
        references_note=references.note if references else None,
        draft=records.draft,
        summary=summary(records.summary, records.reference_list) if records.summary else None,
    )
